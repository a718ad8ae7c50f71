"""What a user meets: parameters of every public name as `inspect.signature` shows them, and options of every command as
`--help` lists them; plus the house rules that go with them (no home-made delegation helpers, no `@patch` on the lab's
own classes, `core.py` small). Prints a table; `--json` prints the figures; `--check` exits 1 when a limit is broken.

    python tools/signatures.py [--json] [--check] [--max-params 20] [--max-options 15]
"""
import re, sys, json, inspect, argparse, importlib, subprocess, pkgutil, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REMOVED = ('delegates_all', 'pop_kwargs', 'with_defaults', '_linked', '_doc_chain', 'gan_settings', 'crop_settings',
           'fit_settings', 'restore_schedule', 'restore_recipe', 'RunSettings', '_NoGANCheckpoints', 'BudgetCallback',
           'TimeSchedule', 'BudgetProgress', 'time_bars', 'epochs_for_budget', 'GANMixedPrecision', 'CPUBf16',
           'save_weights', 'export_img2img', 'export_generator', 'export_siamese', 'spread_pairs', '_spread_batch')

def public_names():
    "(module, name, object) for every name in each module's `__all__`."
    import fastgan_lab
    for m in sorted(pkgutil.iter_modules(fastgan_lab.__path__), key=lambda m: m.name):
        if m.name.startswith('_'): continue
        mod = importlib.import_module(f'fastgan_lab.{m.name}')
        for n in getattr(mod, '__all__', []):
            o = getattr(mod, n, None)
            if inspect.isclass(o) or inspect.isfunction(o): yield m.name, n, o

def n_shown(o) -> int|None:
    try: return len(inspect.signature(o).parameters)
    except (TypeError, ValueError): return None

def commands(exe, prefix=()) -> list:
    "Every leaf command of the console script, from its own `--help` (a command whose help lists commands is a group)."
    out = subprocess.run([exe, *prefix, '--help'], capture_output=True, text=True).stdout
    if 'commands:' not in out: return [' '.join(prefix)]
    res = []
    for line in out.split('commands:', 1)[1].splitlines():
        m = re.match(r'\s{2}([a-z0-9_-]+)(\s|$)', line)
        if m: res += commands(exe, (*prefix, m[1]))
    return res

def n_options(exe, cmd) -> int:
    "Options a command's `--help` lists (`-h/--help` not counted; `--x/--no-x` pairs count once)."
    out = subprocess.run([exe, *cmd.split(), '--help'], capture_output=True, text=True).stdout
    opts = {re.split(r'[ ,=]', l.strip())[0] for l in out.splitlines() if re.match(r'\s+--?[a-zA-Z]', l)}
    return len({o.replace('--no-', '--').replace('-', '_') for o in opts} - {'_h', '__help'})

def own_patches() -> list:
    "`@patch` definitions whose `self:` class is defined by the lab itself."
    own, found = set(), []
    srcs = {p: p.read_text() for p in (ROOT/'fastgan_lab').glob('*.py') if not p.name.startswith('_')}
    for s in srcs.values(): own |= set(re.findall(r'^class (\w+)', s, re.M))
    for p, s in srcs.items():
        for m in re.finditer(r'^@patch[^\n]*\ndef (\w+)\(self:\s*(\w+)', s, re.M):
            if m[2] in own: found.append(f'{p.stem}.{m[2]}.{m[1]}')
    return found

def removed_left() -> list:
    found = []
    for p in (ROOT/'fastgan_lab').glob('*.py'):
        if p.name == '_modidx.py': continue
        with open(p, 'rb') as f:   # names in comments and strings are history, not uses: only code's names count
            names = {t.string for t in tokenize.tokenize(f.readline) if t.type == tokenize.NAME}
        found += [f'{p.stem}:{n}' for n in REMOVED if n in names]
    return found

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--json', action='store_true'); ap.add_argument('--check', action='store_true')
    ap.add_argument('--max-params', type=int, default=20); ap.add_argument('--max-options', type=int, default=15)
    a = ap.parse_args()
    sigs = sorted(((n_shown(o), f'{m}.{n}') for m, n, o in public_names() if n_shown(o) is not None), reverse=True)
    exe = str(Path(sys.executable).parent/'fastgan-lab')
    cmds = sorted(((n_options(exe, c), c) for c in commands(exe)), reverse=True)
    core = ROOT/'fastgan_lab'/'core.py'
    res = {'public_names': len(sigs), 'max_params': sigs[0] if sigs else None,
           'over_params': [f'{n} ({k})' for k, n in sigs if k > a.max_params], 'widest': [f'{n} ({k})' for k, n in sigs[:8]],
           'commands': len(cmds), 'over_options': [f'{c} ({k})' for k, c in cmds if k > a.max_options],
           'options': {c: k for k, c in cmds}, 'removed_helpers_left': removed_left(), 'patch_on_own_classes': own_patches(),
           'core_lines': len(core.read_text().splitlines()) if core.exists() else 0}
    if a.json: print(json.dumps(res, indent=1))
    else:
        print(f"public names: {res['public_names']}; widest as shown: {', '.join(res['widest'])}")
        print(f"over {a.max_params} parameters: {len(res['over_params'])} {', '.join(res['over_params'])}")
        print(f"commands: {res['commands']}; options: " + ', '.join(f'{c} {k}' for c, k in res['options'].items()))
        print(f"over {a.max_options} options: {len(res['over_options'])} {', '.join(res['over_options'])}")
        print(f"removed helpers still named: {len(res['removed_helpers_left'])} {', '.join(res['removed_helpers_left'])}")
        print(f"@patch on the lab's own classes: {len(res['patch_on_own_classes'])} {', '.join(res['patch_on_own_classes'])}")
        print(f"core.py lines: {res['core_lines']}")
    bad = res['over_params'] or res['over_options'] or res['removed_helpers_left'] or res['patch_on_own_classes'] or res['core_lines'] >= 500
    sys.exit(1 if a.check and bad else 0)

if __name__ == '__main__': main()
