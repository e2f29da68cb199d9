"""Reading who issued an X.509 certificate, whom it names and its validity, from its DER bytes."""

from __future__ import annotations

from dataclasses import dataclass

_SEQUENCE, _SET, _OID, _VERSION = 0x30, 0x31, 0x06, 0xA0
_UTC_TIME, _GENERALIZED_TIME = 0x17, 0x18
_TEXT_CODECS = {
    0x0C: "utf-8",  # UTF8String
    0x13: "ascii",  # PrintableString
    0x16: "ascii",  # IA5String
    0x14: "latin-1",  # T61String (close enough for names)
    0x1E: "utf-16-be",  # BMPString
    0x1C: "utf-32-be",  # UniversalString
}
_ATTRIBUTE_NAMES = {
    "2.5.4.3": "CN",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.97": "organizationIdentifier",
    "1.2.840.113549.1.9.1": "emailAddress",
    "0.9.2342.19200300.100.1.25": "DC",
}


@dataclass(frozen=True)
class CertificateFields:
    """What a user checks before trusting a certificate, as text.

    Names are in RFC 4514 order (``CN=mail.example.org, O=Example, C=DE``); times are UTC
    (``2026-01-31 12:00:00 UTC``).
    """

    issuer: str
    subject: str
    not_before: str
    not_after: str


@dataclass(frozen=True)
class _Element:
    tag: int
    start: int  # of the content
    end: int


def read_certificate_fields(der: bytes) -> CertificateFields:
    """Read the issuer, subject and validity of a DER-encoded X.509 certificate.

    Raises:
        ValueError: ``der`` is not a certificate this reader understands.
    """
    certificate = _only(der, _element(der, 0, len(der)), _SEQUENCE)
    tbs = _children(der, certificate)[0]
    parts = _children(der, _only(der, tbs, _SEQUENCE))
    if parts and parts[0].tag == _VERSION:
        parts = parts[1:]
    if len(parts) < 5:
        raise ValueError("the certificate is too short")
    _serial, _algorithm, issuer, validity, subject = parts[:5]
    times = _children(der, _only(der, validity, _SEQUENCE))
    if len(times) != 2:
        raise ValueError("the certificate's validity is malformed")
    return CertificateFields(
        issuer=_name(der, issuer),
        subject=_name(der, subject),
        not_before=_time(der, times[0]),
        not_after=_time(der, times[1]),
    )


def _element(der: bytes, position: int, limit: int) -> _Element:
    """The element starting at ``position`` (definite lengths only, as DER requires)."""
    if position + 2 > limit:
        raise ValueError("the certificate is cut short")
    tag, length = der[position], der[position + 1]
    position += 2
    if length & 0x80:
        size = length & 0x7F
        if not 1 <= size <= 4 or position + size > limit:
            raise ValueError("the certificate has a malformed length")
        length = int.from_bytes(der[position : position + size], "big")
        position += size
    if position + length > limit:
        raise ValueError("the certificate is cut short")
    return _Element(tag, position, position + length)


def _children(der: bytes, parent: _Element) -> list[_Element]:
    found: list[_Element] = []
    position = parent.start
    while position < parent.end:
        child = _element(der, position, parent.end)
        found.append(child)
        position = child.end
    return found


def _only(der: bytes, element: _Element, tag: int) -> _Element:
    if element.tag != tag:
        raise ValueError(f"expected DER tag {tag:#x}, found {element.tag:#x}")
    return element


def _name(der: bytes, name: _Element) -> str:
    """A Name as ``CN=..., O=...`` (most specific first)."""
    pairs: list[str] = []
    for relative in _children(der, _only(der, name, _SEQUENCE)):
        for attribute in _children(der, _only(der, relative, _SET)):
            kind, value = _children(der, _only(der, attribute, _SEQUENCE))[:2]
            oid = _oid(der[_only(der, kind, _OID).start : kind.end])
            pairs.append(f"{_ATTRIBUTE_NAMES.get(oid, oid)}={_text(der, value)}")
    return ", ".join(reversed(pairs))


def _oid(content: bytes) -> str:
    if not content:
        raise ValueError("empty object identifier")
    numbers = [*divmod(content[0], 40)] if content[0] < 80 else [2, content[0] - 80]
    value = 0
    for byte in content[1:]:
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            numbers.append(value)
            value = 0
    return ".".join(map(str, numbers))


def _text(der: bytes, value: _Element) -> str:
    raw = der[value.start : value.end]
    codec = _TEXT_CODECS.get(value.tag)
    if codec is None:
        return "#" + raw.hex()
    return raw.decode(codec, "replace")


def _time(der: bytes, value: _Element) -> str:
    text = der[value.start : value.end].decode("ascii", "replace")
    if value.tag == _UTC_TIME and len(text) == 13:
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    elif value.tag != _GENERALIZED_TIME or len(text) != 15:
        raise ValueError(f"unreadable certificate time {text!r}")
    if not text.endswith("Z") or not text[:14].isdigit():
        raise ValueError(f"unreadable certificate time {text!r}")
    return f"{text[:4]}-{text[4:6]}-{text[6:8]} {text[8:10]}:{text[10:12]}:{text[12:14]} UTC"
