"""Benchmark of the transfer-learning chapter (fastgan_lab.transfer) and of the Siamese learner on real photos.

The same EfficientNet-Lite0 is trained on the object crops cut from CamVid's masks (`transfer.object_crops`: 64x64,
five classes) for the same wall-clock minutes (at most `--max-epochs` epochs), once from its ImageNet weights
(`fine_tune`: one epoch frozen, then unfrozen with discriminative learning rates) and once from random weights
(`fit_one_cycle`), as a classifier (`lite_learner`) and as a Siamese network (`siamese_learner`, same-class pairs).
One `callbacks.Budget` per run, over both fits of `fine_tune`, drives the one-cycle schedules on time and ends the run
when the minutes are spent: the number of epochs is what the budget fits. Printed: held-out accuracy (classification);
pair accuracy, one-shot top-1 / MAP@3 (one training crop per class as the gallery, mean of 20 drawn galleries) and top-1
with the whole training split as the gallery (Siamese identification); training times; the machine.

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/transfer.py --budget 3 --threads 1
        [--part all|cls|siamese] [--json bench/out/transfer.json]
"""
import os, sys, time, json, argparse, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(__file__))
import torch
from common import now_utc, machine
from fastai.torch_core import set_seed
from fastai.metrics import accuracy
from fastgan_lab.core import versions
from fastgan_lab.outputs import save_json
from fastgan_lab.callbacks import Budget, TrainStats
from fastgan_lab.transfer import object_crops, crops_dls, lite_learner, LITE_STATS
from fastgan_lab.siamese import siamese_dls, siamese_pairs, siamese_learner, one_shot_identification, holdout_identification
from fastgan_lab.weights import DEFAULT_ENCODER

def train(learn, pretrained:bool, budget:float, max_epochs:int, lr:float) -> tuple:
    """`fine_tune(max_epochs-1, freeze_epochs=1)` if pretrained, else `fit_one_cycle(max_epochs)`, both under one `Budget` of
    `budget` minutes (over both fits of `fine_tune`: its clock drives the schedules and ends the run); return the wall seconds,
    the epochs trained (batches / batches per epoch) and the `Budget` (`.stopped`: the minutes ended the run)."""
    bud, stats, t = Budget(budget), TrainStats(), time.perf_counter()
    with learn.no_bar(), learn.no_logging():
        if pretrained: learn.fine_tune(max(1, max_epochs - 1), lr, freeze_epochs=1, cbs=[bud, stats])
        else: learn.fit_one_cycle(max_epochs, lr, cbs=[bud, stats])
    return time.perf_counter() - t, round(stats.n_batches / len(learn.dls.train), 1), bud

def classification(a, crops) -> dict:
    res = {}
    for pretrained in (False, True):
        set_seed(a.seed)
        dls = crops_dls(crops, size=a.size, bs=a.bs)
        learn = lite_learner(dls, pretrained=pretrained, metrics=accuracy)
        secs, plan, bud = train(learn, pretrained, a.budget, a.max_epochs, a.lr_pretrained if pretrained else a.lr_scratch)
        with learn.no_bar(): loss, acc = learn.validate()
        res['pretrained' if pretrained else 'scratch'] = dict(accuracy=float(acc), valid_loss=float(loss), epochs=plan,
            train_seconds=secs, budget_stopped=bud.stopped, lr=a.lr_pretrained if pretrained else a.lr_scratch)
        print(f"[classification, {'pretrained' if pretrained else 'scratch'}] accuracy {acc:.4f} on {len(dls.valid_ds)} "
              f"crops | {plan} epochs in {secs:.0f} s{' (budget hit)' if bud.stopped else ''}", flush=True)
    return res

def siamese(a, crops) -> dict:
    res = {}
    for pretrained in (False, True):
        set_seed(a.seed)
        dls = siamese_dls(crops, size=a.size, mode='RGB', bs=a.bs, stats=LITE_STATS)
        pairs = siamese_pairs(dls)
        for f in pairs.items: pairs.load(f)              # decode every crop once, before the clock starts
        learn = siamese_learner(dls, DEFAULT_ENCODER, loss=a.loss, pretrained=pretrained)
        if pretrained:
            r = one_shot_identification(learn)
            res['imagenet_features_untrained'] = dict(one_shot_top1=r['top1'], one_shot_map3=r['map@3'],
                                                      gallery_top1=holdout_identification(learn, k=3)['top1'])
        secs, plan, bud = train(learn, pretrained, a.budget, a.max_epochs,
                                a.lr_pretrained_siamese if pretrained else a.lr_scratch_siamese)
        r, h = one_shot_identification(learn), holdout_identification(learn, k=3)
        with learn.no_bar(): pair_acc = float(learn.validate()[1])
        res['pretrained' if pretrained else 'scratch'] = dict(pair_accuracy=pair_acc,
            one_shot_top1=r['top1'], one_shot_top1_std=r['top1_std'], one_shot_map3=r['map@3'], gallery_top1=h['top1'],
            epochs=plan, train_seconds=secs, budget_stopped=bud.stopped, n_identities=r['n_identities'],
            n_queries=r['n_queries'], lr=a.lr_pretrained_siamese if pretrained else a.lr_scratch_siamese)
        m = res['pretrained' if pretrained else 'scratch']
        print(f"[siamese {a.loss}, {'pretrained' if pretrained else 'scratch'}] pair accuracy {m['pair_accuracy']:.4f} | "
              f"one-shot top-1 {m['one_shot_top1']:.4f} (MAP@3 {m['one_shot_map3']:.4f}) | whole-gallery top-1 "
              f"{m['gallery_top1']:.4f} | {plan} epochs in {secs:.0f} s{' (budget hit)' if bud.stopped else ''}", flush=True)
    return res

def table(out) -> str:
    rows = ["| task | model | epochs | training (s) | held-out figure |", "|---|---|---|---|---|"]
    for k in ('scratch', 'pretrained'):
        if 'classification' in out:
            c = out['classification'][k]
            rows.append(f"| classification ({out['n_classes']} classes) | {k} | {c['epochs']} | {c['train_seconds']:.0f} | "
                        f"accuracy **{c['accuracy']:.3f}** |")
    for k in ('scratch', 'pretrained'):
        if 'siamese' in out:
            s = out['siamese'][k]
            rows.append(f"| Siamese identification | {k} | {s['epochs']} | {s['train_seconds']:.0f} | one-shot top-1 "
                        f"**{s['one_shot_top1']:.3f}**, whole-gallery top-1 {s['gallery_top1']:.3f}, pair accuracy "
                        f"{s['pair_accuracy']:.3f} |")
    return '\n'.join(rows)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--budget', type=float, default=3.0, help='training minutes per model')
    p.add_argument('--max-epochs', type=int, default=30, help='the most epochs of a run (fine_tune: one frozen, the rest unfrozen)')
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--bs', type=int, default=32)
    p.add_argument('--lr-pretrained', type=float, default=2e-3, help="fine_tune's base_lr (classification)")
    p.add_argument('--lr-scratch', type=float, default=1e-2, help='fit_one_cycle lr (classification, from scratch)')
    p.add_argument('--lr-pretrained-siamese', type=float, default=1e-2)
    p.add_argument('--lr-scratch-siamese', type=float, default=1e-2)
    p.add_argument('--loss', default='contrastive', help="Siamese loss: 'bce' or 'contrastive'")
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--part', default='all', choices=['all', 'cls', 'siamese'])
    p.add_argument('--json', default=None, help='also write the figures here')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {'date': now_utc(), 'machine_start': machine(), 'args': vars(a), 'versions': versions()}
    print(f"{out['date']} | {out['machine_start']}", flush=True)
    crops = object_crops()
    info = json.loads((crops/'crops.json').read_text())
    out.update(crops=info, n_classes=len(info['classes']))
    if a.part in ('all', 'cls'): out['classification'] = classification(a, crops)
    if a.part in ('all', 'siamese'): out['siamese'] = siamese(a, crops)
    out['machine_end'] = machine()
    print(f"\n{table(out)}\n\nmachine at the end: {out['machine_end']}")
    print(json.dumps({k: v for k, v in out.items() if k not in ('versions', 'crops')}, indent=1, default=str))
    if a.json: save_json(out, a.json)
    return out

if __name__ == '__main__': main()
