"""Identification on real photos: CamVid object crops (`transfer.object_crops`) ranked by a Siamese model over the
ImageNet-pretrained Lite0 encoder, trained with several recipes, against the same encoder untrained.

For each recipe: whole-gallery identification (every training crop in the gallery, every validation crop a query:
top-1 and MAP@5, `siamese.holdout_identification`), one-shot identification (one training crop per class, mean over
20 galleries, `siamese.one_shot_identification`), pair accuracy, and the training seconds. Baselines: the untrained
contrastive model (ImageNet features through its new, random projection: what the chapter trains from) and the
ImageNet features themselves (the concat-pooled encoder output, which an untrained 'bce' model embeds with).

    FASTGAN_LAB_DATA=DATA_ROOT FASTGAN_LAB_OFFLINE=1 python bench/siamese_crops.py [--recipes a,b] [--threads 2]
"""
import argparse, datetime, json, os, time, warnings
warnings.filterwarnings('ignore')
import torch
from fastai.torch_core import set_seed
from fastgan_lab.core import cpu_class
from fastgan_lab.outputs import save_json
from fastgan_lab.transfer import object_crops, LITE_STATS
from fastgan_lab.weights import DEFAULT_ENCODER
from fastgan_lab.siamese import siamese_dls, siamese_learner, holdout_identification, one_shot_identification

# recipe: (loss, how it trains); 'fine_tune' = (epochs, lr, freeze_epochs); 'frozen' = head only, fit_one_cycle(epochs, lr)
RECIPES = {
    'imagenet-features': ('bce', None),
    'untrained':         ('contrastive', None),
    'fine-tune':         ('contrastive', ('fine_tune', 3, 1e-2, 1)),
    'lr1e-3':            ('contrastive', ('fine_tune', 3, 1e-3, 1)),
    'lr3e-3-f2':         ('contrastive', ('fine_tune', 3, 3e-3, 2)),
    'head-only':         ('contrastive', ('frozen', 4, 1e-2)),
    'head-only-8':       ('contrastive', ('frozen', 8, 1e-2)),
    'head-only-12':      ('contrastive', ('frozen', 12, 1e-2)),
    'f8-ft2':            ('contrastive', ('fine_tune', 2, 1e-2, 8)),
    'f8-ft2-lr3e-3':     ('contrastive', ('fine_tune', 2, 3e-3, 8)),
}

def run(name, crops):
    loss, how = RECIPES[name]
    set_seed(0)
    dls = siamese_dls(crops, size=64, mode='RGB', bs=32, stats=LITE_STATS)
    learn = siamese_learner(dls, DEFAULT_ENCODER, loss=loss, pretrained=True)
    t = time.perf_counter()
    if how is not None:
        with learn.no_logging():
            if how[0] == 'fine_tune': learn.fine_tune(how[1], how[2], freeze_epochs=how[3])
            else: learn.fit_one_cycle(how[1], how[2])
    secs = time.perf_counter() - t
    h, o = holdout_identification(learn, k=5), one_shot_identification(learn, k=5)
    return {'recipe': name, 'loss': loss, 'training': how, 'seconds': round(secs, 1), 'pair_accuracy': round(float(learn.validate()[1]), 3),
            'top1': round(h['top1'], 3), 'map@5': round(h['map@5'], 3), 'one_shot_top1': round(o['top1'], 3)}

def main():
    p = argparse.ArgumentParser(); p.add_argument('--recipes', default=','.join(RECIPES)); p.add_argument('--threads', type=int, default=2)
    p.add_argument('--json', default='bench/out/siamese_crops.json')
    a = p.parse_args(); torch.set_num_threads(a.threads)
    print('date', datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='minutes'), '| cpu_class', cpu_class(),
          '| threads', torch.get_num_threads(), '| load', os.getloadavg(), flush=True)
    crops = object_crops()
    rows = []
    for n in a.recipes.split(','):
        rows.append(run(n, crops)); print(json.dumps(rows[-1]), flush=True)
    print('\n| recipe | training | seconds | pair accuracy | top-1 (whole gallery) | MAP@5 | one-shot top-1 |\n|---|---|---|---|---|---|---|')
    for r in rows:
        print(f"| {r['recipe']} | {r['training'] or 'none'} | {r['seconds']} | {r['pair_accuracy']} | {r['top1']} | {r['map@5']} | {r['one_shot_top1']} |")
    save_json({'rows': rows, 'cpu_class': cpu_class(), 'load': os.getloadavg()}, a.json)

if __name__ == '__main__': main()
