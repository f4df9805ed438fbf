"""The webhook server (issue 17.10): the secret is checked before the body is read, a body too
big is refused unread, and an update that cannot be parsed leaves nothing of itself in the log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from handlers.webhook import MAX_UPDATE_BYTES, SECRET_HEADER, make_server

SECRET = "s3cret-token"


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    app = SimpleNamespace(bot=None, update_queue=asyncio.Queue())
    server = TestServer(make_server(app, "hook", SECRET))
    test_client = TestClient(server)
    await test_client.start_server()
    test_client.app_state = app  # type: ignore[attr-defined]
    yield test_client
    await test_client.close()


async def test_without_the_secret_nothing_is_read(client: TestClient) -> None:  # type: ignore[type-arg]
    async def endless() -> object:  # a body that would take for ever to send
        yield b"{" * 1024
        await asyncio.sleep(3600)

    response = await asyncio.wait_for(
        client.post("/hook", data=endless(), headers={"Content-Length": str(50 * 2**20)}), 5
    )
    assert response.status == 403


async def test_a_body_too_big_is_refused_unread(client: TestClient) -> None:  # type: ignore[type-arg]
    headers = {SECRET_HEADER: SECRET, "Content-Length": str(MAX_UPDATE_BYTES + 1)}

    async def endless() -> object:
        yield b"{" * 1024
        await asyncio.sleep(3600)

    response = await asyncio.wait_for(client.post("/hook", data=endless(), headers=headers), 5)
    assert response.status == 413


async def test_an_unparseable_update_is_dropped_without_its_content_in_the_log(
    client: TestClient,  # type: ignore[type-arg]
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    body = b'{"update_id": "not a number", "message": {"text": "my A-number is 123456789"}}'
    response = await client.post("/hook", data=body, headers={SECRET_HEADER: SECRET})
    assert response.status == 200
    assert "123456789" not in caplog.text
    assert "webhook_update_unparseable" in caplog.text
    assert client.app_state.update_queue.empty()  # type: ignore[attr-defined]
