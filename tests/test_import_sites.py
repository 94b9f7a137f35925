"""Issue 22, items 5 to 7, through the CLI: Jekyll and Hugo sites as they are really written.

tests/roots/import/jekyll-site reproduces the French Jekyll blog of the issue (fr/ and en/ folders,
``_config.yml`` with a per-language map of addresses, ``_config.en.yml``, ``_data/``, includes of
the theme, ``{{ … | prepend: site.urlalt[ page.language ] }}``, images given from the site root);
the two real Hugo sites are read from ../shared/corpora (skipped when absent).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import epubcheck_messages, java_available, run_cli

ROOT = Path(__file__).parent / "roots" / "import"
JEKYLL = ROOT / "jekyll-site"
CORPORA = Path("/work/shared/corpora")  # real inputs, read-only, not in a user's clone
SLIM = CORPORA / "hugo-future-imperfect-slim" / "exampleSite"
DATAPRANE = CORPORA / "dataprane"
FR_URL = "https://www.carnet-numerique.fr/2020/05/26/la-donnee-ouverte.html"
TEMPLATE = ("{%", "{{", "<!--", "{:")


def imp(cwd: Path, *args):
    return run_cli("import", *args, cwd=cwd)


def post(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def no_template(text: str, where: str) -> None:
    for mark in TEMPLATE:
        assert mark not in text, (where, mark, text[max(0, text.find(mark) - 80):text.find(mark) + 80])


# ---------------------------------------------------------------- Jekyll


@pytest.fixture(scope="module")
def jekyll_import(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("jekyll")
    result = imp(cwd, JEKYLL)
    assert result.exit_code == 0, result.output
    return cwd / "posts", result.stderr


def test_jekyll_site_root_finds_the_language_folders_and_imports_the_sites_language(jekyll_import):
    posts, err = jekyll_import
    assert sorted(p.name for p in posts.glob("*.md")) == ["la-donnee-ouverte.md", "suite-donnee-ouverte.md"]
    assert "left out: 1 draft, 1 other-language post (--lang)" in err
    meta, _ = post(posts / "la-donnee-ouverte.md")
    assert meta["url"] == FR_URL and meta["categories"] == ["donnees"]


def test_jekyll_liquid_values_are_resolved_from_config_data_and_page(jekyll_import):
    posts, _ = jekyll_import
    _, body = post(posts / "la-donnee-ouverte.md")
    assert "Bienvenue sur Carnet numérique, tenu par Camille Roy (rédactrice)." in body  # site.title, site.data
    assert "« La donnée ouverte, quatre ans après »" in body  # page.title
    assert "dto@carnet-numerique.fr" in body  # site.emails.dto
    assert "```python\nimport pandas as pd\n" in body  # {% highlight %}
    assert "Ce texte est laissé tel quel : 100 % libre." in body  # {% raw %}
    assert "Les commentaires sont ouverts." in body  # the text inside a dropped {% if %}
    assert "[le portail](https://www.data.gouv.fr)" in body and ".chapo" not in body  # Kramdown's attribute lists
    for name in posts.glob("*.md"):
        no_template(post(name)[1], name.name)


def test_jekyll_links_to_posts_in_every_liquid_form_point_to_the_post(jekyll_import):
    posts, _ = jekyll_import
    _, body = post(posts / "suite-donnee-ouverte.md")
    for text in ("le premier billet", "ce billet", "celui-ci", "encore celui-là"):  # prepend: urlalt[…], post_url, link, relative_url
        assert f"[{text}]({FR_URL})" in body, text


def test_jekyll_dropped_tags_are_warned_one_by_one_at_their_line(jekyll_import):
    _, err = jekyll_import
    site = "jekyll-site/fr/_posts/"
    assert f"{site}2020-05-26-la-donnee-ouverte.md:16: warning: the Liquid {{% include components/encart.html" in err
    assert f"{site}2020-05-26-la-donnee-ouverte.md:20: warning: the Liquid {{% if page.comments %}} is dropped" in err
    assert f"{site}2020-06-10-suite-donnee-ouverte.md:14: warning: the Liquid {{% for tag in page.tags %}} is dropped" in err
    assert f"{site}2020-06-10-suite-donnee-ouverte.md:22: warning: the Liquid {{{{ site.nothing_here }}}} is dropped" in err
    assert err.count("[import.template-tag]") == 5  # the include of an image, the other include, if, for, an unknown value


def test_jekyll_images_from_the_site_root_and_language_folder_are_copied_beside_the_post(jekyll_import):
    posts, err = jekyll_import
    _, body = post(posts / "la-donnee-ouverte.md")
    assert "![La page Web du portail de données](images/la-donnee-ouverte/carte.png)" in body  # an include naming an image
    assert "![Schéma des flux](images/la-donnee-ouverte/schema.png)" in body  # fr/images/schema.png
    assert (posts / "images/la-donnee-ouverte/carte.png").read_bytes() == (JEKYLL / "images/carte.png").read_bytes()
    assert (posts / "images/la-donnee-ouverte/schema.png").read_bytes() == (JEKYLL / "fr/images/schema.png").read_bytes()
    _, body = post(posts / "suite-donnee-ouverte.md")
    assert '<img src="images/suite-donnee-ouverte/carte.png"' in body
    assert "[Image introuvable\u00a0: Une image perdue (absente.png)]{.image-missing}" in body
    assert "2020-06-10-suite-donnee-ouverte.md:20: warning: image '/images/absente.png' is not in the site's folders" in err
    assert "3 image(s) copied" in err


def test_jekyll_lang_picks_the_other_language_with_its_address_and_config(tmp_path):
    result = imp(tmp_path, JEKYLL, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "posts").glob("*.md")] == ["open-data.md"]
    meta, body = post(tmp_path / "posts" / "open-data.md")
    assert meta["url"] == "https://en.carnet-numerique.fr/2020/05/26/open-data.html"  # urlalt.en
    assert "Welcome to Digital notebook." in body  # _config.en.yml
    assert f"]({FR_URL})" in body and "![Map](images/open-data/carte.png)" in body
    assert "3 other-language posts (--lang)" in result.stderr  # the French ones, their draft too
    result = imp(tmp_path, JEKYLL, "--lang", "de", "--into", "autre")
    assert result.exit_code == 1 and "the site has no posts in 'de'" in result.stderr and "[import.lang]" in result.stderr


def test_jekyll_a_language_posts_folder_is_a_source_too(tmp_path):
    result = imp(tmp_path, JEKYLL / "fr" / "_posts")
    assert result.exit_code == 0, result.output
    meta, body = post(tmp_path / "posts" / "la-donnee-ouverte.md")
    assert meta["url"] == FR_URL and "Carnet numérique" in body  # the site's _config.yml, above fr/


def test_jekyll_data_lists_and_a_broken_data_file(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(JEKYLL, site)
    (site / "_data" / "liens.yml").write_text("- nom: Portail\n  url: https://www.data.gouv.fr\n", "utf-8")
    (site / "_data" / "casse.yml").write_text("a: [\n", "utf-8")
    (site / "fr" / "_posts" / "2020-08-01-liens.md").write_text("---\ntitle: Liens\n---\n\nVoir {{ site.data.liens.first.nom }}.\n", "utf-8")
    result = imp(tmp_path, site)
    assert result.exit_code == 0, result.output
    assert "Voir Portail." in post(tmp_path / "posts" / "liens.md")[1]
    assert "_data/casse.yml:2: warning: casse.yml cannot be read" in result.stderr


def test_jekyll_raw_text_is_kept_as_written(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "2020-01-01-gabarits.md").write_text("---\ntitle: Gabarits\n---\n\nLe titre : {% raw %}`{{ page.title }}`{% endraw %}.\n", "utf-8")
    assert imp(tmp_path, site).exit_code == 0
    assert "Le titre : `{{ page.title }}`." in post(tmp_path / "posts" / "gabarits.md")[1]


@pytest.mark.parametrize("name, text, line", [
    ("_config.yml", "title: Carnet\nurl: [https://oups\nlang: fr\n", 2),  # where the unclosed list opens
    ("_config.en.yml", "title: {oups\n", 1),
])
def test_jekyll_unreadable_config_is_a_located_error_and_posts_unchanged(tmp_path, name, text, line):
    site = tmp_path / "site"
    shutil.copytree(JEKYLL, site)
    (site / name).write_text(text, "utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "mien.md").write_text("---\ntitle: Le mien\n---\n\nTexte.\n", "utf-8")
    before = snapshot(tmp_path / "posts")
    result = imp(tmp_path, site, *(["--lang", "en"] if name == "_config.en.yml" else []))
    assert result.exit_code == 1, result.output
    assert f"site/{name}:{line}: error: {name} cannot be read" in result.stderr and "[import.config]" in result.stderr
    assert "Traceback" not in result.output and snapshot(tmp_path / "posts") == before


# ---------------------------------------------------------------- Hugo


def hugo_site(root: Path) -> Path:
    """A small Hugo site: a bundle with its image, a static image, languages, shortcodes."""
    png = (JEKYLL / "images" / "carte.png").read_bytes()
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "logo.png").write_bytes(png)
    (root / "assets").mkdir()
    (root / "assets" / "schema.png").write_bytes(png)
    bundle = root / "content" / "posts" / "voyage"
    bundle.mkdir(parents=True)
    (bundle / "photo.png").write_bytes(png)
    (root / "hugo.toml").write_text(
        'baseURL = "https://blogue.example.org/"\ntitle = "Blogue"\nlanguageCode = "fr-CA"\ndefaultContentLanguage = "fr"\n'
        '[languages.fr]\n  weight = 1\n[languages.en]\n  weight = 2\n', "utf-8")
    (bundle / "index.md").write_text(
        '---\ntitle: "Le voyage"\ndate: 2021-03-01\n---\n\nUn résumé.\n<!--more-->\n---\n\n![Le port](photo.png)\n\n'
        '{{< figure src="/images/logo.png" caption="Le logo du blogue" >}}\n\n![Schéma](/schema.png)\n\n'
        'Voir [la suite]({{< ref "posts/suite.md" >}}), [encore]({{< relref "suite" >}}) et [toujours](/posts/suite/).\n\n'
        '{{< youtube ZJthWmvUzzc >}}\n\n{{< x user="SanDiegoZoo" id="1453110110599868418" >}}\n\n'
        '{{< highlight python >}}\nprint("bonjour")\n{{< /highlight >}}\n\n'
        '{{< encadre >}}Texte de l’encadré.{{< /encadre >}}\n\n{{< carte-interactive lieu="Québec" >}}\n\n'
        '![Disparue](/images/disparue.png)\n', "utf-8")
    (bundle / "index.en.md").write_text('---\ntitle: "The trip"\ndate: 2021-03-01\n---\n\nIn English.\n', "utf-8")
    (root / "content" / "posts" / "suite.md").write_text('+++\ntitle = "La suite"\ndate = 2021-04-01\n+++\n\nLa suite du voyage.\n', "utf-8")
    return root


def test_hugo_site_bundles_shortcodes_and_images(tmp_path):
    site = hugo_site(tmp_path / "site")
    result = imp(tmp_path, site)
    assert result.exit_code == 0, result.output
    posts = tmp_path / "posts"
    assert sorted(p.name for p in posts.glob("*.md")) == ["suite.md", "voyage.md"]
    meta, body = post(posts / "voyage.md")
    assert meta["url"] == "https://blogue.example.org/posts/voyage/"
    assert "Un résumé.\n\n---" in body  # <!--more--> gone, the rule after it still a rule
    assert "![Le port](images/voyage/photo.png)" in body  # the bundle's image
    assert "![Le logo du blogue](images/voyage/logo.png)" in body  # figure, static/
    assert "![Schéma](images/voyage/schema.png)" in body  # assets/
    assert {p.name for p in (posts / "images" / "voyage").iterdir()} == {"photo.png", "logo.png", "schema.png"}
    suite = "https://blogue.example.org/posts/suite/"
    assert f"[la suite]({suite})" in body and f"[encore]({suite})" in body and f"[toujours]({suite})" in body  # ref, relref, a site path
    assert "<https://www.youtube.com/watch?v=ZJthWmvUzzc>" in body
    assert "<https://x.com/SanDiegoZoo/status/1453110110599868418>" in body
    assert '```python\nprint("bonjour")\n```' in body
    assert "Texte de l’encadré." in body  # an unknown shortcode's text is kept
    assert "[Image introuvable\u00a0: Disparue (disparue.png)]{.image-missing}" in body
    no_template(body, "voyage.md")
    err = result.stderr
    assert "content/posts/voyage/index.md:26: warning: the shortcode {{< encadre >}} is dropped" in err
    assert "content/posts/voyage/index.md:28: warning: the shortcode {{< carte-interactive" in err
    assert "content/posts/voyage/index.md:30: warning: image '/images/disparue.png' is not in the site's folders" in err
    assert "1 other-language post (--lang)" in err


def test_hugo_lang_imports_the_language_variant_under_its_folder(tmp_path):
    site = hugo_site(tmp_path / "site")
    result = imp(tmp_path, site / "content", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "posts").glob("*.md")] == ["voyage.md"]
    meta, body = post(tmp_path / "posts" / "voyage.md")
    assert meta["title"] == "The trip" and meta["url"] == "https://blogue.example.org/en/posts/voyage/"
    assert "2 other-language posts (--lang)" in result.stderr


def test_an_image_that_is_a_link_leaving_the_site_is_not_copied(tmp_path):
    site = hugo_site(tmp_path / "site")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG secret")
    (site / "static" / "images" / "logo.png").unlink()
    (site / "static" / "images" / "logo.png").symlink_to(secret)
    result = imp(tmp_path, site)
    assert result.exit_code == 0, result.output
    assert "content/posts/voyage/index.md:12: warning: this file is a link to" in result.stderr and "[import.outside]" in result.stderr
    _, body = post(tmp_path / "posts" / "voyage.md")
    assert "[Image introuvable\u00a0: Le logo du blogue (logo.png)]{.image-missing}" in body
    assert all(b"secret" not in p.read_bytes() for p in (tmp_path / "posts").rglob("*") if p.is_file())


@pytest.mark.parametrize("name, text, line", [
    ("hugo.toml", 'baseURL = "https://b.example/"\ntitle = "oups\n', 2),
    ("config.yaml", "baseURL: https://b.example/\ntitle: [oups\n", 2),
    ("config.json", '{"baseURL": "https://b.example/",\n "title": }\n', 2),
])
def test_hugo_unreadable_config_is_a_located_error_and_posts_unchanged(tmp_path, name, text, line):
    site = hugo_site(tmp_path / "site")
    (site / "hugo.toml").unlink()
    (site / name).write_text(text, "utf-8")
    result = imp(tmp_path, site)
    assert result.exit_code == 1, result.output
    assert f"site/{name}:{line}: error: {name} cannot be read" in result.stderr and "[import.config]" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "posts").exists()


@pytest.mark.skipif(not SLIM.is_dir(), reason="../shared/corpora/hugo-future-imperfect-slim is absent")
@pytest.mark.parametrize("lang, expected", [
    (None, ["emoji-support.md", "markdown-syntax.md", "placeholder-text.md", "rich-content.md"]),
    ("fr", ["emoji-support.md", "markdown-syntax.md", "rich-content.md"]),
])
def test_hugo_future_imperfect_slim(tmp_path, lang, expected):
    result = imp(tmp_path, SLIM, *(["--lang", lang] if lang else []))
    assert result.exit_code == 0, result.output
    posts = tmp_path / "posts"
    assert sorted(p.name for p in posts.glob("*.md")) == expected
    meta, body = post(posts / "rich-content.md")
    assert meta["title"] == ("Contenu riche" if lang else "Rich Content")
    assert meta["url"] == "https://hugo-future-imperfect-slim.netlify.app/" + ("fr/" if lang else "") + "blog/rich-content/"
    assert "<https://www.youtube.com/watch?v=ZJthWmvUzzc>" in body and "<https://vimeo.com/48912912>" in body  # youtube, vimeo_simple
    assert "status/1085870671291310081>" in body  # twitter_simple
    _, body = post(posts / "markdown-syntax.md")
    assert "```html\n<!DOCTYPE html>" in body  # {{< highlight html >}}
    for path in posts.glob("*.md"):
        text = path.read_text("utf-8")
        assert "{{<" not in text and "{{%" not in text and "<!--more" not in text, path.name
        assert ".emojify" not in text, path.name  # a theme's CSS in a dropped shortcode
    assert re.search(r"emoji-support(\.fr)?\.md:35: warning: the shortcode \{\{< css\.inline >\}\} is dropped", result.stderr)


@pytest.mark.skipif(not DATAPRANE.is_dir(), reason="../shared/corpora/dataprane is absent")
def test_hugo_dataprane_french_bundles(tmp_path):
    result = imp(tmp_path, DATAPRANE / "content")
    assert result.exit_code == 0, result.output
    posts = tmp_path / "posts"
    assert sorted(p.name for p in posts.glob("*.md")) == ["dspy.md", "extraire_cim10_sparql.md", "pourquoi_ce_blog.md"]
    meta, _ = post(posts / "pourquoi_ce_blog.md")
    assert meta["title"] == "Lancement du blog dataprane" and meta["url"] == "https://dataprane.fr/posts/pourquoi_ce_blog/"
    assert "left out: 1 page" in result.stderr and "warning" not in result.stderr


# ---------------------------------------------------------------- a new user's book, end to end


@pytest.mark.slow
def test_fresh_project_imports_each_site_and_builds_every_edition_with_no_hand_edit(tmp_path):
    """init; import the Jekyll site, dataprane and the French Hugo site; paste 'posts --format yaml'
    into the manuscript; build PDF, EPUB and web edition: no template code in any of them."""
    assert run_cli("init", "livre", cwd=tmp_path).exit_code == 0
    project = tmp_path / "livre"
    sources = [(JEKYLL,)]
    sources += [(DATAPRANE,)] if DATAPRANE.is_dir() else []
    sources += [(SLIM, "--lang", "fr")] if SLIM.is_dir() else []
    for args in sources:
        result = run_cli("import", *args, cwd=project)
        assert result.exit_code == 0, result.output
    listed = run_cli("posts", "--format", "yaml", cwd=project)
    assert listed.exit_code == 0 and "la-donnee-ouverte" in listed.stdout
    manuscript = project / "manuscripts" / "livre.yml"
    text = manuscript.read_text("utf-8")
    manuscript.write_text(text[: text.index("chapters:")] + listed.stdout, "utf-8")
    result = run_cli("build", "-f", "pdf", "-f", "epub", "-f", "html", cwd=project)
    assert result.exit_code == 0, result.output
    build = project / "build"
    # pypdf reads some runs of this book (the one with emoji) as two-byte codes: NULs between the letters
    pdf = "".join(page.extract_text() for page in PdfReader(str(build / "livre.pdf")).pages).replace("\x00", "")
    flat = re.sub(r"(\w)- (\w)", r"\1\2", " ".join(pdf.split()))  # lines joined, hyphenation undone
    for text in ("tenu par Camille Roy", "Image introuvable", "Lancement du blog dataprane", "Contenu riche"):
        assert text in flat, text
    no_template(pdf, "livre.pdf")
    assert "{{<" not in pdf
    with zipfile.ZipFile(build / "livre.epub") as epub:
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                no_template(epub.read(name).decode("utf-8"), name)
    pages = list((build / "livre-html").glob("*.html"))
    assert pages
    for page in pages:
        no_template(page.read_text("utf-8"), page.name)
    web = "".join(p.read_text("utf-8") for p in pages)
    assert 'class="xref">le premier billet</a>' in web  # the Liquid link became a cross-reference
    if java_available():
        valid, messages = epubcheck_messages(build / "livre.epub")
        assert valid and messages == [], messages


def test_jekyll_html_post_liquid_and_images(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "images").mkdir()
    (site / "images" / "carte.png").write_bytes((JEKYLL / "images" / "carte.png").read_bytes())
    (site / "_config.yml").write_text("title: Site\nurl: https://ex.org\nbaseurl: /blog\n", "utf-8")
    (site / "_posts" / "2020-01-01-page.html").write_text(
        '---\ntitle: Page\n---\n<p>Sur {{ site.title }}.</p>\n<p><img src="{{ site.baseurl }}/images/carte.png" alt="Carte"></p>\n'
        '<p><img src="https://ex.org/blog/images/non.png" alt="Non"></p>\n', "utf-8")
    result = imp(tmp_path, site)
    assert result.exit_code == 0, result.output
    _, body = post(tmp_path / "posts" / "page.md")
    assert "Sur Site." in body and "](images/page/carte.png)" in body  # the baseurl taken off, the file copied
    assert "Image introuvable\u00a0: Non (non.png)" in body and "{{" not in body and "<span" not in body
    assert "2020-01-01-page.html:6: warning: image 'https://ex.org/blog/images/non.png' is not in the site's folders" in result.stderr
