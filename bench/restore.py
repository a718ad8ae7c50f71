"""Benchmark for the restoration chapter (fastgan_lab.restoration): each variant trained with `train_restore` for the same
wall-time budget on CamVid photos (train split; 160x224 crops), scored on the `valid.txt` photos (centre crops, fixed
degradations) against the bicubic upscale of the input: PSNR, SSIM and the gain in dB.

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/restore.py --budget 15 --threads 2

Variants (`--variants`, comma-separated; default: all, in this order):
  sr2_restorenet_l1  2x + JPEG 30-70, RestoreNet (no pretrained encoder), L1, generator only
  sr2_unet_l1        2x + JPEG 30-70, residual UNet over the pretrained Lite encoder, L1, generator only
  sr2_unet_l1ssim    the same, L1 + (1 - SSIM)
  sr2_unet_feature   the same, L1 + feature loss on the pretrained Lite encoder
  sr2_default        `train_restore()` as shipped (headline task, best loss + NoGAN): what `fastgan-lab train restore` runs,
                     with the generator `restore_arch` picks (the residual UNet on an AMX CPU, `RestoreNet()` on others)
  sr2_unet           the same with the residual UNet on every CPU class
  sr2_restorenet     the same with `RestoreNet()` (64 channels, 8 blocks at 1/4 resolution) on every CPU class
  sr2_restorenet_s2  the same with `RestoreNet(width=32, scale=2)` (8 blocks at 1/2 resolution)
  restore4x_default  the same on the hard task (4x + JPEG 10-70)
  denoise_default    the same on a task whose restoration a reader sees: Gaussian noise (sigma 5-25) + JPEG 30-90
  denoise_unet, denoise_restorenet   that task with each generator named
Prints a table and writes bench/out/restore/bench.json (and each run's folder with metrics.json, results.png, zoom.png).
"""
import sys, json, time, argparse, warnings, datetime
warnings.filterwarnings('ignore')
from pathlib import Path
import torch

VARIANTS = {   # options of `train_restore`; an `arch` of GENERATORS builds the learner with `restore_learner` (`train_built`)
    'sr2_restorenet_l1': dict(task='sr2', arch='restorenet', content_loss='l1', gan_pct=0.),
    'sr2_unet_l1':       dict(task='sr2', arch='unet', content_loss='l1', gan_pct=0.),
    'sr2_unet_l1ssim':   dict(task='sr2', arch='unet', content_loss='l1+ssim', gan_pct=0.),
    'sr2_unet_feature':  dict(task='sr2', arch='unet', content_loss='feature', gan_pct=0.),
    'sr2_default':       dict(),
    'sr2_unet':          dict(task='sr2', arch='unet'),
    'sr2_restorenet':    dict(task='sr2', arch='restorenet'),
    'sr2_restorenet_s2': dict(task='sr2', arch='restorenet-s2'),
    'restore4x_default': dict(task='restore'),
    'denoise_default':   dict(task='denoise'),
    'denoise_unet':      dict(task='denoise', arch='unet'),
    'denoise_restorenet': dict(task='denoise', arch='restorenet'),
}
GENERATORS = {'restorenet-s2': dict(width=32, n_blocks=8, scale=2)}   # RestoreNets train_restore cannot name ('unet': its residual UNet)

def train_built(data, budget:float, out:str, seed:int, arch:str, task:str='sr2', size=None, content_loss=None, gan_pct=None) -> dict:
    """`train_restore`'s run (its data, defaults, NoGAN fit, scores and files) with a generator it cannot name: a
    `RestoreNet` of other settings (`GENERATORS[arch]`), built with `restore_learner` and fitted with `fit_restore`."""
    import inspect
    from fastai.torch_core import set_seed
    from fastgan_lab.core import parse_size, versions
    from fastgan_lab.outputs import save_json
    from fastgan_lab.callbacks import resolve_precision
    from fastgan_lab.degradations import paired_dls, pair_degrader
    from fastgan_lab.restoration import (train_restore, restore_learner, fit_restore, RestoreNet, _describe, _restore_record,
                                         _restore_files)
    d = {k: v.default for k, v in inspect.signature(train_restore).parameters.items()}
    content_loss = d['content_loss'] if content_loss is None else content_loss
    gan_pct = d['gan_pct'] if gan_pct is None else gan_pct
    sz, out = parse_size(size or d['size']), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    set_seed(seed)
    dls = paired_dls(data, task, size=sz, bs=d['bs'], seed=seed)
    learn = restore_learner(dls, RestoreNet(**GENERATORS[arch]), content_loss=content_loss, gan_pct=gan_pct, precision=d['precision'])
    settings = {'task': task, 'data': str(data) if data else 'default', 'size': list(sz), 'bs': d['bs'], 'lr': d['lr'], 'seed': seed,
                'budget_min': budget, 'epochs': 0, 'n_items': 0, 'arch': arch, 'pretrained': False,
                'content_loss': content_loss, 'gan_pct': gan_pct, 'precision': resolve_precision(d['precision'], dls.device or 'cpu')}
    stats = fit_restore(learn, out, budget, None, d['lr'], meta={'task': 'restore', 'settings': settings})
    res = {**settings, 'degradation': _describe(pair_degrader(dls)), 'gan': gan_pct > 0, 'metric': learn.nogan.metric,
           **_restore_record(learn, dls, stats)}
    _restore_files(learn, dls, res, out)
    res['versions'] = versions()
    save_json(res, out/'metrics.json')
    return res

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
    from fastgan_lab.core import versions
    from fastgan_lab.outputs import save_json, guard_out
    from fastgan_lab.restoration import train_restore
    from fastgan_lab.cgan import DEFAULT_ARCH
    if a.threads: torch.set_num_threads(a.threads)
    names = [v for v in a.variants.split(',') if v]
    bad = [v for v in names if v not in VARIANTS]
    if bad: sys.exit(f"unknown variant(s) {bad}; choose from {', '.join(VARIANTS)}")
    out, rows, t0 = Path(a.out), {}, time.time()
    prev = json.loads((out/'bench.json').read_text())['runs'] if (out/'bench.json').exists() else {}
    for name in names:
        kw = dict(VARIANTS[name], **({'size': a.size} if a.size else {}))
        print(f"== {name}: {a.budget} min, {kw or 'train_restore defaults'}", flush=True)
        if kw.get('arch') == 'unet': kw['arch'] = DEFAULT_ARCH
        run = guard_out(train_built) if kw.get('arch') in GENERATORS else train_restore      # the same guard of the output folder
        r = run(a.data, budget=a.budget, out=str(out/name), seed=a.seed, **kw)
        rows[name] = {k: r[k] for k in ('task', 'degradation', 'arch', 'pretrained', 'content_loss', 'gan', 'size', 'precision', 'batches',
                                         'phase_batches', 'psnr_input', 'psnr', 'psnr_gain_db', 'ssim_input', 'ssim', 'ssim_gain',
                                         'kept_checkpoint', 'n_train', 'n_valid', 'train_seconds', 'lr', 'bs')}
        save_json({'runs': {**prev, **rows}, 'args': vars(a), 'versions': versions()}, out/'bench.json')
    print(f"\nRestoration, {a.budget} min per variant, {torch.get_num_threads()} torch thread(s), "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {time.time() - t0:.0f} s in all")
    print("| variant | task | generator | content loss | NoGAN | batches | PSNR input | PSNR | gain (dB) | SSIM input | SSIM |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        gen = {'restorenet': 'RestoreNet', 'restorenet-s2': 'RestoreNet(width=32, scale=2)'}.get(r['arch']) or f"residual UNet, {r['arch'][5:] if r['arch'].startswith('timm:') else r['arch']}{' (pretrained)' if r['pretrained'] else ''}"
        print(f"| {name} | {r['task']} {r['size'][0]}x{r['size'][1]} | {gen} | {r['content_loss']} | {'yes' if r['gan'] else 'no'} | {r['batches']} | "
              f"{r['psnr_input']:.2f} | {r['psnr']:.2f} | {r['psnr_gain_db']:+.2f} | {r['ssim_input']:.4f} | {r['ssim']:.4f} |")
    print(f"everything: {out/'bench.json'}")

if __name__ == '__main__': main()
