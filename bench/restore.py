"""Benchmark for the restoration chapter (fastgan_lab.restoration): NoGAN restorer against the bicubic upscale of the input,
and the offline loss comparison (pixel L1 alone vs L1 + SSIM), on CamVid photos (train split for training, valid.txt split
for scoring), 96x128 crops, 4x downscale + JPEG quality 10-70.

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/restore.py --threads 1 --budget 15 --cmp-budget 4

Prints a table and writes bench/out/restore/bench.json (and each run's folder).
"""
import os, sys, json, time, argparse, warnings, datetime
warnings.filterwarnings('ignore')
import torch
from fastgan_lab.core import save_json, versions
from fastgan_lab.restoration import train_restore

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--data', default=None, help="photo folder; default: CamVid via $FASTGAN_LAB_DATA, else embedded photos")
    ap.add_argument('--size', default='96,128')
    ap.add_argument('--budget', type=float, default=15., help="minutes for the main NoGAN run")
    ap.add_argument('--cmp-budget', type=float, default=4., help="minutes for each run of the loss comparison (0: skip)")
    ap.add_argument('--loss', default='l1+ssim', help="content loss of the main run")
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--part', default='all', choices=['all', 'main', 'cmp'])
    ap.add_argument('--out', default='bench/out/restore')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    rows, t0 = [], time.time()
    common = dict(data=a.data, size=a.size, seed=a.seed, threads=a.threads)
    if a.part in ('all', 'main'):
        r = train_restore(budget=a.budget, out=f'{a.out}/nogan', loss=a.loss, gan=True, **common)
        rows.append(('bicubic upscale of the input', '-', '-', r['psnr_input'], r['ssim_input'], r['n_valid']))
        pre = r['checkpoints'][0] if r['checkpoints'] else None
        if pre: rows.append((f'generator pretrained ({a.loss}), before GAN', a.budget * 0.8, pre['batch'], pre['psnr'], pre['ssim'], r['n_valid']))
        if r['checkpoints']:
            last = r['checkpoints'][-1]
            rows.append(('end of GAN phase', a.budget, last['batch'], last['psnr'], last['ssim'], r['n_valid']))
        kb = r['kept_checkpoint']
        rows.append((f"NoGAN, kept checkpoint #{kb['k'] if kb else '-'} (best valid PSNR)", a.budget, r['batches'], r['psnr'], r['ssim'], r['n_valid']))
        main_res = r
    if a.part in ('all', 'cmp') and a.cmp_budget > 0:
        cmp = {}
        for loss in ('l1', 'l1+ssim'):
            r = train_restore(budget=a.cmp_budget, out=f'{a.out}/cmp_{loss}', loss=loss, gan=False, **common)
            cmp[loss] = r
            rows.append((f'generator only, loss {loss}', a.cmp_budget, r['batches'], r['psnr'], r['ssim'], r['n_valid']))
    w = max(len(r[0]) for r in rows)
    print(f"\nRestoration on {a.data or os.environ.get('FASTGAN_LAB_DATA', 'embedded photos')} @ {a.size}, 4x down + JPEG q10-70; "
          f"{a.threads} torch thread(s), CPU shared with other jobs; {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC")
    print(f"| {'model':{w}} | budget min | batches | PSNR dB | SSIM | valid images |")
    print(f"|{'-' * (w + 2)}|---|---|---|---|---|")
    for name, b, n, p, s, nv in rows:
        print(f"| {name:{w}} | {b} | {n} | {p:.2f} | {s:.4f} | {nv} |")
    res = {'rows': [dict(zip(('model', 'budget_min', 'batches', 'psnr', 'ssim', 'n_valid'), r)) for r in rows],
           'args': vars(a), 'wall_s': round(time.time() - t0, 1), 'versions': versions()}
    save_json(res, f'{a.out}/bench.json')

if __name__ == '__main__': main()
