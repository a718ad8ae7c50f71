"""Benchmark: Lab colorization on CamVid photos (train split for training, the `valid.txt` split for scoring, 96x128).
Trains the pixel-loss-only (L1) model and the L1 + conditional GAN (pix2pix) model with `train_colorize` (its defaults:
UNet over the pretrained Lite encoder, bf16 where the CPU is fast at it), each under the same wall-time budget, and prints
PSNR/SSIM/colourfulness and photo FID/KID (pretrained Lite features) of the greyscale input, both models and the ground
truth on the validation photos, plus a comparison picture (grey | L1 | L1+cGAN | original).

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/colorize.py --budget 15

Writes bench/out/colorize/{l1,cgan}/ (what `train_colorize` writes), compare.png and results.json."""
import argparse, time, datetime, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, torch

def train(a, out:str, gan:bool) -> dict:
    "`train_colorize` with the benchmark's settings; with `--arch`, `train_built` (train_colorize has no `arch` option)."
    import inspect
    from fastgan_lab.outputs import guard_out
    from fastgan_lab.colorization import train_colorize
    lr = a.lr or inspect.signature(train_colorize).parameters['lr'].default
    if not a.arch:
        return train_colorize(a.data, out=out, budget=a.budget, lr=lr, size=a.size, bs=a.bs, seed=0, precision=a.precision, gan=gan)
    return guard_out(train_built)(a, out, gan, lr)

def train_built(a, out:str, gan:bool, lr:float) -> dict:
    """`train_colorize`'s run (its data, `train_img2img` call and scores) over a learner built with
    `colorize_learner(arch=a.arch)`."""
    from fastai.torch_core import set_seed
    from fastgan_lab.outputs import save_json
    from fastgan_lab.callbacks import TrainStats, check_budget
    from fastgan_lab.cgan import train_img2img, generator_of
    from fastgan_lab.colorization import colorize_dls, colorize_learner, colorize_fid, lab_encode, lab_decode, lab_decode_input
    from fastgan_lab.degradations import photo_folder
    budget = check_budget(a.budget)
    set_seed(0)
    dls = colorize_dls(a.data, a.size, a.bs, 0, verbose=True)
    stats = TrainStats()
    learn = colorize_learner(dls, arch=a.arch, gan_loss='lsgan' if gan else None, precision=a.precision, cbs=[stats])
    meta = {'colour_space': 'Lab (kornia), L/50-1, ab/110', 'data': str(photo_folder(dls)), 'n_items': 0}
    res = train_img2img(learn, out, budget, None, lr, seed=0, encode=lab_encode, decode=lab_decode,
                        decode_input=lab_decode_input, meta=meta)
    res.update(task='colorize', train_seconds=round(stats.seconds, 1), threads=torch.get_num_threads(),
               **colorize_fid(generator_of(learn), dls.valid))
    save_json(res, Path(out)/'metrics.json')
    return res

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default=None, help='photos (default: CamVid via $FASTGAN_LAB_DATA, else the embedded photos)')
    p.add_argument('--budget', type=float, default=15., help='wall-time minutes of training per model')
    p.add_argument('--threads', type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument('--size', default='96,128')
    p.add_argument('--bs', type=int, default=8)
    p.add_argument('--precision', default='auto', help="auto, bf16 or fp32")
    p.add_argument('--lr', type=float, default=None, help="learning rate (default: train_colorize's)")
    p.add_argument('--arch', default=None, help="generator encoder (default: train_colorize's; another is built with colorize_learner)")
    p.add_argument('--out', default='bench/out/colorize')
    a = p.parse_args()
    from fastgan_lab.core import versions
    from fastgan_lab.outputs import save_json
    from fastgan_lab.figures import image_grid, save_fig
    from fastgan_lab.colorization import colorize_dls, lab_decode, lab_decode_input
    from fastgan_lab.cgan import load_img2img, img2img_predict
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    if a.threads: torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    runs = {}
    for name, gan in (('l1', False), ('cgan', True)):
        print(f"== {name}: {a.budget} min", flush=True)
        runs[name] = train(a, str(out/name), gan)
    l1, cg = runs['l1'], runs['cgan']
    dls = colorize_dls(a.data, size=a.size, bs=16, seed=0)
    from fastgan_lab.degradations import photo_fid
    pairs = [(lab_decode_input(b[0].cpu()), lab_decode(b[1].cpu(), b[1].cpu(), b[0].cpu())[1]) for b in dls.valid]
    grey_fid = photo_fid(torch.cat([t for _, t in pairs]), torch.cat([g for g, _ in pairs]))['fid']   # the input itself
    rows = [('greyscale input', l1['input_psnr'], l1['input_ssim'], l1['input_colourfulness'], grey_fid, '', ''),
            ('L1 only (pixel loss)', l1['psnr'], l1['ssim'], l1['colourfulness'], l1['fid'], l1['generator_steps'], l1['train_seconds']),
            ('L1 + cGAN (pix2pix)', cg['psnr'], cg['ssim'], cg['colourfulness'], cg['fid'], cg['generator_steps'], cg['train_seconds']),
            ('ground truth', float('inf'), 1.0, l1['colourfulness_target'], 0., '', '')]
    x, y = dls.valid.one_batch()[:2]
    x, y = x[:5].cpu(), y[:5].cpu()
    outs = [lab_decode(img2img_predict(load_img2img(out/n/'model.safetensors').generator, x), y, x)[0] for n in ('l1', 'cgan')]
    truth = lab_decode(y, y, x)[0]
    imgs = [c[i] for i in range(len(x)) for c in (lab_decode_input(x), outs[0], outs[1], truth)]
    titles = ['grey input', 'L1 only', 'L1 + cGAN', 'original'] * len(x)
    save_fig(image_grid(imgs, titles=titles, ncols=4, figsize=(4 * 1.6, len(x) * 1.3 + 0.3)), out/'compare.png')
    res = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'), 'data': str(l1.get('data')),
           'size': a.size, 'budget_min_each': a.budget, 'threads': torch.get_num_threads(), 'bs': a.bs, 'precision': l1['precision'],
           'arch': l1['arch'], 'lr': l1['lr'], 'n_valid': l1['n_images'], 'n_train': l1['n_train'], 'fid_feature': l1['fid_feature'],
           'wall_seconds': round(time.perf_counter() - t0, 1),
           'rows': [dict(zip(('model', 'psnr', 'ssim', 'colourfulness', 'fid', 'generator_steps', 'train_seconds'), r)) for r in rows],
           'versions': versions()}
    save_json(res, out/'results.json')
    print(f"\nColorization on {res['data']} ({res['n_train']} train / {res['n_valid']} valid photos, {a.size}), {a.arch or l1['arch']}, "
          f"{a.budget} min per model, {res['threads']} thread(s), bs {a.bs}, {res['precision']}; FID features: {res['fid_feature']}\n")
    print(f"| {'':22} | PSNR (dB) | SSIM  | colourfulness | FID     | generator steps | train s |")
    print(f"|{'-' * 24}|-----------|-------|---------------|---------|-----------------|---------|")
    for r in rows:
        ps = f"{r[1]:9.2f}" if np.isfinite(r[1]) else f"{'—':>9}"
        fd = f"{r[4]:7.1f}" if np.isfinite(r[4]) else f"{'—':>7}"
        print(f"| {r[0]:22} | {ps} | {r[2]:5.3f} | {r[3]:13.1f} | {fd} | {str(r[5]):>15} | {str(r[6]):>7} |")
    print(f"\nwrote {out/'results.json'}, {out/'compare.png'}")

if __name__ == '__main__': main()
