"""Benchmark of the conditional-GAN chapter (fastgan_lab.cgan): training step time of the pix2pix learner and the
L1 baseline, per generator, at the image-to-image size (96x128, bs 8; PRECISION=auto|bf16|fp32), and inference time of an exported model on a
larger image. Prints one JSON line per measurement. CPU: `torch.set_num_threads(1)` unless THREADS is set.

Usage: FASTGAN_LAB_OFFLINE=1 .venv/bin/python bench/cgan.py [N_BATCHES]
"""
import os, sys, json, time, tempfile, warnings
from pathlib import Path
if sys.argv[1:2] in (['-h'], ['--help']): print(__doc__); sys.exit()
warnings.filterwarnings('ignore')
import torch
torch.set_num_threads(int(os.environ.get('THREADS', 1)))
from fastai.torch_core import TensorImage, set_seed
from fastai.data.core import DataLoaders
from fastai.callback.core import Callback, CancelFitException
from fastgan_lab.cgan import (cgan_learner, unet_generator, img2img_model, generator_of, load_img2img, receptive_field,
                              patch_critic)
from fastgan_lab.modelfile import save_model
from fastgan_lab.core import versions

N = int(sys.argv[1]) if len(sys.argv) > 1 else 6

def fake_dls(n=64, size=(96, 128), bs=8):
    set_seed(0)
    items = [(TensorImage(torch.rand(3, *size) * 2 - 1), TensorImage(torch.rand(3, *size) * 2 - 1)) for _ in range(n)]
    return DataLoaders.from_dsets(items, items[:bs], bs=bs, device='cpu', num_workers=0)

class StepTimer(Callback):
    "Times training batches (after the first, a warm-up) and stops after `n`."
    def __init__(self, n): self.n, self.times = n, []
    def before_batch(self):
        if self.training: self.t = time.perf_counter()
    def after_batch(self):
        if not self.training: return
        self.times.append(time.perf_counter() - self.t)
        if len(self.times) >= self.n + 1:
            raise CancelFitException()

dls = fake_dls()
print(json.dumps({'receptive_field_default': receptive_field(patch_critic(6)), 'threads': torch.get_num_threads(),
                  'torch': versions()['torch'], 'cpus': os.cpu_count()}), flush=True)
# the generators: `unet_generator`'s options (e.g. `max_ch`) go to a generator built here and handed to `cgan_learner`
for arch, kw in (('timm:tf_efficientnet_lite0', {}), ('resnet18', {'pretrained': False}), ('timm:resnet10t', {'max_ch': 64, 'pretrained': False})):
    for gan in ('lsgan', None):
        gen = unet_generator(3, 3, arch, size=(96, 128), **kw)
        learn = cgan_learner(dls, generator=gen, gan_loss=gan, precision=os.environ.get('PRECISION', 'auto'))
        t = StepTimer(N)
        with learn.no_bar(), learn.no_logging(): learn.fit(1, cbs=t)
        sec = sorted(t.times[1:])[len(t.times[1:]) // 2]
        n_par = sum(p.numel() for p in generator_of(learn).parameters())
        print(json.dumps({'arch': arch, 'learner': 'cGAN' if gan else 'L1', 'size': [96, 128], 'bs': 8,
                          'precision': os.environ.get('PRECISION', 'auto'), 'median_s_per_batch': round(sec, 3), 'img_per_s': round(8 / sec, 2),
                          'generator_params_M': round(n_par / 1e6, 2), 'batches_timed': len(t.times) - 1}), flush=True)
        if gan is None and arch == 'resnet18':
            with tempfile.TemporaryDirectory() as d:
                m = img2img_model(learn)           # what `train_img2img` writes: the weights-only model file
                save_model(m, Path(d)/'model.safetensors', 'img2img', m.cfg)
                sizes = {p.name: round(p.stat().st_size / 2**20, 1) for p in Path(d).iterdir()}
                m = load_img2img(Path(d)/'model.safetensors')
                img = torch.rand(1, 3, 360, 480)
                with torch.no_grad():
                    m(img); t0 = time.perf_counter(); m(img); dt = time.perf_counter() - t0
                print(json.dumps({'inference': '360x480 RGB, resnet18 UNet, weights-only load', 'seconds': round(dt, 3),
                                  'file_MB': sizes}), flush=True)
