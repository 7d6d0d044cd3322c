"""The static course website and the slides in headless Chromium.

Crawls the student site once, from its start page, on a phone-width viewport (375 px, mobile
emulation), following every internal link (the slides and the Chinese pages included); the crawl
records what each page shows, and the tests below assert on that record (one page load per page:
the site test must stay cheap on CI). It checks that every page loads, that no link or image is
broken, that nothing is requested from outside the machine, and that every image has alt text; that
the lessons appear in the paper's order; that no page of prose scrolls sideways on the phone; that
every Explorer's static view is on its lesson's page; that the Chinese pages (``/zh/``, one per
lesson in ``notebooks/zh/``, any subset) declare ``lang="zh-CN"`` and link to their English
originals, which link back; and that every deck opens (reveal.js ready, MathJax loaded, the tagged
cells and every discussion prompt on a slide) with no external request. The ``test_checker_*`` tests
show that each check can fail, on synthetic pages with an external image, an image without alt text,
a broken link and a page wider than the phone.
"""

from __future__ import annotations

import filecmp
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
ZH = sorted(p.stem for p in (ROOT / "notebooks" / "zh").glob("*.ipynb") if p.stem in LESSONS)   # any subset
CJK = re.compile(r"[\u4e00-\u9fff]")

JS_PAGE = r"""
() => {
  const imgs = Array.from(document.images).map(i => ({src: i.currentSrc || i.src,
      alt: (i.getAttribute('alt') || '').trim(), ok: i.complete && i.naturalWidth > 0,
      hidden: i.getAttribute('aria-hidden') === 'true' || i.getAttribute('role') === 'presentation'}));
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
  const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id)
      .concat(Array.from(document.querySelectorAll('a[name]')).map(a => a.name));
  const text = (document.querySelector('article') || document.body).innerText;
  const sidebar = Array.from(document.querySelectorAll('.sidebar-tree a.reference')).map(a => a.getAttribute('href'));
  return {imgs, links, ids, sidebar, text, lang: document.documentElement.lang, cjk: (text.match(/[\u4e00-\u9fff]/g) || []).length,
          explorers: document.querySelectorAll('.course-explorer-static').length,
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


JS_DECK = r"""
() => {
  const imgs = Array.from(document.querySelectorAll('.reveal img')).map(i => [i.alt, i.complete && i.naturalWidth > 0]);
  return {total: Reveal.getTotalSlides(), imgs};
}
"""


def check_page(page, url: str, extra=None) -> tuple[list[str], dict]:
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
    if extra is not None:
        info.update(extra(page, url))
    return problems, info


def is_deck(url: str) -> bool:
    path = urlparse(url).path
    return "/slides/" in path and Path(path).stem in LESSONS


def site_extra(page, url: str) -> dict:
    """What the site tests need beyond :func:`check_page`: a deck's slides once reveal.js and MathJax are
    ready; any other page's width on the phone."""
    if is_deck(url):
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=15_000)
        deck = page.evaluate(JS_DECK)
        page.evaluate("() => Reveal.slide(Reveal.getTotalSlides() - 1)")      # the last slide, as a presenter would
        page.wait_for_function("() => Reveal.isLastSlide()", timeout=5_000)
        deck["last"] = page.inner_text(".reveal .present")
        return {"deck": deck}
    return {"width": page.evaluate(JS_WIDTH)}


def crawl(context, start: str, scope: str, extra=None, desktop=None) -> tuple[list[str], dict]:
    """Visit every HTML page reachable from ``start`` inside ``scope``; return problems and the pages.
    ``extra(page, url)`` adds its dict to each page's record. ``desktop``: another browser context in
    which the slide decks are opened (reveal.js shows a phone a scrolling view instead of slides)."""
    page = context.new_page()
    deck_page = desktop.new_page() if desktop is not None else page
    seen, queue, problems, pages = {start}, deque([start]), [], {}
    while queue:
        url = queue.popleft()
        found, info = check_page(deck_page if is_deck(url) else page, url, extra)
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
    for rec in {id(c.recorder): c.recorder for c in (context, desktop) if c is not None}.values():
        problems += [f"external request: {u}" for u in rec.external]
        problems += [f"failed request: {u}" for u in rec.failed]
    page.close()
    if deck_page is not page:
        deck_page.close()
    return problems, pages


# ------------------------------------------------------------------------------- the student site
PHONE = dict(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture(scope="module")
def site_crawl(browser, server):
    """The whole student site, crawled once on a phone-width viewport (links, images and widths do not
    depend on the width; the sidebar is in the page on a phone too), the decks on a projector's."""
    ctx = browser.new_context(**PHONE)
    ctx.recorder = Recorder(ctx, server)
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    desktop.recorder = Recorder(desktop, server)
    try:
        yield crawl(ctx, f"{server}/site/index.html", f"{server}/site/", extra=site_extra, desktop=desktop)
    finally:
        ctx.close()
        desktop.close()


def test_every_page_loads_with_no_broken_link_image_or_outside_request(site_crawl, server):
    problems, pages = site_crawl
    assert not problems, "\n".join(problems[:30])
    visited = {urlparse(u).path for u in pages}
    for stem in LESSONS:                      # every lesson page and every deck was reached by links
        assert f"/site/lessons/{stem}.html" in visited, stem
        assert f"/site/slides/{stem}.html" in visited, stem
    for page in ("glossary", "datasets", "sources", "paper-map"):
        assert f"/site/{page}.html" in visited, page
    for stem in ZH:                           # the Chinese pages too, from the English start page's links
        assert f"/site/zh/lessons/{stem}.html" in visited, stem
    assert ("/site/zh/index.html" in visited) == bool(ZH)


def test_chinese_pages_declare_chinese_and_link_to_their_english_twins(site_crawl, server):
    _problems, pages = site_crawl
    site = f"{server}/site/"
    for stem in LESSONS:
        info = pages[f"{site}lessons/{stem}.html"]
        assert info["lang"] == "en", (stem, info["lang"])
        to_zh = f"{site}zh/lessons/{stem}.html" in info["links"]
        assert to_zh == (stem in ZH), f"{stem}: link to the Chinese page {'missing' if stem in ZH else 'without a page'}"
    zh_pages = {u: i for u, i in pages.items() if u.startswith(f"{site}zh/")}
    assert bool(zh_pages) == bool(ZH)
    for url, info in zh_pages.items():        # every Chinese page: lang="zh-CN", mostly Chinese text
        assert info["lang"].lower().startswith("zh"), (url, info["lang"])
        assert info["cjk"] >= 20, (url, info["cjk"])
    for stem in ZH:
        info = pages[f"{site}zh/lessons/{stem}.html"]
        assert f"{site}lessons/{stem}.html" in info["links"], f"{stem}: no link back to the English lesson"
        assert f"{site}zh/index.html" in info["links"]
    if ZH:
        index = pages[f"{site}zh/index.html"]
        assert f"{site}index.html" in index["links"]
        listed = [Path(urlparse(u).path).stem for u in index["links"] if "/zh/lessons/" in u]
        order = list(dict.fromkeys(listed))
        assert sorted(order) == ZH, order                       # every Chinese lesson, in the paper's order
        paper = [s for s in _paper_order() if s in ZH]
        assert order == paper, order


def _paper_order() -> list[str]:
    """Registered lessons by their first paper id; a lesson drawing on three or more of the paper's four
    parts (P, N, S, F: the capstone) after the lessons of single sections."""
    position = {s.id: k for k, s in enumerate(syllabus.PAPER_MAP)}
    key = {Path(e.path).stem: (len({i[0] for i in e.ids}) >= 3, min(position[i] for i in e.ids))
           for e in syllabus.LESSONS}
    return sorted((s for s in LESSONS if s in key), key=lambda s: (key[s], s))


def test_lessons_appear_in_the_papers_order(site_crawl, server):
    _problems, pages = site_crawl
    index = pages[f"{server}/site/index.html"]
    order = [Path(h).stem for h in index["sidebar"] if h.startswith("lessons/")]
    assert sorted(order) == LESSONS, order                       # every lesson is in the menu, once
    paper = _paper_order()
    registered = [s for s in order if s in paper]
    assert registered == paper, f"not in the paper's order: {order}"
    assert order[:len(registered)] == registered                 # unregistered lessons (if any) come last
    listed = [Path(urlparse(u).path).stem for u in index["links"] if "/site/lessons/" in u]
    assert list(dict.fromkeys(listed)) == order                  # the start page's list, in the same order


def test_phone_width_has_no_horizontal_scrolling(site_crawl, server):
    _problems, pages = site_crawl
    must = (["index.html", "glossary.html", "datasets.html", "paper-map.html", "sources.html"]
            + [f"lessons/{s}.html" for s in LESSONS] + (["zh/index.html"] if ZH else [])
            + [f"zh/lessons/{s}.html" for s in ZH])
    measured = {u.removeprefix(f"{server}/site/"): i["width"] for u, i in pages.items() if "width" in i}
    assert set(must) <= set(measured), sorted(set(must) - set(measured))
    wide = {p: m for p, m in measured.items() if m["inner"] > 400 or m["scroll"] > m["inner"] + 1 or m["wide"]}
    assert not wide, wide


def test_each_explorer_shows_its_static_view_and_figures_keep_alt_text(site_crawl, server):
    _problems, pages = site_crawl
    for stem in LESSONS + [f"zh/{s}" for s in ZH]:
        nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        static = sum("course-explorer-static" in "".join(o.get("data", {}).get("text/html", ""))
                     for c in nb["cells"] for o in c.get("outputs", []))
        figures = sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
        info = pages[f"{server}/site/{stem.replace('zh/', 'zh/lessons/') if '/' in stem else 'lessons/' + stem}.html"]
        assert info["explorers"] == static, (stem, info["explorers"], static)
        assert len(info["article_imgs"]) >= figures and all(a.strip() for a in info["article_imgs"]), stem
        assert not info["errors"], f"{stem}: an error message on the page"


def test_reference_pages_are_complete(site_crawl, server):
    _problems, pages = site_crawl
    text = lambda name: pages[f"{server}/site/{name}.html"]["text"]  # noqa: E731  (the article's text)
    assert all(t.zh in text("glossary") and t.en in text("glossary") for t in glossary.GLOSSARY)
    assert all(re.search(rf"\b{re.escape(s.id)}\b", text("paper-map")) for s in syllabus.PAPER_MAP)
    pkg = json.loads((ROOT / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    assert all(r["name"] in text("sources") for r in pkg["resources"])
    assert "data dictionary" in text("datasets").lower()


def test_the_instructor_guide_is_a_separate_build(context, server):
    # the start page and one lesson's guide in the browser (every guide page uses the same template and
    # static files: nothing from outside); every lesson's guide page over HTTP
    rec = context.recorder
    page = context.new_page()
    page.goto(f"{server}/instructor-site/index.html")
    assert "Instructor material" in page.inner_text("article")
    page.goto(f"{server}/instructor-site/{LESSONS[-1]}.html")
    assert "Check questions: answers" in page.inner_text("article")
    assert not rec.external and not rec.failed, (rec.external, rec.failed)
    for stem in LESSONS:
        r = context.request.get(f"{server}/instructor-site/{stem}.html")
        assert r.status == 200 and "Check questions: answers" in r.text(), stem
    student = (ROOT / "build" / "site")
    assert not any("instructor" in p.name.lower() for p in student.rglob("*")), "instructor files in the student site"


# ------------------------------------------------------------------------------- slides
@pytest.mark.parametrize("stem", LESSONS)
def test_deck_opens_offline_with_its_prompts(site_crawl, server, stem):
    # the crawl opened the site's copy of the deck (reached from its lesson page), waited for reveal.js
    # and MathJax, and would have recorded any outside or failed request; build/slides/ is the same file
    problems, pages = site_crawl
    deck = pages[f"{server}/site/slides/{stem}.html"]["deck"]
    assert filecmp.cmp(ROOT / "build" / "slides" / f"{stem}.html", ROOT / "build" / "site" / "slides" / f"{stem}.html",
                       shallow=False)
    prompts = discussion_prompts(stem)
    tagged = sum("slide" in c.get("metadata", {}).get("tags", []) for c in
                 json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"])
    assert tagged >= 1, f"{stem}: no cell tagged 'slide' (CONTRIBUTING.md, section 8)"
    assert deck["total"] == 1 + tagged + len(prompts), (stem, deck["total"])
    assert "Discuss in class" in deck["last"]
    assert all(alt.strip() and ok for alt, ok in deck["imgs"]), stem
    assert not [p for p in problems if "/slides/" in p], stem


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
