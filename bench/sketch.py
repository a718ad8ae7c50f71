"""Benchmark for the sketch-to-image chapter (fastgan_lab.sketch2image): the content loss alone against content + cGAN (pix2pix) on CamVid photos,
the same wall-time budget each, with `train_sketch2image`'s defaults (UNet over the pretrained Lite encoder, bf16 where the
CPU is fast at it), scored on the `valid.txt` photos (PSNR, SSIM, FID/KID on the pretrained Lite encoder's pooled
features), edge agreement with the sketch (`edge_agreement`) and with another photo's sketch (`edge_f1_other`), and the
same scores of the average street (the mean training photo), on Canny sketches (the training style) and on XDoG sketches (another style: the style gap).

    FASTGAN_LAB_DATA=/work/shared/data FASTGAN_LAB_OFFLINE=1 python bench/sketch.py --budget 15
    ... python bench/sketch.py --score-only --out bench/out/sketch     # score the trained models again

Writes bench/out/sketch/{l1,cgan}/ (what `train_sketch2image` writes), comparison.png and bench.json; prints a table.
"""
import os, time, json, argparse, warnings, datetime
warnings.filterwarnings('ignore')
from pathlib import Path
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default=None, help="photo folder (default: CamVid from $FASTGAN_LAB_DATA, else the embedded photos)")
    p.add_argument('--size', default='96,128')
    p.add_argument('--budget', type=float, default=15., help="minutes of training for EACH variant")
    p.add_argument('--threads', type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument('--precision', default='auto', help='auto, bf16 or fp32')
    p.add_argument('--lr', type=float, default=None, help="learning rate (default: train_sketch2image's)")
    p.add_argument('--bs', type=int, default=8)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--style', default='canny', help="training sketch style")
    p.add_argument('--content-loss', default=None, help="content loss of both variants (default: train_sketch2image's)")
    p.add_argument('--eval-styles', default='canny,xdog', help="styles to score on (train_sketch2image scores canny and xdog; "
                   "others are scored here with score_sketch_model)")
    p.add_argument('--n-show', type=int, default=6, help="rows of comparison.png")
    p.add_argument('--out', default='bench/out/sketch')
    p.add_argument('--score-only', action='store_true', help="train nothing: score the models already in OUT again (after a change to "
                   "the scores) and rewrite bench.json")
    args = p.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    from fastgan_lab.core import versions
    from fastgan_lab.outputs import save_json
    from fastgan_lab.sketch2image import train_sketch2image, compare_sketch_runs, score_sketch_model
    from fastgan_lab.cgan import load_img2img
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    styles = [s for s in args.eval_styles.split(',') if s]
    rows, t0 = {}, time.time()
    for name, gan in (('l1', False), ('cgan', True)):
        if args.score_only:          # the run's own metrics.json (its training counts), with fresh scores
            rows[name] = json.loads((out/name/'metrics.json').read_text())
            rows[name]['scores'] = score_sketch_model(load_img2img(out/name/'model.safetensors'), args.data, rows[name]['size'], styles)
            continue
        print(f"== {name}: {args.budget} min", flush=True)
        rows[name] = train_sketch2image(args.data, size=args.size, budget=args.budget, out=str(out/name), seed=args.seed,
                                        gan=gan, style=args.style, bs=args.bs, precision=args.precision,
                                        **({'lr': args.lr} if args.lr else {}),
                                        **({'content_loss': args.content_loss} if args.content_loss else {}))
        more = [s for s in styles if s not in rows[name]['scores']]      # train_sketch2image scores its EVAL_STYLES
        if more: rows[name]['scores'].update(score_sketch_model(load_img2img(out/name/'model.safetensors'), args.data,
                                                                 rows[name]['size'], more))
    compare_sketch_runs(str(out/'l1'), str(out/'cgan'), data=args.data, size=args.size, n=args.n_show, style=args.style,
                        out=str(out/'comparison.png'))
    now = datetime.datetime.utcnow().isoformat(timespec='minutes') + 'Z'
    if args.score_only:              # the training run's record (its date, arguments, load), with the new scores
        res = {**json.loads((out/'bench.json').read_text()), 'runs': rows, 'scored': now}
    else: res = {'date': now, 'args': vars(args), 'load_avg_end': os.getloadavg(), 'wall_s': round(time.time() - t0), 'runs': rows,
                 'versions': versions()}
    save_json(res, out/'bench.json')
    print(f"\nsketch -> photo, {rows['l1'].get('data')} (train {rows['l1'].get('n_train')} / valid {rows['l1'].get('n_valid')}), "
          f"{res['args']['size']}, {res['args']['budget']} min each, {torch.get_num_threads()} thread(s), {rows['l1'].get('precision')}, {rows['l1'].get('arch')}; "
          f"FID features: {rows['l1']['scores'][styles[0]].get('fid_feature')}")
    cl = rows['l1'].get('content_loss', 'l1')
    head = '| model | steps (gen) | ' + ' | '.join(f'{s}: PSNR | {s}: SSIM | {s}: edge F1 | {s}: edge F1, another sketch | {s}: beats average | {s}: FID | {s}: KID' for s in styles) + ' |'
    print(head); print('|' + '---|' * (2 + 7 * len(styles)))
    for name, label in (('l1', f'{cl} only'), ('cgan', f'{cl} + cGAN')):
        r = rows[name]; sc = r['scores']
        cells = [f"{sc[s]['psnr']:.2f} | {sc[s]['ssim']:.3f} | {sc[s]['edge_f1']:.3f} | {sc[s].get('edge_f1_other', float('nan')):.3f} | {sc[s]['beats_average']:.0%} | "
                 f"{sc[s].get('fid', float('nan')):.1f} | {sc[s].get('kid', float('nan')):.3f}" for s in styles]
        print(f"| {label} | {r.get('generator_steps', '?')} | " + ' | '.join(cells) + ' |')
    av = rows['l1']['scores']
    print('| the average street (mean training photo) | - | ' + ' | '.join(
        f"{av[s]['average']['psnr']:.2f} | {av[s]['average']['ssim']:.3f} | {av[s]['average']['edge_f1']:.3f} | - | - | - | -" for s in styles) + ' |')
    print(f"comparison figure: {out/'comparison.png'}; everything: {out/'bench.json'}")

if __name__ == '__main__': main()
