"""tree.rewrite (copy only what changes) and tree.visit (read only) against tree.walk."""

from blog2book import pandoc, tree

TEXT = """# Titre {#titre}

Un [lien](post:autre) et *un [autre](https://exemple.com)* mot.[^1]

> Une citation avec [un lien](#titre).

- un
- [deux](post:x#y)

[^1]: Une note avec [un lien](https://n.example).
"""


def blocks():
    return pandoc.to_ast(TEXT)["blocks"]


def relabel(el):
    if el["t"] == "Link":
        return tree.Link(el["c"][1], el["c"][2][0].upper())
    return None


def test_rewrite_gives_what_walk_gives_and_shares_what_it_keeps():
    original = blocks()
    assert tree.rewrite(original, relabel) == tree.walk(blocks(), relabel)
    assert tree.rewrite(original, relabel, only=frozenset(("Link",))) == tree.walk(blocks(), relabel)
    out = tree.rewrite(original, relabel, only=frozenset(("Link",)))
    assert out[0] is original[0]  # the heading has no link: the same object
    assert out[1] is not original[1]  # the paragraph holds links: a new one
    assert out[1]["c"][1] is original[1]["c"][1]  # its first words: the same objects
    assert original == blocks()  # nothing given was changed


def test_rewrite_splices_lists_and_keeps_everything_when_nothing_changes():
    original = blocks()
    assert tree.rewrite(original, lambda el: None) is original
    unwrap = lambda el: el["c"][1] if el["t"] == "Link" else None
    assert tree.rewrite(blocks(), unwrap, only=frozenset(("Link",))) == tree.walk(blocks(), unwrap)


def test_visit_meets_elements_in_walk_order():
    met_walk, met_visit = [], []
    tree.walk(blocks(), lambda el: met_walk.append(el["t"]))
    tree.visit(blocks(), lambda el: met_visit.append(el["t"]))
    assert met_visit == met_walk
    assert tree.ids(blocks()) == ["titre"]
