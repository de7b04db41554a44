#!/usr/bin/env bash
# `pip install camseg` once released: build the wheel and the sdist, check them with twine, install the wheel (not
# editable) in a fresh virtual environment, and predict a real frame with the published checkpoint from there.
# Usage: bash .ci/package.sh   (needs ../shared/data/Camseq_2007 for the frame)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python -m pip install -q build twine
# building prints no warning of camseg's own (license as an SPDX expression, no deprecated classifier); the
# machine's PYTHONDONTWRITEBYTECODE would add setuptools' "byte-compiling is disabled" lines, so it is unset here
PYTHONDONTWRITEBYTECODE= python -m build --outdir "$work/dist" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
if grep -i -E "warning|deprecat" "$work/build.log"; then
  echo "building camseg printed the warnings above: fix setup.py or settings.ini" >&2; exit 1
fi
ls "$work/dist"
twine check --strict "$work"/dist/*

python -m venv "$work/venv"
"$work/venv/bin/pip" install -q torch==2.14.1 torchvision==0.29.1   # PyTorch first, as README says
"$work/venv/bin/pip" install -q "$work"/dist/camseg-*.whl
cd "$work"   # away from the clone, so that `import camseg` can only find the installed wheel
"$work/venv/bin/python" -c "import camseg, pathlib; p = pathlib.Path(camseg.__file__); assert 'site-packages' in p.parts, p; print('camseg', camseg.__version__, 'installed from the wheel')"
frame=$root/../shared/data/Camseq_2007/0016E5_08151.png
if [ ! -f "$frame" ]; then echo "no real frame at $frame: prediction not checked"; echo "package: 1 passed, 0 failed"; exit 0; fi
"$work/venv/bin/camseg" predict --checkpoint "$root/.github/release/cpu_recipe.pth" --format color --out "$work/out" "$frame"
"$work/venv/bin/python" -c "
from PIL import Image; im = Image.open('$work/out/0016E5_08151_color.png')
assert im.size == (960, 720), im.size; print('predicted', im.size, im.mode)"
echo "package: 1 passed, 0 failed"
