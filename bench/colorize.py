"""Benchmark: Lab colorization on CamVid photos (train split for training, the `valid.txt` split for scoring, 96x128).
Trains the pixel-loss-only (L1) model and the L1 + conditional GAN (pix2pix) model with `train_colorize`, each under the
same wall-time budget, and prints PSNR/SSIM/colourfulness of the greyscale input, both models and the ground truth on
the validation photos, plus a comparison picture (grey | L1 | L1+cGAN | original).
Usage: python bench/colorize.py [--data DIR] [--budget 6] [--threads 1] [--size 96,128] [--out bench/out/colorize]"""
import argparse, json, os, time, datetime, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, torch

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default=None, help='photos (default: /work/shared/data/camvid_small if present, else what colorize_dls finds)')
    p.add_argument('--budget', type=float, default=6., help='wall-time minutes of training per model')
    p.add_argument('--threads', type=int, default=1, help='torch threads')
    p.add_argument('--size', default='96,128')
    p.add_argument('--bs', type=int, default=8)
    p.add_argument('--bf16', action='store_true', help='bfloat16 autocast on CPU')
    p.add_argument('--out', default='bench/out/colorize')
    a = p.parse_args()
    from fastgan_lab.core import versions, save_json, image_grid, save_fig
    from fastgan_lab.colorization import train_colorize, colorize_dls, lab_decode, lab_decode_input
    from fastgan_lab.cgan import load_img2img, img2img_predict
    data = a.data
    if data is None and Path('/work/shared/data/camvid_small/images').is_dir(): data = '/work/shared/data/camvid_small'
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(a.threads)
    load0, t0 = os.getloadavg(), time.perf_counter()
    runs = {}
    for name, gan in (('l1', False), ('cgan', True)):
        runs[name] = train_colorize(data, size=a.size, budget=a.budget, out=str(out/name), gan=gan, bs=a.bs, bf16=a.bf16,
                                    threads=a.threads, seed=0)
    l1, cg = runs['l1'], runs['cgan']
    rows = [('greyscale input', l1['input_psnr'], l1['input_ssim'], l1['input_colourfulness'], '', ''),
            ('L1 only (pixel loss)', l1['psnr'], l1['ssim'], l1['colourfulness'], l1['generator_steps'], l1['train_seconds']),
            ('L1 + cGAN (pix2pix)', cg['psnr'], cg['ssim'], cg['colourfulness'], cg['generator_steps'], cg['train_seconds']),
            ('ground truth', float('inf'), 1.0, l1['colourfulness_target'], '', '')]
    # comparison picture on the first validation photos
    dls = colorize_dls(data, size=a.size, bs=8, seed=0)
    x, y = dls.valid.one_batch()[:2]
    x, y = x[:5].cpu(), y[:5].cpu()
    outs = [lab_decode(img2img_predict(load_img2img(out/n/'model.pt').generator, x), y, x)[0] for n in ('l1', 'cgan')]
    truth = lab_decode(y, y, x)[0]
    imgs = [c[i] for i in range(len(x)) for c in (lab_decode_input(x), outs[0], outs[1], truth)]
    titles = ['grey input', 'L1 only', 'L1 + cGAN', 'original'] * len(x)
    save_fig(image_grid(imgs, titles=titles, ncols=4, figsize=(4 * 1.6, len(x) * 1.3 + 0.3)), out/'compare.png')
    res = {'date': datetime.datetime.utcnow().isoformat(timespec='seconds') + 'Z', 'data': str(data), 'size': a.size,
           'budget_min_each': a.budget, 'threads': a.threads, 'bs': a.bs, 'bf16': a.bf16, 'n_valid': l1['n_images'],
           'n_train': l1['n_train'], 'loadavg_start': load0, 'loadavg_end': os.getloadavg(),
           'wall_seconds': round(time.perf_counter() - t0, 1),
           'rows': [dict(zip(('model', 'psnr', 'ssim', 'colourfulness', 'generator_steps', 'train_seconds'), r)) for r in rows],
           'versions': versions()}
    save_json(res, out/'results.json')
    print(f"\nColorization on {data} ({res['n_train']} train / {res['n_valid']} valid photos, {a.size}), "
          f"{a.budget} min wall-time budget per model, {a.threads} thread(s), bs {a.bs}{', bf16' if a.bf16 else ''}; "
          f"CPU shared with other users (load average {load0[0]:.1f} at start, {res['loadavg_end'][0]:.1f} at end)\n")
    print(f"| {'':22} | PSNR (dB) | SSIM  | colourfulness | generator steps | train s |")
    print(f"|{'-' * 24}|-----------|-------|---------------|-----------------|---------|")
    for r in rows:
        ps = f"{r[1]:9.2f}" if np.isfinite(r[1]) else f"{'—':>9}"
        print(f"| {r[0]:22} | {ps} | {r[2]:5.3f} | {r[3]:13.1f} | {str(r[4]):>15} | {str(r[5]):>7} |")
    print(f"\nwrote {out/'results.json'}, {out/'compare.png'}")

if __name__ == '__main__': main()
