"""A process that writes batches of new messages, parsed by its parent, into the store.

A large sync runs this beside its network loop so that the two use two cores: the parent
parses the headers and sends batches of rows as frames on the child's stdin; the child
commits each batch in one transaction (SQLite's part, the larger one) and answers with the
number of rows it took (an error text if it failed).
A frame is a 4-byte big-endian length and a ``marshal`` payload (plain tuples, bytes, str).
"""

from __future__ import annotations

import marshal
import struct
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO

from mailclient.services.store.database import Database
from mailclient.services.store.ingest import (
    NewMessage,
    PreparedRow,
    RowFields,
    insert_rows,
    prepare,
)

# A prepared row as plain values: PreparedRow's fields up to ``fallback_date``, then those of
# its RowFields up to ``date`` (the rest is what a header parse leaves them). A message to
# parse: NewMessage's fields but ``uidl``. Dates are (POSIX seconds, UTC offset) or None.
WireRow = tuple[Any, ...]
WireMessage = tuple[Any, ...]
# A batch: (folder name, rows the parent parsed, messages left to the worker to parse).
WireBatch = tuple[str, list[WireRow], list[WireMessage]]
_LENGTH = struct.Struct(">I")
_ZONES: dict[int, timezone] = {}  # UTC offsets in seconds: few, and each one valid


def _wire_date(date: datetime | None) -> tuple[float, int] | None:
    if date is None:
        return None
    offset = date.utcoffset()
    return date.timestamp(), int(offset.total_seconds()) if offset else 0


def _date(wire: tuple[float, int] | None) -> datetime | None:
    if wire is None:
        return None
    zone = _ZONES.get(wire[1])
    if zone is None:
        zone = _ZONES[wire[1]] = timezone(timedelta(seconds=wire[1]))
    return datetime.fromtimestamp(wire[0], zone)


def encode_row(row: PreparedRow) -> WireRow:
    """A row parsed from the headers alone as plain values (``marshal`` takes no objects)."""
    f = row.fields
    return (row.ident, row.account, row.folder_id, row.uidvalidity, row.uid, row.uidl,
            row.modseq, row.flags, row.size, row.raw, row.header_only,
            _wire_date(row.fallback_date), f.message_id, f.in_reply_to, f.references,
            f.subject, f.sender, f.to, f.cc, _wire_date(f.date))


def decode_row(wire: WireRow) -> PreparedRow:
    (ident, account, folder_id, uidvalidity, uid, uidl, modseq, flags, size, raw, header_only,
     fallback, message_id, in_reply_to, references, subject, sender, to, cc, date) = wire
    return PreparedRow(ident, account, folder_id, uidvalidity, uid, uidl, modseq, flags, size,
                       raw, header_only, _date(fallback), RowFields(
                           message_id, in_reply_to, references, subject, sender, to, cc,
                           _date(date), None, ""))


def encode_message(item: NewMessage) -> WireMessage:
    """A message of an IMAP folder to parse here (``uidl`` is not sent)."""
    return (item.account, item.folder_id, item.raw, item.flags, item.uidvalidity, item.uid,
            _wire_date(item.fallback_date), item.header_only, item.modseq, item.size)


def decode_message(wire: WireMessage) -> NewMessage:
    account, folder_id, raw, flags, uidvalidity, uid, date, header_only, modseq, size = wire
    return NewMessage(account, folder_id, raw, flags, uidvalidity, uid, fallback_date=_date(date),
                      header_only=header_only, modseq=modseq, size=size)


def frame(payload: Any) -> bytes:
    data = marshal.dumps(payload)
    return _LENGTH.pack(len(data)) + data


def _read_frame(stream: BinaryIO) -> object | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    value: object = marshal.loads(data)
    return value


def write_batch(db: Database, folder_name: str, items: list[NewMessage]) -> None:
    """Store new messages of one folder in one transaction, listed and searchable (header
    fields) at once; threads come later (``thread_pending``). Ones already stored are
    skipped."""
    write_rows(db, [prepare(item.ident(folder_name), item, index=False) for item in items])


def write_rows(db: Database, rows: list[PreparedRow]) -> None:
    """``write_batch`` of rows already prepared (``index=False``)."""
    first: dict[str, PreparedRow] = {}
    for row in rows:
        first.setdefault(row.ident, row)
    if first:
        with db.transaction(durable=False) as tx:
            insert_rows(tx, list(first.values()), unthreaded=True)


def serve(db: Database, source: BinaryIO, sink: BinaryIO) -> int:
    """Store each batch read from ``source`` and answer how many messages it held, until
    ``source`` ends; then make it all durable. Returns the exit status."""
    try:
        while (batch := _read_frame(source)) is not None:
            assert isinstance(batch, tuple)
            folder_name, rows, items = batch
            write_rows(db, [decode_row(wire) for wire in rows] + [
                prepare(item.ident(folder_name), item, index=False)
                for item in map(decode_message, items)])
            sink.write(frame(len(rows) + len(items)))
            sink.flush()
        db.commit_durably()
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        sink.write(frame(f"{type(exc).__name__}: {exc}"))
        sink.flush()
        return 1
    return 0


def main(argv: list[str]) -> int:
    """``python -m mailclient.services.store.ingest_worker DATABASE``."""
    db = Database(Path(argv[0]))
    try:
        return serve(db, sys.stdin.buffer, sys.stdout.buffer)
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
