"""Write README.md from nbs/index.ipynb (its markdown cells), or with --check fail if they differ.

nbdev_readme needs Quarto, which cannot be installed everywhere; the home page is plain markdown, so this is enough."""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
cells = json.loads((root / "nbs" / "index.ipynb").read_text())["cells"]
text = "\n\n".join("".join(c["source"]).strip() for c in cells if c["cell_type"] == "markdown") + "\n"
readme = root / "README.md"
if "--check" in sys.argv:
    if readme.read_text() != text:
        sys.exit("README.md differs from nbs/index.ipynb: run `python .ci/readme.py` and commit.")
else:
    readme.write_text(text)
