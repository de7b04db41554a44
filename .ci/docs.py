"""Build the docs site locally as plain HTML, one page per notebook, from the committed outputs.

The real site is built by Quarto in the GitHub deploy workflow; Quarto cannot be installed everywhere, so this is
the local route: nbdev's own `show_doc` markdown for every exported name, nbconvert's HTML exporter for the page
(figures embedded as data URIs), hidden cells and `#|` directives removed, links to the site made relative.
Usage: python .ci/docs.py [OUT_DIR]   (default: _site)"""
import ast, importlib, re, sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbdev.showdoc import BasicMarkdownRenderer

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://camseg.github.io/camseg/"
BADGE = "[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"  # offline: a text link instead

def page_name(nb_path: Path) -> str:
    "00_data.ipynb -> data.html, as nbdev names pages."
    return "index.html" if nb_path.stem == "index" else re.sub(r"^\d+[a-z]?_", "", nb_path.stem) + ".html"

def directives(source: str) -> list:
    return [line[3:].strip() for line in source.splitlines() if line.startswith("#|")]

def exported_names(source: str) -> list:
    "Top-level functions and classes defined in a cell, in order."
    tree = ast.parse("\n".join(l for l in source.splitlines() if not l.startswith("#|")))
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]

def api_doc(obj) -> str:
    "nbdev's show_doc markdown, without Quarto's {attribute} blocks."
    return re.sub(r"\)\{[^}]*\}", ")", BasicMarkdownRenderer(obj)._repr_markdown_())

def doc_cells(nb) -> list:
    "The notebook's cells for the page: hidden cells dropped, API docs after each exported definition."
    module, cells = None, []
    for cell in nb.cells:
        flags = directives(cell.source) if cell.cell_type == "code" else []
        if any(f.startswith("default_exp") for f in flags):
            module = importlib.import_module("camseg." + flags[0].split()[1])
            continue
        if "hide" in flags:
            continue
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace(BADGE, "[Open in Colab ↗]")
        if cell.cell_type == "code":
            cell.source = "\n".join(l for l in cell.source.splitlines() if not l.startswith("#|"))
            if "echo: false" in flags:
                cell.metadata["transient"] = {"remove_source": True}   # show the output only
        cells.append(cell)
        if "export" in flags and module is not None:
            cells += [nbformat.v4.new_markdown_cell(api_doc(getattr(module, name))) for name in exported_names(cell.source)]
    return cells

def build(out: Path) -> list:
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab", mathjax_url="", require_js_url="", jquery_url="")
    pages = []
    for nb_path in sorted((ROOT / "nbs").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells = doc_cells(nb)
        html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
        html = re.sub(r'<script[^>]*src=""[^>]*>\s*</script>', "", html.replace(SITE, ""))  # no CDN scripts offline
        (out / page_name(nb_path)).write_text(html)
        pages.append(out / page_name(nb_path))
    return pages

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_site"
    for page in build(out):
        print(page)
