"""A Hugo site, as sites are written: ``content/``, its configuration, bundles, languages, shortcodes.

SOURCE is the site's root or its ``content/`` folder. Posts are ``content/<section>/<name>.md`` or
page bundles ``content/<section>/<name>/index.md`` (the bundle's images beside it); front matter in
YAML (``---``), TOML (``+++``) or JSON; pages at the root of ``content/`` (and its bundles, such as
``about/index.md``) are pages, like WordPress's; ``draft: true`` is a draft.

The configuration (``hugo.toml``, ``config.toml|yaml|json``, or ``config/_default/``) gives
``baseURL``, ``title``, ``languageCode``, ``defaultContentLanguage``, ``languages`` (with their
``baseURL`` or ``contentDir``) and ``permalinks``; the default URL is ``/<section>/<slug>/``, lower
case, under ``/<lang>/`` for a language other than the default one. A file ``name.fr.md`` (or
``index.fr.md``) is the French version of ``name``: ``--lang fr`` imports the French versions, and
without ``--lang`` the default language's are imported; the others are counted as left out.

Shortcodes are expanded by ``shortcodes`` (``ref``/``relref`` give the URL of the post they name);
``<!--more-->`` and other HTML comments are removed; images are found by ``siteimages`` (the
bundle, ``static/``, ``assets/``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from blog2book.diagnostics import Location, error
from blog2book.importers import ImportContext, ImportedPost, decode_slug, make_post, plain
from blog2book.importers import shortcodes, siteconfig
from blog2book.importers.jekyll import OTHER_LANGUAGES
from blog2book.importers.siteimages import SiteImages
from blog2book.importers.staticgen import POST_FILES, absolute, canonical_links, clean_markdown, convert_html, date_of, inside, norm_path, read_post_file, words
from blog2book.sources import slugify

_LANG_CODE = re.compile(r"^[a-z]{2}(?:-[a-z]{2,4})?$", re.I)  # a language Hugo's configuration does not list


def read(source: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    content = source if source.name == "content" else source / "content"
    root = content.parent
    if not content.is_dir():
        ctx.diags.append(error("import.source", "no content folder here: not a Hugo site", Location(source), "name the site's folder or its content folder"))
        return
    try:
        config, _ = siteconfig.hugo_config(root, ctx.diags)
    except siteconfig.ConfigProblem as exc:
        ctx.diags.append(exc.diagnostic)
        return
    config = siteconfig.lower_keys(config)
    languages = {str(k).lower(): (siteconfig.lower_keys(v) if isinstance(v, dict) else {}) for k, v in (config.get("languages") or {}).items()} if isinstance(config.get("languages"), dict) else {}
    default = str(config.get("defaultcontentlanguage") or "en").lower()
    wanted = (ctx.options.lang or default).lower()
    if ctx.options.lang and languages and wanted not in languages:
        ctx.diags.append(error("import.lang", f"the site has no language '{ctx.options.lang}': its languages are {', '.join(sorted(languages))}", Location(source), "name one of them with --lang"))
        return
    settings = languages.get(wanted, {})
    if settings.get("contentdir") and (root / str(settings["contentdir"])).is_dir():
        content = root / str(settings["contentdir"])
    base = str(settings.get("baseurl") or config.get("baseurl") or "").rstrip("/")
    prefix = "" if wanted == default and not config.get("defaultcontentlanguageinsubdir") else f"/{wanted}"
    permalinks = config.get("permalinks") or {}
    if isinstance(permalinks.get("page"), dict):  # Hugo ≥ 0.120: permalinks.page.<section>
        permalinks = permalinks["page"]
    known = set(languages) | {default, wanted}
    posts = list(_index(content, root, ctx, known, default))
    urls = {}
    for p in posts:
        p["url"] = _url(p, config, permalinks, base, prefix)
        for key in p["names"]:
            if p["lang"] == wanted or key not in urls:
                urls[key] = p["url"]
    hosts = siteconfig.site_hosts({"url": base, **{k: v.get("baseurl") for k, v in languages.items()}})
    by_path: dict[str, str] = {}  # a link by the post's path on the site (/posts/suite/) -> its URL
    for p in posts:
        if p["lang"] == wanted:
            path = urlsplit(p["url"]).path
            by_path.setdefault(norm_path(path), p["url"])
            root_path = re.sub(r"^https?://[^/]+", "", base).rstrip("/")
            if root_path and path.startswith(root_path + "/"):
                by_path.setdefault(norm_path(path[len(root_path):]), p["url"])
    static = config.get("staticdir") or "static"
    folders = [root / s for s in (static if isinstance(static, list) else [static])] + [root / "assets", content]
    words_lang = str(settings.get("languagecode") or (config.get("languagecode") if wanted == default else None) or wanted)  # the placeholders' words
    images = SiteImages(Path(os.path.abspath(root)), [Path(os.path.abspath(f)) for f in folders], hosts, re.sub(r"^https?://[^/]+", "", base), words_lang)
    images.copies = ctx.files
    for n, p in enumerate(posts, 1):
        if ctx.step:
            ctx.step(n, len(posts))
        if p["lang"] != wanted:
            ctx.left_out[OTHER_LANGUAGES] += 1
            continue
        if not p["section"] and "pages" not in ctx.options.include:
            ctx.left_out["pages"] += 1
            continue
        if p["meta"].get("draft") is True and "drafts" not in ctx.options.include:
            ctx.left_out["drafts"] += 1
            continue
        post = _post(p, base, urls, by_path, hosts, images, ctx)
        if post is not None:  # an HTML post too large or pandoc could not: said at its line
            yield post


def _index(content: Path, root: Path, ctx: ImportContext, known: set[str], default: str):
    paths = sorted(p for p in content.rglob("*") if p.suffix in POST_FILES and p.is_file() and not p.name.startswith("_index."))
    for path in paths:
        if not inside(path, root, ctx):
            continue
        rel = path.relative_to(content)
        stem, lang = path.stem, default
        head, dot, tail = stem.rpartition(".")
        if dot and (tail.lower() in known or _LANG_CODE.match(tail)):
            stem, lang = head, tail.lower()
        bundle = stem == "index"
        parts = rel.parent.parts[:-1] if bundle else rel.parent.parts
        name = rel.parent.name if bundle else stem
        read = read_post_file(path, ctx)
        if read is None:
            continue
        meta, body, line = read
        meta = siteconfig.lower_keys(meta)
        page_path = "/".join([*parts, name])
        names = [page_path, page_path + ".md", f"{page_path}/index.md", f"{page_path}/index", name, rel.as_posix(), "/".join([*parts, path.name])]
        yield {"path": path, "meta": meta, "body": body, "line": line, "lang": lang, "name": name, "parts": parts,
               "section": parts[0] if parts else "", "slug": str(meta.get("slug") or name), "names": names}


def _url(p: dict, config: dict, permalinks: dict, base: str, prefix: str) -> str:
    meta, parts, section, slug, name = p["meta"], p["parts"], p["section"], p["slug"], p["name"]
    date = date_of(meta.get("date") or meta.get("publishdate"))
    if meta.get("url"):
        link = str(meta["url"])
    elif isinstance(permalinks, dict) and section in permalinks:
        link = prefix + _permalink(str(permalinks[section]), date, slug, name, section, str(meta.get("title") or ""))
    else:
        link = prefix + "/" + "/".join([*parts, slug]) + "/"
    if not config.get("disablepathtolower"):
        link = link.lower()
    return absolute(base, link.replace(" ", "-"))


def _post(p: dict, base: str, urls: dict, by_path: dict, hosts: set[str], images: SiteImages, ctx: ImportContext) -> ImportedPost | None:
    meta, path = p["meta"], p["path"]

    def ref(given: str) -> str | None:
        key, _, fragment = given.strip().strip("\"'").partition("#")
        key = key.strip("/")
        if not key:
            return None
        found = urls.get(key) or urls.get(re.sub(r"\.[a-z]{2,3}(?:-[a-z]+)?\.md$", ".md", key)) or urls.get(key.rsplit("/", 1)[-1].removesuffix(".md"))
        return found + ("#" + fragment if fragment and found else "") if found else None

    body = canonical_links(shortcodes.expand(p["body"], path, p["line"], ref, ctx.diags), by_path, hosts)
    body = images.rewrite(body, p["slug"], path.parent, path, p["line"], ctx.diags, original=p["body"], as_html=path.suffix == ".html")
    body = convert_html(path, body, p["line"], ctx) if path.suffix == ".html" else clean_markdown(body)
    if body is None:
        return None
    authors = meta.get("author") or meta.get("authors")
    post_meta = {
        "title": plain(str(meta.get("title") or p["name"])),
        "date": date_of(meta.get("date") or meta.get("publishdate")),
        "draft": True if meta.get("draft") is True else None,
        "url": p["url"],
        "aliases": [absolute(base, a) for a in words(meta.get("aliases"))],
        "author": ", ".join(words(authors)) if isinstance(authors, list) else plain(str(authors or "")),
        "categories": words(meta.get("categories")),
        "tags": words(meta.get("tags")),
        "excerpt": plain(str(meta.get("summary") or meta.get("description") or "")),
    }
    return make_post(decode_slug(p["slug"]), post_meta, body, Location(path, 1))


def _permalink(pattern: str, date, slug: str, name: str, section: str, title: str) -> str:
    import datetime as dt

    d = date if isinstance(date, dt.date) else dt.date(1970, 1, 1)
    values = {
        "year": f"{d.year:04d}", "month": f"{d.month:02d}", "day": f"{d.day:02d}", "slug": slug, "filename": name,
        "contentbasename": name, "section": section, "sections": section, "title": slugify(title) if title else slug,
    }
    return re.sub(r":(year|month|day|slug|filename|contentbasename|sections|section|title)", lambda m: values[m.group(1)], pattern)
