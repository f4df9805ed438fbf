"""Bot API methods about inline button presses.

Owns: ``press_button`` (a simulated person taps an inline callback button: a callback_query is
queued and remembered in ``callback_queries``) and answerCallbackQuery (within 15 seconds, once;
the answer is kept in ``callback_answers`` for the person who pressed).
"""

from __future__ import annotations

import hashlib
from typing import Any

from emulator.spec import bad_request
from emulator.state import (
    CallbackAnswer,
    CallbackQueryState,
    CallContext,
    Chat,
    ChatMessage,
    EmulatorState,
    Handler,
    Person,
)

CALLBACK_QUERY_TIMEOUT = 15.0  # seconds a callback query can still be answered
MAX_CALLBACK_ANSWER_LENGTH = 200
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class CallbackMethods(EmulatorState):
    """Button presses and their answers."""

    def _method_handlers(self) -> dict[str, Handler]:
        return {
            **super()._method_handlers(),
            "answerCallbackQuery": self._answer_callback_query,
        }

    def press_button(
        self, chat: Chat, sender: Person, message: ChatMessage, data: str
    ) -> int | None:
        """Queue a callback_query for a press on an inline button carrying ``data``."""
        query_id = str(next(self._query_ids))
        self.callback_queries[query_id] = CallbackQueryState(
            id=query_id,
            user_id=sender.id,
            chat_id=chat.id,
            message_id=message.message_id,
            created=self.monotonic(),
        )
        instance = int(hashlib.sha1(f"{chat.id}".encode()).hexdigest()[:15], 16)
        payload = {
            "id": query_id,
            "from": sender.to_json(),
            "message": message.to_json(chat),
            "chat_instance": str(instance),
            "data": data,
        }
        return self.enqueue("callback_query", payload)

    async def _answer_callback_query(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        query = self.callback_queries.get(p["callback_query_id"])
        if (
            query is None
            or query.answered
            or self.monotonic() - query.created > CALLBACK_QUERY_TIMEOUT
        ):
            raise bad_request(QUERY_INVALID)
        text = p.get("text", "")
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        answer = CallbackAnswer(query.id, text, bool(p.get("show_alert", False)), p.get("url"))
        self.callback_answers.setdefault(query.user_id, []).append(answer)
        return True
