"""A Jekyll site, as sites are written: its ``_posts`` folders, configuration, data and Liquid.

SOURCE is the site's root or a ``_posts`` folder. Posts are where Jekyll finds them: ``_posts``,
and the ``_posts`` of a subfolder (``fr/_posts``, ``en/_posts`` on a multilingual site, whose name
is then the post's language; ``blog/_posts``, whose name is a category in the URL, as Jekyll has
it). ``--lang`` picks a language; without it, the site's ``lang`` (or its first ``languages``) does,
and posts of other languages are left out and counted. A post whose front matter says ``lang:``
(or ``language:``) has that language.

``_config.yml`` (and ``_config.<lang>.yml``, see ``siteconfig``) gives ``url``, ``baseurl`` (or
per-language maps of them), ``permalink`` (default ``date``: ``/:categories/:year/:month/:day/
:title.html``; ``pretty``, ``ordinal``, ``none`` or a pattern) and what ``{{ site.X }}`` shows;
``published: false`` is a draft. Liquid is resolved by ``liquid``; a link that names a post of the
site (a site path, or an address on one of the site's hosts, in any language) is rewritten to the
post's own URL, which the book's cross-references know.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from blog2book.diagnostics import Location, error, warning
from blog2book.importers import ImportContext, ImportedPost, decode_slug, make_post, plain
from blog2book.importers import liquid, siteconfig
from blog2book.importers.siteimages import SiteImages
from blog2book.importers.staticgen import POST_FILES, absolute, canonical_links, clean_markdown, convert_html, date_of, inside, jekyll_language_folders, norm_path, read_post_file, words

_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_LANG_NAME = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
OTHER_LANGUAGES = "other-language posts (--lang)"


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.lower().replace("_", "-").split("-")[0] == b.lower().replace("_", "-").split("-")[0]


def _folders(source: Path) -> tuple[Path, list[tuple[Path, str | None]]]:
    """The site's root and its posts folders, each with the folder that holds it ('' for the root)."""
    if source.name == "_posts":
        root = source.parent
        if not any((root / n).is_file() for n in ("_config.yml", "_config.yaml")) and any((root.parent / n).is_file() for n in ("_config.yml", "_config.yaml")):
            return root.parent, [(source, root.name)]
        return root, [(source, "")]
    found = [(source / "_posts", "")] if (source / "_posts").is_dir() else []
    return source, found + [(p, p.parent.name) for p in jekyll_language_folders(source)]


def read(source: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    root, folders = _folders(source)
    if not folders:
        ctx.diags.append(error("import.source", "no _posts folder here: not a Jekyll site", Location(source), "name the site's folder or its _posts folder"))
        return
    languages = sorted({name for _, name in folders if _LANG_NAME.match(name)})
    try:
        config = siteconfig.jekyll_config(root, ctx.options.lang, ctx.diags)
    except siteconfig.ConfigProblem as exc:
        ctx.diags.append(exc.diagnostic)
        return
    declared = config.get("languages") if isinstance(config.get("languages"), list) else []
    wanted = ctx.options.lang or config.get("lang") or config.get("default_lang") or (declared[0] if declared else None) or (languages[0] if len(languages) > 1 else None)
    wanted = str(wanted) if wanted else None
    if ctx.options.lang and languages and not any(_same(ctx.options.lang, lang) for lang in languages):
        ctx.diags.append(error("import.lang", f"the site has no posts in '{ctx.options.lang}': its language folders are {', '.join(languages)}", Location(source), "name one of them with --lang"))
        return
    data = siteconfig.jekyll_data(root, ctx.diags)
    style = str(config.get("permalink") or "date")
    pattern = _STYLES.get(style, style)
    posts = list(_index(root, folders, ctx, config, pattern, wanted))
    by_name = {}
    for p in sorted(posts, key=lambda p: not _same(p["lang"], wanted)):  # a name in the language imported first
        for key in p["names"]:
            by_name.setdefault(key, p["url"])
    by_path = {}
    for p in posts:
        for key in _path_keys(p["url"], config, languages):
            by_path.setdefault(key, p["url"])
    hosts = siteconfig.site_hosts(config)
    lang_folders = [root / name for name in languages if _same(name, wanted)] if wanted else [root / name for name in languages]
    images = SiteImages(Path(os.path.abspath(root)), [Path(os.path.abspath(root)), *[Path(os.path.abspath(f)) for f in lang_folders]], hosts, str(siteconfig.pick(config.get("baseurl"), wanted) or ""), wanted)
    images.copies = ctx.files
    for n, p in enumerate(posts, 1):
        if ctx.step:
            ctx.step(n, len(posts))
        if languages or ctx.options.lang:
            if p["lang"] and wanted and not _same(p["lang"], wanted):
                ctx.left_out[OTHER_LANGUAGES] += 1
                continue
        if p["meta"].get("published") is False and "drafts" not in ctx.options.include:
            ctx.left_out["drafts"] += 1
            continue
        post = _post(p, root, config, data, by_name, by_path, hosts, images, ctx)
        if post is not None:  # an HTML post too large or pandoc could not: said at its line
            yield post


def _index(root: Path, folders, ctx: ImportContext, config: dict, pattern: str, wanted: str | None):
    """Every post of every folder, its front matter read: names, URL, language (for links between posts)."""
    for folder, holder in folders:
        paths = sorted(p for p in folder.rglob("*") if p.suffix in POST_FILES and p.is_file())
        for path in paths:
            if not inside(path, root, ctx):
                continue
            m = _NAME.match(path.stem)
            if not m:
                ctx.diags.append(warning("import.jekyll-name", "not a post name (YYYY-MM-DD-title): skipped", Location(path), "rename it like 2010-03-05-title.md"))
                continue
            read = read_post_file(path, ctx)
            if read is None:
                continue
            meta, body, line = read
            lang = str(meta.get("lang") or meta.get("language") or (holder if _LANG_NAME.match(holder or "") else "") or wanted or "") or None
            date = date_of(meta.get("date")) or dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            slug = str(meta.get("slug") or m.group(4))
            categories = words(meta.get("categories")) or words(meta.get("category"))
            in_url = ([holder] if holder else []) + categories  # the folder holding _posts is a category
            link = str(meta.get("permalink") or _url(pattern, date, slug, in_url, ".html"))
            url = absolute(siteconfig.site_address(config, lang), link)
            rel = path.relative_to(folder).with_suffix("").as_posix()
            names = [path.stem, rel, f"{holder}/{path.stem}" if holder else path.stem, f"{holder}/_posts/{path.name}" if holder else f"_posts/{path.name}"]
            yield {"path": path, "meta": meta, "body": body, "line": line, "lang": lang, "date": date, "slug": slug,
                   "categories": categories, "url": url, "link": link, "names": names}


def _path_keys(url: str, config: dict, languages: list[str]) -> list[str]:
    """The paths a link may give for a post: its own, without the site's baseurl, without its language folder."""
    path = urlsplit(url).path if urlsplit(url).hostname else url
    keys = [path]
    base = str(siteconfig.pick(config.get("baseurl"), None) or "").strip("/")
    if base and path.startswith(f"/{base}/"):
        keys.append(path[len(base) + 1:])
    for key in list(keys):
        first = key.strip("/").split("/")[0]
        if first in languages:
            keys.append(key[len(first) + 1:])
    return [norm_path(k) for k in keys]


def _post(p: dict, root: Path, config: dict, data: dict, by_name, by_path, hosts, images: SiteImages, ctx: ImportContext) -> ImportedPost | None:
    meta, path, lang = p["meta"], p["path"], p["lang"]
    page = dict(meta)
    page.update({"title": meta.get("title") or "", "url": p["link"], "date": p["date"], "slug": p["slug"], "categories": p["categories"],
                 "tags": words(meta.get("tags")), "lang": lang, "language": meta.get("language") or lang})
    site_vars = dict(config)
    site_vars["data"] = data
    address = siteconfig.site_address(config, lang)
    baseurl = str(siteconfig.pick(config.get("baseurl"), lang) or "")
    site = liquid.Site({"site": site_vars, "page": page}, lang, address, baseurl,
                       lambda name: by_name.get(name.strip("/")) or by_name.get(name.strip("/").rsplit("/", 1)[-1]),
                       lambda given: _link(given, by_name, address), ctx.diags)
    body = liquid.resolve(p["body"], path, p["line"], site)
    body = canonical_links(body, by_path, hosts)
    body = images.rewrite(body, p["slug"], path.parent, path, p["line"], ctx.diags, original=p["body"], as_html=path.suffix == ".html")
    body = convert_html(path, body, p["line"], ctx) if path.suffix == ".html" else clean_markdown(body)
    if body is None:
        return None
    post_meta = {
        "title": plain(str(siteconfig.pick(meta.get("title"), lang) or p["slug"].replace("-", " ").capitalize())),
        "date": p["date"],
        "draft": True if meta.get("published") is False else None,
        "url": p["url"],
        "aliases": [absolute(address, a) for a in words(meta.get("redirect_from"))],
        "author": plain(str(siteconfig.pick(meta.get("author"), lang) or "")),
        "categories": p["categories"],
        "tags": words(meta.get("tags")) or words(meta.get("tag")),
        "excerpt": plain(str(meta.get("excerpt") or meta.get("description") or "")),
    }
    return make_post(decode_slug(p["slug"]), post_meta, body, Location(path, 1))


def _link(given: str, by_name: dict, address: str) -> str | None:
    """``{% link PATH %}``: a post's URL, or a page's address."""
    given = given.strip().lstrip("/")
    stem = Path(given).with_suffix("").as_posix()
    for key in (given, stem, stem.rsplit("/", 1)[-1]):
        if key in by_name:
            return by_name[key]
    if "_posts/" in given:
        return None
    page = re.sub(r"\.(md|markdown|html)$", ".html", given)
    return absolute(address, "/" + page) if address else "/" + page


def _url(pattern: str, date, title: str, categories: list[str], ext: str) -> str:
    d = date if isinstance(date, dt.date) else dt.date.today()
    values = {
        "year": f"{d.year:04d}", "short_year": f"{d.year % 100:02d}", "month": f"{d.month:02d}", "i_month": str(d.month),
        "day": f"{d.day:02d}", "i_day": str(d.day), "y_day": f"{d.timetuple().tm_yday:03d}",
        "title": title, "slug": title, "categories": "/".join(c.lower() for c in categories), "output_ext": ext,
    }
    url = re.sub(r":(short_year|year|i_month|month|i_day|y_day|day|title|slug|categories|output_ext)", lambda m: values[m.group(1)], pattern)
    return re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))
