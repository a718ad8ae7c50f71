"""The shape of the library as its notebooks write it: size of exported cells, parameters per function, notebook and
module names, imports inside function bodies. Prints one table; `--json` prints the figures as JSON.

    python tools/code_shape.py [--nbs nbs] [--json]

- exported cell lines: non-blank lines of each `#| export` / `#| exporti` cell, not counting `#|` directive lines
- parameters: functions and methods (`def`, incl. `__init__`) with more than 8 parameters, `self`/`cls` not counted;
  those decorated with `@delegates` are listed apart (their extra options come from the function they delegate to)
- names: notebooks whose `#| default_exp` module name differs from the notebook's name without its number prefix
- imports in functions: `import`/`from ... import` statements inside function bodies of exported code
"""
import ast, json, re, sys, argparse, statistics
from pathlib import Path

def exported_cells(nb):
    for c in json.loads(Path(nb).read_text())['cells']:
        if c['cell_type'] != 'code': continue
        src = ''.join(c['source'])
        if re.search(r'^#\|\s*export(i)?\b', src, re.M): yield src

def cell_lines(src): return sum(1 for l in src.splitlines() if l.strip() and not l.lstrip().startswith('#|'))

def default_exp(nb):
    for c in json.loads(Path(nb).read_text())['cells']:
        m = re.search(r'^#\|\s*default_exp\s+(\S+)', ''.join(c['source']), re.M)
        if m: return m.group(1)

def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)): yield node

def n_params(f):
    a = f.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return len([n for n in names if n not in ('self', 'cls')]) + bool(a.vararg) + bool(a.kwarg)

def delegated(f): return any('delegates' in ast.unparse(d) for d in f.decorator_list)

def main():
    p = argparse.ArgumentParser(); p.add_argument('--nbs', default='nbs'); p.add_argument('--json', action='store_true')
    a = p.parse_args()
    nbs = sorted(Path(a.nbs).glob('*.ipynb'))
    sizes, wide, wide_del, imports, names = [], [], [], [], []
    for nb in nbs:
        mod = default_exp(nb)
        stem = re.sub(r'^\d+[a-z]?_', '', nb.stem)
        if mod and mod.split('.')[-1] != stem: names.append(f'{nb.name} -> {mod}')
        for src in exported_cells(nb):
            sizes.append((cell_lines(src), nb.name))
            code = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('#|', '%', '!')))
            try: tree = ast.parse(code)
            except SyntaxError: continue
            for f in functions(tree):
                n = n_params(f)
                if n > 8: (wide_del if delegated(f) else wide).append(f'{nb.name}:{f.name} ({n})')
                for node in ast.walk(f):
                    if isinstance(node, (ast.Import, ast.ImportFrom)) and node is not f: imports.append(f'{nb.name}:{f.name}')
    ls = [s for s, _ in sizes]
    res = {'exported_cells': len(ls), 'median_lines': statistics.median(ls) if ls else 0, 'max_lines': max(ls) if ls else 0,
           'cells_over_40': sum(s > 40 for s in ls), 'cells_over_60': sum(s > 60 for s in ls),
           'biggest': sorted(sizes, reverse=True)[:8], 'functions_over_8_params': wide, 'delegating_over_8_params': wide_del,
           'names_differ': names, 'imports_in_functions': len(imports), 'imports_in_functions_where': sorted(set(imports))}
    if a.json: print(json.dumps(res, indent=1)); return
    print(f"exported cells: {res['exported_cells']}, lines median {res['median_lines']} / max {res['max_lines']}; "
          f"over 40 lines: {res['cells_over_40']}, over 60: {res['cells_over_60']}")
    print('biggest:', ', '.join(f'{n} {s}' for s, n in res['biggest']))
    print(f"functions with more than 8 parameters: {len(wide)} (+{len(wide_del)} with @delegates): {', '.join(wide)}")
    print(f"notebook and module names that differ: {len(names)}: {', '.join(names)}")
    print(f"imports inside functions: {len(imports)} in {len(set(imports))} functions")

if __name__ == '__main__': main()
