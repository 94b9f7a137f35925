"""render/cache.store: threads storing the same key at once leave the whole text, never a part of
it, and no temporary file (the pieces' HTML and the EPUB's files are written by threads)."""

from __future__ import annotations

import threading

from blog2book.infra.cache import cached_text, store


def test_threads_storing_one_key_leave_it_whole(tmp_path):
    data = ("é" * 400_000).encode("utf-8")
    path = tmp_path / "key"
    start = threading.Barrier(8)
    wrong = []

    def write():
        start.wait()
        for _ in range(20):
            store(path, data)
            if path.read_bytes() != data:
                wrong.append(len(path.read_bytes()))

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == [] and path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["key"]
    assert cached_text(tmp_path, "key", lambda: "not asked") == data.decode("utf-8")
