"""The Bot API methods the emulator answers, one module per family, all over one state.

Each family is a class extending ``EmulatorState`` (``emulator/state.py``) with the handlers of
its methods and the rules only they need:

* ``profile.py``: getMe, logOut/close, commands, descriptions, name, chat menu button;
* ``updates.py``: getUpdates, setWebhook/deleteWebhook/getWebhookInfo, webhook delivery;
* ``messages.py``: sendMessage and the other plain sends, edits, deletes, sendChatAction,
  getChat, and what simulated people write;
* ``files.py``: sendPhoto, sendDocument and the other media sends, getFile, stored files;
* ``callbacks.py``: button presses and answerCallbackQuery.

``BotApiMethods`` combines them; ``server.py`` puts HTTP in front of it. To add a Bot API method:
write ``async def _method_name(self, ctx: CallContext, p: dict[str, Any]) -> Any`` in its family
(``p`` holds the parameters already checked against ``emulator/api/api.min.json``; raise
``bad_request(...)`` / ``forbidden(...)`` from ``emulator/spec.py`` for Telegram's errors) and
add ``"methodName": self._method_name`` to that family's ``_method_handlers``. A method that is
in the Bot API description but in no family answers 400 "not supported by the emulator".
"""

from __future__ import annotations

from emulator.methods.callbacks import CallbackMethods
from emulator.methods.files import FileMethods
from emulator.methods.profile import ProfileMethods
from emulator.methods.updates import UpdateMethods

__all__ = ["BotApiMethods"]


class BotApiMethods(ProfileMethods, UpdateMethods, FileMethods, CallbackMethods):
    """Every emulated Bot API method over the emulator's state, without HTTP."""
