"""Fail if a page with a Colab badge runs a cell that needs an optional extra of camseg that its install cell leaves out.

In Colab a page has what Colab ships and what its first cell installs (`pip install "camseg[onnx] @ git+..."`).
A cell that needs ONNX Runtime on a page that installed plain `camseg` stops there with `ExtraNotInstalledError`;
`.ci/colab.py` finds that in minutes per page, this check in a second, without running anything.

What needs an extra is read with Python's parser:
- The extras are those of settings.ini (`NAME_requirements`, not dev or docs) whose modules `EXTRAS` in camseg.core
  names (onnx: onnx, onnxscript, onnxruntime; video: imageio_ffmpeg). widgets is not checked: Colab ships ipywidgets.
- A function of camseg/*.py (or of a notebook's own cells) needs extra X if it imports one of X's modules, calls
  `import_extra(MODULE, "X")` or calls a function that needs X, unless it does so only under a condition: one branch
  of an `if` (both branches needing X need it), a conditional expression, the right side of `and`/`or`, an `except`.
  So `export_onnx` needs onnx; `Predictor.from_checkpoint`, which needs it only for an `.onnx` file, does not; and
  `run_bench`, which leaves the ONNX stages out when `missing_extra("onnx")`, does not either.
- A page's code cells (all of them: Colab runs `#| eval: false` cells too) need X by the same rules, so a cell under
  `if not missing_extra("X"):` needs nothing; and after a cell that skips the rest of the page without X
  (`if missing_extra("X"): ... input_transformers_post ...`), no cell needs X.
- The install cell installs X when its `pip install` names `camseg[...X...]`.
Calls are matched by name (`obj.export_onnx(...)` is `export_onnx`), and what a cell runs in a shell or a
subprocess (`!camseg export`, `subprocess.run(["camseg", "export", ...])`) is not read: guard such cells by hand.

Usage: python .ci/colab_extras.py [NOTEBOOK ...]   (default: every notebook in nbs/ with a Colab badge).
Each run first tests the check itself on planted pages (`self_test`): it must flag the wrong ones and pass the rest."""
import ast, configparser, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BADGE = "colab-badge"

def settings_extras() -> set:
    "The optional extras of settings.ini: `onnx_requirements = ...` -> 'onnx' (not dev or docs)."
    cfg = configparser.ConfigParser(delimiters=["="]); cfg.read(ROOT / "settings.ini", encoding="utf-8")
    return {k[:-len("_requirements")] for k in cfg["DEFAULT"] if k.endswith("_requirements")} - {"", "dev", "docs", "pip", "conda"}

def core_extras() -> dict:
    "`EXTRAS` of camseg/core.py, read without importing camseg: extra -> its modules."
    tree = ast.parse((ROOT / "camseg" / "core.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXTRAS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit("camseg/core.py defines no EXTRAS")

def callee(call: ast.Call) -> str:
    "`f(...)` and `obj.f(...)` -> 'f'."
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""

class Needs:
    "The extras that code needs when it runs, given `known`: function name -> the extras it needs."
    def __init__(self, known: dict, modules: dict):
        self.known, self.extra_of = known, {m: x for x, ms in modules.items() for m in ms}   # module -> extra

    def of(self, node) -> set:
        "The extras `node` (a statement, an expression, or a list of them) needs whenever it runs."
        if node is None: return set()
        if isinstance(node, list): return set().union(*(self.of(n) for n in node))
        if isinstance(node, ast.If):
            return self.of(node.test) | (self.of(node.body) & self.of(node.orelse))
        if isinstance(node, ast.IfExp):
            return self.of(node.test) | (self.of(node.body) & self.of(node.orelse))
        if isinstance(node, ast.BoolOp):
            return self.of(node.values[0])
        if isinstance(node, ast.Try):
            return self.of(node.body) | self.of(node.orelse) | self.of(node.finalbody)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            return {self.extra_of[n.split(".")[0]] for n in names if n.split(".")[0] in self.extra_of}
        found = set()
        if isinstance(node, ast.Call):
            found |= self.known.get(callee(node), set())
            if callee(node) == "import_extra":
                extra = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "extra"), None)
                if isinstance(extra, ast.Constant): found.add(extra.value)
        return found | self.of(list(ast.iter_child_nodes(node)))

def definitions(tree) -> list:
    """(name, definition) of every function and method in `tree`; a class's `__init__` under the class's name, which
    is how code calls it (nested functions belong to the function around them)."""
    out = []
    def visit(node, cls=None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((cls if cls and child.name == "__init__" else child.name, child))
            elif isinstance(child, ast.ClassDef): visit(child, child.name)
            elif not isinstance(child, ast.Lambda): visit(child, cls)
    visit(tree)
    return out

def needs_of_functions(trees: list, modules: dict, known: dict = None) -> dict:
    "Function name -> the extras it needs, over the definitions in `trees`, until nothing changes."
    known = {name: set(x) for name, x in (known or {}).items()}
    defs = [d for tree in trees for d in definitions(tree)]
    changed = True
    while changed:
        changed = False
        for name, d in defs:
            found = Needs(known, modules).of(d.body)
            if not found <= known.get(name, set()):
                known[name] = known.get(name, set()) | found; changed = True
    return known

def code_of(cell: dict) -> str:
    "A code cell's Python, IPython's `%` and `!` lines blanked (`pass`, keeping the indentation)."
    return "\n".join(l[:len(l) - len(l.lstrip())] + "pass" if l.lstrip().startswith(("%", "!")) else l
                     for l in "".join(cell["source"]).splitlines())

def installed(cells: list) -> set:
    "The extras the page's install cell names: `pip install ... 'camseg[onnx,video] @ ...'` -> {'onnx', 'video'}."
    pips = [l for c in cells if c["cell_type"] == "code" for l in "".join(c["source"]).splitlines() if "pip install" in l]
    return {x.strip() for l in pips for group in re.findall(r"camseg\[([^\]]*)\]", l) for x in group.split(",")}

def page_problems(name: str, cells: list, known: dict, modules: dict) -> list:
    "Lines `page cell N: needs camseg[X] ...` for each cell that needs an extra the install cell leaves out."
    code = [(i, c) for i, c in enumerate(cells) if c["cell_type"] == "code"]
    trees = []
    for i, cell in code:
        try: trees.append((i, ast.parse(code_of(cell))))
        except SyntaxError as e: return [f"{name} cell {i}: cannot be parsed ({e.msg}); check it by hand"]
    known = needs_of_functions([t for _, t in trees], modules, known)   # the page's own functions too
    needs, have, skipped, problems = Needs(known, modules), installed(cells), set(), []
    for i, tree in trees:
        body = [s for s in tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        for extra in sorted(needs.of(body) - have - skipped):
            problems.append(f"{name} cell {i}: needs camseg[{extra}], which its install cell does not install "
                            f"(it installs {', '.join(sorted(have)) or 'no extra'}): add it there, or guard the cell "
                            f"with `if not missing_extra({extra!r}):`")
        src = "".join(cells[i]["source"])
        if "input_transformers_post" in src:   # the rest of the page is skipped without these extras
            skipped |= set(re.findall(r"missing_extra\(['\"](\w+)['\"]\)", src))
    return problems

def library_needs(modules: dict) -> dict:
    "Function name -> extras, for camseg's own code."
    return needs_of_functions([ast.parse(p.read_text()) for p in sorted((ROOT / "camseg").glob("*.py"))], modules)

def self_test():
    "The check finds a page that needs an extra it does not install, and passes the pages that install or guard it."
    modules = {"onnx": ("onnx", "onnxruntime"), "video": ("imageio_ffmpeg",)}
    library = ast.parse(
        "def export_onnx(p): import_extra('onnx', 'onnx')\n"
        "def ort_session(p): return import_extra('onnxruntime', extra='onnx')\n"
        "class Predictor:\n"
        "    @classmethod\n"
        "    def from_checkpoint(cls, p):\n"
        "        if str(p).endswith('.onnx'): return ort_session(p)\n"
        "        return cls()\n"
        "def run_bench():\n"
        "    if missing_extra('onnx'): log('left out')\n"
        "    else: export_onnx(1)\n"
        "def cmd_export(a):\n"
        "    if a.int8: export_int8(a)\n"
        "    else: export_onnx(a)\n"
        "def export_int8(a): import_extra('onnx', 'onnx')\n"
        "def write_video(p): return import_extra('imageio_ffmpeg', 'video') or None\n"
        "class VideoFrames:\n"
        "    def __init__(self, p): self.n = write_video(p)\n")
    known = needs_of_functions([library], modules)
    for function, extras in [("export_onnx", {"onnx"}), ("ort_session", {"onnx"}), ("cmd_export", {"onnx"}),
                             ("from_checkpoint", set()), ("run_bench", set()), ("write_video", {"video"}), ("VideoFrames", {"video"}),
                             ("__init__", set())]:
        assert known.get(function, set()) == extras, f"self-test: {function} needs {known.get(function)}, not {extras}"
    def page(install, *cells):
        return [dict(cell_type="markdown", source=f"[![Open in Colab]({BADGE}.svg)]")] + \
               [dict(cell_type="code", source=s) for s in (f'if "google.colab" in sys.modules:\n    !pip install -q "{install} @ git+x"',) + cells]
    failing = [page("camseg", "export_onnx('m.pth')"),
               page("camseg", "def helper():\n    return ort_session('m.onnx')", "helper()"),
               page("camseg[video]", "import onnxruntime"),
               page("camseg", "x = {a: p.cmd_export(a) for a in args}"),
               page("camseg", "run_bench()\nfrom imageio_ffmpeg import read_frames"),
               page("camseg[onnx]", "frames = VideoFrames('drive.mp4')")]
    passing = [page("camseg[onnx]", "export_onnx('m.pth')"),
               page("camseg[onnx,video]", "write_video('v.mp4')", "import onnx"),
               page("camseg", "if not missing_extra('onnx'):\n    export_onnx('m.pth')"),
               page("camseg", "if missing_extra('onnx'):\n    get_ipython().input_transformers_post.append(lambda l: [])",
                    "export_onnx('m.pth')"),
               page("camseg", "Predictor.from_checkpoint('best.pth')\nrun_bench()", "def later():\n    export_onnx(1)")]
    for cells, expected in [(c, True) for c in failing] + [(c, False) for c in passing]:
        found = page_problems("self-test", cells, known, modules)
        assert bool(found) == expected, f"self-test: {'missed' if expected else 'flagged'} {cells[2:]}: {found}"

if __name__ == "__main__":
    self_test()
    modules = core_extras()
    unknown = set(modules) - settings_extras()
    if unknown:
        sys.exit(f"EXTRAS in camseg/core.py names {', '.join(sorted(unknown))}, which settings.ini has no "
                 "NAME_requirements line for: pip install 'camseg[NAME]' would install nothing.")
    known = library_needs(modules)
    paths = [Path(p) for p in sys.argv[1:]] or sorted(p for p in (ROOT / "nbs").glob("*.ipynb") if BADGE in p.read_text())
    problems = [p for path in paths for p in page_problems(path.name, json.loads(path.read_text())["cells"], known, modules)]
    for p in problems: print(p)
    if problems:
        print(f"{len(problems)} cells need an extra that their page does not install: in Colab they stop there.",
              file=sys.stderr)
        sys.exit(1)
    library = sorted(f"{name} ({', '.join(sorted(x))})" for name, x in known.items() if x)
    print(f"{len(paths)} pages with a Colab badge install the extras their cells need "
          f"({len(library)} functions of camseg need one)")
