"""The kept command connection: reused, dropped after a failure or a long pause, one user at
a time."""

from __future__ import annotations

import asyncio

import pytest

from mailclient.core.errors import NetworkError
from mailclient.services.imap_sessions import ImapSessions
from tests.helpers.factories import make_account


class FakeConnection:
    def __init__(self) -> None:
        self.closed = False

    async def close(self) -> None:
        self.closed = True

    async def __aenter__(self) -> FakeConnection:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def sessions(max_idle: float = 60.0) -> tuple[ImapSessions, list[FakeConnection]]:
    made: list[FakeConnection] = []

    async def opener(_account: object, _password: str) -> FakeConnection:
        made.append(FakeConnection())
        return made[-1]

    return ImapSessions(opener, max_idle), made  # type: ignore[arg-type]


async def test_reused_until_it_fails() -> None:
    pool, made = sessions()
    account = make_account()
    async with pool.session(account, "pw") as first:
        pass
    async with pool.session(account, "pw") as second:
        assert second is first
    with pytest.raises(NetworkError):
        async with pool.session(account, "pw"):
            raise NetworkError("cut")
    assert made[0].closed
    async with pool.session(account, "pw") as third:
        assert third is made[1]
    await pool.close_all()
    assert all(c.closed for c in made) and pool.opened == 2


async def test_a_new_password_or_a_long_pause_reconnects() -> None:
    pool, made = sessions(max_idle=0.0)
    account = make_account()
    async with pool.session(account, "pw"):
        pass
    async with pool.session(account, "pw"):
        pass  # max_idle 0: never trusted again
    pool2, made2 = sessions()
    async with pool2.session(account, "pw"):
        pass
    async with pool2.session(account, "changed"):
        pass
    assert (len(made), len(made2)) == (2, 2) and made[0].closed and made2[0].closed


async def test_one_user_at_a_time() -> None:
    pool, _made = sessions()
    account = make_account()
    order: list[str] = []

    async def use(name: str) -> None:
        async with pool.session(account, "pw"):
            order.append(f"{name} in")
            await asyncio.sleep(0)
            order.append(f"{name} out")

    await asyncio.gather(use("sync"), use("push"))
    assert order == ["sync in", "sync out", "push in", "push out"]


async def test_urgent_work_does_not_wait_behind_a_sync() -> None:
    pool, made = sessions()
    account = make_account()
    inside = asyncio.Event()
    release = asyncio.Event()

    async def long_sync() -> None:
        async with pool.session(account, "pw"):
            inside.set()
            await release.wait()

    task = asyncio.create_task(long_sync())
    await inside.wait()
    async with pool.session(account, "pw", urgent=True) as extra:
        assert extra is made[1]  # its own connection, while the sync holds the kept one
    assert made[1].closed and not made[0].closed
    release.set()
    await task
    await pool.close_all()
