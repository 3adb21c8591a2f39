"""Signing with a PKCS#11 token (the government CA's USB tokens speak PKCS#11), tested against
SoftHSM2: a throwaway token in a temporary folder, the key and certificate made at test time."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pkcs11", reason='chưa cài python-pkcs11; cài bằng: pip install -e ".[sign]"')

from tests.test_sign import SIGNER_FIELD, main, needs_tools, verify_file  # noqa: E402
from tests.test_sign import kit  # noqa: E402,F401  (the fixture, shared)

SOFTHSM_LIBS = [Path("/usr/lib/softhsm/libsofthsm2.so"),
                Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
                Path("/usr/local/lib/softhsm/libsofthsm2.so")]
LIB = next((p for p in SOFTHSM_LIBS if p.is_file()), None)
PIN, SO_PIN, LABEL = "246810", "13579135", "kehoach-thu"

pytestmark = [
    needs_tools,
    pytest.mark.skipif(shutil.which("softhsm2-util") is None or LIB is None,
                       reason="chưa cài SoftHSM2; cài bằng: apt-get install softhsm2"),
]


@pytest.fixture(scope="module")
def token(kit, tmp_path_factory) -> Path:
    """A SoftHSM2 token holding the signer's key and certificate (same CKA_ID, as real tokens do)."""
    import pkcs11
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOFTHSM2_CONF", str(conf))
    env = {"SOFTHSM2_CONF": str(conf), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--pin", PIN,
                    "--so-pin", SO_PIN], check=True, capture_output=True, env=env)
    subprocess.run(["softhsm2-util", "--import", str(kit["signer-key"]), "--token", LABEL, "--label",
                    "nguoi-ky", "--id", "01", "--pin", PIN], check=True, capture_output=True, env=env)
    cert = x509.load_pem_x509_certificate(kit["signer-cert"].read_bytes())
    lib = pkcs11.lib(str(LIB))
    with lib.get_token(token_label=LABEL).open(rw=True, user_pin=PIN) as session:
        session.create_object({
            pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
            pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
            pkcs11.Attribute.TOKEN: True,
            pkcs11.Attribute.LABEL: "nguoi-ky",
            pkcs11.Attribute.ID: b"\x01",
            pkcs11.Attribute.SUBJECT: cert.subject.public_bytes(),
            pkcs11.Attribute.ISSUER: cert.issuer.public_bytes(),
            pkcs11.Attribute.SERIAL_NUMBER: cert.serial_number.to_bytes(20, "big"),
            pkcs11.Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        })
    pin_file = folder / "pin"
    pin_file.write_text(PIN + "\n")
    yield pin_file
    mp.undo()


def test_sign_with_a_pkcs11_token(kit, token, tmp_path, capsys) -> None:
    out = tmp_path / "ky-token.pdf"
    assert main(["sign", str(kit["pdf"]), "-o", str(out), "--as", "signer", "--image", str(kit["image"]),
                 "--pkcs11-lib", str(LIB), "--token-label", LABEL, "--password-file", str(token)]) == 0
    reports = verify_file(out, trust=[kit["ca"]])
    assert [r.field for r in reports] == [SIGNER_FIELD]
    assert not reports[0].problems and reports[0].who == "Nguyễn Văn Thành"

    # The agency then signs with its .p12: the token's signature stays valid.
    second = tmp_path / "ky-co-quan.pdf"
    assert main(["sign", str(out), "-o", str(second), "--as", "agency", "--seal", str(kit["seal"]),
                 "--p12", str(kit["agency"]), "--password-file", str(kit["password"])]) == 0
    assert [r.problems for r in verify_file(second, trust=[kit["ca"]])] == [[], []]


def test_wrong_pin_and_unknown_token_are_user_errors(kit, token, tmp_path, capsys) -> None:
    wrong = tmp_path / "pin"
    wrong.write_text("000000\n")
    capsys.readouterr()
    args = ["sign", str(kit["pdf"]), "-o", str(tmp_path / "x.pdf"), "--as", "signer", "--image",
            str(kit["image"]), "--pkcs11-lib", str(LIB)]
    assert main([*args, "--token-label", LABEL, "--password-file", str(wrong)]) == 2
    assert "sai mã PIN" in capsys.readouterr().err
    assert main([*args, "--token-label", "khong-co", "--password-file", str(token)]) == 2
    err = capsys.readouterr().err
    assert "khong-co" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_key_label_typo_and_a_key_without_certificate_are_named(kit, token, tmp_path, capsys) -> None:
    """Issue 30, clear messages: each its own Vietnamese message, listing what the token holds."""
    args = ["sign", str(kit["pdf"]), "-o", str(tmp_path / "x.pdf"), "--as", "signer", "--image",
            str(kit["image"]), "--pkcs11-lib", str(LIB), "--token-label", LABEL, "--password-file", str(token)]
    capsys.readouterr()
    assert main([*args, "--key-label", "nguoi-ki"]) == 2
    err = capsys.readouterr().err
    assert "nguoi-ki" in err and "nguoi-ky" in err and "không mong đợi" not in err
    # A second key, with no certificate beside it (the agency's key imported alone).
    subprocess.run(["softhsm2-util", "--import", str(kit["agency-key"]), "--token", LABEL, "--label",
                    "khong-chung-thu", "--id", "02", "--pin", token.read_text().strip()], check=True,
                   capture_output=True)
    try:
        assert main([*args, "--key-label", "khong-chung-thu"]) == 2
        err = capsys.readouterr().err
        assert "khong-chung-thu" in err and "chứng thư" in err and "không mong đợi" not in err
        assert main(args) == 2  # two keys now: which one is asked, both named
        err = capsys.readouterr().err
        assert "nguoi-ky" in err and "khong-chung-thu" in err and "--key-label" in err
    finally:  # the token is shared by the module's tests: one key again
        import pkcs11

        with pkcs11.lib(str(LIB)).get_token(token_label=LABEL).open(rw=True, user_pin=token.read_text().strip()) as s:
            for obj in s.get_objects({pkcs11.Attribute.LABEL: "khong-chung-thu"}):
                obj.destroy()
    assert main([*args, "--token-label", "khong-co"]) == 2  # a token label typo lists the tokens present
    assert f"'{LABEL}'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
