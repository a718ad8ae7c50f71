#!/usr/bin/env python
"""Build the documentation site offline, without Quarto.

Pipeline (one command):

1. nbdev's own notebook processing: ``nbdev.doclinks._build_modidx()``, then
   nbdev's processors (``FilterDefaults``) on every notebook, as
   ``nbdev.serve.proc_nbs()`` runs them, into ``_proc/`` (``show_doc`` cells
   executed and rendered as markdown, ``#| hide`` cells removed, frontmatter as
   a first raw cell). Two differences (``tools/_showdoc.py``): ``show_doc``
   renders as docs.fast.ai shows it -- a compact signature, the docstring and a
   parameter table (name, type, default, details) from the signature and its
   docments -- instead of a code block with ``# comments``; and a cell that
   fails is reported at the end (exit status 1, the page built without its
   output) instead of stopping every page. nbdev's ``_pre_docs`` /
   ``nbdev_proc_nbs`` are not used: they try to install Quarto. nbdev runs the
   notebooks' export, import and show_doc cells here (a cell that mixes an
   import with other code runs whole: see nbdev's FAQ), so this step takes
   what those cells take; ``_proc/`` is a cache: only changed notebooks are
   processed again, or all of them when the library or the renderer changed
   (or ``--force``). Run in this process by default (``--jobs 0``), the lightest way.
2. Each processed notebook is copied, with Quarto-only syntax rewritten for MyST,
   into a build folder (``_docs_build/`` by default, wiped on every run):
   frontmatter (nbdev makes it from the first ``# H1`` and ``> description``)
   -> page title + lead paragraph, ``::: {.callout-*}`` -> admonitions, ``#|``
   cell options -> myst-nb tags, pandoc's paragraph rules (a line starting
   with ``+ `` or ``# `` inside a paragraph stays text), links to other
   notebooks and nbdev's absolute doc links (settings.ini ``doc_host``, a site
   that need not exist) -> relative links to the html pages, nbdev's doc links
   inside code blocks -> plain names, ``[source]`` links -> the site's own
   highlighted copy of the module (``_modules/``; ``--source-links repo`` keeps
   settings.ini's ``git_url``).
3. Sphinx + myst-nb (execution off) + sphinx-book-theme render the site into
   ``_site/`` (or ``--out``), in a few seconds. Maths is rendered by the MathJax
   copy that ``sphinx-mathjax-offline`` bundles: no page loads anything from
   outside the site (no CDN, web fonts, analytics or widget scripts). Wide code,
   outputs, tables and maths scroll sideways; prose and inline code wrap.

The pages and the sidebar come from ``nbs/sidebar.yml``, the file Quarto's
``nbdev_docs`` uses (``custom_sidebar = True``), in Quarto's syntax: each
``section:`` with its ``contents:`` is a captioned part of the sidebar (the home
page, ``index.ipynb``, may be in one); an entry is a notebook, or ``href:``
with an optional ``text:`` label; without one, the label is the page's title,
the notebook's first ``# H1``. A listed notebook that does not exist (yet) is
left out with a warning; a notebook that is not listed is built with a
warning, in a last section "More".

Usage::

    .venv/bin/python tools/build_docs.py                # -> _site/
    .venv/bin/python tools/build_docs.py --out /tmp/site --force
    .venv/bin/python tools/check_site.py _site          # browser check

Needs (dev requirements): nbdev, sphinx, myst-nb, sphinx-book-theme,
sphinx-mathjax-offline.
"""
from __future__ import annotations

import argparse
import html
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
from _quarto_md import div_tree, iter_lines as _iter_lines, pandoc_paragraphs  # noqa: E402

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
    """Read ``nbs/sidebar.yml`` (Quarto's sidebar syntax, as ``nbdev_docs`` uses it); return a list of
    ``(caption|None, [(page path, label|None)])`` groups in order. Page paths are relative to ``nbs/``;
    a ``section:`` is a group (nested sections: ``Outer › Inner``); an entry's ``text:`` is its label
    (else the page's title, its first ``# H1``)."""
    import yaml
    f = nbs/'sidebar.yml'
    if not f.exists(): raise DocsError(f'{f} not found: it lists the pages of the site, in order')
    try: d = yaml.safe_load(f.read_text(encoding='utf-8'))
    except yaml.YAMLError as e: raise DocsError(f'{f} is not valid YAML: {e}') from e
    try: contents = d['website']['sidebar']['contents']
    except (TypeError, KeyError): raise DocsError(f'{f}: expected `website: sidebar: contents: [...]`') from None
    if isinstance(contents, str): contents = [contents]
    groups, problems = [], []

    def add(caption, page, label=None):
        if not groups or groups[-1][0] != caption: groups.append((caption, []))
        groups[-1][1].append((page, str(label).strip() if label else None))

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
                elif href: add(caption, _page_key(href), it.get('text'))
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
    to the html pages of this site; and nbdev's ``[source]`` links to the
    library on the code host (``git_url/blob/branch/pkg/mod.py#L12``) to the
    site's own source pages (``_modules/pkg/mod.py.html#L12``), when given."""
    _re_inline = re.compile(r'(\]\(\s*)(<[^>]*>|[^()\s]+)((?:\s+(?:"[^"]*"|\'[^\']*\'))?\s*\))')
    _re_refdef = re.compile(r'^(\s{0,3}\[[^\]]+\]:\s*)(\S+)', re.MULTILINE)
    _re_href = re.compile(r'''(\b(?:href|src)\s*=\s*)(["'])([^"']*)\2''')

    def __init__(self, page_map: dict, doc_base: str | None, src_base: str | None = None, src_pages: dict | None = None):
        self.page_map = page_map   # source path rel. to nbs -> html path rel. to site
        self.doc_base = doc_base   # e.g. https://user.github.io/repo/
        self.src_base = src_base   # e.g. https://github.com/user/repo/blob/main/
        self.src_pages = src_pages or {}   # file rel. to the repo root -> its page rel. to the site
        self.broken = []

    def fix_url(self, url: str, src: str, out: str) -> str:
        "``url`` found in notebook ``src`` (rel. to nbs), rendered as page ``out`` (rel. to site)."
        bracket = url.startswith('<') and url.endswith('>')
        u = url[1:-1] if bracket else url
        path, hsh, frag = u.partition('#')
        target = None
        if self.doc_base and u.startswith(self.doc_base):
            target = path[len(self.doc_base):] or 'index.html'
            if target.endswith('.md'): target = target[:-3] + '.html'   # nbdev's `.html.md` doc links
            if target not in self.page_map.values():
                self.broken.append(f'{src}: link to `{u}`, which is not a page of the site')
        elif self.src_base and u.startswith(self.src_base) and path[len(self.src_base):] in self.src_pages:
            target = self.src_pages[path[len(self.src_base):]]
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

    # nbdev's add_links linkifies every line of a markdown output, code blocks included:
    # `[`name`](url)` shows literally there, so it goes back to the `name` it was
    _re_code_link = re.compile(r'\[(`[^`\n]+`)\]\((?:[^()\s]|\([^()\s]*\))+\)')

    def __call__(self, md: str, src: str, out: str) -> str:
        res = []
        for line, in_code in _iter_lines(md):
            if in_code: line = self._re_code_link.sub(r'\1', line)
            else:
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


_re_param_table = re.compile(r'^(\| Parameter \|.*\|\n\|(?:---\|)+)$', re.MULTILINE)


def polish_showdoc(md: str) -> str:
    """nbdev's show_doc markdown starts with ``---``, an optional
    ``[source](url){target=...}`` link (a pandoc attribute MyST drops) and the
    symbol heading. Give the heading a class instead of the separator (a
    transition may not start a section), and float the source link by CSS.
    What follows (signature, docstring, parameter table) goes in a
    ``nbdev-showdoc`` container (check_site.py checks it as output, not prose);
    the parameter table (tools/_showdoc.py) gets the class ``nbdev-params``."""
    md = _re_param_table.sub(lambda m: '{.nbdev-params}\n' + m.group(1), md, count=1)
    m = _re_showdoc_head.match(md)
    if not m: return md
    src_link = f'\n\n{m.group(1)}{{.nbdev-source}}' if m.group(1) else ''
    body = md[m.end():].strip('\n')
    # a heading cannot go inside a container: a docstring with headings stays unwrapped
    if body and not any(not in_code and _re_heading.match(l) for l, in_code in _iter_lines(body)):
        body = '::: {.nbdev-showdoc}\n' + body + '\n:::'
    return '{.nbdev-sym}\n' + m.group(2) + src_link + '\n\n' + body + '\n'


def _fix_md(md: str, fix_links, src, out) -> str:
    md = pandoc_paragraphs(md)
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
    cells, shown = [], set()
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
                # nbdev 2.4.14 adds a show_doc cell after every exported `@patch` method even when the
                # notebook has one (it compares `meth` with `Cls.meth`): the same symbol twice, once
                if code.startswith('show_doc(') and (code, md) in shown: continue
                shown.add((code, md))
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
extensions = ["myst_nb", "sphinx.ext.githubpages", "sphinx-mathjax-offline", "_nbdev_index"]
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
    "home_page_in_toc": False,    # the home page is in the sidebar where sidebar.yml lists it (toctree `self`)
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
/* show_doc parameter tables (tools/_showdoc.py): names stay on one line; a long type or default wraps within its
   column, so that the details stay in sight beside it */
@media (min-width: 768px) {   /* on a phone the names wrap too */
  table.nbdev-params td:first-child code, table.nbdev-params td:first-child { white-space: nowrap; }
  table.nbdev-params td:last-child { min-width: 16em; }
}
.bd-article table.nbdev-params td:not(:first-child):not(:last-child) { min-width: 8em; max-width: 9em; }
.bd-article table.nbdev-params td:not(:first-child):not(:last-child) :is(code, span.pre) { white-space: normal; overflow-wrap: anywhere; }
section.nbdev-sym div.highlight pre { font-size: .85em; }
/* tables (markdown, show_doc parameter tables, pandas) */
.bd-article table.table, .bd-article .output table { width: auto; max-width: 100%; font-size: .92em; margin-left: 0; }
.bd-article table.table th, .bd-article table.table td { padding: .3rem .75rem; vertical-align: top; }
.bd-article table.table thead th { border-bottom: 2px solid var(--pst-color-border); }
.bd-article .output .dataframe { border-collapse: collapse; }
.bd-article .output .dataframe th, .bd-article .output .dataframe td { padding: .25rem .6rem; border-bottom: 1px solid var(--pst-color-border); }
/* cell outputs, as nbdev's styles.css: a thin bar on the left */
div.cell_output .output.text_plain, div.cell_output .output.stream { border-left: 2px solid lightsalmon; }
/* nothing wider than the column is ever cut off: code, outputs, tables and display maths scroll
   sideways; prose, headings and inline code wrap */
.bd-article pre { overflow-x: auto; white-space: pre; max-width: 100%; }
.bd-article div.cell_output, .bd-article div.cell_output > .output { max-width: 100%; overflow-x: auto; }
.bd-article .pst-scrollable-table-container { max-width: 100%; overflow-x: auto; }
.bd-article div.math, .bd-article mjx-container[display="true"] { max-width: 100%; overflow-x: auto; overflow-y: hidden; }
.bd-article div.cell_output table { max-width: none; }
.bd-article img, .bd-article .cell_output svg { max-width: 100%; height: auto; }
.bd-article :is(h1, h2, h3, h4, h5, h6, p, li, dd, td, th) { overflow-wrap: break-word; }
.bd-article :is(p, li, dd, td, th, h1, h2, h3, h4, h5, h6) code { overflow-wrap: anywhere; }
.bd-article table.nbdev-params td:first-child code { overflow-wrap: normal; }
'''


# A Sphinx extension written next to conf.py: the index page (genindex.html) lists every symbol that show_doc
# documents (sections with class nbdev-sym), each linking to its own anchor (core.html#learner.fit).
INDEX_EXT = '''\
"Index entries for show_doc's symbols (generated by tools/build_docs.py)."
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform


class ShowDocIndex(SphinxTransform):
    default_priority = 500

    def apply(self):
        for sec in list(self.document.findall(nodes.section)):
            if 'nbdev-sym' not in sec['classes'] or not sec['ids']: continue
            title = next(iter(sec.findall(nodes.title)), None)
            if title is None: continue
            entry = addnodes.index(entries=[('single', title.astext().strip(), sec['ids'][0], '', None)])
            sec.insert(sec.index(title) + 1, entry)


def setup(app):
    app.add_transform(ShowDocIndex)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def _toc_label(label: str) -> str:
    "A toctree entry's explicit title: ``<`` would start the target."
    return label.replace('<', '\\<')


def write_sphinx_project(build: Path, cfg, groups, page_map, nbs_name: str, extra_dir: Path | None = None):
    "conf.py, the slug helper, custom CSS and the toctree (appended to index)."
    git_url = str(cfg.get('git_url', '') or '')
    (build/'_static').mkdir(parents=True, exist_ok=True)
    (build/'_static'/'nbdev_docs.css').write_text(CUSTOM_CSS, encoding='utf-8')
    slug_src = 'import re\n\n' + textwrap.dedent(__import__('inspect').getsource(pandoc_slug))
    (build/'_nbdev_slug.py').write_text(slug_src, encoding='utf-8')
    (build/'_nbdev_index.py').write_text(INDEX_EXT, encoding='utf-8')
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
    # toctrees in sidebar order, one per section (its caption); the home page (root document) is `self`
    blocks = []
    for caption, pages in groups:
        docs = []
        for p, label in pages:
            doc = 'self' if page_map[p] == 'index.html' else posixpath.splitext(page_map[p])[0]
            docs.append(f'{_toc_label(label)} <{doc}>' if label else doc)
        opts = ':hidden:\n' + (f':caption: {caption}\n' if caption else '')
        blocks.append('```{toctree}\n' + opts + '\n' + '\n'.join(docs) + '\n```')
    # the index of every documented name (filled by _nbdev_index), last in the sidebar
    blocks.append('```{toctree}\n:hidden:\n\nIndex of names <genindex>\n```')
    idx = build/'index.ipynb'
    nb = json.loads(idx.read_text(encoding='utf-8'))
    if blocks: nb['cells'].append(_md_cell('\n\n'.join(blocks), 10**6) | {'id': 'docs-toctree'})
    idx.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding='utf-8')


# --------------------------------------------------------------------------- main steps

UNLISTED_CAPTION = 'More'


def collect_pages(nbs: Path, groups):
    """Check sidebar.yml against the notebooks nbdev finds. A listed notebook that does not exist (yet) is
    left out with a warning; a notebook that is not listed is built with a warning, in a last sidebar
    section "More". Returns ``(page map src -> html, groups)`` with those changes."""
    from nbdev.doclinks import nbglob, _nbpath2html
    found = sorted(Path(p).resolve().relative_to(nbs.resolve()).as_posix() for p in nbglob(nbs))
    listed = [p for _, ps in groups for p, _ in ps]
    problems, warns = [], []
    for p in listed:
        if p in found: continue
        if (nbs/p).exists() and not p.endswith(PAGE_EXTS): problems.append(f'sidebar entry `{p}` is not a notebook (only .ipynb pages are supported)')
        else: warns.append(f'nbs/sidebar.yml lists `{p}`, but there is no notebook nbs/{p} (yet): left out of the site')
    dups = sorted({p for p in listed if listed.count(p) > 1})
    for p in dups: problems.append(f'sidebar entry `{p}` is listed more than once')
    groups = [(c, [(p, l) for p, l in ps if p in found]) for c, ps in groups]
    unlisted = [p for p in found if p not in listed]
    for p in unlisted: warns.append(f'notebook nbs/{p} is not in nbs/sidebar.yml: built, and listed under "{UNLISTED_CAPTION}"')
    if unlisted: groups.append((UNLISTED_CAPTION, [(p, None) for p in unlisted]))
    groups = [(c, ps) for c, ps in groups if ps]
    pages = [p for _, ps in groups for p, _ in ps]
    page_map = {p: _nbpath2html(Path(p)).as_posix() for p in pages}
    by_out = {}
    for s, o in page_map.items(): by_out.setdefault(o, []).append(s)
    for o, ss in by_out.items():
        if len(ss) > 1: problems.append(f'notebooks {", ".join(ss)} would all be the page {o}')
    if 'index.html' not in by_out: problems.append('nbs/index.ipynb is missing: it is the home page')
    if problems: raise DocsError('the sidebar and the notebooks disagree:\n  - ' + '\n  - '.join(problems))
    for w in warns: print(f'WARNING: {w}', file=sys.stderr)
    return page_map, groups


def run_nbdev(root: Path, jobs: int, force: bool):
    """nbdev's processing, without Quarto: _modidx.py, then notebooks -> _proc/.
    Returns ``(_proc folder, {notebook: [problems]})``."""
    from nbdev.config import get_config
    from nbdev.doclinks import _build_modidx
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
    return proc_nbs_tables(cfg, jobs, force)


def proc_nbs_tables(cfg, jobs: int, force: bool):
    """``nbdev.serve.proc_nbs``, with show_doc rendered as a signature plus a parameter table
    (``tools/_showdoc.py``) and cells that fail recorded instead of stopping the build.
    Returns ``(cache folder, {notebook rel. to nbs/: [problems]})``."""
    import _showdoc
    import nbdev.serve as serve
    from nbdev.doclinks import nbglob
    cache, path = Path(cfg.config_path)/'_proc', Path(cfg.nbs_path)
    files = nbglob(path, func=Path, file_glob='', file_re='')
    for extra in ('_quarto.yml', '_brand.yml'):
        if (path/extra).exists(): files.append(path/extra)
    # as nbdev: a newer settings.ini (or processing code: nbdev's, our renderer) empties the cache
    chk = max(Path(cfg.config_file).stat().st_mtime, Path(serve.__file__).stat().st_mtime, Path(_showdoc.__file__).stat().st_mtime)
    cache.mkdir(parents=True, exist_ok=True)
    if force or cache.stat().st_mtime < chk:
        shutil.rmtree(cache)
        cache.mkdir(parents=True)
    cache_t = cache.stat().st_mtime
    items = [r for r in files.map(serve._proc_file, mtime=cache_t, cache=cache, path=path).filter()]
    nbs_items = [(src, dst) for src, dst, x in items if src.suffix == '.ipynb']
    for src, dst, x in items:   # `.py` pages with frontmatter (nbdev's `_is_qpy`): not pages of this site
        if src.suffix != '.ipynb': dst.write_text(src.read_text(encoding='utf-8'), encoding='utf-8')
    errors = {}
    if nbs_items: print(f'nbdev: processing {len(nbs_items)} notebook(s)', file=sys.stderr)
    if jobs == 0:
        for it in nbs_items:
            errs = _showdoc.process_one(it)
            if errs: errors[it[0]] = errs
        _drop_ipython_atexit()
    else:
        import concurrent.futures as cf, multiprocessing as mp
        # spawned workers import _showdoc from tools/ (and the library from the root, see above)
        pp = os.environ.get('PYTHONPATH', '')
        os.environ['PYTHONPATH'] = str(TOOLS_DIR) + os.pathsep + pp
        try:
            with cf.ProcessPoolExecutor(jobs, mp_context=mp.get_context('spawn')) as ex:
                for it, errs in zip(nbs_items, ex.map(_showdoc.process_one, nbs_items)):
                    if errs: errors[it[0]] = errs
        finally: os.environ['PYTHONPATH'] = pp
    cache.touch()
    errors = {Path(s).resolve().relative_to(path.resolve()).as_posix(): e for s, e in errors.items()}   # rel. to nbs/
    return cache, errors


def _drop_ipython_atexit():
    """Each notebook processed in this process leaves an IPython shell whose
    exit hook runs ``gc.collect()`` (seconds with torch loaded): skip those hooks."""
    import atexit, gc
    try: from IPython.core.interactiveshell import InteractiveShell
    except ImportError: return
    import warnings
    with warnings.catch_warnings():   # isinstance() on some objects (torch's deprecated aliases) warns
        warnings.simplefilter('ignore')
        for o in gc.get_objects():
            if isinstance(o, InteractiveShell): atexit.unregister(o.atexit_operations)


def prepare_output(out: Path, root: Path):
    "Remove a previous build in ``out``; refuse to delete anything else."
    if not out.exists(): return
    if not out.is_dir(): raise DocsError(f'--out {out} exists and is not a folder')
    if out.resolve() in (root.resolve(), Path.home().resolve(), Path('/')) or root.resolve().is_relative_to(out.resolve()):
        raise DocsError(f'refusing to use --out {out}: it contains the project')
    if any(out.iterdir()) and not (out/'.buildinfo').exists():
        raise DocsError(f'--out {out} is not empty and is not a previous build (no .buildinfo): remove it or choose another folder')
    shutil.rmtree(out)


SOURCE_DIR = '_modules'
SOURCE_PAGE = '''<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} (source)</title>
<style>
body {{ margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; }}
header {{ padding: .8rem 1.2rem; border-bottom: 1px solid #ddd; background: #fafafa; }}
header a {{ color: #176de8; text-decoration: none; }} header code {{ font-size: 1.05em; }}
.highlight pre {{ margin: 0; padding: 1rem 1.2rem; font-size: 13px; line-height: 1.45; overflow-x: auto; }}
.highlight .linenos {{ display: inline-block; width: 3.5em; margin-right: 1em; text-align: right; color: #999;
  text-decoration: none; user-select: none; }}
.highlight span[id]:target {{ background: #fff3b0; }} .highlight span[id] {{ scroll-margin-top: 30vh; }}
{css}
</style></head>
<body><header><a href="{home}">{project}</a> › <code>{title}</code>{made_from}</header>
{body}
</body></html>
'''


def source_pages(root: Path, cfg) -> dict:
    "The library's modules (files rel. to the repo root) -> their source pages (rel. to the site)."
    lib = Path(cfg.lib_path)
    return {f.relative_to(root).as_posix(): f'{SOURCE_DIR}/{f.relative_to(root).as_posix()}.html'
            for f in sorted(lib.rglob('*.py')) if f.name != '_modidx.py' and '__pycache__' not in f.parts}


def write_source_pages(out: Path, root: Path, pages: dict, project: str, page_map: dict | None = None,
                       nbs: Path | None = None, titles: dict | None = None):
    """Each module as a highlighted page with numbered lines; line ``n`` has the id ``Ln`` (as on
    GitHub), so show_doc's ``[source]`` links (``mod.py#L12``) land on the definition. The header links
    the page of the notebook the module is exported from (nbdev's ``File to edit:`` line)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    fmt = HtmlFormatter(linenos='inline', linespans='L')
    css = fmt.get_style_defs('.highlight')
    for rel, page in pages.items():
        text = (root/rel).read_text(encoding='utf-8')
        body = highlight(text, PythonLexer(), fmt)
        made_from = ''
        m = re.search(r'File to edit: (\S+\.ipynb)', text[:2000])
        if m and page_map and nbs:
            nb = (root/rel).parent/m.group(1)
            try: key = nb.resolve().relative_to(nbs.resolve()).as_posix()
            except ValueError: key = None
            if key in page_map:
                href = posixpath.relpath(page_map[key], posixpath.dirname(page))
                name = html.escape((titles or {}).get(page_map[key]) or page_map[key].removesuffix('.html'))
                made_from = f' · documented in <a href="{href}">{name}</a>'
        body = re.sub(r'<span id="L-(\d+)"><span class="linenos">\s*(\d+)</span>',
                      r'<span id="L\1"><a class="linenos" href="#L\1">\2</a>', body)
        dest = out/page
        dest.parent.mkdir(parents=True, exist_ok=True)
        home = posixpath.relpath('index.html', posixpath.dirname(page))
        dest.write_text(SOURCE_PAGE.format(title=rel, project=html.escape(project), home=home, css=css, body=body,
                                           made_from=made_from),
                        encoding='utf-8')


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
    page_map, groups = collect_pages(nbs, groups)

    t1 = time.perf_counter()
    proc, nb_errors = run_nbdev(root, args.jobs, args.force)
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
    git_url, branch = str(cfg.get('git_url', '') or ''), str(cfg.get('branch', 'main') or 'main')
    src_pages = source_pages(root, cfg) if args.source_links == 'site' else {}
    src_base = urljoin(git_url + '/', f'blob/{branch}/') if git_url and src_pages else None  # as nbdev's [source] links
    fixer = LinkFixer(page_map, doc_base, src_base, src_pages)
    titles = {}   # page -> its title (for the source pages)
    for s, o in page_map.items():
        pf = proc/s
        if not pf.exists(): raise DocsError(f'nbdev did not write {pf}: run again with --force')
        nb = json.loads(pf.read_text(encoding='utf-8'))
        nb = rewrite_notebook(nb, s, o, fixer)
        first = next((_src(c) for c in nb['cells'] if c['cell_type'] == 'markdown'), '')
        mt = re.search(r'^#\s+(.+?)\s*$', first, re.MULTILINE)
        titles[o] = re.sub(r'[`*_]', '', mt.group(1)) if mt else Path(o).stem
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
    if src_pages: write_source_pages(out, root, src_pages, str(cfg.get('title', '') or cfg.get('lib_name', '')), page_map, nbs, titles)
    if (out/'_sources').is_dir() and not any((out/'_sources').iterdir()): (out/'_sources').rmdir()
    t3 = time.perf_counter()
    if args.strict and fixer.broken: raise DocsError(f'{len(fixer.broken)} broken link(s) to notebooks (see above)')
    n = len(page_map)
    print(f'built {n} page{"s"*(n!=1)} into {out}/ in {t3-t0:.1f}s '
          f'(nbdev processing {t2-t1:.1f}s, sphinx {t3-t2:.1f}s); open {out}/index.html')
    if nb_errors:
        for nb in nb_errors: (proc/nb).unlink(missing_ok=True)   # processed again next time
        msg = '\n'.join(f'  {nbs.name}/{nb}: {e}' for nb, es in nb_errors.items() for e in es)
        raise DocsError(f'nbdev could not run every cell it runs for the docs (its show_doc, export and import '
                        f'cells, as nbdev_docs does); the pages were built without the output of those cells:\n{msg}')
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
    p.add_argument('--source-links', choices=('site', 'repo'), default='site',
                   help="where show_doc's [source] links go: 'site' = highlighted copies of the library's modules in "
                        "the site (_modules/), so every link resolves offline; 'repo' = settings.ini's git_url, as nbdev "
                        "(default: %(default)s)")
    args = p.parse_args(argv)
    try: return build(args)
    except DocsError as e:
        print(f'build_docs: error: {e}', file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
