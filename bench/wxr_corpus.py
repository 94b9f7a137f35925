"""A synthetic WordPress export of the size of the real blog: 2829 posts, 15 016 comments.

    python bench/wxr_corpus.py OUT.wxr [--posts 2829] [--comments 15016] [--seed 2010]

Deterministic (one seeded random generator): the same arguments give the same bytes. Besides the
published posts and their approved comments, the export holds what a real one does and the importer
must leave out: drafts, pages, attachments, revisions, menu items, spam and pingbacks. Content mixes
the classic editor (no <p>) and the block editor, lists, tables, captioned images, links between
posts in several URL shapes, accented titles with percent-encoded slugs. Written as a stream.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SITE = "https://www.exemple-blogue.com"
WORDS = (
    "les médias sociaux changent la façon dont les entreprises parlent à leurs clients et la réputation se bâtit "
    "chaque jour dans la conversation une stratégie réfléchie passe avant les outils on écoute on participe "
    "puis on mesure ce qui compte vraiment pour la marque le blogue demeure le centre de cette présence en ligne "
    "où l’on publie des idées qui durent plus longtemps qu’un gazouillis éphémère à Montréal comme à Québec "
    "les gestionnaires découvrent que l’influence ne se mesure pas au nombre d’abonnés mais à la confiance"
).split()
TITLE_WORDS = ["stratégie", "réputation", "influence", "médias", "sociaux", "marketing", "Québec", "Montréal", "été", "réseaux", "pouvoir", "écoute", "clients", "marque", "blogue", "éthique", "données", "vie", "privée", "télévision"]
NAMES = ["Jean Tremblay", "Marie Gagnon", "Luc Roy", "Sophie Côté", "Pierre Bouchard", "Julie Gauthier", "André Morin", "Isabelle Lavoie", "François Fortin", "Nathalie Gagné"]


@dataclass
class Counts:
    posts: int = 0
    comments: int = 0  # approved comments, the ones the importer keeps
    left_out: int = 0  # items left out (drafts, pages, attachments, revisions, menu items)
    left_out_comments: int = 0  # spam and pingbacks


def _slug(title: str) -> str:
    text = unicodedata.normalize("NFC", title.lower())
    text = "".join(c if c.isalnum() else "-" for c in text)
    return "-".join(filter(None, text.split("-")))


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 22)) for _ in range(rng.randint(2, 5)))


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _link(rng: random.Random, earlier: list[tuple[int, str, dt.datetime]]) -> str:
    wp_id, slug, when = rng.choice(earlier)
    shape = rng.randrange(4)
    if shape == 0:
        url = f"{SITE}/?p={wp_id}"
    elif shape == 1:
        url = f"{SITE}/{when:%Y/%m/%d}/{slug}/"
    elif shape == 2:
        url = f"http://exemple-blogue.com/{when:%Y/%m}/{slug}"
    else:
        url = f"{SITE}/{slug}/"
    return f'<a href="{url}">un billet précédent</a>'


def _content(rng: random.Random, earlier, when: dt.datetime, block: bool) -> str:
    parts = []
    for n in range(rng.randint(3, 7)):
        text = _paragraph(rng)
        if earlier and rng.random() < 0.4:
            text += " Voir " + _link(rng, earlier) + "."
        parts.append(f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" if block else text)
        r = rng.random()
        if r < 0.15:
            items = "".join(f"<li>{_sentence(rng, 5)}</li>" for _ in range(rng.randint(2, 5)))
            parts.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->" if block else f"<ul>\n{items}\n</ul>")
        elif r < 0.2:
            rows = "".join(f"<tr><td>{rng.choice(TITLE_WORDS)}</td><td>{rng.randint(1, 999)}</td></tr>" for _ in range(3))
            parts.append(f"<table><tbody>{rows}</tbody></table>")
        elif r < 0.26:
            img = f"{SITE}/wp-content/uploads/{when:%Y/%m}/image-{rng.randrange(10**6)}-300x200.jpg"
            if block:
                parts.append(f'<!-- wp:image -->\n<figure class="wp-block-image"><img src="{img}" alt="Une image"/><figcaption>Une légende</figcaption></figure>\n<!-- /wp:image -->')
            else:
                parts.append(f'[caption id="attachment_1" align="alignnone" width="300"]<img src="{img}" alt="Une image" width="300" height="200" /> Une légende[/caption]')
    return "\n\n".join(parts)


def _comment(rng: random.Random, cid: int, parent: int, when: dt.datetime, approved: str, ctype: str = "") -> str:
    name = rng.choice(NAMES)
    local = when.strftime("%Y-%m-%d %H:%M:%S")
    gmt = (when + dt.timedelta(hours=5)).strftime("%Y-%m-%d %H:%M:%S")
    text = "\n".join(_sentence(rng, rng.randint(6, 25)) for _ in range(rng.randint(1, 3)))
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{cid}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{_cdata(name)}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{_cdata(name.split()[0].lower() + '@courriel.example')}</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_IP>{_cdata(f'192.0.2.{cid % 250}')}</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{_cdata(local)}</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{_cdata(gmt)}</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{_cdata(text)}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{_cdata(approved)}</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{_cdata(ctype)}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
        "\t\t</wp:comment>\n"
    )


def _item(wp_id: int, title: str, slug: str, when: dt.datetime, status: str, ptype: str, content: str, extra: str = "", link: str | None = None) -> str:
    link = link or (f"{SITE}/{when:%Y/%m/%d}/{slug}/" if status == "publish" else f"{SITE}/?p={wp_id}")
    return (
        "\t<item>\n"
        f"\t\t<title>{_cdata(title)}</title>\n"
        f"\t\t<link>{link}</link>\n"
        f"\t\t<pubDate>{(when + dt.timedelta(hours=5)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>\n"
        "\t\t<dc:creator><![CDATA[mblanc]]></dc:creator>\n"
        f"\t\t<guid isPermaLink=\"false\">{SITE}/?p={wp_id}</guid>\n"
        f"\t\t<content:encoded>{_cdata(content)}</content:encoded>\n"
        "\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
        f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n"
        f"\t\t<wp:post_date>{_cdata(when.strftime('%Y-%m-%d %H:%M:%S'))}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{_cdata((when + dt.timedelta(hours=5)).strftime('%Y-%m-%d %H:%M:%S'))}</wp:post_date_gmt>\n"
        f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>\n"
        f"\t\t<wp:status>{_cdata(status)}</wp:status>\n"
        f"\t\t<wp:post_type>{_cdata(ptype)}</wp:post_type>\n"
        "\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n"
        f"{extra}"
        "\t</item>\n"
    )


def write_corpus(out: Path, posts: int = 2829, comments: int = 15016, seed: int = 2010) -> Counts:
    rng = random.Random(seed)
    counts = Counts()
    # how many approved comments each post gets: skewed, exact total
    weights = [rng.paretovariate(1.2) for _ in range(posts)]
    per_post = [0] * posts
    for index in rng.choices(range(posts), weights=weights, k=comments):
        per_post[index] += 1
    start = dt.datetime(2006, 1, 15, 9, 0)
    earlier: list[tuple[int, str, dt.datetime]] = []
    next_id, next_comment = 100, 1000
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"\t<title>Exemple de blogue</title>\n\t<link>{SITE}</link>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
            "\t<wp:author><wp:author_login><![CDATA[mblanc]]></wp:author_login><wp:author_display_name><![CDATA[Michelle Blanc]]></wp:author_display_name></wp:author>\n"
        )
        for n in range(posts):
            when = start + dt.timedelta(hours=n * 61 + rng.randrange(60))
            words = rng.sample(TITLE_WORDS, rng.randint(2, 5))
            title = " ".join(words).capitalize() + f" ({n + 1})"
            slug = quote(_slug(title), safe="-").lower()
            wp_id, next_id = next_id, next_id + 1
            thread = ""
            ids: list[int] = []
            moment = when
            for _ in range(per_post[n]):
                moment += dt.timedelta(minutes=rng.randint(5, 600))
                parent = rng.choice(ids) if ids and rng.random() < 0.3 else 0
                thread += _comment(rng, next_comment, parent, moment, "1")
                ids.append(next_comment)
                next_comment += 1
            for _ in range(1 if rng.random() < 0.1 else 0):
                thread += _comment(rng, next_comment, 0, moment, "spam")
                next_comment, counts.left_out_comments = next_comment + 1, counts.left_out_comments + 1
            for _ in range(1 if rng.random() < 0.03 else 0):
                thread += _comment(rng, next_comment, 0, moment, "1", "pingback")
                next_comment, counts.left_out_comments = next_comment + 1, counts.left_out_comments + 1
            terms = f'\t\t<category domain="category" nicename="strategie"><![CDATA[{rng.choice(["Stratégie", "Réputation", "Influence"])}]]></category>\n'
            f.write(_item(wp_id, title, slug, when, "publish", "post", _content(rng, earlier, when, block=n % 5 >= 3), terms + thread))
            counts.posts += 1
            counts.comments += per_post[n]
            earlier.append((wp_id, slug, when))
            # what a real export holds besides: revisions, attachments, drafts, pages, menu items
            extras = []
            if rng.random() < 0.25:
                extras.append((f"{wp_id}-revision-v1", "inherit", "revision"))
            if rng.random() < 0.3:
                extras.append((f"image-{wp_id}", "inherit", "attachment"))
            if rng.random() < 0.05:
                extras.append((f"brouillon-{wp_id}", "draft", "post"))
            if n % 250 == 0:
                extras.append((f"page-{wp_id}", "publish", "page"))
                extras.append((f"menu-{wp_id}", "publish", "nav_menu_item"))
            for name, status, ptype in extras:
                extra_id, next_id = next_id, next_id + 1
                f.write(_item(extra_id, name, name, when, status, ptype, _paragraph(rng) if ptype != "attachment" else ""))
                counts.left_out += 1
        f.write("</channel>\n</rss>\n")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=2829)
    parser.add_argument("--comments", type=int, default=15016)
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()
    counts = write_corpus(args.out, args.posts, args.comments, args.seed)
    print(f"{args.out}: {counts.posts} posts, {counts.comments} approved comments, {counts.left_out} other items, {counts.left_out_comments} spam/pingbacks, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
