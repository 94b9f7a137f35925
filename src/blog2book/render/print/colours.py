"""Colours of the print files: DeviceRGB -> DeviceCMYK in content streams, forms, patterns and
images (render/print/press.py finishes the file with it).

Neutral greys (black included) go on the K plate alone; other colours through the output-intent
profile, their total ink capped at ``MAX_INK`` (300 %: offset on coated or uncoated paper). A
black-only interior (``print: {colour: black}``, the press default) has every colour on the K plate,
by its luminance, images in greyscale: a one-colour job. ``spot NAME``: the same, but the style's
accent on a plate of its own, a /Separation colour space named NAME whose alternate is the accent in
CMYK (a two-colour job). Gradients (shadings of type 2 and 3 functions) are converted like colours.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

from blog2book.render.print.cmyk import CMYK_PROFILE, rgb_transform

MAX_INK = 3.0  # total of C + M + Y + K, 1.0 a plate
SPOT = "/B2BSpot"  # the spot colour space's name in a stream's resources


class Converter:
    """DeviceRGB -> DeviceCMYK in content streams, forms, patterns and images. Neutral greys (black
    included) become K only, so text and rules print from the black plate alone; other colours go
    through the output-intent profile (relative colorimetric), or, ``black``, on the K plate too."""

    def __init__(self, icc: Path, flatten: bool, black: bool = False, spot=None):
        self.icc = icc
        self.flatten = flatten  # PDF/X-1a: no soft masks, images composited on white
        self.black = black or spot is not None  # every colour on the K plate, images in greyscale
        self.spot = spot  # (the /Separation space, an indirect object; the accent's r, g, b) or None
        self.done: set[int] = set()
        self.used = False  # whether a stream just converted drew in the spot colour

    def cmyk(self, r: float, g: float, b: float) -> tuple[float, ...]:
        return rgb_to_black(r, g, b) if self.black else rgb_to_cmyk(r, g, b, icc=str(self.icc))

    def is_accent(self, values) -> bool:
        return self.spot is not None and all(abs(float(v) - a) < 1.5 / 255 for v, a in zip(values, self.spot[1]))

    def page(self, page) -> None:
        from pypdf.generic import ContentStream, DictionaryObject, NameObject

        resources = page.get("/Resources")
        contents = page.get_contents()
        if contents is not None:
            stream = ContentStream(contents, page.pdf)
            if self._operations(stream.operations):
                page.replace_contents(stream)
                page.compress_content_streams()
            if self.used:
                if resources is None:
                    page[NameObject("/Resources")] = resources = DictionaryObject()
                self._declare(resources.get_object())
        if resources is not None:
            self._resources(resources.get_object())
        group = page.get("/Group")
        if group is not None and group.get_object().get("/CS") == "/DeviceRGB":
            from pypdf.generic import NameObject

            group.get_object()[NameObject("/CS")] = NameObject("/DeviceCMYK")

    def _declare(self, resources) -> None:
        """The spot colour space in ``resources`` (as /B2BSpot), for a stream that draws in it."""
        from pypdf.generic import DictionaryObject, NameObject

        spaces = resources.get("/ColorSpace")
        if spaces is None:
            resources[NameObject("/ColorSpace")] = spaces = DictionaryObject()
        spaces.get_object()[NameObject(SPOT)] = self.spot[0]

    def _operations(self, operations: list) -> bool:
        from pypdf.generic import FloatObject, NameObject

        changed = False
        self.used = False
        for i, (operands, operator) in enumerate(operations):
            if operator in (b"rg", b"RG") and len(operands) == 3 and self.is_accent(operands):
                # the accent: its space, then its full tint (a pair of operators where there was one)
                stroke = operator == b"RG"
                operations[i] = ([NameObject(SPOT)], b"CS" if stroke else b"cs")
                operations.insert(i + 1, ([FloatObject(1)], b"SCN" if stroke else b"scn"))
                changed = self.used = True
            elif operator in (b"rg", b"RG") and len(operands) == 3:
                cmyk = self.cmyk(*(float(v) for v in operands))
                operations[i] = ([FloatObject(round(v, 4)) for v in cmyk], b"k" if operator == b"rg" else b"K")
                changed = True
            elif operator in (b"cs", b"CS") and operands and operands[0] == "/DeviceRGB":
                operations[i] = ([NameObject("/DeviceCMYK")], operator)
                changed = True
            elif operator in (b"sc", b"scn", b"SC", b"SCN") and len(operands) == 3 and all(_is_number(v) for v in operands):
                # only after a DeviceRGB cs, turned into DeviceCMYK just above
                operations[i] = ([FloatObject(round(v, 4)) for v in self.cmyk(*(float(v) for v in operands))], operator)
                changed = True
            elif self.black and operator in (b"k", b"K") and len(operands) == 4 and any(float(v) for v in operands[:3]):
                operations[i] = ([FloatObject(round(v, 4)) for v in cmyk_to_black(*(float(v) for v in operands))], operator)
                changed = True
        return changed

    def _resources(self, resources) -> None:
        from pypdf.generic import ContentStream, NameObject

        for name in ("/XObject", "/Pattern"):
            objects = resources.get(name)
            if objects is None:
                continue
            objects = objects.get_object()
            for key in list(objects.keys()):
                ref = objects.raw_get(key)
                obj = objects[key].get_object()
                ident = getattr(ref, "idnum", None) or id(obj)
                if ident in self.done:
                    continue
                self.done.add(ident)
                subtype = obj.get("/Subtype")
                if subtype == "/Image":
                    self._image(objects, key, obj)
                    continue
                if obj.get("/PatternType") == 2:
                    self._shading(obj["/Shading"].get_object())
                    continue
                if subtype == "/Form" or obj.get("/PatternType") == 1:
                    stream = ContentStream(obj, None)
                    if self._operations(stream.operations):
                        obj.set_data(stream.get_data())
                    if self.used:  # a form without resources of its own uses its page's
                        self._declare(obj["/Resources"].get_object() if "/Resources" in obj else resources)
                    group = obj.get("/Group")
                    if group is not None and self.flatten and not _uses_transparency(obj.get("/Resources")):
                        del obj["/Group"]  # PDF/X-1a has no transparency; WeasyPrint's wrapper group blends nothing
                    elif group is not None and group.get_object().get("/CS") == "/DeviceRGB":
                        group.get_object()[NameObject("/CS")] = NameObject("/DeviceCMYK")
                    if "/Resources" in obj:
                        self._resources(obj["/Resources"].get_object())
        for shading in (resources.get("/Shading") or {}).values():
            self._shading(shading.get_object())

    def _shading(self, shading) -> None:
        """A DeviceRGB gradient in CMYK: its colour space, its background and its functions' colours
        (type 2, and type 3 stitching type 2s: what WeasyPrint writes). Other functions are left:
        the preflight names what stays RGB."""
        from pypdf.generic import ArrayObject, FloatObject, NameObject

        if shading.get("/ColorSpace") != "/DeviceRGB":
            return
        functions = [shading.get("/Function")]
        simple: list = []
        while functions:
            function = functions.pop()
            function = function.get_object() if function is not None else None
            if function is None or isinstance(function, list) or function.get("/FunctionType") not in (2, 3):
                return
            if function["/FunctionType"] == 3:
                functions += list(function["/Functions"])
            else:
                simple.append(function)

        def cmyk(values) -> ArrayObject:
            return ArrayObject(FloatObject(round(v, 4)) for v in self.cmyk(*(float(v) for v in values)))

        for function in simple:
            for key, default in (("/C0", (0, 0, 0)), ("/C1", (1, 1, 1))):
                function[NameObject(key)] = cmyk(function.get(key, default))
            if "/Range" in function:
                function[NameObject("/Range")] = ArrayObject(FloatObject(v) for v in (0, 1) * 4)
        if "/Background" in shading:
            shading[NameObject("/Background")] = cmyk(shading["/Background"])
        shading[NameObject("/ColorSpace")] = NameObject("/DeviceCMYK")

    def _image(self, objects, key, obj) -> None:
        from PIL import Image, ImageCms
        from pypdf.generic import NameObject, NumberObject

        space = obj.get("/ColorSpace")
        if space != "/DeviceRGB" and not (self.flatten and "/SMask" in obj) and not (self.black and space == "/DeviceCMYK"):
            return
        try:
            image = _decode(obj)
        except (KeyError, ValueError, OSError):  # a sample layout Pillow cannot read: left as is, the preflight refuses it
            return
        if image.mode != "RGB":  # a CMYK image too: through Pillow's naive conversion, its luminance
            image = image.convert("RGB")
        if "/SMask" in obj and self.flatten:
            alpha = _decode(obj["/SMask"].get_object()).convert("L").resize(image.size)
            image = Image.composite(image, Image.new("RGB", image.size, "white"), alpha)
            del obj["/SMask"]
        if self.black:
            converted, space = image.convert("L"), "/DeviceGray"  # the K plate alone
        else:
            converted, space = cap_ink(ImageCms.applyTransform(image, rgb_transform(str(self.icc)))), "/DeviceCMYK"
        obj[NameObject("/Filter")] = NameObject("/FlateDecode")
        obj.pop("/DecodeParms", None)
        obj.set_data(converted.tobytes())  # pypdf compresses it with the stream's filter
        obj.pop("/Decode", None)
        obj[NameObject("/ColorSpace")] = NameObject(space)
        obj[NameObject("/BitsPerComponent")] = NumberObject(8)


def _decode(obj):
    """An image XObject as a Pillow image (WeasyPrint writes JPEG or Flate-compressed samples)."""
    from PIL import Image

    filters = obj.get("/Filter")
    filters = [filters] if isinstance(filters, str) else list(filters or [])
    data = obj.get_data()
    if "/DCTDecode" in filters:
        return Image.open(io.BytesIO(data))
    mode = {"/DeviceRGB": "RGB", "/DeviceGray": "L", "/DeviceCMYK": "CMYK"}[obj.get("/ColorSpace", "/DeviceGray")]
    return Image.frombytes(mode, (int(obj["/Width"]), int(obj["/Height"])), data)


def _uses_transparency(resources) -> bool:
    """Whether a form's graphics states set an alpha or a soft mask (only those need a group)."""
    if resources is None:
        return False
    for state in (resources.get_object().get("/ExtGState") or {}).values():
        state = state.get_object()
        if float(state.get("/ca", 1)) < 1 or float(state.get("/CA", 1)) < 1 or state.get("/SMask", "/None") != "/None":
            return True
    return False


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


@lru_cache(maxsize=1024)
def rgb_to_cmyk(r: float, g: float, b: float, icc: str = str(CMYK_PROFILE)) -> tuple[float, float, float, float]:
    """A DeviceRGB colour (0..1) in CMYK (0..1): greys (black too) on the K plate alone."""
    if abs(r - g) < 1 / 255 and abs(g - b) < 1 / 255:
        return (0.0, 0.0, 0.0, round(1.0 - (r + g + b) / 3, 4))
    from PIL import Image, ImageCms

    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (r, g, b)))
    c, m, y, k = ImageCms.applyTransform(pixel, rgb_transform(icc)).getpixel((0, 0))
    return capped(c / 255, m / 255, y / 255, k / 255)


def capped(c: float, m: float, y: float, k: float) -> tuple[float, float, float, float]:
    """A CMYK colour with its total ink at most ``MAX_INK``: C, M and Y reduced alike, K kept."""
    total = c + m + y + k
    if total <= MAX_INK:
        return (c, m, y, k)
    scale = max(0.0, MAX_INK - k) / (c + m + y)
    return (*(math.floor(v * scale * 10000) / 10000 for v in (c, m, y)), k)  # rounded down: never over


def cap_ink(image):
    """A CMYK Pillow image with no pixel over ``MAX_INK``: C, M and Y reduced alike where it is."""
    from PIL import Image, ImageMath

    c, m, y, k = image.split()
    limit = round(MAX_INK * 255)
    total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"], c=c, m=m, y=y, k=k)
    if total.getextrema()[1] <= limit:
        return image
    cmy = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"], c=c, m=m, y=y)
    # where over the limit: each of C, M, Y times (limit - K) / (C + M + Y), in integers
    over = ImageMath.lambda_eval(lambda e: e["t"] > limit, t=total)

    def scaled(plate):
        return ImageMath.lambda_eval(
            lambda e: e["over"] * ((e["v"] * (limit - e["k"])) / e["max"](e["cmy"], 1)) + (1 - e["over"]) * e["v"],
            v=plate, k=k, cmy=cmy, over=over,
        ).convert("L")

    return Image.merge("CMYK", (scaled(c), scaled(m), scaled(y), k))


def rgb_to_black(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """A DeviceRGB colour on the K plate alone, as dark as its luminance (Rec. 601)."""
    return (0.0, 0.0, 0.0, round(1.0 - (0.299 * r + 0.587 * g + 0.114 * b), 4))


def cmyk_to_black(c: float, m: float, y: float, k: float) -> tuple[float, float, float, float]:
    """A CMYK colour on the K plate alone (through its naive RGB)."""
    return rgb_to_black(*((1 - v) * (1 - k) for v in (c, m, y)))


def hex_to_cmyk(colour: str, icc: Path = CMYK_PROFILE) -> tuple[float, float, float, float]:
    """``#rrggbb`` in CMYK through the profile (the style's accent, the cover's colours)."""
    value = colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return rgb_to_cmyk(r, g, b, icc=str(icc))


def device_cmyk(colour: str, icc: Path = CMYK_PROFILE, black: bool = False) -> str:
    """``device-cmyk(c m y k)`` CSS for ``#rrggbb``; ``black``: on the K plate alone (small text)."""
    if black:
        value = colour.strip().lstrip("#")
        value = "".join(ch * 2 for ch in value) if len(value) == 3 else value
        cmyk = rgb_to_black(*(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    else:
        cmyk = hex_to_cmyk(colour, icc)
    return "device-cmyk(" + " ".join(f"{v:.3f}" for v in cmyk) + ")"

