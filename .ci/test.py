"""Test the notebooks as `nbdev_test` does, and show how it goes: a line as each notebook ends, a count at the end.

`nbdev_test` prints nothing until every notebook has run, then "Success.": on 2 cores that is many minutes of
silence. This runs the same test, nbdev's own `test_nb` (each notebook's code cells top to bottom, the cells of the
flags in settings.ini's `tst_flags` skipped unless `--flags` names them), as many notebooks at a time as nbdev_test
would (one per core, at most 8), and prints a line as each one ends, then the count, for example:

    [ 3/35] 02_dataset.ipynb         passed     41 s
    ...
    35 notebooks: 35 passed, 0 failed, in 12.3 min

A failed notebook's traceback is printed as it ends, and the command exits with 1. Unless OMP_NUM_THREADS is set,
each notebook gets one PyTorch thread, so that the notebooks that run side by side do not fight over the cores (with
PyTorch's default of a thread per core, two notebooks on 2 cores ran up to 3 times slower than alone).

Usage: python .ci/test.py [--flags "realdata slow"] [--file_re REGEX] [--n_workers N] [NOTEBOOK ...]
       (default: every notebook in nbs/ whose name does not start with _ or .)"""
import argparse, os, re, sys, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Seconds that the longer notebooks took in CI (two at a time, one thread each), by --flags. They start first, so
# that a long notebook never starts last while the other core idles; the rest follow in name order.
SECONDS = {"": {"10_distributed": 124, "24_cli": 110, "35_train_tests": 92, "26_bench": 82, "23a_runs": 62,
                "08_export": 55, "28_faults": 31},
           "realdata": {"07a_shift": 148, "08_export": 80, "32_dataset_tests": 70, "05_train": 69, "07b_interpret": 59,
                        "04_model": 57, "00_pipeline": 44}}

def notebooks(names: list, file_re: str = None) -> list:
    "The notebooks to test, in name order: those named, else every notebook in nbs/ (as nbdev_test finds them)."
    paths = [Path(n) if Path(n).suffix == ".ipynb" else ROOT / "nbs" / f"{n}.ipynb" for n in names] or \
            [p for p in (ROOT / "nbs").glob("*.ipynb") if not re.match(r"[_.]", p.name)]
    return sorted((p.resolve() for p in paths if not file_re or re.search(file_re, p.name)), key=lambda p: p.name)

def line(done: int, total: int, path: Path, passed: bool, seconds: float) -> str:
    "`[ 3/35] 02_dataset.ipynb         passed     41 s`"
    width = len(str(total))
    return f"[{done:>{width}}/{total}] {path.name:<24} {'passed' if passed else 'FAILED'} {seconds:6.0f} s"

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="*", help="names like 01_data, or .ipynb paths (default: every notebook in nbs/)")
    p.add_argument("--flags", default="", help="space-separated test flags to run, e.g. 'realdata slow'")
    p.add_argument("--file_re", help="only the notebooks whose file name matches this regular expression")
    p.add_argument("--n_workers", type=int, help="notebooks at a time [default: one per core, at most 8]")
    args = p.parse_args(argv)
    os.chdir(ROOT)   # nbdev reads settings.ini from here
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from nbdev.config import get_config
    from nbdev.test import test_nb   # nbdev's test of one notebook: (passed, seconds)
    skip_flags, force_flags = get_config().tst_flags.split(), args.flags.split()
    paths = notebooks(args.notebooks, args.file_re)
    seconds = SECONDS.get(" ".join(sorted(force_flags)), {})
    paths.sort(key=lambda p: -seconds.get(p.stem, 0))   # the longest first (a stable sort: the rest by name)
    if not paths:
        print("no notebook to test", file=sys.stderr); return 1
    workers = args.n_workers or min(os.cpu_count() or 1, 8, len(paths))
    print(f"testing {len(paths)} notebooks, {workers} at a time" + (f", with the flags {args.flags}" if force_flags else ""),
          flush=True)
    start, failed = time.perf_counter(), []
    with ProcessPoolExecutor(workers) as pool:
        running = {pool.submit(test_nb, path, skip_flags=skip_flags, force_flags=force_flags, basepath=ROOT): path
                   for path in paths}   # test_nb from its module: a notebook's shell replaces the worker's __main__
        for done, future in enumerate(as_completed(running), 1):
            path = running[future]
            try:
                passed, seconds = future.result()
            except Exception as e:   # the worker itself died (killed, out of memory)
                print(f"{path.name}: {type(e).__name__}: {e}", file=sys.stderr)
                passed, seconds = False, 0.0
            if not passed: failed.append(path.name)
            print(line(done, len(paths), path, passed, seconds), flush=True)
    minutes = (time.perf_counter() - start) / 60
    print(f"{len(paths)} notebooks: {len(paths) - len(failed)} passed, {len(failed)} failed, in {minutes:.1f} min"
          + (f" (failed: {', '.join(sorted(failed))})" if failed else ""))
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
