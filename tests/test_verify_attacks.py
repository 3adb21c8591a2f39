"""`kehoach verify` against the published attack classes on PDF signatures, each forgery built here in
code on a PDF signed at test time (tests/sign_fixtures.py), never copied from anywhere:

- Shadow Attacks (Mainka, Mladenov, Rohlmann, NDSS 2021): content prepared before signing, made visible
  after by an update that looks allowed: hide (an overlay taken away), replace (an overlay or a form
  field's value redrawn), hide-and-replace (the catalogue's /Pages pointed at a page tree hidden in the
  signed file);
- Incremental Saving Attack, Signature Wrapping Attack, Universal Signature Forgery (Mladenov et al.,
  "1 Trillion Dollar Refund", 2019);
- Evil Annotation and Sneaky Signature against certified documents (Rohlmann et al., S&P 2021);
- a signature that does not reach the end of the file, with content after it;
- hostile files: a million objects, deep nesting, a huge cross-reference table, an object stream, a
  decompression bomb in a content stream: verify stops in bounded time with a Vietnamese message.

Each test asserts the verdict and what the report names (page, words), and that the genuine signature
of the same file before the attack is valid."""

from __future__ import annotations

import io
import re
import zlib
from typing import Any
from pathlib import Path

import pytest

pytest.importorskip("pyhanko", reason='chưa cài thư viện ký số; cài bằng: pip install -e ".[sign]"')
pytest.importorskip("pdfminer", reason='chưa cài pdfminer.six; cài bằng: pip install -e ".[sign]"')

from generator.cli import main  # noqa: E402
from generator.errors import UserError  # noqa: E402
from generator.esign.verify import Verification, verify_file  # noqa: E402
from tests.sign_fixtures import PASSWORD, make_ca, make_cert, sign_pdf  # noqa: E402

BOX = (300, 560, 480, 620)
HEAD = [(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 125/KH-SKHCN"),
        (72, 700, "KE HOACH Truyen thong nam 2024"), (72, 650, "Noi dung chinh cua ke hoach.")]


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("pki-tan-cong")
    ca = make_ca()
    return {"ca": ca, "signer": make_cert(ca, "Nguyen Van Thanh", "So Khoa hoc va Cong nghe"),
            "agency": make_cert(ca, "So Khoa hoc va Cong nghe", "UBND tinh Thu nghiem"),
            "attacker": make_cert(None, "Nguyen Van Thanh", "So Khoa hoc va Cong nghe"),
            "ca_pem": ca.pem(folder / "ca.pem")}


# --- Building PDFs --------------------------------------------------------------------------------

def _g():  # noqa: ANN202
    from pyhanko.pdf_utils import generic

    return generic


def _n(name: str):  # noqa: ANN202
    return _g().pdf_name(name)


def _text_ops(lines: list[tuple[float, float, str]]) -> bytes:
    return b"".join(b"BT /F1 12 Tf %.1f %.1f Td (%s) Tj ET\n" % (x, y, t.encode("latin-1")) for x, y, t in lines)


def _font(writer):  # noqa: ANN001, ANN202
    g = _g()
    return writer.add_object(g.DictionaryObject({
        _n("/Type"): _n("/Font"), _n("/Subtype"): _n("/Type1"), _n("/BaseFont"): _n("/Helvetica"),
        _n("/Encoding"): _n("/WinAnsiEncoding")}))


def _form(writer, font, ops: bytes, bbox=(0, 0, 595, 842)):  # noqa: ANN001, ANN202
    """A form XObject drawing ops (Helvetica as /F1)."""
    g = _g()
    return writer.add_object(g.StreamObject({
        _n("/Type"): _n("/XObject"), _n("/Subtype"): _n("/Form"),
        _n("/BBox"): g.ArrayObject([g.NumberObject(v) for v in bbox]),
        _n("/Resources"): g.DictionaryObject({_n("/Font"): g.DictionaryObject({_n("/F1"): font})})},
        stream_data=ops))


def _page(writer, font, ops: bytes, xobjects: dict | None = None, annots: list | None = None):  # noqa: ANN001, ANN202
    g = _g()
    resources = g.DictionaryObject({_n("/Font"): g.DictionaryObject({_n("/F1"): font})})
    if xobjects:
        resources[_n("/XObject")] = g.DictionaryObject({_n(k): v for k, v in xobjects.items()})
    page = g.DictionaryObject({
        _n("/Type"): _n("/Page"), _n("/MediaBox"): g.ArrayObject([g.NumberObject(v) for v in (0, 0, 595, 842)]),
        _n("/Contents"): writer.add_object(g.StreamObject(stream_data=ops)), _n("/Resources"): resources})
    if annots:
        page[_n("/Annots")] = g.ArrayObject(annots)
    return page


def _pdf(build) -> bytes:  # noqa: ANN001
    """A one-page PDF: build(writer, font) returns the page dictionary (the document before signing,
    where a shadow attack prepares what it will show later)."""
    from pyhanko.pdf_utils.writer import PdfFileWriter

    writer = PdfFileWriter()
    font = _font(writer)
    writer.insert_page(build(writer, font))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _plain() -> bytes:
    return _pdf(lambda w, f: _page(w, f, _text_ops(HEAD)))


def _update(data: bytes, change) -> bytes:  # noqa: ANN001
    """An incremental update made by change(writer), as any PDF editor appends one."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _replace(writer, ref, obj) -> None:  # noqa: ANN001
    """Write obj in the update under an existing object number (the object swapped)."""
    writer.objects[(ref.generation, ref.idnum)] = obj


def _ref_of(data: bytes, pattern: bytes) -> int:
    """The number of the first object whose body matches pattern."""
    found = re.search(rb"(\d+) 0 obj\s*<<(?:(?!endobj).)*?" + pattern, data, re.S)
    assert found, pattern
    return int(found.group(1))


def _text_field(writer, font, name: str, value: str, rect, ops: bytes):  # noqa: ANN001, ANN202
    """A text field widget with value and an appearance drawing ops in its own box."""
    g = _g()
    x0, y0, x1, y1 = rect
    return writer.add_object(g.DictionaryObject({
        _n("/Type"): _n("/Annot"), _n("/Subtype"): _n("/Widget"), _n("/FT"): _n("/Tx"),
        _n("/T"): g.TextStringObject(name), _n("/V"): g.TextStringObject(value), _n("/F"): g.NumberObject(4),
        _n("/Rect"): g.ArrayObject([g.NumberObject(v) for v in rect]),
        _n("/DA"): g.TextStringObject("/F1 12 Tf 0 g"),
        _n("/AP"): g.DictionaryObject({_n("/N"): _form(writer, font, ops, (0, 0, x1 - x0, y1 - y0))})}))


def _with_field(field_args: tuple, extra_ops: bytes = b"") -> bytes:
    """The plain page with extra content and one text field in an AcroForm."""
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        field = _text_field(writer, font, *field_args)
        page = _page(writer, font, _text_ops(HEAD) + extra_ops, annots=[field])
        writer.root[_n("/AcroForm")] = g.DictionaryObject({_n("/Fields"): g.ArrayObject([field])})
        return page

    return _pdf(build)


def _sign(data: bytes, who, field: str = "ChuKyNguoiKy", **kw) -> bytes:  # noqa: ANN001
    return sign_pdf(data, who, field, box=kw.pop("box", BOX), **kw)


def _check(tmp_path: Path, data: bytes, pki: dict, name: str = "tan-cong.pdf") -> Verification:
    path = tmp_path / name
    path.write_bytes(data)
    return verify_file(path, trust=[pki["ca_pem"]])


def _said(result: Verification) -> str:
    return "\n".join(r.to_text(i + 1) for i, r in enumerate(result))


def _bad(result: Verification, kind: str | None = None) -> list:
    return [c for r in result for c in r.changes_after if c.kind not in ("signature", "stamp", "form")
            and (kind is None or c.kind == kind)]


def _genuine(tmp_path: Path, data: bytes, pki: dict) -> None:
    """The signed file the attack starts from is itself valid: the attack, not the fixture, is refused."""
    result = _check(tmp_path, data, pki, "goc.pdf")
    assert result.verdict == "valid", _said(result)


# --- Shadow attacks -------------------------------------------------------------------------------

HIDDEN = (330, 450, "DA HUY KE HOACH NAY")


def test_shadow_hide_an_overlay_object_swapped_for_an_empty_one(pki, tmp_path) -> None:
    """Hidden words under a white overlay at signing; the overlay object rewritten empty after."""
    def build(writer, font):  # noqa: ANN001, ANN202
        cover = _form(writer, font, b"1 1 1 rg 320 440 260 30 re f")
        return _page(writer, font, _text_ops([*HEAD, HIDDEN]) + b"q /Ov Do Q\n", {"/Ov": cover})

    signed = _sign(_pdf(build), pki["signer"])
    _genuine(tmp_path, signed, pki)
    cover = _ref_of(signed, rb"/BBox")
    forged = _update(signed, lambda w: _replace(w, _g().Reference(cover, 0, w.prev),
                                                  _g().StreamObject(stream_data=b"")))
    result = _check(tmp_path, forged, pki)
    assert result.verdict == "invalid", _said(result)
    (change,) = _bad(result)
    assert change.kind == "content" and change.page == 1, change
    assert "DA HUY KE HOACH NAY" in change.detail, change  # what the reader now sees appear


def test_shadow_hide_a_form_field_whose_cover_goes(pki, tmp_path) -> None:
    """A text field whose appearance is a white box over hidden words; after signing the field is
    "filled" with an empty value whose appearance paints nothing: form filling to a naive checker."""
    cover = b"1 1 1 rg 0 0 260 30 re f"
    signed = _sign(_with_field(("GhiChu", " ", (320, 440, 580, 470), cover), _text_ops([HIDDEN])), pki["signer"])
    _genuine(tmp_path, signed, pki)

    def fill(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        field[_n("/V")] = _g().TextStringObject("")
        field[_n("/AP")] = _g().DictionaryObject({_n("/N"): _form(writer, _font(writer), b"", (0, 0, 260, 30))})
        writer.update_container(field)

    result = _check(tmp_path, _update(signed, fill), pki)
    assert result.verdict == "invalid", _said(result)
    (change,) = _bad(result)
    assert change.kind == "content" and change.page == 1 and "GhiChu" in change.detail, change
    assert "DA HUY KE HOACH NAY" in change.detail, change


def test_shadow_replace_a_form_field_value_redrawn(pki, tmp_path) -> None:
    """A field showing "Kinh phi: 100 trieu" at signing shows "Kinh phi: 900 trieu" after."""
    signed = _sign(_with_field(("KinhPhi", "Kinh phi: 100 trieu", (72, 590, 300, 610),
                                _text_ops([(2, 5, "Kinh phi: 100 trieu")]))), pki["signer"])
    _genuine(tmp_path, signed, pki)

    def fill(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        field[_n("/V")] = _g().TextStringObject("Kinh phi: 900 trieu")
        field[_n("/AP")] = _g().DictionaryObject({_n("/N"): _form(
            writer, _font(writer), _text_ops([(2, 5, "Kinh phi: 900 trieu")]), (0, 0, 228, 20))})
        writer.update_container(field)

    result = _check(tmp_path, _update(signed, fill), pki)
    assert result.verdict == "invalid", _said(result)
    (change,) = _bad(result)
    assert change.kind == "content" and change.page == 1 and "KinhPhi" in change.detail, change
    assert "900" in change.detail and "100" in change.detail, change


def test_shadow_hide_a_field_hidden_at_signing_made_visible(pki, tmp_path) -> None:
    """The field's words are in the signed file, its Hidden flag set; after signing only the flag
    changes."""
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        field = _text_field(writer, font, "GhiChu", "x", (72, 440, 300, 470), _text_ops([(2, 8, "DA HUY KE HOACH NAY")]))
        field.get_object()[_n("/F")] = g.NumberObject(2)
        writer.root[_n("/AcroForm")] = g.DictionaryObject({_n("/Fields"): g.ArrayObject([field])})
        return _page(writer, font, _text_ops(HEAD), annots=[field])

    signed = _sign(_pdf(build), pki["signer"])
    _genuine(tmp_path, signed, pki)

    def show(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        field[_n("/F")] = g.NumberObject(4)
        writer.update_container(field)

    result = _check(tmp_path, _update(signed, show), pki)
    assert result.verdict == "invalid", _said(result)
    (change,) = _bad(result)
    assert change.kind == "content" and change.page == 1 and "ẩn lúc ký nay hiện ra" in change.detail, change
    assert "DA HUY KE HOACH NAY" in change.detail, change


def test_shadow_hide_and_replace_a_page_pointed_at_a_hidden_stream(pki, tmp_path) -> None:
    """A second content stream signed with the file but drawn by nothing; after signing the page's
    /Contents points at it."""
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        hidden = writer.add_object(g.StreamObject(stream_data=_text_ops(
            [(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 999/KH-GIA")])))
        writer.root[_n("/Extra")] = hidden
        return _page(writer, font, _text_ops(HEAD))

    signed = _sign(_pdf(build), pki["signer"])
    _genuine(tmp_path, signed, pki)

    def point(writer) -> None:  # noqa: ANN001
        page = writer.find_page_for_modification(0)[0].get_object()
        page[_n("/Contents")] = writer.root.raw_get("/Extra")
        writer.update_container(page)

    result = _check(tmp_path, _update(signed, point), pki)
    assert result.verdict == "invalid", _said(result)
    change = next(c for c in _bad(result) if c.kind == "content")
    assert change.page == 1 and "999/KH-GIA" in change.detail and "/Contents" in change.detail, change


def test_a_blank_field_filled_in_a_blank_stays_form_filling(pki, tmp_path) -> None:
    """What a form is for: a field empty at signing filled where nothing was written. Allowed."""
    signed = _sign(_with_field(("GhiChu", "", (72, 520, 300, 540), b"")), pki["signer"])

    def fill(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        field[_n("/V")] = _g().TextStringObject("Da nhan")
        field[_n("/AP")] = _g().DictionaryObject({_n("/N"): _form(
            writer, _font(writer), _text_ops([(2, 5, "Da nhan")]), (0, 0, 228, 20))})
        writer.update_container(field)

    result = _check(tmp_path, _update(signed, fill), pki)
    assert result.verdict == "valid", _said(result)
    assert [c.kind for c in result[0].changes_after] == ["form"]


def test_shadow_replace_by_asking_the_reader_to_redraw_fields(pki, tmp_path) -> None:
    """The value changed and /NeedAppearances set, the appearance left as signed: a reader draws the
    new value itself."""
    g = _g()
    signed = _sign(_with_field(("KinhPhi", "Kinh phi: 100 trieu", (72, 590, 300, 610),
                                _text_ops([(2, 5, "Kinh phi: 100 trieu")]))), pki["signer"])

    def redraw(writer) -> None:  # noqa: ANN001
        form = writer.root["/AcroForm"]
        form[_n("/NeedAppearances")] = g.BooleanObject(True)
        field = form["/Fields"][0].get_object()
        field[_n("/V")] = g.TextStringObject("Kinh phi: 900 trieu")
        writer.update_container(field)
        writer.update_root()

    result = _check(tmp_path, _update(signed, redraw), pki)
    assert result.verdict == "invalid", _said(result)
    assert any("NeedAppearances" in c.detail for c in _bad(result)), _said(result)


def _field_with_a_widget_kid(value: str, ops: bytes) -> bytes:
    """A text field whose value sits on the field, its widget a kid of it (the usual shape when one
    field shows in several places), readers asked to draw fields from their values from the start."""
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        rect = (72, 590, 300, 610)
        field = writer.add_object(g.DictionaryObject({
            _n("/FT"): _n("/Tx"), _n("/T"): g.TextStringObject("KinhPhi"), _n("/V"): g.TextStringObject(value),
            _n("/DA"): g.TextStringObject("/F1 12 Tf 0 g")}))
        widget = writer.add_object(g.DictionaryObject({
            _n("/Type"): _n("/Annot"), _n("/Subtype"): _n("/Widget"), _n("/F"): g.NumberObject(4),
            _n("/Parent"): field, _n("/Rect"): g.ArrayObject([g.NumberObject(v) for v in rect]),
            _n("/AP"): g.DictionaryObject({_n("/N"): _form(writer, font, ops, (0, 0, 228, 20))})}))
        field.get_object()[_n("/Kids")] = g.ArrayObject([widget])
        writer.root[_n("/AcroForm")] = g.DictionaryObject({_n("/Fields"): g.ArrayObject([field]),
                                                          _n("/NeedAppearances"): g.BooleanObject(True)})
        return _page(writer, font, _text_ops(HEAD), annots=[widget])

    return _pdf(build)


def _set_field_value(value: str):  # noqa: ANN202
    def change(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        field[_n("/V")] = _g().TextStringObject(value)
        writer.update_container(field)

    return change


def test_shadow_replace_a_parents_value_where_readers_redraw_fields(pki, tmp_path) -> None:
    """/NeedAppearances already on when signed; after signing only the parent field's value changes,
    the widget and its drawing untouched: a reader draws the new value in the signed field's place."""
    signed = _sign(_field_with_a_widget_kid("Kinh phi: 100 trieu", _text_ops([(2, 5, "Kinh phi: 100 trieu")])),
                   pki["signer"])
    _genuine(tmp_path, signed, pki)
    result = _check(tmp_path, _update(signed, _set_field_value("Kinh phi: 900 trieu")), pki)
    assert result.verdict == "invalid", _said(result)
    (change,) = _bad(result)
    assert change.kind == "content" and change.page == 1 and "KinhPhi" in change.detail, change


def test_a_blank_parent_field_filled_where_readers_redraw_fields_is_form_filling(pki, tmp_path) -> None:
    """The counter-case: the field showed nothing at signing; giving it a value is filling the form."""
    signed = _sign(_field_with_a_widget_kid("", b""), pki["signer"])
    result = _check(tmp_path, _update(signed, _set_field_value("Da nhan")), pki)
    assert result.verdict == "valid", _said(result)
    assert [c.kind for c in result[0].changes_after] == ["form"]


def test_shadow_replace_an_overlay_object_redrawn(pki, tmp_path) -> None:
    def build(writer, font):  # noqa: ANN001, ANN202
        shown = _form(writer, font, _text_ops([(72, 600, "Kinh phi: 100 trieu dong")]))
        return _page(writer, font, _text_ops(HEAD) + b"q /Ov Do Q\n", {"/Ov": shown})

    signed = _sign(_pdf(build), pki["signer"])
    _genuine(tmp_path, signed, pki)
    shown = _ref_of(signed, rb"/BBox")

    def swap(writer) -> None:  # noqa: ANN001
        new = _form(writer, _font(writer), _text_ops([(72, 600, "Kinh phi: 900 trieu dong")])).get_object()
        _replace(writer, _g().Reference(shown, 0, writer.prev), new)

    result = _check(tmp_path, _update(signed, swap), pki)
    assert result.verdict == "invalid", _said(result)
    (change,) = _bad(result)
    assert change.kind == "content" and change.page == 1, change
    assert "900" in change.detail and "100" in change.detail, change


def test_shadow_hide_and_replace_the_catalogue_pointed_at_a_hidden_page_tree(pki, tmp_path) -> None:
    """The signed file carries a second page tree no one sees; after signing the catalogue's /Pages
    points at it: the whole document replaced by one signed but never shown."""
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        fake = _page(writer, font, _text_ops([(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 999/KH-GIA"),
                                              (72, 700, "KE HOACH Giai the nam 2024")]))
        tree = writer.add_object(g.DictionaryObject({_n("/Type"): _n("/Pages"), _n("/Count"): g.NumberObject(1),
                                                     _n("/Kids"): g.ArrayObject([])}))
        fake[_n("/Parent")] = tree
        tree.get_object()[_n("/Kids")].append(writer.add_object(fake))
        writer.root[_n("/Shadow")] = tree  # kept in the file by a harmless-looking key
        return _page(writer, font, _text_ops(HEAD))

    signed = _sign(_pdf(build), pki["signer"])
    _genuine(tmp_path, signed, pki)

    def point(writer) -> None:  # noqa: ANN001
        root = writer.root
        hidden = root.raw_get("/Shadow")
        # the signature's widget goes along (else the reader shows no signature at all)
        real_page = writer.find_page_for_modification(0)[0].get_object()
        fake_page = hidden.get_object()["/Kids"][0].get_object()
        fake_page[_n("/Annots")] = real_page.raw_get("/Annots")
        writer.update_container(fake_page)
        root[_n("/Pages")] = hidden
        writer.update_root()

    result = _check(tmp_path, _update(signed, point), pki)
    assert result.verdict == "invalid", _said(result)
    change = next(c for c in _bad(result) if c.kind == "content")
    assert change.page == 1 and "999/KH-GIA" in change.detail and "125/KH-SKHCN" in change.detail, change


# --- Incremental saving attacks -------------------------------------------------------------------

def _page_content_ref(data: bytes) -> int:
    return _ref_of(data, rb"/Length \d+\s*>>\s*stream\s*BT /F1 12 Tf 72\.0 760\.0")


def _raw_object(number: int, text: str) -> bytes:
    ops = _text_ops([(72, 760, "UBND TINH THU NGHIEM"), (330, 760, text)])
    return b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (number, len(ops), ops)


def test_isa_a_body_appended_without_xref(pki, tmp_path) -> None:
    """New bodies of signed objects appended after %%EOF with no xref nor trailer: a reader that
    repairs the file shows them; pyHanko reads the last xref and sees nothing."""
    signed = _sign(_plain(), pki["signer"])
    forged = signed + _raw_object(_page_content_ref(signed), "So: 999/KH-GIA")
    result = _check(tmp_path, forged, pki)
    assert result.verdict == "invalid", _said(result)
    change = _bad(result)[0]
    assert change.kind == "other" and "sau lần ghi cuối" in change.detail, change


def test_isa_a_body_without_xref_then_a_genuine_signature(pki, tmp_path) -> None:
    """The same bodies slipped in between two signatures: the agency's signature covers them (it
    signed the whole file), the first signer's does not, and they belong to no revision."""
    signed = _sign(_plain(), pki["signer"])
    slipped = signed + _raw_object(_page_content_ref(signed), "So: 999/KH-GIA")
    result = _check(tmp_path, _sign(slipped, pki["agency"], "ChuKyCoQuan", box=(72, 400, 250, 440),
                                    text="Van thu"), pki)
    assert result.verdict == "invalid", _said(result)
    first, second = result
    assert first.verdict == "invalid" and second.verdict == "valid", _said(result)
    change = next(c for c in first.changes_after if c.kind == "other")
    assert change.revision == 2 and "không thuộc lần cập nhật nào" in change.detail, change


def test_isa_an_update_whose_trailer_prev_skips_the_signed_revision(pki, tmp_path) -> None:
    """A normal-looking update, but its trailer's /Prev points at the first xref: the signature's
    revision drops out of the chain, and the signed objects read as the update's."""
    signed = _sign(_plain(), pki["signer"])
    number = _page_content_ref(signed)

    def redraw(writer) -> None:  # noqa: ANN001
        _replace(writer, _g().Reference(number, 0, writer.prev), _g().StreamObject(
            stream_data=_text_ops([(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 999/KH-GIA")])))

    forged = _update(signed, redraw)
    first_xref = int(re.search(rb"startxref\s+(\d+)", forged).group(1))
    prev = re.findall(rb"/Prev (\d+)", forged)[-1]
    at = forged.rfind(b"/Prev " + prev)
    forged = forged[:at] + (b"/Prev %d" % first_xref).ljust(len(b"/Prev " + prev)) + forged[at + 6 + len(prev):]
    result = _check(tmp_path, forged, pki)
    assert result.verdict == "invalid", _said(result)
    assert "chuỗi các lần cập nhật" in _said(result) and "bỏ qua" in _said(result)


def test_isa_a_second_body_redefining_the_signature_and_the_page(pki, tmp_path) -> None:
    """An update that writes the signed objects again (the signature dictionary unchanged in value,
    the page's text changed): the signature now belongs to a revision it does not cover."""
    signed = _sign(_plain(), pki["signer"])
    number = _page_content_ref(signed)

    def redefine(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        writer.mark_update(field.raw_get("/V"))
        _replace(writer, _g().Reference(number, 0, writer.prev), _g().StreamObject(
            stream_data=_text_ops([(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 999/KH-GIA")])))

    result = _check(tmp_path, _update(signed, redefine), pki)
    assert result.verdict == "invalid", _said(result)
    assert result[0].problems


def test_trailing_bytes_after_the_signed_revision(pki, tmp_path) -> None:
    """The signature covers its revision; after the last %%EOF come bytes that no xref describes."""
    signed = _sign(_plain(), pki["signer"])
    result = _check(tmp_path, signed + b"\n% chu them\nBT (So: 999) Tj ET\n", pki)
    assert result.verdict == "invalid", _said(result)
    assert any("sau lần ghi cuối" in c.detail for c in _bad(result)), _said(result)
    # a line end or a few spaces after %%EOF are what some writers leave: no change
    assert _check(tmp_path, signed + b"\r\n  \n", pki, "dau-cach.pdf").verdict == "valid"


# --- Signature wrapping, universal forgery ---------------------------------------------------------

def _byte_range(data: bytes) -> tuple[int, int, int, int]:
    found = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    return tuple(int(v) for v in found[-1])  # type: ignore[return-value]


def test_swa_byte_range_moved_to_a_copy_of_the_signed_bytes(pki, tmp_path) -> None:
    """The signed bytes copied to the end, the signature dictionary written again with a /ByteRange
    pointing at the copy, the page changed in the gap: the hash still matches."""
    signed = _sign(_plain(), pki["signer"])
    _a, b, c, d = _byte_range(signed)
    number = _page_content_ref(signed)
    moved = len(signed)

    def wrap(writer) -> None:  # noqa: ANN001
        g = _g()
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        sig = field["/V"]
        sig[_n("/ByteRange")] = g.ArrayObject([g.NumberObject(v) for v in (0, b, moved, d)])
        writer.mark_update(field.raw_get("/V"))
        _replace(writer, g.Reference(number, 0, writer.prev), g.StreamObject(
            stream_data=_text_ops([(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 999/KH-GIA")])))

    update = _update(signed + signed[c:c + d], wrap)
    result = _check(tmp_path, update, pki)
    assert result.verdict == "invalid", _said(result)
    assert result[0].problems, _said(result)


def test_swa_contents_relocated_into_an_indirect_string(pki, tmp_path) -> None:
    """/Contents moved out of the dictionary into an object of its own, the gap left for anything."""
    signed = _sign(_plain(), pki["signer"])

    def relocate(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        sig = field["/V"]
        sig[_n("/Contents")] = writer.add_object(sig.raw_get("/Contents"))
        writer.mark_update(field.raw_get("/V"))

    result = _check(tmp_path, _update(signed, relocate), pki)
    assert result.verdict == "invalid", _said(result)
    assert result[0].problems


USF = {
    "contents-missing": {"/Contents": None},
    "contents-empty": {"/Contents": b""},
    "contents-null": {"/Contents": "null"},
    "contents-garbage": {"/Contents": b"\x30\x03\x02\x01\x01"},
    "byterange-missing": {"/ByteRange": None},
    "byterange-null": {"/ByteRange": "null"},
    "byterange-zero": {"/ByteRange": [0, 0, 0, 0]},
    "byterange-negative": {"/ByteRange": [0, -1, -5, 10]},
    "byterange-short": {"/ByteRange": [0, 10]},
    "byterange-not-numbers": {"/ByteRange": "text"},
    "cert-garbage": {"/SubFilter": "/adbe.x509.rsa_sha1", "/Cert": b"rac"},
}


@pytest.mark.parametrize("variant", sorted(USF))
def test_usf_a_signature_dictionary_without_a_signature(pki, tmp_path, variant) -> None:
    """A second signature field, next to a genuine signature, whose dictionary names a signer but
    carries no usable signature: reported as a broken signature, the file invalid, never "valid"
    nor a crash; the genuine signature is still read."""
    g = _g()
    signed = _sign(_plain(), pki["signer"])

    def forge(writer) -> None:  # noqa: ANN001
        from pyhanko.sign import fields

        fields.append_signature_field(writer, fields.SigFieldSpec("ChuKyCoQuan", on_page=0, box=(400, 500, 560, 540)))
        sig = g.DictionaryObject({
            _n("/Type"): _n("/Sig"), _n("/Filter"): _n("/Adobe.PPKLite"), _n("/SubFilter"): _n("/adbe.pkcs7.detached"),
            _n("/Name"): g.TextStringObject("So Khoa hoc va Cong nghe"),
            _n("/ByteRange"): g.ArrayObject([g.NumberObject(v) for v in (0, 100, 200, 100)]),
            _n("/Contents"): g.ByteStringObject(b"\x00" * 64)})
        for key, value in USF[variant].items():
            if value is None:
                del sig[_n(key)]
            elif value == "null":
                sig[_n(key)] = g.NullObject()
            elif value == "text":
                sig[_n(key)] = g.TextStringObject("0 100 200 100")
            elif isinstance(value, bytes):
                sig[_n(key)] = g.ByteStringObject(value)
            elif isinstance(value, str):
                sig[_n(key)] = _n(value)
            else:
                sig[_n(key)] = g.ArrayObject([g.NumberObject(v) for v in value])
        for ref in writer.root["/AcroForm"]["/Fields"]:
            widget = ref.get_object()
            if widget.get("/T") == "ChuKyCoQuan":
                widget[_n("/V")] = writer.add_object(sig)
                writer.update_container(widget)

    result = _check(tmp_path, _update(signed, forge), pki)
    assert result.verdict == "invalid", _said(result)
    fields = {r.field: r for r in result}
    assert set(fields) == {"ChuKyNguoiKy", "ChuKyCoQuan"}, _said(result)
    forged = fields["ChuKyCoQuan"]
    assert forged.verdict == "invalid" and not forged.intact and forged.page == 1, forged.to_text(2)
    assert "chữ ký hỏng" in forged.to_text(2)


# --- Certification: Evil Annotation, Sneaky Signature ------------------------------------------------

def _certify(data: bytes, who, level: int) -> bytes:  # noqa: ANN001
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    p12 = pkcs12.serialize_key_and_certificates(b"k", who.key, who.cert, who.chain,
                                                serialization.BestAvailableEncryption(PASSWORD))
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=PASSWORD)
    meta = signers.PdfSignatureMetadata(field_name="ChuKyCoQuan", certify=True,
                                        docmdp_permissions=fields.MDPPerm(level))
    pdf_signer = signers.PdfSigner(meta, signer=signer,
                                   new_field_spec=fields.SigFieldSpec("ChuKyCoQuan", on_page=0, box=BOX))
    return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False)).getvalue()


def _free_text(writer, text: str, rect=(326, 752, 470, 776)) -> None:  # noqa: ANN001
    g = _g()
    x0, y0, x1, y1 = rect
    annot = writer.add_object(g.DictionaryObject({
        _n("/Type"): _n("/Annot"), _n("/Subtype"): _n("/FreeText"), _n("/F"): g.NumberObject(4),
        _n("/Rect"): g.ArrayObject([g.NumberObject(v) for v in rect]), _n("/Contents"): g.TextStringObject(text),
        _n("/DA"): g.TextStringObject("/F1 12 Tf 0 g"),
        _n("/AP"): g.DictionaryObject({_n("/N"): _form(
            writer, _font(writer), b"1 1 1 rg 0 0 %d %d re f 0 g " % (x1 - x0, y1 - y0)
            + _text_ops([(2, 5, text)]), (0, 0, x1 - x0, y1 - y0))})}))
    page = writer.find_page_for_modification(0)[0].get_object()
    annots = page.get("/Annots")
    if annots is None:
        page[_n("/Annots")] = g.ArrayObject([annot])
    else:
        annots.append(annot)
    writer.update_container(page)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_evil_annotation_a_free_text_over_a_certified_document(pki, tmp_path, level) -> None:
    certified = _certify(_plain(), pki["agency"], level)
    _genuine(tmp_path, certified, pki)
    result = _check(tmp_path, _update(certified, lambda w: _free_text(w, "So: 999/KH-GIA")), pki)
    assert result.verdict == "invalid", _said(result)
    change = _bad(result)[0]
    assert change.page == 1 and change.kind == "annotation" and "FreeText" in change.detail, change


def test_a_certified_no_changes_document_refuses_even_a_genuine_signature(pki, tmp_path, monkeypatch) -> None:
    """DocMDP P=1: the certifier allowed no change at all; a later signature (even by the CA's own
    signer, even in a blank) breaks the certification. pyHanko refuses to sign such a file; the
    attacker's tool does not (its check switched off here)."""
    import pyhanko.sign.validation

    certified = _certify(_plain(), pki["agency"], 1)
    _genuine(tmp_path, certified, pki)
    monkeypatch.setattr(pyhanko.sign.validation, "read_certification_data", lambda reader: None)
    later = _sign(certified, pki["signer"], "ChuKyNguoiKy", box=(72, 400, 250, 440), text="Nguyen Van Thanh")
    result = _check(tmp_path, later, pki)
    assert result.verdict == "invalid", _said(result)
    assert "không cho phép thay đổi" in result[0].to_text(1), _said(result)
    assert result[1].verdict == "valid"


def test_sneaky_signature_over_the_certified_words(pki, tmp_path) -> None:
    """P=2 lets a signature be added; its appearance writing over the certified number is content."""
    certified = _certify(_plain(), pki["agency"], 2)
    sneaky = _sign(certified, pki["attacker"], "Gia", box=(326, 752, 470, 776), text="So: 999/KH-GIA")
    result = _check(tmp_path, sneaky, pki)
    assert result.verdict == "invalid", _said(result)
    change = _bad(result, "content")[0]
    assert change.page == 1 and "999/KH-GIA" in change.detail and "đè lên" in change.detail, change


def test_sneaky_signature_whose_appearance_covers_the_certified_number(pki, tmp_path) -> None:
    """P=2 again, a signature by a certificate of the trusted CA itself, whose appearance is a white
    box over the number: it writes nothing, it hides. Content, naming the hidden characters."""
    from pyhanko.pdf_utils.content import RawContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.stamp import TextStampStyle

    from tests.sign_fixtures import PASSWORD as PW

    certified = _certify(_plain(), pki["agency"], 2)
    who = make_cert(pki["ca"], "Nguoi Khac", "Noi khac")
    style = TextStampStyle(stamp_text=" ", border_width=0, background_opacity=1.0,
                           background=RawContent(b"1 1 1 rg 0 0 150 30 re f", box=BoxConstraints(150, 30)))
    sneaky = _sign_styled(certified, who, "Gia", (326, 752, 476, 782), style, PW)
    result = _check(tmp_path, sneaky, pki)
    assert result.verdict == "invalid", _said(result)
    change = _bad(result, "content")[0]
    assert change.page == 1 and "che mất" in change.detail and "125/KH-SKHCN" in change.detail, change
    assert result[1].verdict == "valid"  # the covering signature itself is genuine


def _sign_styled(data: bytes, who, field: str, box, style, password: bytes) -> bytes:  # noqa: ANN001
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    p12 = pkcs12.serialize_key_and_certificates(b"k", who.key, who.cert, who.chain,
                                                serialization.BestAvailableEncryption(password))
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=password)
    pdf_signer = signers.PdfSigner(signers.PdfSignatureMetadata(field_name=field), signer=signer,
                                   new_field_spec=fields.SigFieldSpec(field, on_page=0, box=box), stamp_style=style)
    return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False)).getvalue()


def test_sneaky_signature_in_a_blank_is_named_and_never_valid(pki, tmp_path) -> None:
    """P=2, a look-alike signer's signature whose appearance writes words in a blank: the certified
    signature stays intact, the words are named, and the file is not "valid" (nobody established
    wrote them)."""
    certified = _certify(_plain(), pki["agency"], 2)
    sneaky = _sign(certified, pki["attacker"], "Gia", box=(72, 400, 300, 440), text="Da thu hoi")
    result = _check(tmp_path, sneaky, pki)
    assert result.verdict == "unverified", _said(result)
    stamp = next(c for c in result[0].changes_after if c.kind == "stamp")
    assert stamp.page == 1 and "Da thu hoi" in stamp.detail
    assert result[1].trusted is None


# --- A signature over part of the file ----------------------------------------------------------------

def test_a_signature_not_reaching_its_revisions_end(pki, tmp_path) -> None:
    """A genuine signature whose /ByteRange stops short of its revision's end (the xref and trailer
    left out), then those unsigned bytes rewritten: never valid."""
    import asyncio

    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    signed = _sign(_plain(), pki["signer"])
    _a, b, c, d = _byte_range(signed)
    short = d - 40
    old = re.findall(rb"/ByteRange\s*\[[^\]]*\]", signed)[-1]
    new = (b"/ByteRange [0 %d %d %d" % (b, c, short)).ljust(len(old) - 1) + b"]"
    data = signed.replace(old, new)
    h = get_pyca_cryptography_hash("sha256")
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(h)
    digest.update(data[:b])
    digest.update(data[c:c + short])
    p12 = pkcs12.serialize_key_and_certificates(b"k", pki["signer"].key, pki["signer"].cert, pki["signer"].chain,
                                                serialization.BestAvailableEncryption(PASSWORD))
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=PASSWORD)
    cms = asyncio.run(signer.async_sign(digest.finalize(), "sha256"))
    blob = cms.dump().hex().encode()
    gap = data[b + 1:c - 1]
    assert len(blob) <= len(gap)
    data = data[:b + 1] + blob.ljust(len(gap), b"0") + data[c - 1:]
    result = _check(tmp_path, data, pki)
    assert result.verdict == "invalid", _said(result)
    assert "không trùng với một lần ghi" in result[0].to_text(1)


# --- Hostile files --------------------------------------------------------------------------------

def _hostile(tmp_path: Path, name: str, data: bytes, capsys) -> str:  # noqa: ANN001
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UserError) as caught:
        verify_file(path)
    capsys.readouterr()
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return str(caught.value)


def _xref_pdf(objects: list[bytes], root: int = 1, extra_trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, extra_trailer, start)
    return bytes(out)


def test_a_million_objects_is_refused_in_a_moment(tmp_path, capsys) -> None:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    objects += [b"0"] * 1_000_000
    message = _hostile(tmp_path, "trieu.pdf", _xref_pdf(objects), capsys)
    assert "đối tượng" in message, message


def test_a_huge_xref_declaring_more_objects_than_the_file_holds(tmp_path, capsys) -> None:
    data = _xref_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    data = data.replace(b"xref\n0 3\n", b"xref\n0 300000000\n")
    message = _hostile(tmp_path, "xref.pdf", data, capsys)
    assert "khai báo quá 200.000 đối tượng" in message, message


@pytest.mark.parametrize("opening", [b"[", b"<< /A ", b"[<< /K "])
def test_deep_nesting_is_refused(tmp_path, capsys, opening) -> None:
    closing = {b"[": b"]", b"<< /A ": b">>", b"[<< /K ": b">>]"}[opening]
    deep = opening * 100_000 + b"0" + closing * 100_000
    data = _xref_pdf([b"<< /Type /Catalog /Pages 2 0 R /Deep " + deep + b" >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    message = _hostile(tmp_path, "sau.pdf", data, capsys)
    assert "lồng nhau quá sâu" in message, message


def test_an_object_stream_of_a_million_objects_is_refused(tmp_path, capsys) -> None:
    count = 1_000_000
    header = b" ".join(b"%d %d" % (i + 10, i * 2) for i in range(count))
    body = header + b" " + b"0 " * count
    stream = zlib.compress(body)
    data = _xref_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
                      b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                      % (count, len(header) + 1, len(stream), stream)])
    message = _hostile(tmp_path, "objstm.pdf", data, capsys)
    assert "đối tượng" in message, message


def test_a_decompression_bomb_in_a_signed_pages_content(pki, tmp_path, capsys) -> None:
    """A page whose content stream inflates to a gigabyte, signed, then stamped: reading the words
    the page shows before and after would inflate it whole (pdfminer has no limit); verify refuses
    the page first, having inflated no more than the limit."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    bomb = packer.compress(_text_ops(HEAD)) + b"".join(packer.compress(chunk) for _ in range(1024)) + packer.flush()
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        page = _page(writer, font, b"")
        page[_n("/Contents")] = writer.add_object(g.StreamObject(
            {_n("/Filter"): _n("/FlateDecode")}, encoded_data=bomb))
        return page

    signed = _sign(_pdf(build), pki["signer"])
    stamped = _sign(signed, pki["agency"], "ChuKyCoQuan", box=(72, 400, 250, 440), text="Van thu")
    message = _hostile(tmp_path, "bom.pdf", stamped, capsys)
    assert "trang 1" in message and "giải nén ra hơn 64 MB" in message, message


# --- The genuine flow stays valid ---------------------------------------------------------------------

def test_the_genuine_multi_signature_flow_stays_valid(pki, tmp_path) -> None:
    """Leader signs with an image, the văn thư stamps the number into its blank and the agency seals:
    three signatures, each a revision, all valid with the CA."""
    first = _sign(_pdf(lambda w, f: _page(w, f, _text_ops([(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So:"),
                                                              (72, 700, "KE HOACH Truyen thong nam 2024")]))),
                  pki["signer"])
    number = _sign(first, pki["agency"], "SoVanBan", box=(352, 756, 420, 774), text="125/KH-SKHCN")
    sealed = _sign(number, pki["agency"], "ChuKyCoQuan", box=(200, 470, 300, 540), text="DAU")
    result = _check(tmp_path, sealed, pki)
    assert result.verdict == "valid", _said(result)


# --- An update nothing shown uses: named, never called tampering ----------------------------------

def _orphan(kind: str):  # noqa: ANN202
    """An update adding one object no page, field nor signature refers to (a new xref and trailer):
    a dictionary, or a stream drawing words that no page ever draws."""
    def change(writer) -> None:  # noqa: ANN001
        g = _g()
        if kind == "stream":
            writer.add_object(g.StreamObject(stream_data=_text_ops([(330, 760, "So: 999/KH-GIA")])))
        else:
            writer.add_object(g.DictionaryObject({_n("/Ghi"): g.TextStringObject("them sau khi ky")}))
    return change


@pytest.mark.parametrize("kind", ["dictionary", "stream"])
def test_an_update_adding_only_an_unused_object_is_named_and_stays_valid(pki, tmp_path, kind, capsys) -> None:
    signed = _sign(_plain(), pki["signer"])
    _genuine(tmp_path, signed, pki)
    updated = _update(signed, _orphan(kind))
    result = _check(tmp_path, updated, pki)
    assert result.verdict == "valid", _said(result)  # harmless: no page shows it
    (change,) = result[0].changes_after
    assert change.revision == result[0].revision + 1 and change.kind == "unseen", change
    assert "thêm đối tượng không hiển thị" in change.detail and "không đổi nội dung trang" in change.detail
    said = _said(result)
    assert "không có gì thay đổi" not in said
    assert f"sau chữ ký, lần cập nhật {change.revision}: cập nhật không hiển thị — thêm đối tượng" in said
    # The command line says the same, and calls the file valid.
    path = tmp_path / "them-doi-tuong.pdf"
    path.write_bytes(updated)
    assert main(["verify", str(path), "--trust", str(pki["ca_pem"])]) == 0
    out = capsys.readouterr().out
    assert f"lần cập nhật {change.revision}: cập nhật không hiển thị" in out and "không có gì thay đổi" not in out


def test_an_unused_object_after_the_last_signature_of_a_flow_is_named_under_each(pki, tmp_path) -> None:
    # Two signatures, then the update: each signature names the revision after it.
    first = _sign(_plain(), pki["signer"])
    second = _sign(first, pki["agency"], "ChuKyCoQuan", box=(200, 470, 300, 540), text="DAU")
    result = _check(tmp_path, _update(second, _orphan("dictionary")), pki)
    assert result.verdict == "valid", _said(result)
    last = max(c.revision for r in result for c in r.changes_after)
    for report in result:
        assert [c.kind for c in report.changes_after if c.revision == last] == ["unseen"], _said(result)


def test_an_unused_object_after_a_no_changes_certification_keeps_it_valid(pki, tmp_path) -> None:
    # DocMDP P=1 allows no modification; PAdES counts an object nothing uses as none (pyHanko too).
    certified = _certify(_plain(), pki["agency"], 1)
    result = _check(tmp_path, _update(certified, _orphan("stream")), pki)
    assert result.verdict == "valid", _said(result)
    assert [c.kind for c in result[0].changes_after] == ["unseen"]


def _field_without_widget(value: str) -> bytes:
    """The plain page and a text field no page shows (no widget): its value is form data only."""
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        field = writer.add_object(g.DictionaryObject({
            _n("/FT"): _n("/Tx"), _n("/T"): g.TextStringObject("KinhPhi"), _n("/V"): g.TextStringObject(value)}))
        writer.root[_n("/AcroForm")] = g.DictionaryObject({_n("/Fields"): g.ArrayObject([field])})
        return _page(writer, font, _text_ops(HEAD))

    return _pdf(build)


def test_a_value_no_page_shows_changed_is_form_filling_refused_after_a_no_changes_certification(pki,
                                                                                                tmp_path) -> None:
    """A field's value changed where no page shows it is still filling the form (pyHanko: FORM_FILLING),
    not an update nothing uses: allowed after a signature, refused after a certification that allows
    no change (P=1) as pyHanko and PAdES refuse it. It was called harmless ('unseen') and valid."""
    certified = _certify(_field_without_widget("100 trieu"), pki["agency"], 1)
    result = _check(tmp_path, _update(certified, _set_field_value("900 trieu")), pki)
    assert result.verdict == "invalid", _said(result)
    (change,) = result[0].changes_after
    assert change.kind == "form" and "ô biểu mẫu" in change.detail, change
    signed = _sign(_field_without_widget("100 trieu"), pki["signer"])
    result = _check(tmp_path, _update(signed, _set_field_value("900 trieu")), pki)
    assert result.verdict == "valid", _said(result)
    assert [c.kind for c in result[0].changes_after] == ["form"]


# ==================================================================================================
# Round 10: a red-team pass by the published attack classes, each variant built here. Every forgery
# is "invalid" and names what changed; every allowed change (a later signature, a form filled at
# P=2) stays valid; hostile files are refused in their bytes, before the reader parses them.
# ==================================================================================================

FORGED = [(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 999/KH-GIA")]


def _forged_page(writer):  # noqa: ANN001, ANN202
    """A page tree of its own holding one page that shows the forged number."""
    g = _g()
    page = _page(writer, _font(writer), _text_ops(FORGED))
    tree = writer.add_object(g.DictionaryObject({_n("/Type"): _n("/Pages"), _n("/Count"): g.NumberObject(1),
                                                 _n("/Kids"): g.ArrayObject([])}))
    page[_n("/Parent")] = tree
    tree.get_object()[_n("/Kids")].append(writer.add_object(page))
    return tree


def _new_page_tree(writer) -> None:  # noqa: ANN001
    writer.root[_n("/Pages")] = _forged_page(writer)
    writer.update_root()


def _new_catalogue(writer) -> None:  # noqa: ANN001
    """A catalogue written as a new object, the trailer's /Root pointed at it."""
    g = _g()
    catalogue = g.DictionaryObject({k: writer.root.raw_get(k) for k in writer.root.keys()})
    catalogue[_n("/Pages")] = _forged_page(writer)
    writer._root = writer.add_object(catalogue)
    writer.trailer[_n("/Root")] = writer._root


def _appended_stream(writer) -> None:  # noqa: ANN001
    """A second content stream appended to the page: a white box over the number, a new number."""
    g = _g()
    page = writer.find_page_for_modification(0)[0].get_object()
    extra = writer.add_object(g.StreamObject(
        stream_data=b"1 1 1 rg 320 750 200 30 re f 0 g " + _text_ops([(330, 760, "So: 999/KH-GIA")])))
    page[_n("/Contents")] = g.ArrayObject([page.raw_get("/Contents"), extra])
    writer.update_container(page)


@pytest.mark.parametrize("change", [_new_page_tree, _new_catalogue, _appended_stream],
                         ids=["page-tree", "catalogue", "content-stream"])
def test_round10_isa_new_structure_after_the_signature(pki, tmp_path, change) -> None:
    """A new page tree, a new catalogue, a content stream added to the page: page content, named by
    page and words."""
    signed = _sign(_plain(), pki["signer"])
    result = _check(tmp_path, _update(signed, change), pki)
    assert result.verdict == "invalid", _said(result)
    content = _bad(result, "content")
    assert content and content[0].page == 1 and content[0].revision == 2, _said(result)
    assert "125/KH-SKHCN" in content[0].detail, content[0]


def _overlay(writer, subtype: str, extra: dict | None = None, text: str = "So: 999/KH-GIA") -> Any:  # noqa: ANN001
    """An annotation over the signed number whose appearance paints a white box and other words."""
    g = _g()
    rect = (326, 752, 470, 776)
    annot = g.DictionaryObject({
        _n("/Type"): _n("/Annot"), _n("/Subtype"): _n(subtype), _n("/F"): g.NumberObject(4),
        _n("/Rect"): g.ArrayObject([g.NumberObject(v) for v in rect]),
        _n("/AP"): g.DictionaryObject({_n("/N"): _form(writer, _font(writer), b"1 1 1 rg 0 0 144 24 re f 0 g "
                                                        + _text_ops([(2, 5, text)]), (0, 0, 144, 24))})})
    annot.update(extra or {})
    ref = writer.add_object(annot)
    page = writer.find_page_for_modification(0)[0].get_object()
    if page.get("/Annots") is None:
        page[_n("/Annots")] = g.ArrayObject([ref])
    else:
        page["/Annots"].append(ref)
    writer.update_container(page)
    return ref


def test_round10_isa_overlay_annotations(pki, tmp_path) -> None:
    """A Stamp annotation, and a new form field's widget, painted over the signed number: the first
    an annotation, the second page content naming the words it paints."""
    g = _g()
    signed = _sign(_plain(), pki["signer"])
    result = _check(tmp_path, _update(signed, lambda w: _overlay(w, "/Stamp")), pki)
    assert result.verdict == "invalid", _said(result)
    change = _bad(result)[0]
    assert change.kind == "annotation" and change.page == 1 and "Stamp" in change.detail, change

    def widget(writer) -> None:  # noqa: ANN001
        ref = _overlay(writer, "/Widget", {_n("/FT"): _n("/Tx"), _n("/T"): g.TextStringObject("Moi")})
        writer.root["/AcroForm"]["/Fields"].append(ref)
        writer.update_root()

    result = _check(tmp_path, _update(signed, widget), pki, "o-moi.pdf")
    assert result.verdict == "invalid", _said(result)
    change = _bad(result, "content")[0]
    assert change.page == 1 and "Moi" in change.detail and "999/KH-GIA" in change.detail, change


def _page_rewritten(signed: bytes):  # noqa: ANN202
    number = _page_content_ref(signed)

    def change(writer) -> None:  # noqa: ANN001
        _replace(writer, _g().Reference(number, 0, writer.prev), _g().StreamObject(stream_data=_text_ops(FORGED)))

    return change


def test_round10_isa_an_update_written_as_an_xref_stream(pki, tmp_path) -> None:
    """The signed file has an xref table, the update an xref stream: read the same, content named."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = _sign(_plain(), pki["signer"])
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    writer._use_xref_stream = True
    _page_rewritten(signed)(writer)
    out = io.BytesIO()
    writer.write(out)
    forged = out.getvalue()
    assert b"/XRef" in forged[len(signed):]
    result = _check(tmp_path, forged, pki)
    assert result.verdict == "invalid", _said(result)
    assert "999/KH-GIA" in _bad(result, "content")[0].detail, _said(result)


def _full_table_update(signed: bytes, prev: bool) -> bytes:
    """An update whose xref section lists every object (the page's content at its new body, the
    others, the signature's included, at their signed offsets), with or without /Prev."""
    number = _page_content_ref(signed)
    size = int(re.findall(rb"/Size (\d+)", signed)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", signed)[-1]
    offsets = {int(m.group(1)): m.start() for m in re.finditer(rb"(?m)^(\d+) 0 obj", signed)}
    ops = _text_ops(FORGED)
    out = bytearray(signed)
    offsets[number] = len(out)
    out += b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (number, len(ops), ops)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[i] if i in offsets else b"0000000000 65535 f \n"
                    for i in range(1, size))
    last = int(re.findall(rb"startxref\s+(\d+)", signed)[-1])
    out += b"trailer\n<< /Size %d /Root %s %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root, b"/Prev %d " % last if prev else b"", start)
    return bytes(out)


def test_round10_isa_a_full_xref_table_listing_the_signature_again(pki, tmp_path) -> None:
    """The update's xref lists the signature object again: pyHanko dates the signature to the update.
    The signature is compared from the revision its bytes sign, so the new words are named."""
    signed = _sign(_plain(), pki["signer"])
    result = _check(tmp_path, _full_table_update(signed, prev=True), pki)
    assert result.verdict == "invalid", _said(result)
    report = result[0]
    assert report.intact and report.revision == 1, report.to_text(1)
    assert any("ghi lại ở lần cập nhật 2" in p for p in report.problems), report.to_text(1)
    content = _bad(result, "content")[0]
    assert content.revision == 2 and content.page == 1 and "999/KH-GIA" in content.detail, content
    assert not any(c.kind == "signature" for c in report.changes_after), report.to_text(1)


def test_round10_isa_an_update_without_prev(pki, tmp_path, capsys) -> None:
    """A last xref section without /Prev hides the signed revisions from the reader: with every object
    listed, the signature no longer covers a revision of the file; with only the changed object, the
    file has no catalogue left and is refused as damaged (exit 2). Never valid."""
    signed = _sign(_plain(), pki["signer"])
    result = _check(tmp_path, _full_table_update(signed, prev=False), pki)
    assert result.verdict == "invalid", _said(result)
    assert "không trùng với một lần ghi" in result[0].to_text(1)
    partial = _update(signed, _page_rewritten(signed))
    at = partial.rfind(b"/Prev ")
    length = re.match(rb"/Prev \d+", partial[at:]).end()
    message = _hostile(tmp_path, "khong-prev.pdf", partial[:at] + b" " * length + partial[at + length:], capsys)
    assert "thiếu /Prev" in message and "đã bị sửa sau khi ký" in message, message


def test_round10_shadow_hide_and_replace_by_an_xref_entry_alone(pki, tmp_path) -> None:
    """A second body of the page's content stream hidden in the file before signing, no xref naming
    it; after signing an update of nothing but an xref entry pointing the object at that body."""
    base = _plain()
    number = _page_content_ref(base)
    ops = _text_ops(FORGED)
    body = b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (number, len(ops), ops)
    xref = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
    prepared = base[:xref] + body + base[xref:]
    prepared = re.sub(rb"startxref\s+%d" % xref, b"startxref\n%d" % (xref + len(body)), prepared)
    signed = _sign(prepared, pki["signer"])
    _genuine(tmp_path, signed, pki)
    size = int(re.findall(rb"/Size (\d+)", signed)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", signed)[-1]
    last = int(re.findall(rb"startxref\s+(\d+)", signed)[-1])
    forged = signed + b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        number, signed.find(body), size, root, last, len(signed))
    result = _check(tmp_path, forged, pki)
    assert result.verdict == "invalid", _said(result)
    content = _bad(result, "content")[0]
    assert content.page == 1 and "999/KH-GIA" in content.detail, content


def _font_swapped(signed: bytes):  # noqa: ANN202
    """The font object rewritten with an encoding drawing '9' for the codes of '1', '2' and '3'."""
    g = _g()
    number = _ref_of(signed, rb"/BaseFont")

    def change(writer) -> None:  # noqa: ANN001
        _replace(writer, g.Reference(number, 0, writer.prev), g.DictionaryObject({
            _n("/Type"): _n("/Font"), _n("/Subtype"): _n("/Type1"), _n("/BaseFont"): _n("/Helvetica"),
            _n("/Encoding"): g.DictionaryObject({
                _n("/Type"): _n("/Encoding"), _n("/BaseEncoding"): _n("/WinAnsiEncoding"),
                _n("/Differences"): g.ArrayObject([g.NumberObject(49), _n("/nine"), _n("/nine"), _n("/nine")])})}))

    return change


def test_round10_shadow_replace_a_font_swapped_on_the_page_and_in_a_field(pki, tmp_path) -> None:
    """Shadow Replace by font: the glyphs the signed codes draw change, the bytes of the text do not.
    The page's words and the field's drawing are both named."""
    signed = _sign(_plain(), pki["signer"])
    result = _check(tmp_path, _update(signed, _font_swapped(signed)), pki)
    assert result.verdict == "invalid", _said(result)
    content = _bad(result, "content")[0]
    assert "995/KH-SKHCN" in content.detail and "125/KH-SKHCN" in content.detail, content
    with_field = _sign(_with_field(("SoVB", "125", (326, 700, 470, 724), _text_ops([(2, 5, "125")]))), pki["signer"])
    _genuine(tmp_path, with_field, pki)
    result = _check(tmp_path, _update(with_field, _font_swapped(with_field)), pki, "o-phong.pdf")
    assert result.verdict == "invalid", _said(result)
    assert any("ô SoVB" in c.detail and "vẽ khác" in c.detail for c in _bad(result, "content")), _said(result)


def _patched_byte_range(signed: bytes, values: tuple[int, ...]) -> bytes:
    """The signature's /ByteRange written over (in the room pyHanko leaves after it)."""
    old = re.findall(rb"/ByteRange\s*\[[^\]]*\] *", signed)[-1]
    new = (b"/ByteRange [" + b" ".join(b"%d" % v for v in values) + b"]").ljust(len(old))
    assert len(new) == len(old)
    return signed.replace(old, new)


@pytest.mark.parametrize("variant", ["out-of-file", "huge", "overlapping", "over-contents"])
def test_round10_usf_byte_range_values(pki, tmp_path, variant) -> None:
    """/ByteRange past the end of the file (by a gigabyte, by 10^15), overlapping itself, covering
    /Contents: no crash, no hang, not intact."""
    signed = _sign(_plain(), pki["signer"])
    _a, b, c, d = _byte_range(signed)
    values = {"out-of-file": (0, b, c, d + 10**9), "huge": (0, b, c, 10**15), "overlapping": (0, b, 10, d),
              "over-contents": (0, c + d, c, d)}[variant]
    result = _check(tmp_path, _patched_byte_range(signed, values), pki)
    assert result.verdict == "invalid", _said(result)
    assert not result[0].intact and result[0].problems, _said(result)


@pytest.mark.parametrize("contents", [b"(%s)", b"<%s>"], ids=["literal-string", "not-hex"])
def test_round10_usf_contents_not_a_hex_signature(pki, tmp_path, contents) -> None:
    """/Contents overwritten in place as a literal string of zeros, or as a hex string of non-hex
    characters: a broken signature, said as one (the dictionary that cannot be read, named so)."""
    signed = _sign(_plain(), pki["signer"])
    _a, b, c, _d = _byte_range(signed)
    fill = b"Z" if contents == b"<%s>" else b"0"
    result = _check(tmp_path, signed[:b] + contents % (fill * (c - b - 2)) + signed[c:], pki)
    assert result.verdict == "invalid", _said(result)
    text = result[0].to_text(1)
    assert "chữ ký hỏng" in text and "kiểu chữ ký" not in text, text


@pytest.mark.parametrize("shared", [True, False], ids=["same-object", "copied"])
def test_round10_usf_two_fields_showing_one_signature(pki, tmp_path, shared) -> None:
    """A second signature field whose value is the first field's signature (the same object, or a copy
    with the same /Contents): a broken signature naming the field the signature belongs to; the
    first is still read as the genuine signature it is."""
    g = _g()
    signed = _sign(_plain(), pki["signer"])

    def reuse(writer) -> None:  # noqa: ANN001
        from pyhanko.sign import fields

        fields.append_signature_field(writer, fields.SigFieldSpec("ChuKyCoQuan", on_page=0, box=(400, 500, 560, 540)))
        first = writer.root["/AcroForm"]["/Fields"][0].get_object()
        sig = first["/V"]
        value = first.raw_get("/V") if shared else writer.add_object(
            g.DictionaryObject({k: sig.raw_get(k) for k in sig.keys()}))
        for ref in writer.root["/AcroForm"]["/Fields"]:
            widget = ref.get_object()
            if widget.get("/T") == "ChuKyCoQuan":
                widget[_n("/V")] = value
                writer.update_container(widget)

    result = _check(tmp_path, _update(signed, reuse), pki)
    assert result.verdict == "invalid", _said(result)
    fields = {r.field: r for r in result}
    assert fields["ChuKyNguoiKy"].intact, _said(result)
    second = fields["ChuKyCoQuan"].to_text(2)
    assert "dùng lại giá trị chữ ký của trường ChuKyNguoiKy" in second and "KHÔNG hợp lệ" in second, second


def test_round10_usf_sub_filter_changed_after_signing(pki, tmp_path) -> None:
    """The signature dictionary written again with an odd /SubFilter (a document timestamp's)."""
    signed = _sign(_plain(), pki["signer"])

    def odd(writer) -> None:  # noqa: ANN001
        field = writer.root["/AcroForm"]["/Fields"][0].get_object()
        field["/V"][_n("/SubFilter")] = _n("/ETSI.RFC3161")
        writer.mark_update(field.raw_get("/V"))

    result = _check(tmp_path, _update(signed, odd), pki)
    assert result.verdict == "invalid" and result[0].problems, _said(result)


def _blank_field() -> bytes:
    return _with_field(("GhiChu", "", (72, 300, 300, 330), b""))


def _fill(writer) -> None:  # noqa: ANN001
    """The blank field filled in its own blank box, value and appearance."""
    g = _g()
    field = writer.root["/AcroForm"]["/Fields"][0].get_object()
    field[_n("/V")] = g.TextStringObject("Da nhan")
    field[_n("/AP")] = g.DictionaryObject({_n("/N"): _form(writer, _font(writer), _text_ops([(2, 5, "Da nhan")]),
                                                           (0, 0, 228, 30))})
    writer.update_container(field)


def test_round10_certification_form_filling_allowed_at_p2_refused_at_p1(pki, tmp_path) -> None:
    certified = _certify(_blank_field(), pki["agency"], 2)
    _genuine(tmp_path, certified, pki)
    result = _check(tmp_path, _update(certified, _fill), pki)
    assert result.verdict == "valid", _said(result)
    (change,) = result[0].changes_after
    assert change.kind == "form" and "Da nhan" in change.detail, change
    result = _check(tmp_path, _update(_certify(_blank_field(), pki["agency"], 1), _fill), pki, "p1.pdf")
    assert result.verdict == "invalid", _said(result)
    assert "DocMDP P=1" in result[0].to_text(1) and "Da nhan" in result[0].to_text(1)


@pytest.mark.parametrize("level", [2, 3])
def test_round10_certification_a_later_genuine_signature_in_a_blank_is_allowed(pki, tmp_path, level) -> None:
    certified = _certify(_plain(), pki["agency"], level)
    later = _sign(certified, pki["signer"], "ChuKyNguoiKy", box=(72, 400, 250, 440), text="Nguyen Van Thanh")
    result = _check(tmp_path, later, pki)
    assert result.verdict == "valid", _said(result)
    assert [c.kind for c in result[0].changes_after] == ["signature", "stamp"], _said(result)


@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize("attack", ["page-tree", "stamp", "font"])
def test_round10_certification_violated_by_each_attack(pki, tmp_path, level, attack) -> None:
    certified = _certify(_plain(), pki["agency"], level)
    change = {"page-tree": _new_page_tree, "stamp": lambda w: _overlay(w, "/Stamp"),
              "font": _font_swapped(certified)}[attack]
    result = _check(tmp_path, _update(certified, change), pki)
    assert result.verdict == "invalid", _said(result)
    assert _bad(result) and _bad(result)[0].page == 1, _said(result)


def _empty_updates(data: bytes, count: int, table: bytes = b"xref\n", stream: bytes | None = None) -> bytes:
    """count updates that change nothing, each its own xref section chained by /Prev: tables opened
    by `table`, or, given `stream` (how the section's /Type /XRef is written: with #-escapes,
    b"/T#79pe/X#52ef" is /Type/XRef), xref streams."""
    out = bytearray(data)
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    for _ in range(count):
        start = len(out)
        if stream is not None:
            packed = zlib.compress(b"\x01" + start.to_bytes(4, "big") + b"\x00")
            out += (b"%d 0 obj<<%s/Size %d/Index[%d 1]/W[1 4 1]/Root %s/Prev %d/Filter/FlateDecode"
                    b"/Length %d>>stream\n%s\nendstream endobj\n"
                    % (size, stream, size + 1, size, root, prev, len(packed), packed))
        else:
            start += table.index(b"x")  # the section starts at its "x": a byte before it is no part of it
            out += table + b"0 0\ntrailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
                size, root, prev, start)
        prev = start
    if stream is not None:
        out += b"startxref\n%d\n%%%%EOF\n" % prev
    return bytes(out)


@pytest.mark.parametrize(("count", "stream"), [(1_000_000, False), (1000, True)], ids=["million-tables", "streams"])
def test_round10_a_million_revisions_is_refused_before_parsing(pki, tmp_path, capsys, count, stream) -> None:
    """A signed file followed by a million empty updates (60 MB) held the reader two minutes and 3 GB
    before any count of revisions; counted in the bytes now (the message of the count before parsing,
    not the one after it), xref streams with escaped names included."""
    signed = _sign(_plain(), pki["signer"])
    message = _hostile(tmp_path, "trieu-lan.pdf", _empty_updates(signed, count, stream=b"/T#79pe/X#52ef" if stream else None), capsys)
    assert "hơn 200 lần cập nhật" in message and "chữ ký và" not in message, message



def test_round10_updates_that_write_nothing_are_named_and_stay_valid(pki, tmp_path) -> None:
    """An update of an empty xref table (a tool saving with no change) is harmless: named, never the
    bytes "before the update that no xref describes" (the table's keyword was counted as such), nor
    long-term validation data (pyHanko's rating of a revision that writes nothing)."""
    signed = _sign(_plain(), pki["signer"])
    result = _check(tmp_path, _empty_updates(signed, 3), pki)
    assert result.verdict == "valid", _said(result)
    changes = result[0].changes_after
    assert [c.kind for c in changes] == ["unseen"] * 3, _said(result)
    assert all("không ghi đối tượng nào" in c.detail for c in changes), _said(result)
    # ... and a body of the page slipped in before such an update is still bytes of no revision
    slipped = signed + _raw_object(_page_content_ref(signed), "So: 999/KH-GIA")
    result = _check(tmp_path, _empty_updates(slipped, 1), pki, "chen.pdf")
    assert result.verdict == "invalid", _said(result)
    assert "không thuộc lần cập nhật nào" in _bad(result)[0].detail, _said(result)


def test_round10_an_escaped_object_stream_of_a_million_objects_is_refused(tmp_path, capsys) -> None:
    """The census of objects packed in object streams reads /Obj#53tm and /#4E as /ObjStm and /N."""
    count = 1_000_000
    header = b" ".join(b"%d %d" % (i + 10, i * 2) for i in range(count))
    stream = zlib.compress(header + b" " + b"0 " * count)
    data = _xref_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
                      b"<< /Type /Obj#53tm /#4E %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                      % (count, len(header) + 1, len(stream), stream)])
    message = _hostile(tmp_path, "objstm-escaped.pdf", data, capsys)
    assert "200.000 đối tượng" in message, message


def test_round10_shadow_hide_a_layer_off_at_signing_turned_on(pki, tmp_path) -> None:
    """Words in an optional content layer the catalogue turns off at signing; after it, the update
    turns the layer on (only /OCProperties changes, no page): refused, the catalogue entry named."""
    g = _g()

    def build(writer, font):  # noqa: ANN001, ANN202
        layer = writer.add_object(g.DictionaryObject({_n("/Type"): _n("/OCG"), _n("/Name"): g.TextStringObject("An")}))
        writer.root[_n("/OCProperties")] = g.DictionaryObject({
            _n("/OCGs"): g.ArrayObject([layer]),
            _n("/D"): g.DictionaryObject({_n("/OFF"): g.ArrayObject([layer]), _n("/Order"): g.ArrayObject([layer])})})
        page = _page(writer, font, _text_ops(HEAD) + b"/OC /An BDC " + _text_ops([HIDDEN]) + b" EMC\n")
        page["/Resources"][_n("/Properties")] = g.DictionaryObject({_n("/An"): layer})
        return page

    signed = _sign(_pdf(build), pki["signer"])
    _genuine(tmp_path, signed, pki)

    def turn_on(writer) -> None:  # noqa: ANN001
        writer.root["/OCProperties"]["/D"][_n("/OFF")] = g.ArrayObject([])
        writer.update_root()

    result = _check(tmp_path, _update(signed, turn_on), pki)
    assert result.verdict == "invalid", _said(result)
    change = _bad(result, "other")[0]
    assert "/OCProperties" in change.detail and "lớp nội dung ẩn/hiện" in change.detail, change


def test_round10_usf_a_byte_range_of_many_pairs_is_broken_before_any_hash(pki, tmp_path, monkeypatch) -> None:
    """A second signature (a genuine CMS of another file) whose /ByteRange holds fifty thousand pairs,
    each the whole file: pyHanko hashed every pair before judging the shape (terabytes for a large
    file); a range that is not [0 a b c] is a broken signature, said so, and nothing is hashed for it."""
    import pyhanko.sign.validation.pdf_embedded as embedded

    g = _g()
    other = _sign(_plain(), pki["agency"], "Khac")
    _a, b, c, _d = _byte_range(other)
    cms = bytes.fromhex(other[b + 1:c - 1].decode())
    signed = _sign(_plain(), pki["signer"])

    def forge(writer) -> None:  # noqa: ANN001
        from pyhanko.sign import fields

        fields.append_signature_field(writer, fields.SigFieldSpec("ChuKyCoQuan", on_page=0, box=(400, 500, 560, 540)))
        sig = writer.add_object(g.DictionaryObject({
            _n("/Type"): _n("/Sig"), _n("/Filter"): _n("/Adobe.PPKLite"), _n("/SubFilter"): _n("/adbe.pkcs7.detached"),
            _n("/ByteRange"): g.ArrayObject([g.NumberObject(v) for v in [0, 2 * len(signed)] * 50_000]),
            _n("/Contents"): g.ByteStringObject(cms)}))
        for ref in writer.root["/AcroForm"]["/Fields"]:
            widget = ref.get_object()
            if widget.get("/T") == "ChuKyCoQuan":
                widget[_n("/V")] = sig
                writer.update_container(widget)

    hashed: list[int] = []
    real = embedded.byte_range_digest

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        hashed.append(len(kwargs.get("byte_range", args[1] if len(args) > 1 else [])))
        return real(*args, **kwargs)

    monkeypatch.setattr(embedded, "byte_range_digest", counted)
    result = _check(tmp_path, _update(signed, forge), pki)
    assert result.verdict == "invalid", _said(result)
    forged = {r.field: r for r in result}["ChuKyCoQuan"].to_text(2)
    assert "/ByteRange" in forged and "bốn số" in forged and "chữ ký hỏng" in forged, forged
    assert hashed and all(n == 4 for n in hashed), hashed  # the genuine signature hashed, the forged one not


def _document_timestamp(data: bytes, ca) -> bytes:  # noqa: ANN001
    """A time stamping authority's timestamp of the whole document (PAdES-LTA), by a TSA of the CA."""
    from asn1crypto import keys, x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    tsa = make_cert(ca, "TSA thu nghiem", "CA thu nghiem", extended_usage=[ExtendedKeyUsageOID.TIME_STAMPING])
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(tsa.key.private_bytes(serialization.Encoding.DER,
                                                               serialization.PrivateFormat.PKCS8,
                                                               serialization.NoEncryption())), certs_to_embed=[])
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    return signers.PdfTimeStamper(stamper).timestamp_pdf(writer, md_algorithm="sha256").getvalue()


@pytest.mark.parametrize("certified", [False, True], ids=["signed", "certified-p1"])
def test_round10_a_document_timestamp_is_allowed_and_validated_as_one(pki, tmp_path, certified) -> None:
    """A document timestamp after a signature, or after a certification allowing no change (PAdES
    counts long-term validation as no change): valid, named, and checked by pyHanko as a timestamp.
    It was read as a signature, failed, and the genuine file was called 'chữ ký hỏng'."""
    signed = _certify(_plain(), pki["agency"], 1) if certified else _sign(_plain(), pki["signer"])
    result = _check(tmp_path, _document_timestamp(signed, pki["ca"]), pki)
    assert result.verdict == "valid", _said(result)
    first, stamp = result
    (change,) = first.changes_after
    assert change.kind == "unseen" and "TSA thu nghiem đóng dấu thời gian" in change.detail, change
    assert stamp.document_timestamp and stamp.intact and stamp.trusted, stamp.to_text(2)
    assert "dấu thời gian của tài liệu" in stamp.to_text(2) and stamp.timestamp is not None


def test_round10_a_page_changed_after_a_document_timestamp_breaks_both(pki, tmp_path) -> None:
    stamped = _document_timestamp(_sign(_plain(), pki["signer"]), pki["ca"])
    result = _check(tmp_path, _update(stamped, _page_rewritten(stamped)), pki)
    assert result.verdict == "invalid", _said(result)
    assert all(r.verdict == "invalid" for r in result), _said(result)
    assert all(any(c.kind == "content" and "999/KH-GIA" in c.detail for c in r.changes_after) for r in result)


@pytest.mark.parametrize("certified", [False, True], ids=["signed", "certified-p1"])
def test_round10_long_term_validation_data_is_allowed(pki, tmp_path, certified) -> None:
    """A DSS (certificates kept for long-term validation) added after a signature, or after a P=1
    certification: harmless, named as such."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    signed = _certify(_plain(), pki["agency"], 1) if certified else _sign(_plain(), pki["signer"])
    _a, b, c, _d = _byte_range(signed)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    DocumentSecurityStore.supply_dss_in_writer(
        writer, bytes.fromhex(signed[b + 1:c - 1].decode()),
        certs=[asn1_x509.Certificate.load(pki["ca"].cert.public_bytes(serialization.Encoding.DER))])
    out = io.BytesIO()
    writer.write(out)
    result = _check(tmp_path, out.getvalue(), pki)
    assert result.verdict == "valid", _said(result)
    (change,) = result[0].changes_after
    assert change.kind == "unseen" and "lâu dài" in change.detail, change
