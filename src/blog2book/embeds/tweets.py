"""Tweets set as quotations, with their source.

* a block quote whose last paragraph is only a status URL (``twitter.com/<account>/status/<id>``,
  ``/statuses/``, ``#!/``, ``mobile.twitter.com``, ``x.com``; a ``Str`` or an autolink), or
  whose last paragraph ends with such a URL after a line break or space;
* a paragraph whose text ends with a status URL (the text is the tweet), unless the text ends
  with ``:`` (then it introduces the tweet: the paragraph stays, the tweet follows it alone);
* WordPress's ``<blockquote class="twitter-tweet">…</blockquote>`` (its ``&mdash; Name (@handle)
  <a href=status>date</a>`` line gives the attribution; the date is re-written in the book's
  language when it can be read);
become::

    Div(class "tweet", data-url=<url>)
      BlockQuote(<the tweet's text>)
      Div(class "tweet-source")
        Para("—\u00a0@account," Link(<url>, text=<url>))       (or "— Name (@account), date, <link>")

A paragraph that is only a status URL has no text to quote: the Div holds only the tweet-source
Para "Gazouillis de @account\u00a0: <link>" / "Tweet by @account: <link>". The link text is the
URL itself (class ``uri``), which tells the link pass not to repeat it in a note.
A block quote of one or two short paragraphs that opens on an ``@handle`` but gives no status URL
(a reply quoted without its address) is a tweet too: ``Div(class "tweet tweet-no-url")``
holding the BlockQuote, set like the other tweets, without a source line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from blog2book import lang as lang_mod
from blog2book import tree
from blog2book.embeds.common import autolink, text_inlines, url_of, with_scheme

if TYPE_CHECKING:
    from blog2book.embeds.converter import Converter

_STATUS = re.compile(
    r"^(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/(?:#!/)?"
    r"(?:i/web|(?P<account>[A-Za-z0-9_]{1,15}))/status(?:es)?/(?P<id>\d+)(?:[/?#][^\s]*)?$",
    re.I,
)
# "— @handle" or "-- Name" typed by the author before the status URL: the book writes its own.
_ATTRIBUTION_LINE = re.compile(r"^\s*(?:—|–|--?)\s*@?[\w .()@]{1,60}$")

_MONTHS = {
    name: i + 1
    for names in (
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"),
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"),
    )
    for i, name in enumerate(names)
}


def status(url: str) -> re.Match | None:
    """The match of a tweet's status URL (its ``account`` and ``id``), None for another URL."""
    return _STATUS.match(url.strip())


# ---------------------------------------------------------------- the tweet


def tweet(conv: Converter, url: str, text_blocks: list, needle: str, name: str | None = None, date: str | None = None) -> dict:
    """The Div of a tweet: its text quoted with its source line, or its source line alone."""
    m = status(url)
    account = m.group("account") if m else None
    handle = f"@{account}" if account else None
    link = autolink(url)
    if text_blocks:
        who = []
        if name and handle:
            who.append(f"{name} ({handle})")
        elif handle or name:
            who.append(handle or name)
        if date:
            who.append(date)
        label = "—\u00a0" + ", ".join(who) + ("," if who else "")
        source = tree.Para(text_inlines(label) + [tree.Space(), link])
        body = [tree.BlockQuote(text_blocks), tree.Div("", ["tweet-source"], [source])]
        conv.find("info", "embed.tweet", f"tweet {url} set as a quotation", needle)
    else:
        if handle:
            label = f"{conv.words['tweet']} {handle}{conv.words['colon']}"
        else:
            label = f"{conv.words['tweet_noun']}{conv.words['colon']}"
        source = tree.Para(text_inlines(label) + [tree.Space(), link])
        body = [tree.Div("", ["tweet-source"], [source])]
        conv.find(
            "info",
            "embed.tweet",
            f"tweet {url} has no text in the post: the book prints only its address "
            "(paste its text above it as a block quote to print it)",
            needle,
        )
    return conv.final(tree.Div("", ["tweet"], body, attrs=[("data-url", url)]))


# ---------------------------------------------------------------- where tweets are found


def ending_tweet(conv: Converter, t: str, inlines: list) -> list | None:
    """A paragraph (``t``: Para or Plain) that ends with a status URL: the tweet it quotes, or, when
    its text ends with ``:``, the paragraph followed by the tweet alone."""
    tail = _status_tail(inlines)
    if tail is None:
        return None
    before, url, needle = tail
    intro = tree.stringify(before).rstrip()
    url = with_scheme(url)
    if intro.endswith(":"):
        return [{"t": t, "c": before}, tweet(conv, url, [], needle)]
    return [tweet(conv, url, [tree.Para(before)], needle)]


def quoted_tweets(conv: Converter, children: list) -> list | None:
    """The tweets a block quote (its ``children``) stands for, if it is one or more tweets."""
    tweets = _blockquote_tweets(conv, children)
    if tweets is not None:
        return tweets
    found = _attributed_tweet(conv, children)
    if found is not None:
        return [found]
    if not conv.quiet_depth and _is_reply(children):  # « @someone … » with no status URL: a tweet all the same, set as one
        return [conv.final(tree.Div("", ["tweet", "tweet-no-url"], [tree.BlockQuote(conv.quiet_blocks(children))]))]
    return None


def _blockquote_tweets(conv: Converter, children: list) -> list | None:
    """The tweets of a block quote that ends with a status URL (one per status URL in it)."""
    if not children or children[-1]["t"] not in ("Para", "Plain") or _status_tail(children[-1]["c"]) is None:
        return None
    tweets: list = []
    group: list = []
    for child in children:
        tail = _status_tail(child["c"]) if child["t"] in ("Para", "Plain") else None
        if tail is None:
            group.append(child)
            continue
        before, url, needle = tail
        if before and not _ATTRIBUTION_LINE.match(tree.stringify(before)):
            group.append(tree.Para(before))
        text_blocks = [{"t": "Para", "c": x["c"]} if x["t"] == "Plain" else x for x in conv.quiet_blocks(group)]
        tweets.append(tweet(conv, with_scheme(url), text_blocks, needle))
        group = []
    return tweets


def _attributed_tweet(conv: Converter, children: list) -> dict | None:
    """A block quote ending with WordPress's "— Name (@handle) [date](status URL)" line (what the
    importer makes of a ``blockquote.twitter-tweet``)."""
    if conv.quiet_depth or not children or children[-1]["t"] not in ("Para", "Plain"):
        return None
    found = _attribution(children[-1]["c"])
    if found is None:
        return None
    url, name, _, date_text = found
    text_blocks = [{"t": "Para", "c": x["c"]} if x["t"] == "Plain" else x for x in conv.quiet_blocks(children[:-1])]
    url = _canonical_status(url)
    return tweet(conv, url, text_blocks, url.split("://", 1)[-1], name=name or None, date=_tweet_date(conv, date_text))


def wordpress_tweet(conv: Converter, blocks: list, needle: str) -> dict | None:
    """The tweet of WordPress's ``<blockquote class="twitter-tweet">``, given the blocks made of
    its content; None when no status URL is found in it."""
    url = None
    name = date = None
    text_blocks: list = []
    for b in blocks:
        if b["t"] in ("Para", "Plain") and url is None:
            found = _attribution(b["c"])
            if found is not None:
                url, name, handle_text, date_text = found
                name = name or None
                date = _tweet_date(conv, date_text)
                continue
        text_blocks.append({"t": "Para", "c": b["c"]} if b["t"] == "Plain" else b)
    if url is None:
        for b in blocks:
            for link in _links(b):
                if status(link):
                    url = link
        if url is None:
            return None
    url = _canonical_status(url)
    return tweet(conv, url, text_blocks, url.split("://", 1)[-1], name=name, date=date)


# ---------------------------------------------------------------- helpers


def _is_reply(children: list) -> bool:
    """A block quote of one or two short paragraphs opening on an @handle: a tweet quoted without
    its address."""
    if not children or len(children) > 2 or any(b["t"] not in ("Para", "Plain") for b in children):
        return False
    first = children[0]["c"]
    text = tree.stringify(children)
    return bool(first) and first[0].get("t") == "Str" and bool(re.match(r"@\w+", first[0]["c"])) and len(text) <= 320


def _status_tail(inlines: list) -> tuple[list, str, str] | None:
    """(inlines before, status URL, needle) when ``inlines`` ends with a tweet's status URL."""
    inlines = tree.strip_spaces(inlines)
    if not inlines:
        return None
    found = url_of(inlines[-1])
    if found is None or not status(found[0]):
        return None
    before = inlines[:-1]
    if before and before[-1]["t"] not in ("Space", "SoftBreak", "LineBreak"):
        return None
    return tree.strip_spaces(before), found[0], found[1]


def _canonical_status(url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    return re.sub(r"[?#].*$", "", url) if "#!/" not in url else re.sub(r"\?.*$", "", url)


def _links(node: Any) -> list[str]:
    found: list[str] = []

    def visit(n: Any) -> None:
        if isinstance(n, list):
            for x in n:
                visit(x)
        elif isinstance(n, dict):
            if n.get("t") == "Link":
                found.append(n["c"][2][0])
            for v in n.values():
                visit(v)

    visit(node)
    return found


def _attribution(inlines: list) -> tuple[str, str, str, str] | None:
    """WordPress's "— Name (@handle) <a href=status>date</a>": (url, name, handle, date text)."""
    text = tree.stringify(inlines).strip()
    if not re.match(r"^(?:—|–|&mdash;|--)", text):
        return None
    for k, el in enumerate(inlines):
        if el["t"] == "Link" and status(el["c"][2][0]):
            who = tree.stringify(inlines[:k]).strip()
            who = re.sub(r"^(?:—|–|&mdash;|--)\s*", "", who)
            m = re.match(r"^(?P<name>.*?)\s*\(\s*(?P<handle>@\w+)\s*\)\s*$", who)
            name, handle = (m.group("name"), m.group("handle")) if m else (who, "")
            return el["c"][2][0], name.strip(), handle, tree.stringify(el["c"][1])
    return None


def _tweet_date(conv: Converter, text: str) -> str | None:
    d = _parse_date(text)
    return lang_mod.format_date(d, conv.lang) if d else None


def _parse_date(text: str) -> dt.date | None:
    t = text.strip().lower().replace(".", "")
    m = re.match(r"^(\w+)\s+(\d{1,2}),?\s+(\d{4})$", t)  # November 24, 2010
    if m and m.group(1) in _MONTHS:
        month, day, year = _MONTHS[m.group(1)], int(m.group(2)), int(m.group(3))
    else:
        m = re.match(r"^(\d{1,2})(?:er)?\s+(\w+)\s+(\d{4})$", t)  # 24 novembre 2010
        if not (m and m.group(2) in _MONTHS):
            return None
        day, month, year = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
