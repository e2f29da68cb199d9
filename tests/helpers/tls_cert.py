"""Makes the self-signed TLS certificate of the test mail servers with the openssl CLI."""

from __future__ import annotations

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
