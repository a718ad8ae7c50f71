"""Training throughput of each chapter's learner against a plain PyTorch loop over the same model, the same batches and
the same batch size (fastai's own optimizer, or with `+topt` in the config torch's multi-tensor Adam(W) through fastai's
`OptimWrapper`), and the fraction of this machine's measured matmul peak that each training step reaches, before
(fp32, channels-first, torch's default threads) and after the speed work (channels-last + bf16 autocast, thread count).

Both loops replay the same batches, drawn once from the chapter's real fastai `DataLoader`; the cost of drawing them
(decoding, augmentation) is measured separately ("data s/batch"). Step times are medians over the batches after the
first, in `--reps` interleaved repetitions (the fastest repetition is kept); the model starts from the same weights each
time. On a shared CPU, wall time mostly measures the other jobs: the figures that count are per CPU-second of this
process (`time.process_time`), for the steps as for the matmul peak; with 1 torch thread that is the work itself. FLOPs are counted with
torch's FlopCounterMode (convolutions, matmuls; forward + backward) on the plain fp32 step.

    FASTGAN_LAB_OFFLINE=1 .venv/bin/python bench/throughput.py [--tasks siamese,unet,gan,pix2pix] [--threads 2,1]
        [--batches 6] [--reps 2] [--configs fp32,cl+bf16,cl+bf16+topt] [--json bench/out/throughput.json]
"""
import os, sys, time, argparse, itertools, warnings, copy
warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(__file__))
import torch, torch.nn.functional as F
from common import now_utc, machine, matmul_peak, count_flops, median, fixed_dls, batch_timer

def _plain(t): return t.as_subclass(torch.Tensor) if isinstance(t, torch.Tensor) else t

# ---------------------------------------------------------------- tasks: (learner, batches, plain step, items per batch)
def task_siamese(a):
    from fastgan_lab.siamese import siamese_dls, siamese_learner
    dls = siamese_dls(bs=a.bs_siamese, device='cpu')
    learn = siamese_learner(dls, 'tiny')
    def loss(m, b):
        x1, x2, y = map(_plain, b); return F.cross_entropy(m(x1, x2).float(), y)
    return dict(dls=dls, learn=learn, loss=loss, n=lambda b: len(b[0]), what=f"siamese 'tiny', digit pairs 28x28, bs {a.bs_siamese}")

def task_unet(a):
    from fastgan_lab.unet import camvid_dls, seg_learner, seg_codes
    from fastgan_lab.data import void_index
    dls = camvid_dls(a.data, size=a.size, bs=a.bs_unet, aug=True, check=False)
    learn = seg_learner(dls, a.arch, pretrained=False, precision='fp32', channels_last=False)   # the configs add the speed switches
    void = void_index(seg_codes(dls))
    def loss(m, b):
        x, y = map(_plain, b)
        return F.cross_entropy(m(x).float(), y.long(), ignore_index=-100 if void is None else void)
    return dict(dls=dls, learn=learn, loss=loss, n=lambda b: len(b[0]), what=f"UNet {a.arch}, street scenes {a.size}, bs {a.bs_unet}")

def task_gan(a):
    from fastgan_lab.gan import gan_dls, gan_learner
    dls = gan_dls(bs=a.bs_gan, device='cpu')
    learn = gan_learner(dls, 'hinge')
    return dict(dls=dls, learn=learn, gan=True, n=lambda b: len(b[1]), what=f"DCGAN (hinge, EMA, NaN guard), digits 32x32, bs {a.bs_gan}")

def task_pix2pix(a):
    from fastgan_lab.cgan import cgan_learner
    from fastgan_lab.degradations import paired_dls
    dls = paired_dls(None, 'restore', size=a.p2p_size, bs=a.bs_p2p)
    learn = cgan_learner(dls, pool_size=0, precision='fp32', channels_last=False)   # the configs add the speed switches
    return dict(dls=dls, learn=learn, gan=True, cond=True, n=lambda b: len(b[0]),
                what=f"pix2pix (UNet G + PatchGAN D, lsgan + 100 L1), restoration pairs {a.p2p_size}, bs {a.bs_p2p}")

def task_gan_bare(a):
    "The same DCGAN without the chapter's `GeneratorEMA` and `NaNGuard` (what those two cost per batch)."
    from fastgan_lab.gan import gan_dls, gan_learner
    dls = gan_dls(bs=a.bs_gan, device='cpu')
    learn = gan_learner(dls, 'hinge', ema=False, nan_guard=False)
    return dict(dls=dls, learn=learn, gan=True, n=lambda b: len(b[1]), what=f"DCGAN (hinge, no EMA, no NaN guard), digits 32x32, bs {a.bs_gan}")

TASKS = {'siamese': task_siamese, 'unet': task_unet, 'gan': task_gan, 'gan-bare': task_gan_bare, 'pix2pix': task_pix2pix}

# ---------------------------------------------------------------- plain PyTorch loops
def _cl(x, cl): return x.contiguous(memory_format=torch.channels_last) if cl and x.ndim == 4 else x

def plain_run(t, batches, cl, bf16):
    "Time a plain PyTorch loop over `batches`; returns (wall s per batch, CPU s per batch), medians after the first."
    m = t['learn'].model; m.train()
    if cl: m.to(memory_format=torch.channels_last)
    ac = lambda: torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16)
    if t.get('gan'):
        g, c = m.generator, m.critic
        lf = t['learn'].loss_func
        og = torch.optim.Adam(g.parameters(), 5e-4, betas=(0.5, 0.999)); oc = torch.optim.Adam(c.parameters(), 5e-4, betas=(0.5, 0.999))
        cond = t.get('cond')
        def crit_score(img, x): return c(img, x) if cond else c(img)     # cgan's ConditionalCritic(image, input)
        def step(i, b):
            x, y = [_cl(_plain(o), cl) for o in b]          # (noise or input, real image)
            gen_step = i % 2 == 1                           # FixedGANSwitcher(n_crit=1, n_gen=1): critic first
            for p in c.parameters(): p.requires_grad_(not gen_step)
            for p in g.parameters(): p.requires_grad_(gen_step)
            with ac():
                if gen_step:
                    fake = g(x); pred = crit_score(fake, x).float()
                    loss = lf.gen_loss_func(pred, fake.float(), y.float())
                    if cond: loss = loss + 100. * F.l1_loss(fake.float(), y.float())
                else:
                    real = crit_score(y, x).float()
                    with torch.no_grad(): fake = g(x)
                    loss = lf.crit_loss_func(real, crit_score(fake, x).float())
            loss.backward(); o = og if gen_step else oc; o.step(); o.zero_grad()
    else:
        opt = torch.optim.AdamW(m.parameters(), 1e-3, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01)
        def step(i, b):
            b = [_cl(_plain(o), cl) for o in b]
            with ac(): out_loss = t['loss'](m, b)
            out_loss.backward(); opt.step(); opt.zero_grad()
    ts, cs = [], []
    for i, b in enumerate(batches):
        t0, c0 = time.perf_counter(), time.process_time(); step(i, b)
        if i: ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
    for p in m.parameters(): p.requires_grad_(True)
    return median(ts), median(cs)

def torch_opt(gan:bool):
    "fastai's wrapper around torch's own (multi-tensor) Adam/AdamW with the learner's hyper-parameters."
    from functools import partial
    from fastai.optimizer import OptimWrapper
    if gan: return partial(OptimWrapper, opt=torch.optim.Adam, betas=(0.5, 0.999), eps=1e-5)
    return partial(OptimWrapper, opt=torch.optim.AdamW, betas=(0.9, 0.99), eps=1e-5)

def fastai_run(t, batches, cl, bf16, topt=False):
    "Time fastai's `Learner.fit` over the same batches (default callbacks but the progress bar, the chapter's own, the speed switches)."
    from fastgan_lab.callbacks import ChannelsLast, Precision
    learn = t['learn']; real_dls, opt_func = learn.dls, learn.opt_func
    learn.dls = fixed_dls(batches)
    if topt: learn.opt_func, learn.opt = torch_opt(t.get('gan')), None
    cbs = ([ChannelsLast()] if cl else [])
    if bf16: cbs.append(Precision('bf16'))      # the one autocast callback, for GANs as for the other learners
    timer = batch_timer()
    try:
        with learn.no_logging(), learn.no_bar(): learn.fit(1, 1e-3 if not t.get('gan') else 5e-4, cbs=cbs + [timer])
    finally:
        learn.dls = real_dls
        if topt: learn.opt_func, learn.opt = opt_func, None
    return median(timer.ts[1:]), median(timer.cpu_ts[1:])

def step_flops(t, batches):
    "FLOPs of one plain fp32 training step (the mean of a critic and a generator step for GANs)."
    m = t['learn'].model; init = copy.deepcopy(m.state_dict())
    fl = count_flops(lambda: plain_run(t, batches[:1] * 2, False, False)) / 2    # GANs: a critic and a generator step
    m.load_state_dict(init)
    return fl

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--tasks', default='siamese,unet,gan,pix2pix'); p.add_argument('--threads', default='2,1')
    p.add_argument('--configs', default='fp32,cl+bf16'); p.add_argument('--batches', type=int, default=6)
    p.add_argument('--reps', type=int, default=2); p.add_argument('--data', default=None)
    p.add_argument('--arch', default='timm:regnetx_002'); p.add_argument('--size', default='96,128')
    p.add_argument('--p2p_size', default='96,128')
    p.add_argument('--bs_unet', type=int, default=8); p.add_argument('--bs_siamese', type=int, default=128)
    p.add_argument('--bs_gan', type=int, default=64); p.add_argument('--bs_p2p', type=int, default=4)
    p.add_argument('--json', default='bench/out/throughput.json')
    a = p.parse_args()
    from fastai.torch_core import set_seed
    rows, peaks = [], {}
    for threads in map(int, a.threads.split(',')):
        torch.set_num_threads(threads)
        peaks[threads] = {'fp32': matmul_peak(torch.float32), 'bf16': matmul_peak(torch.bfloat16),
                          'fp32_cpu': matmul_peak(torch.float32, clock='cpu'), 'bf16_cpu': matmul_peak(torch.bfloat16, clock='cpu')}
        print(f"[{threads} thread(s)] matmul peak fp32 {peaks[threads]['fp32']:.0f} GFLOP/s ({peaks[threads]['fp32_cpu']:.0f} per CPU-s), "
              f"bf16 {peaks[threads]['bf16']:.0f} GFLOP/s ({peaks[threads]['bf16_cpu']:.0f} per CPU-s)", flush=True)
    for name in a.tasks.split(','):
        set_seed(0)
        try: t = TASKS[name](a)
        except ImportError as e: print(f"[{name}] skipped: {e}", flush=True); continue
        t0, c0 = time.perf_counter(), time.process_time()
        batches = [tuple(b) for b in itertools.islice(iter(t['dls'].train), a.batches)]
        data_s, data_cpu_s = (time.perf_counter() - t0) / len(batches), (time.process_time() - c0) / len(batches)
        init = copy.deepcopy(t['learn'].model.state_dict())
        flops = step_flops(t, batches)
        for threads in map(int, a.threads.split(',')):
            torch.set_num_threads(threads)
            for cfg in a.configs.split(','):
                cl, bf16, topt = 'cl' in cfg, 'bf16' in cfg, 'topt' in cfg
                res = {'plain': [], 'fastai': [], 'plain_cpu': [], 'fastai_cpu': []}
                for r in range(a.reps):
                    for kind, fn in (('plain', plain_run), ('fastai', lambda *o: fastai_run(*o, topt=topt))):
                        t['learn'].model.load_state_dict(init); t['learn'].model.to(memory_format=torch.contiguous_format)
                        w, c = fn(t, batches, cl, bf16); res[kind].append(w); res[kind + '_cpu'].append(c)
                pw, fw = min(res['plain']), min(res['fastai'])       # the least disturbed repetition
                pc, fc = min(res['plain_cpu']), min(res['fastai_cpu'])
                n = t['n'](batches[0]); peak = peaks[threads]['bf16' if bf16 else 'fp32']
                peak_cpu = peaks[threads][('bf16' if bf16 else 'fp32') + '_cpu']
                row = {'task': name, 'what': t['what'], 'threads': threads, 'config': cfg, 'items': n,
                       'plain_s': pw, 'fastai_s': fw, 'plain_items_s': n / pw, 'fastai_items_s': n / fw,
                       'overhead_pct': 100 * (fw / pw - 1), 'overhead_cpu_pct': 100 * (fc / pc - 1),
                       'data_s_per_batch': data_s, 'data_cpu_s_per_batch': data_cpu_s, 'gflop_step': flops / 1e9, 'gflops_s': flops / fw / 1e9,
                       'peak_gflops': peak, 'pct_peak': 100 * flops / fw / 1e9 / peak,
                       'plain_items_cpu_s': n / pc, 'fastai_items_cpu_s': n / fc, 'peak_gflops_cpu': peak_cpu,
                       'gflops_cpu_s': flops / fc / 1e9, 'pct_peak_cpu': 100 * flops / fc / 1e9 / peak_cpu, 'runs': res}
                rows.append(row)
                print(f"[{name}] {threads} thr {cfg}: per CPU-s plain {n / pc:.1f}, fastai {n / fc:.1f} items, overhead {row['overhead_cpu_pct']:+.1f}% "
                      f"(wall: {n / pw:.1f} vs {n / fw:.1f} items/s, {row['overhead_pct']:+.1f}%); {row['gflops_cpu_s']:.1f} GFLOP per CPU-s = "
                      f"{row['pct_peak_cpu']:.1f}% of peak", flush=True)
        t['learn'].model.load_state_dict(init)
    print(f"\nTraining throughput, {now_utc()}; {machine()}; {a.batches} batches x {a.reps} reps, min of the per-rep medians\n")
    print('| learner | threads | config | plain PyTorch items per CPU-s | fastai items per CPU-s | fastai overhead (CPU time) | wall items/s plain / fastai | data CPU-s/batch | GFLOP/step | GFLOP per CPU-s | % of matmul peak |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        print(f"| {r['what']} | {r['threads']} | {r['config']} | {r['plain_items_cpu_s']:.1f} | {r['fastai_items_cpu_s']:.1f} | "
              f"{r['overhead_cpu_pct']:+.1f}% | {r['plain_items_s']:.1f} / {r['fastai_items_s']:.1f} | {r['data_cpu_s_per_batch']:.3f} | "
              f"{r['gflop_step']:.2f} | {r['gflops_cpu_s']:.1f} | {r['pct_peak_cpu']:.1f}% of {r['peak_gflops_cpu']:.0f} "
              f"({'bf16' if 'bf16' in r['config'] else 'fp32'}) |")
    if a.json:
        os.makedirs(os.path.dirname(a.json) or '.', exist_ok=True)
        from fastgan_lab.core import versions
        from fastgan_lab.outputs import save_json
        save_json({'date': now_utc(), 'machine': machine(), 'peaks': peaks, 'args': vars(a), 'rows': rows, 'versions': versions()}, a.json)

if __name__ == '__main__': main()
