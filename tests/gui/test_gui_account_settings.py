"""Account Settings: edit, remove, identities and provider fill-in, saved through the bridge."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMessageBox

from mailclient.core.account import Identity
from mailclient.core.errors import ConfigError
from mailclient.ui.account_settings import AccountSettingsDialog, open_account_settings

SERVICE_KEY = "mailclient"


def open_settings(qtbot, service, bridge) -> AccountSettingsDialog:
    dialog = AccountSettingsDialog(service, bridge)
    qtbot.addWidget(dialog)
    return dialog


def test_edit_keeps_the_saved_password_and_other_fields(qtbot, service, bridge, account,
                                                        keyring_backend) -> None:
    service.secrets.set_password(account.name, "old-secret")
    service.accounts.settings.replace_account(account.with_changes(
        body_days=9, identities=(Identity("al@example.org"),)))
    service.profile.save_settings(service.accounts.settings)
    settings = open_settings(qtbot, service, bridge)
    assert settings.selected_name() == account.name
    form = settings.edit_account()
    assert form is not None and form.windowTitle() == "Edit Account"
    assert (form.email.text(), form.incoming.host.text()) == (account.email, "imap.example.org")
    assert form.account_name.isReadOnly() and form.password.text() == ""
    form.email.setText("ada@lovelace.example")  # saved servers are not guessed again
    assert form.incoming.host.text() == "imap.example.org"
    form.incoming.host.setText("mail.example.org")
    form.verify.setChecked(False)
    with qtbot.waitSignal(settings.accounts_changed):
        form.save()
    saved = service.accounts.get(account.name)
    assert (saved.email, saved.incoming.host, saved.body_days) == (
        "ada@lovelace.example", "mail.example.org", 9)
    assert saved.identities == (Identity("al@example.org"),)
    assert service.secrets.get_password(account.name) == "old-secret"
    assert "saved" in settings.status.text()


def test_edit_with_a_new_password_stores_it(qtbot, service, bridge, account) -> None:
    settings = open_settings(qtbot, service, bridge)
    form = settings.edit_account()
    form.password.setText("new-secret")
    form.verify.setChecked(False)
    with qtbot.waitSignal(form.account_changed):
        form.save()
    assert service.secrets.get_password(account.name) == "new-secret"


def test_remove_asks_then_deletes_password_and_mail(qtbot, service, bridge, account, mailbox,
                                                    keyring_backend) -> None:
    service.secrets.set_password(account.name, "s3cret")
    settings = open_settings(qtbot, service, bridge)
    box = settings.remove_account()
    assert box is not None and "Remove the account ada@example.org?" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert service.accounts.accounts() == [account]
    box = settings.remove_account()
    remove = next(b for b in box.buttons()
                  if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    with qtbot.waitSignal(settings.accounts_changed):
        remove.click()
    assert service.accounts.accounts() == []
    assert keyring_backend.entries == {}
    assert service.store.folders(account.name) == []
    assert settings.account_list.count() == 0
    assert not settings.edit_button.isEnabled()


def test_identities_are_added_edited_and_removed(qtbot, service, bridge, account) -> None:
    settings = open_settings(qtbot, service, bridge)
    assert settings.identity_list.count() == 1
    assert not settings.remove_identity_button.isEnabled()  # the account's own address
    editor = settings.add_identity()
    editor.email.setText("not an address")
    editor.accept()
    assert "is not an e-mail address" in editor.error.text() and editor.isVisible()
    editor.email.setText("ada@lovelace.example")
    editor.display_name.setText("Countess")
    editor.reply_to.setText("desk@example.org")
    editor.signature.setPlainText("Ada\nAnalyst")
    with qtbot.waitSignal(settings.accounts_changed):
        editor.accept()
    alias = Identity("ada@lovelace.example", "Countess", "desk@example.org", "Ada\nAnalyst")
    assert service.accounts.get(account.name).identities == (alias,)
    assert settings.identity_list.count() == 2
    assert "Reply-To desk@example.org" in settings.identity_list.item(1).text()

    settings.identity_list.setCurrentRow(0)
    editor = settings.edit_identity()
    assert editor.email.isReadOnly()
    editor.signature.setPlainText("Ada Lovelace")
    with qtbot.waitSignal(settings.accounts_changed):
        editor.accept()
    assert service.accounts.get(account.name).signature == "Ada Lovelace"

    settings.identity_list.setCurrentRow(1)
    assert settings.remove_identity_button.isEnabled()
    with qtbot.waitSignal(settings.accounts_changed):
        settings.remove_identity_button.click()
    assert service.accounts.get(account.name).identities == ()


def test_a_duplicate_alias_is_refused_in_plain_words(qtbot, service, bridge, account) -> None:
    settings = open_settings(qtbot, service, bridge)
    editor = settings.add_identity()
    editor.email.setText(account.email.upper())
    editor.accept()  # valid on its own: the account refuses it
    assert "there twice" in settings.status.text()
    assert service.accounts.get(account.name).identities == ()


def test_add_opens_the_form_and_new_accounts_are_listed(qtbot, service, bridge) -> None:
    parent = open_settings(qtbot, service, bridge)
    settings = open_account_settings(parent, service, bridge)
    form = settings.add_account()
    form.email.setText("grace@example.com")
    form.password.setText("pw")
    form.verify.setChecked(False)
    with qtbot.waitSignal(settings.account_added) as added:
        form.save()
    assert added.args == ["grace@example.com"]
    assert settings.selected_name() == "grace@example.com"


def fake_discovery(address: str) -> SimpleNamespace:
    if "@" not in address:
        raise ConfigError("not an address")
    if not address.endswith("@gmail.com"):
        return SimpleNamespace(found=False, provider=None, incoming=(), outgoing=())

    def server(protocol: str, host: str, port: int, security: str) -> SimpleNamespace:
        return SimpleNamespace(protocol=protocol, host=host, port=port, security=security,
                               username=address, source="bundled")

    return SimpleNamespace(
        found=True, provider="Google Mail",
        incoming=(server("imap", "imap.gmail.com", 993, "ssl"),
                  server("pop3", "pop.gmail.com", 995, "ssl")),
        outgoing=(server("smtp", "smtp.gmail.com", 587, "starttls"),))


def test_known_providers_fill_in_both_servers(qtbot, service, bridge) -> None:
    settings = open_settings(qtbot, service, bridge)
    form = settings.add_account()
    form.provider_fill.discover = fake_discovery
    qtbot.keyClicks(form.email, "ada@gmail.com")
    assert form.incoming.host.text() == "imap.gmail.com"
    assert (form.outgoing.host.text(), form.outgoing.port.text()) == ("smtp.gmail.com", "587")
    assert form.outgoing.security.currentData() == "starttls"
    assert form.username.text() == ""  # the address itself
    assert form.provider_note.text() == ("Settings for Google Mail filled in from the bundled "
                                         "provider database.")
    assert form.provider_note.isVisibleTo(form)
    qtbot.keyClicks(form.email, ".au")  # no longer the provider: back to the guesses
    assert form.incoming.host.text() == "imap.gmail.com.au"
    assert form.outgoing.security.currentData() == "ssl"
    assert not form.provider_note.isVisibleTo(form)


def test_fill_in_leaves_what_the_user_typed(qtbot, service, bridge) -> None:
    settings = open_settings(qtbot, service, bridge)
    form = settings.add_account()
    form.provider_fill.discover = fake_discovery
    qtbot.keyClicks(form.outgoing.host, "relay.example.org")
    qtbot.keyClicks(form.email, "ada@gmail.com")
    assert form.incoming.host.text() == "imap.gmail.com"
    assert form.outgoing.host.text() == "relay.example.org"


def test_the_bundled_database_knows_a_big_provider(qtbot, service, bridge) -> None:
    pytest.importorskip("mailclient.services.discovery")
    settings = open_settings(qtbot, service, bridge)
    form = settings.add_account()
    form.email.setText("someone@gmail.com")
    assert form.incoming.host.text().endswith(("gmail.com", "googlemail.com"))
    assert form.provider_note.isVisibleTo(form)
