"""The index's terms: from the manuscript (``index: terms, people, titles``), the posts' tags, and
how each is found in the text and filed (a person by surname, a title in italics)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from blog2book.diagnostics import Location
from blog2book.manifest import IndexSpec
from blog2book.model import Book


@dataclass
class Term:
    head: str
    sub: str | None
    pattern: re.Pattern | None  # None: only where the author marked it
    need: re.Pattern | None = None  # a sub-entry from the manuscript: the paragraph must hold it too
    location: Location | None = None
    tag: str | None = None  # the tag it comes from (casefolded): the posts tagged with it are its subject
    kind: str = ""  # Entry.kind


def term_pattern(words: str) -> re.Pattern:
    """The words as a whole, in any case, spaces of any kind between them; not inside an address
    (« twitter.com/… », « www.twitter.com », « @twitter »): a word after ``/``, ``.`` or ``@``, or
    before a dot or slash that goes on, is part of a URL, a domain or a handle."""
    parts = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in words.split()]
    return re.compile(r"(?<![\w/.@])" + r"[\s\u00a0\u202f]+".join(parts) + r"(?!\w|[./]\w)", re.I)


def split_term(term: str) -> tuple[str, str | None]:
    head, _, sub = term.partition("!")
    return head.strip(), (sub.strip() or None)


def person(name: str) -> tuple[str, str]:
    """A person's name -> (as filed, as written): « Malcolm Gladwell » -> (« Gladwell, Malcolm »,
    « Malcolm Gladwell »); a name already inverted (« Gladwell, Malcolm ») keeps its form. The surname
    is the last word: a compound one (« La Fontaine, Jean de ») is written inverted."""
    name = " ".join(name.split())
    if "," in name:
        surname, _, given = name.partition(",")
        return name, f"{given.strip()} {surname.strip()}".strip()
    given, _, surname = name.rpartition(" ")
    return (f"{surname}, {given}" if given else name), name


class Names:
    """The manuscript's people and titles: how a term is filed and what kind of entry it makes."""

    def __init__(self, spec: IndexSpec):
        self.people = {}
        for name, _ in spec.people:
            filed, written = person(name)
            self.people[written.casefold()] = self.people[filed.casefold()] = (filed, written)
        self.titles = {t.casefold() for t, _ in spec.titles}

    def term(self, head: str, sub: str | None, loc: Location | None = None, tag: str | None = None) -> Term:
        filed, written = self.people.get(head.casefold(), (head, head))
        kind = "person" if head.casefold() in self.people else "title" if head.casefold() in self.titles else ""
        pattern = term_pattern(written)
        if kind == "person":  # « Malcolm Gladwell », or « Gladwell » alone, capitalised
            surname, _, given = filed.partition(",")
            pattern = re.compile(f"(?:{term_pattern(given).pattern}" + r"[\s\u00a0\u202f]+)?" + f"(?-i:{term_pattern(surname).pattern})", re.I) if given.strip() else pattern
        return Term(filed, sub, pattern, term_pattern(sub) if sub else None, loc, tag, kind)


def index_terms(spec: IndexSpec, book: Book) -> list[Term]:
    names = Names(spec)
    terms: list[Term] = []
    for text, loc in spec.terms:
        head, sub = split_term(text)
        terms.append(names.term(head, sub, loc))
    known = {t.head.casefold() for t in terms if t.sub is None}
    tags = {tag.strip().casefold(): tag.strip() for post in book.posts() for tag in post.tags if tag.strip()}
    for term in terms:
        if term.sub is None:
            written = names.people.get(term.head.casefold(), (term.head, term.head))[1]
            term.tag = next((t for t in (term.head.casefold(), written.casefold()) if t in tags), None)
    if spec.from_tags:
        for folded, tag in tags.items():
            filed = names.people.get(folded, (tag, tag))[0]
            if filed.casefold() not in known:
                known.add(filed.casefold())
                terms.append(names.term(tag, None, tag=folded))
    for text, loc in (*spec.people, *spec.titles):  # a name or a title is found in the text like a term
        filed, written = names.people.get(text.casefold(), (text, text))
        if filed.casefold() not in known:
            known.add(filed.casefold())
            terms.append(names.term(text, None, loc, written.casefold() if written.casefold() in tags else None))
    return terms
