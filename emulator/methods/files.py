"""Bot API methods that send and serve files.

Owns: sendPhoto, sendDocument, sendAudio, sendVideo, sendAnimation, sendVoice, sendVideoNote,
sendSticker (an upload, a known file_id, or a URL that becomes a made-up file: nothing is
fetched), getFile, the files kept on the state (``files``, downloaded through the server's
``/file/bot<token>/<path>``), the Message fields describing them (``media_json``), and files a
simulated person sends (``new_user_file``).
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from emulator.methods.messages import MessageMethods
from emulator.spec import UploadedFile, bad_request, check_reply_markup
from emulator.state import CallContext, Handler, StoredFile

MEDIA_METHODS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendAudio": "audio",
    "sendVideo": "video",
    "sendAnimation": "animation",
    "sendVoice": "voice",
    "sendVideoNote": "video_note",
    "sendSticker": "sticker",
}


class FileMethods(MessageMethods):
    """Files: media messages and getFile (a media message is a message)."""

    def _method_handlers(self) -> dict[str, Handler]:
        return {
            **super()._method_handlers(),
            **dict.fromkeys(MEDIA_METHODS, self._send_media),
            "getFile": self._get_file,
        }

    async def _send_media(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        kind = MEDIA_METHODS[ctx.method]
        stored = self._input_file(kind, p[kind])
        caption, caption_entities = (
            self._caption(p) if kind not in ("sticker", "video_note") else (None, [])
        )
        markup = check_reply_markup(p["reply_markup"]) if "reply_markup" in p else None
        chat = self._writable_chat(p["chat_id"])
        reply_to = self._reply_to(chat, p)
        self._flood_check(chat)
        if kind == "sticker" and p.get("emoji"):
            stored.file_name = p["emoji"]
        message = self._store_bot_message(
            chat,
            ctx,
            media=self.media_json(stored),
            caption=caption,
            caption_entities=caption_entities,
            reply_markup=markup,
            reply_to_message_id=reply_to,
        )
        return message.to_json(chat)

    async def _get_file(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        stored = self.files.get(p["file_id"])
        if stored is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    def _new_file(
        self, kind: str, data: bytes, *, file_name: str | None = None, mime: str | None = None
    ) -> StoredFile:
        number = next(self._file_ids)
        unique = hashlib.sha1(f"{kind}:{number}".encode()).hexdigest()[:16]
        width, height = _image_size(data) if kind == "photo" else (0, 0)
        stored = StoredFile(
            file_id=f"{_FILE_PREFIX.get(kind, 'BQAC')}Emu{number:06d}{unique}",
            file_unique_id=f"AQAD{unique[:12]}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime,
            width=width or (512 if kind == "sticker" else 1280),
            height=height or (512 if kind == "sticker" else 720),
            duration=3 if kind in ("voice", "audio", "video", "animation", "video_note") else 0,
        )
        self.files[stored.file_id] = stored
        return stored

    def media_json(self, stored: StoredFile) -> dict[str, Any]:
        """The Message field describing a file ({"photo": [...]}, {"document": {...}}, ...)."""
        base: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        kind = stored.kind
        if kind == "photo":
            small = dict(base, width=max(1, stored.width // 8), height=max(1, stored.height // 8))
            small["file_size"] = max(1, len(stored.data) // 16)
            small["file_unique_id"] = stored.file_unique_id + "s"
            return {"photo": [small, dict(base, width=stored.width, height=stored.height)]}
        if kind == "sticker":
            base.update(
                type="regular",
                width=stored.width,
                height=stored.height,
                is_animated=False,
                is_video=False,
                emoji=stored.file_name or "👍",
            )
            return {"sticker": base}
        if kind in ("document", "audio", "voice", "video", "animation"):
            if stored.file_name and kind != "voice":
                base["file_name"] = stored.file_name
            if stored.mime_type:
                base["mime_type"] = stored.mime_type
        if kind in ("audio", "voice", "video", "animation", "video_note"):
            base["duration"] = stored.duration
        if kind in ("video", "animation"):
            base.update(width=stored.width, height=stored.height)
        if kind == "video_note":
            base["length"] = stored.width
        return {kind: base}

    def _input_file(self, kind: str, value: UploadedFile | str) -> StoredFile:
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            mime = value.content_type or None
            return self._new_file(kind, value.data, file_name=value.filename or None, mime=mime)
        known = self.files.get(value.strip())
        if known is not None:
            return known
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.hostname:
            # No network: a URL "upload" becomes a small made-up file.
            name = Path(parts.path).name or None
            return self._new_file(kind, b"downloaded:" + value.encode(), file_name=name)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def new_user_file(self, kind: str, data: bytes, **details: Any) -> StoredFile:
        """A file a simulated user sends (photo, voice, sticker, document)."""
        stored = self._new_file(
            kind, data, file_name=details.get("file_name"), mime=details.get("mime")
        )
        if "duration" in details:
            stored.duration = int(details["duration"])
        return stored


_FILE_PREFIX = {
    "photo": "AgACAgIAAxkBAAI",
    "document": "BQACAgIAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
    "voice": "AwACAgIAAxkBAAI",
    "audio": "CQACAgIAAxkBAAI",
    "video": "BAACAgIAAxkBAAI",
    "animation": "CgACAgIAAxkBAAI",
    "video_note": "DQACAgIAAxkBAAI",
}


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, or (0, 0) when unknown."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                break
            marker = data[index + 1]
            length = int.from_bytes(data[index + 2 : index + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            index += 2 + length
    return 0, 0
