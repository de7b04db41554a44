"""The course's two tracks, by a notebook's number, for the scripts in .ci/ (docs, README, prose numbers, browser test).

Notebooks numbered below REFERENCE_FROM are the course (the opening, the seven steps, the optional lessons, in file
order); those numbered REFERENCE_FROM and up are the reference. The home page (index.ipynb) has no number."""
import re
from pathlib import Path

REFERENCE_FROM = 20

def track(nb: Path):
    "'Course', 'Reference', or None for a notebook without a number (the home page)."
    number = re.match(r"\d+", Path(nb).stem)
    if not number: return None
    return "Reference" if int(number.group()) >= REFERENCE_FROM else "Course"

def page_name(nb: Path) -> str:
    "02_dataset.ipynb -> dataset.html, as nbdev names pages."
    return re.sub(r"^\d+[a-zA-Z0-9]*_", "", Path(nb).stem.lower()) + ".html"
