"""Benchmark for the UNet chapter (fastgan_lab.unet): the same wall-time budget spent three ways on CamVid (train split
to train, valid.txt split to score at the images' own size, void excluded), and training-step throughput (fastai vs a
plain PyTorch loop; speed switches; fraction of the matmul peak). Helpers shared with bench/throughput.py in bench/common.py.

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/unet.py --budget 10 --threads 2 [--part train|speed|all]

Runs (each `train_unet` with the same budget, one after the other; results in bench/out/unet/<run>/):
  pretrained   train_unet() with its defaults: UNet over EfficientNet-Lite0 with ImageNet weights, fine-tuned
  former-default, lr3, nchw   the default with other crops/learning rate/memory format (see RUNS)
  scratch      the same network and schedule from random weights (no frozen phase)
  resnet34     fastai's DynamicUnet over resnet34 from scratch, whole 180x240 images, fp32, NCHW, lr 1e-2
"""
import os, sys, time, json, argparse, warnings, datetime, inspect
warnings.filterwarnings('ignore')
import torch, torch.nn.functional as F
from fastai.vision.all import Learner, Callback
from pathlib import Path
from fastai.torch_core import set_seed
from fastgan_lab.core import parse_size
from fastgan_lab.outputs import save_json, guard_out
from fastgan_lab.core import cpu_class
from fastgan_lab.callbacks import ChannelsLast, Precision, bf16_fast
from fastgan_lab.unet import camvid_dls, train_unet, seg_model, seg_learner, fit_unet, unet_report

RUNS = {   # options of `train_unet`; `channels_last` (a `seg_learner` option) builds the learner here (`train_built`)
    'pretrained':  dict(),
    'scratch':     dict(pretrained=False),
    'resnet34':    dict(arch='resnet34', pretrained=False, crop='', precision='fp32', channels_last=False, lr=1e-2),
    # recipes against the default, in the precision the CPU class picks (fp32 under ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2)
    'former-default': dict(crop='128,160', lr=3e-3),      # the default until 2026-12-07
    'lr3':         dict(lr=3e-3),                         # the default crops, the former learning rate
    'nchw':        dict(channels_last=False),
}

def train_built(data, out:str, budget:float, channels_last:bool=True, **kw) -> dict:
    """`train_unet`'s run (its data, defaults, fit and report) over a learner built with `seg_learner`, for its options that
    `train_unet` does not take (`channels_last`)."""
    d = {k: v.default for k, v in inspect.signature(train_unet).parameters.items()}
    o = {k: kw.get(k, d[k]) for k in ('lr', 'size', 'crop', 'bs', 'freeze_pct', 'arch', 'pretrained', 'seed', 'precision')}
    freeze_pct = o['freeze_pct'] if o['pretrained'] else 0.
    out = Path(out); set_seed(o['seed'])
    dls = camvid_dls(data, size=o['size'] or None, crop=o['crop'] or None, bs=o['bs'], verbose=True)
    learn = seg_learner(dls, o['arch'], o['pretrained'], precision=o['precision'], channels_last=channels_last)
    settings = dict(arch=o['arch'], pretrained=o['pretrained'], budget_min=budget, epochs='time-based', size=o['size'], crop=o['crop'],
                    lr=o['lr'], freeze_pct=freeze_pct, bs=o['bs'], seed=o['seed'], precision=o['precision'], channels_last=channels_last)
    run = fit_unet(learn, out, budget, None, o['lr'], freeze_pct, meta={'task': 'unet', 'settings': settings})
    return unet_report(learn, out, settings, run['stats'], run['budget_stopped'], run['resumed_from'])

def train(args, name):
    kw, out = RUNS[name], os.path.join(args.out, name)
    r = (guard_out(train_built) if 'channels_last' in kw else train_unet)(args.data, out=out, budget=args.budget, **kw)
    return {'run': name, 'settings': RUNS[name], **{k: r[k] for k in ('pixel_accuracy', 'miou', 'per_class_iou', 'train_images_seen',
            'train_seconds', 'throughput_img_s', 'n_train', 'n_valid', 'scored_at')}}

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
    flops = step_flops(seg_model(args.arch, 12, size, pretrained=False, max_ch=args.max_ch), xb, yb.long())
    for threads in (2, 1):
        torch.set_num_threads(threads)
        peak32, peak16 = matmul_peak(), matmul_peak(torch.bfloat16)
        for cl, bf16 in ((False, False), (True, False), (True, True)):
            if bf16 and not bf16_fast(): continue         # 10-20x slower than fp32 where the CPU has no bf16 (AVX2)
            model = seg_model(args.arch, 12, size, pretrained=False, max_ch=args.max_ch)
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
            cbs = ([ChannelsLast()] if cl else []) + ([Precision('bf16')] if bf16 else [])
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
    p.add_argument('--budget', type=float, default=10); p.add_argument('--part', default='train')
    p.add_argument('--runs', default='pretrained,scratch,resnet34', help="comma-separated names from RUNS")
    p.add_argument('--arch', default='timm:tf_efficientnet_lite0', help="speed part: the model to time")
    p.add_argument('--size', default='128,160', help="speed part: batch size (h, w)"); p.add_argument('--bs', type=int, default=8)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--max_ch', type=int, default=0, help="speed part: cap on the encoder channels fed to the decoder (0: none)")
    p.add_argument('--data', default=None); p.add_argument('--out', default='bench/out/unet')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print('date', datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='minutes'), '| torch threads', torch.get_num_threads(),
          '| load', os.getloadavg(), '| cpu_class', cpu_class(), flush=True)
    out = {}
    if args.part in ('all', 'train'):
        out['train'] = []
        for name in args.runs.split(','):
            out['train'].append(train(args, name)); print(json.dumps(out['train'][-1]), flush=True)
        print(f"\n| run ({args.budget:g} min each) | images seen | img/s | pixel accuracy | mIoU |\n|---|---|---|---|---|")
        for r in out['train']:
            print(f"| {r['run']} | {r['train_images_seen']} | {r['throughput_img_s']:.1f} | {r['pixel_accuracy']:.3f} | {r['miou']:.3f} |")
    if args.part in ('all', 'speed'):
        out['speed'] = speed(args)
        print("\n| threads | channels_last | bf16 | plain img/s | fastai img/s | overhead | GFLOP/s | % fp32 peak | % bf16 peak |\n|---|---|---|---|---|---|---|---|---|")
        for r in out['speed']:
            print(f"| {r['threads']} | {r['channels_last']} | {r['bf16']} | {r['plain_img_s']} | {r['fastai_img_s']} | {r['overhead_pct']}% | {r['gflops_s']} | {r['pct_fp32_peak']}% | {r['pct_bf16_peak']}% |")
    out['machine'] = {'threads': args.threads, 'load': os.getloadavg(), 'budget_min': args.budget, 'cpu_class': cpu_class(),
                      'isa_limit': os.environ.get('ONEDNN_MAX_CPU_ISA', '')}
    save_json(out, os.path.join(args.out, f'bench_{args.part}.json'))

if __name__ == '__main__': main()
