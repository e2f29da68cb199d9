"""The compose window's From: every identity of every account, and its signature in the body.

The signature goes below a "-- " line. In a reply or forward it goes above the quote, right
under where the cursor starts (the reply is written above the quote here), not at the very
end as Thunderbird does by default: that keeps it next to what was written, where the reader
of a long quoted thread will see it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QComboBox, QPlainTextEdit

from mailclient.core.account import Account, Identity
from mailclient.ui.i18n import tr

SEPARATOR = "-- \n"


def signature_block(identity: Identity) -> str:
    """``-- `` and the signature, ending in a line break ('' without a signature)."""
    return f"{SEPARATOR}{identity.signature.rstrip()}\n" if identity.signature.strip() else ""


def identity_label(account: Account, identity: Identity) -> str:
    """``Ada <ada@x> — account`` (without the account when it is named as the address)."""
    if account.name.lower() == identity.email.lower():
        return identity.label
    return tr("{identity} — {account}").format(identity=identity.label, account=account.name)


def _key(account: str, index: int) -> str:
    """The From box's item data: identity ``index`` of ``account``."""
    return f"{index}:{account}"


class IdentityPicker(QObject):
    """Fills ``box`` with the identities of ``accounts`` and keeps the signature in ``body``
    matching the chosen one, unless the user edited it.

    Signals:
        identity_changed(): another identity was chosen.
    """

    identity_changed = Signal()

    def __init__(self, box: QComboBox, body: QPlainTextEdit,
                 accounts: dict[str, Account]) -> None:
        super().__init__(box)
        self.box, self.body, self.accounts = box, body, accounts
        self._block = ""  # the signature block now in the body
        self._anchor = ""  # the text the signature goes above (a quote), '' for the end
        for account in accounts.values():
            for index, identity in enumerate(account.all_identities()):
                box.addItem(identity_label(account, identity), _key(account.name, index))
        box.setAccessibleName(tr("From"))
        box.currentIndexChanged.connect(self._changed)

    @property
    def account(self) -> Account:
        return self.accounts[str(self.box.currentData()).partition(":")[2]]

    @property
    def identity(self) -> Identity:
        index = str(self.box.currentData()).partition(":")[0]
        return self.account.all_identities()[int(index)]

    def select(self, account: str | None, sent_to: Iterable[str] = ()) -> None:
        """Choose ``account``'s identity the original was sent to (else its main one),
        without touching the body."""
        if account is None or account not in self.accounts:
            return
        addresses = {a.lower() for a in sent_to}
        chosen = 0
        for index, identity in enumerate(self.accounts[account].all_identities()):
            if identity.email.lower() in addresses:
                chosen = index
                break
        self.box.blockSignals(True)
        self.box.setCurrentIndex(max(self.box.findData(_key(account, chosen)), 0))
        self.box.blockSignals(False)

    def add_signature(self, anchor: str) -> None:
        """Put the chosen identity's signature in the body: above ``anchor`` (the quote or
        forwarded text), at the end when it is ''. The cursor goes to the start."""
        self._anchor = anchor.lstrip("\n")
        self._block = signature_block(self.identity)
        if self._block:
            rest = "\n" + self._anchor if self._anchor else ""
            self.body.setPlainText("\n\n" + self._block + rest)
            self.body.moveCursor(QTextCursor.MoveOperation.Start)

    def written_text(self) -> str:
        """The body without the signature this picker put there (to tell an empty message)."""
        return self.body.toPlainText().replace(self._block, "", 1) if self._block else \
            self.body.toPlainText()

    def _changed(self, _index: int) -> None:
        new = signature_block(self.identity)
        text = self.body.toPlainText()
        if self._block:
            at = text.rfind(self._block) if not self._anchor else text.find(self._block)
            if at < 0:  # the user changed the signature: it is theirs now
                self._block = ""
                self.identity_changed.emit()
                return
            self._replace(at, len(self._block), new)
        elif new:
            at = text.find(self._anchor) if self._anchor else -1
            if at >= 0:
                self._replace(at, 0, new + "\n")
            else:
                gap = "" if not text or text.endswith("\n\n") else (
                    "\n" if text.endswith("\n") else "\n\n")
                self._replace(len(text), 0, gap + new)
        self._block = new
        self.identity_changed.emit()

    def _replace(self, start: int, length: int, text: str) -> None:
        cursor = QTextCursor(self.body.document())
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
