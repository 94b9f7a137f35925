"""Writing imported posts: atomically, and without overwriting what the author edited.

Every new or changed file is first written into a temporary folder inside the posts folder (on its
file system, even when it is a mount point: the renames stay on one device), or next to it when it
does not exist yet; only when the whole source has been read do the files move into place
(``os.replace``, one rename per file, the import's state last; the whole folder in one rename when
it is new). A failure before that (a full disk included) removes the temporary folder: the posts
folder is exactly as it was; one while the files move says which are in place. Nothing is written outside the posts folder: a
folder on the way to a file (``images/`` or ``images/2010/``) that is a link leaving it is refused
(a located error, nothing written), whatever the link's target holds.

``posts/.blog2book-import.json`` keeps the hash of every file the last import wrote. A post file
whose text still has that hash was not touched by the author and may be updated; any other text
(edited by the author, or a post the import never wrote) is kept unless ``--force``.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from blog2book import guard
from blog2book.diagnostics import BuildError, Diagnostic, Location, error, info
from blog2book.sources.folder import IMPORT_TMP_PREFIX

STATE = ".blog2book-import.json"
TMP_PREFIX = IMPORT_TMP_PREFIX  # the temporary folder's (sources.folder never reads one)


class _Dumper(yaml.SafeDumper):
    pass


def _datetime(dumper: yaml.SafeDumper, value: dt.datetime):
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value.strip("\n"):  # comments and excerpts of several paragraphs: a literal block
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.strip("\n") + "\n", style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(dt.datetime, _datetime)
_Dumper.add_representer(str, _str)


def render(meta, body: str) -> str:
    """The post file's text: YAML front matter, a blank line, the Markdown body."""
    front = yaml.dump(dict(meta), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n\n{body}"


NAME_BYTES = 200  # a file name's limit is 255 bytes on most file systems: room for ".md" and more


def file_name(slug: str) -> str:
    """``SLUG.md``; a slug too long for a file name is cut (on a character, at most NAME_BYTES of
    UTF-8) and ends with a hash of the whole slug, which the front matter's ``slug:`` keeps."""
    raw = slug.encode("utf-8")
    if len(raw) <= NAME_BYTES:
        return f"{slug}.md"
    short = raw[: NAME_BYTES - 9].decode("utf-8", "ignore").rstrip("-. ")
    return f"{short}-{hashlib.sha256(raw).hexdigest()[:8]}.md"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Writer:
    def __init__(self, into: Path, *, dry_run: bool = False, force: bool = False):
        self.into = Path(into)
        self.dry_run, self.force = dry_run, force
        self.actions: list[tuple[str, str]] = []
        self.images = 0
        self._state = self._read_state()
        self._written: dict[str, dict] = {}
        self._tmp: Path | None = None
        if self.into.is_symlink() and not self.into.exists():  # nothing is made where a dangling link leads
            raise BuildError([error("import.into", f"the posts folder is a link to '{os.readlink(self.into)}', which does not exist", Location(self.into), "create the folder it leads to, or name another --into")])
        if not dry_run:
            here = self.into.resolve() if self.into.is_dir() else self.into.resolve().parent
            try:
                here.mkdir(parents=True, exist_ok=True)
                self._tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=here))
            except OSError as exc:
                raise self._failed(here, exc) from None

    def _failed(self, path: Path, exc: OSError, moved: int = 0) -> BuildError:
        """The error of a write that failed (the temporary folder removed): which file, why, and
        what is in the posts folder now."""
        self.abort()
        why = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        done = f"{moved} file(s) of this import were already in place; the others were not written" if moved else "nothing was imported; the posts folder is as it was"
        hint = f"free some space on the disk of {self.into}, then import again" if exc.errno == errno.ENOSPC else "fix what is said, then import again"
        return BuildError([error("import.write", f"cannot write here: {why} ({done})", Location(path), hint)], "import")

    def _write(self, rel: str, write) -> None:
        try:
            write()
        except OSError as exc:
            raise self._failed(self.into / rel, exc) from None

    def _read_state(self) -> dict[str, dict]:
        try:
            data = json.loads((self.into / STATE).read_text("utf-8"))
            return dict(data.get("posts", {}))
        except (OSError, ValueError, AttributeError):
            return {}

    def add(self, post) -> str:
        name = file_name(post.slug)
        text = render(post.meta, post.body)
        target = self.into / name
        record = {"hash": digest(text)}
        if post.meta.get("wp_id"):
            record["wp_id"] = post.meta["wp_id"]
        try:
            current = target.read_text("utf-8")
        except FileNotFoundError:
            current = None
        except (OSError, UnicodeDecodeError):
            current = ""  # unreadable: not ours to overwrite
        if current is None:
            action = "added"
        elif current == text:
            action = "unchanged"
        elif self.force or self._state.get(name, {}).get("hash") == digest(current):
            action = "updated"
        else:
            action = "kept"
        self.actions.append((name, action))
        if action in ("added", "updated", "unchanged"):
            self._written[name] = record
        if action in ("added", "updated") and self._tmp is not None:
            self._write(name, lambda: (self._tmp / name).write_text(text, "utf-8"))
        return action

    def add_file(self, rel: str, src: Path) -> Diagnostic | None:
        """An image of the uploads copy, at ``rel`` under the posts folder (never overwritten
        unless --force: the author may have retouched it); the error when it cannot go there."""
        problem = self.leaves(rel)
        if problem is not None:
            return problem
        target = self.into / rel
        if target.exists() and not self.force:
            return None
        self.images += 1
        if self._tmp is not None:
            dest = self._tmp / rel
            self._write(rel, lambda: (dest.parent.mkdir(parents=True, exist_ok=True), shutil.copyfile(src, dest)))
        return None

    def leaves(self, rel: str) -> Diagnostic | None:
        """The located error when a folder on the way from the posts folder to ``rel`` is a link
        leading outside it (the file would be written there), or None."""
        here = self.into
        for name in Path(rel).parts[:-1]:
            here = here / name
            if guard.outside(here, self.into):
                return error(
                    "import.outside",
                    f"this folder is a link to '{here.resolve()}', outside {self.into}: the import writes only inside it, and wrote nothing",
                    Location(here),
                    f"replace the link by a folder, or move what it leads to into {self.into}, then import again",
                )
        return None

    def kept_diagnostic(self, name: str) -> Diagnostic:
        if name in self._state:
            why, hint = "edited since the last import: kept as it is", "import with --force to replace it with the blog's version"
        else:
            why, hint = "a post of this name exists and was not written by an import: kept as it is", "move it away, or import with --force to replace it"
        return info("import.kept", why, Location(self.into / name, 1), hint)

    def commit(self, *, source: str, kind: str) -> None:
        if self._tmp is None:
            return
        state = dict(self._state)
        state.update(self._written)
        payload = {"source": source, "kind": kind, "posts": dict(sorted(state.items()))}
        self._write(STATE, lambda: (self._tmp / STATE).write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", "utf-8"))
        if not self.into.exists():
            umask = os.umask(0)
            os.umask(umask)
            try:
                self._tmp.chmod(0o777 & ~umask)  # mkdtemp made it private; posts/ is an ordinary folder
                os.replace(self._tmp, self.into)
            except OSError as exc:
                raise self._failed(self.into, exc) from None
            self._tmp = None
            return
        files = [path.relative_to(self._tmp).as_posix() for path in sorted(self._tmp.rglob("*")) if path.is_file() and path.name != STATE]
        problems = [d for d in map(self.leaves, files) if d is not None]
        if problems:  # a link made since the files were planned: still nothing is written
            self.abort()
            raise BuildError(list(dict.fromkeys(problems)), "import")
        for moved, rel in enumerate([*files, STATE]):  # the state last: it never records a file not in place
            dest = self.into / rel
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self._tmp / rel, dest)
            except OSError as exc:
                raise self._failed(dest, exc, moved) from None
        self.abort()

    def abort(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
