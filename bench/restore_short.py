"""Short development comparison for the restoration chapter: train one generator/loss/lr for a budget of *CPU* seconds
(fair on a shared CPU, unlike wall time), without NoGAN, and score it on the validation photos against the bicubic input.
One JSON line per run. Used to choose `train_restore`'s defaults before the 15-minute runs of bench/restore.py.

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/restore_short.py NAME ARCH PRETRAINED LOSS LR CPU_S [TASK] [SIZE]
    e.g. python bench/restore_short.py unet_l1 timm:tf_efficientnet_lite0 1 l1 1e-3 90 sr2 128,160
"""
import sys, time, math, json, warnings
warnings.filterwarnings('ignore')
import torch
torch.set_num_threads(1)
from fastai.torch_core import set_seed
from fastgan_lab.degradations import paired_dls
from fastgan_lab.restoration import restore_generator, restore_loss, evaluate_restore

def main():
    if sys.argv[1:2] in (['-h'], ['--help']): print(__doc__); return
    if len(sys.argv) < 7: sys.exit(__doc__)
    name, arch, pre, loss, lr, cpu_s = sys.argv[1], sys.argv[2], sys.argv[3] == '1', sys.argv[4], float(sys.argv[5]), float(sys.argv[6])
    task = sys.argv[7] if len(sys.argv) > 7 else 'sr2'; size = sys.argv[8] if len(sys.argv) > 8 else '128,160'
    sz = tuple(int(v) for v in size.split(','))
    set_seed(0)
    dls = paired_dls(None, task, size=sz, bs=8, seed=0)
    g = restore_generator(arch, pre, sz).to(memory_format=torch.channels_last)
    lf = restore_loss(loss)
    opt = torch.optim.Adam(g.parameters(), lr, betas=(0.9, 0.99))
    t0, n, losses, done = time.process_time(), 0, [], False
    while not done:
        for x, y in dls.train:
            spent = time.process_time() - t0
            if spent > cpu_s: done = True; break
            for pg in opt.param_groups: pg['lr'] = lr * (0.1 + 0.9 * (1 + math.cos(math.pi * spent / cpu_s)) / 2)   # as NoGAN's gen phase
            x = x.as_subclass(torch.Tensor).contiguous(memory_format=torch.channels_last); y = y.as_subclass(torch.Tensor)
            g.train()
            with torch.autocast('cpu', dtype=torch.bfloat16): out = g(x); l = lf(out, y)
            opt.zero_grad(); l.backward(); torch.nn.utils.clip_grad_norm_(g.parameters(), 1.); opt.step(); n += 1; losses.append(l.item())
    g = g.to(memory_format=torch.contiguous_format)
    ev = evaluate_restore(g, dls.valid)
    print(json.dumps(dict(name=name, arch=arch, pretrained=pre, loss=loss, lr=lr, cpu_s=cpu_s, task=task, size=size, steps=n,
                          **ev, gain=ev['psnr'] - ev['psnr_input'], ssim_gain=ev['ssim'] - ev['ssim_input'])), flush=True)

if __name__ == '__main__': main()
