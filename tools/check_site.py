#!/usr/bin/env python
"""Check a built docs site the way a reader sees it, in headless Chromium.

Serves the site on 127.0.0.1 (a throwaway HTTP server) and opens every HTML
page in Chromium, driven through the Chrome DevTools Protocol over a pipe
(``--remote-debugging-pipe``): no Python package beyond the standard library,
no driver, no open debugging port. For every page it checks that

* it loads with no console errors, no uncaught exceptions and no failed
  requests (HTTP >= 400 or network errors);
* no request leaves the site: anything not served by the local server is a
  problem (other hosts are made unresolvable, so nothing is fetched);
* every internal link (``href`` to a page or an ``#anchor`` of this site)
  resolves to a file, and its anchor to an element id of the target page;
* maths is rendered: a page with ``.math`` elements must have MathJax output
  (``mjx-container``) for each of them and no MathJax errors;
* the home page's navigation links to every page of the site;

and that the reader sees nothing that does not belong in documentation:

* no Python warning (``UserWarning:``, ``FutureWarning:``, ... or fastai's
  "You are shadowing an attribute") and no traceback;
* no path of the build machine (``/work/``, ``/root/``, ``/tmp/``, ``/home/``,
  ``site-packages/``, ...); relative paths (``nbs/tmp/x``, ``~/data``) and
  URLs are fine;
* no raw markdown: ``**x**``, ``[text](url)``, a ``# heading`` line or pandoc
  attributes shown as text (nbdev's doc links inside show_doc signatures too);
* no progress-bar remnant (``43.75% [28/64``, ``Epoch 4/10000``, ``█``, a
  ``<progress>`` element);
* no widget shown as its text (``VBox(children=...``, ``HBox(``, ``IntSlider(``): a static page must show
  a picture of the widget's state;
* no raw dict or keyword repr longer than one line in a text output (``{'psnr': 32.0912..., ...}``,
  ``Name(a=..., b=...)`` over two lines or past 100 characters): a reader wants a small table;
* no image smaller than ``--min-image`` (150) px on its short side, neither in the file (natural size)
  nor as displayed (a wide strip scaled down to the column);
* the index page (``genindex.html``), if the site has one, lists entries;
* nothing cut off at the column: code, tables, outputs and maths that are wider
  than the article must scroll (also at each ``--also-width``), and the page
  must not scroll sideways.

Those content checks look at rendered outputs (cell outputs and show_doc blocks:
all of their text) and at the page's prose (without code); code the authors
wrote -- input cells, code blocks and inline code in markdown, such as a shell
example with ``/tmp/`` -- is not checked for content. Problems are listed per
page, one line per kind of problem with the first occurrence and the section
it is in (``--details``: every occurrence).

``--screenshots DIR`` saves PNG screenshots (default pages: ``index.html`` and
the first page with API docs, i.e. nbdev ``show_doc`` sections; ``--pages all``
for every page); ``--full-page`` screenshots whole pages, in tiles
``PAGE.01.png``, ``PAGE.02.png``, ... when a page is taller than
``--tile-height`` (Chromium cannot capture more than 16384 px at once).
Scrollbars stay visible, so content that scrolls does not look cut off.

Exit status: 0 all good, 1 problems found (listed), 2 could not check. The checks named in ``WARN_ONLY``
(added while pages that fail them are being fixed) are printed as warnings and do not fail the run, unless
``--strict``.

Needs Chromium: ``apt-get install -y chromium`` (Debian) or set ``--chromium``
/ ``$CHROMIUM`` to a Chrome/Chromium binary.

Usage::

    python tools/check_site.py                      # checks _site/
    python tools/check_site.py _site --screenshots /tmp/shots --pages index.html core.html
    python tools/check_site.py --screenshots /tmp/shots --full-page --pages all --also-width 400
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64decode
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

CHROMIUM_NAMES = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome')


class CheckError(Exception):
    "Could not run the check at all (exit 2)."


# --------------------------------------------------------------------------- CDP over a pipe

class Browser:
    """Minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``
    (Chromium reads commands on fd 3 and writes replies/events on fd 4,
    each JSON message terminated by a NUL byte)."""

    def __init__(self, exe: str, width: int, height: int):
        self.profile = tempfile.mkdtemp(prefix='check_site_chromium_')
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()
        args = [exe, '--headless', '--remote-debugging-pipe', '--disable-gpu', '--no-first-run',
                '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--disable-default-apps', '--mute-audio',
                '--disable-dev-shm-usage', f'--user-data-dir={self.profile}',
                # scrollbars stay visible: in a screenshot, content that scrolls must not look cut off
                f'--window-size={width},{height}',
                # only the local server resolves: a request for any other host fails at once
                '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1', 'about:blank']
        if hasattr(os, 'geteuid') and os.geteuid() == 0: args.insert(1, '--no-sandbox')
        # the shell puts our pipe ends on fds 3 and 4 for Chromium
        cmd = ['sh', '-c', f'exec "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}', 'sh'] + args
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, pass_fds=(to_chrome_r, from_chrome_w), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.stderr)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._id = 0
        self.closed = False
        self._lock = threading.Lock()
        self._replies: dict[int, queue.Queue] = {}
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        try: self.call('Browser.getVersion', timeout=30)
        except CheckError as e:
            self.close()
            raise CheckError(f'Chromium ({exe}) did not start: {e}; its stderr:\n{self.stderr_text()}') from None

    def stderr_text(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors='replace')[-2000:]

    def _read(self):
        buf = b''
        while True:
            try: chunk = os.read(self._r, 1 << 16)
            except OSError: chunk = b''
            if not chunk: break
            buf += chunk
            while b'\0' in buf:
                raw, buf = buf.split(b'\0', 1)
                msg = json.loads(raw)
                if 'id' in msg:
                    q = self._replies.get(msg['id'])
                    if q: q.put(msg)
                else: self.events.put(msg)
        self.closed = True
        for q in list(self._replies.values()): q.put({'error': {'message': 'Chromium exited'}})
        self.events.put({'method': '_closed'})

    def call(self, method, params=None, session=None, timeout=20.0):
        with self._lock:
            self._id += 1
            i = self._id
            q = self._replies[i] = queue.Queue()
        if self.closed: raise CheckError(f'{method}: Chromium exited')
        msg = {'id': i, 'method': method, 'params': params or {}}
        if session: msg['sessionId'] = session
        try: os.write(self._w, json.dumps(msg).encode() + b'\0')
        except OSError as e: raise CheckError(f'Chromium closed the pipe ({e})') from None
        try: res = q.get(timeout=timeout)
        except queue.Empty: raise CheckError(f'no answer to {method} in {timeout:.0f}s') from None
        finally: self._replies.pop(i, None)
        if 'error' in res: raise CheckError(f'{method}: {res["error"].get("message")}')
        return res.get('result', {})

    def close(self):
        try:
            if self.proc.poll() is None:
                try: self.call('Browser.close', timeout=5)
                except CheckError: pass
                try: self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
        finally:
            for fd in (self._w, self._r):
                try: os.close(fd)
                except OSError: pass
            shutil.rmtree(self.profile, ignore_errors=True)


def find_chromium(given: str | None) -> str:
    for c in [given, os.environ.get('CHROMIUM')] + list(CHROMIUM_NAMES):
        if not c: continue
        p = shutil.which(c) or (c if os.access(c, os.X_OK) and os.path.isfile(c) else None)
        if p: return p
        if c == given: raise CheckError(f'--chromium {given}: not an executable')
    raise CheckError('no Chromium found: apt-get install -y chromium (or pass --chromium /path/to/chrome)')


# --------------------------------------------------------------------------- local server

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


def serve(site: Path):
    handler = functools.partial(_QuietHandler, directory=str(site))
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}'


# --------------------------------------------------------------------------- page visits

PAGE_INFO_JS = r'''(async () => {
  // wait for MathJax (loaded with defer) to finish its first typeset
  const hasMath = document.querySelectorAll('span.math, div.math').length;
  if (hasMath) {
    const t0 = Date.now();
    // deferred scripts have run by the load event: MathJax is there now or never
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise) && Date.now() - t0 < 1000)
      await new Promise(r => setTimeout(r, 50));
    if (window.MathJax && MathJax.startup && MathJax.startup.promise)
      await Promise.race([MathJax.startup.promise, new Promise(r => setTimeout(r, %(mj_ms)d))]);
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id)
      .concat([...document.querySelectorAll('a[name]')].map(e => e.getAttribute('name')));
  const links = [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href]);
  const nav = [...document.querySelectorAll('.bd-sidebar-primary nav a[href], nav.bd-docs-nav a[href]')].map(a => a.href);
  const broken_imgs = [...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src);
  return {title: document.title, ids, links, nav, broken_imgs,
          math: hasMath, mjx: document.querySelectorAll('mjx-container').length,
          mjx_err: document.querySelectorAll('mjx-merror').length,
          mathjax_loaded: !!(window.MathJax && MathJax.version),
          showdoc: document.querySelectorAll('section.nbdev-sym').length,
          height: Math.ceil(document.documentElement.scrollHeight)};
})()'''


# What a reader sees, for the content checks (run in Python, see CONTENT_CHECKS). Three kinds of text:
#  * `out`, `showdoc`: rendered outputs -- notebook cell outputs (.cell_output) and show_doc blocks
#    (.nbdev-showdoc: signature, docstring, parameter table), all of their text, code included;
#  * `outmd`: the markdown-rendered prose inside those outputs (paragraphs, lists, table cells), without code;
#  * `prose`: the page's own text (paragraphs, lists, tables, headings) outside outputs, without code.
# Code the authors wrote (input cells, fenced code in markdown, inline code) is not checked for content.
CONTENT_JS = r'''(() => {
  const art = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const OUT = '.cell_output, .nbdev-showdoc';
  const SKIP = 'script, style, .math, mjx-container, .headerlink, .copybtn, button';
  const CODE = 'code, pre, kbd, samp, .highlight';
  const BLOCKS = 'p, li, dt, dd, td, th, h1, h2, h3, h4, h5, h6, caption, figcaption, .admonition-title';
  const where = el => { const s = el.closest('section[id]'); return s ? s.id : ''; };
  const textOf = (el, dropCode) => {
    const c = el.cloneNode(true);
    c.querySelectorAll(SKIP + (dropCode ? ', ' + CODE : '')).forEach(e => e.remove());
    return c.textContent;
  };
  const texts = [];
  for (const el of art.querySelectorAll(OUT)) {
    if (el.parentElement.closest(OUT)) continue;
    texts.push([el.matches('.nbdev-showdoc') ? 'showdoc' : 'out', textOf(el, false), where(el), '']);
    for (const b of el.querySelectorAll(BLOCKS))
      if (!b.closest('pre') && (b.closest('.nbdev-showdoc') || b.closest('.text_markdown, .text_html')))
        texts.push(['outmd', textOf(b, true), where(b), b.tagName.toLowerCase()]);
  }
  for (const o of art.querySelectorAll('.cell_output .output.text_plain, .cell_output .output.stream'))
    texts.push(['outtext', o.textContent, where(o), '']);
  for (const b of art.querySelectorAll(BLOCKS))
    if (!b.closest(OUT + ', pre, .cell_input, nav'))
      texts.push(['prose', textOf(b, true), where(b), b.tagName.toLowerCase()]);
  const imgs = [...art.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth > 0)
      .map(i => { const r = i.getBoundingClientRect();
                  return [i.getAttribute('src'), i.naturalWidth, i.naturalHeight, where(i), Math.round(r.width), Math.round(r.height)]; });
  const index_entries = document.querySelectorAll('table.indextable a, table.genindextable a').length;
  const progress = [...art.querySelectorAll('.cell_output progress')].map(where);
  return {texts, imgs, progress, index_entries, layout: LAYOUT()};
})()'''

# Nothing may be cut off at the column: an element that reaches past the article's right edge must be inside
# something that scrolls sideways; an element whose content is wider than itself must scroll (not clip, not
# spill over); and the page itself must not scroll sideways.
LAYOUT_JS = r'''function LAYOUT() {
  const art = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const right = art.getBoundingClientRect().right + 1;
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const where = el => { const s = el.closest('section[id]'); return s ? s.id : ''; };
  const describe = el => {
    const t = (el.innerText || el.getAttribute('src') || el.getAttribute('alt') || '').trim().replace(/\s+/g, ' ');
    return el.tagName.toLowerCase() + (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '')
      + (t ? ' "' + t.slice(0, 50) + '"' : '');
  };
  const inScroller = el => {
    for (let a = el.parentElement; a && a !== art.parentElement; a = a.parentElement)
      if (scrolls(a) && a.getBoundingClientRect().right <= right) return true;
    return false;
  };
  const res = [];
  const sel = 'pre, table, img, svg, .cell_output .output, div.math, mjx-container[display="true"], '
            + 'p, li, h1, h2, h3, h4, h5, h6, dt, dd, blockquote';
  for (const el of art.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;            // not displayed (collapsed, hidden)
    if (el.closest('mjx-container') && el.tagName.toLowerCase() !== 'mjx-container') continue;
    const ox = getComputedStyle(el).overflowX;
    const wide = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && !['svg', 'img'].includes(el.tagName.toLowerCase());
    if (wide && (ox === 'hidden' || ox === 'clip'))
      res.push(['clipped', describe(el), Math.round(el.scrollWidth - el.clientWidth), where(el)]);
    else {
      const reach = (wide && ox === 'visible') ? r.left + el.scrollWidth : r.right;
      if (reach > right && !(wide && scrolls(el) && r.right <= right) && !inScroller(el))
        res.push(['past the column', describe(el), Math.round(reach - right), where(el)]);
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) res.push(['page scrolls sideways', '', doc.scrollWidth - window.innerWidth, '']);
  return res;
}'''


def _excerpt(text: str, m, width: int = 90) -> str:
    "The match with some context, on one line."
    a, b = max(0, m.start() - 25), min(len(text), m.end() + width - 25)
    t = ' '.join(text[a:b].split())
    return ('…' if a else '') + t[:width] + ('…' if b < len(text) or len(t) > width else '')


OUT, SHOWDOC, OUTMD, PROSE, OUTTEXT = 'out', 'showdoc', 'outmd', 'prose', 'outtext'


WIDGET_RX = re.compile(r'\b(?:VBox|HBox|IntSlider)\(')


class RawRepr:
    """A plain-text output that is a raw dict (``{'a': 1, ...}``) or a keyword repr (``Name(a=1, ...)``) and
    longer than one line (several lines, or over ``width`` characters): what a reader wants as a small table.
    Has ``search`` as a compiled pattern does (used like the CONTENT_CHECKS patterns)."""
    rx = re.compile(r'\A\s*(?:\{\s*[\'"]|[A-Za-z_][\w.]*\(\s*[A-Za-z_]\w*=)')

    def __init__(self, width: int = 100): self.width = width

    def search(self, text: str):
        m = self.rx.search(text)
        if not m: return None
        body = text.strip()
        if WIDGET_RX.search(body[:60]): return None   # reported as a widget shown as text
        return m if ('\n' in body or len(body) > self.width) else None

# (problem, the kinds of text it is looked for in (`tag:kind` for only that element), pattern)
CONTENT_CHECKS = [
    ('Python error shown', {OUT, SHOWDOC}, re.compile(r'Traceback \(most recent call last\)')),
    ('Python warning shown', {OUT, SHOWDOC, PROSE},
     re.compile(r'\b[A-Z]\w*Warning: |You are shadowing an attribute')),
    # absolute paths of a build machine; relative paths (nbs/tmp/x, ~/data) and URLs are fine
    ('path of the build machine shown', {OUT, SHOWDOC, PROSE},
     re.compile(r'(?<![\w.~/-])(?:/work/|/root/|/tmp/|/home/|/Users/|/var/folders/|/private/var/)|'
                r'(?<![\w-])(?:site|dist)-packages[/\\]|\b[A-Z]:\\(?:Users|Windows)\\')),
    ('raw markdown shown', {OUTMD, PROSE},
     re.compile(r'\*\*[^*\s](?:[^*\n]*[^*\s])?\*\*|^\s*:::|\{(?:target|style)="[^"]*"|\{\.[\w-]+\}', re.M)),
    ('markdown heading shown as text', {'p:' + OUTMD, 'p:' + PROSE}, re.compile(r'^[ \t]*#{1,6}[ \t]+\S', re.M)),
    # a markdown link shown as text, also inside show_doc's code (nbdev's doc links in signatures); a plain
    # text output that prints markdown (a report's source, say) is left alone
    ('raw markdown link shown', {SHOWDOC, OUTMD, PROSE},
     re.compile(r'\[[^\]\n]+\]\((?:(?:[a-z][\w+.-]*://|#)[^()\s]*|[^()\s]*\.(?:html|ipynb|md)(?:#[^()\s]*)?)\)')),
    ('widget shown as text', {OUT, SHOWDOC}, WIDGET_RX),
    ('raw dict or repr in an output', {OUTTEXT}, RawRepr()),
    ('progress bar in an output', {OUT},
     re.compile(r'\b\d{1,3}(?:\.\d+)?% \[\d+/\d+|\b\d+/\d+ \[\d\d:\d\d<|\bEpoch \d+/\d+|[█▉▊▋▌▍▎▏▐░▒▓]+', re.I)),
]


# Checks that only warn (unless --strict), for a check being introduced while pages still fail it; none today.
WARN_ONLY = set()
WARN_PREFIX = 'warning: '


class Checker:
    def __init__(self, site: Path, base: str, browser: Browser, args):
        self.site, self.base, self.b, self.args = site, base, browser, args
        self.problems: list[str] = []
        self.pages: dict[str, dict] = {}
        self.external_links: set[str] = set()
        t = browser.call('Target.createTarget', {'url': 'about:blank'})
        self.s = browser.call('Target.attachToTarget', {'targetId': t['targetId'], 'flatten': True})['sessionId']
        for m in ('Page.enable', 'Network.enable', 'Runtime.enable', 'Log.enable'): self.cdp(m)
        self.cdp('Network.setCacheDisabled', {'cacheDisabled': True})
        self.cdp('Emulation.setDeviceMetricsOverride', {'width': args.width, 'height': args.height,
                                                        'deviceScaleFactor': 1, 'mobile': False})

    def cdp(self, method, params=None, timeout=20.0):
        return self.b.call(method, params, session=self.s, timeout=timeout)

    def problem(self, page, msg):
        warn = not self.args.strict and any(msg.startswith(k) for k in WARN_ONLY)
        self.problems.append(f'{page}: {WARN_PREFIX if warn else ""}{msg}')

    def _drain(self):
        while True:
            try: self.b.events.get_nowait()
            except queue.Empty: return

    def visit(self, rel: str):
        "Load one page; record its problems and what links/ids it has."
        url = f'{self.base}/{rel}'
        self._drain()
        pending, loaded = {}, False
        start = time.monotonic()
        res = self.cdp('Page.navigate', {'url': url})
        if res.get('errorText'): self.problem(rel, f'navigation failed: {res["errorText"]}')
        last_activity, deadline = time.monotonic(), time.monotonic() + self.args.timeout
        # collect events until the load event has fired and the network is idle
        while True:
            now = time.monotonic()
            if now > deadline:
                self.problem(rel, f'did not finish loading in {self.args.timeout:.0f}s'
                             + (f' (waiting for {", ".join(sorted(set(pending.values())))})' if pending else ''))
                break
            if loaded and not pending and now - last_activity > self.args.idle: break
            try: ev = self.b.events.get(timeout=0.05)
            except queue.Empty: continue
            m, p = ev.get('method'), ev.get('params', {})
            if m == '_closed': raise CheckError('Chromium exited:\n' + self.b.stderr_text())
            if ev.get('sessionId') != self.s: continue
            last_activity = time.monotonic()
            if m == 'Page.loadEventFired': loaded = True
            elif m == 'Network.requestWillBeSent':
                u = p['request']['url']
                if not u.startswith(('data:', 'blob:', 'about:')):
                    pending[p['requestId']] = u
                    if not u.startswith(self.base + '/'): self.problem(rel, f'request leaves the site: {u}')
            elif m == 'Network.responseReceived':
                r = p['response']
                if r.get('status', 0) >= 400: self.problem(rel, f'HTTP {r["status"]} for {r["url"]}')
            elif m == 'Network.loadingFinished': pending.pop(p['requestId'], None)
            elif m == 'Network.loadingFailed':
                u = pending.pop(p['requestId'], '?')
                if not p.get('canceled'): self.problem(rel, f'request failed ({p.get("errorText")}): {u}')
            elif m == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
                txt = ' '.join(str(a.get('value', a.get('description', ''))) for a in p.get('args', []))
                self.problem(rel, f'console {p["type"]}: {txt[:300]}')
            elif m == 'Runtime.exceptionThrown':
                d = p.get('exceptionDetails', {})
                txt = d.get('exception', {}).get('description') or d.get('text', '')
                self.problem(rel, f'uncaught exception: {txt[:300]}')
            elif m == 'Log.entryAdded':
                e = p.get('entry', {})
                # network errors are reported above, as failed requests
                if e.get('level') == 'error' and e.get('source') != 'network':
                    self.problem(rel, f'console error ({e.get("source")}): {e.get("text", "")[:300]}')
        js = PAGE_INFO_JS % {'mj_ms': int(self.args.timeout * 1000)}
        r = self.cdp('Runtime.evaluate', {'expression': js, 'awaitPromise': True, 'returnByValue': True},
                     timeout=self.args.timeout + 5)
        if 'exceptionDetails' in r:
            self.problem(rel, f'could not inspect the page: {r["exceptionDetails"].get("text")}')
            info = {}
        else: info = r['result']['value']
        info['url'] = url
        info['seconds'] = time.monotonic() - start
        self.pages[rel] = info
        if info.get('math'):
            if not info.get('mathjax_loaded'): self.problem(rel, f'has {info["math"]} maths elements but MathJax did not load')
            elif info.get('mjx', 0) < info['math']:
                self.problem(rel, f'maths not rendered: {info["math"]} maths elements, {info.get("mjx", 0)} rendered by MathJax')
            if info.get('mjx_err'): self.problem(rel, f'{info["mjx_err"]} MathJax error(s) in formulas')
        for src in info.get('broken_imgs', []): self.problem(rel, f'image does not display: {src}')
        if info and not self.args.no_content: self.check_content(rel)
        return info

    def evaluate(self, js: str):
        r = self.cdp('Runtime.evaluate', {'expression': js, 'returnByValue': True}, timeout=self.args.timeout + 5)
        if 'exceptionDetails' in r:
            d = r['exceptionDetails']
            raise CheckError(f'page script failed: {d.get("exception", {}).get("description") or d.get("text")}')
        return r['result'].get('value')

    def check_content(self, rel: str, width_note: str = ''):
        "What the reader sees: warnings, build paths, raw markdown, progress bars, tiny images, cut-off content."
        c = self.evaluate(LAYOUT_JS + '\n' + CONTENT_JS)
        found = {}   # (kind, example) -> [count, where]

        def add(kind, example, where):
            k = (kind, example)
            if k in found: found[k][0] += 1
            else: found[k] = [1, where]
        for scope, text, where, tag in c['texts']:   # one report per kind and element (an output, a paragraph)
            for kind, scopes, rx in CONTENT_CHECKS:
                if scope not in scopes and f'{tag}:{scope}' not in scopes: continue
                m = rx.search(text)
                if m: add(kind, _excerpt(text, m), where)
        for where in c['progress']: add('progress bar in an output', '<progress> element', where)
        for src, w, h, where, dw, dh in c['imgs']:
            if min(w, h) < self.args.min_image:
                add(f'image smaller than {self.args.min_image} px on its short side', f'{src} is {w}x{h} px', where)
            elif dw and dh and min(dw, dh) < self.args.min_image:
                add(f'image shown smaller than {self.args.min_image} px on its short side',
                    f'{src} ({w}x{h} px) is shown at {dw}x{dh} px', where)
        if rel.rsplit('/', 1)[-1] == 'genindex.html' and not c.get('index_entries'):
            add('empty index', 'genindex.html lists no entries: fill it or leave it out of the site', '')
        for what, desc, px, where in c['layout']:
            add(f'{what}{width_note}', f'{desc} ({px} px too wide)'.lstrip(), where)
        # one line per kind of problem and page: how many, where the first one is, what it says
        by_kind = {}
        for (kind, ex), (n, where) in found.items(): by_kind.setdefault(kind, []).append((ex, n, where))
        for kind, items in by_kind.items():
            if self.args.details:   # every distinct occurrence, one line each
                for ex, n, where in items:
                    self.problem(rel, f'{kind}{f" ({n}x)" if n > 1 else ""}: {ex}' + (f' [#{where}]' if where else ''))
                continue
            n = sum(i[1] for i in items)
            ex, _, where = items[0]
            more = f' (+{len(items) - 1} more)' if len(items) > 1 else ''
            self.problem(rel, f'{kind}{f" ({n}x)" if n > 1 else ""}: {ex}{more}' + (f' [#{where}]' if where else ''))

    def screenshot(self, rel: str, dest: Path) -> list[Path]:
        """Screenshot of the first screen, or with ``--full-page`` of the whole page: one PNG if it is at
        most ``--tile-height`` tall, else tiles ``dest.01.png``, ``dest.02.png``, ... that cover it all
        (Chromium cannot capture more than 16384 px at once). Each shot is taken with a window as tall
        as the shot, so sticky sidebars stay in place."""
        info = self.visit(rel)  # (again): the page must be the one on screen
        metrics = {'width': self.args.width, 'height': self.args.height, 'deviceScaleFactor': 1, 'mobile': False}
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not self.args.full_page:
            dest.write_bytes(b64decode(self.cdp('Page.captureScreenshot', {'format': 'png'}, timeout=60)['data']))
            return [dest]
        tile = max(self.args.height, min(self.args.tile_height, 16000))
        total = max(int(info.get('height') or 0), self.args.height)
        tops = list(range(0, total, tile))
        if len(tops) > 1 and total - tops[-1] < self.args.height:   # no sliver of a last tile
            tops[-1] = total - self.args.height
        paths = []
        try:
            for i, top in enumerate(tops):
                h = min(tile, total - top)
                self.cdp('Emulation.setDeviceMetricsOverride', {**metrics, 'height': h})
                self.evaluate(f'window.scrollTo(0, {top})')
                time.sleep(0.3)
                data = self.cdp('Page.captureScreenshot', {'format': 'png'}, timeout=60)['data']
                p = dest if len(tops) == 1 else dest.with_name(f'{dest.stem}.{i + 1:02d}.png')
                p.write_bytes(b64decode(data))
                paths.append(p)
        finally:
            self.cdp('Emulation.setDeviceMetricsOverride', metrics)
        for old in dest.parent.glob(f'{dest.stem}.[0-9][0-9].png'):   # tiles of an earlier, longer page
            if old not in paths: old.unlink()
        if len(tops) > 1: dest.unlink(missing_ok=True)
        return paths

    def layout_at(self, rel: str, width: int):
        "The layout check again, at another viewport width."
        self.cdp('Emulation.setDeviceMetricsOverride', {'width': width, 'height': self.args.height,
                                                        'deviceScaleFactor': 1, 'mobile': width < 700})
        try:
            self.cdp('Page.navigate', {'url': f'{self.base}/{rel}'})
            t0 = time.monotonic()
            while time.monotonic() - t0 < self.args.timeout:
                if self.evaluate('document.readyState') == 'complete': break
                time.sleep(0.1)
            time.sleep(self.args.idle)
            for what, desc, px, where in self.evaluate(LAYOUT_JS + '\nLAYOUT()'):
                self.problem(rel, f'{what} at {width} px wide: ' + f'{desc} ({px} px too wide)'.lstrip() + (f' [#{where}]' if where else ''))
        finally:
            self.cdp('Emulation.setDeviceMetricsOverride', {'width': self.args.width, 'height': self.args.height,
                                                            'deviceScaleFactor': 1, 'mobile': False})

    # ----------------------------------------------------------------- links
    def local_file(self, path: str) -> Path | None:
        p = unquote(path).lstrip('/')
        f = self.site/p
        if path.endswith('/') or f.is_dir(): f = f/'index.html'
        return f if f.is_file() else None

    def ids_of(self, rel: str) -> set:
        if rel in self.pages: return set(self.pages[rel].get('ids', []))
        # a page that was not visited (e.g. excluded): read ids statically
        from html.parser import HTMLParser
        ids = set()

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                for k, v in attrs:
                    if k == 'id' or (tag == 'a' and k == 'name'): ids.add(v)
        P().feed((self.site/rel).read_text(encoding='utf-8', errors='replace'))
        return ids

    def check_links(self):
        for rel, info in self.pages.items():
            seen = set()
            for raw, absu in info.get('links', []):
                if (raw, absu) in seen: continue
                seen.add((raw, absu))
                sp = urlsplit(absu)
                if sp.scheme not in ('http', 'https'): continue  # mailto:, javascript:, ...
                if not absu.startswith(self.base + '/'):
                    self.external_links.add(absu)
                    continue
                nofrag, frag = urldefrag(absu)
                f = self.local_file(urlsplit(nofrag).path)
                if f is None:
                    self.problem(rel, f'broken link `{raw}`: no file {unquote(urlsplit(nofrag).path)}')
                    continue
                if frag and f.suffix == '.html':
                    target = f.relative_to(self.site).as_posix()
                    if unquote(frag) not in self.ids_of(target):
                        self.problem(rel, f'broken link `{raw}`: no #{unquote(frag)} in {target}')

    def check_nav(self, pages):
        "The home page's sidebar must link every page of the site."
        if 'index.html' not in self.pages: return
        nav = {urldefrag(u)[0] for u in self.pages['index.html'].get('nav', [])}
        navrel = {unquote(urlsplit(u).path).lstrip('/') for u in nav if u.startswith(self.base + '/')}
        for rel in pages:
            if rel in ('index.html', 'genindex.html', 'search.html', 'py-modindex.html'): continue
            if rel not in navrel: self.problem('index.html', f'the navigation does not link to {rel}')


def site_pages(site: Path) -> list[str]:
    "Every HTML page a reader can reach (not theme templates under _static/ etc.)."
    res = []
    for f in sorted(site.rglob('*.html')):
        rel = f.relative_to(site)
        if any(p.startswith(('_', '.')) for p in rel.parts[:-1]): continue
        res.append(rel.as_posix())
    return res


def run(args) -> int:
    site = Path(args.site)
    if not site.is_dir(): raise CheckError(f'{site} is not a folder: build the site first (python tools/build_docs.py)')
    if not (site/'index.html').is_file(): raise CheckError(f'{site}/index.html not found: is {site} a built site?')
    pages = site_pages(site)
    exe = find_chromium(args.chromium)
    t0 = time.monotonic()
    srv, base = serve(site.resolve())
    browser = Browser(exe, args.width, args.height)
    try:
        chk = Checker(site.resolve(), base, browser, args)
        for rel in pages: chk.visit(rel)
        for w in args.also_width:
            for rel in pages: chk.layout_at(rel, w)
        chk.check_links()
        chk.check_nav(pages)
        shots = []
        if args.screenshots:
            wanted = args.pages
            if wanted == ['all']: wanted = pages
            if not wanted:
                nav = [unquote(urlsplit(u).path).lstrip('/') for u in chk.pages.get('index.html', {}).get('nav', [])
                       if u.startswith(base + '/')]
                order = list(dict.fromkeys(nav + pages))  # navigation order first
                api = next((r for r in order if r != 'index.html' and chk.pages.get(r, {}).get('showdoc')), None)
                wanted = ['index.html'] + ([api] if api else [])
            for rel in wanted:
                rel = rel.lstrip('/')
                if not (site/rel).is_file():
                    chk.problems.append(f'--pages {rel}: no such page in {site}')
                    continue
                dest = Path(args.screenshots)/(rel.replace('/', '__').removesuffix('.html') + '.png')
                shots += chk.screenshot(rel, dest)
    finally:
        browser.close()
        srv.shutdown()
    dt = time.monotonic() - t0
    slow = max(chk.pages.items(), key=lambda kv: kv[1].get('seconds', 0), default=(None, {}))
    print(f'checked {len(pages)} pages of {site} in {dt:.1f}s '
          f'({sum(1 for p in chk.pages.values() if p.get("math"))} with maths, '
          f'{len(chk.external_links)} distinct external links not followed'
          + (f'; slowest {slow[0]} {slow[1].get("seconds", 0):.1f}s' if slow[0] else '') + ')')
    for s in shots: print(f'screenshot: {s}')
    problems = list(dict.fromkeys(chk.problems))  # a page visited twice reports once
    warnings = [p for p in problems if p.split(': ', 1)[1].startswith(WARN_PREFIX)]
    problems = [p for p in problems if p not in warnings]
    if warnings:
        print(f'\n{len(warnings)} warning(s) (checks in WARN_ONLY; --strict fails them):', file=sys.stderr)
        for p in warnings: print(f'  {p}', file=sys.stderr)
    if problems:
        order = {p: i for i, p in enumerate(pages)}
        problems.sort(key=lambda p: order.get(p.split(':', 1)[0], len(order)))   # stable: grouped by page
        n_pages = len({p.split(':', 1)[0] for p in problems})
        print(f'\n{len(problems)} problem(s) on {n_pages} page(s):', file=sys.stderr)
        for p in problems: print(f'  {p}', file=sys.stderr)
        return 1
    print('no problems found' + (f' ({len(warnings)} warning(s) above)' if warnings else ''))
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(
        description='Open every page of a built docs site in headless Chromium (served on 127.0.0.1) and check: '
                    'no console errors or failed requests, no request leaving the site, internal links and '
                    'anchors resolve, maths rendered by MathJax, navigation lists every page; and no Python warnings, '
                    'build-machine paths, raw markdown, progress bars, widgets shown as text, raw dicts or reprs over one line, '
                    'tiny images (as files or as displayed), an empty index or content cut off at the column.',
        epilog='Exit status: 0 no problems, 1 problems found, 2 could not run the check.')
    p.add_argument('site', nargs='?', default=str(Path(__file__).resolve().parent.parent/'_site'),
                   help='built site folder (default: %(default)s)')
    p.add_argument('--screenshots', metavar='DIR', help='save PNG screenshots of --pages into DIR')
    p.add_argument('--pages', nargs='+', metavar='PAGE', help='pages to screenshot, relative to the site, or `all` '
                   '(default: index.html and the first page with API docs)')
    p.add_argument('--full-page', action='store_true', help='screenshot whole pages, not just the first screen')
    p.add_argument('--width', type=int, default=1280, help='viewport width (default: 1280)')
    p.add_argument('--height', type=int, default=1000, help='viewport height (default: 1000)')
    p.add_argument('--timeout', type=float, default=20.0, help='seconds allowed per page (default: 20)')
    p.add_argument('--idle', type=float, default=0.25, help='seconds of network quiet after load before a page counts as loaded (default: 0.25)')
    p.add_argument('--min-image', type=int, default=150, metavar='PX',
                   help='smallest short side of an image in a page, in its file and as displayed (default: 150)')
    p.add_argument('--also-width', type=int, action='append', default=[], metavar='PX',
                   help='check the layout (nothing cut off at the column) again at this viewport width too; repeatable')
    p.add_argument('--details', action='store_true',
                   help='list every distinct occurrence of a content problem (default: one line per kind and page, '
                        'with the first occurrence and the section it is in)')
    p.add_argument('--no-content', action='store_true',
                   help='skip the content and layout checks (warnings, build paths, raw markdown, progress bars, '
                        'small images, content cut off)')
    p.add_argument('--tile-height', type=int, default=8000, metavar='PX',
                   help='--full-page screenshots of longer pages are taken in tiles this tall, PAGE.01.png, '
                        'PAGE.02.png, ... (Chromium cannot capture more than 16384 px at once; default: 8000)')
    p.add_argument('--strict', action='store_true',
                   help=f'fail on the checks that only warn for now ({", ".join(sorted(WARN_ONLY)) or "none"})')
    p.add_argument('--chromium', help='Chromium/Chrome executable (default: $CHROMIUM, then chromium on PATH)')
    args = p.parse_args(argv)
    try: return run(args)
    except CheckError as e:
        print(f'check_site: error: {e}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
