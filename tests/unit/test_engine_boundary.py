"""The one boundary to WeasyPrint's internals (render/pdf/engine/): every internal it uses is
checked before the page-by-page corrector is installed; when one is missing, or a wrapper fails,
the layout is corrected after the fact instead, and the build says so, never a crash."""

from __future__ import annotations

import pytest

from blog2book.render.pdf import engine
from blog2book.render.pdf.engine import corrector

weasyprint = pytest.importorskip("weasyprint")


@pytest.fixture
def fresh_check():
    engine.problems.cache_clear()
    yield
    engine.problems.cache_clear()


def test_the_installed_weasyprint_is_supported_and_has_every_internal(fresh_check):
    assert engine.supported(), f"WeasyPrint {weasyprint.__version__} is outside {engine.SUPPORTED}"
    assert engine.problems() == ()
    assert engine.fallback_notice() is None


def test_a_missing_or_changed_internal_is_named(fresh_check, monkeypatch):
    import weasyprint.document
    import weasyprint.layout.inline
    import weasyprint.layout.page

    monkeypatch.delattr(weasyprint.layout.page, "remake_page")
    monkeypatch.setattr(weasyprint.layout.inline, "split_text_box", lambda context, box: None)
    monkeypatch.delattr(weasyprint.formatting_structure.boxes.TextBox, "copy_with_text")
    found = engine.problems()
    assert "weasyprint.layout.page.remake_page is gone" in found
    assert any("split_text_box takes (context, box)" in p for p in found)
    assert "weasyprint.formatting_structure.boxes.TextBox.copy_with_text is gone" in found
    notice = engine.fallback_notice()
    assert "remake_page" in notice and "weasyprint>=68,<71" in notice


def test_a_wrapper_that_fails_gives_the_plain_layout_and_is_reported(monkeypatch):
    html = "<style>@page { size: 60mm 45mm } p { hyphens: auto }</style>" + "<p lang='fr'>institutionnellement extraordinairement</p>" * 30
    plain = weasyprint.HTML(string=html).render()
    assert corrector._install()

    def broken(self, context, index):
        raise RuntimeError("an internal changed")

    monkeypatch.setattr(corrector.PageState, "__init__", broken)
    corrector.take_failures()
    document = corrector.corrected(lambda h: weasyprint.HTML(string=h).render())(html)
    assert len(document.pages) == len(plain.pages)
    assert corrector.take_failures() == ("RuntimeError: an internal changed",)
    assert corrector.take_failures() == ()


def test_a_failure_of_weasyprint_itself_is_raised(monkeypatch):
    assert corrector._install()

    def render(html):
        raise ValueError("not a corrector problem")

    with pytest.raises(ValueError, match="not a corrector problem"):
        corrector.corrected(render)("<p>x</p>")
    corrector.take_failures()


def test_the_build_says_once_when_it_cannot_correct_page_by_page(tmp_path, monkeypatch):
    """Through the CLI: a WeasyPrint lacking an internal still gives the book, with one warning."""
    import shutil

    from conftest import REPO, run_cli

    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "roots" / "tiny", project)
    monkeypatch.setattr(engine, "problems", lambda: ("weasyprint.layout.page.remake_page is gone",))
    monkeypatch.setattr(corrector, "_installed", None)
    manuscript = project / "manuscripts" / "tiny.yml"
    result = run_cli("build", manuscript, "-f", "pdf", "-j", "1", "-o", project / "build")
    assert result.exit_code == 0, result.output
    assert result.output.count("pdf.engine-fallback") == 1, result.output
    assert "remake_page is gone" in result.output
    assert list((project / "build").glob("*.pdf"))
