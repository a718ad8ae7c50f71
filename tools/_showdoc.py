"""fastai-style ``show_doc`` for the offline docs build: a compact signature and a parameter table.

nbdev 2.4.14's ``show_doc`` renders with ``nbdev.showdoc.BasicMarkdownRenderer`` (fastcore's
``MarkdownRenderer``): the whole signature as one Python code block with each parameter's docment as a
``# comment``. In a narrow column those comments are cut off or scroll out of sight, and nbdev's
``add_links`` processor then turns backticked names inside the comments into markdown links that show
literally inside the code block. :class:`TableRenderer` renders what docs.fast.ai shows instead:

* the heading and ``[source]`` link, as nbdev does;
* the signature without comments, wrapped to fit a column, as a Python code block;
* the docstring, first line in italics, as nbdev does;
* a table: parameter | type | default | details (the docment), then a **Returns** row, built from
  ``inspect.signature`` and fastcore's ``docments``. Empty columns are left out; a symbol without any
  docment gets no table (as on docs.fast.ai: the signature says it all).

Nothing in the notebooks changes: ``tools/build_docs.py`` processes the notebooks with nbdev's own
processors (:class:`DocsFilterDefaults`) with this renderer in place of nbdev's, in its own process or in
spawned workers (:func:`process_one`). The ``exec_show_docs`` processor is also made tolerant: a cell
that fails is recorded (and reported by the build) instead of stopping every page.
"""
from __future__ import annotations

import enum
import inspect
import os
import re
import warnings
from types import FunctionType

SIG_WIDTH = 72       # characters per signature line before wrapping (fits the article column with room)
_re_addr = re.compile(r' at 0x[0-9a-fA-F]+>')
# `typing.Optional[pathlib.Path]` -> `Optional[Path]`: module prefixes of names, not of attribute access on values
_re_modprefix = re.compile(r'\b(?:[a-z_][a-z0-9_]*\.)+(?=[A-Za-z_])')


def fmt_anno(a) -> str:
    "An annotation as the author wrote it (string annotations) or as a short name."
    if a is inspect.Parameter.empty: return ''
    if isinstance(a, str): return a.strip()
    if isinstance(a, type) and not getattr(a, '__args__', None): return a.__qualname__
    return _re_modprefix.sub('', inspect.formatannotation(a).replace('typing.', ''))


def fmt_default(d) -> str:
    "A default value, short: functions and classes by name, no memory addresses."
    if d is inspect.Parameter.empty: return ''
    if isinstance(d, enum.Enum): return f'{type(d).__name__}.{d.name}'
    if isinstance(d, (FunctionType, type)) or inspect.isbuiltin(d): return getattr(d, '__qualname__', getattr(d, '__name__', repr(d)))
    return _re_addr.sub('>', repr(d))


def fmt_param(p: inspect.Parameter) -> str:
    pre = '*' if p.kind == p.VAR_POSITIONAL else '**' if p.kind == p.VAR_KEYWORD else ''
    s = pre + p.name
    if p.annotation is not p.empty: s += ':' + fmt_anno(p.annotation)
    if p.default is not p.empty: s += '=' + fmt_default(p.default)
    return s


def sig_params(sig: inspect.Signature, sym=None):
    """Parameters to show, with markers for positional-only (/) and keyword-only (*) where Python needs them.
    Leaves out ``self`` and, for classes made with fastcore's ``funcs_kwargs`` (every fastai ``Callback``),
    the keyword-only event-method arguments every such class accepts."""
    ps = list(sig.parameters.values())
    if ps and ps[0].name in ('self', 'cls') and ps[0].kind in (ps[0].POSITIONAL_ONLY, ps[0].POSITIONAL_OR_KEYWORD): ps = ps[1:]
    methods = set(getattr(sym, '_methods', None) or []) if inspect.isclass(sym) else set()
    if methods: ps = [p for p in ps if not (p.kind == p.KEYWORD_ONLY and p.name in methods and p.default is None)]
    res, star_done = [], False
    for i, p in enumerate(ps):
        if p.kind == p.KEYWORD_ONLY and not star_done and not any(q.kind == q.VAR_POSITIONAL for q in ps):
            res.append('*')
        if p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL): star_done = True
        res.append(fmt_param(p))
        if p.kind == p.POSITIONAL_ONLY and (i + 1 == len(ps) or ps[i + 1].kind != p.POSITIONAL_ONLY): res.append('/')
    return ps, res


def compact_signature(name: str, sig: inspect.Signature, width: int = SIG_WIDTH, prefix: str = '', sym=None) -> str:
    """``name(a, b:int=1) -> T`` on one line when it fits ``width``; else parameters packed on
    indented lines between ``name(`` and ``)``."""
    _, parts = sig_params(sig, sym)
    ret = '' if sig.return_annotation is sig.empty else ' -> ' + fmt_anno(sig.return_annotation)
    one = f'{prefix}{name}({", ".join(parts)}){ret}'
    if len(one) <= width or not parts: return one
    lines, cur = [], ''
    for p in parts:
        item = p + ','
        if cur and len(cur) + 1 + len(item) > width - 4:
            lines.append(cur)
            cur = item
        else: cur = f'{cur} {item}' if cur else item
    if cur: lines.append(cur)
    lines[-1] = lines[-1].rstrip(',')
    return f'{prefix}{name}(\n' + '\n'.join('    ' + l for l in lines) + f'\n){ret}'


def _cell(s: str) -> str:
    "Text for a markdown table cell: no line breaks, escaped pipes."
    s = re.sub(r'\\?\|', r'\\|', str(s).strip())
    return '<br>'.join(l.strip() for l in s.splitlines())


def _code(s: str) -> str:
    "A code span for a table cell (backtick fence longer than any backticks inside)."
    if not s: return ''
    n = max([0] + [len(m) for m in re.findall(r'`+', s)]) + 1
    pad = ' ' if s.startswith('`') or s.endswith('`') else ''
    return _cell(f'{"`" * n}{pad}{s}{pad}{"`" * n}')


def param_table(sym, sig_raw: inspect.Signature | None) -> str:
    "The parameter table (markdown), or '' when it would only list names."
    from fastcore.docments import docments
    try: dm = docments(sym, full=True, returns=True)
    except Exception: dm = {}
    if sig_raw is None: return ''
    ps, _ = sig_params(sig_raw, sym)
    rows = []
    for p in ps:
        d = dm.get(p.name) or {}
        pre = '*' if p.kind == p.VAR_POSITIONAL else '**' if p.kind == p.VAR_KEYWORD else ''
        rows.append([_code(pre + p.name), _code(fmt_anno(p.annotation)), _code(fmt_default(p.default)),
                     _cell(d.get('docment') or '')])
    r = dm.get('return') or {}
    ret_anno = fmt_anno(sig_raw.return_annotation)
    if ret_anno or r.get('docment'):
        rows.append(['**Returns**', _code(ret_anno), '', _cell(r.get('docment') or '')])
    if not any(row[3] for row in rows): return ''   # no docments: the signature says it all (as fastai)
    header = ['Parameter', 'Type', 'Default', 'Details']
    keep = [0] + [j for j in (1, 2, 3) if any(row[j] for row in rows)]
    out = ['| ' + ' | '.join(header[j] for j in keep) + ' |', '|' + '|'.join('---' for _ in keep) + '|']
    out += ['| ' + ' | '.join(row[j] for j in keep) + ' |' for row in rows]
    return '\n'.join(out)


def _raw_signature(sym):
    "The signature with annotations as written (strings under ``from __future__ import annotations``)."
    for kw in ({'eval_str': False}, {}):
        try: return inspect.signature(sym, **kw)
        except (ValueError, TypeError): continue
    return None


def _renderer_base():
    from nbdev.showdoc import BasicMarkdownRenderer
    return BasicMarkdownRenderer


def _line(sym):
    "First line of ``sym``'s definition in its file (decorators included), or None."
    try: return inspect.getsourcelines(inspect.unwrap(sym))[1]
    except (TypeError, OSError): return None


def make_renderer():
    Base = _renderer_base()
    from nbdev.showdoc import NbdevLookup, _ext_link
    from fastcore.docments import _ital_first

    class TableRenderer(Base):
        "show_doc as docs.fast.ai shows it: heading, compact signature, docstring, parameter table."
        def _repr_markdown_(self):
            doc = '---\n\n'
            src = NbdevLookup().code(self.fn)
            if src and src.endswith('#LNone'):   # nbdev 2.4.14 looks the line up by the full name, never found
                src = src[:-len('#LNone')] + (f'#L{_line(self.sym)}' if _line(self.sym) else '')
            if src: doc += _ext_link(src, 'source', 'style="float:right; font-size:smaller"') + '\n\n'
            doc += f'{"#" * self.title_level} {self.nm}\n\n'
            sym = self.sym
            sig = _raw_signature(sym) if callable(sym) else None
            if sig is not None:
                prefix = 'async ' if inspect.iscoroutinefunction(sym) else ''
                doc += f'```python\n{compact_signature(self.nm, sig, prefix=prefix, sym=sym)}\n```'
            elif inspect.isclass(sym):   # no signature (e.g. an exception class): its bases
                bases = ', '.join(b.__qualname__ for b in sym.__bases__ if b is not object)
                doc += f'```python\nclass {self.nm}{f"({bases})" if bases else ""}\n```'
            else: return doc + super(Base, self)._repr_markdown_()   # not a callable: what nbdev shows
            if self.docs: doc += f'\n\n{_ital_first(self.docs)}'
            tbl = param_table(sym, sig)
            if tbl: doc += '\n\n' + tbl
            return doc
    TableRenderer.__qualname__ = TableRenderer.__name__ = 'TableRenderer'
    return TableRenderer


# --------------------------------------------------------------------------- nbdev processing with it

def install():
    "Make nbdev's ``show_doc`` (and ``doc``) use :class:`TableRenderer` in this process."
    import nbdev.showdoc as sd
    if getattr(sd, '_docs_table_renderer', False): return
    sd.BasicMarkdownRenderer = make_renderer()
    sd._docs_table_renderer = True


_errors: list[str] = []


def docs_filter_defaults():
    "nbdev's ``FilterDefaults`` with a tolerant ``exec_show_docs`` (failures recorded in ``_errors``)."
    from nbdev.processors import FilterDefaults, exec_show_docs

    class tolerant_exec_show_docs(exec_show_docs):
        def __call__(self, cell):
            try: return super().__call__(cell)
            except Exception as e:
                cause = e.__cause__
                what = f'{type(cause).__name__}: {cause}' if cause else str(e)
                src = '\n'.join('      ' + l for l in (cell.source or '').splitlines()[:6])
                _errors.append(f'cell {getattr(cell, "idx_", "?")} failed ({what.strip().splitlines()[-1][:300]}):\n{src}')
                self.k.exc = None
    tolerant_exec_show_docs.__name__ = 'exec_show_docs'   # so settings.ini's skip_procs still names it

    class DocsFilterDefaults(FilterDefaults):
        def base_procs(self):
            return [tolerant_exec_show_docs if p is exec_show_docs else p for p in super().base_procs()]
    return DocsFilterDefaults


def process_one(item):
    """Process one notebook ``(src, dst)`` as ``nbdev.serve_drv`` does, with the table renderer.
    Returns the list of problems (cells whose execution failed). Runs in the build's process or in a
    spawned worker."""
    from execnb.nbio import read_nb, write_nb
    src, dst = item
    install()
    del _errors[:]
    old = os.environ.get('IN_TEST')
    os.environ['IN_TEST'] = '1'
    try:
        nb = read_nb(src)
        with warnings.catch_warnings():
            warnings.simplefilter('default')
            docs_filter_defaults()()(nb)
        write_nb(nb, dst)
    except Exception as e:
        _errors.append(f'nbdev could not process it: {type(e).__name__}: {str(e)[:500]}')
    finally:
        if old is None: os.environ.pop('IN_TEST', None)
        else: os.environ['IN_TEST'] = old
    return list(_errors)
