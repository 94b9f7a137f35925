"""Issue 24, items 1 to 3, through the CLI: ``import`` follows no link that leaves the site (posts,
configuration, images) and writes nothing through a link that leaves the posts folder; every
edition gets the cleaned SVG, and the preview answers only its local names, with a
Content-Security-Policy on every response. Nothing of the secret files reaches a post or a book."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import shutil
import zipfile
from pathlib import Path

from pypdf import PdfReader

from conftest import REPO, run_cli
from test_hardening import SECRET, failed, outputs_hold_no_secret, post, project, use_post  # noqa: F401  (project: a fixture)
from test_preview import start, stop, wait_for

IMPORT = REPO / "tests" / "roots" / "import"
PASSWD = "root:x:0:0"  # the first line of /etc/passwd
BOOK = "title: Un blogue importé\nauthor: Une autrice\nlang: fr-CA\nchapters:\n  - title: Les billets\n    posts: [{posts}]\n"


def files(folder: Path) -> dict[str, object]:
    """Every file, folder and link under ``folder``, links not followed: what a run must not change."""
    found: dict[str, object] = {}
    for base, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(base, name)
            rel = str(path.relative_to(folder))
            found[rel] = ("link", os.readlink(path)) if path.is_symlink() else "folder" if path.is_dir() else path.read_bytes()
    return found


def no_secret_in(folder: Path) -> None:
    outputs_hold_no_secret(folder)
    for path in folder.rglob("*"):
        if path.is_file():
            assert PASSWD.encode() not in path.read_bytes(), path
        if path.suffix == ".pdf":
            text = "".join(page.extract_text() for page in PdfReader(str(path)).pages)
            assert SECRET not in text and PASSWD not in text


def build_every_edition(project: Path, manuscript: Path) -> Path:
    """The book in every edition (PDF, EPUB, Markdown, web), posts/ and manuscripts/ unchanged."""
    before = {name: files(project / name) for name in ("posts", "manuscripts")}
    out = project.parent / "out"
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "epub", "-f", "md", "-f", "html", "-o", out)
    assert result.exit_code == 0, result.output
    assert {name: files(project / name) for name in ("posts", "manuscripts")} == before
    no_secret_in(out)
    return out


def imported_book(tmp_path: Path, site: Path, slugs: list[str]) -> str:
    """``site`` imported into a new project, then a book of its posts built; the import's messages."""
    project = tmp_path / "livre"
    (project / "manuscripts").mkdir(parents=True)
    manuscript = project / "manuscripts" / "livre.yml"
    manuscript.write_text(BOOK.format(posts=", ".join(slugs)), "utf-8")
    result = run_cli("import", site, "--into", "posts", cwd=project)
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in (project / "posts").glob("*.md")) == sorted(slugs)
    no_secret_in(project / "posts")
    assert SECRET not in result.output and PASSWD not in result.output
    build_every_edition(project, manuscript)
    return result.stderr


def outside_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------- 1: links leaving the site

def test_1_jekyll_links_leaving_the_site_are_not_followed(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(IMPORT / "jekyll", site)
    posts = site / "_posts"
    (posts / "2010-01-01-secret.md").symlink_to(outside_file(tmp_path, "secret.md", f"---\ntitle: Secret\n---\n\n{SECRET}\n"))
    (posts / "2010-01-02-passwd.md").symlink_to("/etc/passwd")
    (site / "_config.yml").unlink()
    (site / "_config.yml").symlink_to(outside_file(tmp_path, "config.yml", f"url: https://{SECRET}.example\npermalink: /{SECRET}/:title/\n"))
    (site / "_drafts").mkdir()  # a link inside the site to a file inside it is read
    (site / "_drafts" / "2012-01-01-lien.md").write_text("---\ntitle: Un lien dans le site\n---\n\nCe billet est lu.\n", "utf-8")
    (posts / "2012-01-01-lien.md").symlink_to("../_drafts/2012-01-01-lien.md")
    err = imported_book(tmp_path, site, ["conference", "influence-et-portee", "lien"])
    for name, target in (("_config.yml", (tmp_path / "config.yml").resolve()), ("_posts/2010-01-01-secret.md", (tmp_path / "secret.md").resolve()), ("_posts/2010-01-02-passwd.md", "/etc/passwd")):
        assert f"site/{name}: warning: this file is a link to '{target}', outside the site" in err, err
    assert err.count("[import.outside]") == 3
    assert "imported 3 post(s)" in err


def test_1_hugo_links_leaving_the_site_are_not_followed(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(IMPORT / "hugo", site)
    posts = site / "content" / "posts"
    (posts / "secret.md").symlink_to(outside_file(tmp_path, "secret.md", f"---\ntitle: Secret\n---\n\n{SECRET}\n"))
    (posts / "fuite").mkdir()
    (posts / "fuite" / "index.md").symlink_to("/etc/passwd")  # a page bundle
    (posts / "dehors").symlink_to(tmp_path / "bundle", target_is_directory=True)  # a bundle's folder leading outside
    (tmp_path / "bundle").mkdir()
    (tmp_path / "bundle" / "index.md").write_text(f"+++\ntitle = \"Dehors\"\n+++\n\n{SECRET}\n", "utf-8")
    (site / "config.toml").unlink()
    (site / "config.toml").symlink_to(outside_file(tmp_path, "config.toml", f'baseURL = "https://{SECRET}.example/"\n'))
    err = imported_book(tmp_path, site / "content", ["bundle-dix-ans", "strategie-medias-sociaux"])
    for name in ("config.toml", "content/posts/secret.md", "content/posts/fuite/index.md"):
        assert f"site/{name}: warning: this file is a link to " in err and "outside the site" in err, err
    assert "imported 2 post(s)" in err


def test_1_images_of_the_uploads_copy_leading_outside_are_not_copied(tmp_path):
    uploads = tmp_path / "uploads"
    shutil.copytree(IMPORT / "uploads", uploads)
    (tmp_path / "secret.png").write_bytes((uploads / "2010" / "10" / "photo.png").read_bytes() + SECRET.encode())
    (uploads / "2010" / "10" / "photo.png").unlink()
    (uploads / "2010" / "10" / "photo.png").symlink_to(tmp_path / "secret.png")
    project = tmp_path / "livre"
    project.mkdir()
    result = run_cli("import", IMPORT / "blog.wxr", "--media", uploads, cwd=project)
    assert result.exit_code == 0, result.output
    assert f"uploads/2010/10/photo.png: warning: this file is a link to '{(tmp_path / 'secret.png').resolve()}', outside the uploads copy" in result.stderr, result.stderr
    assert not (project / "posts" / "images" / "2010" / "10" / "photo.png").exists()
    assert (project / "posts" / "images" / "2010" / "10" / "photo-300x200.png").is_file()  # the resized copy, inside, instead
    no_secret_in(project / "posts")


# ---------------------------------------------------------------- 2: writes through a link

def test_2_import_writes_nothing_through_a_link_leaving_the_posts_folder(project, tmp_path):
    outside = tmp_path / "ailleurs"
    for link, args in (("images", ()), ("images/2010", ()), ("images", ("--dry-run",))):
        shutil.rmtree(outside, ignore_errors=True)
        outside.mkdir()
        (outside / "garde.txt").write_text("à garder\n", "utf-8")
        folder = project / "posts" / link
        shutil.rmtree(project / "posts" / "images")
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.symlink_to(outside, target_is_directory=True)
        before = {name: files(project / name) for name in ("posts", "manuscripts")}
        result = run_cli("import", IMPORT / "blog.wxr", "--media", IMPORT / "uploads", *args, cwd=project)
        failed(result, f"posts/{link}: error: this folder is a link to '{outside.resolve()}', outside posts: the import writes only inside it, and wrote nothing", "[import.outside]")
        assert files(outside) == {"garde.txt": "à garder\n".encode()}
        assert {name: files(project / name) for name in ("posts", "manuscripts")} == before
        assert [p.name for p in project.iterdir() if ".import-" in p.name] == []  # the temporary folder is gone
        folder.unlink()
        (project / "posts" / "images").mkdir(exist_ok=True)


def test_2_a_posts_folder_that_is_a_dangling_link_is_refused(tmp_path):
    (tmp_path / "livre").mkdir()
    (tmp_path / "livre" / "posts").symlink_to(tmp_path / "nulle-part" / "posts", target_is_directory=True)
    result = run_cli("import", IMPORT / "feed.rss", cwd=tmp_path / "livre")
    failed(result, f"posts: error: the posts folder is a link to '{tmp_path / 'nulle-part' / 'posts'}', which does not exist", "[import.into]")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["livre"]  # nothing made where it leads


def test_2_a_link_inside_the_posts_folder_may_be_written_through(project):
    (project / "posts" / "medias").mkdir()
    shutil.rmtree(project / "posts" / "images")
    (project / "posts" / "images").symlink_to("medias", target_is_directory=True)
    result = run_cli("import", IMPORT / "blog.wxr", "--media", IMPORT / "uploads", cwd=project)
    assert result.exit_code == 0, result.output
    assert (project / "posts" / "medias" / "2010" / "10" / "photo.png").is_file()


# ---------------------------------------------------------------- 3: active SVG, the preview

ACTIVE_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" onload="alert(1)">
<script>alert("{SECRET}")</script>
<foreignObject width="10" height="10"><body xmlns="http://www.w3.org/1999/xhtml"><script>fetch("http://127.0.0.1:8000/{SECRET}")</script></body></foreignObject>
<image href="file://{{secret}}" width="10" height="10"/>
<image xlink:href="http://127.0.0.1:8080/pixel.png" width="10" height="10"/>
<image href="http://localhost/pixel.png" width="10" height="10"/>
<a xlink:href="javascript:alert(1)"><rect width="40" height="20" fill="#336" onclick="x()"/></a>
</svg>"""
ACTIVE = ("<script", "onload", "onclick", "foreignObject", "file:", "127.0.0.1", "localhost", "javascript:", SECRET)


def svg_book(project: Path, tmp_path: Path) -> Path:
    (tmp_path / "secret.png").write_bytes(SECRET.encode())
    (project / "posts" / "images" / "actif.svg").write_text(ACTIVE_SVG.replace("{secret}", str(tmp_path / "secret.png")), "utf-8")
    post(project, "svg.md", "---\ntitle: Une image vectorielle\n---\n\nAvant.\n\n![Un schéma](images/actif.svg)\n")
    return use_post(project, "svg")


def clean(svg: bytes) -> None:
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    for bad in ACTIVE:
        assert bad.encode() not in svg, bad


def test_3_every_edition_gets_the_cleaned_svg(project, tmp_path):
    out = build_every_edition(project, svg_book(project, tmp_path))
    web = sorted((out / "tiny-html" / "images").glob("*.svg"))
    with zipfile.ZipFile(out / "tiny.epub") as z:
        epub = [z.read(n) for n in z.namelist() if n.endswith(".svg")]
    assert len(web) == 1 and len(epub) == 1
    assert web[0].read_bytes() == epub[0]
    clean(epub[0])


def request(port: int, path: str, host: str | None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_3_the_preview_serves_cleaned_svg_only_to_local_names_with_a_policy(project, tmp_path):
    svg_book(project, tmp_path)
    proc = start(["preview", "manuscripts/tiny.yml", "--port", "0"], project)
    try:
        line = wait_for(lambda: proc.stderr.readline(), what="the server's address")
        while "serving" not in line:
            line = proc.stderr.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        local = f"127.0.0.1:{port}"
        for host in (local, f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
            status, headers, page = request(port, "/", host)
            assert status == 200, (host, page)
        policy = headers["content-security-policy"]
        for rule in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert rule in policy
        script = re.search(rb'<script data-version="\d+">(.*?)</script>', page).group(1)  # the reload script, allowed by its hash alone
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert re.search(r"script-src ([^;]*)", policy).group(1) == f"'sha256-{digest}'"
        assert headers["x-content-type-options"] == "nosniff"

        svg = next((project / "build" / "preview" / "tiny-html" / "images").glob("*.svg")).name
        status, headers, data = request(port, f"/images/{svg}", local)
        assert status == 200 and headers["content-type"] == "image/svg+xml" and headers["content-security-policy"] == policy
        clean(data)

        # DNS rebinding: a name of the attacker's leading to 127.0.0.1, or another port
        for host, code in ((f"evil.example:{port}", 421), ("evil.example", 421), (f"127.0.0.1:{port + 1}", 421), (f"127.0.0.1.evil.example:{port}", 421), (None, 400)):
            for path in ("/", f"/images/{svg}", "/__blog2book/version"):
                status, headers, data = request(port, path, host)
                assert status == code, (host, path, status)
                assert headers["content-security-policy"] == policy
                assert b"<svg" not in data and b"<html" not in data.lower()
        status, headers, _ = request(port, "/absent.html", local)
        assert status == 404 and headers["content-security-policy"] == policy
    finally:
        code = stop(proc)
    assert code == 130
