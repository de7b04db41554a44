"""Write README.md from nbs/index.ipynb, or with --check fail if they differ.

README.md is the home page's markdown cells, in order, with the outputs of its code cells that a reader should see:
figures (PNG or JPEG outputs, saved as nbs/images/index_N.png or .jpg and linked by their GitHub URL, so that they show on GitHub
and on PyPI alike) and markdown (the results table, generated from report cards). nbdev_readme needs Quarto, which
cannot be installed everywhere; the home page is plain markdown, so this is enough."""
import base64, configparser, json, re, sys
from pathlib import Path

from tracks import page_name, track   # .ci/tracks.py

root = Path(__file__).resolve().parent.parent
cfg = configparser.ConfigParser(); cfg.read(root / "settings.ini")
RAW = cfg["DEFAULT"]["git_url"].replace("https://github.com/", "https://raw.githubusercontent.com/") + "/main/"

def cell_parts(i: int, cell: dict, images: dict) -> list:
    "The README text of one cell: a markdown cell's source, or a code cell's markdown and figure outputs."
    if cell["cell_type"] == "markdown":
        return ["".join(cell["source"]).strip()]
    parts = []
    for j, output in enumerate(cell.get("outputs", [])):
        data = output.get("data", {})
        if "text/markdown" in data:
            parts.append("".join(data["text/markdown"]).strip())
        elif "image/png" in data or "image/jpeg" in data:
            kind, suffix = ("image/png", "png") if "image/png" in data else ("image/jpeg", "jpg")
            name = f"nbs/images/index_{i}_{j}.{suffix}"
            images[name] = base64.b64decode("".join(data[kind]))
            parts.append(f"![the figure of the home page]({RAW}{name})")
    return parts

def readme() -> tuple:
    "README.md's text and the figures it links, from nbs/index.ipynb."
    cells, images = json.loads((root / "nbs" / "index.ipynb").read_text())["cells"], {}
    text = "\n\n".join(p for i, cell in enumerate(cells) for p in cell_parts(i, cell, images)) + "\n"
    return text, images

def listed(text: str, heading: str) -> list:
    "The pages that README's section `heading` links, in order: `## The course` -> ['pipeline.html', ...]."
    section = re.search(rf"^## {heading}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    pages = re.findall(r"\(https://camseg\.github\.io/camseg/([\w-]+\.html)", section.group(1)) if section else []
    return list(dict.fromkeys(pages))

def tracks() -> dict:
    "The docs sidebar's two sections, as .ci/docs.py builds them (.ci/tracks.py): the course and the reference."
    out = {"The course": [], "The reference": []}
    for nb in sorted((root / "nbs").glob("*.ipynb")):
        if track(nb): out[f"The {track(nb).lower()}"].append(page_name(nb))
    return out

def course_list_problems(text: str) -> list:
    return [f"README's section '## {heading}' lists {listed(text, heading)}, the sidebar {pages}"
            for heading, pages in tracks().items() if listed(text, heading) != pages]

if __name__ == "__main__":
    text, images = readme()
    if "--check" in sys.argv:
        stale = [n for n, b in images.items() if not (root / n).is_file() or (root / n).read_bytes() != b]
        if (root / "README.md").read_text() != text or stale:
            sys.exit("README.md or its figures differ from nbs/index.ipynb: run `python .ci/readme.py` and commit.")
        problems = course_list_problems(text)
        if problems:
            sys.exit("\n".join(problems) + "\nThe home page's course list must match the docs sidebar: every lesson "
                     "and reference page, in file order.")
    else:
        for name, data in images.items():
            (root / name).parent.mkdir(exist_ok=True)
            (root / name).write_bytes(data)
        (root / "README.md").write_text(text)
