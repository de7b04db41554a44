"""Write the published checkpoint: a run's best.pth with its weights stored in float16, half the size.

camseg loads it like any checkpoint (the weights go back to float32 in the model). The release workflow attaches
the file to the GitHub release; camseg.runs.PUBLISHED holds its SHA-256, which this prints.
Usage: python .ci/release_asset.py runs/cpu_recipe/best.pth .github/release/cpu_recipe.pth"""
import hashlib, sys
from pathlib import Path

import torch
from camseg.checkpoint import load_checkpoint, save_checkpoint

source, dest = map(Path, sys.argv[1:3])
state = load_checkpoint(source)
state["model"] = {k: v.half() if v.is_floating_point() else v for k, v in state["model"].items()}
save_checkpoint(state, dest)
print(f"{dest}: {dest.stat().st_size / 2**20:.1f} MiB, sha256 {hashlib.sha256(dest.read_bytes()).hexdigest()}")
