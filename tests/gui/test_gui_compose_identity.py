"""Compose From: every identity of every account, the identity a reply was sent to, signatures."""

from __future__ import annotations

from email.message import EmailMessage

from mailclient.core.account import Identity
from mailclient.ui.compose_reply import ComposeSeed, forward_seed, reply_seed
from mailclient.ui.compose_window import ComposeWindow

ALIAS = Identity("countess@lovelace.example", "Countess of Lovelace", "desk@example.org",
                 "The Countess\nOckham Park")
LONG = 600_000


def original(to: str, *, delivered_to: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Charles Babbage <charles@example.net>"
    message["To"] = to
    if delivered_to:
        message["Delivered-To"] = delivered_to
    message["Subject"] = "Engines"
    message["Message-ID"] = "<engines@example.net>"
    message.set_content("About the engine.")
    return message.as_bytes()


def with_identities(service, account, second_account=None):
    changed = account.with_changes(signature="Ada", identities=(ALIAS,))
    service.accounts.settings.replace_account(changed)
    service.profile.save_settings(service.accounts.settings)
    return [changed, second_account] if second_account else [changed]


def compose(qtbot, service, bridge, accounts, *, account=None, seed=None) -> ComposeWindow:
    window = ComposeWindow(service, bridge, accounts, [], account=account, seed=seed,
                           autosave_ms=LONG)
    qtbot.addWidget(window)
    return window


def test_from_offers_every_identity_of_every_account(qtbot, service, bridge, account,
                                                     second_account) -> None:
    accounts = with_identities(service, account, second_account)
    window = compose(qtbot, service, bridge, accounts)
    labels = [window.from_box.itemText(i) for i in range(window.from_box.count())]
    assert labels == ["Ada Lovelace <ada@example.org>",
                      "Countess of Lovelace <countess@lovelace.example> — ada@example.org",
                      "Ada Lovelace <grace@example.com>"]
    assert window.from_box.accessibleName() == "From"


def test_a_new_message_ends_with_the_signature_and_switching_swaps_it(qtbot, service, bridge,
                                                                      account) -> None:
    window = compose(qtbot, service, bridge, with_identities(service, account))
    assert window.body.toPlainText() == "\n\n-- \nAda\n"
    assert window.body.textCursor().position() == 0
    assert window.is_empty()  # a signature alone is not a message
    window.body.insertPlainText("Dear Charles,")
    window.from_box.setCurrentIndex(1)
    assert window.body.toPlainText() == "Dear Charles,\n\n-- \nThe Countess\nOckham Park\n"
    draft = window.draft()
    assert str(draft.sender) == "Countess of Lovelace <countess@lovelace.example>"
    assert draft.reply_to == "desk@example.org"
    assert window.account.name == account.name  # the account's SMTP server sends it
    window.from_box.setCurrentIndex(0)
    assert window.body.toPlainText() == "Dear Charles,\n\n-- \nAda\n"
    assert window.draft().reply_to is None


def test_an_edited_signature_is_left_alone(qtbot, service, bridge, account) -> None:
    window = compose(qtbot, service, bridge, with_identities(service, account))
    window.body.setPlainText("Hello\n\n-- \nAda, Countess\n")
    window.from_box.setCurrentIndex(1)
    assert window.body.toPlainText() == "Hello\n\n-- \nAda, Countess\n"


def test_a_reply_comes_from_the_identity_it_was_sent_to(qtbot, service, bridge,
                                                        account) -> None:
    accounts = with_identities(service, account)
    raw = original("Ada <COUNTESS@Lovelace.Example>, bob@example.net")
    seed = reply_seed(raw, account.email, everyone=True, aliases=[ALIAS.email])
    assert seed.to == ["Charles Babbage <charles@example.net>", "bob@example.net"]
    window = compose(qtbot, service, bridge, accounts, account=account.name, seed=seed)
    assert window.from_box.currentIndex() == 1
    text = window.body.toPlainText()
    assert text.index("-- \nThe Countess") < text.index("> About the engine.")
    assert text.startswith("\n\n-- \nThe Countess\nOckham Park\n\n")
    assert window.body.textCursor().position() == 0
    window.from_box.setCurrentIndex(0)  # the signature above the quote is swapped
    assert window.body.toPlainText().startswith("\n\n-- \nAda\n\n")


def test_delivered_to_picks_the_identity_of_a_list_message(qtbot, service, bridge,
                                                           account) -> None:
    accounts = with_identities(service, account)
    raw = original("engines@lists.example", delivered_to="countess@lovelace.example")
    window = compose(qtbot, service, bridge, accounts, account=account.name,
                     seed=forward_seed(raw))
    assert window.identities.identity == ALIAS
    assert "-- \nThe Countess" in window.body.toPlainText()


def test_otherwise_the_main_identity_and_drafts_get_no_second_signature(
        qtbot, service, bridge, account) -> None:
    accounts = with_identities(service, account)
    seed = reply_seed(original("someone@else.example"), account.email)
    window = compose(qtbot, service, bridge, accounts, account=account.name, seed=seed)
    assert window.identities.identity.email == account.email
    saved = ComposeSeed(to=["x@example.net"], text="draft text\n\n-- \nAda\n")
    again = compose(qtbot, service, bridge, accounts, account=account.name, seed=saved)
    assert again.body.toPlainText() == "draft text\n\n-- \nAda\n"
