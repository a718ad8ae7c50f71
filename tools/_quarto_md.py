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
