"""Benchmark for the UNet chapter (fastgan_lab.unet): budgeted training on CamVid against a plain baseline, and
training-step throughput (fastai vs a plain PyTorch loop; speed switches; fraction of the matmul peak). The comparison
across all chapters' learners lives in bench/throughput.py (helpers shared in bench/common.py).

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/unet.py --budget 3 [--part train|speed|all]
"""
import os, sys, time, json, argparse, warnings, datetime
warnings.filterwarnings('ignore')
import numpy as np, torch, torch.nn.functional as F
from fastai.vision.all import unet_learner, resnet34, Learner, Callback
from fastgan_lab.core import BudgetCallback, save_json
from fastgan_lab.data import camvid_path
from fastgan_lab.unet import (camvid_dls, seg_evaluate, train_unet, seg_model, seg_learner, parse_size, TrainStats,
                                 CPUBf16, ChannelsLast)

def baseline(args):
    "Plain `unet_learner(dls, resnet34, pretrained=False)` + `fit_one_cycle`, same budget, same (native) size, no tuning."
    dls = camvid_dls(args.data, size=None, bs=args.bs, aug=False)         # same valid.txt split, full 180x240
    learn = unet_learner(dls, resnet34, pretrained=False)
    stats = TrainStats()
    # epochs: as many as the budget fits, from the time of 2 batches (at least 1: an epoch does not fit on this CPU)
    xb, yb = dls.one_batch(); opt = torch.optim.Adam(learn.model.parameters()); ts = time.perf_counter()
    for _ in range(2): F.cross_entropy(learn.model(xb), yb.long()).backward()
    per_batch = (time.perf_counter() - ts) / 2
    n_ep = max(1, int(args.budget * 60 / (per_batch * len(dls.train))))
    learn.model.zero_grad(); t0 = time.perf_counter()           # the estimate is not charged to the budget
    learn.fit_one_cycle(n_ep, cbs=[BudgetCallback(args.budget), stats])
    train_s = time.perf_counter() - t0
    conf = seg_evaluate(learn, dls.valid)
    return {'run': 'baseline: unet_learner resnet34, fit_one_cycle', 'epochs': n_ep, 'size': '180x240', 'pixel_accuracy': conf.pixel_accuracy(),
            'miou': conf.miou(), 'train_images_seen': stats.n_imgs, 'train_seconds': round(train_s, 1),
            'img_s': round(stats.n_imgs / train_s, 2), 'per_class_iou': conf.per_class_iou(dls.codes)}

def ours(args):
    r = train_unet(args.data, size=args.size, arch=args.arch, budget=args.budget, bs=args.bs, lr=args.lr, out=args.out,
                   bf16=True, max_ch=args.max_ch)
    return {'run': f'train_unet {args.arch} @{args.size} bf16 channels_last, time one-cycle lr {args.lr}', 'epochs': 'time',
            'size': args.size, 'pixel_accuracy': r['pixel_accuracy'], 'miou': r['miou'],
            'train_images_seen': r['train_images_seen'], 'train_seconds': r['train_seconds'], 'img_s': r['throughput_img_s'],
            'per_class_iou': r['per_class_iou']}

sys.path.insert(0, os.path.dirname(__file__))
from common import matmul_peak          # shared with bench/throughput.py and bench/gpu.py

def step_flops(model, x, y):
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as fc:
        F.cross_entropy(model(x), y).backward()
    model.zero_grad(); return fc.get_total_flops()

def speed(args, n=3):
    "fastai loop vs plain loop, same model and batch; then the speed switches; FLOP/s vs matmul peak."
    size = parse_size(args.size); res = []
    dls = camvid_dls(args.data, size=size, bs=args.bs, aug=False, check=False)
    xb, yb = [t.as_subclass(torch.Tensor) for t in dls.one_batch()]
    flops = step_flops(seg_model(args.arch, 12, size, max_ch=args.max_ch), xb, yb.long())
    for threads in (2, 1):
        torch.set_num_threads(threads)
        peak32, peak16 = matmul_peak(), matmul_peak(torch.bfloat16)
        for cl, bf16 in ((False, False), (True, False), (True, True)):
            model = seg_model(args.arch, 12, size, max_ch=args.max_ch)
            if cl: model = model.to(memory_format=torch.channels_last)
            x = xb.contiguous(memory_format=torch.channels_last) if cl else xb
            opt = torch.optim.Adam(model.parameters())
            def plain_step():
                with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16): out = model(x)
                F.cross_entropy(out.float(), yb.long()).backward(); opt.step(); opt.zero_grad()
            plain_step(); ts = []
            for _ in range(n):
                t = time.perf_counter(); plain_step(); ts.append(time.perf_counter() - t)
            plain = min(ts)                           # min over steps: the least disturbed by other processes
            # fastai: the same model and batch through Learner.fit (callbacks, recorder, progress, hooks)
            from fastai.data.core import DataLoaders
            class Rep:
                def __init__(self, k): self.k = k
                def __iter__(self): return iter([(xb, yb)] * self.k)
                def __len__(self): return self.k
                def to(self, d): return self
            rdls = DataLoaders(Rep(n + 2), Rep(0)); rdls.device = torch.device('cpu')
            cbs = ([ChannelsLast()] if cl else []) + ([CPUBf16()] if bf16 else [])
            learn = Learner(rdls, model, loss_func=lambda o, t: F.cross_entropy(o.float(), t.long()), cbs=cbs)
            class T(Callback):                        # time from one batch's start to the next (all of fastai's loop)
                order = -100
                def before_fit(self): self.ts, self.last = [], None
                def before_batch(self):
                    now = time.perf_counter()
                    if self.last is not None and self.iter >= 2: self.ts.append(now - self.last)
                    self.last = now
            tcb = T(); learn.fit(1, 1e-3, cbs=[tcb])
            fa = min(tcb.ts)
            res.append({'threads': threads, 'channels_last': cl, 'bf16': bf16, 'plain_s': round(plain, 3), 'fastai_s': round(fa, 3),
                        'plain_img_s': round(len(xb) / plain, 2), 'fastai_img_s': round(len(xb) / fa, 2),
                        'overhead_pct': round(100 * (fa / plain - 1), 1), 'gflop_step': round(flops / 1e9, 1),
                        'gflops_s': round(flops / fa / 1e9, 1), 'peak_fp32': round(peak32, 1), 'peak_bf16': round(peak16, 1),
                        'pct_fp32_peak': round(100 * flops / fa / 1e9 / peak32, 1), 'pct_bf16_peak': round(100 * flops / fa / 1e9 / peak16, 1)})
            print(res[-1], flush=True)
    return res

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--budget', type=float, default=3); p.add_argument('--part', default='all')
    p.add_argument('--arch', default='timm:regnetx_002'); p.add_argument('--size', default='90,120')
    p.add_argument('--lr', type=float, default=1e-2); p.add_argument('--bs', type=int, default=8)
    p.add_argument('--max_ch', type=int, default=0); p.add_argument('--threads', type=int, default=1)
    p.add_argument('--data', default=None); p.add_argument('--out', default='/tmp/unet_bench')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print('data:', camvid_path(args.data, verbose=False), '| date', datetime.datetime.utcnow().isoformat(timespec='minutes'),
          '| torch threads', torch.get_num_threads(), '| load', os.getloadavg(), flush=True)
    out = {}
    if args.part in ('all', 'train', 'ours'): out['ours'] = ours(args); print(out['ours'], flush=True)
    if args.part in ('all', 'train', 'baseline'): out['baseline'] = baseline(args); print(out['baseline'], flush=True)
    if args.part in ('all', 'train', 'ours', 'baseline'):
        print(f"\n| run | train size | images seen | img/s | pixel acc (no void) | mIoU |\n|---|---|---|---|---|---|")
        for k in ('baseline', 'ours'):
            if k not in out: continue
            r = out[k]; print(f"| {r['run']} | {r['size']} | {r['train_images_seen']} | {r['img_s']} | {r['pixel_accuracy']:.3f} | {r['miou']:.3f} |")
    if args.part in ('all', 'speed'):
        torch.set_num_threads(args.threads)
        out['speed'] = speed(args)
        print("\n| threads | channels_last | bf16 | plain img/s | fastai img/s | overhead | GFLOP/s | % fp32 peak | % bf16 peak |\n|---|---|---|---|---|---|---|---|---|")
        for r in out['speed']:
            print(f"| {r['threads']} | {r['channels_last']} | {r['bf16']} | {r['plain_img_s']} | {r['fastai_img_s']} | {r['overhead_pct']}% | {r['gflops_s']} | {r['pct_fp32_peak']}% | {r['pct_bf16_peak']}% |")
        print(f"step: {out['speed'][0]['gflop_step']} GFLOP (fwd+bwd, FlopCounterMode); matmul peaks fp32/bf16 (GFLOP/s) at 2 threads "
              f"{out['speed'][0]['peak_fp32']}/{out['speed'][0]['peak_bf16']}, at 1 thread {out['speed'][-1]['peak_fp32']}/{out['speed'][-1]['peak_bf16']}")
    save_json(out, os.path.join(args.out, f'bench_{args.part}_lr{args.lr}.json'))

if __name__ == '__main__': main()
