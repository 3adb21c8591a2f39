"""A throwaway PKI and small PDFs for the signature tests, all made at test time.

make_ca / make_cert build certificates with the cryptography package (any validity window or key
usage, for the refusal tests); tiny_pdf writes a one- or two-page PDF with Helvetica text lines, so a
verify test needs no LibreOffice; sign_pdf signs with pyHanko directly (the library under test is
not the signer here, so a test can make what kehoach would refuse to make)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = b"mat-khau-thu-nghiem"
NOW = dt.datetime.now(dt.UTC)


@dataclass
class Identity:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate]

    def p12(self, path: Path) -> Path:
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            b"k", self.key, self.cert, self.chain, serialization.BestAvailableEncryption(PASSWORD)))
        return path

    def pem(self, path: Path) -> Path:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    def der(self, path: Path) -> Path:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.DER))
        return path


def name(cn: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def usage(*, ca: bool = False, sign: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=sign and not ca,
                         key_encipherment=not sign, data_encipherment=False, key_agreement=False,
                         key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)


def make_ca(cn: str = "CA thử nghiệm kehoach") -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = name(cn, "Thử nghiệm")
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=400)).not_valid_after(NOW + dt.timedelta(days=400))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Identity(cert, key, [])


def make_cert(issuer: Identity | None, cn: str, org: str | None = None, *,
              not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
              key_usage: x509.KeyUsage | None = None,
              extended_usage: list[x509.ObjectIdentifier] | None = None) -> Identity:
    """A signer's certificate issued by `issuer`, or self-signed when issuer is None."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = name(cn, org)
    signing_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - dt.timedelta(days=1))
               .not_valid_after(not_after or NOW + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(key_usage or usage(), critical=True))
    if extended_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_usage), critical=True)
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    return Identity(builder.sign(signing_key, hashes.SHA256()), key, [issuer.cert] if issuer else [])


def _escape(text: str) -> bytes:
    return text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def tiny_pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """A PDF whose pages draw these (x, y, text) lines in Helvetica 12 (ASCII text)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    writer = PdfFileWriter()
    font = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Font"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
        generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
        generic.pdf_name("/Encoding"): generic.pdf_name("/WinAnsiEncoding")}))
    for lines in pages:
        ops = b"".join(b"BT /F1 12 Tf %.1f %.1f Td (%s) Tj ET\n" % (x, y, _escape(t)) for x, y, t in lines)
        resources = generic.DictionaryObject({generic.pdf_name("/Font"): generic.DictionaryObject(
            {generic.pdf_name("/F1"): font})})
        page = writer.add_object(generic.StreamObject(stream_data=ops))
        writer.insert_page(_page(writer, page, resources))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page(writer, contents, resources):  # noqa: ANN001, ANN202
    from pyhanko.pdf_utils import generic

    return generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        generic.pdf_name("/Contents"): contents,
        generic.pdf_name("/Resources"): resources})


def sign_pdf(data: bytes, who: Identity, field: str, *, box: tuple[int, int, int, int] | None = None,
             page: int = 0, text: str | None = None) -> bytes:
    """Sign in an incremental update (pyHanko directly); a visible text stamp when text is given."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    p12 = pkcs12.serialize_key_and_certificates(b"k", who.key, who.cert, who.chain,
                                                serialization.BestAvailableEncryption(PASSWORD))
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=PASSWORD)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    spec = fields.SigFieldSpec(sig_field_name=field, on_page=page, box=box)
    style = TextStampStyle(stamp_text=text, border_width=0) if text else None
    pdf_signer = signers.PdfSigner(signers.PdfSignatureMetadata(field_name=field), signer=signer,
                                   new_field_spec=spec, stamp_style=style)
    return pdf_signer.sign_pdf(writer).getvalue()
