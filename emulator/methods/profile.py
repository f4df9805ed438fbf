"""Bot API methods about the bot itself: who it is and how it presents itself.

Owns: getMe, logOut / close, setMyCommands / getMyCommands / deleteMyCommands (per scope and
language), set/getMyDescription, set/getMyShortDescription, set/getMyName, and
set/getChatMenuButton. What the bot set is kept on the state (``commands``, ``descriptions``,
``short_descriptions``, ``names``, ``menu_buttons``) for tests to read.
"""

from __future__ import annotations

import copy
from typing import Any

from emulator.spec import bad_request, check_commands, check_language_code, scope_key
from emulator.state import CallContext, EmulatorState, Handler

# Texts the emulator had to choose (no authoritative source for Telegram's wording).
STORE_LIMITS = {
    "description": (512, "description is too long"),
    "short_description": (120, "short description is too long"),
    "name": (64, "name is too long"),
}


class ProfileMethods(EmulatorState):
    """The bot's identity and settings."""

    def _method_handlers(self) -> dict[str, Handler]:
        return {
            **super()._method_handlers(),
            "getMe": self._get_me,
            "logOut": self._log_out,
            "close": self._log_out,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "getMyDescription": self._get_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyShortDescription": self._get_my_short_description,
            "setMyName": self._set_my_name,
            "getMyName": self._get_my_name,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
        }

    async def _get_me(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        data = ctx.bot.to_json()
        data.update(
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        return data

    async def _log_out(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return True

    async def _set_my_commands(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        commands = check_commands(p["commands"])
        key = (scope_key(p.get("scope")), check_language_code(p.get("language_code", "")))
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        key = (scope_key(p.get("scope")), check_language_code(p.get("language_code", "")))
        return copy.deepcopy(self.commands.get(key, []))

    async def _delete_my_commands(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        key = (scope_key(p.get("scope")), check_language_code(p.get("language_code", "")))
        self.commands.pop(key, None)
        return True

    def _store_text(self, store: dict[str, str], field_name: str, p: dict[str, Any]) -> bool:
        language = check_language_code(p.get("language_code", ""))
        value = p.get(field_name, "")
        limit, message = STORE_LIMITS[field_name]
        if len(value) > limit:
            raise bad_request(message)
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    def _read_text(self, store: dict[str, str], field_name: str, p: dict[str, Any]) -> Any:
        language = check_language_code(p.get("language_code", ""))
        default = self.bot_name if field_name == "name" else ""
        return {field_name: store.get(language, store.get("", default))}

    async def _set_my_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._store_text(self.descriptions, "description", p)

    async def _get_my_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._read_text(self.descriptions, "description", p)

    async def _set_my_short_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._store_text(self.short_descriptions, "short_description", p)

    async def _get_my_short_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._read_text(self.short_descriptions, "short_description", p)

    async def _set_my_name(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._store_text(self.names, "name", p)

    async def _get_my_name(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._read_text(self.names, "name", p)

    async def _set_chat_menu_button(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        chat_id = p.get("chat_id")
        if chat_id is not None:
            self._find_chat(chat_id)
        self.menu_buttons[chat_id] = p.get("menu_button", {"type": "default"})
        return True

    async def _get_chat_menu_button(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        chat_id = p.get("chat_id")
        return self.menu_buttons.get(chat_id, self.menu_buttons.get(None, {"type": "commands"}))
