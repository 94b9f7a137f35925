"""Issue 25 (a designer's third read), items 4, 5, 10, 12: the index files people by surname, sets
titles in italics and gives a tag's posts their page range; the contents' leaders stand in one
column grid, a third of an em at least from every entry; a style with ``--openers: any`` makes no blank
page; the covers break the title as the title page does, never a word alone on a line."""

import re
import shutil

import pytest
from pypdf import PdfReader

from blog2book.render.shared.cover import cover_lines
from conftest import REPO, SAMPLE, run_cli


def test_index_people_by_surname_titles_in_italics_and_subjects(tmp_path):
    project = tmp_path / "p"
    (project / "posts").mkdir(parents=True)
    (project / "posts" / "a.md").write_text(
        "---\ntitle: A\ntags: [crédibilité]\n---\n\nMalcolm Gladwell écrit sur la crédibilité.\n\nSelon Gladwell, le livre"
        " [Les médias sociaux 101]{.index .title} compte. [Don Tapscott]{.index .person} aussi.\n", "utf-8")
    (project / "posts" / "b.md").write_text("---\ntitle: B\n---\n\nUne gladwell minuscule n’est pas un nom. Le mot crédibilité passe.\n", "utf-8")
    m = project / "manuscripts" / "m.yml"
    m.parent.mkdir()
    m.write_text("title: T\nauthor: A\nindex:\n  from_tags: true\n  people: [Malcolm Gladwell, Absent Nobody]\n  titles: [Les médias sociaux 101]\n"
                 "chapters: [a, b]\n", "utf-8")
    result = run_cli("build", m, "-f", "md", "-o", project / "build", cwd=project)
    assert result.exit_code == 0, result.output
    assert "manuscripts/m.yml:5:30: warning: index term 'Nobody, Absent' occurs nowhere" in result.stderr
    index = (project / "build" / "m.md").read_text("utf-8").split("# Index", 1)[1]
    assert "Gladwell, Malcolm, [chap.\u00a01]" in index and "Malcolm Gladwell," not in index
    assert "Tapscott, Don, [chap.\u00a01]" in index
    assert "*Les médias sociaux 101*, [chap.\u00a01]" in index
    # filed under G, M (« Les » ignored) and T, in that order
    assert index.index("Gladwell, Malcolm") < index.index("*Les médias sociaux 101*") < index.index("Tapscott, Don")
    # the tagged post (its range) and the passing mention in chapter 2
    assert re.search(r"crédibilité, \[chap.\u00a01\]\([^)]*\)(\{[^}]*\})?, \[chap.\u00a02\]", index), index
    assert index.count("Gladwell") == 1  # « une gladwell » (lower case) is no mention


def test_index_people_and_titles_must_be_lists(tmp_path):
    project = tmp_path / "p"
    (project / "posts").mkdir(parents=True)
    (project / "posts" / "a.md").write_text("---\ntitle: A\n---\n\nTexte.\n", "utf-8")
    m = project / "manuscripts" / "m.yml"
    m.parent.mkdir()
    m.write_text("title: T\nauthor: A\nindex:\n  people: Malcolm Gladwell\nchapters: [a]\n", "utf-8")
    result = run_cli("check", m, cwd=project)
    assert result.exit_code == 1
    assert "manuscripts/m.yml:4:11: error: index.people: expected a list of people" in result.stderr


def test_cover_lines_break_as_the_title_page_and_leave_no_word_alone():
    from blog2book.render.shared.cover import cover_fonts

    class Styled:
        style = REPO / "styles" / "medias-sociaux-101"

    title, subtitle = cover_fonts(Styled)
    assert cover_lines("Médisance, influence et pâté chinois", title.getlength) == ["Médisance, influence", "et pâté chinois"]
    assert cover_lines("billets choisis sur les médias sociaux", subtitle.getlength) == ["billets choisis sur les médias sociaux"]
    for text in ["Les médias sociaux 101 : le réseau mondial des beaux-frères et des belles-sœurs",
                 "Twitter et médias sociaux dans un contexte politique", "De l’importance du pâté chinois dans une stratégie médias sociaux"]:
        for font in (title, subtitle):
            lines = cover_lines(text, font.getlength)
            assert " ".join(lines) == " ".join(text.split())
            if len(lines) > 1:
                assert all(len(line.split()) > 1 for line in lines), lines
    assert cover_lines("Médisance,\net pâté chinois", title.getlength) == ["Médisance,", "et pâté chinois"]  # the author's break


@pytest.mark.slow
def test_contents_leaders_stand_in_one_grid_and_never_touch_an_entry(sample_build):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(sample_build / "medias-sociaux.pdf"))
    page_no = next(i for i in range(len(pdf)) if pdf[i].get_textpage().get_text_range().lstrip().startswith("Table des matières"))
    text = pdf[page_no].get_textpage()
    chars = [(text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())]
    lines: dict[int, list] = {}
    for ch, (left, bottom, right, top) in chars:
        if ch.strip():
            lines.setdefault(round(bottom), []).append((left, right, ch))
    checked = 0
    grid: set[float] = set()
    for row in lines.values():
        row.sort()
        dots = [i for i, (_, _, ch) in enumerate(row) if ch == "."]
        if len(dots) < 5:
            continue
        first = min(i for i in dots if all(row[k][2] == "." for k in range(i, dots[-1] + 1)))
        size = 9.5 * 0.8  # the smallest entry size (posts: 0.9 em of 9.5 pt)
        gap = row[first][0] - row[first - 1][1]
        assert gap >= 0.45 * size, f"a leader's first dot {gap:.1f} pt from « {''.join(c for _, _, c in row[:first])} »"
        grid.add(round(row[dots[-1]][0], 0))
        checked += 1
    assert checked >= 15
    assert len(grid) <= 2, grid  # the last dots in one column (two: one- and two-digit page numbers)


@pytest.mark.slow
def test_openers_any_makes_no_blank_page(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(REPO / "posts", project / "posts")
    shutil.copytree(REPO / "manuscripts", project / "manuscripts")
    shutil.copytree(REPO / "styles", project / "styles")
    with (project / "styles" / "medias-sociaux-101" / "print.css").open("a", encoding="utf-8") as f:
        f.write("\n:root { --openers: any; }\n")
    result = run_cli("build", project / "manuscripts" / SAMPLE.name, "-f", "pdf", "-o", project / "build", cwd=project)
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(project / "build" / "medias-sociaux.pdf"))
    blank = [n for n, page in enumerate(reader.pages, 1) if not (page.extract_text() or "").strip()]
    assert blank == []
    assert len(reader.pages) < 40  # 45 with a blank verso before each opener that fell on one


def test_a_wrong_openers_value_is_located(tmp_path):
    project = tmp_path / "p"
    (project / "posts").mkdir(parents=True)
    (project / "posts" / "a.md").write_text("---\ntitle: A\n---\n\nTexte.\n", "utf-8")
    shutil.copytree(REPO / "styles", project / "styles")
    css = project / "styles" / "medias-sociaux-101" / "print.css"
    css.write_text(css.read_text("utf-8") + "\n:root { --openers: verso; }\n", "utf-8")
    m = project / "manuscripts" / "m.yml"
    m.parent.mkdir()
    m.write_text("title: T\nauthor: A\nstyle: medias-sociaux-101\nchapters: [a]\n", "utf-8")
    result = run_cli("build", m, "-f", "pdf", "-o", project / "build", cwd=project)
    assert result.exit_code == 1
    assert re.search(r"print\.css:\d+:.*--openers: 'verso' is not recto or any.*\[style\.openers\]", result.stderr), result.stderr
