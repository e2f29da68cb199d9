"""Makes the test servers' TLS certificates with openssl: self-signed, expired, wrong host."""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

SUBJECT_ALT_NAMES = "IP:127.0.0.1,IP:127.0.0.2,DNS:localhost"


def make_self_signed(directory: Path, openssl: str = "openssl", days: int = 7) -> tuple[Path, Path]:
    """Write cert.pem (world-readable, also the CA file) and key.pem (0600); return both."""
    directory.mkdir(mode=0o755, parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-sha256", "-days", str(days), "-subj", "/CN=localhost",
            "-addext", f"subjectAltName={SUBJECT_ALT_NAMES}",
            "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
            "-addext", "extendedKeyUsage=serverAuth",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    cert.chmod(0o644)
    return cert, key


_CA_CONFIG = """[ca]
default_ca = own
[own]
database = {directory}/index.txt
new_certs_dir = {directory}
serial = {directory}/serial
default_md = sha256
policy = anything
unique_subject = no
x509_extensions = server
[anything]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional
[server]
subjectAltName = {names}
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyCertSign
extendedKeyUsage = serverAuth
"""


def make_certificate(
    directory: Path, *, subject: str = "/CN=localhost/O=Mailclient Tests",
    names: str = SUBJECT_ALT_NAMES, not_before: str = "20200101000000Z",
    not_after: str = "20991231000000Z", openssl: str = "openssl",
) -> tuple[Path, Path]:
    """Write a self-signed cert.pem and key.pem (0600) with these names and validity (UTC,
    ``YYYYMMDDHHMMSSZ``): expired (``not_after`` in the past) or for another host (``names``
    ``DNS:wrong.example``). The certificate is also its own CA file. Returns both paths."""
    directory.mkdir(mode=0o755, parents=True, exist_ok=True)
    cert, key, request = directory / "cert.pem", directory / "key.pem", directory / "req.csr"
    config = directory / "ca.cnf"
    config.write_text(_CA_CONFIG.format(directory=directory, names=names))
    (directory / "index.txt").write_text("")
    (directory / "serial").write_text(f"{secrets.randbits(63):016X}\n")
    subprocess.run(
        [openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-subj", subject, "-keyout", str(key), "-out", str(request)],
        check=True, capture_output=True,
    )
    subprocess.run(
        [openssl, "ca", "-batch", "-config", str(config), "-selfsign", "-keyfile", str(key),
         "-in", str(request), "-out", str(cert), "-notext", "-startdate", not_before,
         "-enddate", not_after],
        check=True, capture_output=True,
    )
    key.chmod(0o600)
    cert.chmod(0o644)
    return cert, key


def make_expired(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 that expired on 1 February 2020."""
    return make_certificate(directory, subject="/CN=localhost/O=Expired Tests",
                            not_before="20200101000000Z", not_after="20200201000000Z")


def make_wrong_host(directory: Path) -> tuple[Path, Path]:
    """A valid self-signed certificate that names only wrong.example, not 127.0.0.1."""
    return make_certificate(directory, subject="/CN=wrong.example/O=Wrong Host Tests",
                            names="DNS:wrong.example")
