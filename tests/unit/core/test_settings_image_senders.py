"""The senders whose remote images are always loaded, kept in the settings file."""

from __future__ import annotations

from mailclient.core.settings import Settings


def test_remote_image_senders_round_trip() -> None:
    settings = Settings(remote_image_senders=["news@shop.example"])
    again = Settings.from_json(settings.to_json())
    assert again.remote_image_senders == ["news@shop.example"]
    assert Settings.from_json('{"version": 1}').remote_image_senders == []
