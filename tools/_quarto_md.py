"""Reading Quarto/pandoc markdown: the pieces `build_docs.py` (to MyST) and `readme.py` (to GitHub markdown) share.

Both tools walk a notebook's markdown line by line, skipping fenced code, and both rebuild pandoc's fenced divs
(``::: {.callout-note}`` ... ``:::``) as a tree before writing them out in their own target syntax.
"""
from __future__ import annotations

import re

FENCE = re.compile(r'^(\s{0,3})(`{3,}|~{3,})(.*)$')
DIV_OPEN = re.compile(r'^\s{0,3}(:{3,})\s*(\{[^}]*\}|[\w.-]+)\s*$')
DIV_CLOSE = re.compile(r'^\s{0,3}(:{3,})\s*$')


def iter_lines(md: str):
    "Yield ``(line, in_code)`` for each line of ``md``, tracking fenced code blocks (CommonMark: a backtick fence's info string has no backticks)."
    fence = None
    for line in md.split('\n'):
        m = FENCE.match(line)
        if fence is None:
            if m and not (m.group(2)[0] == '`' and '`' in m.group(3)):
                fence = m.group(2)
                yield line, True
                continue
            yield line, False
        else:
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence) and not m.group(3).strip(): fence = None
            yield line, True


def div_tree(md: str, parse_attrs=lambda s: s) -> dict:
    """Fenced divs as a tree: ``{'children': [line | {'attrs': parse_attrs(attr_text), 'children': [...]}]}``.
    Lines inside code fences are never divs; a stray closing fence is dropped; an unclosed div ends with the text."""
    root = {'children': []}
    stack = [root]
    for line, in_code in iter_lines(md):
        if not in_code:
            mo, mc = DIV_OPEN.match(line), DIV_CLOSE.match(line)
            if mo:
                node = {'attrs': parse_attrs(mo.group(2)), 'children': []}
                stack[-1]['children'].append(node)
                stack.append(node)
                continue
            if mc:
                if len(stack) > 1: stack.pop()
                continue
        stack[-1]['children'].append(line)
    return root


_PARA_BREAKER = re.compile(r'^(\s{0,3})(?:([-+*])|(\d{1,9})([.)])|(#{1,6})|(>))(?=\s|$)')
_ATTRS = re.compile(r'^\{[^{}]*\}\s*$')
_NOT_PARA_START = re.compile(r'^(?:\s|[-+*]\s|\d{1,9}[.)]\s|#{1,6}(?:\s|$)|>|\||<|:::|\$\$|\[\^?[^\]]*\]:|\{[^{}]*\}\s*$)')


def pandoc_paragraphs(md: str) -> str:
    """Pandoc (Quarto) needs a blank line before a list, a heading or a block quote; CommonMark (MyST,
    GitHub) lets them interrupt a paragraph. A paragraph line that starts with ``+ ``, ``- ``, ``1. ``,
    ``# `` or ``>`` is therefore text in Quarto and a new block elsewhere: escape its marker so that it
    stays text, as the author saw it in Quarto."""
    out, in_para = [], False
    for line, in_code in iter_lines(md):
        if in_code or not line.strip() or DIV_OPEN.match(line) or DIV_CLOSE.match(line) or _ATTRS.match(line):
            in_para = False   # (a `{.class}` line: block attributes for what follows)
        elif not in_para:
            in_para = not _NOT_PARA_START.match(line)
        else:
            m = _PARA_BREAKER.match(line)
            if m:
                i = m.end(1)
                if m.group(3): i = m.end(3)     # `1. ` -> `1\. `
                line = line[:i] + '\\' + line[i:]
        out.append(line)
    return '\n'.join(out)
