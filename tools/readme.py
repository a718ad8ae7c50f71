#!/usr/bin/env python
"""Generate README.md from nbs/index.ipynb offline (``nbdev_readme`` needs Quarto).

The notebook goes through nbdev's own processors, as for the docs site
(``nbdev.processors.FilterDefaults``: ``#| hide`` cells removed, ``show_doc``
cells executed and rendered as markdown, frontmatter collected), and is then
written as GitHub-flavoured markdown:

* frontmatter -> ``# title`` and ``> description``;
* markdown cells as they are, except Quarto-only syntax: callouts
  (``::: {.callout-note}``) become GitHub alerts (``> [!NOTE]``), other fenced
  divs are unwrapped, pandoc link attributes (``{target="_blank"}``) dropped,
  links are relative to the README (``nbs/02_unet.ipynb``), so that they work
  where the repository is shown: links to notebooks and nbdev's doc links
  (settings.ini's ``doc_host``) point at the notebooks, ``[source]`` links at the files;
* code cells as ```` ```python ```` fences (``#|`` options honoured: ``echo``,
  ``output``, ``include``, ``output: asis``);
* text outputs (stdout, ``text/plain``) as plain fences, ``text/markdown`` as
  markdown; image outputs (plots) are left out, so the README is text only;
  stderr (warnings) is left out too.

The output is deterministic: the same notebook gives byte-identical README.md.

Usage::

    python tools/readme.py            # writes README.md
    python tools/readme.py --check    # exit 1 (with a diff) if README.md is stale
"""
from __future__ import annotations

import argparse
import difflib
import os
import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _quarto_md import div_tree, iter_lines as _iter_lines, pandoc_paragraphs  # noqa: E402

TOOLS_DIR = Path(__file__).resolve().parent
DEFAULT_ROOT = TOOLS_DIR.parent
ALERTS = {'note': 'NOTE', 'tip': 'TIP', 'warning': 'WARNING', 'important': 'IMPORTANT', 'caution': 'CAUTION'}
IMAGE_MIMES = ('image/png', 'image/jpeg', 'image/gif', 'image/svg+xml', 'application/pdf')

_re_ansi = re.compile(r'\x1B(?:[@-Z\\-_]|\[[0-?]*[ -/]*[@-~])')
_re_heading = re.compile(r'^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$')
_re_link_attrs = re.compile(r'(\]\([^()\s]*(?:\s+"[^"]*")?\))\{[^}\n]*\}')
_re_inline_link = re.compile(r'(!?\[[^\]]*\]\(\s*)([^()\s]+)((?:\s+"[^"]*")?\s*\))')
_re_directive = re.compile(r'^\s*#\|\s?(.*)$')
_re_heading_attrs = re.compile(r'^(\s{0,3}#{1,6}\s+.*?)\s*\{((?:^|\s)*[#.][^}]*|[^}]*=[^}]*)\}\s*$')
_re_raw_block = re.compile(r'^(\s{0,3})(`{3,}|~{3,})\s*\{=(\w+)\}[ \t]*\n(.*?)\n\1\2[ \t]*$', re.MULTILINE | re.DOTALL)


def convert_raw_blocks(md: str) -> str:
    "Pandoc raw blocks: ```` ```{=html} ```` -> the html itself (GitHub renders it); other formats dropped."
    return _re_raw_block.sub(lambda m: m.group(4) if m.group(3).lower() == 'html' else '', md)


class ReadmeError(Exception): pass


def _text(v) -> str: return ''.join(v) if isinstance(v, list) else (v or '')


def convert_divs(md: str) -> str:
    """Quarto callouts -> GitHub alerts (``> [!NOTE]``; a ``title=`` or a first
    ``## Title`` line becomes a bold first line); other fenced divs are unwrapped.
    Unbalanced fences: a stray closing one is dropped, an open one ends with the text."""
    root = div_tree(md)
    out = []

    def emit(children, prefix):
        for c in children:
            if isinstance(c, str):
                out.append((prefix + c).rstrip() if c.strip() else prefix.rstrip())
                continue
            attrs = c['attrs']
            classes = re.findall(r'\.([\w-]+)', attrs) if attrs.startswith('{') else [attrs]
            kind = next((ALERTS[k[8:]] for k in classes if k.startswith('callout-') and k[8:] in ALERTS), None)
            kids = list(c['children'])
            while kids and isinstance(kids[0], str) and not kids[0].strip(): kids.pop(0)
            while kids and isinstance(kids[-1], str) and not kids[-1].strip(): kids.pop()
            if not kind:
                emit(kids, prefix)
                continue
            m = re.search(r'title\s*=\s*"([^"]*)"', attrs)
            title = m.group(1) if m else None
            if kids and isinstance(kids[0], str) and _re_heading.match(kids[0]):
                title = title or _re_heading.match(kids[0]).group(1)
                kids.pop(0)
                while kids and isinstance(kids[0], str) and not kids[0].strip(): kids.pop(0)
            out.append(f'{prefix}> [!{kind}]')
            if title: out.extend([f'{prefix}> **{title}**'] + ([f'{prefix}>'] if kids else []))
            emit(kids, prefix + '> ')
    emit(root['children'], '')
    return '\n'.join(out)


class Links:
    """Links in the README are relative, so they work where the repository is shown (GitHub, GitLab, a
    checkout): links to notebooks point at the notebooks (``nbs/02_unet.ipynb``); nbdev's absolute doc
    links (``https://user.github.io/repo/unet.html#x``, from settings.ini's ``doc_host``) at the notebook
    the page is made from; its ``[source]`` links (``git_url/blob/branch/pkg/mod.py#L12``) at the file;
    relative images and files at their place under ``nbs/``."""
    def __init__(self, nbs: Path, nb_dir: str, doc_base: str | None, readme_dir: Path, src_base: str | None = None,
                 root: Path | None = None):
        "``nb_dir``: the notebook's folder, relative to ``nbs``; ``root``: the project (``src_base`` is its code-host URL)."
        from nbdev.doclinks import nbglob, _nbpath2html
        self.nbs, self.nb_dir, self.doc_base, self.readme_dir, self.src_base = nbs, nb_dir, doc_base, readme_dir, src_base
        self.root = root or nbs.parent
        found = [Path(p).resolve().relative_to(nbs.resolve()).as_posix() for p in nbglob(nbs)]
        self.page2nb = {_nbpath2html(Path(p)).as_posix(): p for p in found}   # unet.html -> 02_unet.ipynb
        self.broken = []

    def _rel(self, f: Path, frag: str = '') -> str:
        "``f`` (a file in the project) relative to the README's folder."
        return posixpath.relpath(f.resolve().as_posix(), self.readme_dir.resolve().as_posix()) + frag

    def fix(self, url: str, is_img: bool) -> str:
        path, hsh, frag = url.partition('#')
        frag = hsh + frag if hsh else ''
        if self.doc_base and url.startswith(self.doc_base):
            page = path[len(self.doc_base):] or 'index.html'
            if page.endswith('.md'): page = page[:-3] + '.html'   # nbdev's `.html.md` doc links
            nb = self.page2nb.get(page)
            if nb: return self._rel(self.nbs/nb, frag)
            self.broken.append(f'link to `{url}`: no notebook makes the page {page}')
            return url
        if self.src_base and url.startswith(self.src_base):
            f = self.root/path[len(self.src_base):]
            if f.exists(): return self._rel(f, frag)
            return url
        if re.match(r'^[a-zA-Z][\w+.-]*:', url) or url.startswith(('/', '#')) or not path: return url
        rel = posixpath.normpath(posixpath.join(self.nb_dir, path))  # relative to nbs/
        f = self.nbs/rel
        if f.exists(): return self._rel(f, frag)   # a notebook or a file next to the notebooks
        if not is_img and path.endswith(('.ipynb', '.qmd', '.md')) and not rel.startswith('..'):
            self.broken.append(f'link to `{url}`: there is no {self.nbs.name}/{rel} (yet)')
            return self._rel(f, frag)   # where it will be
        return url

    def __call__(self, md: str) -> str:
        res = []
        for line, in_code in _iter_lines(md):
            if not in_code:
                line = _re_heading_attrs.sub(r'\1', line)
                line = _re_link_attrs.sub(r'\1', line)
                line = _re_inline_link.sub(lambda m: m.group(1) + self.fix(m.group(2), m.group(1).startswith('!')) + m.group(3), line)
            res.append(line)
        return '\n'.join(res)


def split_directives(source: str):
    lines, opts, i = source.split('\n'), {}, 0
    while i < len(lines):
        m = _re_directive.match(lines[i])
        if not m: break
        k, _, v = m.group(1).partition(':')
        opts[k.strip()] = v.strip().strip('"\'').lower()
        i += 1
    return opts, '\n'.join(lines[i:]).strip('\n')


def _fence(text: str, lang: str = '') -> str:
    "A code fence long enough not to be closed by backticks inside ``text``."
    n = max([3] + [len(m) + 1 for m in re.findall(r'`{3,}', text)])
    return f'{"`" * n}{lang}\n{text}\n{"`" * n}'


def output_md(o, asis: bool, skipped: list) -> str | None:
    t = o.get('output_type')
    if t == 'stream':
        if o.get('name') == 'stderr': return None
        txt = _re_ansi.sub('', _text(o.get('text'))).rstrip()
        return (txt if asis else _fence(txt)) if txt.strip() else None
    if t == 'error':
        return _fence(f"{o.get('ename', 'Error')}: {_re_ansi.sub('', o.get('evalue', ''))}")
    d = o.get('data') or {}
    if any(m in d for m in IMAGE_MIMES):
        skipped.append(next(m for m in IMAGE_MIMES if m in d))
        return None
    if 'text/markdown' in d: return _text(d['text/markdown']).strip('\n')
    if 'text/plain' in d:
        txt = _re_ansi.sub('', _text(d['text/plain'])).rstrip()
        return txt if asis else _fence(txt)
    if 'text/html' in d: return _text(d['text/html']).strip('\n')
    return None


def nb_to_markdown(nb, fix_links) -> tuple[str, list]:
    "Processed notebook (nbdev processors already run) -> GitHub markdown."
    import yaml
    parts, skipped = [], []
    cells = list(nb.cells)
    fm = {}
    if cells and cells[0].cell_type == 'raw':
        m = re.match(r'^\s*---\s*\n(.*?)\n---\s*$', _text(cells[0].source), re.DOTALL)
        if m:
            fm = yaml.safe_load(m.group(1)) or {}
            cells = cells[1:]
    if fm.get('title'): parts.append(f'# {fm["title"]}')
    if fm.get('description'): parts.append(f'> {fm["description"]}')
    for c in cells:
        src = _text(c.get('source'))
        if c.cell_type == 'markdown':
            if src.strip(): parts.append(fix_links(convert_divs(convert_raw_blocks(pandoc_paragraphs(src.strip('\n'))))))
        elif c.cell_type == 'raw':
            if src.strip(): parts.append(src.strip('\n'))
        elif c.cell_type == 'code':
            opts, code = split_directives(src)
            if opts.get('include') == 'false': continue
            asis = opts.get('output') == 'asis'
            if opts.get('echo') != 'false' and code.strip(): parts.append(_fence(code, 'python'))
            if opts.get('output') == 'false': continue
            for o in c.get('outputs', []):
                md = output_md(o, asis, skipped)
                if md is None or not md.strip(): continue
                if asis or 'text/markdown' in (o.get('data') or {}): md = fix_links(convert_divs(md))
                parts.append(md)
    text = '\n\n'.join(p.rstrip() for p in parts if p.strip())
    text = '\n'.join(l.rstrip() for l in text.replace('\r\n', '\n').split('\n'))
    text = re.sub(r'\n{3,}', '\n\n', text).strip('\n') + '\n'
    return text, skipped


def render(root: Path, nb_name: str | None, out: Path) -> tuple[str, list]:
    if not (root/'settings.ini').exists(): raise ReadmeError(f'no settings.ini in {root}: pass --root PROJECT')
    os.chdir(root)
    try:
        from nbdev.config import get_config
        from nbdev.processors import FilterDefaults
        from execnb.nbio import read_nb
    except ImportError as e: raise ReadmeError(f'{e}: install the dev requirements (nbdev)') from e
    cfg = get_config()
    nbs = Path(cfg.nbs_path)
    nbf = nbs/(nb_name or cfg.get('readme_nb', 'index.ipynb'))
    if not nbf.exists(): raise ReadmeError(f'{nbf} not found (settings.ini readme_nb)')
    # show_doc / import cells import the library: make it importable without installing it
    if str(root) not in sys.path: sys.path.insert(0, str(root))
    os.environ['IN_TEST'] = '1'  # as nbdev's notebook processing does
    nb = read_nb(nbf)
    import contextlib, io
    try:
        with contextlib.redirect_stdout(io.StringIO()): FilterDefaults()(nb)
    except Exception as e:
        raise ReadmeError(f'nbdev could not process {nbf} (its show_doc/import cells are executed): {type(e).__name__}: {e}') from e
    host, base = str(cfg.get('doc_host', '') or ''), str(cfg.get('doc_baseurl', '') or '')
    doc_base = (urljoin(host + '/', base).rstrip('/') + '/') if host else None
    git_url, branch = str(cfg.get('git_url', '') or ''), str(cfg.get('branch', 'main') or 'main')
    src_base = urljoin(git_url + '/', f'blob/{branch}/') if git_url else None   # nbdev's [source] links
    nb_dir = posixpath.dirname(nbf.resolve().relative_to(nbs.resolve()).as_posix())
    links = Links(nbs, nb_dir, doc_base, out.parent, src_base, root)
    text, skipped = nb_to_markdown(nb, links)
    for b in dict.fromkeys(links.broken): print(f'readme: warning: {b}', file=sys.stderr)
    return text, skipped


def main(argv=None):
    p = argparse.ArgumentParser(
        description='Generate README.md from the readme notebook (nbs/index.ipynb) with nbdev\'s processors, '
                    'without Quarto. Image outputs are left out: the README is text only.')
    p.add_argument('--check', action='store_true', help='do not write: exit 1 with a diff if README.md is not up to date')
    p.add_argument('--root', default=str(DEFAULT_ROOT), help='nbdev project (folder with settings.ini; default: %(default)s)')
    p.add_argument('--nb', help="notebook, relative to nbs/ (default: settings.ini's readme_nb, index.ipynb)")
    p.add_argument('--out', default='README.md', help='output file, relative to the project root (default: README.md)')
    p.add_argument('--diff-lines', type=int, default=40, help='lines of diff shown by --check (default: 40)')
    args = p.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.out) if Path(args.out).is_absolute() else root/args.out
    try: text, skipped = render(root, args.nb, out)
    except ReadmeError as e:
        print(f'readme: error: {e}', file=sys.stderr)
        return 2
    rel = os.path.relpath(out, Path.cwd())
    if args.check:
        if not out.exists():
            print(f'{rel} does not exist: run `python tools/readme.py`', file=sys.stderr)
            return 1
        old = out.read_bytes().decode('utf-8', errors='replace')
        if old == text:
            print(f'{rel} is up to date')
            return 0
        diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), f'{rel} (on disk)', f'{rel} (from the notebook)', lineterm=''))
        print(f'{rel} is stale: run `python tools/readme.py` and commit it. Diff (first {args.diff_lines} lines):', file=sys.stderr)
        print('\n'.join(diff[:args.diff_lines]) + ('\n...' if len(diff) > args.diff_lines else ''), file=sys.stderr)
        return 1
    with open(out, 'w', encoding='utf-8', newline='\n') as f: f.write(text)
    note = f' ({len(skipped)} image output(s) left out)' if skipped else ''
    print(f'wrote {rel}{note}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
