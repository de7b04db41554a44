"""Figures at screen resolution: `python .ci/figures.py` after executing notebooks (`--check` in CI: change nothing).

The docs page shows a figure at most about 800 pixels wide (its text column), and matplotlib draws a wide figure at up to 1600. Each figure in a
committed output wider than MAX_WIDTH is scaled down to it (Lanczos) and stored as JPEG (quality QUALITY); a PNG
figure heavier than MAX_PNG bytes is stored as JPEG too, which is far lighter for photos and masks. A JPEG heavier
than MAX_JPEG bytes (a grid of photos and masks) is stored again at HEAVY_QUALITY, kept only when that saves a tenth
of it (so a second run leaves it be). The figure is the same drawing from the same run; only its pixels are fewer. The widget state that executing a notebook saves in its
metadata (a copy of every picture a widget shows) is dropped: a widget runs live in Jupyter, and the docs show a
still of it. A second run changes nothing."""
import base64, io, json, sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
MAX_WIDTH, QUALITY, MAX_PNG = 800, 80, 80_000
MAX_JPEG, HEAVY_QUALITY = 45_000, 65   # the course's notebooks stay under the 5 MB of .ci/lessons.py

def lighter(kind: str, data: bytes):
    "The figure as (kind, bytes) at screen resolution, or None when it already is."
    im = Image.open(io.BytesIO(data))
    heavy = len(data) > (MAX_PNG if kind == "image/png" else MAX_JPEG)
    if im.width <= MAX_WIDTH and not heavy:
        return None
    if im.width > MAX_WIDTH:
        im = im.resize((MAX_WIDTH, round(im.height * MAX_WIDTH / im.width)), Image.LANCZOS)
    again = kind == "image/jpeg" and im.width <= MAX_WIDTH   # a heavy JPEG of the right width: a lower quality
    out = io.BytesIO()
    im.convert("RGB").save(out, "JPEG", quality=HEAVY_QUALITY if again else QUALITY, optimize=True)
    if again and len(out.getvalue()) > 0.9 * len(data):
        return None
    return "image/jpeg", out.getvalue()

def process(path: Path, write: bool) -> int:
    nb, changed = json.loads(path.read_text()), 0
    if nb.get("metadata", {}).pop("widgets", None) is not None:   # saved widget state: heavy, and the docs show a still
        changed += 1
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for kind in [k for k in data if k in ("image/png", "image/jpeg")]:
                new = lighter(kind, base64.b64decode("".join(data[kind])))
                if new is None: continue
                changed += 1
                del data[kind]
                data[new[0]] = base64.b64encode(new[1]).decode()
                output.get("metadata", {}).pop(kind, None)
    if changed and write:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return changed

if __name__ == "__main__":
    check = "--check" in sys.argv
    found = {p.name: n for p in sorted((ROOT / "nbs").glob("*.ipynb")) if (n := process(p, not check))}
    if check and found:
        sys.exit(f"figures above screen resolution in {found}: run `python .ci/figures.py` and commit.")
    print(f"{'would change' if check else 'changed'} {sum(found.values())} figures in {len(found)} notebooks" if found
          else "every figure is at screen resolution")
