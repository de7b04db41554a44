"""Open every page of the docs site in headless Chromium, served over HTTP as GitHub Pages serves it, and check what a
reader gets.

SITE_DIR (what `python .ci/docs.py SITE_DIR` built, and what the deploy workflow publishes) is served by a static
HTTP server on 127.0.0.1; playwright drives Debian's chromium ($CHROMIUM, or Google's Chrome, where there is none). What the pages should hold is read from nbs/ here, not
from the site: one page per notebook, named after it (02_dataset.ipynb -> dataset.html), titled with its H1.

On every page, at desktop width:
- the sidebar lists Home and every lesson in course order (index, then nbs/ in file order) under its H1 title, with
  this page highlighted; the previous/next links go to its neighbours in that order
- a table of contents of the page's sections; the Colab badge, linking to this page's own notebook; no `In [ ]:`
- in the cells' outputs: no stderr, no Python warning, no absolute path
- on the home page and one lesson page (the search box is the same on every page): searching "confusion matrix",
  "BatchNorm momentum" and "unknown colour" lists the page that teaches it (metrics, train, dataset) among the first
  three results
- every source link points at a file and line of the repository whose line defines what the entry documents, and
  none ends in #LNone
- every image loads; every link inside the site resolves
- no console error, uncaught exception or failed request, but one: the Colab badge is an image on Google's server,
  which a machine without internet cannot load (every other request leaving 127.0.0.1 fails the test)
and at phone width (390 px): nothing wider than the screen, the sidebar behind its button.
Site-wide: the API entries of rgb_to_index, ConfusionMatrix and train show a parameter table (name, type, default,
description); every API entry has a signature, and parameters without a description are counted and listed, not
failed. Screenshots of the home, evaluation (metrics: its top and its first figure) and an API page (dataset, at
rgb_to_index), and of the evaluation page at phone width, go to SITE_DIR/screenshots/.

Needs the docs extra (playwright) and Debian's chromium. Usage: python .ci/browser_test.py SITE_DIR"""
import json, os, re, shutil, sys
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright
from tracks import page_name   # .ci/tracks.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
from leaks import ABSOLUTE_PATH
from static_server import serve

CHROMIUM = (os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
            or shutil.which("google-chrome"))   # Debian's chromium here; GitHub's runners have Google's Chrome
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"   # the one request allowed to fail offline
COLAB = "https://colab.research.google.com/github/camseg/camseg/blob/main/nbs/"
REPO = "https://github.com/camseg/camseg/blob/main/"
SEARCHES = {"confusion matrix": "metrics.html", "BatchNorm momentum": "train.html", "unknown colour": "dataset.html"}
SEARCH_FROM = ["index.html", "viz.html"]   # the pages whose search box is tried
API_TABLES = ["rgb_to_index", "ConfusionMatrix", "train"]
TABLE_HEADER = ["Parameter", "Type", "Default", "Description"]
PHONE = {"width": 390, "height": 844}
WARNING = re.compile(r"\b\w+Warning\b:|warnings\.warn\(")
PROMPT = re.compile(r"\b(In|Out)\s*\[\s*\d*\s*\]:")


# --- what the site should hold, from nbs/ -------------------------------------------------------------------------


def h1_title(nb: Path) -> str:
    "The notebook's H1 as text: `# Step 2: a PyTorch `Dataset`` -> 'Step 2: a PyTorch Dataset'."
    for cell in json.loads(nb.read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            found = re.search(r"^#\s+(.+?)\s*$", "".join(cell["source"]), re.M)
            if found: return found.group(1).replace("`", "")
    return nb.stem

def lessons() -> list:
    "(page, title, notebook) for the home page and every notebook, in course order."
    nbs = sorted((ROOT / "nbs").glob("*.ipynb"), key=lambda p: (p.stem != "index", p.name))
    return [(page_name(nb), h1_title(nb), nb.name) for nb in nbs]


# --- a browser tab --------------------------------------------------------------------------------------------------

class Page:
    "A browser tab that records console errors, uncaught exceptions and failed requests, and keeps off the internet."
    def __init__(self, browser, viewport=None):
        self.page = browser.new_page(viewport=viewport or {"width": 1280, "height": 1000})
        self.problems, self.badge_failures = [], 0
        self.page.route("**/*", self._local_only)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught exception: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _local_only(self, route):
        host = urlparse(route.request.url).hostname
        route.continue_() if host in ("127.0.0.1", None) else route.abort("internetdisconnected")

    def _console(self, message):
        if message.type != "error": return
        if message.location.get("url") == BADGE: return     # "Failed to load resource" of the badge
        self.problems.append(f"console error: {message.text[:200]}")

    def _failed(self, request):
        if request.url == BADGE: self.badge_failures += 1
        elif request.resource_type == "document" and request.failure == "net::ERR_ABORTED": pass   # a page left early
        else: self.problems.append(f"failed request: {request.url[:120]} ({request.failure})")

    def goto(self, url: str):
        self.page.goto(url, wait_until="load")
        return self.page


# --- the checks on one page ---------------------------------------------------------------------------------------

def plain(text: str) -> str:
    "Text as the notebooks write it: one space between words, straight apostrophes (Sphinx makes them curly)."
    return re.sub(r"\s+", " ", text).replace("\u2019", "'").strip()

def check_navigation(page, name: str, course: list) -> list:
    "Sidebar: Home and every lesson in order, this page highlighted; previous/next: this page's neighbours."
    problems = []
    links = page.eval_on_selector_all("nav.bd-docs-nav a", "els => els.map(a => [a.getAttribute('href'), a.innerText.trim()])")
    here = [n for n, _, _ in course].index(name)
    expected = [("index.html", "Home")] + [(p, t) for p, t, _ in course[1:]]
    got = [(name if href == "#" else href.split("#")[0], plain(text)) for href, text in links]
    if got != expected:
        first = next(i for i in range(max(len(got), len(expected))) if got[i:i + 1] != expected[i:i + 1])
        problems.append(f"sidebar differs from the course at entry {first + 1}: {got[first:first + 1]}, "
                        f"not {expected[first:first + 1]}")
    captions = page.eval_on_selector_all("nav.bd-docs-nav .caption-text", "els => els.map(e => e.innerText.trim())")
    if captions != ["Course", "Reference"]: problems.append(f"sidebar sections {captions}, not ['Course', 'Reference']")
    current = page.eval_on_selector_all("nav.bd-docs-nav li.current > a", "els => els.map(a => a.innerText.trim())")
    if [plain(c) for c in current] != [expected[here][1]]: problems.append(f"sidebar highlights {current}, not this page")
    prev_next = dict(page.eval_on_selector_all(".prev-next-area a", "els => els.map(a => [a.className.includes('left-prev') ? 'prev' : 'next', a.getAttribute('href')])"))
    want = {"prev": course[here - 1][0] if here else None, "next": course[here + 1][0] if here + 1 < len(course) else None}
    for side in ("prev", "next"):
        if prev_next.get(side) != want[side]: problems.append(f"{side} link is {prev_next.get(side)}, not {want[side]}")
    return problems

def check_content(page, name: str, notebook: str) -> list:
    "Page TOC, the Colab badge, no prompt; in the outputs no stderr, no warning, no absolute path."
    problems = []
    sections = page.eval_on_selector_all("article section > h2", "els => els.length")
    toc = page.eval_on_selector_all("#pst-secondary-sidebar li.toc-h2 > a", "els => els.length")
    if sections and toc < sections: problems.append(f"page TOC lists {toc} links for {sections} sections")
    outputs = "\n".join(page.eval_on_selector_all("article .cell_output", "els => els.map(e => e.innerText)"))
    for pattern, what, text in [(PROMPT, "a prompt", page.inner_text("article")), (WARNING, "a Python warning", outputs),
                                (ABSOLUTE_PATH, "an absolute path", outputs)]:
        found = pattern.search(text)
        if found: problems.append(f"{what}: {text[max(0, found.start() - 60):found.end() + 60]!r}")
    if page.query_selector_all(".stderr"): problems.append("a stderr output is shown")
    badges = page.eval_on_selector_all(f"a[href^='https://colab.research.google.com/'] img", "els => els.map(i => i.closest('a').href)")
    wanted = [COLAB + notebook] if "colab-badge" in (ROOT / "nbs" / notebook).read_text() else []
    if badges != wanted: problems.append(f"Colab badge links {badges}, not {wanted}")
    if "Set-up. In Colab" in page.inner_text("article"): problems.append("the Colab set-up cell is shown on the page")
    return problems

def check_resources(page, site_url: str) -> list:
    "Every image loads (the badge excepted); every link inside the site leads to a page that exists."
    problems = []
    broken = page.eval_on_selector_all("img", "els => els.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    problems += [f"image does not load: {src[:100]}" for src in broken if src != BADGE]
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    for href in sorted({h.split("#")[0] for h in hrefs if h.startswith(site_url)}):
        path = urlparse(href).path
        if path.endswith("/"): path += "index.html"
        if not (SITE / path.lstrip("/")).exists(): problems.append(f"link to a missing page: {path}")
    return problems

def check_source_links(page) -> list:
    "No link ends in #LNone; each API entry's source link names a file and line that defines what it documents."
    problems = [f"link to no line: {h}" for h in page.eval_on_selector_all("a", "els => els.map(a => a.href)") if h.endswith("#LNone")]
    for name, href in page.eval_on_selector_all("a.api-source", "els => els.map(a => [a.closest('section').querySelector('h1,h2,h3,h4').innerText, a.href])"):
        name = name.strip().rstrip("#").strip().split(".")[-1]
        found = re.fullmatch(re.escape(REPO) + r"(camseg/\w+\.py)#L(\d+)", href)
        if not found:
            problems.append(f"{name}: source link without a file and line: {href}"); continue
        lines = (ROOT / found.group(1)).read_text().splitlines()[int(found.group(2)) - 1:]
        definition = next((l for l in lines if not l.lstrip().startswith("@")), "")   # decorators come first
        if not re.match(rf"\s*(async def|def|class) {re.escape(name)}\b", definition):
            problems.append(f"{name}: source link to a line that does not define it: {href}")
    return problems

def api_entries(page) -> list:
    "Each API entry on the page: its name, whether it shows a signature, its parameter table's header and rows."
    return page.evaluate("""() => [...document.querySelectorAll('article section')].filter(s =>
        [...s.children].some(c => c.tagName === 'P' && c.querySelector('a.api-source'))).map(s => {
          const table = [...s.children].find(c => c.tagName === 'TABLE' || c.querySelector?.('table'));
          const t = table && (table.tagName === 'TABLE' ? table : table.querySelector('table'));
          return {name: s.querySelector('h1,h2,h3,h4,h5').innerText.replace(/#$/, '').trim(),
                  signature: !!s.querySelector('pre') && /\\b(def|class) /.test(s.querySelector('pre').innerText),
                  header: t ? [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()) : null,
                  rows: t ? [...t.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => td.innerText.trim())) : []};
        })""")

def search(page, base: str, query: str) -> list:
    "Type `query` into this page's search field and return the pages of the first three results."
    page.click("button.search-button-field >> visible=true")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.fill(query)
    field.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector("#search-results ul.search li, #search-results p.search-summary", timeout=20000)
    results = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.getAttribute('href'))")
    return [r.split("#")[0].split("?")[0] for r in results][:3]

def check_phone(browser, url: str) -> list:
    "At phone width nothing is wider than the screen and the sidebar waits behind its button."
    tab = Page(browser, PHONE)
    page = tab.goto(url)
    problems = list(tab.problems)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1: problems.append(f"at phone width the page is {width} px wide")
    if page.is_visible("#pst-primary-sidebar nav.bd-docs-nav"): problems.append("at phone width the sidebar covers the page")
    if not page.is_visible("button.primary-toggle"): problems.append("at phone width there is no button for the sidebar")
    tab.page.close()
    return problems


# --- the run --------------------------------------------------------------------------------------------------------

def screenshots(browser, base: str, shots: Path) -> None:
    "The home, evaluation and an API page at desktop width, the evaluation's first figure, and its top on a phone."
    shots.mkdir(exist_ok=True)
    for file, url, viewport, target in [("home.png", "index.html", None, None),
                                        ("evaluation.png", "metrics.html", None, None),
                                        ("evaluation-figure.png", "metrics.html", None, "article .cell_output img"),
                                        ("api-dataset.png", "dataset.html", None, "#rgb-to-index"),
                                        ("evaluation-phone.png", "metrics.html", PHONE, None)]:
        tab = Page(browser, viewport)
        page = tab.goto(base + url)
        if target: page.locator(target).first.evaluate("e => e.scrollIntoView()")
        page.screenshot(path=str(shots / file))
        tab.page.close()
        print("screenshot", shots / file)

def broken_links(site: Path) -> list:
    "Links from the notebooks' prose to a page of the site, or to a section of one, that the built site lacks."
    ids, broken = {}, []
    for nb in sorted((ROOT / "nbs").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text())["cells"]):
            if cell["cell_type"] != "markdown": continue
            for page, anchor in re.findall(r"https://camseg\.github\.io/camseg/([\w-]+\.html)(?:#([\w-]+))?", "".join(cell["source"])):
                if page not in ids:
                    ids[page] = set(re.findall(r'id="([^"]+)"', (site / page).read_text())) if (site / page).exists() else None
                if ids[page] is None or (anchor and anchor not in ids[page]):
                    broken.append(f"{nb.name} cell {i}: {page}{'#' + anchor if anchor else ''} is not on the site")
    return broken

def main(site: Path) -> int:
    global SITE
    SITE = site
    if CHROMIUM is None:
        print("chromium not found: apt-get install chromium"); return 1
    course = lessons()
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    failed, badge_failures, entries = 0, 0, []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, title, notebook in course:
            if not (site / name).exists():
                print(f"FAIL {name}: no such page for {notebook}"); failed += 1; continue
            tab = Page(browser)
            page = tab.goto(base + name)
            problems = check_navigation(page, name, course) + check_content(page, name, notebook)
            problems += check_resources(page, base) + check_source_links(page)
            entries += [dict(e, page=name) for e in api_entries(page)]
            searches = SEARCHES if name in SEARCH_FROM else {}
            for query, wanted in searches.items():
                found = search(page, base, query)
                if wanted not in found: problems.append(f"search {query!r} lists {found}, not {wanted}")
                page = tab.goto(base + name)
            problems = list(dict.fromkeys(problems + tab.problems + check_phone(browser, base + name)))   # once each
            badge_failures += tab.badge_failures
            tab.page.close()
            failed += bool(problems)
            print(f"{'ok  ' if not problems else 'FAIL'} {name} ({title})" + "".join(f"\n       {p}" for p in problems))
        screenshots(browser, base, site / "screenshots")
        browser.close()
    server.shutdown()
    failed += report_api(entries)
    links = broken_links(site)
    print("\n".join(f"FAIL {b}" for b in links) or "links: every link to a page or section of the site resolves")
    failed += len(links)
    print(f"Colab badge: loaded from Google on the published site; offline it failed to load {badge_failures} times "
          f"(allowed: the only request that may fail)")
    print(f"docs: {len(course) - failed} passed, {failed} failed")
    return 1 if failed else 0

def report_api(entries: list) -> int:
    "Print the API entries' state; fail if one lacks a signature or a proper table, or a required table is missing."
    problems = [f"{e['page']} {e['name']}: no signature" for e in entries if not e["signature"]]
    problems += [f"{e['page']} {e['name']}: table header {e['header']}" for e in entries if e["header"] not in (None, TABLE_HEADER)]
    for name in API_TABLES:
        found = [e for e in entries if e["name"] == name]
        if not found or not found[0]["rows"]: problems.append(f"{name}: no parameter table")
    params = [(e, row) for e in entries for row in e["rows"] if row[0] != "returns"]
    undescribed = [(e["page"], f"{e['name']}({row[0]})") for e, row in params if not row[3]]
    print(f"API: {len(entries)} entries on {len({e['page'] for e in entries})} pages, {len(params)} parameters, "
          f"{len(undescribed)} without a description (a docments comment in the def)")
    for page in dict.fromkeys(p for p, _ in undescribed):
        print(f"  {page}: " + ", ".join(name for p, name in undescribed if p == page))
    for p in problems: print("FAIL API", p)
    return bool(problems)

if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
