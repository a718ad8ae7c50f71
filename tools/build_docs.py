#!/usr/bin/env python
"""Build the documentation site offline, without Quarto.

Pipeline (one command):

1. nbdev's own notebook processing: ``nbdev.doclinks._build_modidx()`` then
   ``nbdev.serve.proc_nbs()``. That writes processed notebooks to ``_proc/``
   (``show_doc`` cells executed and rendered as markdown, ``#| hide`` cells
   removed, frontmatter as a first raw cell). nbdev's ``_pre_docs`` /
   ``nbdev_proc_nbs`` are not used: they try to install Quarto. nbdev runs the
   notebooks' export, import and show_doc cells here (a cell that mixes an
   import with other code runs whole: see nbdev's FAQ), so this step takes
   what those cells take; ``_proc/`` is a cache: only changed notebooks are
   processed again, or all of them when the library changed (or ``--force``).
   Run in this process by default (``--jobs 0``), the lightest way.
2. Each processed notebook listed in ``nbs/sidebar.yml`` (the file Quarto's
   ``nbdev_docs`` uses) is copied, with Quarto-only syntax rewritten for MyST,
   into a build folder (``_docs_build/`` by default, wiped on every run):
   frontmatter -> page title + lead paragraph, ``::: {.callout-*}`` ->
   admonitions, ``#|`` cell options -> myst-nb tags, links to other notebooks
   (and nbdev's absolute doc links) -> relative links to the html pages.
3. Sphinx + myst-nb (execution off) + sphinx-book-theme render the site into
   ``_site/`` (or ``--out``), in a few seconds. Maths is rendered by the MathJax
   copy that ``sphinx-mathjax-offline`` bundles: no page loads anything from
   outside the site (no CDN, web fonts, analytics or widget scripts).

Every notebook nbdev finds in ``nbs/`` must be in ``sidebar.yml`` and every
sidebar entry must be a notebook: anything else is an error naming it.

Usage::

    .venv/bin/python tools/build_docs.py                # -> _site/
    .venv/bin/python tools/build_docs.py --out /tmp/site --force
    .venv/bin/python tools/check_site.py _site          # browser check

Needs (dev requirements): nbdev, sphinx, myst-nb, sphinx-book-theme,
sphinx-mathjax-offline.
"""
from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shutil
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _quarto_md import div_tree, iter_lines as _iter_lines  # noqa: E402

TOOLS_DIR = Path(__file__).resolve().parent
DEFAULT_ROOT = TOOLS_DIR.parent
PAGE_EXTS = ('.ipynb',)
# Files from nbs/ (copied by nbdev into _proc/) that are not site assets.
SKIP_ASSET_EXTS = {'.ipynb', '.md', '.qmd', '.rst', '.yml', '.yaml', '.py', '.scss', '.lua'}
SKIP_ASSET_NAMES = {'styles.css'}
CALLOUTS = {'note', 'tip', 'warning', 'important', 'caution'}


class DocsError(Exception):
    "A problem with the project that the user must fix; printed without a traceback."


# --------------------------------------------------------------------------- sidebar

def _page_key(entry: str) -> str:
    "Normalise a sidebar path (relative to nbs/) to a posix path."
    e = entry.strip()
    if e.startswith('./'): e = e[2:]
    return posixpath.normpath(e)


def read_sidebar(nbs: Path):
    """Read ``nbs/sidebar.yml``; return a list of ``(caption|None, [page paths])``
    groups in order, where page paths are relative to ``nbs/``."""
    import yaml
    f = nbs/'sidebar.yml'
    if not f.exists(): raise DocsError(f'{f} not found: it lists the pages of the site, in order')
    try: d = yaml.safe_load(f.read_text(encoding='utf-8'))
    except yaml.YAMLError as e: raise DocsError(f'{f} is not valid YAML: {e}') from e
    try: contents = d['website']['sidebar']['contents']
    except (TypeError, KeyError): raise DocsError(f'{f}: expected `website: sidebar: contents: [...]`') from None
    if isinstance(contents, str): contents = [contents]
    groups, problems = [], []

    def add(caption, page):
        if not groups or groups[-1][0] != caption: groups.append((caption, []))
        groups[-1][1].append(page)

    def walk(items, caption):
        for it in items or []:
            if isinstance(it, str):
                if it == 'auto': problems.append('`auto` entries are not supported: list the notebooks')
                else: add(caption, _page_key(it))
            elif isinstance(it, dict):
                href = it.get('href') or it.get('file')
                if 'section' in it or 'contents' in it:
                    sec = str(it.get('section') or it.get('text') or '')
                    cap = f'{caption} › {sec}' if caption and sec else (sec or caption)
                    if href: add(cap, _page_key(href))
                    sub = it.get('contents') or []
                    walk([sub] if isinstance(sub, (str, dict)) else sub, cap)
                elif href: add(caption, _page_key(href))
                elif 'auto' in it: problems.append(f'`auto: {it["auto"]}` entries are not supported: list the notebooks')
                else: problems.append(f'sidebar entry {it!r} has no `href`, `section` or `contents`')
            else: problems.append(f'sidebar entry {it!r} is neither a file name nor a mapping')
    walk(contents, None)
    if problems: raise DocsError(f'{f}:\n  - ' + '\n  - '.join(problems))
    return groups


# --------------------------------------------------------------------------- markdown rewriting

_re_heading = re.compile(r'^(\s{0,3})(#{1,6})\s+(.*?)\s*$')
_re_attr_cls = re.compile(r'(?:^|\s)\.([\w-]+)')
_re_attr_id = re.compile(r'(?:^|\s)#([\w.:-]+)')
_re_attr_kv = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')


def _parse_attrs(s: str):
    s = s.strip()
    if s.startswith('{'): s = s[1:-1]
    else: s = '.' + s  # `::: name` is shorthand for the class `name`
    kv = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _re_attr_kv.finditer(s)}
    rest = _re_attr_kv.sub(' ', s)
    return _re_attr_cls.findall(rest), _re_attr_id.findall(rest), kv


def convert_divs(md: str) -> str:
    """Rewrite pandoc/Quarto fenced divs (``::: {.callout-note}`` ...) as MyST
    colon-fence directives. Callouts become admonitions (an optional first
    ``## Title`` line or ``title="..."`` becomes the title), other divs become
    ``container`` directives with their classes. Nesting is handled by giving
    outer fences more colons. Unbalanced fences are closed at the end."""
    root = div_tree(md, _parse_attrs)

    def height(node):
        return 1 + max([height(c) for c in node['children'] if isinstance(c, dict)] or [0])

    def emit(node, out):
        for c in node['children']:
            if isinstance(c, str):
                out.append(c)
                continue
            colons = ':' * (2 + height(c))
            classes, ids, kv = c['attrs']
            children = list(c['children'])
            callout = next((k.split('-', 1)[1] for k in classes if k.startswith('callout-') and k.split('-', 1)[1] in CALLOUTS), None)
            anchor = ([f'<div id="{i}"></div>' for i in ids] + ['']) if ids else []
            if callout:
                title = kv.get('title')
                # Quarto takes a first heading inside the callout as its title
                first = next((i for i, x in enumerate(children) if not (isinstance(x, str) and not x.strip())), None)
                if first is not None and isinstance(children[first], str):
                    mh = _re_heading.match(children[first])
                    if mh:
                        title = title or mh.group(3)
                        del children[first]
                if title: head = [f'{colons}{{admonition}} {title}', f':class: {callout}']
                else: head = [f'{colons}{{{callout}}}']
            else:
                # Quarto's margin content -> sphinx-book-theme's margin notes
                extra = ['margin' if k in ('column-margin', 'aside') else k for k in classes]
                head = [f'{colons}{{container}} {" ".join(extra)}'.rstrip()]
            out.extend(anchor + head)
            sub = []
            emit({'children': children}, sub)
            # a blank line after the options keeps MyST from reading content as options
            out.append('')
            out.extend(sub)
            out.append(colons)
    out = []
    emit(root, out)
    return '\n'.join(out)


_re_raw_fence = re.compile(r'^(\s{0,3})(`{3,}|~{3,})\s*\{=(\w+)\}\s*$', re.MULTILINE)


def convert_raw_blocks(md: str) -> str:
    "Pandoc raw blocks (```` ```{=html} ````) -> MyST ``{raw} html`` directives."
    return _re_raw_fence.sub(lambda m: f'{m.group(1)}{m.group(2)}{{raw}} {m.group(3)}', md)


def pandoc_slug(text: str) -> str:
    """Heading id the way pandoc (Quarto) makes it; nbdev's doc links
    (``core.html#learner.fit``) use the same ids for ``show_doc`` headings."""
    t = re.sub(r'<[^>]+>', '', text)
    t = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', t)
    t = t.replace('`', '').replace('*', '')
    t = ''.join(c for c in t if c.isalnum() or c in '_-. \n\t').strip().lower()
    t = re.sub(r'\s+', '-', t)
    t = re.sub(r'^[^a-z]+', '', t)
    return t or 'section'


_re_heading_attrs = re.compile(r'\s*\{([^}]*)\}\s*$')


def convert_heading_attrs(md: str) -> str:
    "``## Title {#my-id .cls}`` (pandoc) -> ``{#my-id .cls}`` line (MyST attrs_block) + plain heading."
    out = []
    for line, in_code in _iter_lines(md):
        if not in_code:
            mh = _re_heading.match(line)
            if mh:
                ma = _re_heading_attrs.search(mh.group(3))
                if ma and re.search(r'(^|\s)[#.]|=', ma.group(1)):
                    classes, ids, _ = _parse_attrs('{' + ma.group(1) + '}')
                    attrs = ' '.join([f'#{i}' for i in ids[:1]] + [f'.{c}' for c in classes])
                    if attrs: out.append('{' + attrs + '}')  # MyST attrs_block: id/classes of the section
                    line = f'{mh.group(1)}{mh.group(2)} {mh.group(3)[:ma.start()]}'
        out.append(line)
    return '\n'.join(out)


class LinkFixer:
    """Rewrite links to notebooks (``00_data.ipynb#x``) and nbdev's absolute
    doc links (``https://user.github.io/repo/data.html#x``) to relative links
    to the html pages of this site."""
    _re_inline = re.compile(r'(\]\(\s*)(<[^>]*>|[^()\s]+)((?:\s+(?:"[^"]*"|\'[^\']*\'))?\s*\))')
    _re_refdef = re.compile(r'^(\s{0,3}\[[^\]]+\]:\s*)(\S+)', re.MULTILINE)
    _re_href = re.compile(r'''(\b(?:href|src)\s*=\s*)(["'])([^"']*)\2''')

    def __init__(self, page_map: dict, doc_base: str | None):
        self.page_map = page_map   # source path rel. to nbs -> html path rel. to site
        self.doc_base = doc_base   # e.g. https://user.github.io/repo/
        self.broken = []

    def fix_url(self, url: str, src: str, out: str) -> str:
        "``url`` found in notebook ``src`` (rel. to nbs), rendered as page ``out`` (rel. to site)."
        bracket = url.startswith('<') and url.endswith('>')
        u = url[1:-1] if bracket else url
        path, hsh, frag = u.partition('#')
        target = None
        if self.doc_base and u.startswith(self.doc_base):
            target = path[len(self.doc_base):] or 'index.html'
        elif re.match(r'^[a-zA-Z][\w+.-]*:', u) or u.startswith(('/', '#')) or not path: return url
        elif path.endswith(('.ipynb', '.qmd', '.md')):
            key = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
            target = self.page_map.get(key)
            if target is None:
                self.broken.append(f'{src}: link to `{u}`, which is not a page of the site')
                return url
        if target is None: return url
        rel = posixpath.relpath(target, posixpath.dirname(out) or '.')
        res = rel + (hsh + frag if hsh else '')
        return f'<{res}>' if bracket else res

    def __call__(self, md: str, src: str, out: str) -> str:
        res = []
        for line, in_code in _iter_lines(md):
            if not in_code:
                line = self._re_inline.sub(lambda m: m.group(1) + self.fix_url(m.group(2), src, out) + m.group(3), line)
                line = self._re_refdef.sub(lambda m: m.group(1) + self.fix_url(m.group(2), src, out), line)
                line = self._re_href.sub(lambda m: m.group(1) + m.group(2) + self.fix_url(m.group(3), src, out) + m.group(2), line)
            res.append(line)
        return '\n'.join(res)


# --------------------------------------------------------------------------- notebook rewriting

_re_directive = re.compile(r'^\s*#\|\s?(.*)$')
WARNING_CELL = '<!-- WARNING: THIS FILE WAS AUTOGENERATED! DO NOT EDIT! -->'


def _src(cell) -> str:
    s = cell.get('source', '')
    return ''.join(s) if isinstance(s, list) else (s or '')


def split_directives(source: str):
    "Split leading Quarto ``#| key: value`` lines off a code cell's source."
    lines, opts, i = source.split('\n'), {}, 0
    while i < len(lines):
        m = _re_directive.match(lines[i])
        if not m: break
        k, _, v = m.group(1).partition(':')
        opts[k.strip()] = v.strip().strip('"\'').lower() if v.strip() else ''
        i += 1
    return opts, '\n'.join(lines[i:]).strip('\n')


def _text(v) -> str: return ''.join(v) if isinstance(v, list) else (v or '')


def _asis_markdown(cell) -> str:
    "The markdown a Quarto ``output: asis`` cell puts in the page."
    parts = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream': parts.append(_text(o.get('text')))
        elif 'data' in o:
            d = o['data']
            if 'text/markdown' in d: parts.append(_text(d['text/markdown']))
            elif 'text/html' in d: parts.append(_text(d['text/html']))
            elif 'text/plain' in d: parts.append(_text(d['text/plain']))
    return '\n\n'.join(p.strip('\n') for p in parts if p.strip())


_re_showdoc_head = re.compile(r'\A\s*---[ \t]*\n\s*(?:(\[source\]\([^)\s]*\))(?:\{[^}\n]*\})?[ \t]*\n\s*)?(#{1,6}[ \t]+\S[^\n]*)')


def polish_showdoc(md: str) -> str:
    """nbdev's show_doc markdown starts with ``---``, an optional
    ``[source](url){target=...}`` link (a pandoc attribute MyST drops) and the
    symbol heading. Give the heading a class instead of the separator (a
    transition may not start a section), and float the source link by CSS."""
    m = _re_showdoc_head.match(md)
    if not m: return md
    src_link = f'\n\n{m.group(1)}{{.nbdev-source}}' if m.group(1) else ''
    return '{.nbdev-sym}\n' + m.group(2) + src_link + md[m.end():]


def _fix_md(md: str, fix_links, src, out) -> str:
    md = convert_raw_blocks(md)
    md = convert_heading_attrs(md)
    md = convert_divs(md)
    return fix_links(md, src, out)


def _md_cell(source: str, i: int):
    return {'cell_type': 'markdown', 'id': f'docs-{i}', 'metadata': {}, 'source': source}


def read_frontmatter(nb) -> dict:
    "The YAML frontmatter nbdev put in the first raw cell (and remove that cell)."
    import yaml
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] != 'raw': continue
        m = re.match(r'^\s*---\s*\n(.*?)\n---\s*$', _src(c), re.DOTALL)
        if not m: continue
        try: fm = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError: continue
        if isinstance(fm, dict):
            del nb['cells'][i]
            return fm
    return {}


def rewrite_notebook(nb: dict, src: str, out: str, fix_links) -> dict:
    """Turn a notebook processed by nbdev (for Quarto) into one myst-nb renders
    the same way. ``src``: path rel. to nbs; ``out``: html page rel. to site."""
    fm = read_frontmatter(nb)
    cells = []
    for c in nb['cells']:
        t = c['cell_type']
        if t == 'markdown':
            s = _src(c)
            if s.strip() == WARNING_CELL: continue
            c['source'] = _fix_md(s, fix_links, src, out)
            cells.append(c)
        elif t == 'code':
            opts, code = split_directives(_src(c))
            if opts.get('include') == 'false': continue
            outputs = c.get('outputs', [])
            if opts.get('warning') == 'false':
                outputs = [o for o in outputs if not (o.get('output_type') == 'stream' and o.get('name') == 'stderr')]
            if opts.get('output') == 'false': outputs = []
            for o in outputs:
                d = o.get('data')
                if not d: continue
                # ipywidgets need JS from a CDN: keep their text fallback only
                d.pop('application/vnd.jupyter.widget-view+json', None)
                if 'text/markdown' in d:
                    d['text/markdown'] = _fix_md(_text(d['text/markdown']), fix_links, src, out)
            echo = opts.get('echo') != 'false' and code.strip()
            if opts.get('output') == 'asis':
                # show_doc cells: their markdown becomes part of the page (headings in the page toc)
                md = _asis_markdown(c)
                if echo:
                    c['source'], c['outputs'] = code, []
                    cells.append(c)
                if md.strip(): cells.append(_md_cell(_fix_md(polish_showdoc(md), fix_links, src, out), len(cells)))
                continue
            if not echo and not outputs: continue
            c['source'], c['outputs'] = code, outputs
            tags = c.setdefault('metadata', {}).setdefault('tags', [])
            if not echo and 'remove-input' not in tags: tags.append('remove-input')
            cells.append(c)
        elif t == 'raw':
            cells.append(c)
    # Page title and lead paragraph, from the frontmatter (as Quarto's title block)
    title = fm.get('title')
    head = []
    if title: head.append(f'# {title}')
    elif not any(t['cell_type'] == 'markdown' and re.search(r'^#\s', _src(t), re.MULTILINE) for t in cells):
        print(f'WARNING: nbs/{src} has no title (a first markdown cell `# Title` + `> description`, '
              f'or frontmatter): using "{Path(out).stem}"', file=sys.stderr)
        head.append('# ' + Path(out).stem)
    if fm.get('description'): head.append('{.nbdev-description}\n' + str(fm['description']).strip())
    if head: cells.insert(0, _md_cell(fix_links('\n\n'.join(head), src, out), 0))
    for i, c in enumerate(cells):  # nbformat 4.5 wants (unique) cell ids
        c['id'] = f'cell-{i}'
        c.pop('attachments', None) if not c.get('attachments') else None
    nb['cells'] = cells
    nb['nbformat'], nb['nbformat_minor'] = 4, 5
    md = nb.setdefault('metadata', {})
    md.pop('widgets', None)
    if fm.get('description'): md['myst'] = {'html_meta': {'description': str(fm['description']).strip()}}  # <meta name=description>
    return nb


# --------------------------------------------------------------------------- sphinx project

CONF_PY = '''\
# Generated by tools/build_docs.py: edit that script, not this file.
import sys
sys.path.insert(0, {here!r})

project = {project!r}
author = {author!r}
copyright = {copyright!r}
html_title = {project!r}
root_doc = "index"
extensions = ["myst_nb", "sphinx.ext.githubpages", "sphinx-mathjax-offline"]
source_suffix = {{".ipynb": "myst-nb"}}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# myst-nb: never execute, notebooks come executed and processed by nbdev
nb_execution_mode = "off"
nb_merge_streams = True
nb_ipywidgets_js = {{}}          # would load require.js + widget manager from CDNs
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "attrs_inline", "attrs_block",
                          "deflist", "html_image", "strikethrough", "tasklist"]
myst_dmath_double_inline = True    # pandoc allows $$..$$ inside a paragraph
myst_dmath_allow_digits = False    # like pandoc: "costs $5 or $10" is not maths,
myst_dmath_allow_space = False     # nor is "$ x $" (no space inside the dollars)
myst_all_links_external = True     # links were already rewritten to html pages
myst_heading_anchors = 6
myst_heading_slug_func = "_nbdev_slug.pandoc_slug"   # ids as Quarto makes them (core.html#learner.fit)
suppress_warnings = ["myst.header", "misc.highlighting_failure", "myst.strikethrough"]

html_theme = "sphinx_book_theme"
html_theme_options = {{
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": {use_repo},
    "repository_url": {repo_url!r},
    "repository_branch": {branch!r},
    "path_to_docs": {nbs_name!r},
    "navigation_with_keys": False,
}}
html_context = {{"default_mode": "light"}}   # else pydata-sphinx-theme logs a console error on a first visit
html_favicon = {favicon!r}                  # else browsers ask for /favicon.ico (404)
html_static_path = ["_static"]
html_extra_path = {extra!r}
html_css_files = ["nbdev_docs.css"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
'''

CUSTOM_CSS = '''\
/* Generated by tools/build_docs.py: nbdev-like touches on sphinx-book-theme */
p.nbdev-description { font-size: 1.3em; font-style: italic; opacity: .75; margin-top: -.3em; }
/* sphinx-book-theme 1.4 asks for Font Awesome 6, pydata-sphinx-theme 0.20 ships Font Awesome 7 */
.bd-sidebar-secondary.hide:not(:hover) .onthispage:after { font-family: "Font Awesome 7 Free"; }
/* the sidebar has search and the page buttons: no top bar on wide screens */
@media (min-width: 992px) { .bd-header { display: none !important; } }
/* show_doc: a rule above each symbol, monospace symbol name, signature, source link */
section.nbdev-sym { border-top: 1px solid var(--pst-color-border); margin-top: 2.2rem; padding-top: .4rem; }
section.nbdev-sym > :is(h2, h3, h4, h5, h6) { font-family: var(--pst-font-family-monospace); font-size: 1.2rem;
  font-weight: 600; margin-top: .8rem; color: var(--pst-color-text-base); }
section.nbdev-sym > :is(h2, h3, h4, h5, h6) a.headerlink { font-family: var(--pst-font-family-base); }
a.nbdev-source { float: right; font-size: smaller; margin-top: -2.6rem; }
/* tables (markdown, show_doc parameter tables, pandas) */
.bd-article table.table, .bd-article .output table { width: auto; max-width: 100%; font-size: .92em; margin-left: 0; }
.bd-article table.table th, .bd-article table.table td { padding: .3rem .75rem; vertical-align: top; }
.bd-article table.table thead th { border-bottom: 2px solid var(--pst-color-border); }
.bd-article .output .dataframe { border-collapse: collapse; }
.bd-article .output .dataframe th, .bd-article .output .dataframe td { padding: .25rem .6rem; border-bottom: 1px solid var(--pst-color-border); }
/* cell outputs, as nbdev's styles.css: a thin bar on the left */
div.cell_output .output.text_plain, div.cell_output .output.stream { border-left: 2px solid lightsalmon; }
'''


def write_sphinx_project(build: Path, cfg, groups, page_map, nbs_name: str, extra_dir: Path | None = None):
    "conf.py, the slug helper, custom CSS and the toctree (appended to index)."
    git_url = str(cfg.get('git_url', '') or '')
    (build/'_static').mkdir(parents=True, exist_ok=True)
    (build/'_static'/'nbdev_docs.css').write_text(CUSTOM_CSS, encoding='utf-8')
    slug_src = 'import re\n\n' + textwrap.dedent(__import__('inspect').getsource(pandoc_slug))
    (build/'_nbdev_slug.py').write_text(slug_src, encoding='utf-8')
    title = str(cfg.get('title', '') or cfg.get('lib_name', '') or 'Documentation')
    favicon = next((f'{n}' for n in ('favicon.svg', 'favicon.png', 'favicon.ico') if (build/n).is_file()), None)
    if favicon is None:  # a letter in a rounded square
        favicon = '_static/favicon.svg'
        letter = (title[:1] or 'D').upper().replace('&', '&amp;').replace('<', '&lt;')
        (build/favicon).write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#176de8"/>'
            f'<text x="32" y="46" font-family="sans-serif" font-size="40" font-weight="bold" fill="#fff" text-anchor="middle">{letter}</text></svg>\n',
            encoding='utf-8')
    (build/'conf.py').write_text(CONF_PY.format(
        here=str(build), project=title, author=str(cfg.get('author', '') or ''),
        copyright=str(cfg.get('copyright', '') or ''), use_repo=bool(git_url.startswith('http')),
        repo_url=git_url, branch=str(cfg.get('branch', 'main') or 'main'), nbs_name=nbs_name, favicon=favicon,
        extra=[str(extra_dir)] if extra_dir and extra_dir.is_dir() else []),
        encoding='utf-8')
    # toctrees in sidebar order; index is the home page (root document) so it is not listed
    blocks = []
    for caption, pages in groups:
        docs = [posixpath.splitext(page_map[p])[0] for p in pages if page_map[p] != 'index.html']
        if not docs: continue
        opts = ':hidden:\n' + (f':caption: {caption}\n' if caption else '')
        blocks.append('```{toctree}\n' + opts + '\n' + '\n'.join(docs) + '\n```')
    idx = build/'index.ipynb'
    nb = json.loads(idx.read_text(encoding='utf-8'))
    if blocks: nb['cells'].append(_md_cell('\n\n'.join(blocks), 10**6) | {'id': 'docs-toctree'})
    idx.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding='utf-8')


# --------------------------------------------------------------------------- main steps

def collect_pages(nbs: Path, groups):
    "Check sidebar.yml against the notebooks nbdev finds; return page map src -> html."
    from nbdev.doclinks import nbglob, _nbpath2html
    found = sorted(Path(p).resolve().relative_to(nbs.resolve()).as_posix() for p in nbglob(nbs))
    listed = [p for _, ps in groups for p in ps]
    problems = []
    for p in sorted(set(found) - set(listed)): problems.append(f'notebook nbs/{p} is not in nbs/sidebar.yml')
    for p in listed:
        if p in found: continue
        if (nbs/p).exists() and not p.endswith(PAGE_EXTS): problems.append(f'sidebar entry `{p}` is not a notebook (only .ipynb pages are supported)')
        else: problems.append(f'sidebar entry `{p}` has no notebook nbs/{p}')
    dups = sorted({p for p in listed if listed.count(p) > 1})
    for p in dups: problems.append(f'sidebar entry `{p}` is listed more than once')
    page_map = {p: _nbpath2html(Path(p)).as_posix() for p in listed if p in found}
    by_out = {}
    for s, o in page_map.items(): by_out.setdefault(o, []).append(s)
    for o, ss in by_out.items():
        if len(ss) > 1: problems.append(f'notebooks {", ".join(ss)} would all be the page {o}')
    if 'index.html' not in by_out: problems.append('nbs/index.ipynb is missing: it is the home page')
    if problems: raise DocsError('the sidebar and the notebooks disagree:\n  - ' + '\n  - '.join(problems))
    return page_map


def run_nbdev(root: Path, jobs: int, force: bool) -> Path:
    "nbdev's processing, without Quarto: _modidx.py, then notebooks -> _proc/."
    from nbdev.config import get_config
    from nbdev.doclinks import _build_modidx
    from nbdev.serve import proc_nbs
    # notebooks' show_doc cells import the library: make it importable in the workers
    pp = os.environ.get('PYTHONPATH', '')
    if str(root) not in pp.split(os.pathsep): os.environ['PYTHONPATH'] = str(root) + (os.pathsep + pp if pp else '')
    if str(root) not in sys.path: sys.path.insert(0, str(root))
    cfg = get_config()
    lib, cache = Path(cfg.lib_path), Path(cfg.config_path)/'_proc'
    idx = lib/'_modidx.py'
    old_idx = idx.read_bytes() if idx.exists() else None
    _build_modidx()
    # nbdev's _proc/ cache only notices changed notebooks and settings.ini; show_doc output
    # (and doc links) also depend on the library, so a changed library means a full run.
    if not force and cache.exists():
        new_idx = idx.read_bytes() if idx.exists() else None
        cache_t = cache.stat().st_mtime
        newer = [p for p in lib.rglob('*.py') if p.name != '_modidx.py' and p.stat().st_mtime > cache_t]
        if newer or new_idx != old_idx:
            why = f'{newer[0].relative_to(cfg.config_path)} changed' if newer else f'{idx.name} changed'
            print(f'processing every notebook again ({why})', file=sys.stderr)
            force = True
    try:
        res = Path(proc_nbs(n_workers=jobs, force=force))
        if jobs == 0: _drop_ipython_atexit()
        return res
    except Exception as e:
        raise DocsError('nbdev could not process the notebooks (it runs their show_doc, export and import cells, '
                        f'as nbdev_docs does):\n{_exc_chain(e)}') from e


def _drop_ipython_atexit():
    """Each notebook processed in this process leaves an IPython shell whose
    exit hook runs ``gc.collect()`` (seconds with torch loaded): skip those hooks."""
    import atexit, gc
    try: from IPython.core.interactiveshell import InteractiveShell
    except ImportError: return
    for o in gc.get_objects():
        if isinstance(o, InteractiveShell): atexit.unregister(o.atexit_operations)


def _exc_chain(e: BaseException) -> str:
    "The exception and its causes, innermost last (also from a worker process's traceback)."
    res, seen = [], set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if type(e).__name__ == '_RemoteTraceback':  # concurrent.futures: the worker's traceback as text
            res += [l for l in str(e).splitlines() if re.match(r'^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)?: ', l)]
        else: res.append(f'{type(e).__name__}: {e}')
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
    return '\n'.join('  ' + l.replace('\n', '\n  ') for l in dict.fromkeys(res))


def prepare_output(out: Path, root: Path):
    "Remove a previous build in ``out``; refuse to delete anything else."
    if not out.exists(): return
    if not out.is_dir(): raise DocsError(f'--out {out} exists and is not a folder')
    if out.resolve() in (root.resolve(), Path.home().resolve(), Path('/')) or root.resolve().is_relative_to(out.resolve()):
        raise DocsError(f'refusing to use --out {out}: it contains the project')
    if any(out.iterdir()) and not (out/'.buildinfo').exists():
        raise DocsError(f'--out {out} is not empty and is not a previous build (no .buildinfo): remove it or choose another folder')
    shutil.rmtree(out)


def prune_mathjax(mj: Path, keep='tex-chtml.js'):
    "sphinx-mathjax-offline copies every MathJax bundle (24 MB): keep the one the pages load."
    if not mj.is_dir(): return
    for f in mj.glob('*.js'):
        if f.name != keep and f.name.startswith(('tex-', 'mml-', 'node-main')): f.unlink()
    if (mj/'output'/'svg').is_dir(): shutil.rmtree(mj/'output'/'svg')
    (mj/'output'/'svg.js').unlink(missing_ok=True)


def build(args) -> int:
    t0 = time.perf_counter()
    root = Path(args.root).resolve()
    if not (root/'settings.ini').exists(): raise DocsError(f'no settings.ini in {root}: pass --root PROJECT')
    os.chdir(root)
    from importlib.util import find_spec
    missing = [pkg for mod, pkg in [('nbdev', 'nbdev'), ('sphinx', 'sphinx'), ('myst_nb', 'myst-nb'),
                                    ('sphinx_book_theme', 'sphinx-book-theme'),
                                    ('sphinx-mathjax-offline', 'sphinx-mathjax-offline')] if find_spec(mod) is None]
    if missing: raise DocsError(f'missing packages: pip install {" ".join(missing)} (they are in the dev requirements)')
    from nbdev.config import get_config
    from sphinx.cmd.build import build_main
    cfg = get_config()
    nbs = Path(cfg.nbs_path)
    groups = read_sidebar(nbs)
    page_map = collect_pages(nbs, groups)

    t1 = time.perf_counter()
    proc = run_nbdev(root, args.jobs, args.force)
    t2 = time.perf_counter()

    build_dir = Path(args.build_dir).resolve() if args.build_dir else root/'_docs_build'
    out = Path(args.out) if Path(args.out).is_absolute() else root/args.out
    prepare_output(out, root)
    if build_dir.exists(): shutil.rmtree(build_dir)
    src_dir = build_dir/'src'
    src_dir.mkdir(parents=True)
    # assets (images, data files) next to the notebooks: in the Sphinx sources (for images)
    # and, as html_extra_path, in the site itself (for plain links to them)
    extra_dir = build_dir/'extra'
    for f in sorted(nbs.rglob('*')):
        rel = f.relative_to(nbs)
        if (not f.is_file() or f.suffix.lower() in SKIP_ASSET_EXTS or f.name in SKIP_ASSET_NAMES
                or any(p.startswith(('.', '_')) for p in rel.parts)): continue
        for d in (src_dir, extra_dir):
            (d/rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, d/rel)
    host, base = str(cfg.get('doc_host', '') or ''), str(cfg.get('doc_baseurl', '') or '')
    doc_base = (urljoin(host + '/', base).rstrip('/') + '/') if host else None  # as nbdev's doc links
    fixer = LinkFixer(page_map, doc_base)
    for s, o in page_map.items():
        pf = proc/s
        if not pf.exists(): raise DocsError(f'nbdev did not write {pf}: run again with --force')
        nb = json.loads(pf.read_text(encoding='utf-8'))
        nb = rewrite_notebook(nb, s, o, fixer)
        dest = src_dir/Path(o).with_suffix('.ipynb')
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding='utf-8')
    for b in fixer.broken: print(f'WARNING: {b}', file=sys.stderr)
    write_sphinx_project(src_dir, cfg, groups, page_map, nbs.name, extra_dir)

    sargs = ['-b', 'html', '-q', '-c', str(src_dir), '-d', str(build_dir/'doctrees'), '-j', '1', str(src_dir), str(out)]
    if args.strict: sargs[3:3] = ['-W', '--keep-going']
    rc = build_main(sargs)
    if rc: raise DocsError(f'sphinx failed (exit {rc}); the generated project is in {src_dir}')
    prune_mathjax(out/'_static'/'mathjax')
    if (out/'_sources').is_dir() and not any((out/'_sources').iterdir()): (out/'_sources').rmdir()
    t3 = time.perf_counter()
    if args.strict and fixer.broken: raise DocsError(f'{len(fixer.broken)} broken link(s) to notebooks (see above)')
    n = len(page_map)
    print(f'built {n} page{"s"*(n!=1)} into {out}/ in {t3-t0:.1f}s '
          f'(nbdev processing {t2-t1:.1f}s, sphinx {t3-t2:.1f}s); open {out}/index.html')
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(
        description='Build the docs site offline: nbdev notebook processing (no Quarto) + Sphinx/myst-nb/sphinx-book-theme, '
                    'pages in the order of nbs/sidebar.yml, MathJax served from the site itself.',
        epilog='Then check it in a headless browser: python tools/check_site.py _site')
    p.add_argument('--out', default='_site', help='output folder, relative to the project root (default: _site); '
                   'a previous build there is replaced')
    p.add_argument('--root', default=str(DEFAULT_ROOT), help='nbdev project (folder with settings.ini; default: %(default)s)')
    p.add_argument('--build-dir', default=None, help='where the generated Sphinx project goes (default: ROOT/_docs_build, wiped each run)')
    p.add_argument('--force', action='store_true', help="ignore nbdev's _proc/ cache and process every notebook again")
    p.add_argument('--jobs', type=int, default=0,
                   help='worker processes for nbdev\'s notebook processing; 0 = in this process, the lightest '
                        '(one interpreter imports the library once) (default: 0)')
    p.add_argument('--strict', action='store_true', help='fail on Sphinx warnings and broken notebook links')
    args = p.parse_args(argv)
    try: return build(args)
    except DocsError as e:
        print(f'build_docs: error: {e}', file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
