"""EAN-13 (the ISBN's "Bookland" barcode) with its optional EAN-5 price add-on, as vector SVG.

Encoded here from the GS1 tables (no dependency): 95 modules for the EAN-13, a 9-module gap, then
47 modules for the add-on. Check digits are verified (ISBN) or computed (add-on). The tests decode
the printed cover with a barcode reader.
"""

from __future__ import annotations

import re

_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
_R = tuple("".join("1" if b == "0" else "0" for b in code) for code in _L)
_G = tuple(code[::-1] for code in _R)
_PARITY13 = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")
_PARITY5 = ("GGLLL", "GLGLL", "GLLGL", "GLLLG", "LGGLL", "LLGGL", "LLLGG", "LGLGL", "LGLLG", "LLGLG")
GAP = 9  # modules between the EAN-13 and its add-on (7 to 12 allowed)


class BarcodeError(ValueError):
    pass


def ean13_check_digit(first12: str) -> int:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def ean13_modules(code: str) -> str:
    """The 95 modules (1 = bar) of a 13-digit EAN whose check digit is right."""
    digits = re.sub(r"[\s-]", "", code)
    if not re.fullmatch(r"\d{13}", digits):
        raise BarcodeError(f"{code!r} is not 13 digits")
    if ean13_check_digit(digits[:12]) != int(digits[12]):
        raise BarcodeError(f"{code!r}: wrong check digit (should be {ean13_check_digit(digits[:12])})")
    parity = _PARITY13[int(digits[0])]
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, digits[1:7]))
    right = "".join(_R[int(d)] for d in digits[7:])
    return "101" + left + "01010" + right + "101"


def ean5_modules(price: str) -> str:
    """The 47 modules of the five-digit add-on (the price: 5xxxx US$, 6xxxx CA$, 90000 none)."""
    if not re.fullmatch(r"\d{5}", price):
        raise BarcodeError(f"{price!r} is not five digits")
    check = (3 * sum(int(price[i]) for i in (0, 2, 4)) + 9 * sum(int(price[i]) for i in (1, 3))) % 10
    parity = _PARITY5[check]
    return "1011" + "01".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, price))


def _runs(modules: str, x0: float, module: float):
    """(x, width) of each bar."""
    x = None
    for i, m in enumerate(modules + "0"):
        if m == "1" and x is None:
            x = i
        elif m == "0" and x is not None:
            yield x0 + x * module, (i - x) * module
            x = None


def isbn_barcode_svg(isbn: str, price: str | None = None, module: float = 0.33, height: float = 22.0, font: str = "sans-serif") -> tuple[str, float, float]:
    """(SVG, width mm, height mm): the bars, the 13 digits under them, « ISBN … » above, the add-on
    on the right with its digits above it. Units are millimetres; quiet zones included."""
    digits = re.sub(r"[\s-]", "", isbn)
    bars = ean13_modules(digits)
    quiet_left, quiet_right = 11 * module, 7 * module
    text = 2.6  # mm, the digits' size
    top = text + 1.2  # room for « ISBN … » above
    width = quiet_left + 95 * module + quiet_right
    addon = ean5_modules(price) if price else ""
    if addon:
        width = quiet_left + (95 + GAP + 47) * module + 5 * module
    total_h = top + height + text + 0.8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.3f}mm" height="{total_h:.3f}mm" viewBox="0 0 {width:.3f} {total_h:.3f}">',
        f'<rect x="0" y="0" width="{width:.3f}" height="{total_h:.3f}" fill="#ffffff"/>',
    ]
    guards = {0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94}
    for x, w in _runs(bars, quiet_left, module):
        index = round((x - quiet_left) / module)
        long = index in guards
        parts.append(f'<rect x="{x:.3f}" y="{top:.3f}" width="{w:.3f}" height="{height + (text * 0.5 if long else 0):.3f}" fill="#000000"/>')
    style = f'font-family:{font};font-size:{text:.2f}px;fill:#000000'
    base = top + height + text * 0.95
    parts.append(f'<text x="{quiet_left - 1.2 * module * 6:.3f}" y="{base:.3f}" style="{style}">{digits[0]}</text>')
    for group, start in ((digits[1:7], 3), (digits[7:], 50)):
        x = quiet_left + (start + 21) * module
        parts.append(f'<text x="{x:.3f}" y="{base:.3f}" text-anchor="middle" style="{style}">{group}</text>')
    hyphenated = isbn if "-" in isbn else digits
    parts.append(f'<text x="{quiet_left + 47.5 * module:.3f}" y="{text:.3f}" text-anchor="middle" style="{style}">ISBN {hyphenated}</text>')
    if addon:
        x0 = quiet_left + (95 + GAP) * module
        add_top = top + text
        for x, w in _runs(addon, x0, module):
            parts.append(f'<rect x="{x:.3f}" y="{add_top:.3f}" width="{w:.3f}" height="{height + text * 0.5 - text:.3f}" fill="#000000"/>')
        parts.append(f'<text x="{x0 + 23.5 * module:.3f}" y="{add_top - 0.5:.3f}" text-anchor="middle" style="{style}">{price}</text>')
    parts.append("</svg>")
    return "".join(parts), width, total_h
