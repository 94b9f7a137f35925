"""bookcache.store pickles straight into a temporary file: a record is whole or absent."""

from __future__ import annotations

from types import MappingProxyType

from blog2book import bookcache


def test_a_record_is_read_back_under_its_key_only(tmp_path):
    path = tmp_path / "cache" / "book.pickle"
    payload = {"posts": [1, 2, 3], "meta": MappingProxyType({"a": 1})}
    bookcache.store(path, "key-1", payload)
    back = bookcache.load(path, "key-1")
    assert back["posts"] == [1, 2, 3] and dict(back["meta"]) == {"a": 1}
    assert bookcache.load(path, "key-2") is None
    assert [p.name for p in path.parent.iterdir()] == ["book.pickle"]


def test_a_payload_that_does_not_pickle_leaves_nothing(tmp_path):
    path = tmp_path / "book.pickle"
    bookcache.store(path, "key", {"f": lambda: 0})
    assert list(tmp_path.iterdir()) == []
    bookcache.store(path, "key", [1])
    bookcache.store(path, "key", {"f": lambda: 0})  # a failed store keeps the record before it
    assert bookcache.load(path, "key") == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["book.pickle"]
