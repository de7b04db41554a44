"""No module imports one that comes after it in the course order: `python .ci/module_order.py`.

The order is the course's: the groundwork (`core`), then each lesson's module in the order of the lessons, with the
reference modules a lesson relies on placed before it (the data folders before the dataset, checkpoints and the
Predictor before training), the optional lessons, and last the tools built on all of them. Every import of a camseg
module counts, also one made inside a function. A module missing from ORDER fails too, so that a new module is given
its place."""
import ast, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "core",         # reference: errors, the config, atomic writes
    "_course",      # reference: the original course's code, which the lessons set beside camseg's (no imports)
    "data",         # step 1: the palette and the classes
    "layouts",      # reference: data folders (four layouts, pairing, splits) and the download
    "camvid",       # reference: the whole of CamVid, SegNet's and fastai's downloads
    "reading",      # reference: reading frames and masks safely, the frames of a folder
    "classes",      # reference: labels to classes, CamVid-11's groups and folding
    "plots",        # reference: the drawing behind the lessons' figures, and an evaluation's tables
    "dataset",      # step 2: colours to classes, the Dataset
    "split",        # step 3: the sequential split and the loaders
    "runtime",      # reference: devices, mixed precision, BatchNorm modes, the inference copy, pretrained weights
    "model",        # step 4: DeepLabv3
    "checkpoint",   # reference: checkpoints
    "predict",      # reference: the Predictor
    "recipe",       # reference: augmentation, optimiser and schedule, class weights
    "train",        # step 5: the loss, a training step, an epoch, BatchNorm recalibrated
    "metrics",      # step 6: the confusion matrix, IoU, mIoU
    "viz",          # step 7: pictures
    "views",        # reference: the errors map and the frame browser
    "export",       # optional lesson: ONNX
    "video",        # optional lesson: video
    "distributed",  # optional lesson: several processes
    "shift",        # optional lesson: other drives, corruptions
    "interpret",    # optional lesson: where the model fails (worst frames, confusions, per-class table)
    "exercises",    # reference: the lessons' exercise checkers
    "runs",         # reference: whole training runs (resume, locks, published models)
    "bench",        # reference: the benchmarks
    "report",       # reference: the report card (its memory probe is the benchmarks')
    "flags",        # reference: the config as command-line flags
    "files",        # reference: predict's inputs, output names and PNGs
    "cli",          # reference: the command line
    "__main__",
]
PACKAGE = "camseg"

def imported(path: Path) -> set:
    "The camseg modules that the module at `path` imports, anywhere in it."
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level: names.add(module.split(".")[0] if module else "")
            elif module.startswith(PACKAGE + "."): names.add(module.split(".")[1])
            if (node.level and not module) or module == PACKAGE:   # from . import x / from camseg import x
                names |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names if a.name.startswith(PACKAGE + ".")}
    return {n for n in names if n and (ROOT / PACKAGE / f"{n}.py").exists()}

def problems() -> list:
    modules = sorted(p.stem for p in (ROOT / PACKAGE).glob("*.py") if p.stem not in ("__init__", "_modidx"))
    out = [f"{m}.py has no place in ORDER (.ci/module_order.py): give it one" for m in modules if m not in ORDER]
    for m in modules:
        if m not in ORDER: continue
        for other in sorted(imported(ROOT / PACKAGE / f"{m}.py")):
            if other in ORDER and ORDER.index(other) > ORDER.index(m):
                out.append(f"{m}.py imports {other}, which comes after it in the course order")
    return out

if __name__ == "__main__":
    found = problems()
    print("\n".join(found), file=sys.stderr)
    if found: sys.exit(f"{len(found)} import(s) against the course order")
    print(f"camseg's modules import only what comes before them in the course order: {' -> '.join(ORDER[:-1])}")
