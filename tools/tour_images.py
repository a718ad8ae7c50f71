#!/usr/bin/env python
"""Extract the README's "tour in pictures" from saved notebook outputs into ``nbs/images/tour_*``.

The README is shown on a code host, which renders committed images but not notebook outputs, so the tour's
pictures are files in the repository. They are taken from outputs the notebooks already saved (nothing is
trained or run here): the data sources from the index's own (hidden) ``show_source`` cells, and the results of
models that learned from the chapters' result figures (each figure's cell id is listed below; a cell that is gone
or has no picture is an error naming it). Pictures wider than ``--width`` are scaled down and every picture is
saved as JPEG under ``--max-kb``. Run it by hand after re-executing those notebooks, then ``python tools/readme.py``::

    python tools/tour_images.py            # writes nbs/images/tour_*.jpg
    python tools/tour_images.py --check    # exit 1 if a committed picture differs from its notebook's output
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (file under nbs/images, notebook under nbs, cell id): what the tour shows, in its order
TOUR = [
    ('tour_camvid.jpg', 'index.ipynb', '412e265c'),          # show_source('camvid', n=4)
    ('tour_photos.jpg', 'index.ipynb', '2db52cd7'),          # show_source('photos', n=8)
    ('tour_digits.jpg', 'index.ipynb', '4ce73246'),          # show_source('digits', n=10)
    ('tour_unet.jpg', '02_unet.ipynb', '8f3bc906'),          # show_seg_results of the benchmark-trained UNet
    ('tour_restore.jpg', '06_restoration.ipynb', '799bccce'),  # restore_results of the benchmark-trained model
    ('tour_denoise.jpg', '06_restoration.ipynb', 'c77f9e58'),  # the same recipe on the denoise task
    ('tour_colorize.jpg', '07_colorization.ipynb', '19d0a8fc'),  # L1 only vs L1 + cGAN, benchmark-trained
    ('tour_sketch.jpg', '08_sketch2image.ipynb', 'afb6d4cf'),   # sketch -> photo, both benchmark-trained models
]


class TourError(ValueError): pass


def cell_image(nb_path: Path, cell_id: str) -> bytes:
    "The first picture a notebook cell's saved outputs show."
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    cell = next((c for c in nb['cells'] if c.get('id') == cell_id), None)
    if cell is None: raise TourError(f'{nb_path.name}: no cell with id {cell_id} (update TOUR in tools/tour_images.py)')
    for o in cell.get('outputs', []):
        for mime in ('image/png', 'image/jpeg'):
            d = (o.get('data') or {}).get(mime)
            if d: return base64.b64decode(''.join(d) if isinstance(d, list) else d)
    raise TourError(f'{nb_path.name}: cell {cell_id} has no saved picture (run the notebook first)')


def tour_jpeg(raw: bytes, width: int = 800, max_kb: int = 150) -> bytes:
    "``raw`` as a JPEG at most ``width`` px wide and under ``max_kb`` KB."
    from PIL import Image
    im = Image.open(io.BytesIO(raw)).convert('RGB')
    if im.width > width: im = im.resize((width, round(im.height * width / im.width)), Image.LANCZOS)
    for q in (88, 82, 75, 68, 60):
        buf = io.BytesIO()
        im.save(buf, 'JPEG', quality=q, optimize=True)
        if buf.tell() <= max_kb * 1024: break
    return buf.getvalue()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--check', action='store_true', help='write nothing; exit 1 if a tour picture is missing or stale')
    p.add_argument('--width', type=int, default=800, help='largest width in px (default: 800)')
    p.add_argument('--max-kb', type=int, default=150, help='largest file size in KB (default: 150)')
    args = p.parse_args(argv)
    nbs, stale = ROOT/'nbs', []
    try:
        for name, nb, cid in TOUR:
            data = tour_jpeg(cell_image(nbs/nb, cid), args.width, args.max_kb)
            dest = nbs/'images'/name
            if args.check:
                if not dest.exists() or dest.read_bytes() != data: stale.append(dest.relative_to(ROOT).as_posix())
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            print(f'wrote {dest.relative_to(ROOT)} ({len(data) // 1024} KB) from {nb} cell {cid}')
    except (TourError, OSError) as e:
        print(f'tour_images: error: {e}', file=sys.stderr)
        return 2
    if stale:
        print(f'stale tour pictures (run python tools/tour_images.py): {", ".join(stale)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
