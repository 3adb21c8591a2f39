"""`kehoach verify` tells the truth (issue 23, issue 30): per signature intact / trusted / what
changed after it, revision by revision. Fixtures are small PDFs signed at test time with a throwaway
CA; the two real signed files of the corpus are read when the corpus is there."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

pytest.importorskip("pyhanko", reason='chưa cài thư viện ký số; cài bằng: pip install -e ".[sign]"')
pytest.importorskip("pdfminer", reason='chưa cài pdfminer.six; cài bằng: pip install -e ".[sign]"')

from generator.cli import main  # noqa: E402
from generator.esign.verify import verify_file  # noqa: E402
from tests.sign_fixtures import make_ca, make_cert, sign_pdf, tiny_pdf  # noqa: E402
from tests.paths import ROOT

# Beside the checkout (CI), or beside the folder of worktrees (a developer's worktree).
CORPUS_SIGNED = next((base / "shared" / "corpus" / "signed" for base in (ROOT.parent, ROOT.parent.parent)
                      if (base / "shared" / "corpus" / "signed").is_dir()), ROOT.parent / "shared" / "corpus" / "signed")
LINES = [(72, 760, "UBND TINH THU NGHIEM"), (330, 760, "So: 125/KH-SKHCN"),
         (72, 700, "KE HOACH Truyen thong nam 2024"), (72, 650, "Noi dung chinh cua ke hoach.")]


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("pki")
    ca = make_ca()
    signer = make_cert(ca, "Nguyen Van Thanh", "So Khoa hoc va Cong nghe")
    agency = make_cert(ca, "So Khoa hoc va Cong nghe", "UBND tinh Thu nghiem")
    return {"ca": ca, "signer": signer, "agency": agency, "ca_pem": ca.pem(folder / "ca.pem"),
            "folder": folder}


@pytest.fixture(scope="module")
def signed(pki, tmp_path_factory) -> Path:
    """Signed by the person (visible box), then by the agency (a text stamp): a valid file."""
    folder = tmp_path_factory.mktemp("ky")
    first = sign_pdf(tiny_pdf([LINES, [(72, 760, "Trang hai")]]), pki["signer"], "ChuKyNguoiKy",
                     box=(300, 560, 480, 620))
    second = sign_pdf(first, pki["agency"], "ChuKyCoQuan", box=(400, 500, 560, 540), text="Van thu")
    (folder / "1.pdf").write_bytes(first)
    out = folder / "ky.pdf"
    out.write_bytes(second)
    return out


def _update(path: Path, out: Path, change) -> Path:  # noqa: ANN001
    """An incremental update made by `change(writer)` after the last signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()), strict=False)
    change(writer)
    buf = io.BytesIO()
    writer.write(buf)
    out.write_bytes(buf.getvalue())
    return out


def _text_form(writer, text: str, width: int = 230):  # noqa: ANN001, ANN202
    from pyhanko.pdf_utils import generic

    font = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Font"), generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
        generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica")}))
    return writer.add_object(generic.StreamObject({
        generic.pdf_name("/Type"): generic.pdf_name("/XObject"), generic.pdf_name("/Subtype"): generic.pdf_name("/Form"),
        generic.pdf_name("/BBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, width, 20)]),
        generic.pdf_name("/Resources"): generic.DictionaryObject({generic.pdf_name("/Font"): generic.DictionaryObject(
            {generic.pdf_name("/F1"): font})})},
        stream_data=b"1 1 1 rg 0 0 %d 20 re f 0 0 0 rg BT /F1 12 Tf 2 5 Td (%s) Tj ET" % (width, text.encode())))


# --- Valid, and the third state ---------------------------------------------------------------------

def test_a_valid_file_is_valid_only_with_a_trust_anchor(pki, signed, capsys) -> None:
    result = verify_file(signed, trust=[pki["ca_pem"]])
    assert result.verdict == "valid", "\n".join(r.to_text(1) for r in result)
    first, second = result.signatures
    assert [(c.revision, c.kind) for c in first.changes_after] == [(2, "signature"), (2, "stamp")]
    assert "Van thu" in first.changes_after[1].detail  # the stamp's words, as the reader sees them
    assert first.trusted is True and second.changes_after == []

    without = verify_file(signed)
    assert without.verdict == "unverified" and all(r.trusted is None and r.intact for r in without)
    capsys.readouterr()
    assert main(["verify", str(signed)]) == 3
    assert "chưa xác minh được người ký" in capsys.readouterr().out
    assert main(["verify", str(signed), "--trust", str(pki["ca_pem"])]) == 0


def test_json_has_the_exact_shape(pki, signed, capsys) -> None:
    capsys.readouterr()
    assert main(["verify", str(signed), "--json", "--trust", str(pki["ca_pem"])]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"verdict", "signatures"} and out["verdict"] == "valid"
    keys = {"field", "signer", "organization", "signed_at", "page", "intact", "trusted", "timestamp",
            "changes_after", "verdict"}
    assert all(set(s) == keys for s in out["signatures"])
    first = out["signatures"][0]
    assert first["signer"] == "Nguyen Van Thanh" and first["page"] == 1 and first["trusted"] is True
    assert first["changes_after"][0] == {"revision": 2, "kind": "signature", "page": 1,
                                         "detail": "So Khoa hoc va Cong nghe ký (trường ChuKyCoQuan)"}
    assert main(["verify", str(signed), "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["signatures"][0]["trusted"] is None


def test_trust_takes_der_files_and_folders(pki, signed, tmp_path) -> None:
    folder = tmp_path / "ca"
    folder.mkdir()
    pki["ca"].der(folder / "RootCA.cer")
    (folder / "doc-khong-lien-quan.txt").write_text("x")
    assert verify_file(signed, trust=[folder]).verdict == "valid"
    assert verify_file(signed, trust=[folder / "RootCA.cer"]).verdict == "valid"


def test_a_self_signed_look_alike_is_never_valid(pki, tmp_path, capsys) -> None:
    fake = make_cert(None, "Nguyen Van Thanh", "So Khoa hoc va Cong nghe")
    out = tmp_path / "gia.pdf"
    out.write_bytes(sign_pdf(tiny_pdf([LINES]), fake, "ChuKyNguoiKy", box=(300, 560, 480, 620)))
    for trust in ([], [pki["ca_pem"]]):
        result = verify_file(out, trust=trust)
        assert result.verdict == "unverified" and result[0].trusted is None and result[0].intact
        capsys.readouterr()
        assert main(["verify", str(out), *(a for t in trust for a in ("--trust", str(t)))]) == 3
    assert "không chứng thư gốc tin cậy nào" in verify_file(out, trust=[pki["ca_pem"]])[0].to_text(1)


def test_an_expired_certificate_of_the_trusted_ca_reads_expired(pki, tmp_path) -> None:
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    old = make_cert(pki["ca"], "Nguyen Van Cu", not_before=now - dt.timedelta(days=60),
                    not_after=now - dt.timedelta(days=2))
    out = tmp_path / "het-han.pdf"
    out.write_bytes(sign_pdf(tiny_pdf([LINES]), old, "ChuKyNguoiKy", box=(300, 560, 480, 620)))
    report = verify_file(out, trust=[pki["ca_pem"]])[0]
    assert report.trusted is False and report.verdict == "invalid"
    text = report.to_text(1)
    assert "hết hạn" in text and "tin cậy đã cho" not in text


# --- What came after ----------------------------------------------------------------------------

def test_page_content_changed_after_signing_names_the_page_and_the_words(pki, signed, tmp_path, capsys) -> None:
    from pyhanko.pdf_utils import generic

    def draw(writer) -> None:  # noqa: ANN001
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        form = _text_form(writer, "So: 999/KH-GIA")
        resources = page["/Resources"]
        resources[generic.pdf_name("/XObject")] = generic.DictionaryObject({generic.pdf_name("/Gia"): form})
        extra = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 1 328 755 cm /Gia Do Q"))
        page[generic.pdf_name("/Contents")] = generic.ArrayObject([page.raw_get("/Contents"), extra])
        writer.update_container(page)

    out = _update(signed, tmp_path / "sua.pdf", draw)
    result = verify_file(out, trust=[pki["ca_pem"]])
    assert result.verdict == "invalid"
    for report in result:
        content = [c for c in report.changes_after if c.kind == "content"]
        assert content and content[0].page == 1 and content[0].revision == 3, report.to_text(1)
        assert "999/KH-GIA" in content[0].detail
    capsys.readouterr()
    assert main(["verify", str(out), "--trust", str(pki["ca_pem"])]) == 1
    out_text = capsys.readouterr().out
    assert "NỘI DUNG TRANG" in out_text and "trang 1" in out_text


def test_an_added_field_painting_text_is_content_not_a_signature(pki, signed, tmp_path) -> None:
    """Issue 30: an empty signature field whose appearance paints "So: 999" over the signed number."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields

    def add(writer) -> None:  # noqa: ANN001
        fields.append_signature_field(writer, fields.SigFieldSpec("Gia", on_page=0, box=(328, 755, 558, 775)))
        for ref in writer.root["/AcroForm"]["/Fields"]:
            widget = ref.get_object()
            if widget.get("/T") == "Gia":
                widget[generic.pdf_name("/AP")] = generic.DictionaryObject(
                    {generic.pdf_name("/N"): _text_form(writer, "So: 999/KH-GIA")})
                writer.update_container(widget)

    out = _update(signed, tmp_path / "o-gia.pdf", add)
    result = verify_file(out, trust=[pki["ca_pem"]])
    assert result.verdict == "invalid"
    change = next(c for c in result[0].changes_after if c.kind == "content")
    assert change.page == 1 and "Gia" in change.detail and "999/KH-GIA" in change.detail, change


def test_a_file_written_anew_after_signing_reads_broken(pki, signed, tmp_path, capsys) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(signed.read_bytes()), strict=False))
    buf = io.BytesIO()
    writer.write(buf)
    out = tmp_path / "ghi-lai.pdf"
    out.write_bytes(buf.getvalue())
    result = verify_file(out, trust=[pki["ca_pem"]])
    assert result.verdict == "invalid"
    assert all(r.problems and ("ghi lại" in " ".join(r.problems)) for r in result), [r.problems for r in result]
    capsys.readouterr()
    assert main(["verify", str(out)]) == 1


# --- Real files ---------------------------------------------------------------------------------

@pytest.mark.skipif(not CORPUS_SIGNED.is_dir(), reason="không có thư mục ../shared/corpus/signed")
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS_SIGNED.glob("*.pdf")) if CORPUS_SIGNED.is_dir()
                         else [])
def test_real_signed_files_read_intact_and_unverified(name, capsys) -> None:
    path = CORPUS_SIGNED / name
    result = verify_file(path)
    assert result.signatures and result.verdict == "unverified"
    for report in result:
        assert report.intact and report.valid and not report.problems, report.to_text(1)
        assert {c.kind for c in report.changes_after} <= {"signature", "stamp"}, report.to_text(1)
    capsys.readouterr()
    assert main(["verify", str(path)]) == 3
    captured = capsys.readouterr()
    assert "Warning" not in captured.err and "Traceback" not in captured.err


def test_a_signed_stamp_written_over_the_signed_words_is_content(pki, signed, tmp_path) -> None:
    """A later signature (even one the CA vouches for) whose appearance writes over the signed
    number changes what the first signer signed: content, not a stamp in a blank."""
    other = make_cert(pki["ca"], "Nguoi Khac", "Noi khac")
    out = tmp_path / "de-len.pdf"
    out.write_bytes(sign_pdf(signed.read_bytes(), other, "Gia", box=(326, 752, 470, 776), text="So: 999/KH-GIA"))
    result = verify_file(out, trust=[pki["ca_pem"]])
    first = result[0]
    assert first.verdict == "invalid", first.to_text(1)
    change = next(c for c in first.changes_after if c.kind == "content")
    assert change.page == 1 and "đè lên" in change.detail and "KH-SKHCN»" in change.detail, change
    assert result.signatures[-1].verdict == "valid"  # the overwriting signature itself is intact and trusted


def test_a_folder_or_a_pipe_given_for_the_pdf_is_said_as_what_it_is(tmp_path, capsys) -> None:
    """`kehoach verify FOLDER` said 'không có tệp này' of a folder the user can see; it is said as a
    folder, as import and sign say it, by the one reader of a user's file. A named pipe is refused
    without waiting on it; a missing file is still said missing. Exit 2 each time, no traceback."""
    import os

    folder = tmp_path / "da-ky.pdf"
    folder.mkdir()
    cases = [(folder, "da-ky.pdf: đây là thư mục, không phải tệp PDF"),
             (tmp_path / "khong-co.pdf", "khong-co.pdf: không tìm thấy tệp")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "ong.pdf")
        cases.append((tmp_path / "ong.pdf", "ong.pdf: không phải tệp thường"))
    for path, said in cases:
        capsys.readouterr()
        assert main(["verify", str(path)]) == 2
        err = capsys.readouterr().err
        assert said in err and "không có tệp này" not in err and "Traceback" not in err, err
