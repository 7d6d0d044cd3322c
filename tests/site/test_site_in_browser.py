"""The static course website and the slides in headless Chromium.

Crawls the student site from its start page (every internal link, the slides included) and checks
that every page loads, that no link or image is broken, that nothing is requested from outside the
machine, and that every image has alt text; that the lessons appear in the paper's order; that a
phone-width viewport (375 px) never scrolls sideways; that every Explorer's static view is on its
lesson's page; and that every deck opens (reveal.js ready, MathJax loaded, every discussion prompt on
a slide) with no external request. The ``test_checker_*`` tests show that each check can fail, on
synthetic pages with an external image, an image without alt text, a broken link and a page wider
than the phone.
"""

from __future__ import annotations

import json
import re
import sys
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from course import glossary, syllabus  # noqa: E402
from instructor.guide import discussion_prompts  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from sitecheck import Recorder  # noqa: E402

pytestmark = pytest.mark.browser
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))

JS_PAGE = r"""
() => {
  const imgs = Array.from(document.images).map(i => ({src: i.currentSrc || i.src,
      alt: (i.getAttribute('alt') || '').trim(), ok: i.complete && i.naturalWidth > 0,
      hidden: i.getAttribute('aria-hidden') === 'true' || i.getAttribute('role') === 'presentation'}));
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
  const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id)
      .concat(Array.from(document.querySelectorAll('a[name]')).map(a => a.name));
  const text = (document.querySelector('article') || document.body).innerText;
  return {imgs, links, ids, explorers: document.querySelectorAll('.course-explorer-static').length,
          article_imgs: Array.from(document.querySelectorAll('article img')).map(i => i.alt),
          errors: /Error displaying widget|Traceback/.test(text)};
}
"""
JS_WIDTH = r"""
() => {
  const w = document.documentElement.clientWidth;    // the layout viewport (375 px on the phone)
  // prose of the page's main text; a data table or code block may scroll inside its own box
  const inScroller = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  const wide = Array.from(document.querySelectorAll('article p, article li, article h1, article h2, article h3, article dd'))
     .filter(e => e.offsetParent !== null && !e.closest('table, pre') && !inScroller(e)
                  && e.getBoundingClientRect().right > w + 1)
     .slice(0, 5).map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60));
  return {scroll: document.documentElement.scrollWidth, inner: w, wide};
}
"""


def check_page(page, url: str) -> tuple[list[str], dict]:
    """Open ``url``; return the problems found on it and what it links to."""
    problems = []
    resp = page.goto(url, wait_until="load")
    if resp is None or resp.status >= 400:
        return [f"{url}: HTTP {resp.status if resp else 'no response'}"], {"links": [], "ids": []}
    page.wait_for_timeout(100)
    info = page.evaluate(JS_PAGE)
    for img in info["imgs"]:
        name = img["src"][:80]
        if not img["alt"] and not img["hidden"]:
            problems.append(f"{url}: image without alt text: {name}")
        if not img["ok"]:
            problems.append(f"{url}: broken image: {name}")
    return problems, info


def crawl(context, start: str, scope: str) -> tuple[list[str], dict]:
    """Visit every HTML page reachable from ``start`` inside ``scope``; return problems and the pages."""
    rec = context.recorder
    page = context.new_page()
    seen, queue, problems, pages = {start}, deque([start]), [], {}
    while queue:
        url = queue.popleft()
        found, info = check_page(page, url)
        problems += found
        pages[url] = info
        for link in info["links"]:
            target, _frag = urldefrag(link)
            if not target.startswith(scope):
                continue
            path = urlparse(target).path
            if path.endswith((".html", "/")) and target not in seen:
                seen.add(target)
                queue.append(target)
            elif not path.endswith((".html", "/")) and target not in seen:
                seen.add(target)
                r = context.request.get(target)
                if r.status >= 400:
                    problems.append(f"{url}: broken link to {target} (HTTP {r.status})")
    # anchors: a link to page#id needs that id on the page
    for url, info in pages.items():
        for link in info["links"]:
            target, frag = urldefrag(link)
            if frag and target in pages and frag not in pages[target]["ids"] and not frag.startswith("/"):
                problems.append(f"{url}: link to a missing anchor {link}")
    problems += [f"external request: {u}" for u in rec.external]
    problems += [f"failed request: {u}" for u in rec.failed]
    page.close()
    return problems, pages


# ------------------------------------------------------------------------------- the student site
@pytest.fixture(scope="module")
def site_crawl(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.recorder = Recorder(ctx, server)
    try:
        yield crawl(ctx, f"{server}/site/index.html", f"{server}/site/")
    finally:
        ctx.close()


def test_every_page_loads_with_no_broken_link_image_or_outside_request(site_crawl, server):
    problems, pages = site_crawl
    assert not problems, "\n".join(problems[:30])
    visited = {urlparse(u).path for u in pages}
    for stem in LESSONS:                      # every lesson page and every deck was reached by links
        assert f"/site/lessons/{stem}.html" in visited, stem
        assert f"/site/slides/{stem}.html" in visited, stem
    for page in ("glossary", "datasets", "sources", "paper-map"):
        assert f"/site/{page}.html" in visited, page


def test_lessons_appear_in_the_papers_order(context, server):
    position = {s.id: k for k, s in enumerate(syllabus.PAPER_MAP)}
    first_id = {Path(e.path).stem: min(position[i] for i in e.ids) for e in syllabus.LESSONS}
    page = context.new_page()
    page.goto(f"{server}/site/index.html")
    hrefs = page.eval_on_selector_all(".sidebar-tree a.reference", "as => as.map(a => a.getAttribute('href'))")
    order = [Path(h).stem for h in hrefs if h.startswith("lessons/")]
    assert sorted(order) == LESSONS, order                       # every lesson is in the menu, once
    registered = [s for s in order if s in first_id]
    keys = [first_id[s] for s in registered]
    assert keys == sorted(keys), f"not in the paper's order: {order}"
    assert order[:len(registered)] == registered                 # unregistered lessons (if any) come last
    body = page.inner_text("article")
    positions = [body.find(f"paper {', '.join(e.ids)}") for e in syllabus.LESSONS if Path(e.path).stem in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


@pytest.mark.parametrize("page_path", ["index.html", "glossary.html", "datasets.html", "paper-map.html",
                                       "sources.html"] + [f"lessons/{s}.html" for s in LESSONS])
def test_phone_width_has_no_horizontal_scrolling(phone, server, page_path):
    page = phone.new_page()
    page.goto(f"{server}/site/{page_path}", wait_until="load")
    m = page.evaluate(JS_WIDTH)
    assert m["scroll"] <= m["inner"] + 1 and not m["wide"], (page_path, m)


def test_each_explorer_shows_its_static_view_and_figures_keep_alt_text(site_crawl, server):
    _problems, pages = site_crawl
    for stem in LESSONS:
        nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        static = sum("course-explorer-static" in "".join(o.get("data", {}).get("text/html", ""))
                     for c in nb["cells"] for o in c.get("outputs", []))
        figures = sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
        info = pages[f"{server}/site/lessons/{stem}.html"]
        assert info["explorers"] == static, (stem, info["explorers"], static)
        assert len(info["article_imgs"]) >= figures and all(a.strip() for a in info["article_imgs"]), stem
        assert not info["errors"], f"{stem}: an error message on the page"


def test_reference_pages_are_complete(context, server):
    page = context.new_page()
    page.goto(f"{server}/site/glossary.html")
    text = page.inner_text("article")
    assert all(t.zh in text and t.en in text for t in glossary.GLOSSARY)
    page.goto(f"{server}/site/paper-map.html")
    text = page.inner_text("article")
    assert all(re.search(rf"\b{re.escape(s.id)}\b", text) for s in syllabus.PAPER_MAP)
    pkg = json.loads((ROOT / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    page.goto(f"{server}/site/sources.html")
    text = page.inner_text("article")
    assert all(r["name"] in text for r in pkg["resources"])
    page.goto(f"{server}/site/datasets.html")
    assert "data dictionary" in page.inner_text("article").lower()


def test_the_instructor_guide_is_a_separate_build(context, server):
    rec = context.recorder
    page = context.new_page()
    page.goto(f"{server}/instructor-site/index.html")
    assert "Instructor material" in page.inner_text("article")
    for stem in LESSONS:
        page.goto(f"{server}/instructor-site/{stem}.html")
        assert "Check questions: answers" in page.inner_text("article"), stem
    assert not rec.external and not rec.failed, (rec.external, rec.failed)
    student = (ROOT / "build" / "site")
    assert not any("instructor" in p.name.lower() for p in student.rglob("*")), "instructor files in the student site"


# ------------------------------------------------------------------------------- slides
@pytest.mark.parametrize("stem", LESSONS)
def test_deck_opens_offline_with_its_prompts(context, server, stem):
    rec = context.recorder
    page = context.new_page()
    page.goto(f"{server}/slides/{stem}.html", wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=15_000)
    total = page.evaluate("() => Reveal.getTotalSlides()")
    prompts = discussion_prompts(stem)
    tagged = sum("slide" in c.get("metadata", {}).get("tags", []) for c in
                 json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"])
    assert tagged >= 1, f"{stem}: no cell tagged 'slide' (CONTRIBUTING.md, section 8)"
    assert total == 1 + tagged + len(prompts), (stem, total)
    page.evaluate("() => Reveal.slide(Reveal.getTotalSlides() - 1)")
    assert "Discuss in class" in page.inner_text(".reveal .present")
    imgs = page.eval_on_selector_all(".reveal img", "is => is.map(i => [i.alt, i.complete && i.naturalWidth > 0])")
    assert all(alt.strip() and ok for alt, ok in imgs), stem
    assert not rec.external and not rec.failed, (stem, rec.external, rec.failed)


# ------------------------------------------------------------------------------- the checks bite
SYNTHETIC = """<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title></head><body>
<article><p>ok</p>{body}</article></body></html>"""


@pytest.fixture
def synthetic(built):
    folder = built / "test-synthetic"
    folder.mkdir(exist_ok=True)
    pixel = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

    def make(name, body):
        (folder / name).write_text(SYNTHETIC.format(body=body.replace("PIXEL", pixel)), encoding="utf-8")

    make("index.html", '<a href="a.html">a</a> <img alt="a pixel" src="data:image/png;base64,PIXEL">')
    make("a.html", '<p>fine</p>')
    yield make, folder
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()


@pytest.mark.parametrize("body, expected", [
    ('<img alt="x" src="https://example.org/x.png">', "external request: https://example.org/x.png"),
    ('<img src="data:image/png;base64,PIXEL">', "image without alt text"),
    ('<a href="missing.html">gone</a>', "HTTP 404"),
    ('<a href="a.html#nowhere">anchor</a>', "missing anchor"),
    ('<img alt="gone" src="missing.png">', "broken image"),
])
def test_checker_catches_each_problem(browser, server, synthetic, body, expected):
    make, _folder = synthetic
    make("a.html", "<p>fine</p>" + body)
    ctx = browser.new_context()
    ctx.recorder = Recorder(ctx, server)
    try:
        problems, _ = crawl(ctx, f"{server}/test-synthetic/index.html", f"{server}/test-synthetic/")
    finally:
        ctx.close()
    assert any(expected in p for p in problems), problems


def test_checker_catches_a_page_wider_than_the_phone(phone, server, synthetic):
    make, _folder = synthetic
    make("wide.html", '<p style="width: 900px">a paragraph wider than the phone</p>')
    page = phone.new_page()
    page.goto(f"{server}/test-synthetic/wide.html")
    m = page.evaluate(JS_WIDTH)
    assert m["scroll"] > m["inner"] + 1 and m["wide"]
