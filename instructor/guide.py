"""The instructor guide: one source file per lesson and problem set, rendered with generated parts.

Sources (written by hand, instructor-only):

* ``instructor/lessons/<notebook stem>.md`` for every ``notebooks/*.ipynb``;
* ``instructor/problem_sets/<name>.md`` for every ``exercises/source/<name>/<name>.ipynb``.

Each source is Markdown with a small YAML front matter and fixed ``##`` headings (CONTRIBUTING.md,
"Writing an instructor guide"). The generator adds everything that already exists elsewhere, so
nothing is typed twice:

* the title, the learning objectives and the time, from the lesson's header cell;
* the paper ids with their Chinese headings, from ``course/syllabus.py``;
* the discussion prompts' text, from the lesson's "Discuss in class" cell (the guide gives the
  model answers, one ``### Prompt N`` per prompt);
* every check question's answer, with its plausible wrong answers, from ``tests/lesson_answers.py``
  (the code that checks the notebook's answer digests), and the question text and hint from the
  notebook itself;
* numbers in the prose: ``{{ name }}`` or ``{{ name:.2f }}`` placeholders filled from
  ``instructor/answers.py``, which computes them from the course's data;
* for a problem set: its questions and points from the nbgrader metadata of the instructor source,
  the written question's rubric from the source's solution block, and the release → grade →
  feedback → export commands from ``exercises/README.md``.

Command line (from the repository root)::

    python -m instructor.guide check          # list missing or incomplete guides (exit 1 if any)
    python -m instructor.guide build [OUT]    # render every guide as Markdown (default build/guide)
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSON_GUIDES = ROOT / "instructor" / "lessons"
PS_GUIDES = ROOT / "instructor" / "problem_sets"
PS_SOURCES = ROOT / "exercises" / "source"
EXERCISES_README = ROOT / "exercises" / "README.md"

#: The ``##`` headings every lesson guide must have, in this order.
LESSON_HEADINGS = (
    "Session plan: 45 minutes",
    "Session plan: 90 minutes",
    "Discussion prompts: model answers",
    "Misconceptions",
)
#: The ``##`` headings every problem-set guide must have.
PS_HEADINGS = ("Before you release", "Misconceptions the hidden tests catch")
#: Who does what in a session plan row; at least one row must be students working.
WHO = {"instructor": False, "class": False, "students": True, "pairs": True, "groups": True}
WARNING = ("> **Instructor material.** This page contains the answers to the check questions and the "
           "model answers to the discussion prompts. Do not give it to students.")

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([^}]*?))?\s*\}\}")
# A number typed with two or more decimals, or a typed percentage with decimals, is data: it must
# come from instructor/answers.py through a placeholder (section numbers such as 3.1 are fine).
TYPED_NUMBER = re.compile(r"(?<![\w.{])(\d+\.\d{2,}|\d+\.\d+\s*%)")


# ------------------------------------------------------------------------------------- sources
@dataclass
class Source:
    """A parsed guide source: front matter, the text before the first ``##`` and its sections."""

    path: Path
    meta: dict
    preamble: str
    sections: dict[str, str] = field(default_factory=dict)


def parse_source(path: Path) -> Source:
    """Split a guide source into its YAML front matter and its ``##`` sections (in order)."""
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end < 0:
            raise ValueError(f"{path.name}: the front matter starting with '---' is not closed by a '---' line")
        try:
            meta = yaml.safe_load(text[4:end]) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{path.name}: the front matter is not valid YAML: {exc}") from None
        if not isinstance(meta, dict):
            raise ValueError(f"{path.name}: the front matter must be a mapping (key: value lines)")
        text = text[end + 5:]
    parts = re.split(r"(?m)^## (.+?)\s*$", text)
    sections = {}
    for heading, body in zip(parts[1::2], parts[2::2]):
        sections[heading.strip()] = body.strip("\n")
    return Source(path, meta, parts[0].strip(), sections)


def subsections(body: str) -> list[tuple[str, str]]:
    """The ``###`` subsections of a section, as (heading, text) pairs in order."""
    parts = re.split(r"(?m)^### (.+?)\s*$", body)
    return [(h.strip(), b.strip()) for h, b in zip(parts[1::2], parts[2::2])]


# ------------------------------------------------------------------------------------- lessons
def lesson_stems() -> list[str]:
    """Every lesson in ``notebooks/``, in reading (file name) order."""
    return sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def _cells(stem: str) -> list[dict]:
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]


def _src(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


@dataclass
class Header:
    title: str
    objectives: list[str]
    time: str


def lesson_header(stem: str) -> Header:
    """Title, learning objectives and time from the lesson's first cell (its header table)."""
    text = _src(_cells(stem)[0])
    title = text.splitlines()[0].lstrip("# ").strip()
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\|\s*\*\*(.+?)\*\*\s*\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1).strip().lower()] = m.group(2).strip()
    raw = rows.get("you will be able to") or rows.get("learning objectives") or ""
    raw = re.sub(r"^you will be able to:?\s*", "", raw, flags=re.I)
    if "•" in raw:
        objectives = [o.strip(" ;") for o in re.split(r"(?:<br>\s*)?•", raw) if o.strip(" ;<br>")]
    else:
        objectives = [o.strip(" ;.") + "" for o in re.split(r"\(\d+\)", raw) if o.strip(" ;.")]
    objectives = [re.sub(r"\s*<br>\s*$", "", o).strip() for o in objectives]
    return Header(title, [o for o in objectives if o], rows.get("time", ""))


def discussion_prompts(stem: str) -> list[str]:
    """The numbered prompts of the lesson's "Discuss in class" section, as written there."""
    for cell in _cells(stem):
        text = _src(cell)
        m = re.search(r"(?ms)^## Discuss in class\s*$(.*?)(?=^#{1,6} |\Z)", text)
        if cell["cell_type"] == "markdown" and m:
            items = re.split(r"(?m)^\d+\.\s+", m.group(1))
            return [" ".join(i.split()) for i in items[1:] if i.strip()]
    return []


def lesson_has_widgets(stem: str) -> bool:
    """Whether the stored lesson shows an interactive widget (an Explorer or another control)."""
    return any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
               and not _src(cell).lstrip().startswith(("q1 =", "q2 =", "q3 =", "q4 =", "q5 ="))
               for cell in _cells(stem) for out in cell.get("outputs", []))


def paper_sections(stem: str) -> list[tuple[str, str, str]]:
    """(id, Chinese heading, English title) of every paper id the syllabus registers for the lesson."""
    from course import syllabus

    by_id = {s.id: s for s in syllabus.PAPER_MAP}
    for entry in syllabus.LESSONS:
        if Path(entry.path).stem == stem:
            return [(i, by_id[i].zh, by_id[i].en) for i in entry.ids]
    return []


# ------------------------------------------------------------------------------- check answers
def _lesson_answers():
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import lesson_answers  # noqa: E402  (tests/lesson_answers.py, the code that checks the digests)

    return lesson_answers


def check_answers(stem: str) -> list:
    """The lesson's answers from ``tests/lesson_answers.py`` (an empty list if it has no questions).

    Computed once per process (the capstone's take seconds): the check, the rendering and the tests
    all ask for them."""
    return list(_check_answers(stem))


@lru_cache(maxsize=None)
def _check_answers(stem: str) -> tuple:
    la = _lesson_answers()
    return tuple(la.ANSWERS[stem]()) if stem in la.ANSWERS else ()


def notebook_questions(stem: str) -> dict:
    return _lesson_answers().notebook_questions(stem)


def _fmt_value(a, value) -> str:
    if isinstance(value, str):
        return value
    text = f"{float(value):.{a.decimals}f}" if a.decimals is not None else f"{float(value):g}"
    return text + (" (per cent)" if a.percent else "")


def _explanations(a, note: dict) -> list:
    """Why each wrong answer is wrong, in the order of ``not_yet`` then ``refused``.

    ``wrong`` is a list in that order, or (for a choice question) a mapping option -> reason."""
    why = note.get("wrong") or []
    if isinstance(why, dict):
        return [why.get(w, "") for w in (*a.not_yet, *a.refused)]
    return list(why)


def render_check_answers(stem: str, meta: dict) -> str:
    answers = check_answers(stem)
    if not answers:
        return "This lesson has no check questions.\n"
    questions = notebook_questions(stem)
    notes = meta.get("questions") or {}
    values = placeholder_values(stem)
    out = ["Generated from `tests/lesson_answers.py`, where every answer is recomputed by hand from the "
           "raw tables; the same code checks the digests stored in the notebook. Students get "
           "\"Correct!\" for the answer below; a number may be off by one unit in its last decimal.\n"]
    for a in answers:
        q = questions.get(a.question)
        note = notes.get(a.question) or {}
        out.append(f"### {a.question}\n")
        if q is not None:
            out.append("> " + q.prompt.replace("\n", " ") + "\n")
            if hasattr(q, "options"):
                out.append("Options shown: " + "; ".join(f"*{o}*" for o in q.options) + ".\n")
        if a.numeric:
            step = 10 ** -(a.decimals or 0)
            lo, hi = float(a.value) - step, float(a.value) + step
            accepted = (f" (accepted: {lo:.{a.decimals}f} to {hi:.{a.decimals}f})" if a.decimals else " (exact)")
            out.append(f"**Answer: {_fmt_value(a, a.value)}**{accepted}.\n")
        else:
            out.append(f"**Answer: {a.value}**\n")
        if note.get("how"):
            out.append("**How to get it:** " + fill(" ".join(str(note["how"]).split()), values, stem) + "\n")
        wrong = list(a.not_yet) + list(a.refused)
        why = _explanations(a, note)
        if wrong:
            out.append("**Plausible wrong answers:**\n")
            out.append("| a student types | feedback | why it is wrong |\n|---|---|---|")
            for i, w in enumerate(wrong):
                feedback = "Not yet. + hint" if i < len(a.not_yet) else "refused (range or units)"
                reason = fill(" ".join(str(why[i]).split()), values, stem) if i < len(why) else "*(missing)*"
                shown = _fmt_value(a, w) if a.numeric else w
                if a.numeric and i >= len(a.not_yet) and float(shown.split()[0]) != float(w):
                    shown = f"{float(w):g}"          # a refused value as typed (0.214, not 0.2 per cent)
                out.append(f"| {shown} | {feedback} | {reason} |")
            out.append("")
        if q is not None and getattr(q, "hint", ""):
            out.append(f"**Hint students see after a wrong answer:** {q.hint}\n")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------- placeholders
def placeholder_values(key: str) -> dict:
    """The values ``instructor/answers.py`` computes for one guide (an empty dict if none)."""
    from instructor import answers

    fn = answers.VALUES.get(key)
    return dict(fn()) if fn else {}


def fill(text: str, values: dict, where: str) -> str:
    """Replace every ``{{ name }}`` / ``{{ name:spec }}`` with its value (KeyError names the gap)."""
    def one(m):
        name, spec = m.group(1), (m.group(2) or "").strip()
        if name not in values:
            raise KeyError(f"{where}: placeholder {{{{ {name} }}}} has no value in instructor/answers.py")
        value = values[name]
        return format(value, spec) if spec else str(value)

    return PLACEHOLDER.sub(one, text)


def typed_numbers(text: str) -> list[str]:
    """Numbers typed into a guide that should come from ``instructor/answers.py`` instead.

    Inline code (a formula or a setting in backticks, such as `ln(1.03 / 1.01)`) is exempt: it states
    the question's own parameters, not data."""
    return TYPED_NUMBER.findall(re.sub(r"`[^`\n]*`", "", PLACEHOLDER.sub("", text)))


# ------------------------------------------------------------------------------- session plans
@dataclass
class PlanRow:
    minutes: int
    who: str
    what: str


def session_plan(body: str) -> list[PlanRow]:
    """The rows of a session-plan table: ``| minutes | who | what |``."""
    rows = []
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.strip().startswith("|") else []
        if len(cells) >= 3 and re.fullmatch(r"\d+", cells[0]):
            rows.append(PlanRow(int(cells[0]), cells[1].lower(), "|".join(cells[2:])))
    return rows


def _check_plan(heading: str, body: str, total: int, n_prompts: int, widgets: bool) -> list[str]:
    problems = []
    rows = session_plan(body)
    if not rows:
        return [f"'{heading}' has no table rows of the form | minutes | who | what |"]
    if sum(r.minutes for r in rows) != total:
        problems.append(f"'{heading}': the minutes add up to {sum(r.minutes for r in rows)}, not {total}")
    for r in rows:
        if r.who not in WHO:
            problems.append(f"'{heading}': who is {r.who!r}; use one of {', '.join(WHO)}")
    if not any(WHO.get(r.who) for r in rows):
        problems.append(f"'{heading}': no row where students work (who = students, pairs or groups)")
    text = " ".join(r.what for r in rows)
    refs = [int(n) for n in re.findall(r"[Pp]rompts? (\d+)", text)]
    refs += [int(n) for m in re.findall(r"[Pp]rompts ((?:\d+(?:, | and | or ))+\d+)", text)
             for n in re.findall(r"\d+", m)]
    if n_prompts and not refs:
        problems.append(f"'{heading}': name the discussion prompt(s) used (\"prompt 2\")")
    for n in refs:
        if not 1 <= n <= n_prompts:
            problems.append(f"'{heading}': prompt {n} does not exist (the lesson has {n_prompts})")
    if widgets and not re.search(r"Explorer|widget|picker|slider", text, re.I):
        problems.append(f"'{heading}': say which widget (Explorer) to demo")
    return problems


# ------------------------------------------------------------------------------- lesson guides
def guide_path(stem: str) -> Path:
    return LESSON_GUIDES / f"{stem}.md"


def check_lesson(stem: str) -> list[str]:
    """What is missing or wrong in a lesson's guide (an empty list when it is complete)."""
    path = guide_path(stem)
    if not path.is_file():
        return [f"{stem}: no instructor guide (write instructor/lessons/{stem}.md; see CONTRIBUTING.md)"]
    try:
        src = parse_source(path)
    except ValueError as exc:
        return [str(exc)]
    problems = []
    if src.meta.get("lesson") != stem:
        problems.append(f"front matter 'lesson:' is {src.meta.get('lesson')!r}, not {stem!r}")
    for heading in LESSON_HEADINGS:
        if heading not in src.sections:
            problems.append(f"missing section '## {heading}'")
    header = lesson_header(stem)
    if not header.objectives:
        problems.append("no learning objectives found in the lesson's header table")
    if not paper_sections(stem):
        problems.append("the lesson is not registered in course/syllabus.py (no paper ids)")
    prompts = discussion_prompts(stem)
    widgets = lesson_has_widgets(stem)
    for heading, total in (("Session plan: 45 minutes", 45), ("Session plan: 90 minutes", 90)):
        if heading in src.sections:
            problems += _check_plan(heading, src.sections[heading], total, len(prompts), widgets)
    if "Discussion prompts: model answers" in src.sections:
        subs = subsections(src.sections["Discussion prompts: model answers"])
        names = [h for h, _ in subs]
        want = [f"Prompt {i}" for i in range(1, len(prompts) + 1)]
        if [n.split(":")[0].strip() for n in names] != want:
            problems.append(f"model answers are headed {names}, the lesson has {len(prompts)} prompts: "
                            f"use {want}")
        for h, body in subs:
            if len(body.split()) < 40:
                problems.append(f"model answer '{h}' is too short ({len(body.split())} words; give the "
                                "answer and the data behind it)")
    if "Misconceptions" in src.sections:
        subs = subsections(src.sections["Misconceptions"])
        if len(subs) < 2:
            problems.append("give at least two misconceptions (### headings under ## Misconceptions)")
        for h, body in subs:
            if "**Address:**" not in body:
                problems.append(f"misconception '{h}' does not say how to address it (**Address:**)")
    notes = src.meta.get("questions") or {}
    for a in check_answers(stem):
        note = notes.get(a.question) or {}
        if not str(note.get("how", "")).strip():
            problems.append(f"front matter: questions.{a.question}.how (how to get the answer) is missing")
        n_wrong = len(a.not_yet) + len(a.refused)
        raw_why = note.get("wrong") or []
        if isinstance(raw_why, dict):
            missing = [w for w in (*a.not_yet, *a.refused) if not str(raw_why.get(w, "")).strip()]
            unknown = set(raw_why) - {str(w) for w in (*a.not_yet, *a.refused)}
            if missing or unknown:
                problems.append(f"front matter: questions.{a.question}.wrong: no reason for {missing}; "
                                f"not a wrong option: {sorted(unknown)}")
        elif len(raw_why) != n_wrong or not all(str(w).strip() for w in raw_why):
            problems.append(f"front matter: questions.{a.question}.wrong explains {len(raw_why)} wrong answers; "
                            f"tests/lesson_answers.py lists {n_wrong} (not_yet, then refused)")
    extra = set(notes) - {a.question for a in check_answers(stem)}
    if extra:
        problems.append(f"front matter explains questions the lesson does not have: {sorted(extra)}")
    text = path.read_text(encoding="utf-8")
    try:
        fill(text, placeholder_values(stem), path.name)
    except KeyError as exc:
        problems.append(str(exc.args[0]))
    typed = typed_numbers(text)
    if typed:
        problems.append(f"numbers typed by hand (compute them in instructor/answers.py and use "
                        f"{{{{ name }}}}): {typed[:5]}")
    return [f"{stem}: {p}" for p in problems]


def render_lesson(stem: str) -> str:
    """The complete guide of one lesson as Markdown."""
    src = parse_source(guide_path(stem))
    values = placeholder_values(stem)
    header = lesson_header(stem)
    ids = paper_sections(stem)
    prompts = discussion_prompts(stem)
    out = [f"# {header.title} — instructor guide\n", WARNING + "\n"]
    out.append(f"**Notebook:** `notebooks/{stem}.ipynb` · **Time (lesson header):** {header.time or 'not given'}\n")
    out.append("**Paper sections covered** (from `course/syllabus.py`):\n")
    out += [f"* **{i}** {zh} — {en}" for i, zh, en in ids]
    out.append("")
    if src.preamble:
        out.append(fill(src.preamble, values, stem) + "\n")
    out.append("## Learning objectives\n\nFrom the lesson's header. Students will be able to:\n")
    out += [f"{k}. {o}" for k, o in enumerate(header.objectives, 1)]
    out.append("")
    for heading in ("Session plan: 45 minutes", "Session plan: 90 minutes"):
        out.append(f"## {heading}\n\n{fill(src.sections[heading], values, stem)}\n")
    out.append("## Check questions: answers\n\n" + render_check_answers(stem, src.meta))
    out.append("## Discussion prompts: model answers\n")
    subs = subsections(src.sections["Discussion prompts: model answers"])
    for (h, body), prompt in zip(subs, prompts):
        out.append(f"### {h}\n\n> {prompt}\n\n{fill(body, values, stem)}\n")
    out.append(f"## Misconceptions\n\n{fill(src.sections['Misconceptions'], values, stem)}\n")
    for heading, body in src.sections.items():
        if heading not in LESSON_HEADINGS:
            out.append(f"## {heading}\n\n{fill(body, values, stem)}\n")
    return "\n".join(out)


# ------------------------------------------------------------------------------- problem sets
def problem_sets() -> list[str]:
    """Every problem set with an instructor source ``exercises/source/<name>/<name>.ipynb``.

    Translated editions (``<name>_zh``, built from the English source) share the English guide.
    """
    return sorted(p.parent.name for p in PS_SOURCES.glob("*/*.ipynb")
                  if p.stem == p.parent.name and not p.stem.endswith("_zh"))


@dataclass
class PSItem:
    grade_id: str
    points: float
    title: str
    kind: str          # "autograded" or "manual"


def ps_items(name: str) -> list[PSItem]:
    """The graded cells of a problem set's instructor source, with the heading of their question."""
    cells = json.loads((PS_SOURCES / name / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    items, heading = [], ""
    for cell in cells:
        text = _src(cell)
        m = re.match(r"##\s+(.+)", text)
        if cell["cell_type"] == "markdown" and m:
            heading = m.group(1).strip()
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if nbg.get("grade"):
            kind = "manual" if cell["cell_type"] == "markdown" or nbg.get("task") else "autograded"
            items.append(PSItem(nbg["grade_id"], nbg.get("points", 0), heading, kind))
    return items


def ps_rubrics(name: str) -> dict[str, str]:
    """grade_id -> the rubric text in the solution block of each hand-graded cell of the source."""
    cells = json.loads((PS_SOURCES / name / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    out = {}
    for cell in cells:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if nbg.get("grade") and cell["cell_type"] == "markdown":
            m = re.search(r"### BEGIN SOLUTION\s*(.*?)\s*### END SOLUTION", _src(cell), re.S)
            if m:
                out[nbg["grade_id"]] = m.group(1).strip()
    return out


def grading_steps() -> list[tuple[str, str, str]]:
    """(step, command, result) rows of the commands table in ``exercises/README.md``."""
    rows = []
    for line in EXERCISES_README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) >= 3 and re.fullmatch(r"`[^`]+`", cells[1]) and "grade.py" in cells[1]:
            rows.append((cells[0], cells[1], " | ".join(cells[2:])))
    return rows


def ps_paper_ids(name: str) -> dict[str, tuple[str, ...]]:
    from course import syllabus

    out = {}
    for e in syllabus.EXERCISES:
        file, _, item = e.path.partition("#")
        if Path(file).parent.name == name:
            out[item] = e.ids
    return out


def check_problem_set(name: str) -> list[str]:
    path = PS_GUIDES / f"{name}.md"
    if not path.is_file():
        return [f"{name}: no instructor guide (write instructor/problem_sets/{name}.md; see CONTRIBUTING.md)"]
    try:
        src = parse_source(path)
    except ValueError as exc:
        return [str(exc)]
    problems = []
    if src.meta.get("problem_set") != name:
        problems.append(f"front matter 'problem_set:' is {src.meta.get('problem_set')!r}, not {name!r}")
    for heading in PS_HEADINGS:
        if heading not in src.sections:
            problems.append(f"missing section '## {heading}'")
    items = ps_items(name)
    if not items:
        problems.append("no graded cells found in the instructor source")
    auto = [i.grade_id for i in items if i.kind == "autograded"]
    if "Misconceptions the hidden tests catch" in src.sections:
        got = {h.split()[0].strip("`").removesuffix("_test")
               for h, _ in subsections(src.sections["Misconceptions the hidden tests catch"])}
        missing = [g for g in auto if g.removesuffix("_test") not in got]
        if missing:
            problems.append(f"no '### <grade_id>' misconception entry for {missing}")
        for h, body in subsections(src.sections["Misconceptions the hidden tests catch"]):
            if "**Address:**" not in body:
                problems.append(f"misconception '{h}' does not say how to address it (**Address:**)")
    manual = [i.grade_id for i in items if i.kind == "manual"]
    rubrics = ps_rubrics(name)
    for g in manual:
        if g not in rubrics:
            problems.append(f"hand-graded item {g} has no rubric in the source's solution block")
    steps = " ".join(s for s, _, _ in grading_steps()).lower()
    for step in ("release", "grade", "feedback", "export"):
        if step not in steps:
            problems.append(f"exercises/README.md's command table has no '{step}' step")
    text = path.read_text(encoding="utf-8")
    try:
        fill(text, placeholder_values(name), path.name)
    except KeyError as exc:
        problems.append(str(exc.args[0]))
    typed = typed_numbers(text)
    if typed:
        problems.append(f"numbers typed by hand (use instructor/answers.py): {typed[:5]}")
    return [f"{name}: {p}" for p in problems]


def ps_title(name: str) -> str:
    """"Problem set 1" for ``ps1``; a problem set with another name (``capstone``) is called by its name."""
    return f"Problem set {name.removeprefix('ps')}" if re.fullmatch(r"ps\d+", name) else f"The graded {name}"


def render_problem_set(name: str) -> str:
    src = parse_source(PS_GUIDES / f"{name}.md")
    values = placeholder_values(name)
    items = ps_items(name)
    ids = ps_paper_ids(name)
    out = [f"# {ps_title(name)}: instructor guide\n",
           "> **Instructor material.** This page contains the rubric and the misconceptions the hidden "
           "tests catch. Do not give it to students.\n"]
    if src.preamble:
        out.append(fill(src.preamble, values, name) + "\n")
    total = sum(i.points for i in items)
    out.append(f"## Questions and points\n\nFrom the nbgrader metadata of `exercises/source/{name}/{name}.ipynb` "
               f"({total:g} points in all).\n")
    out.append("| item | question | points | graded | paper ids |\n|---|---|---:|---|---|")
    for i in items:
        out.append(f"| `{i.grade_id}` | {i.title} | {i.points:g} | {i.kind} | {', '.join(ids.get(i.grade_id, ())) or '—'} |")
    out.append("")
    out.append("## Running it: release → collect → autograde → feedback → export\n\n"
               "From `exercises/README.md` (one command each, run from the repository root with the "
               "course's `.venv/bin/python`):\n")
    out.append("| step | command | result |\n|---|---|---|")
    out += [f"| {s} | {c} | {r} |" for s, c, r in grading_steps()]
    out.append("")
    for heading, body in src.sections.items():
        out.append(f"## {heading}\n\n{fill(body, values, name)}\n")
    for gid, text in ps_rubrics(name).items():
        out.append(f"## Rubric: `{gid}`\n\nFrom the solution block of the instructor source (students never "
                   f"see it):\n\n{text}\n")
    return "\n".join(out)


# ------------------------------------------------------------------------------- everything
def check_all() -> list[str]:
    problems = []
    for stem in lesson_stems():
        problems += check_lesson(stem)
    for name in problem_sets():
        problems += check_problem_set(name)
    return problems


def build(out: Path) -> list[Path]:
    """Render every guide into ``out`` (Markdown) with an index; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# Instructor guide\n", WARNING + "\n",
             "One page per lesson (in the paper's order) and per problem set.\n", "## Lessons\n"]
    for stem in lesson_stems():
        path = out / f"{stem}.md"
        path.write_text(render_lesson(stem), encoding="utf-8")
        written.append(path)
        index.append(f"* [{lesson_header(stem).title}]({stem}.md)")
    index.append("\n## Problem sets\n")
    for name in problem_sets():
        path = out / f"{name}.md"
        path.write_text(render_problem_set(name), encoding="utf-8")
        written.append(path)
        index.append(f"* [{ps_title(name)}]({name}.md)")
    (out / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return [out / "index.md", *written]


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    cmd = argv[0] if argv else "check"
    if cmd == "check":
        problems = check_all()
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) in {len(lesson_stems())} lesson guides and "
              f"{len(problem_sets())} problem-set guides")
        return 1 if problems else 0
    if cmd == "build":
        problems = check_all()
        if problems:
            print("The guide is incomplete:\n" + "\n".join(problems), file=sys.stderr)
            return 1
        out = Path(argv[1]) if len(argv) > 1 else ROOT / "build" / "guide"
        files = build(out)
        print(f"wrote {len(files)} files to {out}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
