"""Every score the prose states must be one that was measured: `python .ci/prose_numbers.py [NOTEBOOK ...]`.

It takes every number written with three decimals (0.xxx) in the markdown cells of the course's lessons (notebooks
numbered below 20, and the home page, from which README.md is written). Each must appear in an output of the same
notebook (an output's number rounded to three decimals counts: 0.4712 backs 0.471), or in a report card the
notebook names (`reports/NAME.json`, or the run's name `NAME` in backticks, for a card nbs/reports/NAME.json).
A number in `inline code` or a code block is code, not a score, and is not checked. A number that is no score
(ImageNet's mean and standard deviation, which the lessons quote) is listed in CONSTANTS.

The CPU recipe's training time is one fact, measured once: its report card's `training_minutes`
(nbs/reports/cpu_recipe.json), stated in step 5 with the machine's state. Every sentence of the prose that names the
CPU recipe (`CPU recipe`, `cpu_recipe`, `--recipe cpu`) and a number of minutes must give that number, to one
decimal; so must `camseg train --recipe cpu`'s help (RECIPE_HELP in camseg/cli.py), if it quotes one.

A mismatch fails, naming the notebook, the cell and the number. `--self-test` plants a wrong number and a right one
in a copy of a lesson and checks that only the wrong one is reported, so that the check can fail; and does the same
for a training time."""
import json, re, sys
from pathlib import Path

from tracks import track   # .ci/tracks.py

ROOT = Path(__file__).resolve().parent.parent
NBS, REPORTS = ROOT / "nbs", ROOT / "nbs" / "reports"
SCORE = re.compile(r"(?<![\d.])0\.\d{3}(?!\d)")          # 0.471, not 10.471, 0.4712 or 1.471
NUMBER = re.compile(r"(?<![\d.])\d+\.\d+(?:e-?\d+)?")     # any decimal number in an output or a card
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)          # code blocks and inline code
CONSTANTS = {"0.485", "0.456", "0.406", "0.229", "0.224", "0.225"}   # ImageNet's mean and std, not scores

def rounded(text: str) -> set:
    "Every decimal number in `text`, as it reads at three decimals."
    out = set()
    for m in NUMBER.findall(text):
        try: out.add(f"{float(m):.3f}")
        except ValueError: pass
    return out

def output_text(cell) -> str:
    parts = []
    for o in cell.get("outputs", []):
        parts.append("".join(o.get("text", "")))
        for kind, value in o.get("data", {}).items():
            if kind.startswith("text/"): parts.append("".join(value))
    return "\n".join(parts)

def card_numbers(name: str) -> set:
    def walk(v):
        if isinstance(v, dict): return set().union(*map(walk, v.values())) if v else set()
        if isinstance(v, list): return set().union(*map(walk, v)) if v else set()
        return {f"{v:.3f}"} if isinstance(v, float) else set()
    return walk(json.loads((REPORTS / f"{name}.json").read_text()))

def cards_named(text: str) -> set:
    "The report cards a text names: `reports/NAME.json`, or a card's run name in backticks."
    names = set(re.findall(r"reports/(\w+)\.json", text)) | set(re.findall(r"`(\w+)`", text))
    return {n for n in names if (REPORTS / f"{n}.json").is_file()}

def check(path: Path) -> list:
    "(cell index, number) for each prose score of `path` that no output and no named card backs."
    cells = json.loads(path.read_text())["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    measured = set().union(*(rounded(output_text(c)) for c in cells)) if cells else set()
    for name in cards_named("\n".join(markdown)):
        measured |= card_numbers(name)
    wrong = []
    for i, c in enumerate(cells):
        if c["cell_type"] != "markdown": continue
        for number in SCORE.findall(CODE.sub("", "".join(c["source"]))):
            if number not in measured and number not in CONSTANTS:
                wrong.append((i, number))
    return wrong

RECIPE = re.compile(r"CPU recipe|cpu_recipe|--recipe cpu", re.I)   # a sentence about the CPU recipe
MINUTES = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:minutes|min)\b")
SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n\s*\n|\n\s*(?:[-*]|\d+\.)\s")          # sentences, paragraphs, list items

def training_minutes() -> str:
    "The CPU recipe's training time, as its report card has it: minutes, to one decimal."
    return f"{json.loads((REPORTS / 'cpu_recipe.json').read_text())['training_minutes']:.1f}"

def time_mentions(text: str) -> list:
    "The numbers of minutes in the sentences of `text` that name the CPU recipe (numbers in code do not count)."
    return [m for sentence in SENTENCE.split(text) if RECIPE.search(sentence)
            for m in MINUTES.findall(CODE.sub("", sentence))]

def time_problems(path: Path, minutes: str) -> list:
    "(cell index, number) for each training time of the CPU recipe in the prose of `path` that is not `minutes`."
    cells = json.loads(path.read_text())["cells"]
    return [(i, m) for i, c in enumerate(cells) if c["cell_type"] == "markdown"
            for m in time_mentions("".join(c["source"])) if m != minutes]

def help_problems(minutes: str) -> list:
    "The training times that `--recipe cpu`'s help quotes, if any is not `minutes`."
    source = (ROOT / "camseg" / "cli.py").read_text()
    found = re.search(r"^RECIPE_HELP = \((.*?)\)\n", source, re.S | re.M)
    text = "".join(re.findall(r'"([^"]*)"', found.group(1))) if found else ""
    return [m for m in MINUTES.findall(text.split("cpu:", 1)[-1]) if m != minutes]

def lessons() -> list:
    return [p for p in sorted(NBS.glob("*.ipynb")) if track(p) in (None, "Course")]   # the home page, the lessons

def self_test() -> None:
    import tempfile
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["mIoU 0.512, accuracy 0.871, `lr=0.002`"]},
                    {"cell_type": "code", "metadata": {}, "source": [], "execution_count": 1,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": ["accuracy 0.8712\n"]}]}]}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "01_x.ipynb"
        path.write_text(json.dumps(nb))
        assert check(path) == [(0, "0.512")], check(path)
        times = ["The CPU recipe trains in about 22 minutes on a free CPU.", "`cpu_recipe`: 43.5 minutes, busy.",
                 "LR-ASPP trains in 8.8 minutes.\n\n- the CPU recipe, `--epochs 22` min"]
        path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": [t]} for t in times]}))
        assert time_problems(path, "43.5") == [(0, "22")], time_problems(path, "43.5")

if __name__ == "__main__":
    self_test()
    paths = [Path(a) for a in sys.argv[1:] if not a.startswith("-")] or lessons()
    failures = [(p, i, n) for p in paths for i, n in check(p)]
    for p, i, n in failures:
        print(f"{p.relative_to(ROOT) if p.is_absolute() else p}: cell {i}: {n} is in no output of the notebook "
              f"and in no report card it names", file=sys.stderr)
    minutes = training_minutes()
    times = [(p, i, m) for p in paths for i, m in time_problems(p, minutes)]
    for p, i, m in times:
        print(f"{p.relative_to(ROOT) if p.is_absolute() else p}: cell {i}: the CPU recipe's training time is {m} "
              f"minutes here, {minutes} in its report card (nbs/reports/cpu_recipe.json)", file=sys.stderr)
    for m in help_problems(minutes):
        print(f"camseg/cli.py: `--recipe cpu`'s help says {m} minutes, the report card {minutes}", file=sys.stderr)
    wrong = len(failures) + len(times) + len(help_problems(minutes))
    if wrong: sys.exit(f"{wrong} prose number(s) that nothing measured backs, or that differ from the measured one")
    print(f"every 0.xxx in the prose of {len(paths)} notebooks is backed by an output or a named report card; "
          f"the CPU recipe's training time is {minutes} minutes wherever it is stated")
