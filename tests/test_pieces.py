"""The PDF laid out in pieces (render/layout.py, render/merge.py), through the CLI.

The reference is the single-flow layout of the same book (``pdf.single_flow``: the whole book as
one WeasyPrint document, with the same numbers and corrections, only not cut): the pieced book must have the
same pages, the same text on each page, the same « voir p. N » and table-of-contents numbers. Then
what the merge must keep (outline, links between pieces, one font program per face, metadata), the
cache across builds (a rebuild lays nothing out, an edit lays out one piece), worker processes and
a Dask cluster.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from blog2book.render.pdf import layout as layout_mod
from blog2book.render.pdf import pool as pool_mod

from conftest import REPO, run_cli

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.slow

XREF = Path(__file__).parent / "roots" / "xref"


def texts(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # the hyphen and U+2010 share a glyph: which one extraction gives depends on the first use in a document
    return [p.extract_text().replace("\u2010", "-") for p in reader.pages]


_SINGLE_FLOWS: dict[tuple, bytes] = {}


def single_flow_pdf(manuscript: Path) -> bytes:
    """The reference: the same book laid out as one document (once per book, its files' bytes and
    the settings the tests change: three tests take the xref book's)."""
    import hashlib

    from blog2book.render.pdf import merge

    files = hashlib.sha256()
    for path in [manuscript, *sorted(p for p in (manuscript.parent.parent / "posts").rglob("*") if p.is_file())]:
        files.update(str(path).encode() + b"\0" + path.read_bytes())
    key = (str(manuscript), files.hexdigest(), layout_mod.PIECE_WORDS, merge.NAMES_PER_NODE)
    if key not in _SINGLE_FLOWS:
        _SINGLE_FLOWS[key] = _single_flow_pdf(manuscript)
    return _SINGLE_FLOWS[key]


def _single_flow_pdf(manuscript: Path) -> bytes:
    from blog2book import pipeline
    from blog2book.diagnostics import Reporter
    from blog2book.render import RenderContext
    from blog2book.render.pdf.backend import single_flow

    reporter = Reporter()
    spec, book, _ = pipeline.prepare(manuscript, reporter, pipeline.Phases(None))
    ctx = RenderContext(links=spec.links)
    pdf, page_map = single_flow(book, ctx)
    if book.index is not None:  # the index's page numbers from that layout, then laid out again
        from blog2book.index import page_of, with_pages

        pdf, _ = single_flow(with_pages(book, page_of(page_map)), ctx)
    return pdf


@pytest.fixture(scope="module")
def xref_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("pieces") / "xref"
    shutil.copytree(XREF, root)
    return root


@pytest.fixture
def small_pieces(monkeypatch):
    """One piece per chapter (the xref book is small: by default it would be one or two pieces)."""
    monkeypatch.setattr(layout_mod, "PIECE_WORDS", 1)


def build(project: Path, out: Path, *extra: str):
    result = run_cli("build", project / "manuscripts" / "xref.yml", "-f", "pdf", "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return result, (out / "xref.pdf").read_bytes()


def build_in_small_pieces(project: Path, out: Path, jobs: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layout_mod, "PIECE_WORDS", 1)  # as small_pieces does, for a module's fixture
        return build(project, out, "-j", jobs)


@pytest.fixture(scope="module")
def two_workers(xref_project, tmp_path_factory):
    """(result, PDF) of the xref book in small pieces, -j 2: read by the tests that only read it."""
    return build_in_small_pieces(xref_project, tmp_path_factory.mktemp("two-workers"), "2")


@pytest.fixture(scope="module")
def one_worker(xref_project, tmp_path_factory):
    """The PDF of the xref book in small pieces, -j 1: the reference of the tests that build it
    another way (a Dask cluster, a merge apart, recycled workers)."""
    return build_in_small_pieces(xref_project, tmp_path_factory.mktemp("one-worker"), "1")[1]


def test_pieces_give_the_pages_of_the_single_flow(xref_project, two_workers, small_pieces):
    result, pdf = two_workers
    pieces = int(re.search(r"(\d+) pieces", result.output).group(1))
    assert pieces >= 5, result.output  # front, four chapters, back matter
    ours, reference = texts(pdf), texts(single_flow_pdf(xref_project / "manuscripts" / "xref.yml"))
    assert len(ours) == len(reference)
    for n, (a, b) in enumerate(zip(ours, reference), start=1):
        assert a == b, f"page {n} differs"
    voir = re.findall(r"voir\s+p\.\s+(\d+)", "\n".join(ours))
    assert len(voir) >= 20 and voir == re.findall(r"voir\s+p\.\s+(\d+)", "\n".join(reference))


def test_the_merge_keeps_outline_links_metadata_and_one_program_per_face(two_workers):
    _, pdf = two_workers
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # outline nested as the book: parts > chapters > posts
    outline = reader.outline
    tops = [item for item in outline if not isinstance(item, list)]
    nested = [item for item in outline if isinstance(item, list)]
    assert tops and nested, "the outline has levels"
    titles = [reader.get_destination_page_number(i) for i in tops]
    assert titles == sorted(titles)
    # every link that starts with « voir p. N » goes to page N: links across pieces resolved
    dests = []
    for n, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert "/A" not in annot or not str(annot["/A"].get("/URI", "")).startswith("b2b:"), "an unresolved link between pieces"
            if "/Dest" in annot:
                target = reader.get_page_number(annot["/Dest"][0].get_object())
                dests.append((n, target))
    assert len(dests) >= 20
    assert any(abs(a - b) > 5 for a, b in dests), "links reach other pieces"
    # each face's program once, whatever the number of pieces
    programs: dict[str, set] = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            for desc in font.get_object().get("/DescendantFonts", []):
                fd = desc.get_object()["/FontDescriptor"].get_object()
                name = re.sub(r"^/?[A-Z]{6}\+", "", str(fd["/FontName"]))
                programs.setdefault(name, set()).add(fd.raw_get("/FontFile2").idnum)
    assert programs and all(len(ids) == 1 for ids in programs.values()), programs
    assert reader.metadata.title and reader.metadata.author
    assert reader.trailer["/Root"].get("/Lang") == "fr-CA"


@pytest.mark.parametrize("per_node", [512, 3])
def test_the_merged_book_names_every_anchor_where_it_is(xref_project, tmp_path, small_pieces, monkeypatch, per_node):
    """Every anchor of the pieces is a named destination of the book, on the page the single flow
    puts it; many names make a name tree (a long book: 60 000, more than one array may hold)."""
    from blog2book.render.pdf import merge

    monkeypatch.setattr(merge, "NAMES_PER_NODE", per_node)
    _, pdf = build(xref_project, tmp_path / "out")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    dests = reader.trailer["/Root"]["/Names"]["/Dests"].get_object()
    assert ("/Kids" in dests) == (per_node == 3)
    named = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    reference = pypdf.PdfReader(io.BytesIO(single_flow_pdf(xref_project / "manuscripts" / "xref.yml")))
    expected = {name: reference.get_destination_page_number(d) for name, d in reference.named_destinations.items()}
    assert len(named) > 20 and named == expected


def test_a_rebuild_lays_nothing_out_and_an_edit_one_piece(xref_project, tmp_path, small_pieces):
    project = tmp_path / "xref"
    shutil.copytree(xref_project, project)
    out = tmp_path / "out"
    first, pdf1 = build(project, out)
    again, pdf2 = build(project, out)
    assert " 0 laid out" in again.output or "nothing laid out" in again.output, again.output
    assert pdf1 == pdf2
    post = project / "posts" / "twitter-politique.md"
    post.write_text(post.read_text("utf-8").replace("Twitter", "Twitter (devenu X)", 1), "utf-8")
    edited, pdf3 = build(project, out)
    laid = int(re.search(r"(\d+) laid out", edited.output).group(1))
    pieces = int(re.search(r"(\d+) pieces", edited.output).group(1))
    assert 1 <= laid < pieces, edited.output
    assert "Twitter (devenu X)" in "".join(texts(pdf3))
    # the edited build is the build a cold cache would give
    _, cold = build(project, tmp_path / "cold")
    assert texts(cold) == texts(pdf3)


def test_a_dask_cluster_lays_the_pieces_out(xref_project, tmp_path, small_pieces, one_worker):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        result, pdf = build(xref_project, tmp_path / "out", "--executor", address)
    local = one_worker
    assert texts(pdf) == texts(local)


def test_the_sample_book_as_pieces(sample_build):
    # the session's sample build (conftest.py): laid out in pieces by two workers, -j 2
    ours = texts((sample_build / "medias-sociaux.pdf").read_bytes())
    assert ours == texts(single_flow_pdf(REPO / "manuscripts" / "medias-sociaux.yml"))


def test_a_bad_executor_address_is_a_usage_error(tmp_path):
    result = run_cli("build", XREF / "manuscripts" / "xref.yml", "-o", tmp_path, "--executor", "localhost:1")
    assert result.exit_code == 2 and "dask://HOST:PORT" in result.output


def test_progress_names_pieces_and_pages_on_a_terminal_only(xref_project, tmp_path, small_pieces, monkeypatch):
    from blog2book import cli

    monkeypatch.setattr(cli, "on_terminal", lambda: True)
    shown = run_cli("build", xref_project / "manuscripts" / "xref.yml", "-f", "pdf", "-o", tmp_path / "a")
    assert re.search(r"\] \d+/\d+ pieces laid out, \d+ pages", shown.output), shown.output
    quiet = run_cli("build", xref_project / "manuscripts" / "xref.yml", "-f", "pdf", "-o", tmp_path / "b", "-q")
    assert "pieces laid out" not in quiet.output and quiet.exit_code == 0
    monkeypatch.setattr(cli, "on_terminal", lambda: False)
    piped = run_cli("build", xref_project / "manuscripts" / "xref.yml", "-f", "pdf", "-o", tmp_path / "c")
    assert "pieces laid out" not in piped.output and piped.exit_code == 0


def test_a_long_book_is_merged_in_a_process_of_its_own(xref_project, tmp_path, small_pieces, monkeypatch, one_worker):
    """Past ``merge.APART_PAGES`` the merge runs in a fresh process (its memory apart from the
    build's); the book is the one merged in the build's process."""
    from blog2book.render.pdf import merge as merge_mod

    here = one_worker
    calls = []
    real = merge_mod.merge_apart

    def spy(layout):
        calls.append(1)
        return real(layout)

    monkeypatch.setattr(merge_mod, "APART_PAGES", 0)
    monkeypatch.setattr(merge_mod, "merge_apart", spy)
    _, apart = build(xref_project, tmp_path / "apart", "-j", "1")
    assert calls
    assert texts(apart) == texts(here)
    reader = pypdf.PdfReader(io.BytesIO(apart))
    assert reader.outline and reader.metadata.title


def test_local_workers_are_recycled(xref_project, tmp_path, small_pieces, monkeypatch, one_worker):
    """A pool of local processes lays out ``RECYCLE`` pieces, then a fresh pool takes over (their
    memory grows with every document); the book is the same."""
    from blog2book.infra import workers

    pools = []
    real = workers.process_executor

    def counted(jobs, **options):
        pools.append(jobs)
        return real(jobs, **options)

    monkeypatch.setattr(pool_mod, "RECYCLE", 2)
    monkeypatch.setattr(workers, "process_executor", counted)
    _, recycled = build(xref_project, tmp_path / "recycled", "-j", "2")
    assert len(pools) >= 3, pools
    one = one_worker
    assert texts(recycled) == texts(one)


def test_formats_made_beside_the_pdf_are_those_made_after_it(xref_project, tmp_path, small_pieces, monkeypatch):
    """With two workers, the Markdown edition and the EPUB are made in a process of their own
    while the PDF is laid out (render/beside.py): the same files as in a build that makes them
    one after the other (``-j 1``), the EPUB with the print page list of the PDF built beside it."""
    from conftest import epubcheck_messages, java_available

    from blog2book.infra import beside

    started = []
    real = beside.start
    monkeypatch.setattr(beside, "start", lambda work: started.append(work) or real(work))
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        result = run_cli("build", xref_project / "manuscripts" / "xref.yml", "-f", "md", "-f", "pdf", "-f", "epub", "-o", out, "-j", jobs)
        assert result.exit_code == 0, result.output
        outputs[jobs] = {name: (out / f"xref{name}").read_bytes() for name in (".md", ".pdf", ".epub")}
        assert started == ([] if jobs == "1" else started[:1]) and (jobs == "1" or len(started) == 1)
    assert outputs["1"] == outputs["2"]
    import zipfile

    nav = zipfile.ZipFile(io.BytesIO(outputs["2"][".epub"])).read("EPUB/nav.xhtml").decode()
    assert nav.count('href="') and len(re.findall(r"#page-\d+", nav)) == len(pypdf.PdfReader(io.BytesIO(outputs["2"][".pdf"])).pages)
    if java_available():
        (tmp_path / "beside.epub").write_bytes(outputs["2"][".epub"])
        valid, messages = epubcheck_messages(tmp_path / "beside.epub")
        assert valid, messages


def test_a_format_that_fails_beside_the_pdf_fails_the_build(xref_project, tmp_path, small_pieces, monkeypatch):
    """What the process beside the PDF raises is the build's failure: exit 1, a message naming
    the phase, no traceback, nothing written."""
    from blog2book.render.markdown import backend as markdown

    def broken(self, book, ctx):
        raise RuntimeError("pandoc died writing the Markdown edition")

    monkeypatch.setattr(markdown.MarkdownBackend, "render", broken)
    out = tmp_path / "out"
    result = run_cli("build", xref_project / "manuscripts" / "xref.yml", "-f", "md", "-f", "pdf", "-f", "epub", "-o", out, "-j", "2")
    assert result.exit_code == 1
    assert "pandoc died writing the Markdown edition" in result.output and "Traceback" not in result.output
    assert not any(out.glob("xref.*"))
