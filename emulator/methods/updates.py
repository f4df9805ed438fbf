"""Bot API methods that hand updates to the bot: long polling and the webhook.

Owns: getUpdates (offsets confirm updates, a newer poll ends an older one with 409),
setWebhook / deleteWebhook / getWebhookInfo, and delivering queued updates to the webhook (POST
one by one, retried until the bot answers 200). Updates are queued by ``EmulatorState.enqueue``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from emulator.spec import ApiError, bad_request
from emulator.state import (
    DEFAULT_ALLOWED_UPDATES,
    CallContext,
    EmulatorState,
    Handler,
    Webhook,
    WithDescription,
)

MAX_LONG_POLL_TIMEOUT = 50
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class UpdateMethods(EmulatorState):
    """The update queue as the bot sees it: getUpdates or a webhook."""

    def _method_handlers(self) -> dict[str, Handler]:
        return {
            **super()._method_handlers(),
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
        }

    def _confirm_below(self, offset: int) -> None:
        kept = [u for u in self._pending if u["update_id"] >= offset]
        if len(kept) != len(self._pending) or offset - 1 > self.confirmed_update_id:
            self._pending = kept
            self.confirmed_update_id = max(self.confirmed_update_id, offset - 1)
            self._confirm_signal.fire()

    def _set_allowed_updates(self, allowed: list[str] | None) -> None:
        if allowed is None:
            return
        chosen = frozenset(a.lower() for a in allowed) & (
            DEFAULT_ALLOWED_UPDATES | {"chat_member", "message_reaction", "message_reaction_count"}
        )
        self._allowed_updates = chosen or DEFAULT_ALLOWED_UPDATES

    async def _get_updates(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.get("offset", 0)
        limit = min(max(p.get("limit", 100), 1), 100)
        timeout = min(max(p.get("timeout", 0), 0), MAX_LONG_POLL_TIMEOUT)
        self._set_allowed_updates(p.get("allowed_updates"))
        if offset < 0:
            dropped = self._pending[:offset]
            if dropped:
                self._confirm_below(dropped[-1]["update_id"] + 1)
        elif offset > 0:
            self._confirm_below(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.fire()  # an older long poll learns it was replaced
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            batch = [u for u in self._pending if u["update_id"] >= offset][:limit]
            if batch or self._closing:
                return copy.deepcopy(batch)
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._updates_signal.wait()
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self.webhook is not None:
                raise ApiError(409, "Conflict: terminated by setWebhook request")

    async def _set_webhook(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        url = p["url"].strip()
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            raise bad_request("invalid webhook URL specified") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("invalid webhook URL specified")
        is_local = parts.hostname in LOCAL_HOSTS
        if parts.scheme != "https" and not is_local:
            raise bad_request("bad webhook: HTTPS url must be provided for webhook")
        if not is_local and (port or 443) not in WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = p.get("secret_token") or None
        if secret is not None:
            if len(secret) > 256:
                raise bad_request("secret token is too long")
            if not re.fullmatch(r"[A-Za-z0-9_-]+", secret):
                raise bad_request("secret token contains unallowed characters")
        allowed = p.get("allowed_updates")
        new = Webhook(url, secret, min(max(p.get("max_connections", 40), 1), 100), allowed)
        if p.get("drop_pending_updates"):
            self._drop_pending()
        old = self.webhook
        self._set_allowed_updates(allowed)
        if old is not None and (old.url, old.secret_token, old.max_connections) == (
            new.url,
            new.secret_token,
            new.max_connections,
        ):
            return WithDescription(True, "Webhook is already set")
        self.webhook = new
        self._updates_signal.fire()  # a running long poll ends with a conflict
        self._restart_webhook_delivery()
        return WithDescription(True, "Webhook was set")

    async def _delete_webhook(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        if p.get("drop_pending_updates"):
            self._drop_pending()
        if self.webhook is None:
            return WithDescription(True, "Webhook is already deleted")
        self.webhook = None
        self._restart_webhook_delivery()
        return WithDescription(True, "Webhook was deleted")

    async def _get_webhook_info(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        hook = self.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            info["ip_address"] = "127.0.0.1"
            if hook.allowed_updates is not None:
                info["allowed_updates"] = hook.allowed_updates
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    def _drop_pending(self) -> None:
        if self._pending:
            self._confirm_below(self._pending[-1]["update_id"] + 1)

    def _restart_webhook_delivery(self) -> None:
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None
        if self.webhook is not None:
            self._webhook_task = asyncio.get_running_loop().create_task(
                self._deliver_webhook(self.webhook)
            )

    async def _deliver_webhook(self, hook: Webhook) -> None:
        """POST pending updates one by one to the webhook, retrying until it answers 200."""
        delay = 0.05
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self.webhook is hook and not self._closing:
                if not self._pending:
                    await self._updates_signal.wait()
                    continue
                update = self._pending[0]
                error = await self._post_update(session, hook, update)
                if error is None:
                    delay = 0.05
                    if self._pending and self._pending[0] is update:
                        self._confirm_below(update["update_id"] + 1)
                    continue
                hook.last_error_date = self.now()
                hook.last_error_message = error
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    @staticmethod
    async def _post_update(
        session: aiohttp.ClientSession, hook: Webhook, update: dict[str, Any]
    ) -> str | None:
        """POST one update; None on 200, else Telegram-style last_error_message."""
        if urlsplit(hook.url).hostname not in LOCAL_HOSTS:
            # No network access: a test can point hook.url at a local listener meanwhile.
            return "The emulator delivers webhook updates to 127.0.0.1 or localhost only"
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": hook.secret_token} if hook.secret_token else {}
        )
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection failed: {exc!r}"
        return None
