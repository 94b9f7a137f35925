"""The style's faces for the editions read on screens (the EPUB, the web edition): its @font-face
rules and ``:root`` settings, with each ``fontpkg:`` face as a file of its own."""

from __future__ import annotations

import re
from pathlib import Path

from blog2book.styles import css_chain, font_file


def web_fonts_css(style: Path) -> tuple[str, dict[str, Path]]:
    """The style's @font-face rules and :root settings, font files as ``fonts/<file>``."""
    fonts: dict[str, Path] = {}
    rules: list[str] = []

    def local(match: re.Match) -> str:
        path = font_file(match.group(1))
        if path is None:
            return match.group(0)
        fonts[f"fonts/{path.name}"] = path
        return f'url("fonts/{path.name}")'

    for css in css_chain(style / "print.css"):
        text = re.sub(r"/\*.*?\*/", "", css.read_text("utf-8"), flags=re.S)
        for rule in re.findall(r"@font-face\s*\{[^}]*\}", text):
            rule = re.sub(r'url\(\s*["\']?(fontpkg:[^"\')]+)["\']?\s*\)', local, rule)
            rules.append(rule.replace("}", " font-display: swap; }"))
        rules += re.findall(r"^:root\s*\{[^}]*\}", text, flags=re.M)
    return "\n".join(rules), fonts
