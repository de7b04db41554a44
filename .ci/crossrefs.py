"""Every "step N" link names what that step really has: `python .ci/crossrefs.py [--self-test]`.

In the prose of every notebook, a link whose text says "step N" (`[step 3](split.html)`, or a full address of the
site) points to a lesson. What the link says about that lesson is the phrase around it: from the last `,` `;` `:`
`.` or bracket before it to the first one after it. Each camseg function, class or method that this phrase names in
backticks, or that it calls "it" or "them" (then the camseg name nearest before it in the sentence), must be one
that the linked lesson defines or calls in its code cells: "`show_batch` ... ([step 3](split.html) used it)" fails
when step 3 never calls `show_batch`. Names that are no part of camseg (`DataLoader`, `masks=`, `real[0]`) are not
checked. `--self-test` checks that wrong references are reported and right ones are not."""
import ast, json, re, sys
from pathlib import Path

from tracks import page_name   # .ci/tracks.py

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / "nbs"
LINK = re.compile(r"\[([^\]]*\bstep \d\b[^\]]*)\]\((?:https://camseg\.github\.io/camseg/)?([\w-]+\.html)(?:#[\w.-]*)?\)", re.I)
MDLINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
TICKED = re.compile(r"`([^`\n]+)`")
PHRASE_END, SENTENCE_END = set(",;:.()"), set(".;!?")
PRONOUN = re.compile(r"\b(?:it|them)\b")

def code_trees(nb: dict) -> list:
    "The parsed code cells of a notebook (IPython's `%` and `!` lines left out; cells that do not parse skipped)."
    trees = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code": continue
        source = "\n".join(l for l in "".join(cell["source"]).splitlines() if not l.lstrip().startswith(("%", "!")))
        try: trees.append(ast.parse(source))
        except SyntaxError: pass
    return trees

def defined_or_called(nb: dict) -> set:
    "The names a notebook defines (functions, classes, methods) or calls (`f(...)`, `x.f(...)`)."
    names = set()
    for tree in code_trees(nb):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Call):
                f = node.func
                names.add(f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "")
    return names - {""}

def camseg_names(package: Path = ROOT / "camseg") -> set:
    "Every function, class and method that camseg's modules define."
    names = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                names.add(node.name)
    return names

def named(text: str, api: set) -> list:
    "The camseg names in backticks in `text`: `show_batch`, `result.camvid11()`, `frame_iou(...)` -> the last name."
    out = []
    for ticked in TICKED.findall(text):
        name = re.sub(r"\(.*\)$", "", ticked.strip()).split(".")[-1]
        if re.fullmatch(r"[A-Za-z_]\w*", name) and name in api: out.append(name)
    return out

def tokens(text: str) -> list:
    "The prose as tokens: `('link', text, whole link)`, `('code', inner)`, or `('char', c)` for everything else."
    out, pos = [], 0
    for m in re.finditer(r"\[[^\]]*\]\([^)\s]*\)|`[^`\n]+`", text):
        out += [("char", c) for c in text[pos:m.start()]]
        out.append(("code", m.group()[1:-1]) if m.group().startswith("`") else ("link", MDLINK.match(m.group()).group(1), m.group()))
        pos = m.end()
    return out + [("char", c) for c in text[pos:]]

def referred(toks: list, k: int, api: set) -> list:
    "The camseg names that the phrase around the link `toks[k]` names, or calls it/them."
    left = k
    while left > 0 and not (toks[left - 1][0] == "char" and toks[left - 1][1] in PHRASE_END): left -= 1
    right = k + 1
    while right < len(toks) and not (toks[right][0] == "char" and toks[right][1] in PHRASE_END): right += 1
    phrase = toks[left:right]
    names = named(toks[k][1], api) + [n for t in phrase if t[0] == "code" for n in named(f"`{t[1]}`", api)]
    if PRONOUN.search("".join(t[1] if t[0] != "code" else " x " for t in phrase)):
        j = left - 1
        while j >= 0 and not (toks[j][0] == "char" and toks[j][1] in SENTENCE_END):
            if toks[j][0] == "code" and named(f"`{toks[j][1]}`", api):
                names += named(f"`{toks[j][1]}`", api); break
            j -= 1
    return names

def problems(notebooks: list, api: set) -> list:
    "`notebook cell i: [step N](page) names `f`, which that lesson neither defines nor calls`, for each such link."
    pages = {page_name(p): p for p in notebooks}
    used = {}
    out = []
    for path in notebooks:
        for i, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] != "markdown": continue
            toks = tokens("".join(cell["source"]))
            for k, tok in enumerate(toks):
                found = LINK.fullmatch(tok[2]) if tok[0] == "link" else None
                if not found or found.group(2) not in pages: continue
                text, page = found.group(1), found.group(2)
                if page not in used: used[page] = defined_or_called(json.loads(pages[page].read_text()))
                out += [f"{path.name} cell {i}: [{text}]({page}) names `{name}`, which {pages[page].name} neither "
                        f"defines nor calls" for name in referred(toks, k, api) if name not in used[page]]
    return out

def self_test() -> None:
    import tempfile
    def nb(*cells): return json.dumps({"cells": list(cells)})
    def md(text): return {"cell_type": "markdown", "metadata": {}, "source": [text]}
    def code(text): return {"cell_type": "code", "metadata": {}, "outputs": [], "source": [text]}
    with tempfile.TemporaryDirectory() as tmp:
        split, viz = Path(tmp) / "03_split.ipynb", Path(tmp) / "07_viz.ipynb"
        split.write_text(nb(code("x = denormalize(batch)\nshown = palette[mask]")))
        viz.write_text(nb(md("`show_batch` overlays a batch ([step 3](split.html) used it on a training batch). "
                             "[Step 3](https://camseg.github.io/camseg/split.html#data-loaders) called `denormalize`; "
                             "`show_batch` does more. `show_batch`, with step 5's `train_transforms`, split as "
                             "[step 3](split.html) does. [Step 3](split.html)'s `train_transforms`."),
                          code("def show_batch(batch): ...")))
        found = problems([split, viz], {"show_batch", "denormalize", "train_transforms"})
        assert found == ["07_viz.ipynb cell 0: [step 3](split.html) names `show_batch`, which 03_split.ipynb neither "
                         "defines nor calls", "07_viz.ipynb cell 0: [Step 3](split.html) names `train_transforms`, "
                         "which 03_split.ipynb neither defines nor calls"], found

if __name__ == "__main__":
    self_test()
    if "--self-test" in sys.argv: sys.exit(print("crossrefs: the self-test passed"))
    notebooks = sorted(NBS.glob("*.ipynb"))
    found = problems(notebooks, camseg_names())
    print("\n".join(found), file=sys.stderr)
    if found: sys.exit(f"{len(found)} link(s) to a step that names what the step does not have")
    print(f"every 'step N' link in {len(notebooks)} notebooks names only what the linked lesson defines or calls")
