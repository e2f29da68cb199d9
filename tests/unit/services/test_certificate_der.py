"""Reading issuer, subject and validity from certificates openssl made, and refusing garbage."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import pytest

from mailclient.services.certificate_der import read_certificate_fields
from mailclient.services.tls import describe_certificate_failure, fingerprint_of
from tests.helpers.tls_cert import make_certificate, make_expired, make_self_signed


def der_of(cert: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(cert.read_text())


def test_expired_certificate_fields(tmp_path: Path) -> None:
    cert, _ = make_expired(tmp_path)
    fields = read_certificate_fields(der_of(cert))
    assert fields.subject == fields.issuer == "CN=localhost, O=Expired Tests"
    assert (fields.not_before, fields.not_after) == ("2020-01-01 00:00:00 UTC",
                                                     "2020-02-01 00:00:00 UTC")


def test_generalized_time_and_many_name_parts(tmp_path: Path) -> None:
    cert, _ = make_certificate(tmp_path, subject="/C=DE/ST=Berlin/L=Berlin/O=Example/OU=Mail"
                               "/CN=mail.example.org/emailAddress=admin@example.org",
                               not_before="20491231235959Z", not_after="20991231000000Z")
    fields = read_certificate_fields(der_of(cert))
    assert fields.subject == ("emailAddress=admin@example.org, CN=mail.example.org, OU=Mail, "
                              "O=Example, L=Berlin, ST=Berlin, C=DE")
    assert (fields.not_before, fields.not_after) == ("2049-12-31 23:59:59 UTC",
                                                     "2099-12-31 00:00:00 UTC")


def test_agrees_with_the_ssl_module(tmp_path: Path) -> None:
    cert, _ = make_self_signed(tmp_path)
    decoded = ssl._ssl._test_decode_cert(str(cert))  # type: ignore[attr-defined]
    fields = read_certificate_fields(der_of(cert))
    assert fields.subject == "CN=" + decoded["subject"][0][0][1]
    not_after = time.gmtime(ssl.cert_time_to_seconds(decoded["notAfter"]))
    assert fields.not_after == time.strftime("%Y-%m-%d %H:%M:%S UTC", not_after)


@pytest.mark.parametrize("der", [b"", b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x02\x01\x00",
                                 b"\x30\x03\x30\x01\x00", b"\x30\x02\x30\x00"])
def test_garbage_is_refused(der: bytes) -> None:
    with pytest.raises(ValueError):
        read_certificate_fields(der)


def test_cut_certificate_is_refused(tmp_path: Path) -> None:
    der = der_of(make_self_signed(tmp_path)[0])
    with pytest.raises(ValueError):
        read_certificate_fields(der[: len(der) // 2])


def test_unreadable_certificate_still_has_a_fingerprint() -> None:
    failure = ssl.SSLCertVerificationError(1, "certificate verify failed")
    failure.verify_message = "self-signed certificate"
    error = describe_certificate_failure(failure, host="h", port=1, der=b"not a certificate")
    assert error.fingerprint == fingerprint_of(b"not a certificate")
    assert (error.subject, error.not_after, error.changed) == ("", "", False)
    assert str(error) == (f"the certificate of h is not trusted: self-signed certificate "
                          f"(SHA-256 fingerprint {error.fingerprint})")
