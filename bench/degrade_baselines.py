"""Baselines of the degradations (fastgan_lab.degradations): the scores of the degraded *inputs* against their clean targets
on the validation photos, i.e. what a restoration / colorization / sketch model must beat.

Usage: FASTGAN_LAB_OFFLINE=1 python bench/degrade_baselines.py [--data /work/shared/data/camvid_small] [--size 96,128] [--out bench_out/degrade]
Prints a table and writes metrics.json. FID/KID use `degradations.photo_features` (offline: the pretrained Lite encoder's pooled features).
"""
import argparse, time, torch
from pathlib import Path
from fastgan_lab.core import versions
from fastgan_lab.outputs import save_json
from fastgan_lab.degradations import paired_dls, score_pairs, photo_fid, to_unit

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', default=None); p.add_argument('--size', default='96,128')
    p.add_argument('--out', default='bench_out/degrade'); p.add_argument('--threads', type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    res, t0 = {}, time.perf_counter()
    for name in ('sr2', 'restore', 'crappify', 'denoise', 'colorize', 'sketch', 'xdog'):
        dl = paired_dls(a.data, degrade=name, size=a.size, bs=16).valid
        r = score_pairs(dl)
        x = torch.cat([to_unit(b[0]) for b in dl]); y = torch.cat([to_unit(b[1]) for b in dl])
        f = photo_fid(y, x)
        res[name] = r | {'fid': f['fid'], 'kid': f['kid'], 'feature': f['feature']}
    print(f"{'input':10s} {'PSNR dB':>8s} {'SSIM':>6s} {'colourf.':>8s} {'target c.':>9s} {'FID':>8s} {'KID':>7s}  (n={r['n_images']}, size {a.size})")
    for k, v in res.items():
        print(f"{k:10s} {v['psnr']:8.2f} {v['ssim']:6.3f} {v['colourfulness']:8.2f} {v['colourfulness_target']:9.2f} {v['fid']:8.2f} {v['kid']:7.3f}")
    print(f"feature net: {res['restore']['feature']}; {time.perf_counter() - t0:.0f} s")
    save_json({'baselines': res, 'data': a.data, 'size': a.size, 'versions': versions()}, Path(a.out)/'metrics.json')

if __name__ == '__main__': main()
