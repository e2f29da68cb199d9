"""A small authoritative DNS responder on 127.0.0.1 (UDP, free port) for discovery tests.

Built on dnspython's message classes: it answers the records it is given, NXDOMAIN for
names it does not know, nothing at all for names marked silent (a hanging server), and
logs every query so a test can show that no query went anywhere else.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dns.asyncresolver
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

from mailclient.services.discovery.network import local_resolver

HOST = "127.0.0.1"


@dataclass
class DnsResponder:
    """The running responder: ``records[(name, type)]`` -> rdata texts (``"10 mx.x.org."``);
    ``silent`` names get no reply; ``queries`` logs (name, type) as asked."""

    port: int = 0
    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    silent: set[str] = field(default_factory=set)
    queries: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, kind: str, *texts: str) -> None:
        """Answer ``name`` (no trailing dot needed) of type ``kind`` with these records."""
        self.records.setdefault((_key(name), kind.upper()), []).extend(texts)

    def resolver(self) -> dns.asyncresolver.Resolver:
        """A dnspython resolver asking this responder only."""
        return local_resolver(HOST, self.port)

    def answer(self, wire: bytes) -> bytes | None:
        query = dns.message.from_wire(wire)
        question = query.question[0]
        name, kind = _key(question.name.to_text()), dns.rdatatype.to_text(question.rdtype)
        self.queries.append((name, kind))
        if name in self.silent:
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        texts = self.records.get((name, kind))
        if texts:
            response.answer.append(dns.rrset.from_text_list(question.name, 60, "IN", kind, texts))
        elif not any(known == name for known, _ in self.records):
            response.set_rcode(dns.rcode.NXDOMAIN)
        return response.to_wire()


def _key(name: str) -> str:
    return name.lower().rstrip(".")


def _serve(state: DnsResponder, sock: socket.socket, stop: threading.Event) -> None:
    sock.settimeout(0.05)
    while not stop.is_set():
        try:
            wire, peer = sock.recvfrom(4096)
        except TimeoutError:
            continue
        except OSError:
            return
        reply = state.answer(wire)
        if reply is not None:
            sock.sendto(reply, peer)


@contextmanager
def dns_responder() -> Iterator[DnsResponder]:
    """Run a responder on a free UDP port of 127.0.0.1 until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, 0))
    state = DnsResponder(port=sock.getsockname()[1])
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(state, sock, stop), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(timeout=5)
        sock.close()
