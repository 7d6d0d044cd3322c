"""Slide decks for projecting in class, built from the lessons themselves (reveal.js, offline).

A deck is made of

1. a title slide: the lesson's title and paper sections (from the lesson's header and
   ``course/syllabus.py``);
2. every cell tagged ``slide`` (a new slide) or ``slide-append`` (added to the slide before), in the
   lesson's order. A markdown cell is shown as written; a code cell shows only its stored outputs
   (figures with their alt text, tables, the verdict it prints, an Explorer's static default view), under
   the heading of the section it sits in;
3. one slide per "Discuss in class" prompt (read from the lesson).

Because slides are made from the stored lesson, a slide never disagrees with the lesson: re-run the
lesson and rebuild. Check questions are never put on slides (their cells are refused), and nothing
from ``instructor/`` is used.

reveal.js and MathJax come from ``web/node_modules`` (installed by ``make slides`` with ``npm ci`` from
``web/package-lock.json``) and are copied next to the decks: a deck loads nothing from the internet.

Usage: ``python -m web.slides [OUT]`` (default ``build/slides``), or ``make slides``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NODE = ROOT / "web" / "node_modules"
TAG_NEW, TAG_APPEND = "slide", "slide-append"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: files copied from node_modules into the deck folder (source relative to node_modules -> target)
ASSETS = {
    "reveal.js/dist/reveal.js": "reveal/reveal.js",
    "reveal.js/dist/reveal.css": "reveal/reveal.css",
    "reveal.js/dist/reset.css": "reveal/reset.css",
    "reveal.js/dist/theme/white.css": "reveal/theme/white.css",
    "reveal.js/dist/theme/fonts/source-sans-pro": "reveal/theme/fonts/source-sans-pro",
    "reveal.js/LICENSE": "reveal/LICENSE",
    "mathjax/es5/tex-svg-full.js": "mathjax/tex-svg-full.js",
    "mathjax/LICENSE": "mathjax/LICENSE",
}

CSS = """
.reveal { font-size: 26px; }
.reveal, .reveal h1, .reveal h2, .reveal h3, .reveal h4 {
  font-family: "Source Sans Pro", Helvetica, sans-serif, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
               "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
.reveal .slides { text-align: left; }
.reveal .slides section { height: 100%; overflow-y: auto; padding-bottom: 1em; box-sizing: border-box; }
.reveal h1 { font-size: 1.7em; } .reveal h2 { font-size: 1.3em; } .reveal h3, .reveal h4 { font-size: 1.1em; }
.reveal h1, .reveal h2, .reveal h3, .reveal h4 { text-transform: none; text-align: left; }
.reveal img { max-height: 520px; max-width: 100%; margin: 0.2em auto; display: block; }
.reveal figure { margin: 0; } .reveal figcaption { font-size: 0.55em; color: #444; }
.reveal table { font-size: 0.6em; margin: 0.4em 0; }
.reveal pre.output { font-size: 0.55em; box-shadow: none; white-space: pre; overflow-x: auto; }
.reveal p, .reveal li { line-height: 1.35; }
.reveal .lesson-ref { font-size: 0.6em; color: #555; }
.reveal .course-static-note { font-size: 0.6em; color: #555; }
.reveal .anchor-link { display: none; }
.reveal .prompt-number { color: #0072B2; }
"""


class SlideError(ValueError):
    """A lesson's slide tags cannot be turned into slides (named with the cell)."""


def _src(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _md(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _heading_text(line: str) -> str:
    return html.escape(re.sub(r"[*`_]", "", line.lstrip("#").strip()))


def _output_html(out: dict) -> str:
    """One stored output as HTML: the richest static form (never the live widget view)."""
    kind = out.get("output_type")
    if kind == "stream":
        if out.get("name") == "stderr":
            return ""
        return f'<pre class="output">{html.escape("".join(out.get("text", "")))}</pre>'
    if kind == "error":
        raise SlideError("a tagged cell has an error output: re-run the lesson")
    data = {k: v for k, v in out.get("data", {}).items() if k != WIDGET_MIME}
    text = lambda k: "".join(data[k]) if isinstance(data[k], list) else data[k]  # noqa: E731
    if "text/html" in data:
        return text("text/html")
    if "image/png" in data:
        alt = out.get("metadata", {}).get("image/png", {}).get("alt") or text("text/plain")
        return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{text("image/png").strip()}">'
    if "text/markdown" in data:
        return _md(text("text/markdown"))
    if "text/plain" in data:
        return f'<pre class="output">{html.escape(text("text/plain"))}</pre>'
    return ""


def lesson_slides(stem: str) -> list[str]:
    """The inner HTML of every slide of one lesson's deck, in order."""
    sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
    from instructor.guide import discussion_prompts, lesson_header, paper_sections  # reads the lesson only

    cells = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    header = lesson_header(stem)
    ids = paper_sections(stem)
    title = [f"<h1>{html.escape(header.title)}</h1>"]
    if ids:
        title.append("<p>Paper: " + "; ".join(f"<strong>{i}</strong> {html.escape(zh)} ({html.escape(en)})"
                                             for i, zh, en in ids) + "</p>")
    title.append(f'<p class="lesson-ref">Zhang &amp; Ma (2024) · course notebook <code>notebooks/{stem}.ipynb</code></p>')
    slides = ["\n".join(title)]
    heading = ""
    for n, cell in enumerate(cells):
        text = _src(cell)
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "markdown":
            for line in text.splitlines():
                if line.startswith("#"):
                    heading = line
        if TAG_NEW not in tags and TAG_APPEND not in tags:
            continue
        where = f"{stem} cell {n} (id {cell.get('id')})"
        if cell["cell_type"] == "code" and re.match(r"\s*q\d+\s*=\s*quiz\.", text):
            raise SlideError(f"{where}: a check question cannot go on a slide")
        if cell["cell_type"] == "markdown":
            body = _md(text)
        else:
            body = "\n".join(_output_html(o) for o in cell.get("outputs", []))
            if not body.strip():
                raise SlideError(f"{where}: a tagged code cell has no stored output: re-run the lesson")
            if heading:
                body = f"<h3>{_heading_text(heading)}</h3>\n{body}"
        if TAG_APPEND in tags and len(slides) > 1:
            slides[-1] += "\n" + body
        else:
            slides.append(body)
    prompts = discussion_prompts(stem)
    for k, prompt in enumerate(prompts, 1):
        slides.append(f'<h2>Discuss in class <span class="prompt-number">{k}/{len(prompts)}</span></h2>\n{_md(prompt)}')
    return slides


def deck_html(stem: str, slides: list[str]) -> str:
    from instructor.guide import lesson_header

    sections = "\n".join(f"<section>\n{s}\n</section>" for s in slides)
    title = html.escape(lesson_header(stem).title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} (slides)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="_static/reveal/reset.css">
<link rel="stylesheet" href="_static/reveal/reveal.css">
<link rel="stylesheet" href="_static/reveal/theme/white.css">
<link rel="stylesheet" href="_static/slides.css">
<script>
window.MathJax = {{ tex: {{ inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true }},
                   options: {{ enableMenu: false }}, svg: {{ fontCache: 'global' }} }};
</script>
<script src="_static/mathjax/tex-svg-full.js" defer></script>
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script src="_static/reveal/reveal.js"></script>
<script>
Reveal.initialize({{ hash: true, width: 1280, height: 800, margin: 0.04, center: false, transition: 'none' }});
</script>
</body>
</html>
"""


def copy_assets(out: Path) -> None:
    """Copy reveal.js and MathJax from web/node_modules next to the decks (clear message if missing)."""
    missing = [src for src in ASSETS if not (NODE / src).exists()]
    if missing:
        raise SystemExit(f"web/node_modules lacks {missing[0]}: run `make slides` (it runs `npm ci --prefix web`) "
                         "or `npm ci --prefix web` first")
    static = out / "_static"
    for src, dst in ASSETS.items():
        target = static / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if (NODE / src).is_dir():
            shutil.copytree(NODE / src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(NODE / src, target)
    (static / "slides.css").write_text(CSS, encoding="utf-8")


def build(out: Path, stems=None) -> list[Path]:
    """Write one deck per lesson (``<stem>.html``) and an index into ``out``; returns the decks."""
    from instructor.guide import lesson_header

    stems = stems or sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    decks = []
    for stem in stems:
        path = out / f"{stem}.html"
        path.write_text(deck_html(stem, lesson_slides(stem)), encoding="utf-8")
        decks.append(path)
    items = "\n".join(f'<li><a href="{p.name}">{html.escape(lesson_header(p.stem).title)}</a></li>' for p in decks)
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Slides</title></head>\n<body>\n'
        f"<h1>Slides, one deck per lesson</h1>\n<ul>\n{items}\n</ul>\n"
        "<p>Arrow keys move between slides; F for full screen; Esc for an overview.</p>\n</body></html>\n",
        encoding="utf-8")
    return decks


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = Path(argv[0]) if argv else ROOT / "build" / "slides"
    t0 = time.perf_counter()
    try:
        decks = build(out)
    except SlideError as exc:
        print(f"slides: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(decks)} decks to {out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
