"""Open every page of the local docs build in headless Chromium and check it.

For each page: no uncaught errors, failed loads or console errors; every <img> loaded; every relative link
points to a page that exists. Saves screenshots of the home page and the evaluation page.
Usage: python .ci/browser_test.py SITE_DIR"""
import html, json, re, shutil, subprocess, sys, tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
PROBE = """<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(e.message || ('failed to load ' + (e.target.src || e.target.href))), true);
const __consoleError = console.error;
console.error = (...args) => { window.__errors.push(args.join(' ')); __consoleError(...args); };
window.addEventListener('load', () => {
  const images = [...document.images];
  const broken = images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80));
  const out = document.createElement('pre'); out.id = 'camseg-probe';
  out.textContent = JSON.stringify({images: images.length, broken: broken, errors: window.__errors});
  document.body.appendChild(out);
});
</script>"""

def chromium(*args, profile) -> str:
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout

def probe(page: Path, profile) -> dict:
    "Load a copy of `page` with the probe script first in <head>; return what the probe saw."
    copy = page.with_name(f".probe-{page.name}")
    copy.write_text(page.read_text().replace("<head>", "<head>" + PROBE, 1))
    try:
        dom = chromium("--virtual-time-budget=10000", "--dump-dom", copy.as_uri(), profile=profile)
    finally:
        copy.unlink()
    found = re.search(r'<pre id="camseg-probe">(.*?)</pre>', dom, re.S)
    return json.loads(html.unescape(found.group(1))) if found else dict(images=0, broken=[], errors=["page did not load"])

def broken_links(page: Path) -> list:
    hrefs = re.findall(r'href="([^"#?]+\.html)', page.read_text())
    return [h for h in hrefs if "://" not in h and not (page.parent / h).exists()]

def main(site: Path) -> int:
    if CHROMIUM is None:
        print("chromium not found: apt-get install chromium"); return 1
    failed, profile = 0, tempfile.mkdtemp()
    pages = sorted(site.glob("*.html"))
    for page in pages:
        seen, links = probe(page, profile), broken_links(page)
        ok = seen["images"] == 0 or not seen["broken"]
        ok = ok and not seen["errors"] and not links
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {page.name}: {seen['images']} images, {len(seen['broken'])} broken, "
              f"{len(seen['errors'])} errors {seen['errors'][:3]}, broken links {links[:3]}")
    shots = site / "screenshots"; shots.mkdir(exist_ok=True)
    for name in ["index", "evaluate"]:
        chromium(f"--screenshot={shots / (name + '.png')}", "--window-size=1280,1800", (site / f"{name}.html").as_uri(), profile=profile)
        print("screenshot", shots / f"{name}.png", (shots / f"{name}.png").exists())
    print(f"docs pages: {len(pages) - failed} passed, {failed} failed")
    return 1 if failed or not pages else 0

if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
