"""Remote images of a message fetched when the user allows them: https only, capped in
number, size and time; and the senders whose images are always allowed."""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass
from email.utils import parseaddr

from mailclient.core.errors import MailError
from mailclient.services.accounts import AccountService
from mailclient.services.https_client import https_request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageLimits:
    """How much one message may make the app fetch."""

    max_images: int = 50
    max_image_bytes: int = 5 * 1024 * 1024
    max_total_bytes: int = 20 * 1024 * 1024
    timeout: float = 15.0  # seconds per request
    concurrency: int = 6


async def fetch_images(urls: list[str], *, ssl_context: ssl.SSLContext | None = None,
                       limits: ImageLimits | None = None) -> dict[str, bytes]:
    """Fetch the https images among ``urls`` concurrently; return the ones that arrived.

    http URLs, the ones past ``limits.max_images``, failures, non-image replies and images
    past the total size cap are left out (logged), never raised: a message shows what it can.
    """
    limits = limits or ImageLimits()
    wanted = [u for u in dict.fromkeys(urls) if u.lower().startswith("https://")]
    wanted = wanted[:limits.max_images]
    gate = asyncio.Semaphore(limits.concurrency)

    async def fetch(url: str) -> bytes | None:
        async with gate:
            try:
                reply = await https_request(url, ssl_context=ssl_context,
                                            timeout=limits.timeout,
                                            max_bytes=limits.max_image_bytes)
            except MailError as exc:
                log.info("remote image not loaded: %s", exc)
                return None
        if not reply.content_type.startswith("image/"):
            log.info("remote image not loaded: %s is %s", url[:80], reply.content_type)
            return None
        return reply.body

    bodies = await asyncio.gather(*(fetch(url) for url in wanted))
    images: dict[str, bytes] = {}
    total = 0
    for url, body in zip(wanted, bodies, strict=True):
        if body is None or total + len(body) > limits.max_total_bytes:
            continue
        total += len(body)
        images[url] = body
    return images


def sender_address(from_header: str) -> str:
    """The bare, lower-case address of a From value ('' if none)."""
    return parseaddr(from_header)[1].strip().lower()


def images_allowed(accounts: AccountService, from_header: str) -> bool:
    """Whether the user chose to always load the images of this sender."""
    address = sender_address(from_header)
    return bool(address) and address in accounts.settings.remote_image_senders


def allow_sender(accounts: AccountService, from_header: str) -> str:
    """Always load the images of this sender from now on (saved in the settings file);
    return the address stored ('' when the header has none)."""
    address = sender_address(from_header)
    if not address:
        return ""
    accounts.reload()  # another window or process may have changed the file
    senders = accounts.settings.remote_image_senders
    if address not in senders:
        senders.append(address)
        accounts.profile.save_settings(accounts.settings)
    return address
