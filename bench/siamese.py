"""Benchmark of the Siamese chapter (fastgan_lab.siamese) on the embedded MNIST digits.

1. Train from scratch within a CPU budget, once per loss ('bce' head, 'contrastive'); print pair accuracy on the 1,000
   fixed held-out pairs and identification top-1 / MAP@5 (1,000 validation queries against the 4,000-image gallery).
2. Training throughput (pairs/s) of fastai's `Learner.fit_one_cycle` against a plain PyTorch loop (AdamW + OneCycleLR,
   the same hyper-parameters) over the same model initialisation, the same `DataLoader` batches and batch size,
   interleaved `--reps` times in one run; medians of wall-clock pairs/s and of pairs per CPU-second (process time, which
   other jobs on a shared CPU disturb less) are reported.

Usage: FASTGAN_LAB_OFFLINE=1 .venv/bin/python bench/siamese.py [--budget 3] [--epochs 16] [--threads 2] [--bs 128]
"""
import argparse, copy, datetime, json, statistics, tempfile, time
import torch, torch.nn.functional as F
from fastai.torch_core import set_seed
from fastgan_lab.core import versions
from fastgan_lab.siamese import siamese_dls, siamese_learner, train_siamese
from fastgan_lab.callbacks import TrainStats

def throughput(bs:int, n_batches:int, reps:int, lr:float):
    set_seed(0)
    dls = siamese_dls(bs=bs)
    for _ in dls.train: pass                                   # fill the image cache before timing anything
    for _ in dls.valid: pass
    dls.train.n = n_batches * bs
    learn = siamese_learner(dls, 'tiny')
    init = copy.deepcopy(learn.model.state_dict())
    res = {'fastai': [], 'pytorch': []}; cpu = {'fastai': [], 'pytorch': []}
    for r in range(reps):
        learn.model.load_state_dict(init)
        tp = TrainStats()
        with learn.no_logging(): learn.fit_one_cycle(1, lr, cbs=[tp])
        res["fastai"].append(tp.items_per_s); cpu["fastai"].append(tp.n_items / tp.cpu_seconds)
        m = learn.model; m.load_state_dict(init); m.train()
        opt = torch.optim.AdamW(m.parameters(), lr=lr, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=n_batches, pct_start=0.25)
        n, t, c = 0, time.perf_counter(), time.process_time()
        for b in dls.train:
            x1, x2, y = [o.as_subclass(torch.Tensor) for o in b]   # plain tensors, as fastai's CastToTensor does
            loss = F.cross_entropy(m(x1, x2), y)
            loss.backward(); opt.step(); opt.zero_grad(); sched.step(); n += len(y)
        res['pytorch'].append(n / (time.perf_counter() - t)); cpu['pytorch'].append(n / (time.process_time() - c))
        print(f"rep {r}: fastai {res['fastai'][-1]:.0f} pairs/s ({cpu['fastai'][-1]:.0f} per CPU-s), "
              f"plain PyTorch {res['pytorch'][-1]:.0f} pairs/s ({cpu['pytorch'][-1]:.0f} per CPU-s)", flush=True)
    fa, pt = statistics.median(res['fastai']), statistics.median(res['pytorch'])
    fc, pc = statistics.median(cpu['fastai']), statistics.median(cpu['pytorch'])
    return {'fastai_pairs_per_s': fa, 'pytorch_pairs_per_s': pt, 'fastai_overhead': 1 - fa / pt, 'runs': res,
            'fastai_pairs_per_cpu_s': fc, 'pytorch_pairs_per_cpu_s': pc, 'fastai_cpu_overhead': 1 - fc / pc, 'cpu_runs': cpu,
            'bs': bs, 'batches_per_run': n_batches}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--budget', type=float, default=3.0, help='training minutes per loss')
    p.add_argument('--epochs', type=int, default=16)
    p.add_argument('--bs', type=int, default=128)
    p.add_argument('--lr', type=float, default=1e-2)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--batches', type=int, default=24, help='batches per throughput run')
    p.add_argument('--losses', default='bce,contrastive')
    p.add_argument('--skip-train', action='store_true')
    p.add_argument('--json', default=None, help='also write the figures here')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {'date': datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC'), 'threads': a.threads, 'versions': versions()}
    if not a.skip_train:
        for loss in a.losses.split(','):
            with tempfile.TemporaryDirectory() as d:
                m = train_siamese(epochs=a.epochs, budget=a.budget, loss=loss, bs=a.bs, lr=a.lr, seed=42, out=d)
            out[loss] = {k: m[k] for k in ('pair_accuracy', 'top1', 'map@5', 'train_seconds', 'train_pairs',
                                           'train_pairs_per_s', 'epochs_planned', 'epochs_done', 'budget_stopped')}
            print(f"[{loss}] pair accuracy {m['pair_accuracy']:.4f} | top-1 {m['top1']:.4f} | MAP@5 {m['map@5']:.4f} | "
                  f"{m['epochs_done']} epochs, {m['train_pairs']} pairs in {m['train_seconds']:.0f} s "
                  f"({m['train_pairs_per_s']:.0f} pairs/s), budget {a.budget} min, {a.threads} thread(s)", flush=True)
    t = throughput(a.bs, a.batches, a.reps, a.lr)
    out['throughput'] = t
    print(f"[throughput] fastai {t['fastai_pairs_per_s']:.0f} pairs/s vs plain PyTorch {t['pytorch_pairs_per_s']:.0f} "
          f"pairs/s (median of {a.reps}, bs {a.bs}): fastai overhead {100 * t['fastai_overhead']:.1f}% (wall), "
          f"{100 * t['fastai_cpu_overhead']:.1f}% (CPU time: {t['fastai_pairs_per_cpu_s']:.0f} vs {t['pytorch_pairs_per_cpu_s']:.0f} "
          f"pairs per CPU-second)", flush=True)
    if a.json: open(a.json, 'w').write(json.dumps(out, indent=2, default=str))
    return out

if __name__ == '__main__': main()
