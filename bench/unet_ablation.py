"""Ablation for the UNet chapter's defaults: the same UNet over EfficientNet-Lite0 trained for a fixed number of epochs
(not minutes, so that runs sharing the CPU compare fairly) with one setting changed at a time. Trains on CamVid's train
split (random crops at the images' own scale, or resized images), scores the 101 valid.txt images at 180x240, void
excluded, without and with flip TTA. fastai's `fine_tune` flow in two fits: the decoder alone for `--freeze` of the
epochs, then everything with discriminative learning rates (the encoder at a tenth of the decoder's rate).

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/unet_ablation.py --epochs 15 --loss cedice --dice 1

Appends one JSON line per run to bench/out/unet_ablation.jsonl.
"""
import os, time, json, argparse, warnings
warnings.filterwarnings('ignore')
import torch
from fastai.vision.all import (DataBlock, ImageBlock, MaskBlock, RandomCrop, Resize, aug_transforms, Normalize, imagenet_stats,
                               CrossEntropyLossFlat, set_seed)
from fastgan_lab.core import parse_size
from fastgan_lab.data import camvid_path, load_codes, void_index, CamvidLabel, image_files
from fastgan_lab.callbacks import ChannelsLast, Precision, TrainStats
from fastgan_lab.unet import TimmUnet, NameSplitter, SegLearner, timm_unet_split, seg_evaluate, SkipValidation, CEDiceLoss

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--arch', default='tf_efficientnet_lite0'); p.add_argument('--pretrained', type=int, default=1)
    p.add_argument('--crop', default='128,160', help="random training crops 'H,W' ('' : none)"); p.add_argument('--size', default='', help="resize 'H,W' instead")
    p.add_argument('--epochs', type=int, default=15); p.add_argument('--bs', type=int, default=8); p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--freeze', type=float, default=0.15); p.add_argument('--lr_mult', type=float, default=10)
    p.add_argument('--loss', default='ce', choices=['ce', 'cedice']); p.add_argument('--dice', type=float, default=1.)
    p.add_argument('--class_weights', type=int, default=0, help="1: cross-entropy weighted by 1/sqrt(class frequency)")
    p.add_argument('--last_cross', type=int, default=1); p.add_argument('--max_ch', type=int, default=0)
    p.add_argument('--threads', type=int, default=1); p.add_argument('--data', default=None)
    p.add_argument('--out', default='bench/out/unet_ablation.jsonl')
    a = p.parse_args(); torch.set_num_threads(a.threads); set_seed(0)
    path = camvid_path(a.data); codes = load_codes(path); void = void_index(codes)
    valid, fns = set((path/'valid.txt').read_text().split()), image_files(path/'images', 'images', check=False)
    stats = ([0.5] * 3, [0.5] * 3) if a.pretrained and 'lite' in a.arch else imagenet_stats
    items = [RandomCrop(parse_size(a.crop))] if a.crop else ([Resize(parse_size(a.size), method='squish')] if a.size else [])
    norm = [Normalize.from_stats(*stats)]
    block = lambda it, bt: DataBlock(blocks=(ImageBlock, MaskBlock(codes)), get_y=CamvidLabel(path), splitter=NameSplitter(valid),
                                     item_tfms=it, batch_tfms=bt).dataloaders(fns, bs=a.bs, num_workers=0)
    dls = block(items, aug_transforms(max_rotate=5., max_zoom=1.1, max_lighting=0.2, max_warp=0.1, p_affine=0.75) + norm)
    native = block([], norm)
    m = TimmUnet(a.arch, len(codes), pretrained=bool(a.pretrained), max_ch=a.max_ch, last_cross=bool(a.last_cross))
    w = None
    if a.class_weights:   # CamVid's class shares of pixels (Sky .. Bicyclist, Void)
        freq = torch.tensor([0.15, 0.24, 0.009, 0.31, 0.054, 0.11, 0.011, 0.016, 0.05, 0.006, 0.007, 0.035])
        w = 1 / freq.sqrt(); w = w / w[:void].mean(); w[void] = 0
    lf = CEDiceLoss(void, a.dice) if a.loss == 'cedice' else CrossEntropyLossFlat(axis=1, ignore_index=void, weight=w)
    learn = SegLearner(dls, m, loss_func=lf, splitter=timm_unet_split, metrics=[], cbs=[ChannelsLast(), Precision('bf16')])
    learn.codes = list(map(str, codes)); st = TrainStats(); t0 = time.perf_counter()
    with learn.no_bar(), learn.no_logging():
        fe = max(1, round(a.epochs * a.freeze)) if a.pretrained else 0
        if fe: learn.freeze(); learn.fit_one_cycle(fe, a.lr, cbs=[SkipValidation(), st])
        learn.unfreeze(); learn.fit_one_cycle(a.epochs - fe, slice(a.lr / 2 / a.lr_mult, a.lr / 2) if fe else a.lr, cbs=[SkipValidation(), st])
    r = dict(vars(a), train_s=round(time.perf_counter() - t0))
    for tta in (False, True):
        c = seg_evaluate(learn, native.valid, tta=tta); k = '_tta' if tta else ''
        r.update({f'pixel_accuracy{k}': round(c.pixel_accuracy(), 4), f'miou{k}': round(c.miou(), 4)})
    r['per_class_iou'] = {k: round(v, 3) for k, v in c.per_class_iou(codes).items()}
    print(json.dumps(r), flush=True)
    os.makedirs(os.path.dirname(a.out), exist_ok=True); open(a.out, 'a').write(json.dumps(r) + '\n')

if __name__ == '__main__': main()
