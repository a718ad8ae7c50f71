"""How many epochs each task of the quick main job needs to learn something visible: each task trained as `--quick`
trains it (`run.task_kwargs(..., quick=True)`: its sizes, data subset and time cap), for each number of epochs given,
and scored as its trainer scores it. The quick settings end each task after its epochs (`run.QUICK`); this is where
their numbers come from.

    FASTGAN_LAB_OFFLINE=1 python bench/quick.py --tasks sketch2image,colorize --epochs 3,5,7,10
    ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 FASTGAN_LAB_OFFLINE=1 python bench/quick.py ...   # the fp32 path

Writes each run to bench/out/quick/<task>_<epochs>/ and prints one line per run and a table.
"""
import argparse, contextlib, io, time, warnings
warnings.filterwarnings('ignore')
from pathlib import Path

def scores(task:str, m:dict) -> dict:
    "The figures that say whether a quick model learned: its score and the baseline it must beat."
    if task == 'unet': return {'pixel accuracy': m['pixel_accuracy'], 'mIoU': m['miou']}
    if task == 'siamese': return {'top-1': m['top1']}
    if task == 'gan': return {'FID': m['fid']}
    if task == 'restore': return {'PSNR': m['psnr'], 'input PSNR': m['psnr_input']}
    if task == 'colorize': return {'PSNR': m['psnr'], 'grey input PSNR': m['input_psnr'], 'colourfulness': m['colourfulness']}
    c = m['scores']['canny']
    return {'edge agreement': c['edge_f1'], 'another sketch': c['edge_f1_other'], 'average street': c['average']['edge_f1'],
            'beats average': c['beats_average']}

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--tasks', default='unet,gan,restore,colorize,sketch2image', help="comma-separated names of run.TASKS")
    p.add_argument('--epochs', default='5,10', help="comma-separated numbers of epochs, each one run per task")
    p.add_argument('--out', default='bench/out/quick')
    a = p.parse_args()
    from fastgan_lab.run import TASKS, task_kwargs
    from fastgan_lab.core import cpu_class
    print(f"cpu_class {cpu_class()}")
    rows = []
    for task in a.tasks.split(','):
        for e in [int(e) for e in a.epochs.split(',')]:
            kw = task_kwargs(task, Path(a.out)/f'{task}_{e}', quick=True, overwrite=True)
            kw.update(epochs=e, out=str(Path(a.out)/f'{task}_{e}'))
            t = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()): m = TASKS[task](**kw)
            s = scores(task, m)
            rows.append((task, e, round(time.perf_counter() - t), s))
            print(task, e, 'epochs:', ', '.join(f'{k} {v:.3f}' for k, v in s.items()), f'({rows[-1][2]} s)', flush=True)
    print('\n| task | epochs | seconds | scores |\n|---|---|---|---|')
    for task, e, secs, s in rows: print(f"| {task} | {e} | {secs} | " + ', '.join(f'{k} {v:.3f}' for k, v in s.items()) + ' |')

if __name__ == '__main__': main()
