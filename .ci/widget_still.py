"""A screenshot of step 7's frame browser, rendered by ipywidgets' own web page code: `python .ci/widget_still.py`.

Builds `browse(test split, published CPU-recipe model)` at the state step 7 shows (frame 7, Bicyclist picked), writes it
as a standalone page with its widget state (`ipywidgets.embed`), and has headless Chromium draw that page. The page
loads @jupyter-widgets/html-manager from a local copy (`npm pack @jupyter-widgets/html-manager@1`, unpacked into
--manager), since this machine has no CDN. Needs CAMSEG_DATA, chromium and npm; writes .github/images/browser.jpg."""
import argparse, os, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--manager", type=Path, default=Path(tempfile.gettempdir()) / "html-manager",
                   help="folder of the unpacked npm package @jupyter-widgets/html-manager (fetched there if missing)")
    p.add_argument("--out", type=Path, default=ROOT / ".github" / "images" / "browser.jpg")
    args = p.parse_args()
    embed = args.manager / "package" / "dist" / "embed.js"
    if not embed.is_file():
        args.manager.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "@jupyter-widgets/html-manager@1"], cwd=args.manager, check=True)
        tgz = next(args.manager.glob("jupyter-widgets-html-manager-*.tgz"))
        subprocess.run(["tar", "xzf", tgz.name], cwd=args.manager, check=True)
    from ipywidgets.embed import embed_minimal_html
    from PIL import Image
    from camseg.dataset import CamSeqDataset
    from camseg.layouts import camseq_path
    from camseg.predict import Predictor
    from camseg.runs import trained_checkpoint
    from camseg.split import dataset_splits
    from camseg.views import browse
    real = CamSeqDataset(camseq_path())
    os.chdir(ROOT)   # trained_checkpoint finds the clone's published checkpoint from here
    box = browse(dataset_splits(real)["test"], Predictor.from_checkpoint(trained_checkpoint("cpu_recipe")), width=720)
    box.frame.value, box.picker.value = 7, real.classes.index("Bicyclist")
    with tempfile.TemporaryDirectory() as tmp:
        page, shot = Path(tmp) / "browser.html", Path(tmp) / "browser.png"
        embed_minimal_html(page, views=[box], title="camseg: browse", requirejs=False, embed_url=embed.as_uri())
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--allow-file-access-from-files", f"--screenshot={shot}", "--window-size=760,705",
                        page.as_uri()], check=True, capture_output=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        Image.open(shot).convert("RGB").save(args.out, quality=85, optimize=True)
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")

if __name__ == "__main__":
    sys.exit(main())
