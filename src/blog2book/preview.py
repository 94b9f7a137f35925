"""``blog2book preview`` and ``build --watch``: rebuild when a source changes.

The watcher polls (stat only, every 0.5 s) the files a build reads: the manuscript's folder (the
manuscript and its matter files), the posts folder and the style's folders. The preview builds the
web edition into ``build/preview/`` and serves it on 127.0.0.1; every HTML page it serves gets a
small script that asks the server for the build number and reloads the page when it changes. A
build that fails does not stop the server: every page then shows the located diagnostics.

The server answers only requests addressed to it (``Host`` 127.0.0.1, localhost or [::1] with its
port: a web page elsewhere cannot reach it through a name of its own that leads to 127.0.0.1, DNS
rebinding), and every response carries a Content-Security-Policy: nothing from elsewhere, no
script but the reload script (by its hash), no plugin, no framing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from blog2book.diagnostics import BuildError, Diagnostic, Level, Reporter

VERSION_PATH = "/__blog2book/version"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


# ---------------------------------------------------------------- watching

def watched_roots(manuscript: Path, allow_outside: tuple[Path, ...] = ()) -> list[Path]:
    """What a build of ``manuscript`` reads; a manuscript that cannot be read: the usual places."""
    from blog2book.manifest import load_manifest
    from blog2book.styles import find_style

    manuscript = manuscript.resolve()
    roots = [manuscript.parent, manuscript.parent.parent / "posts", manuscript.parent.parent / "styles"]
    try:
        spec = load_manifest(manuscript, allow_outside)
        roots.append(spec.posts_dir)
        roots += [p for _, p, _ in (*spec.front, *spec.back)]
        style = find_style(spec.style, spec.path)
        roots += [style, style.parent / "base"]
    except BuildError:
        pass
    return [r for r in dict.fromkeys(Path(r).resolve() for r in roots) if r.exists()]


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """mtime and size of every file under ``roots`` (strings and os.walk: cheap on thousands of posts)."""
    state: dict[str, tuple[int, int]] = {}

    def add(path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        state[path] = (st.st_mtime_ns, st.st_size)

    for root in roots:
        if root.is_file():
            add(str(root))
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                add(os.path.join(folder, name))
    return state


def wait_for_change(manuscript: Path, stop: threading.Event | None = None, interval: float = 0.5, before=None, allow_outside: tuple[Path, ...] = ()) -> bool:
    """Block until a watched file changes (True) or ``stop`` is set (False); ``before``: the state
    to compare with (taken before a build, so that an edit made during the build counts)."""
    roots = watched_roots(manuscript, allow_outside)
    before = snapshot(roots) if before is None else before
    while not (stop and stop.is_set()):
        time.sleep(interval)
        now = snapshot(roots)
        if now != before:
            time.sleep(interval / 2)  # an editor writes in several steps: let it finish
            return True
    return False


# ---------------------------------------------------------------- the preview server

@dataclass
class PreviewState:
    manuscript: Path
    outdir: Path
    allow_outside: tuple[Path, ...] = ()  # folders outside the project the user allowed
    version: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    crash: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def site(self) -> Path:
        return self.outdir / f"{self.manuscript.stem}-html"

    def rebuild(self, log: Callable[[str], None] = lambda s: None) -> bool:
        from blog2book import pipeline

        found: list[Diagnostic] = []
        reporter = Reporter(sink=found.append)
        crash = None
        try:
            result = pipeline.build(self.manuscript, ("html",), self.outdir, reporter, allow_outside=self.allow_outside)
            ok = not result.failed
        except BuildError as exc:
            found.extend(exc.diagnostics)
            ok = False
        except Exception as exc:  # the server keeps running: the page says what happened
            crash = f"unexpected failure: {type(exc).__name__}: {exc}"
            ok = False
        with self.lock:
            self.problems = [d for d in found if d.level >= Level.WARNING]
            self.crash = crash
            self.version += 1
        for d in self.problems:
            log(d.format())
        if crash:
            log(crash)
        log(f"build {self.version}: " + ("ok" if ok else "failed, the page shows why"))
        return ok


# the same text on every page (the build number is an attribute), so that the policy names it by its hash
RELOAD_JS = (
    "/* blog2book preview: reload when the book is rebuilt */"
    f"(function(){{var v=document.currentScript.dataset.version;function poll(){{fetch('{VERSION_PATH}',{{cache:'no-store'}})"
    ".then(function(r){return r.text()}).then(function(t){if(t!==v){location.reload()}})"
    ".catch(function(){}).then(function(){setTimeout(poll,700)})}setTimeout(poll,700)})();"
)
_RELOAD_HASH = base64.b64encode(hashlib.sha256(RELOAD_JS.encode()).digest()).decode()
# The web edition has no script; the pages and the error page have inline style attributes and <style>
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'sha256-{_RELOAD_HASH}'; style-src 'self' 'unsafe-inline'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def reload_script(version: int) -> str:
    return f'<script data-version="{version}">{RELOAD_JS}</script>'


def host_problem(host_headers: list[str], port: int) -> tuple[int, str] | None:
    """(status, why) when a request is not addressed to this server by a local name and its port."""
    if len(host_headers) != 1:
        return 400, "a request needs one Host header"
    names = {f"{h}:{port}" for h in LOCAL_HOSTS} | (set(LOCAL_HOSTS) if port == 80 else set())
    if host_headers[0].strip().lower() not in names:
        return 421, f"this preview answers only http://127.0.0.1:{port}/ (or localhost, [::1])"
    return None


def error_page(state: PreviewState) -> str:
    errors = [d for d in state.problems if d.level == Level.ERROR]
    lines = [html.escape(d.format()) for d in errors or state.problems]
    if state.crash:
        lines.append(html.escape(state.crash))
    items = "".join(f"<li><code>{line}</code></li>" for line in lines)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>blog2book preview: build failed</title>'
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}li{margin:.6em 0}"
        "code{white-space:pre-wrap}</style></head><body>"
        f'<h1>The book could not be built</h1><ul class="diagnostics">{items}</ul>'
        "<p>Fix the file named above and save: this page reloads by itself.</p></body></html>"
    )


def _handler(state: PreviewState):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):  # quiet: the build log is what matters
            pass

        def end_headers(self) -> None:  # every response, the errors of http.server's own included
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
            super().end_headers()

        def send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            refused = host_problem(self.headers.get_all("Host") or [], self.server.server_address[1])
            if refused is not None:
                return self.send(refused[0], refused[1].encode(), "text/plain; charset=utf-8")
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            with state.lock:
                version, failed = state.version, bool(state.crash or any(d.level == Level.ERROR for d in state.problems))
            if path == VERSION_PATH:
                return self.send(200, str(version).encode(), "text/plain; charset=utf-8")
            script = reload_script(version)
            if failed:
                page = error_page(state).replace("</body>", script + "</body>")
                return self.send(500, page.encode("utf-8"), "text/html; charset=utf-8")
            if "\x00" in path:  # no file name holds one (the file system calls refuse it)
                return self.send(400, b"bad request: a null byte in the path", "text/plain; charset=utf-8")
            site = state.site.resolve()
            try:
                target = (site / path.lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_relative_to(site) or not target.is_file():
                    return self.send(404, b"not found", "text/plain; charset=utf-8")
                data = target.read_bytes()
            except OSError:  # a name too long, a file gone since: nothing to serve
                return self.send(404, b"not found", "text/plain; charset=utf-8")
            if target.suffix == ".html":
                data = data.replace(b"</body>", script.encode() + b"</body>", 1)
                return self.send(200, data, "text/html; charset=utf-8")
            types = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml"}
            return self.send(200, data, types.get(target.suffix.lower(), "application/octet-stream"))

    return Handler


def serve(manuscript: Path, port: int, outdir: Path, log: Callable[[str], None], ready: Callable[[str], None], allow_outside: tuple[Path, ...] = ()) -> None:
    """Build, serve, rebuild on change; until interrupted (KeyboardInterrupt propagates)."""
    state = PreviewState(manuscript, outdir, tuple(allow_outside))
    state.rebuild(log)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
    server.daemon_threads = True
    stop = threading.Event()

    def watch():
        while wait_for_change(manuscript, stop, allow_outside=state.allow_outside):
            log("change seen: rebuilding")
            state.rebuild(log)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ready(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
