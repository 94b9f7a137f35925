"""Preloaded by the Dask workers of tests/test_cluster.py (``dask worker --preload``): a worker of
another machine, on this one.

* ``B2B_TEST_FORBID`` (folders, ``os.pathsep``-separated): an audit hook refuses to open any file in
  them (the client's project, its font cache, the installed font packages): a worker that reads
  anything of the client's by path fails, as it would on a machine without those files.
* ``B2B_TEST_VERSION``: the worker's blog2book says it is that version (a mismatched worker).
* ``B2B_TEST_NO_BLOG2BOOK``: blog2book cannot be imported (a worker without it).
"""

import os
import sys

FORBID = tuple(p for p in os.environ.get("B2B_TEST_FORBID", "").split(os.pathsep) if p)


def _refuse(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if any(path == f or path.startswith(f + os.sep) for f in FORBID):
            raise PermissionError(f"this test's worker may not read {path}")


if FORBID:
    sys.addaudithook(_refuse)
if os.environ.get("B2B_TEST_NO_BLOG2BOOK"):
    sys.modules["blog2book"] = None  # import blog2book: ModuleNotFoundError
elif os.environ.get("B2B_TEST_VERSION"):
    import blog2book

    blog2book.__version__ = os.environ["B2B_TEST_VERSION"]
