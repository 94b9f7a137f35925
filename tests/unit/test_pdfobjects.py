"""render/shared/pdfobjects.add_object: a new object becomes an indirect object of the pypdf writer
(the next number, written as it is), through pypdf's public API."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from blog2book.render.shared.pdfobjects import add_object


def test_new_objects_get_the_next_numbers_and_are_written():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    stream = DecodedStreamObject()
    stream.set_data(b"0 0 m 10 10 l S")
    stream[NameObject("/Kind")] = NameObject("/Drawing")
    first = add_object(writer, stream)
    made = DictionaryObject({NameObject("/Drawing"): first, NameObject("/Sizes"): ArrayObject([NumberObject(1), NumberObject(2)])})
    second = add_object(writer, made)
    assert second.idnum == first.idnum + 1
    assert add_object(writer, second.get_object()) == second  # already in the writer: the same reference
    writer.root_object[NameObject("/Test")] = second

    back = PdfReader(_written(writer)).root_object["/Test"]
    assert back["/Sizes"] == [1, 2]
    assert back["/Drawing"].get_object()["/Kind"] == "/Drawing"
    assert back["/Drawing"].get_object().get_data() == b"0 0 m 10 10 l S"


def _written(writer: PdfWriter) -> io.BytesIO:
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    return out
