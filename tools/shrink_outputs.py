#!/usr/bin/env python
"""Shrink the pictures saved in notebooks' outputs, so that the notebooks stay small to clone and the docs fast to load.

execnb (what `nbdev_test` and notebook runs use) saves matplotlib figures as 'retina' PNGs: twice the figure's size in
each direction, losslessly, which for a grid of photos is megabytes a figure. For each image output this tool

* brings it back to the figure's own size (`<Figure size WxH ...>` in the output's text), never below 160 px on its
  short side (the docs check wants 150);
* saves photos (pictures with many colours) as JPEG (quality 85), and line plots and diagrams as palette PNGs.

A picture is only replaced when the new one is smaller. Run it after executing notebooks:

    python tools/shrink_outputs.py nbs/*.ipynb          # rewrite the notebooks in place
    python tools/shrink_outputs.py --check nbs/*.ipynb  # list what would shrink, change nothing (exit 1 if anything)
"""
from __future__ import annotations
import argparse, base64, io, json, re, sys
from pathlib import Path
from PIL import Image

MIN_SIDE = 160          # px on the short side, at least
PHOTO_COLOURS = 4096    # distinct colours in a 256-px thumbnail above which a picture is a photo
JPEG_QUALITY = 85
_FIG = re.compile(r'<Figure size (\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)')

def _target_size(img:Image.Image, plain:str) -> tuple:
    "The size to save `img` at: the figure's own size when the output says it (retina PNGs are twice that)."
    m = _FIG.search(plain or '')
    if not m: return img.size
    w, h = float(m.group(1)), float(m.group(2))
    if w >= img.width: return img.size
    s = max(w / img.width, min(1., MIN_SIDE / min(img.size)))
    return max(1, round(img.width * s)), max(1, round(img.height * s))

def is_photo(img:Image.Image) -> bool:
    "Whether `img` holds photographs (many distinct colours), which JPEG stores far smaller than PNG."
    t = img.convert('RGB'); t.thumbnail((256, 256))
    return t.getcolors(PHOTO_COLOURS) is None          # None: more colours than that

def shrink_image(data:bytes, # PNG or JPEG bytes of one output
                 plain:str='', # The output's text/plain (matplotlib's `<Figure size WxH with N Axes>`)
                ) -> tuple:
    "`(mime, bytes)` of a smaller version of the picture, or `(None, data)` when nothing is smaller."
    img = Image.open(io.BytesIO(data)); img.load()
    if img.mode not in ('RGB', 'L', 'RGBA', 'P'): img = img.convert('RGB')
    size = _target_size(img, plain)
    if size != img.size: img = img.resize(size, Image.LANCZOS)
    out = io.BytesIO()
    if is_photo(img):
        img.convert('RGB').save(out, 'JPEG', quality=JPEG_QUALITY, optimize=True); mime = 'image/jpeg'
    else:
        img.convert('RGB').quantize(256).save(out, 'PNG', optimize=True); mime = 'image/png'
    new = out.getvalue()
    return (mime, new) if len(new) < len(data) * 0.9 else (None, data)

def shrink_notebook(path:Path, # A .ipynb file
                    write:bool=True, # Rewrite it in place
                   ) -> tuple:
    "Shrink every picture in `path`'s outputs; return `(bytes before, bytes after)` of those pictures."
    nb = json.loads(path.read_text()); before = after = 0
    for cell in nb['cells']:
        for o in cell.get('outputs', []):
            data = o.get('data', {})
            for mime in ('image/png', 'image/jpeg'):
                if mime not in data: continue
                raw = base64.b64decode(''.join(data[mime]))
                plain = ''.join(data.get('text/plain', ''))
                new_mime, new = shrink_image(raw, plain)
                before += len(raw); after += len(new)
                if new_mime:
                    del data[mime]; data[new_mime] = base64.b64encode(new).decode()
                break
    if write and after < before:
        path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + '\n')   # nbdev's key order: nbdev_clean leaves it as it is
    return before, after

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('notebooks', nargs='+')
    p.add_argument('--check', action='store_true', help="report only; exit 1 when a notebook's pictures would shrink")
    a = p.parse_args(argv); todo = 0
    for f in a.notebooks:
        b, n = shrink_notebook(Path(f), write=not a.check)
        if n < b:
            todo += 1; print(f"{f}: pictures {b // 1024} KiB -> {n // 1024} KiB")
    return 1 if a.check and todo else 0

if __name__ == '__main__': sys.exit(main())
