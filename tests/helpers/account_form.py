"""The account dialog filled in for a user of the test Dovecot and Postfix."""

from __future__ import annotations

from mailclient.ui.account_dialog import AccountDialog
from tests.helpers.mailservers import MailServers, TestUser


def fill_account_dialog(dialog: AccountDialog, servers: MailServers, user: TestUser,
                        password: str, *, ca_file: bool = True) -> None:
    """Address, password, IMAPS and submission (STARTTLS) on the test servers; the test CA
    unless ``ca_file`` is False (then the certificate is not trusted)."""
    dialog.email.setText(user.address)
    dialog.password.setText(password)
    dialog.incoming.host.setText(servers.host)
    dialog.incoming.port.setText(str(servers.imaps_port))
    dialog.outgoing.host.setText(servers.host)
    dialog.outgoing.security.setCurrentIndex(dialog.outgoing.security.findData("starttls"))
    dialog.outgoing.port.setText(str(servers.submission_port))
    dialog.ca_file.setText(str(servers.ca_file) if ca_file else "")
