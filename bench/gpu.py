"""GPU path check: images/s and fraction of the card's measured matmul peak for the UNet (segmentation) and pix2pix
(UNet generator + PatchGAN critic, lsgan + 100 L1) training steps, in fp32 and bf16, channels-last, as a plain PyTorch
step and through the lab's learners with their own flags (`seg_learner(precision='bf16', channels_last=True)`, which add
`callbacks.ChannelsLast` and `callbacks.Precision('bf16')`), which also shows whether those flags act on CUDA ("bf16
seen": the dtype the first convolution really ran in). About 2-3 minutes on one H100.

    FASTGAN_LAB_OFFLINE=1 python bench/gpu.py                     # on a GPU machine
    FASTGAN_LAB_OFFLINE=1 python bench/gpu.py --device cpu --quick  # smoke test on a CPU (seconds)
"""
import os, sys, time, json, argparse, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(__file__))
import torch, torch.nn as nn, torch.nn.functional as F
from common import now_utc, machine, matmul_peak, count_flops, median, fixed_dls, batch_timer, sync

def unet_model(a):
    from fastgan_lab.unet import seg_model
    return seg_model(a.unet_arch, 12, a.size, pretrained=False)   # random weights: the same speed, and no download

def pix2pix_models(a):
    "B's `cgan.unet_generator` + `patch_critic` when the chapter is installed, else the same recipe from fastai parts."
    try:
        from fastgan_lab.cgan import unet_generator, patch_critic, ConditionalCritic
        return unet_generator(3, 3, 'resnet18', size=a.size, pretrained=False), ConditionalCritic(patch_critic(6), 3), 'fastgan_lab.cgan'
    except ImportError:
        from fastai.vision.all import create_unet_model, resnet18
        g = create_unet_model(resnet18, 3, a.size, pretrained=False, y_range=(-1, 1))
        layers, nf, ni = [], 64, 6
        for i in range(3):  # the 70x70 PatchGAN: 4x4 convs, stride 2, LeakyReLU 0.2
            layers.append(nn.Sequential(nn.Conv2d(ni, nf, 4, 2, 1), *([nn.BatchNorm2d(nf)] if i else []), nn.LeakyReLU(0.2)))
            ni, nf = nf, nf * 2
        layers += [nn.Sequential(nn.Conv2d(ni, ni * 2, 4, 1, 1), nn.BatchNorm2d(ni * 2), nn.LeakyReLU(0.2)), nn.Conv2d(ni * 2, 1, 4, 1, 1)]
        class Cond(nn.Module):
            def __init__(self, c): super().__init__(); self.critic = c
            def forward(self, img, cond): return self.critic(torch.cat([cond, img], 1))
        return g, Cond(nn.Sequential(*layers)), 'stand-in (fastai DynamicUnet resnet18 + 70x70 PatchGAN)'

class ConvDtype:
    "Record the dtype of the first convolution's input (is bf16 autocast really on?)."
    def __init__(self, model):
        conv = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
        self.dtype = None; self.h = conv.register_forward_hook(self.hook)
    def hook(self, m, i, o):
        if self.dtype is None: self.dtype = o.dtype
    def remove(self): self.h.remove()

def time_steps(step, n_warm, n, dev):
    for _ in range(n_warm): step()
    sync(dev); ts = []
    for _ in range(n):
        t = time.perf_counter(); step(); sync(dev); ts.append(time.perf_counter() - t)
    return median(ts)

def unet_plain(a, dev, bf16, cl):
    m = unet_model(a).to(dev)
    if cl: m = m.to(memory_format=torch.channels_last)
    x = torch.randn(a.bs, 3, *a.size, device=dev); y = torch.randint(0, 12, (a.bs, *a.size), device=dev)
    if cl: x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(m.parameters(), 1e-3)
    def step():
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=bf16): out = m(x)
        F.cross_entropy(out.float(), y).backward(); opt.step(); opt.zero_grad(set_to_none=True)
    return m, step

def pix2pix_plain(a, dev, bf16, cl):
    g, c, _ = pix2pix_models(a); g, c = g.to(dev), c.to(dev)
    if cl: g, c = g.to(memory_format=torch.channels_last), c.to(memory_format=torch.channels_last)
    x = torch.randn(a.bs, 3, *a.size, device=dev).clamp(-1, 1); y = torch.randn(a.bs, 3, *a.size, device=dev).clamp(-1, 1)
    if cl: x, y = x.contiguous(memory_format=torch.channels_last), y.contiguous(memory_format=torch.channels_last)
    og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999)); oc = torch.optim.Adam(c.parameters(), 2e-4, betas=(0.5, 0.999))
    ac = lambda: torch.autocast(dev.type, dtype=torch.bfloat16, enabled=bf16)
    def step():   # one pix2pix iteration: a critic step and a generator step on the same batch
        with ac():
            fake = g(x)
            real_p, fake_p = c(y, x).float(), c(fake.detach(), x).float()
        (0.5 * ((real_p - 1).pow(2).mean() + fake_p.pow(2).mean())).backward(); oc.step(); oc.zero_grad(set_to_none=True)
        for p in c.parameters(): p.requires_grad_(False)
        with ac(): p_ = c(fake, x).float()
        (0.5 * (p_ - 1).pow(2).mean() + 100 * F.l1_loss(fake.float(), y)).backward(); og.step(); og.zero_grad(set_to_none=True)
        for p in c.parameters(): p.requires_grad_(True)
    return g, step

def unet_fastai(a, dev, bf16, cl):
    "The lab's `SegLearner` with its own flags, over fixed batches on `dev`."
    from fastgan_lab.unet import SegLearner
    from fastgan_lab.callbacks import ChannelsLast, Precision
    from fastai.vision.all import CrossEntropyLossFlat
    x = torch.randn(a.bs, 3, *a.size, device=dev); y = torch.randint(0, 12, (a.bs, *a.size), device=dev)
    dls = fixed_dls([(x, y)] * (a.steps + a.warm + 1), dev)
    m = unet_model(a).to(dev)
    learn = SegLearner(dls, m, loss_func=CrossEntropyLossFlat(axis=1))
    learn.codes = [str(i) for i in range(12)]
    if cl: learn.add_cb(ChannelsLast())
    if bf16: learn.add_cb(Precision('bf16'))   # what `seg_learner(precision='bf16')` adds
    return learn

def run_fastai(learn, dev, a):
    timer = batch_timer(); probe = ConvDtype(learn.model)
    with learn.no_logging(), learn.no_bar(): learn.fit(1, 1e-3, cbs=[timer])
    probe.remove(); sync(dev)
    return median(timer.ts[a.warm:]), probe.dtype

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--device', default='cuda'); p.add_argument('--quick', action='store_true')
    p.add_argument('--size', default='256,256'); p.add_argument('--bs', type=int, default=16)
    p.add_argument('--unet_arch', default='resnet34'); p.add_argument('--steps', type=int, default=20)
    p.add_argument('--warm', type=int, default=5); p.add_argument('--json', default='bench/out/gpu.json')
    a = p.parse_args()
    if a.quick: a.size, a.bs, a.steps, a.warm, a.unet_arch = '32,32', 2, 1, 0, 'resnet18'
    if a.device == 'cpu': torch.set_num_threads(1)
    a.size = tuple(int(s) for s in a.size.split(','))
    dev = torch.device(a.device)
    if dev.type == 'cuda':
        if not torch.cuda.is_available(): sys.exit("no CUDA device: use --device cpu --quick for a smoke test")
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = False; torch.backends.cudnn.allow_tf32 = False   # fp32 means fp32
    n = 1024 if a.quick else 8192
    peaks = {'fp32': matmul_peak(torch.float32, n, device=dev), 'bf16': matmul_peak(torch.bfloat16, n, device=dev)}
    name = machine(str(dev))
    print(f"{name}: matmul peak fp32 {peaks['fp32']:.0f} GFLOP/s, bf16 {peaks['bf16']:.0f} GFLOP/s ({n}x{n})", flush=True)
    rows = []
    for model, plain in (('unet', unet_plain), ('pix2pix', pix2pix_plain)):
        for bf16 in (False, True):
            for cl in ((True,) if a.quick else (False, True)):
                dt = 'bf16' if bf16 else 'fp32'
                row = {'model': model, 'dtype': dt, 'channels_last': cl, 'bs': a.bs, 'size': a.size}
                try:
                    m, step = plain(a, dev, bf16, cl)
                    flops = count_flops(step)   # one (warm-up) step, counted
                    s = time_steps(step, a.warm, a.steps, dev)
                    row.update(loop='plain', img_s=a.bs / s, step_s=s, gflop_step=flops / 1e9, tflops=flops / s / 1e12,
                               pct_peak=100 * flops / s / 1e9 / peaks[dt])
                    del m, step
                except Exception as e: row.update(loop='plain', error=f'{type(e).__name__}: {e}'[:200])
                rows.append(row); print(row, flush=True)
                if model == 'unet':
                    r2 = dict(row, loop='fastai (seg_learner flags)')
                    try:
                        learn = unet_fastai(a, dev, bf16, cl)
                        s, seen = run_fastai(learn, dev, a)
                        r2.update(img_s=a.bs / s, step_s=s, tflops=row.get('gflop_step', float('nan')) / s / 1e3,
                                  pct_peak=100 * row.get('gflop_step', float('nan')) / s / peaks[dt], bf16_seen=str(seen))
                        del learn
                    except Exception as e: r2.update(error=f'{type(e).__name__}: {e}'[:200])
                    rows.append(r2); print(r2, flush=True)
                if dev.type == 'cuda': torch.cuda.empty_cache()
    _, _, p2p_src = pix2pix_models(a)
    print(f"\nGPU path, {now_utc()}: {name}; size {a.size[0]}x{a.size[1]}, bs {a.bs}, median of {a.steps} steps after {a.warm} "
          f"warm-up; UNet {a.unet_arch} (12 classes); pix2pix = one critic + one generator step per batch ({p2p_src}); "
          f"matmul peak fp32 {peaks['fp32'] / 1e3:.3g} TFLOP/s (TF32 off), bf16 {peaks['bf16'] / 1e3:.3g} TFLOP/s\n")
    print('| model | loop | dtype | channels_last | images/s | GFLOP/step | TFLOP/s | % of matmul peak | bf16 seen |')
    print('|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        if 'error' in r: print(f"| {r['model']} | {r['loop']} | {r['dtype']} | {r['channels_last']} | error: {r['error']} | | | | |"); continue
        print(f"| {r['model']} | {r['loop']} | {r['dtype']} | {r['channels_last']} | {r['img_s']:.1f} | {r.get('gflop_step', float('nan')):.1f} | "
              f"{r['tflops']:.3g} | {r['pct_peak']:.1f}% | {r.get('bf16_seen', '')} |")
    if a.json:
        os.makedirs(os.path.dirname(a.json) or '.', exist_ok=True)
        json.dump({'date': now_utc(), 'device': name, 'peaks_gflops': peaks, 'args': {k: str(v) for k, v in vars(a).items()},
                   'rows': rows}, open(a.json, 'w'), indent=2, default=str)

if __name__ == '__main__': main()
