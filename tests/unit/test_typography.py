"""French/English typography on the AST: every rule, what must change and what must stay.

Each row is (style, Markdown in, expected text out). The text out is a stringification that keeps
every code point and shows the inline structure that matters (``*emph*``, ``^sup^``, ``[link](url)``,
``\\n`` for a SoftBreak). Expected values spell U+202F and U+00A0 as escapes. Every row is also
checked for idempotence. All rows are parsed by pandoc in one call.
"""

from __future__ import annotations

import copy
import functools
import random

import pytest

from astshow import show
from blog2book import pandoc
from blog2book.typography import STYLES, Typography, apply, forbidden_forms, typography_for

N = "\u202f"  # narrow no-break space
B = "\u00a0"  # no-break space

# ---------------------------------------------------------------- helpers


# ---------------------------------------------------------------- the table

ROWS: list[tuple[str, str, str]] = [
    # --- ; ! ? in the book style (fr-CA): U+202F, added, normalised, never inside a cluster
    ("fr-CA", "Pis après?", f"Pis après{N}?"),
    ("fr-CA", "Pis après ?", f"Pis après{N}?"),
    ("fr-CA", f"Pis après{B}?", f"Pis après{N}?"),
    ("fr-CA", "Pis après\u2009?", f"Pis après{N}?"),
    ("fr-CA", f"Pis après{N}?", f"Pis après{N}?"),
    ("fr-CA", "Vraiment ?!", f"Vraiment{N}?!"),
    ("fr-CA", "Quoi!?", f"Quoi{N}!?"),
    ("fr-CA", "Non !!", f"Non{N}!!"),
    ("fr-CA", "Hein???", f"Hein{N}???"),
    ("fr-CA", "Et alors?…", f"Et alors{N}?…"),
    ("fr-CA", "Et alors ?...", f"Et alors{N}?…"),
    ("fr-CA", "oui; non", f"oui{N}; non"),
    ("fr-CA", "oui ; non", f"oui{N}; non"),
    ("fr-CA", "Bravo!", f"Bravo{N}!"),
    ("fr-CA", "*vraiment* ?", f"*vraiment*{N}?"),
    ("fr-CA", "*vraiment*?", f"*vraiment*{N}?"),
    ("fr-CA", "*Pis après?*", f"*Pis après{N}?*"),
    ("fr-CA", "C'est « bon » ?", f"C’est «{B}bon{B}»{N}?"),
    ("fr-CA", "(voir ceci) ?", f"(voir ceci){N}?"),
    ("fr-CA", "Pis après\n?", f"Pis après{N}?"),
    ("fr-CA", "(?)", "(?)"),
    ("fr-CA", "a?b", "a?b"),
    # --- : gets U+00A0
    ("fr-CA", "Attention: oui", f"Attention{B}: oui"),
    ("fr-CA", "Attention : oui", f"Attention{B}: oui"),
    ("fr-CA", f"Attention{N}: oui", f"Attention{B}: oui"),
    ("fr-CA", f"Attention{B}: oui", f"Attention{B}: oui"),
    ("fr-CA", "**Note** : oui", f"**Note**{B}: oui"),
    ("fr-CA", "Partager :", f"Partager{B}:"),
    ("fr-CA", "Conférencière : Les médias", f"Conférencière{B}: Les médias"),
    # --- : never in times, ratios, emoticons, URLs, :: or code
    ("fr-CA", "À 14:30 ou 8:00.", "À 14:30 ou 8:00."),
    ("fr-CA", "Un ratio 3:1 et Jean 3:16", "Un ratio 3:1 et Jean 3:16"),
    ("fr-CA", "Super :) et :-) et ;) et :( et :P et :D", "Super :) et :-) et ;) et :( et :P et :D"),
    ("fr-CA", "Bravo ;-)", "Bravo ;-)"),
    ("fr-CA", "std::vector", "std::vector"),
    ("fr-CA", "a:b", "a:b"),
    # --- URLs, e-mail, handles, hashtags are never touched
    ("fr-CA", "Voir http://example.com/a?b=1;c=2 ici", "Voir http://example.com/a?b=1;c=2 ici"),
    ("fr-CA", "Voir https://example.com/l'an...", "Voir https://example.com/l'an…"),
    ("fr-CA", "Voir www.example.com/page!x ici", "Voir www.example.com/page!x ici"),
    ("fr-CA", "Vu sur https://x.com?", f"Vu sur https://x.com{N}?"),
    ("fr-CA", "ftp://host/a;b et mailto:moi@ex.com", "ftp://host/a;b et mailto:moi@ex.com"),
    ("fr-CA", "Écrivez à jean.tremblay+blogue@exemple.qc.ca !", f"Écrivez à jean.tremblay+blogue@exemple.qc.ca{N}!"),
    ("fr-CA", "Le #hashtag et @MichelleBlanc !", f"Le #hashtag et @MichelleBlanc{N}!"),
    ("fr-CA", "Une URL entre guillemets \"http://a.b/c\".", f"Une URL entre guillemets «{B}http://a.b/c{B}»."),
    ("fr-CA", "Fichier C:\\\\dossier\\\\a.txt", "Fichier C:\\dossier\\a.txt"),
    # --- code, math and raw stay as written; link targets stay, link text changes
    ("fr-CA", "Le code `a ? b : c` ici ?", f"Le code `a ? b : c` ici{N}?"),
    ("fr-CA", "```\nx = \"a\" ? 1 : 2; // ...\n```", "```\nx = \"a\" ? 1 : 2; // ...\n```"),
    ("fr-CA", "Math $a:b$ ici", "Math $a:b$ ici"),
    ("fr-CA", "Brut <b title=\"x ? y\">gras</b>", "Brut <html:<b title=\"x ? y\">>gras<html:</b>>"),
    (
        "fr-CA",
        "[Voir l'article?](http://ex.com/?q='a'...)",
        f"[Voir l’article{N}?](http://ex.com/?q='a'...)",
    ),
    ("fr-CA", "Voir <http://ex.com/page?> et [http://ex.com/a?](http://ex.com/a?)", "Voir [http://ex.com/page?](http://ex.com/page?) et [http://ex.com/a?](http://ex.com/a?)"),
    ("fr-CA", "![L'image...](l'image.png)", "Figure[L’image…]{![L’image…](l'image.png)}"),
    ("fr-CA", "Voir ![l'image...](l'image.png) ici", "Voir ![l’image…](l'image.png) ici"),
    # --- quotes
    ("fr-CA", '"citation"', f"«{B}citation{B}»"),
    ("fr-CA", '" citation "', f"«{B}citation{B}»"),
    ("fr-CA", "« citation »", f"«{B}citation{B}»"),
    ("fr-CA", "«citation»", f"«{B}citation{B}»"),
    ("fr-CA", f"«{B}citation{B}»", f"«{B}citation{B}»"),
    ("fr-CA", f"«{N}citation{N}»", f"«{B}citation{B}»"),
    ("fr-CA", "“citation”", f"«{B}citation{B}»"),
    ("fr-CA", '"*Le Devoir*"', f"«{B}*Le Devoir*{B}»"),
    ("fr-CA", 'Il a dit "bonjour "toi" ici".', f"Il a dit «{B}bonjour “toi” ici{B}»."),
    ("fr-CA", '« Il a dit "oui" »', f"«{B}Il a dit “oui”{B}»"),
    ("fr-CA", "« Il a dit “oui” »", f"«{B}Il a dit “oui”{B}»"),
    ("fr-CA", "Un écran de 15\" seulement", "Un écran de 15\" seulement"),
    ("fr-CA", 'Le mot "Pis après?" revient', f"Le mot «{B}Pis après{N}?{B}» revient"),
    ("fr-CA", "Un d'« huile »", f"Un d’«{B}huile{B}»"),
    # --- apostrophe
    ("fr-CA", "l'année", "l’année"),
    ("fr-CA", "aujourd'hui", "aujourd’hui"),
    ("fr-CA", "'tite vite", "’tite vite"),
    ("fr-CA", "l’année", "l’année"),
    # --- ellipsis
    ("fr-CA", "Attends...", "Attends…"),
    ("fr-CA", "Attends....", "Attends…"),
    ("fr-CA", "[...]", "[…]"),
    ("fr-CA", "Les pommes, etc...", "Les pommes, etc."),
    ("fr-CA", "Les pommes, etc…", "Les pommes, etc."),
    ("fr-CA", "Les pommes, etc.", "Les pommes, etc."),
    # --- dashes
    ("fr-CA", "le texte - une incise - continue", "le texte – une incise – continue"),
    ("fr-CA", "le texte -- une incise -- continue", "le texte – une incise – continue"),
    ("fr-CA", "le texte\n- une incise", "le texte\n– une incise"),
    ("fr-CA", "*texte* - suite", "*texte* – suite"),
    ("fr-CA", "a---b", "a—b"),
    ("fr-CA", "de 1983-1989, p. 232-236", "de 1983-1989, p. 232-236"),
    ("fr-CA", "de 1983 - 1989", "de 1983 - 1989"),
    ("fr-CA", "porte-parole et socio-démo-marketing", "porte-parole et socio-démo-marketing"),
    # --- numbers and units
    ("fr-CA", "95% des gens", f"95{B}% des gens"),
    ("fr-CA", "95 % des gens", f"95{B}% des gens"),
    ("fr-CA", f"95{B}% des gens", f"95{B}% des gens"),
    ("fr-CA", f"95{N}%", f"95{B}%"),
    ("fr-CA", "75$ ou 75 $ ou 0,75 $ ou 10€", f"75{B}$ ou 75{B}$ ou 0,75{B}$ ou 10{B}€"),
    ("fr-CA", "30 M$ et 20°C", f"30{B}M$ et 20{B}°C"),
    ("fr-CA", "10 km, 5 kg, 3 h, 2 min, 8 Go, 20 Mbit/s et 4 m.", f"10{B}km, 5{B}kg, 3{B}h, 2{B}min, 8{B}Go, 20{B}Mbit/s et 4{B}m."),
    ("fr-CA", "20 ans et 3 personnes", "20 ans et 3 personnes"),
    ("fr-CA", "L'année 1995 et 15h30 et 10km", "L’année 1995 et 15h30 et 10km"),
    ("fr-CA", "un angle de 90°", "un angle de 90°"),
    ("fr-CA", "$75", "$75"),
    # --- ordinals
    ("fr-CA", "le 1er mars", "le 1^er^ mars"),
    ("fr-CA", "la 1re, les 1ers, les 1res", "la 1^re^, les 1^ers^, les 1^res^"),
    ("fr-CA", "le 2e, les 2es, le 10e", "le 2^e^, les 2^es^, le 10^e^"),
    ("fr-CA", "le 2d, la 2de, le 2nd", "le 2^d^, la 2^de^, le 2^nd^"),
    ("fr-CA", "le XXe siècle, le XXIe", "le XX^e^ siècle, le XXI^e^"),
    ("fr-CA", "François Ier et la Ve République", "François I^er^ et la V^e^ République"),
    ("fr-CA", "XIXe-XXe siècles", "XIX^e^-XX^e^ siècles"),
    ("fr-CA", "le 2^e^ et le 1^er^", "le 2^e^ et le 1^er^"),
    ("fr-CA", "2e2, H2e, 0x2e, 1e6, 3d, 1e, 0e, 2,5e", "2e2, H2e, 0x2e, 1e6, 3d, 1e, 0e, 2,5e"),
    ("fr-CA", "De la Vie, Me Tremblay", "De la Vie, Me Tremblay"),
    ("fr-CA", "http://ex.com/2e/1er", "http://ex.com/2e/1er"),
    ("fr-CA", "`2e`", "`2e`"),
    ("fr-CA", "Le 3e trimestre", "Le 3^e^ trimestre"),
    # --- forbidden forms rewritten
    ("fr-CA", "le 2ème, le 2ième, le 2eme, le 2è", "le 2^e^, le 2^e^, le 2^e^, le 2^e^"),
    ("fr-CA", "la 1ère, la 1ere, le 1ier", "la 1^re^, la 1^re^, le 1^er^"),
    ("fr-CA", "les 3èmes, le XXème siècle", "les 3^es^, le XX^e^ siècle"),
    # --- structure: SoftBreak kept, headings, notes, lists, block quotes
    ("fr-CA", "un\ndeux", "un\ndeux"),
    ("fr-CA", "# Pis après?", f"# Pis après{N}?"),
    ("fr-CA", "Texte[^1] ?\n\n[^1]: Une note : oui!", f"Texte^[Une note{B}: oui{N}!]{N}?"),
    ("fr-CA", "> Quoi?", f"> Quoi{N}?"),
    ("fr-CA", "- un?\n- deux!", f"- un{N}?\n- deux{N}!"),
    ("fr-CA", "Une ligne  \n? forcée", "Une ligne\\\n? forcée"),
    # --- already correct text is left as it is
    (
        "fr-CA",
        f"«{B}Qu’est-ce qu’un influenceur{N}?{B}» Le 1^er^ mars, 95{B}%{N}; bref{B}: oui{N}!",
        f"«{B}Qu’est-ce qu’un influenceur{N}?{B}» Le 1^er^ mars, 95{B}%{N}; bref{B}: oui{N}!",
    ),
    # --- quebec-office: no space before ; ! ?, the rest as in the book style
    ("quebec-office", "Pis après?", "Pis après?"),
    ("quebec-office", "Pis après ?", "Pis après?"),
    ("quebec-office", f"Pis après{N}?", "Pis après?"),
    ("quebec-office", "oui ; non !", "oui; non!"),
    ("quebec-office", "Attention: oui", f"Attention{B}: oui"),
    ("quebec-office", '"citation"', f"«{B}citation{B}»"),
    ("quebec-office", "95% et le 1er", f"95{B}% et le 1^er^"),
    # --- fr-FR: U+202F before ; ! ? and inside « », U+00A0 before :
    ("fr-FR", "Pis après?", f"Pis après{N}?"),
    ("fr-FR", "Attention: oui", f"Attention{B}: oui"),
    ("fr-FR", '"citation"', f"«{N}citation{N}»"),
    ("fr-FR", f"«{B}citation{B}»", f"«{N}citation{N}»"),
    ("fr-FR", "95 %", f"95{B}%"),
    ("fr-FR", "le XXe siècle", "le XX^e^ siècle"),
    # --- en: quotes, apostrophes, ellipsis, dashes only
    ("en", '"quoted"', "“quoted”"),
    ("en", 'He said "yes "no" maybe" twice', "He said “yes ‘no’ maybe” twice"),
    ("en", "it's the author's", "it’s the author’s"),
    ("en", "a 'single' quote", "a ‘single’ quote"),
    ("en", "the '90s and rock 'n' roll", "the ’90s and rock ’n’ roll"),
    ("en", "wait... etc...", "wait… etc."),
    ("en", "a - b -- c---d", "a — b — c—d"),
    ("en", "1983-1989", "1983-1989"),
    ("en", "Really ? Yes: 95% at 10 km", "Really ? Yes: 95% at 10 km"),
    ("en", "the 1er and 2e", "the 1er and 2e"),
    ("en", "« guillemets »", "« guillemets »"),
    ("en", "See http://ex.com/it's...", "See http://ex.com/it's…"),  # trailing dots are not the URL's
    ("en", "`it's`", "`it's`"),
    # --- digit groups (issue 12): five digits or more, or groups the author spaced; never years,
    #     pages, decimals, URLs or code
    ("fr-CA", "et de 15016 commentaires", f"et de 15{N}016 commentaires"),
    # four digits set solid by default (issue 25: one way through the book), the author's spaces joined
    ("fr-CA", "1 350 personnes et 10 000 $", f"1350 personnes et 10{N}000{B}$"),
    ("fr-CA", f"1{B}350 et 1234567", f"1350 et 1{N}234{N}567"),
    # --- no space inside parentheses and brackets (issue 25), in every style but "off"
    ("fr-CA", "les blogueurs ) et ( oui ) [ note ]", "les blogueurs) et (oui) [note]"),
    ("fr-CA", "« cité » ) et ( *vraiment* ? )", f"«{B}cité{B}») et (*vraiment*{N}?)"),
    ("en", "the bloggers ) and ( yes )", "the bloggers) and (yes)"),
    ("fr-CA", "un ( ) vide", "un ( ) vide"),
    ("fr-CA", "en 2010, 2829 billets, p. 12345, 3,14159", "en 2010, 2829 billets, p. 12345, 3,14159"),
    ("fr-CA", "le 15016,25 et http://ex.com/15016 et `15016`", f"le 15{N}016,25 et http://ex.com/15016 et `15016`"),
    ("fr-CA", "no 12345 et ISBN 9782923", "no 12345 et ISBN 9782923"),
    ("fr-CA", "Canadiana 20260001234 et 123456789", f"Canadiana 20260001234 et 123{N}456{N}789"),  # ten digits or more: an identifier
    # --- times with h
    ("fr-CA", "à 8 h 12 précises", f"à 8{B}h{B}12 précises"),
    ("fr-CA", "à 15h30", "à 15h30"),
    # --- an incise dash glued to a word gets its space
    ("fr-CA", "peut s'inverser –ou du moins", f"peut s’inverser –{B}ou du moins"),
    ("fr-CA", "une incise– puis la suite", f"une incise{B}– puis la suite"),
    ("fr-CA", "de 1983–1989 et XIXe–XXe", "de 1983–1989 et XIX^e^–XX^e^"),
    ("fr-CA", "le score –3", "le score –3"),
    # --- centuries without their ordinal
    ("fr-CA", "le livre du XXI siècle", "le livre du XXI^e^ siècle"),
    ("fr-CA", "au I siècle et aux XV siècles", "au I^er^ siècle et aux XV^e^ siècles"),
    ("fr-CA", "le XXIe siècle et Louis XIV", "le XXI^e^ siècle et Louis XIV"),
    # --- note calls go before the punctuation in French
    ("fr-CA", "de le partager.[^p1] Ensuite\n\n[^p1]: Une note.", "de le partager^[Une note.]. Ensuite"),
    ("fr-CA", "vraiment ?[^p2]\n\n[^p2]: Oui.", f"vraiment^[Oui.]{N}?"),
    ("fr-CA", "les pommes, etc.[^p3]\n\n[^p3]: Oui.", "les pommes, etc.^[Oui.]"),
    ("en", "to share it.[^p4]\n\n[^p4]: A note.", "to share it.^[A note.]"),
    # --- a passage in another language takes that language's typography
    ("fr-CA", "Il a dit [\"Really?\" she said]{lang=en} ici?", f"Il a dit [“Really?” she said]{{}} ici{N}?"),
    # --- off: nothing changes
    ("off", 'Pis après? "x" l\'an... 95% 1er - 2ème', 'Pis après? "x" l\'an... 95% 1er - 2ème'),
]


@functools.cache
def parsed() -> dict[str, list]:
    """Parse every distinct Markdown input once, in a single pandoc call (one fenced Div each)."""
    sources = sorted({md for _, md, _ in ROWS} | set(EXTRA_MD) | {md for md, _ in GROUPED_ROWS})
    body = "\n\n".join(f":::::::::: {{#row{i}}}\n{md}\n\n::::::::::" for i, md in enumerate(sources))
    blocks = pandoc.to_ast(body)["blocks"]
    by_id = {b["c"][0][0]: b["c"][1] for b in blocks}
    assert len(by_id) == len(sources)
    return {md: by_id[f"row{i}"] for i, md in enumerate(sources)}


GROUPED_ROWS = [
    ("2829 billets et 15016 commentaires", f"2{N}829 billets et 15{N}016 commentaires"),
    ("1 350 abonnés en 2019, de 1983 à 2010", f"1{N}350 abonnés en 2019, de 1983 à 2010"),
    ("1500 $ et 1500 km, en 1500 :", f"1{N}500{B}$ et 1{N}500{B}km, en 1500{B}:"),
    ("p. 1234, no 4321, 3,1416 et 1234,5", "p. 1234, no 4321, 3,1416 et 1234,5"),
]


@pytest.mark.parametrize("md,expected", GROUPED_ROWS)
def test_four_digits_grouped(md: str, expected: str) -> None:
    """``four_digits: grouped``: « 2 829 », years stay solid (issue 25, item 9)."""
    typo = Typography("fr-CA", "grouped")
    out = apply(parsed()[md], typo)
    assert show(out) == expected
    assert apply(out, typo) == out


EXTRA_MD = ["le 1er et le XXe", "*vraiment* ?", 'Le "texte" *ici*... ?']


@pytest.mark.parametrize("style,md,expected", ROWS, ids=[f"{s}:{m[:40]}" for s, m, _ in ROWS])
def test_rule(style: str, md: str, expected: str) -> None:
    blocks = parsed()[md]
    before = copy.deepcopy(blocks)
    out = apply(blocks, Typography(style))
    assert show(out) == expected
    assert blocks == before, "apply mutated its input"
    assert apply(out, Typography(style)) == out, "apply is not idempotent"


def test_ordinals_are_superscript_elements() -> None:
    out = apply(parsed()["le 1er et le XXe"], Typography("fr-CA"))
    assert out == [
        {
            "t": "Para",
            "c": [
                {"t": "Str", "c": "le"},
                {"t": "Space"},
                {"t": "Str", "c": "1"},
                {"t": "Superscript", "c": [{"t": "Str", "c": "er"}]},
                {"t": "Space"},
                {"t": "Str", "c": "et"},
                {"t": "Space"},
                {"t": "Str", "c": "le"},
                {"t": "Space"},
                {"t": "Str", "c": "XX"},
                {"t": "Superscript", "c": [{"t": "Str", "c": "e"}]},
            ],
        }
    ]


def test_space_after_emph_is_a_str_of_its_own() -> None:
    out = apply(parsed()["*vraiment* ?"], Typography("fr-CA"))
    assert out[0]["c"] == [
        {"t": "Emph", "c": [{"t": "Str", "c": "vraiment"}]},
        {"t": "Str", "c": "\u202f?"},
    ]


def test_space_elements_split_back() -> None:
    out = apply(parsed()['Le "texte" *ici*... ?'], Typography("fr-CA"))
    assert out[0]["c"] == [
        {"t": "Str", "c": "Le"},
        {"t": "Space"},
        {"t": "Str", "c": "«\u00a0texte\u00a0»"},
        {"t": "Space"},
        {"t": "Emph", "c": [{"t": "Str", "c": "ici"}]},
        {"t": "Str", "c": "…"},
        {"t": "Space"},
        {"t": "Str", "c": "?"},
    ]


def test_quoted_elements_from_other_readers() -> None:
    quoted = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [{"t": "Str", "c": "oui"}]]}
    para = [{"t": "Para", "c": [{"t": "Str", "c": "Dis"}, {"t": "Space"}, quoted]}]
    assert show(apply(para, Typography("fr-CA"))) == "Dis «\u00a0oui\u00a0»"
    assert show(apply(para, Typography("en"))) == "Dis “oui”"


def test_off_returns_a_copy() -> None:
    blocks = parsed()["*vraiment* ?"]
    out = apply(blocks, Typography("off"))
    assert out == blocks and out is not blocks and out[0] is not blocks[0]


# ---------------------------------------------------------------- typography_for


@pytest.mark.parametrize(
    "lang,setting,style",
    [
        ("fr-CA", None, "fr-CA"),
        ("fr", None, "fr-CA"),
        ("fr-ca", None, "fr-CA"),
        ("fr_CA", None, "fr-CA"),
        ("fr-Latn-CA", None, "fr-CA"),
        ("fr-HT", None, "fr-CA"),
        ("fr-FR", None, "fr-FR"),
        ("fr-BE", None, "fr-FR"),
        ("fr-CH", None, "fr-FR"),
        ("en", None, "en"),
        ("en-CA", None, "en"),
        ("de", None, "off"),
        ("", None, "off"),
        ("fr-CA", "quebec-office", "quebec-office"),
        ("fr-CA", "off", "off"),
        ("en", "fr-FR", "fr-FR"),
        ("fr-FR", "auto", "fr-FR"),
    ],
)
def test_typography_for(lang: str, setting: str | None, style: str) -> None:
    assert typography_for(lang, setting) == Typography(style)


def test_styles_and_bad_values() -> None:
    assert STYLES == ("fr-CA", "quebec-office", "fr-FR", "en", "off")
    with pytest.raises(ValueError):
        typography_for("fr-CA", "quebec")
    with pytest.raises(ValueError):
        Typography("fr")


# ---------------------------------------------------------------- forbidden_forms

SOURCE = """\
---
title: Le 2ème billet
url: https://ex.com/2eme-billet/
---
Au XXème siècle, la 1ère fois; le 1ier et les 3èmes.
Correct : le 2e, la 1re, le XXe, le 2nd.
Du code `le 2ème` et [lien 2ème](https://ex.com/2ème) et <img src="2eme.png">
```
le 2ème dans un bloc
```
Fin : le 10ième, la 1ière, le 2è, Ière.
"""


def test_forbidden_forms() -> None:
    assert forbidden_forms(SOURCE) == [
        (2, 11, "2ème", "2e"),
        (5, 4, "XXème", "XXe"),
        (5, 21, "1ère", "1re"),
        (5, 35, "1ier", "1er"),
        (5, 47, "3èmes", "3es"),
        (7, 28, "2ème", "2e"),  # the link text counts, its target does not
        (11, 10, "10ième", "10e"),
        (11, 21, "1ière", "1re"),
        (11, 31, "2è", "2e"),
        (11, 35, "Ière", "Ire"),
    ]


def test_forbidden_forms_clean_text() -> None:
    assert forbidden_forms("Le 2e, le XXe siècle, 2ème-étage? non: http://a.b/2ème\n") == [
        (1, 23, "2ème", "2e"),
    ]


# ---------------------------------------------------------------- idempotence on random text

TOKENS = (
    "mot", "l'an", "aujourd'hui", "Quoi", "?", "!", ";", ":", "?!", "...", "etc...", '"', "«", "»", "“", "”",
    "-", "--", "---", "(", ")", "95%", "75", "$", "10", "km", "1er", "2e", "2ème", "XXe", "XXème", "1ère",
    "14:30", "3:1", ":)", ";-)", "http://ex.com/a?b=1;c", "www.ex.com", "moi@ex.com", "@MichelleBlanc",
    "#hashtag", "\u202f", "\u00a0", "\u2009", "\n", " ", " ", " ", " ",
)


def _random_para(rng: random.Random) -> list:
    text = "".join(rng.choice(TOKENS) + rng.choice(("", " ", " ", "\n")) for _ in range(rng.randint(1, 12)))
    inlines: list = []
    for i, line in enumerate(text.split("\n")):
        if i:
            inlines.append({"t": "SoftBreak"})
        for j, word in enumerate(line.split(" ")):
            if j:
                inlines.append({"t": "Space"})
            if word:
                inlines.append({"t": "Str", "c": word})
    if inlines and rng.random() < 0.3:
        k = rng.randrange(len(inlines))
        if inlines[k]["t"] == "Str":
            inlines[k] = {"t": "Emph", "c": [inlines[k]]}
    return [{"t": "Para", "c": inlines}]


@pytest.mark.parametrize("style", ["fr-CA", "quebec-office", "fr-FR", "en"])
def test_idempotent_on_random_text(style: str) -> None:
    rng = random.Random(20101124)
    typo = Typography(style)
    for _ in range(1500):
        blocks = _random_para(rng)
        before = copy.deepcopy(blocks)
        once = apply(blocks, typo)
        assert blocks == before
        assert apply(once, typo) == once, show(blocks)
