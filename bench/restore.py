"""Benchmark for the restoration chapter (fastgan_lab.restoration): each variant trained with `train_restore` for the same
wall-time budget on CamVid photos (train split; 160x224 crops), scored on the `valid.txt` photos (centre crops, fixed
degradations) against the bicubic upscale of the input: PSNR, SSIM and the gain in dB.

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/restore.py --budget 15 --threads 2

Variants (`--variants`, comma-separated; default: all, in this order):
  sr2_restorenet_l1  2x + JPEG 30-70, RestoreNet (no pretrained encoder), L1, generator only
  sr2_unet_l1        2x + JPEG 30-70, residual UNet over the pretrained Lite encoder, L1, generator only
  sr2_unet_l1ssim    the same, L1 + (1 - SSIM)
  sr2_unet_feature   the same, L1 + feature loss on the pretrained Lite encoder
  sr2_default        `train_restore()` as shipped (headline task, best loss + NoGAN): what `fastgan-lab train restore` runs
  restore4x_default  the same on the hard task (4x + JPEG 10-70)
Prints a table and writes bench/out/restore/bench.json (and each run's folder with metrics.json, results.png, zoom.png).
"""
import os, sys, json, time, argparse, warnings, datetime
warnings.filterwarnings('ignore')
from pathlib import Path
import torch

VARIANTS = {
    'sr2_restorenet_l1': dict(task='sr2', arch='restorenet', loss='l1', gan=False),
    'sr2_unet_l1':       dict(task='sr2', loss='l1', gan=False),
    'sr2_unet_l1ssim':   dict(task='sr2', loss='l1+ssim', gan=False),
    'sr2_unet_feature':  dict(task='sr2', loss='feature', gan=False),
    'sr2_default':       dict(),
    'restore4x_default': dict(task='restore'),
}

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--data', default=None, help="photo folder; default: CamVid via $FASTGAN_LAB_DATA, else embedded photos")
    ap.add_argument('--budget', type=float, default=15., help="minutes of training for EACH variant")
    ap.add_argument('--variants', default=','.join(VARIANTS), help="comma-separated names of VARIANTS")
    ap.add_argument('--size', default=None, help="crop 'H,W' for every variant (default: train_restore's)")
    ap.add_argument('--threads', type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', default='bench/out/restore')
    a = ap.parse_args()
    from fastgan_lab.core import save_json, versions
    from fastgan_lab.restoration import train_restore
    if a.threads: torch.set_num_threads(a.threads)
    names = [v for v in a.variants.split(',') if v]
    bad = [v for v in names if v not in VARIANTS]
    if bad: sys.exit(f"unknown variant(s) {bad}; choose from {', '.join(VARIANTS)}")
    out, rows, t0 = Path(a.out), {}, time.time()
    prev = json.loads((out/'bench.json').read_text())['runs'] if (out/'bench.json').exists() else {}
    for name in names:
        kw = dict(VARIANTS[name], **({'size': a.size} if a.size else {}))
        print(f"== {name}: {a.budget} min, {kw or 'train_restore defaults'}", flush=True)
        r = train_restore(a.data, budget=a.budget, out=str(out/name), seed=a.seed, progress=False, **kw)
        rows[name] = {k: r[k] for k in ('task', 'degradation', 'arch', 'pretrained', 'loss', 'gan', 'size', 'precision', 'batches',
                                         'phase_batches', 'psnr_input', 'psnr', 'psnr_gain_db', 'ssim_input', 'ssim', 'ssim_gain',
                                         'kept_checkpoint', 'n_train', 'n_valid', 'train_seconds', 'lr', 'bs')}
        save_json({'runs': {**prev, **rows}, 'args': vars(a), 'versions': versions()}, out/'bench.json')
    print(f"\nRestoration, {a.budget} min per variant, {torch.get_num_threads()} torch thread(s), "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {time.time() - t0:.0f} s in all")
    print("| variant | task | generator | loss | NoGAN | batches | PSNR input | PSNR | gain (dB) | SSIM input | SSIM |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        gen = 'RestoreNet' if r['arch'] == 'restorenet' else f"residual UNet, {r['arch'][5:] if r['arch'].startswith('timm:') else r['arch']}{' (pretrained)' if r['pretrained'] else ''}"
        print(f"| {name} | {r['task']} {r['size'][0]}x{r['size'][1]} | {gen} | {r['loss']} | {'yes' if r['gan'] else 'no'} | {r['batches']} | "
              f"{r['psnr_input']:.2f} | {r['psnr']:.2f} | {r['psnr_gain_db']:+.2f} | {r['ssim_input']:.4f} | {r['ssim']:.4f} |")
    print(f"everything: {out/'bench.json'}")

if __name__ == '__main__': main()
