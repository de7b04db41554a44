"""Fail if a notebook asserts on a time, a speed-up or a ratio of times.

A timing depends on the machine and on what else runs on it: a Colab VM, a laptop or a shared CI runner moves it
by more than any bound a test could set, and a student then sees a red traceback in a lesson that did nothing
wrong. Notebooks measure and show timings; they assert only on correctness.

Every `assert` statement and every call of a `test_*` function (fastcore.test) in the code cells of nbs/ is read
with Python's own parser. It is a timing assertion when a name it uses (a variable, an attribute, a keyword, a
function, or a string used as a subscript such as `card["latency_ms"]`) has a part, split at `_`, that names a
time: `ratio`, `speedup`, `elapsed`, `seconds`, `timer`, `time`, `latency`, `duration`, `ms`, `s` (as the last
part, `camseg_s`), `perf_counter`, `monotonic`, `timeit`, `sleep`. A name that the cell assigns from such an
expression counts too (`short, long = median_times(...)`), and what a `drop_*` function is given does not (it takes
the times out), nor what `sorted`, `len`, `set`, `list`, `type`, `isinstance` or `.keys()` are given (the keys or
the number of a timing's values are no time). Each one found is printed with its notebook, cell and line.

Usage: python .ci/timing_asserts.py [NOTEBOOK ...]   (default: every notebook in nbs/)"""
import ast, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMING = {"ratio", "speedup", "elapsed", "seconds", "secs", "timer", "time", "times", "latency", "duration", "ms",
          "perf", "counter", "monotonic", "timeit", "sleep", "wall", "speed"}
LAST_ONLY = {"s"}  # camseg_s, export_s: seconds as a suffix

SHAPE_ONLY = {"sorted", "len", "set", "list", "type", "isinstance", "keys"}  # what they give of a timing is no time

def skipped(call: ast.AST) -> bool:
    "Calls whose result holds no time: `drop_*(x)` takes the times out, `sorted(x)`, `len(x)`, `x.keys()`…"
    if not isinstance(call, ast.Call): return False
    f = call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else ""
    return f.startswith("drop_") or f in SHAPE_ONLY

def walk(node: ast.AST):
    "ast.walk, except inside the calls that `skipped` names."
    yield node
    for child in ast.iter_child_nodes(node):
        if not skipped(child):
            yield from walk(child)

def names_in(node: ast.AST, keywords: bool = True) -> set:
    "The names an expression uses: variables, attributes, keywords (if `keywords`), and string subscripts."
    found = set()
    for n in walk(node):
        if isinstance(n, ast.Name): found.add(n.id)
        elif isinstance(n, ast.Attribute): found.add(n.attr)
        elif isinstance(n, ast.keyword) and n.arg and keywords: found.add(n.arg)
        elif isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str):
            found.add(n.slice.value)
    return found

def is_timing(name: str) -> bool:
    "Does a name, split at `_` (and at case changes), name a time?"
    parts = [p.lower() for p in re.split(r"_|(?<=[a-z])(?=[A-Z])", name) if p]
    return any(p in TIMING for p in parts) or bool(parts and parts[-1] in LAST_ONLY and len(parts) > 1)

def assertions(tree: ast.AST):
    "The assert statements and test_* calls in a parsed cell."
    for n in ast.walk(tree):
        if isinstance(n, ast.Assert):
            yield n
        elif isinstance(n, ast.Call):
            f = n.func.id if isinstance(n.func, ast.Name) else n.func.attr if isinstance(n.func, ast.Attribute) else ""
            if f.startswith("test_") or f.startswith("assert"):
                yield n

def timed_names(tree: ast.AST) -> set:
    """Names that a cell assigns from an expression that uses a timing name (`short, long = median_times(...)`).
    Where one of several names assigned together names a time itself (`result, seconds = ...`), only it does."""
    timed, grew = set(), True
    while grew:
        grew = False
        for n in ast.walk(tree):
            if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and n.value is not None:
                used = names_in(n.value, keywords=False)
                if any(is_timing(u) or u in timed for u in used):
                    targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                    names = {t.id for tg in targets for t in ast.walk(tg) if isinstance(t, ast.Name)}
                    if any(is_timing(t) for t in names): names = {t for t in names if is_timing(t)}
                    if names - timed: timed |= names; grew = True
    return timed

def check_cells(name: str, cells: list) -> list:
    "Lines `notebook cell N line M: source` of each timing assertion in a notebook's cells."
    problems = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code": continue
        src = "".join(cell["source"])
        # IPython's magics and shell lines are not Python: blank them, keeping the line numbers
        code = "\n".join(l[:len(l) - len(l.lstrip())] + "pass" if l.lstrip().startswith(("%", "!")) else l
                         for l in src.splitlines())
        try:
            tree = ast.parse(code)
        except SyntaxError as e:
            problems.append(f"{name} cell {i}: cannot be parsed ({e.msg}, line {e.lineno}); check it by hand")
            continue
        timed = timed_names(tree)
        for node in assertions(tree):
            timing = sorted(n for n in names_in(node) if is_timing(n) or n in timed)
            if timing:
                line = src.splitlines()[node.lineno - 1].strip()
                problems.append(f"{name} cell {i} line {node.lineno}: {line}   (names {', '.join(timing)})")
    return problems

def check(path: Path) -> list:
    "`check_cells` on one notebook file."
    return check_cells(path.name, json.loads(path.read_text())["cells"])

def self_test():
    "The check finds the timing assertions it was written for, and passes the correctness checks beside them."
    timing = ["test_close(median_time(lambda: time.sleep(0.02)), 0.02, eps=0.015)",
              "short, long = median_times([f, g])\nassert short < long",
              "assert 0.67 < again / results[name]['ratio'] < 1.5",
              "lat = latency_ms(f)\nassert lat['median'] < 50",
              "t0 = time.perf_counter(); f(); elapsed = time.perf_counter() - t0\nassert elapsed < 1",
              "test_eq(card['latency_ms'] > 0, True)",
              "if ok:\n    !pip install x\n    assert speedup >= 3"]
    correct = ["test_eq(calls, ['a', 'b'] * 4)", "lat = latency_ms(f)\ntest_eq(sorted(lat), ['median', 'p95'])",
               "assert 'ratio' not in diverged", "test_eq(drop_time(a), drop_time(b))",
               "r, seconds = wall_time('camseg')\ntest_eq(r.returncode, 0)", "test_eq(video_info(v), dict(fps=15.0))",
               "test_eq(ratios(fake), {'decode': (100.0, 50)})"]
    for code, expected in [(c, True) for c in timing] + [(c, False) for c in correct]:
        found = check_cells("self-test", [dict(cell_type="code", source=code)])
        assert bool(found) == expected, f"self-test: {'missed' if expected else 'flagged'} {code!r}: {found}"

if __name__ == "__main__":
    self_test()
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "nbs").glob("*.ipynb"))
    problems = [p for path in paths for p in check(path)]
    for p in problems: print(p)
    if problems:
        print(f"{len(problems)} assertions on timings in notebooks: show the timing, assert on correctness only.",
              file=sys.stderr)
        sys.exit(1)
    print(f"no timing assertions in {len(paths)} notebooks")
