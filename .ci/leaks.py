"""Fail if a committed notebook output shows the machine it ran on: an absolute path, or a warning on stderr.

Every output of every notebook in nbs/ is scanned: streams, text, HTML and other text-like outputs. A hit names the
notebook, the cell and what was found. Usage: python .ci/leaks.py [NOTEBOOK ...]   (default: nbs/*.ipynb)"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABSOLUTE_PATH = re.compile(r"(?<![\w.])(/home/|/root\b|/tmp/|/var/tmp/|/work/|/content/|/Users/|[A-Z]:\\Users\\)"
                           r"|site-packages|dist-packages|\.venv/|/venv/|virtualenvs")
WARNING = re.compile(r"\w*Warning\b|warnings\.warn|^\s*warn", re.M)

def output_texts(output: dict) -> list:
    "(where, text) for each text-like part of one output."
    if output.get("output_type") == "stream":
        return [(output.get("name", "stream"), "".join(output.get("text", "")))]
    if output.get("output_type") == "error":
        return [("error", "\n".join(output.get("traceback", [])))]
    data = output.get("data", {})
    return [(kind, "".join(value) if isinstance(value, list) else str(value))
            for kind, value in data.items() if kind.startswith("text/") or kind.endswith("json")]

def leaks(nb_path: Path) -> list:
    "'notebook cell N (where): what' for each leak in the notebook's outputs."
    found = []
    for i, cell in enumerate(json.loads(nb_path.read_text())["cells"]):
        for output in cell.get("outputs", []):
            for where, text in output_texts(output):
                path = ABSOLUTE_PATH.search(text)
                if path:
                    found.append(f"{nb_path.name} cell {i} ({where}): absolute path {path.group(0)!r} in "
                                 f"{text[max(0, path.start() - 40):path.end() + 40]!r}")
                if where == "stderr" and WARNING.search(text):
                    found.append(f"{nb_path.name} cell {i} (stderr): a warning: {text.strip()[:160]!r}")
    return found

if __name__ == "__main__":
    notebooks = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "nbs").glob("*.ipynb"))
    found = [leak for nb in notebooks for leak in leaks(nb)]
    print("\n".join(found) or f"no leaks in the outputs of {len(notebooks)} notebooks")
    sys.exit(1 if found else 0)
