"""Build the docs site, the same way locally and in the deploy workflow: `python .ci/docs.py SITE_DIR` (default _site).

Three stages, one command:
1. nbdev processes every notebook in nbs/ as `nbdev_docs` does before it calls Quarto (nbdev's `FilterDefaults`
   processors): `#| hide` and `#| export` cells leave the page, a `show_doc` entry follows each exported definition,
   the H1 title and its `>` summary become the page's front matter. Two of its processors are swapped for our own:
   `show_doc` renders `ApiDoc` (signature, docstring, a parameter table from the docments comments, a source link to
   the file and line), and the docs build runs only cells made of imports or `show_doc` calls: nbdev would also run
   every cell that mixes an import with other code, and here such cells train models or read the real data.
2. Each processed notebook becomes a MyST-NB notebook named after its page (02_dataset.ipynb -> dataset.ipynb), in
   _proc/docs: Quarto's cell options (`echo`, `output`, `include`) become myst-nb's tags, the front matter becomes
   the H1 and the summary again, links into the published site become relative, and the home page gets the table of
   contents: every notebook in nbs/, in file order after the home page, in two captioned sections: the Course
   (notebooks numbered below 20) and the Reference (20 and up).
3. Sphinx renders them with myst-nb and sphinx-book-theme (settings in .ci/sphinx/conf.py), from the committed
   outputs: no notebook is executed again.

Needs the docs extra: pip install -e ".[dev,docs]". Usage: python .ci/docs.py [SITE_DIR]"""
import ast, configparser, importlib, inspect, os, re, shutil, sys, time
START = time.time()
from dataclasses import fields, is_dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = configparser.ConfigParser(delimiters=["="])
CONFIG.read(ROOT / "settings.ini", encoding="utf-8")
CFG = CONFIG["DEFAULT"]
SITE_URL = CFG["doc_host"] + CFG["doc_baseurl"] + "/"   # https://camseg.github.io/camseg/
PROC = ROOT / "_proc" / "docs"                            # the notebooks Sphinx reads (gitignored)

os.environ["IN_TEST"] = "1"   # as nbdev's own docs processing sets it
from docutils.nodes import make_id
from execnb.nbio import mk_cell, read_nb, write_nb
from fastcore.docments import docments
from nbdev.doclinks import _nbpath2html
from nbdev.process import NBProcessor
from nbdev.processors import FilterDefaults, _default_exp, _is_showdoc, exec_show_docs
from nbdev.showdoc import show_doc
from tracks import track   # .ci/tracks.py: the course and the reference, by a notebook's number


# --- 1. API entries ------------------------------------------------------------------------------------------------

def source_link(obj) -> str:
    "The repository URL of the file and line where `obj` is defined; fails rather than link to `#LNone`."
    obj = inspect.unwrap(obj)
    path = Path(inspect.getsourcefile(obj)).resolve()
    line = inspect.getsourcelines(obj)[1]
    package_root = Path(importlib.import_module(CFG["lib_path"]).__file__).resolve().parent.parent
    return f"{CFG['git_url']}/blob/{CFG['branch']}/{path.relative_to(package_root).as_posix()}#L{line}"

def annotation_text(annotation) -> str:
    "`int`, `Optional[str]`, `np.ndarray`: an annotation as a reader would write it, or '' when there is none."
    if annotation is inspect.Parameter.empty or annotation is None: return ""
    return readable(inspect.formatannotation(annotation))

def readable(text: str) -> str:
    "A repr without what changes from run to run: `<function f at 0x7f...>` -> `f`, `<class 'm.C'>` -> `C`."
    text = re.sub(r"<function ([\w.]+) at 0x[0-9a-f]+>", lambda m: m.group(1).split(".")[-1], text)
    text = re.sub(r"<class '([\w.]+)'>", lambda m: m.group(1).split(".")[-1], text)
    return re.sub(r"\bnumpy\.", "np.", text.replace("typing.", ""))

def cell_text(text: str) -> str:
    "`text` made safe inside a markdown table cell."
    return text.replace("|", r"\|").replace("\n", " ")

def field_help(obj) -> dict:
    "A dataclass's help texts per field (camseg's `setting(default, help)`), which describe its parameters."
    if not (inspect.isclass(obj) and is_dataclass(obj)): return {}
    return {f.name: f.metadata.get("help") for f in fields(obj) if f.metadata.get("help")}

def parameter_rows(obj) -> list:
    "(name, type, default, description) per parameter of a function or a class's constructor, then the return value."
    try: signature = inspect.signature(obj)
    except (TypeError, ValueError): return []
    comments, helps, rows = docments(obj, full=True, args_kwargs=True), field_help(obj), []
    for name, p in signature.parameters.items():
        star = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        default = "" if p.default is p.empty else readable(repr(p.default))
        description = (comments.get(name) or {}).get("docment") or helps.get(name) or ""
        rows.append((f"{star}{name}", annotation_text(p.annotation), default, description))
    returns = comments.get("return") or {}
    if not inspect.isclass(obj) and (returns.get("docment") or annotation_text(signature.return_annotation)):
        rows.append(("**returns**", annotation_text(signature.return_annotation), "", returns.get("docment") or ""))
    return rows

class ApiDoc:
    "`show_doc`'s renderer for the site: the name as a heading, a source link, the signature, the docstring, a parameter table."
    def __init__(self, sym, name=None, title_level=3, module=None):
        # nbdev hands over the objects that the docs build defined in its own shell; document the package's own
        if module is not None and getattr(sym, "__module__", None) == "__main__":
            sym = _attr_path(module, sym.__qualname__, default=sym)
        self.sym, self.name, self.title_level = sym, name or sym.__qualname__, title_level

    def signature(self) -> str:
        "`def f(a: int, b=2) -> str`, one parameter a line when that is too long to read on one."
        kind, name = "class" if inspect.isclass(self.sym) else "def", self.name.split(".")[-1]
        try: sig = inspect.signature(self.sym)
        except (TypeError, ValueError):   # a class without a constructor of its own, like an exception: its bases
            bases = ", ".join(b.__name__ for b in getattr(self.sym, "__bases__", ()) if b is not object)
            return f"{kind} {name}({bases})" if kind == "class" else f"{kind} {name}(...)"
        one_line = readable(f"{kind} {name}{sig}")
        if len(one_line) <= 90 or not sig.parameters: return one_line
        params = ",\n".join(f"    {readable(str(p))}" for p in sig.parameters.values())
        returns = "" if sig.return_annotation is sig.empty else f" -> {annotation_text(sig.return_annotation)}"
        return f"{kind} {name}(\n{params}\n){returns}"

    def docstring(self) -> str:
        "The object's own docstring (not one inherited from a base class, nor the one a dataclass makes up)."
        doc = self.sym.__doc__ or ""
        if is_dataclass(self.sym) and doc.startswith(f"{self.sym.__name__}("): return ""
        return inspect.cleandoc(doc)

    def _repr_markdown_(self) -> str:
        parts = [f"{'#' * self.title_level} {self.name}", f"[source]({source_link(self.sym)}){{.api-source}}",
                 f"```python\n{self.signature()}\n```", self.docstring()]
        rows = parameter_rows(self.sym)
        if rows:
            table = ["| Parameter | Type | Default | Description |", "|---|---|---|---|"]
            table += [f"| {cell_text(n if n.startswith('**') else f'`{n}`')} | {cell_text(f'`{t}`' if t else '')} "
                      f"| {cell_text(f'`{d}`' if d else '')} | {cell_text(desc)} |" for n, t, d, desc in rows]
            parts.append("\n".join(table))
        return "\n\n".join(p for p in parts if p)

def _attr_path(obj, dotted: str, default=None):
    for name in dotted.split("."):
        obj = getattr(obj, name, None)
        if obj is None: return default
    return obj

def runs_in_docs(cell) -> bool:
    "Only cells of imports or `show_doc` calls run while the docs are built; everything else keeps its committed outputs."
    if cell.cell_type != "code" or not cell.source or "eval:" in cell.directives_: return False
    trees = cell.parsed_()
    if not trees: return False
    return all(isinstance(t, (ast.Import, ast.ImportFrom)) for t in trees) or bool(_is_showdoc(cell))

class run_show_docs(exec_show_docs):
    "nbdev's `exec_show_docs`, documenting the package's objects with `ApiDoc`, and running only `runs_in_docs` cells."
    def begin(self):
        super().begin()
        if not hasattr(self, "k"): return
        module = _default_exp(self.nb)
        module = importlib.import_module(f"{CFG['lib_name']}.{module}") if module else None
        if module is not None: self.k.run_cell(f"from {module.__name__} import *")
        self.k.user_ns["show_doc"] = partial(show_doc, renderer=partial(ApiDoc, module=module))

    def __call__(self, cell):
        if not self.nb.has_docs_ or not hasattr(self, "k") or not runs_in_docs(cell): return
        self.k.cell(cell)
        if self.k.exc: raise RuntimeError(f"{self.nb.path_}: cell {cell.idx_} failed in the docs build:\n{cell.source}") from self.k.exc[1]

class DocsFilter(FilterDefaults):
    "nbdev's docs processors, with `run_show_docs` in place of `exec_show_docs`."
    def base_procs(self):
        return [run_show_docs if p is exec_show_docs else p for p in super().base_procs()]

def process(nb_path: Path):
    "nbdev's processing of one notebook for the docs."
    nb = read_nb(nb_path)
    nb.path_ = str(nb_path)   # nbdev's front matter names the page after the notebook's path
    NBProcessor(nb=nb, procs=DocsFilter().procs()).process()
    return nb


# --- 2. MyST-NB notebooks ------------------------------------------------------------------------------------------

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"   # an ipywidgets output (step 7's frame browser)
WIDGET_NOTE = "(an interactive widget: open the notebook in Jupyter or Colab to use it; its still follows)"
QUARTO_TAGS = {("echo", "false"): "remove-input", ("output", "false"): "remove-output", ("include", "false"): "remove-cell"}
SETUP_CELL = "# Set-up. In Colab"   # how each lesson's first code cell begins: it installs camseg in Colab, for the
                                    # notebook only; the docs page leaves it out

def is_setup_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(SETUP_CELL)

def cell_options(cell) -> dict:
    "The Quarto cell options that nbdev leaves at the top of a code cell (`#| echo: false`), removed from the source."
    lines, options = cell.source.splitlines(), {}
    while lines and lines[0].startswith("#|"):
        key, _, value = lines.pop(0)[2:].partition(":")
        options[key.strip()] = value.strip().strip('"').lower()
    cell.source = "\n".join(lines)
    return options

def site_link(match) -> str:
    "https://camseg.github.io/camseg/dataset.html#rgb_to_index -> dataset.html#rgb-to-index (Sphinx's ids)"
    page, anchor = match.group(1) or "index.html", match.group(2)
    return page + (f"#{make_id(anchor)}" if anchor else "")

def relative_links(text: str) -> str:
    "Links into the published site made relative, so that a local copy of the site links to itself."
    return re.sub(re.escape(SITE_URL) + r"([\w-]*\.html)?(?:#([\w.-]+))?", site_link, text)

def asis_markdown(cell) -> str:
    "The markdown that a cell with Quarto's `output: asis` displays (nbdev's `show_doc` cells)."
    texts = ["".join(o["data"]["text/markdown"]) for o in cell.get("outputs", []) if "text/markdown" in o.get("data", {})]
    return relative_links("\n\n".join(texts))

def as_myst(nb, title: str) -> None:
    "Quarto's cell options to myst-nb tags, the front matter back to an H1 and a summary, site links relative."
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.startswith("---"):
            cell.cell_type, cell.source = "markdown", ""   # the front matter, replaced below
        if cell.cell_type == "code":
            options = cell_options(cell)
            if options.get("output") == "asis":   # show_doc: its markdown becomes part of the page, as in Quarto
                cell.cell_type, cell.source = "markdown", asis_markdown(cell)
                cell.pop("outputs", None); cell.pop("execution_count", None); cell.metadata = {}
                continue
            tags = [tag for (key, value), tag in QUARTO_TAGS.items() if options.get(key) == value]
            if is_setup_cell(cell): tags = ["remove-cell"]
            cell.metadata = {"tags": tags} if tags else {}
            for output in cell.get("outputs", []):
                markdown = output.get("data", {}).get("text/markdown")
                if markdown: output["data"]["text/markdown"] = relative_links("".join(markdown))
                if output.get("data", {}).pop(WIDGET_VIEW, None) is not None:   # a live widget: no state on the page
                    output["data"]["text/plain"] = WIDGET_NOTE
        elif cell.cell_type == "markdown":
            cell.source = relative_links(cell.source)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python", "pygments_lexer": "ipython3"}}   # `!pip` lines are IPython
    summary = nb.frontmatter_.get("description", "")
    nb.cells = [c for c in nb.cells if c.source or c.get("outputs")]
    nb.cells.insert(0, mk_cell(f"# {title}\n\n{summary}".strip(), "markdown"))

def title_of(nb) -> str:
    "The page's title: the notebook's H1, which nbdev moved into the front matter."
    return nb.frontmatter_.get("title") or Path(nb.path_).stem

def toctree(pages: list, caption: str, home: bool = False) -> str:
    "One captioned section of the site's table of contents, which Sphinx turns into the sidebar and the previous/next links."
    entries = "\n".join((["Home <self>"] if home else []) + [Path(p).stem for p in pages])
    return f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n:caption: {caption}\n\n{entries}\n```"

def notebooks() -> list:
    "nbs/*.ipynb in course order: the home page (index.ipynb), then the file order."
    paths = sorted((ROOT / CFG["nbs_path"]).glob("*.ipynb"))
    return sorted(paths, key=lambda p: p.stem != "index")

def write_sources(out: Path) -> list:
    "Stages 1 and 2: a MyST-NB notebook per page in `out`; returns the page names."
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    pages, sections = [], {"Course": [], "Reference": []}
    for nb_path in notebooks():
        nb = process(nb_path)
        page = _nbpath2html(nb_path).with_suffix(".ipynb").name   # 02_dataset.ipynb -> dataset.ipynb
        as_myst(nb, title_of(nb))
        pages.append((page, nb))
        if page != "index.ipynb": sections[track(nb_path)].append(page)
    home = next(nb for page, nb in pages if page == "index.ipynb")
    for caption, section in sections.items():
        home.cells.append(mk_cell(toctree(section, caption, home=caption == "Course"), "markdown"))
    for page, nb in pages:
        write_nb(nb, out / page)
    return [page for page, _ in pages]


# --- 3. Sphinx -----------------------------------------------------------------------------------------------------

def build(site: Path) -> None:
    from sphinx.cmd.build import build_main
    pages = write_sources(PROC)
    print(f"processed {len(pages)} notebooks into {PROC.relative_to(ROOT)}")
    # Sphinx writes into _proc/html (myst-nb keeps its figures beside it, in _proc/jupyter_execute), then the site
    # is copied to `site`, so that nothing else appears next to it
    html = PROC.parent / "html"
    if html.exists(): shutil.rmtree(html)
    args = ["-b", "html", "-q", "-W", "--keep-going", "-c", str(ROOT / ".ci" / "sphinx"),
            "-d", str(PROC.parent / "doctrees"), str(PROC), str(html)]
    if build_main(args): sys.exit("Sphinx failed: see its messages above.")
    if site.exists(): shutil.rmtree(site)
    shutil.copytree(html, site)

if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_site").resolve()
    build(site)
    print(f"site in {site} ({len(list(site.glob('*.html')))} pages) in {time.time() - START:.0f} s")
