"""Execute notebooks in place, as a reader would, so their saved outputs match the code; then shrink their pictures.

    python tools/run_nb.py nbs/02_unet.ipynb [more.ipynb ...] [--slow]

Cells marked `#| slow` or `#| eval: false` are not run and keep the outputs they have (the slow cells' outputs come
from the benchmark models); with `--slow` the slow cells run too (they need the benchmarks' output folders and the real
data: set `FASTGAN_LAB_DATA`). Each notebook runs in its own folder (as `nbdev_test` runs it); the first cell that raises
stops that notebook, which is then left unchanged, and the exit status is 1. Afterwards run `nbdev_clean`.
"""
import os, re, sys, argparse, subprocess
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

SKIP = re.compile(r'^#\|\s*(slow\b|eval:\s*false)', re.M)
SKIP_NOT_SLOW = re.compile(r'^#\|\s*eval:\s*false', re.M)

def run(nb_path:Path, slow:bool=False) -> bool:
    rx = SKIP_NOT_SLOW if slow else SKIP
    def skip(cell) -> bool: return cell.cell_type != 'code' or bool(rx.search(cell.source))
    nb, cwd = read_nb(nb_path), os.getcwd()
    os.chdir(nb_path.parent)
    try:
        sh = CaptureShell()
        sh.run_all(nb, exc_stop=True, preproc=skip)
    except BaseException as e:
        print(f'{nb_path}: {type(e).__name__}: {e}', file=sys.stderr); return False
    finally: os.chdir(cwd)
    write_nb(nb, nb_path); return True

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0]); p.add_argument('nbs', nargs='+')
    p.add_argument('--slow', action='store_true', help='run the `#| slow` cells too')
    a = p.parse_args(); nbs = a.nbs
    if len(nbs) > 1:   # one process per notebook: nothing leaks from one into the next
        ok = all([subprocess.run([sys.executable, __file__, n, *(['--slow'] if a.slow else [])]).returncode == 0 for n in nbs])
        sys.exit(0 if ok else 1)
    ok = run(Path(nbs[0]).resolve(), a.slow)
    here = Path(__file__).parent
    if ok: subprocess.run([sys.executable, str(here/'shrink_outputs.py'), *nbs], check=False)
    sys.exit(0 if ok else 1)

if __name__ == '__main__': main()
