#!/usr/bin/env python
"""Fast tests of the docs tools (no notebook processing; check_site's checks on small synthetic pages in headless
Chromium): a few seconds.

    python tools/test_tools.py          # or: python -m pytest tools/test_tools.py
"""
from __future__ import annotations

import inspect
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_docs as B      # noqa: E402
import check_site as C      # noqa: E402
import _showdoc as S        # noqa: E402
import shrink_outputs as SO  # noqa: E402
from _quarto_md import pandoc_paragraphs  # noqa: E402


# --------------------------------------------------------------------------- show_doc renderer

def _f(path: str | Path,            # Where the file goes
       data: bytes | None = None,   # What to write; `None`: nothing
       *args, mode: int = 0o644,    # File mode
       **kwargs) -> Path:           # The file
    "Doc."


def test_signature_and_table():
    sig = inspect.signature(_f, eval_str=False)
    assert S.compact_signature('_f', sig, width=100) == \
        "_f(path:str | Path, data:bytes | None=None, *args, mode:int=420, **kwargs) -> Path"
    short = S.compact_signature('_f', sig, width=40)
    assert short.startswith('_f(\n    ') and short.endswith('\n) -> Path') and all(len(l) <= 40 for l in short.splitlines())
    t = S.param_table(_f, sig).splitlines()
    assert t[0] == '| Parameter | Type | Default | Details |'
    assert '| `path` | `str \\| Path` |  | Where the file goes |' in t          # pipes escaped for the table
    assert '| `data` | `bytes \\| None` | `None` | What to write; `None`: nothing |' in t
    assert t[-1] == '| **Returns** | `Path` |  | The file |'
    assert S.param_table(lambda x, y=1: x, inspect.signature(lambda x, y=1: x)) == ''   # no docments, no table


def test_defaults_and_annotations():
    import enum

    class Mode(enum.Enum): A = 'a'
    assert S.fmt_default(Mode.A) == 'Mode.A'
    assert S.fmt_default(print) == 'print' and S.fmt_default(object()) == '<object object>'
    from typing import Optional
    assert S.fmt_anno(Optional[Path]) == 'Optional[Path]' and S.fmt_anno('nn.Module') == 'nn.Module'


# --------------------------------------------------------------------------- build_docs

def test_pandoc_paragraphs():
    md = 'para\n+ `x`, or y\n# not a heading\n\n- a list\n- item\n\n{.cls}\n### heading\n```\n- code\n```'
    assert pandoc_paragraphs(md) == 'para\n\\+ `x`, or y\n\\# not a heading\n\n- a list\n- item\n\n{.cls}\n### heading\n```\n- code\n```'


def test_links():
    fx = B.LinkFixer({'00_data.ipynb': 'data.html', 'index.ipynb': 'index.html'}, 'https://u.github.io/r/',
                     'https://github.com/u/r/blob/main/', {'pkg/core.py': '_modules/pkg/core.py.html'})
    md = ('```python\nf(x) # the [`DataLoaders`](https://u.github.io/r/data.html#dls)\n```\n'
          '[`camvid`](https://u.github.io/r/data.html#camvid) [data](00_data.ipynb#x) '
          '[source](https://github.com/u/r/blob/main/pkg/core.py#L3) [gone](01_new.ipynb) [ext](https://docs.fast.ai)')
    out = fx(md, '02_unet.ipynb', 'unet.html').split('\n')
    assert out[1] == 'f(x) # the `DataLoaders`'                 # a doc link inside code: the plain name
    assert out[3] == ('[`camvid`](data.html#camvid) [data](data.html#x) [source](_modules/pkg/core.py.html#L3) '
                      '[gone](01_new.ipynb) [ext](https://docs.fast.ai)')
    assert fx.broken == ['02_unet.ipynb: link to `01_new.ipynb`, which is not a page of the site']


def test_polish_showdoc():
    md = ('---\n\n[source](https://x/y.py#L1){target="_blank" style="float:right"}\n\n### f\n\n```python\nf(x)\n```\n\n'
          '*Doc.*\n\n| Parameter | Details |\n|---|---|\n| `x` | The x |')
    out = B.polish_showdoc(md)
    assert out.startswith('{.nbdev-sym}\n### f\n\n[source](https://x/y.py#L1){.nbdev-source}\n\n::: {.nbdev-showdoc}\n')
    assert '{.nbdev-params}\n| Parameter | Details |' in out and out.rstrip().endswith(':::')


def test_sidebar_sections():
    with tempfile.TemporaryDirectory() as d:
        (Path(d)/'sidebar.yml').write_text(
            'website:\n  sidebar:\n    contents:\n      - section: Chapters\n        contents:\n          - index.ipynb\n'
            '          - href: 02_unet.ipynb\n            text: UNet\n      - section: Reference\n        contents: [00_core.ipynb]\n')
        assert B.read_sidebar(Path(d)) == [('Chapters', [('index.ipynb', None), ('02_unet.ipynb', 'UNet')]),
                                           ('Reference', [('00_core.ipynb', None)])]


def test_genindex_lists_showdoc_names():
    "The index page lists each show_doc symbol (a section with class nbdev-sym), linking to its own anchor."
    import contextlib, io
    from sphinx.cmd.build import build_main
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d)/'src', Path(d)/'out'
        src.mkdir()
        (src/'_nbdev_index.py').write_text(B.INDEX_EXT, encoding='utf-8')
        (src/'conf.py').write_text(f'import sys\nsys.path.insert(0, {str(src)!r})\nextensions = ["_nbdev_index"]\n')
        (src/'index.rst').write_text('Page\n====\n\n.. rst-class:: nbdev-sym\n\nmy_func\n-------\n\nText.\n\n'
                                     'Other\n-----\n\nNot a symbol.\n')
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            rc = build_main(['-b', 'html', '-q', str(src), str(out)])
        assert rc == 0
        g = (out/'genindex.html').read_text(encoding='utf-8')
        assert 'href="index.html#my-func"' in g and '>my_func<' in g, g[:2000]
        assert '>Other<' not in g


# --------------------------------------------------------------------------- check_site

def _kinds(text: str, scope: str, tag: str = 'p'):
    return {k for k, scopes, rx in C.CONTENT_CHECKS if (scope in scopes or f'{tag}:{scope}' in scopes) and rx.search(text)}


def test_content_checks():
    out, sd, prose = C.OUT, C.SHOWDOC, C.PROSE
    assert _kinds('/work/x/.venv/lib/python3.11/site-packages/a.py:3: UserWarning: hm', out) == \
        {'Python warning shown', 'path of the build machine shown'}
    assert _kinds('You are shadowing an attribute (generator)', out) == {'Python warning shown'}
    assert _kinds("core.py:16: Pandas4Warning: The 'mode' keyword", out) == {'Python warning shown'}
    assert _kinds('Traceback (most recent call last):', out) == {'Python error shown'}
    assert _kinds('43.75% [28/64 00:01<00:02]', out) == {'progress bar in an output'}
    assert _kinds('Epoch 4/10000', out) == {'progress bar in an output'}
    assert _kinds('|████| 0.00% [0/1]', out) == {'progress bar in an output'}
    assert _kinds('dls:DataLoaders, # the [`DataLoaders`](https://u.github.io/r/data.html#x)', sd) == {'raw markdown link shown'}
    assert _kinds('a **bold** claim', prose) == {'raw markdown shown'}
    assert _kinds('text\n## Heading', prose) == {'markdown heading shown as text'}
    # fine: relative paths, URLs, code-ish text in a plain output, ordinary prose
    for t in ['saved in nbs/tmp/x and ~/data/camvid', 'see https://example.org/tmp/x and /tmpfile', 'x = fns[0](y); 2**3',
              'epoch train_loss valid_loss time', '# of images: 3']:
        assert not _kinds(t, out) - {'markdown heading shown as text'}, t
    assert not _kinds('# of images', prose, tag='td')
    assert not _kinds('[toy](#toy) | ok |', out)      # a plain-text output that prints markdown: not flagged


# --------------------------------------------------------------------------- check_site in a browser
# Small synthetic pages, checked by check_site itself in headless Chromium (a few seconds, once for all tests).

_PAGE = ('<!doctype html><html><head><meta charset="utf-8"><title>{t}</title><link rel="icon" href="data:,"><style>body{{margin:0}} '
         'article{{width:800px; margin-left:40px}} .scroll, .output{{max-width:100%; overflow-x:auto}} '
         'img{{max-width:100%; height:auto}}</style></head>'
         '<body><nav class="bd-docs-nav">{nav}</nav><article class="bd-article"><section id="s">{body}</section>'
         '</article></body></html>')
_WIDE = ''.join(f'<td>column_{i}_with_long_content</td>' for i in range(30))
_PAGES = {
    'ok.html': ("<div class='cell_output'><div class='output text_plain'><pre>{'psnr': 32.1}</pre></div>"
                "<div class='output text_plain'><pre>tensor([[0.1, 0.2],\n        [0.3, 0.4]])</pre></div></div>"
                f"<div class='scroll'><table><tr>{_WIDE}</tr></table></div><pre class='scroll'>{'x' * 400}</pre>"
                "<img src='big.png'>"),
    'widget.html': "<div class='cell_output'><div class='output text_plain'><pre>VBox(children=(HBox(children=(IntSlider(value=3),)),))</pre></div></div>",
    'dict.html': ("<div class='cell_output'><div class='output text_plain'><pre>{'psnr': 32.09123456789012,\n"
                  " 'ssim': 0.8812345678901234}</pre></div></div>"),
    'repr.html': "<div class='cell_output'><div class='output text_plain'><pre>Report(" + ', '.join(f'k{i}=0.123456789' for i in range(9)) + ")</pre></div></div>",
    'strip.html': "<img src='strip.png'>",
    'cuttable.html': f"<div style='overflow-x:hidden; max-width:100%'><table><tr>{_WIDE}</tr></table></div>",
    'cutcode.html': f"<pre style='overflow-x:hidden'>{'y' * 400}</pre>",
    'genindex.html': "<h1 id='index'>Index</h1><div class='genindex-jumpbox'></div>",
}


@__import__('functools').lru_cache(None)
def _site_problems() -> tuple:
    "check_site's problem lines for the synthetic site (run once, --strict: every check fails the run)."
    import contextlib, io
    from PIL import Image
    d = Path(tempfile.mkdtemp(prefix='test_check_site_'))
    Image.new('RGB', (400, 300), 'white').save(d/'big.png')
    Image.new('RGB', (2000, 220), 'white').save(d/'strip.png')    # 220 px tall as a file, ~88 px at 800 px wide
    nav = ''.join(f'<a href="{p}">{p}</a> ' for p in _PAGES)
    for p, body in {**_PAGES, 'index.html': '<p>home</p>'}.items():
        (d/p).write_text(_PAGE.format(t=p, nav=nav, body=body), encoding='utf-8')
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = C.main([str(d), '--strict'])
    __import__('shutil').rmtree(d, ignore_errors=True)
    assert rc in (0, 1), err.getvalue()
    return tuple(l.strip() for l in err.getvalue().splitlines() if ': ' in l)


def _page(name: str) -> list:
    return [l for l in _site_problems() if l.startswith(name + ':')]


def test_site_ok_page():
    assert _page('ok.html') == [] and _page('index.html') == [], _site_problems()   # scrollers, a short dict, a tensor: fine


def test_site_widget_text():
    assert any('widget shown as text' in l for l in _page('widget.html')), _site_problems()


def test_site_raw_dict_and_repr():
    assert any('raw dict or repr in an output' in l for l in _page('dict.html')), _site_problems()
    assert any('raw dict or repr in an output' in l for l in _page('repr.html')), _site_problems()
    assert C.RawRepr().search("{'a': 1}") is None and C.RawRepr().search('Foo(a=1)') is None   # one short line
    assert C.RawRepr().search("{'a': 1,\n 'b': 2}") and C.RawRepr().search('SuggestedLRs(valley=' + '1' * 90 + ')')


def test_site_image_as_displayed():
    assert any('image shown smaller than 150 px' in l and 'strip.png' in l for l in _page('strip.html')), _site_problems()


def test_site_cut_off():
    assert any(('clipped' in l or 'past the column' in l) and 'column_0' in l for l in _page('cuttable.html')), _site_problems()
    assert any('clipped' in l for l in _page('cutcode.html')), _site_problems()


def test_site_empty_genindex():
    assert any('empty index' in l for l in _page('genindex.html')), _site_problems()


def test_warn_only():
    "A check in WARN_ONLY is printed as a warning (the run passes) unless --strict."
    import types
    c = C.Checker.__new__(C.Checker)
    c.problems, c.args = [], types.SimpleNamespace(strict=False)
    old = set(C.WARN_ONLY)
    C.WARN_ONLY.add('widget shown as text')
    try:
        c.problem('a.html', 'widget shown as text: VBox(')
        c.problem('a.html', 'console error: x')
        c.args.strict = True
        c.problem('b.html', 'widget shown as text: VBox(')
    finally: C.WARN_ONLY.clear(); C.WARN_ONLY.update(old)
    assert c.problems == ['a.html: warning: widget shown as text: VBox(', 'a.html: console error: x',
                          'b.html: widget shown as text: VBox(']


# --------------------------------------------------------------------------- saved pictures

def test_shrink_outputs():
    import io, random
    from PIL import Image, ImageDraw
    rnd = random.Random(0)
    photo = Image.new('RGB', (800, 600))                            # a 'retina' grid of photos: many colours
    photo.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)) for _ in range(800 * 600)])
    buf = io.BytesIO(); photo.save(buf, 'PNG')
    mime, new = SO.shrink_image(buf.getvalue(), '<Figure size 400x300 with 4 Axes>')
    assert mime == 'image/jpeg' and Image.open(io.BytesIO(new)).size == (400, 300), (mime, len(new))
    plot = Image.new('RGB', (800, 600), 'white'); ImageDraw.Draw(plot).line([(0, 0), (800, 600)], fill='blue', width=3)
    buf = io.BytesIO(); plot.save(buf, 'PNG')
    mime, new = SO.shrink_image(buf.getvalue(), '<Figure size 400x300 with 1 Axes>')
    assert mime == 'image/png' and Image.open(io.BytesIO(new)).size == (400, 300)
    mime, new = SO.shrink_image(new, '<Figure size 400x300 with 1 Axes>')      # already small: left as it is
    assert mime is None
    strip = Image.new('RGB', (1000, 100), 'white'); buf = io.BytesIO(); strip.save(buf, 'PNG')
    mime, new = SO.shrink_image(buf.getvalue(), '<Figure size 500x50 with 8 Axes>')   # never below 160 px
    assert mime is None or Image.open(io.BytesIO(new)).size == (1000, 100)   # too short to halve: kept at its size


if __name__ == '__main__':
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith('test_') and callable(f)]
    failed = 0
    for n, f in tests:
        try: f()
        except Exception as e:
            failed += 1
            print(f'FAIL {n}: {type(e).__name__}: {e}')
    print(f'{len(tests) - failed} passed, {failed} failed')
    sys.exit(1 if failed else 0)
