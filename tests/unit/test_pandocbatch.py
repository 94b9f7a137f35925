"""Posts parsed by one pandoc process give the ASTs pandoc gives them one by one."""

from blog2book import pandoc, pandocbatch, wphtml

TEXTS = [
    "# Titre\n\nUn paragraphe[^1] et un [lien][ref].\n\n[^1]: La note.\n\n[ref]: https://exemple.com\n",
    "# Titre\n\nLe même titre, dans un autre billet : son id ne devient pas « titre-1 ».[^1]\n\n[^1]: Une autre note.\n",
    "<div class=\"x\">\n\n*HTML* et **Markdown**\n\n</div>\n\n- une\n- liste\n",
    "",
    "Des caractères : « guillemets », 2e, œ, \U0001F600, \\ et \"\".\n",
]


def test_a_batch_gives_what_pandoc_gives_each_post():
    docs = pandocbatch.read_many(TEXTS, wphtml.POST_READER)
    assert docs == [pandoc.to_ast(t, reader=wphtml.POST_READER) for t in TEXTS]


def test_what_the_batch_cannot_give_is_left_to_the_one_by_one_path():
    deep = "> " * 60 + "trop profond\n"
    docs = pandocbatch.read_many([TEXTS[0], deep], wphtml.POST_READER)
    assert docs[0] == pandoc.to_ast(TEXTS[0], reader=wphtml.POST_READER)
    assert docs[1] is None  # refused alone, with its line
    assert pandocbatch.read_many([TEXTS[0]], "markdown; rm -rf /") == [None]
