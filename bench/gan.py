"""Benchmark: FID/KID (DigitNet features) of 1,000 generated digits vs the 1,000 held-out real digits, for fastai's
`GANLearner.wgan` as shipped and for each loss/callback combination of `fastgan_lab.gan`, each trained for the same
budget of CPU time (process time of one torch thread, so that other users of a shared machine do not shift the
result).   Usage: python bench/gan.py [--budget 2] [--threads 1] [--configs a,b,...]"""
import argparse, time, datetime, os, warnings
warnings.filterwarnings('ignore')
import torch
from fastai.torch_core import set_seed
from fastai.callback.core import Callback, CancelFitException
from fastgan_lab.core import versions
from fastgan_lab.outputs import save_json
from fastgan_lab.gan import gan_dls, gan_learner, fastai_wgan, generator_from_learner, digit_features, digit_arrays_32, fid_kid

class CPUBudget(Callback):
    "Stop fitting after `minutes` of this process's CPU time (not wall time: the machine is shared)."
    order = 0
    def __init__(self, minutes): self.minutes = minutes
    def before_fit(self): self.start = time.process_time()
    def after_batch(self):
        if self.training and time.process_time() - self.start > self.minutes * 60: raise CancelFitException()

CONFIGS = {  # name: (description, builder)
    'fastai-wgan':   ("fastai GANLearner.wgan as shipped (clip 0.01, BN critic, n_crit 5)", lambda d: fastai_wgan(d)),
    'fastai-wgan-lr5e-4': ("the same at lr 5e-4", lambda d: fastai_wgan(d, lr=5e-4)),
    'wgan-gp+ema':   ("WGANLoss + GradientPenalty(wgan-gp, 10), no-norm critic, n_crit 5, EMA, lr 2e-4", lambda d: gan_learner(d, 'wgan-gp', lr=2e-4)),
    'hinge+ema':     ("HingeGANLoss, BN critic, n_crit 1, EMA, lr 2e-4", lambda d: gan_learner(d, 'hinge', lr=2e-4)),
    'hinge':         ("HingeGANLoss, BN critic, n_crit 1, no EMA, lr 2e-4", lambda d: gan_learner(d, 'hinge', ema=False, lr=2e-4)),
    'ns+ema':        ("NSGANLoss, BN critic, n_crit 1, EMA, lr 2e-4", lambda d: gan_learner(d, 'ns', lr=2e-4)),
    'lsgan+ema':     ("LSGANLoss, BN critic, n_crit 1, EMA, lr 2e-4", lambda d: gan_learner(d, 'lsgan', lr=2e-4)),
    'hinge+r1+ema':  ("HingeGANLoss + GradientPenalty(r1, 1), no-norm critic, EMA, lr 2e-4", lambda d: gan_learner(d, 'hinge', gp='r1', gp_weight=1., lr=2e-4)),
    'default':       ("**recommended default** `gan_learner(dls)`: HingeGANLoss, BN critic, n_crit 1, EMA, lr 5e-4", lambda d: gan_learner(d)),
}

def run(name, budget, bs, seed, n_eval, real, net):
    set_seed(seed)
    dls = gan_dls(bs=bs)
    learn = CONFIGS[name][1](dls)
    learn.add_cb(CPUBudget(budget))
    t0 = time.perf_counter()
    with learn.no_bar(), learn.no_logging(): learn.fit(1000)
    secs = time.perf_counter() - t0
    gg = generator_from_learner(learn)      # EMA weights when the config has GeneratorEMA
    m = fid_kid(real, gg.generate(n_eval, seed=seed + 1), net)
    return {'config': name, 'what': CONFIGS[name][0], 'batches': learn.train_iter, 'wall_s': round(secs, 1),
            'fid': m['fid'], 'kid': m['kid'], 'kid_std': m['kid_std']}

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--budget', type=float, default=2., help='training minutes per config')
    ap.add_argument('--threads', type=int, default=1, help='torch threads')
    ap.add_argument('--bs', type=int, default=64)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--n_eval', type=int, default=1000)
    ap.add_argument('--configs', default=','.join(CONFIGS))
    ap.add_argument('--out', default='bench/out/gan.json')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    net, acc = digit_features()
    real, _ = digit_arrays_32('valid')
    ref_train, _ = digit_arrays_32('train')
    ref = fid_kid(real, ref_train[torch.randperm(len(ref_train), generator=torch.Generator().manual_seed(0))[:a.n_eval]], net)
    rows = []
    for name in a.configs.split(','):
        r = run(name, a.budget, a.bs, a.seed, a.n_eval, real, net); rows.append(r)
        print(f"{name}: FID {r['fid']:.2f} KID {r['kid']:.4f} ({r['batches']} batches)", flush=True)
    date = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    print(f"\nGAN benchmark, {date}: {a.budget:g} min of CPU time per config, {a.threads} torch thread(s), bs {a.bs}, seed {a.seed}, "
          f"{os.cpu_count()} CPUs (shared); FID/KID of {a.n_eval} generated vs {len(real)} held-out real digits, "
          f"DigitNet features (valid accuracy {acc:.4f}); real train digits vs held-out: FID {ref['fid']:.2f}, KID {ref['kid']:.4f}\n")
    print('| config | what | batches | FID | KID |'); print('|---|---|---|---|---|')
    for r in rows: print(f"| {r['config']} | {r['what']} | {r['batches']} | {r['fid']:.2f} | {r['kid']:.4f} ± {r['kid_std']:.4f} |")
    save_json({'date': date, 'budget_min': a.budget, 'threads': a.threads, 'bs': a.bs, 'seed': a.seed, 'n_eval': a.n_eval,
               'feature_net_acc': acc, 'real_vs_real': ref, 'rows': rows, 'versions': versions()}, a.out)
