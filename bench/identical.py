"""Prove that a change of the code changed no output: the same bytes out for the same inputs.

    python bench/identical.py [--base REV] [--head REV] [--posts 300] [--formats md,pdf,epub,html]

Checks out REV (default: HEAD) beside this tree (``git worktree``, removed afterwards), then builds
the sample book of this repository and a synthetic corpus (``bench/corpus.py``, ``--posts`` posts)
twice with empty caches: once with REV's code, once with the code of this working tree, on the same
inputs. Every file written (the web edition's files one by one) is compared by SHA-256. Exits 1 and
lists the files that differ, 0 when every output is byte-identical.

``--head REV`` builds the second side from that commit too (a worktree of its own), so that the
working tree may change while the check runs. A refactoring is checked with ``--base`` set to the commit before it (``git merge-base``); ``--posts
0`` skips the corpus (the sample alone, about a minute).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def digests(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every output file (the caches left out)."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and ".cache" not in rel.parts:
            out[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def build(code: Path, manuscript: Path, out: Path, formats: list[str]) -> float:
    """Build ``manuscript`` into ``out`` with the blog2book package found in ``code/src``."""
    env = dict(os.environ, PYTHONPATH=str(code / "src"), XDG_CACHE_HOME=str(out.parent / "xdg-cache"))
    args = [sys.executable, "-m", "blog2book", "build", str(manuscript), "-o", str(out), "-q"]
    for fmt in formats:
        args += ["-f", fmt]
    start = time.perf_counter()
    done = subprocess.run(args, cwd=manuscript.parent.parent, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"build with {code} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="the commit whose code gives the reference outputs")
    parser.add_argument("--head", help="the commit whose code gives the outputs compared (default: this working tree)")
    parser.add_argument("--posts", type=int, default=300, help="posts of the synthetic corpus (0: the sample alone)")
    parser.add_argument("--formats", default="md,pdf,epub,html")
    parser.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    args = parser.parse_args()
    formats = args.formats.split(",")

    work = Path(args.keep or tempfile.mkdtemp(prefix="b2b-identical-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base-code"
    if base.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO, check=False)
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(base), args.base], cwd=REPO, check=True)
    head = REPO
    if args.head:
        head = work / "head-code"
        if head.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(head)], cwd=REPO, check=False)
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(head), args.head], cwd=REPO, check=True)
    try:
        books = {"sample": REPO / "manuscripts" / "medias-sociaux.yml"}
        if args.posts:
            corpus = work / f"corpus-{args.posts}"
            if not corpus.exists():
                subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(corpus), "--posts", str(args.posts)], check=True)
            books[f"{args.posts} posts"] = corpus / "manuscripts" / "bench.yml"
        differ: list[str] = []
        for label, manuscript in books.items():
            results = {}
            for side, code in (("base", base), ("tree", head)):
                out = work / side / label.replace(" ", "-")
                shutil.rmtree(out, ignore_errors=True)
                seconds = build(code, manuscript, out, formats)
                results[side] = digests(out)
                print(f"{label}: {side} built {len(results[side])} files in {seconds:.1f} s")
            names = sorted(set(results["base"]) | set(results["tree"]))
            for name in names:
                a, b = results["base"].get(name), results["tree"].get(name)
                if a != b:
                    differ.append(f"{label}: {name} ({'missing' if a is None or b is None else 'bytes differ'})")
            print(f"{label}: {len(names) - sum(d.startswith(label + ':') for d in differ)} of {len(names)} files identical")
    finally:
        for code in {base, head} - {REPO}:
            subprocess.run(["git", "worktree", "remove", "--force", str(code)], cwd=REPO, check=False)
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if differ:
        print("outputs that differ from " + args.base + ":\n  " + "\n  ".join(differ))
        sys.exit(1)
    print(f"every output is byte-identical to {args.base}'s")


if __name__ == "__main__":
    main()
