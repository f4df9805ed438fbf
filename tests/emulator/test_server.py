"""The emulator answers the real python-telegram-bot like Telegram: results, rules, error texts."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from emulator.limits import FloodLimiter, ManualClock
from emulator.server import EXAMPLE_TOKEN, BotApiEmulator, ErrorRecord

USER = 1001


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of buttons."""
    return InlineKeyboardMarkup(list(rows))


def button(label: str, data: str = "x") -> InlineKeyboardButton:
    """A callback button."""
    return InlineKeyboardButton(label, callback_data=data)


async def refused(
    emu: BotApiEmulator,
    call: Awaitable[Any],
    error_type: type[TelegramError],
    description: str,
    error_code: int = 400,
) -> TelegramError:
    """Await ``call``; check PTB raised ``error_type`` for exactly this Telegram answer."""
    with pytest.raises(error_type) as caught:
        await call
    assert emu.errors[-1].description == description
    assert emu.errors[-1].error_code == error_code
    if error_type is not RetryAfter:  # PTB words flood errors itself
        assert str(caught.value) == TelegramError(description).message
    return caught.value


@pytest.fixture
def user(emu: BotApiEmulator) -> Any:
    """Иван, who has opened the chat with the bot."""
    return emu.user(USER, "Иван", language_code="ru")


# ---- identity, tokens, methods, parameters -------------------------------------------------------


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (7000000001, "asylum_guide_bot", True)


async def test_malformed_token_is_not_found(
    emu: BotApiEmulator, make_bot: Callable[..., Bot]
) -> None:
    assert not emu.token_ok("12345:short")
    assert emu.token_ok(EXAMPLE_TOKEN)
    with pytest.raises(InvalidToken):
        await make_bot("12345:short").get_me()
    assert emu.errors == [ErrorRecord("getMe", 404, "Not Found")]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_unknown_method_is_not_found(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendMesage", api_kwargs={"chat_id": USER, "text": "hi"})
    assert emu.errors[-1] == ErrorRecord("sendMesage", 404, "Not Found")


async def test_unknown_parameter_is_refused(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    # Stricter than Telegram (which ignores it) so that typos fail the tests.
    call = bot.send_message(USER, "hi", api_kwargs={"parse_mod": "HTML"})
    await refused(emu, call, BadRequest, 'Bad Request: unknown parameter "parse_mod"')


async def test_parameters_are_recorded_after_coercion(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    await bot.send_message(str(USER), "hi", reply_markup=keyboard([button("Да", "yes")]))
    method, params = emu.requests[-1]
    assert method == "sendMessage"
    assert params["chat_id"] == USER
    assert params["reply_markup"] == {"inline_keyboard": [[{"text": "Да", "callback_data": "yes"}]]}


async def test_badly_typed_integer_is_refused(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    call = bot.delete_message(USER, "abc")  # type: ignore[arg-type]
    await refused(emu, call, BadRequest, 'Bad Request: field "message_id" must be of type Integer')


async def test_json_bodies_and_query_strings_are_accepted(emu: BotApiEmulator, user: Any) -> None:
    url = f"{emu.base_url}{EXAMPLE_TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"chat_id": USER, "text": "json"}) as response:
            assert response.status == 200
            assert (await response.json())["result"]["text"] == "json"
        async with session.get(url, params={"chat_id": str(USER), "text": "query"}) as response:
            assert (await response.json())["result"]["text"] == "query"
        async with session.post(url, data={"chat_id": "777", "text": "x"}) as response:
            assert response.status == 400
            assert await response.json() == {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: chat not found",
            }
    assert [m.text for m in user.messages] == ["json", "query"]


# ---- sendMessage ---------------------------------------------------------------------------------


async def test_send_message_with_html_stores_text_and_entities(bot: Bot, user: Any) -> None:
    sent = await bot.send_message(USER, "<b>Суд</b> завтра", parse_mode="HTML")
    assert sent.text == "Суд завтра"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 3)]
    assert sent.message_id == 1
    assert user.last_bot_message.text == "Суд завтра"


async def test_empty_text_is_refused(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    await refused(emu, bot.send_message(USER, ""), BadRequest, "Bad Request: message text is empty")


async def test_text_empty_after_parsing_is_refused(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    call = bot.send_message(USER, "<b> </b>", parse_mode="HTML")
    await refused(emu, call, BadRequest, "Bad Request: message must be non-empty")


async def test_text_over_4096_after_parsing_is_too_long(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    await bot.send_message(USER, "<b>" + "я" * 4096 + "</b>", parse_mode="HTML")
    call = bot.send_message(USER, "я" * 4097)
    await refused(emu, call, BadRequest, "Bad Request: message is too long")


async def test_broken_html_cannot_be_parsed(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "<b>жирный", parse_mode="HTML")
    assert emu.errors[-1].description.startswith("Bad Request: can't parse entities: ")


async def test_unknown_parse_mode_is_refused(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    call = bot.send_message(USER, "hi", parse_mode="Markdown3")
    await refused(emu, call, BadRequest, "Bad Request: unsupported parse_mode")


async def test_unknown_chat_is_not_found(emu: BotApiEmulator, bot: Bot) -> None:
    await refused(emu, bot.send_message(424242, "hi"), BadRequest, "Bad Request: chat not found")


async def test_blocked_user_is_forbidden(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    emu.block(USER)
    call = bot.send_message(USER, "hi")
    await refused(emu, call, Forbidden, "Forbidden: bot was blocked by the user", 403)
    update = (await bot.get_updates())[-1]
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    emu.unblock(USER)
    await bot.send_message(USER, "hi again")


async def test_user_who_never_opened_the_chat_cannot_be_written_to(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.user(2002, "Олег", opened=False)
    call = bot.send_message(2002, "hi")
    await refused(
        emu, call, Forbidden, "Forbidden: bot can't initiate conversation with a user", 403
    )


async def test_reply_to_missing_message_is_refused(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    first = await bot.send_message(USER, "one")
    reply = await bot.send_message(USER, "two", reply_parameters=ReplyParameters(first.message_id))
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "one"
    call = bot.send_message(USER, "three", reply_parameters=ReplyParameters(99))
    await refused(emu, call, BadRequest, "Bad Request: message to be replied not found")


# ---- inline keyboards ----------------------------------------------------------------------------


async def test_callback_data_must_be_1_to_64_bytes(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    await bot.send_message(USER, "ok", reply_markup=keyboard([button("a", "я" * 32)]))  # 64 bytes
    call = bot.send_message(USER, "x", reply_markup=keyboard([button("a", "я" * 32 + "!")]))
    await refused(emu, call, BadRequest, "Bad Request: BUTTON_DATA_INVALID")


@pytest.mark.parametrize(
    "bad_button",
    [
        InlineKeyboardButton("только текст"),
        InlineKeyboardButton("пустые данные", callback_data=""),
        InlineKeyboardButton("два действия", url="https://example.org", callback_data="x"),
    ],
)
async def test_inline_button_needs_exactly_one_action(
    emu: BotApiEmulator, bot: Bot, user: Any, bad_button: InlineKeyboardButton
) -> None:
    call = bot.send_message(USER, "x", reply_markup=keyboard([bad_button]))
    description = (
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard"
    )
    await refused(emu, call, BadRequest, description)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/file", "javascript:alert(1)", "https://", "просто текст"]
)
async def test_invalid_button_url_is_refused(
    emu: BotApiEmulator, bot: Bot, user: Any, url: str
) -> None:
    markup = keyboard([InlineKeyboardButton("Ссылка", url=url)])
    await refused(
        emu,
        bot.send_message(USER, "x", reply_markup=markup),
        BadRequest,
        "Bad Request: BUTTON_URL_INVALID",
    )


async def test_valid_button_urls_are_accepted(bot: Bot, user: Any) -> None:
    urls = ["https://www.uscis.gov/humanitarian", "http://example.org", "tg://resolve?domain=x"]
    markup = keyboard([InlineKeyboardButton(str(i), url=url) for i, url in enumerate(urls)])
    sent = await bot.send_message(USER, "links", reply_markup=markup)
    assert sent.reply_markup is not None


async def test_empty_button_text_is_refused(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    call = bot.send_message(USER, "x", reply_markup=keyboard([button(" ")]))
    await refused(emu, call, BadRequest, "Bad Request: BUTTON_TEXT_INVALID")


# ---- editing and deleting ------------------------------------------------------------------------


async def test_edit_message_text_changes_the_real_message(bot: Bot, user: Any) -> None:
    sent = await bot.send_message(USER, "Шаг 1", reply_markup=keyboard([button("Дальше")]))
    edited = await bot.edit_message_text("<i>Шаг 2</i>", USER, sent.message_id, parse_mode="HTML")
    assert isinstance(edited, object)
    assert getattr(edited, "text", None) == "Шаг 2"
    message = user.last_bot_message
    assert (message.text, message.buttons, len(message.history)) == ("Шаг 2", [], 1)
    assert message.history[0]["text"] == "Шаг 1"
    assert message.edit_date is not None


async def test_identical_edit_is_not_modified(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    markup = keyboard([button("Дальше", "next")])
    sent = await bot.send_message(USER, "<b>Шаг</b>", parse_mode="HTML", reply_markup=markup)
    not_modified = (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    call = bot.edit_message_text(
        "<b>Шаг</b>", USER, sent.message_id, parse_mode="HTML", reply_markup=markup
    )
    await refused(emu, call, BadRequest, not_modified)
    call = bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=markup)
    await refused(emu, call, BadRequest, not_modified)
    # Different entities are a real change.
    await bot.edit_message_text("Шаг", USER, sent.message_id, reply_markup=markup)


async def test_editing_unknown_or_deleted_message_is_refused(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    await refused(
        emu,
        bot.edit_message_text("x", USER, 77),
        BadRequest,
        "Bad Request: message to edit not found",
    )
    sent = await bot.send_message(USER, "soon gone")
    assert await bot.delete_message(USER, sent.message_id)
    call = bot.edit_message_text("x", USER, sent.message_id)
    await refused(emu, call, BadRequest, "Bad Request: message to edit not found")


async def test_users_messages_cannot_be_edited(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    await user.send("Привет")
    call = bot.edit_message_text("x", USER, 1)
    await refused(emu, call, BadRequest, "Bad Request: message can't be edited")


async def test_delete_twice_or_unknown_is_not_found(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    sent = await bot.send_message(USER, "x")
    assert await bot.delete_message(USER, sent.message_id)
    assert user.messages == []
    call = bot.delete_message(USER, sent.message_id)
    await refused(emu, call, BadRequest, "Bad Request: message to delete not found")
    await refused(
        emu, bot.delete_message(USER, 999), BadRequest, "Bad Request: message to delete not found"
    )


async def test_messages_older_than_48_hours_cannot_be_deleted(
    emu: BotApiEmulator, bot: Bot, user: Any, wall: ManualClock
) -> None:
    sent = await bot.send_message(USER, "old")
    wall.advance(48 * 3600)
    call = bot.delete_message(USER, sent.message_id)
    await refused(emu, call, BadRequest, "Bad Request: message can't be deleted for everyone")


# ---- callback queries ----------------------------------------------------------------------------


async def pressed(bot: Bot, user: Any, label: str = "Да") -> str:
    """Send a message with a button, press it, return the callback query id the bot gets."""
    await bot.send_message(USER, "Вопрос?", reply_markup=keyboard([button(label, "yes")]))
    update_id = await user.press(label)
    updates = await bot.get_updates(offset=update_id)
    query = updates[0].callback_query
    assert query is not None
    assert query.data == "yes"
    return query.id


async def test_answer_callback_query_reaches_the_user(bot: Bot, user: Any) -> None:
    query_id = await pressed(bot, user)
    assert await bot.answer_callback_query(query_id, "Готово", show_alert=True)
    assert [(a.text, a.show_alert) for a in user.callback_answers] == [("Готово", True)]


async def test_callback_query_answered_twice_or_unknown_is_invalid(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    invalid = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    query_id = await pressed(bot, user)
    await bot.answer_callback_query(query_id)
    await refused(emu, bot.answer_callback_query(query_id), BadRequest, invalid)
    await refused(emu, bot.answer_callback_query("12345"), BadRequest, invalid)


async def test_callback_query_older_than_15_seconds_is_too_old(
    emu: BotApiEmulator, bot: Bot, user: Any, clock: ManualClock
) -> None:
    query_id = await pressed(bot, user)
    clock.advance(15.5)
    call = bot.answer_callback_query(query_id)
    description = (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    await refused(emu, call, BadRequest, description)


async def test_callback_answer_over_200_characters_is_too_long(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    query_id = await pressed(bot, user)
    call = bot.answer_callback_query(query_id, "я" * 201)
    await refused(emu, call, BadRequest, "Bad Request: MESSAGE_TOO_LONG")
    assert await bot.answer_callback_query(query_id, "я" * 200)


# ---- files ---------------------------------------------------------------------------------------


async def test_send_photo_uploads_bytes_and_parses_the_caption(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452000003200000025808060000")
    sent = await bot.send_photo(USER, png, caption="<b>Повестка</b>", parse_mode="HTML")
    assert (sent.photo[-1].width, sent.photo[-1].height) == (800, 600)
    assert sent.caption == "Повестка"
    assert sent.caption_entities[0].type == "bold"
    again = await bot.send_photo(USER, sent.photo[-1].file_id)
    assert again.photo[-1].file_id == sent.photo[-1].file_id
    upload = next(r.params["photo"] for r in emu.requests if r.method == "sendPhoto")
    assert upload.data == png


async def test_send_document_by_upload_url_and_unknown_id(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    sent = await bot.send_document(USER, b"%PDF-1.4", filename="I-589.pdf", caption="Форма")
    assert sent.document is not None
    assert sent.document.file_name == "I-589.pdf"
    by_url = await bot.send_document(USER, "https://www.uscis.gov/sites/default/files/i-589.pdf")
    assert by_url.document is not None
    assert by_url.document.file_name == "i-589.pdf"
    call = bot.send_document(USER, "no-such-file-id")
    await refused(emu, call, BadRequest, "Bad Request: wrong file identifier/HTTP URL specified")


async def test_caption_over_1024_is_too_long(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    call = bot.send_document(USER, b"data", filename="a.txt", caption="я" * 1025)
    await refused(emu, call, BadRequest, "Bad Request: message caption is too long")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_send_photo_without_photo_is_refused(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    call = bot.do_api_request("sendPhoto", api_kwargs={"chat_id": USER, "caption": "x"})
    await refused(emu, call, BadRequest, "Bad Request: there is no photo in the request")


# ---- chat actions, chats -------------------------------------------------------------------------


async def test_chat_action_is_recorded_and_checked(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    assert await bot.send_chat_action(USER, "typing")
    assert user.chat_actions == ["typing"]
    call = bot.send_chat_action(USER, "dancing")
    await refused(emu, call, BadRequest, "Bad Request: wrong parameter action in request")


async def test_get_chat_returns_full_info(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    chat = await bot.get_chat(USER)
    assert (chat.id, chat.type, chat.first_name) == (USER, "private", "Иван")
    await refused(emu, bot.get_chat(5), BadRequest, "Bad Request: chat not found")


# ---- getUpdates ----------------------------------------------------------------------------------


async def test_offset_confirms_and_drops_earlier_updates(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    first = await user.send("/start")
    second = await user.send("Помогите")
    assert first is not None
    assert second is not None
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first, second]
    assert updates[0].message is not None
    assert updates[0].message.text == "/start"
    assert emu.confirmed_update_id == 0
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    await emu.wait_confirmed(first, timeout=1)
    assert emu.confirmed_update_id == first
    assert await bot.get_updates(offset=second + 1) == ()
    assert emu.confirmed_update_id == second


async def test_limit_and_negative_offset(emu: BotApiEmulator, bot: Bot, user: Any) -> None:
    ids = [await user.send(f"m{i}") for i in range(5)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=-2)] == ids[3:]
    assert emu.confirmed_update_id == ids[2]


async def test_long_poll_returns_as_soon_as_an_update_arrives(bot: Bot, user: Any) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)  # let the request reach the server and start waiting
    assert not poll.done()
    update_id = await user.send("Я в детенции")
    async with asyncio.timeout(2):
        updates = await poll
    assert [u.update_id for u in updates] == [update_id]


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    async with asyncio.timeout(3):
        assert await bot.get_updates(timeout=1) == ()


async def test_second_long_poll_terminates_the_first(emu: BotApiEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    other = await bot.get_updates(timeout=0)
    assert other == ()
    with pytest.raises(Conflict):
        await first
    assert emu.errors[-1].description == (
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )


async def test_allowed_updates_filters_new_updates(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    await bot.get_updates(allowed_updates=["message"])
    await bot.send_message(USER, "?", reply_markup=keyboard([button("Да")]))
    assert await user.press("Да") is None
    assert await user.send("text") is not None


# ---- flood limits --------------------------------------------------------------------------------


async def test_global_limit_answers_429(emu: BotApiEmulator, bot: Bot, clock: ManualClock) -> None:
    emu.set_limits(global_rate_per_second=3)
    for user_id in (1, 2, 3, 4):
        emu.user(user_id, f"U{user_id}")
    for user_id in (1, 2, 3):
        await bot.send_message(user_id, "broadcast")
    error = await refused(
        emu, bot.send_message(4, "broadcast"), RetryAfter, "Too Many Requests: retry after 1", 429
    )
    assert isinstance(error, RetryAfter)
    assert error.retry_after == dtm.timedelta(seconds=1)
    clock.advance(0.34)
    await bot.send_message(4, "broadcast")


async def test_per_chat_limit_allows_a_burst_then_429(
    emu: BotApiEmulator, bot: Bot, user: Any, clock: ManualClock
) -> None:
    for i in range(20):
        await bot.send_message(USER, f"part {i}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "one too many")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    emu.user(2, "Other")
    await bot.send_message(2, "other chats are not limited by this chat's bucket")
    clock.advance(1.0)
    await bot.send_message(USER, "after a second")
    assert emu.errors[-1] == ErrorRecord("sendMessage", 429, "Too Many Requests: retry after 1")


async def test_group_limit_is_20_per_minute(
    emu: BotApiEmulator, bot: Bot, clock: ManualClock
) -> None:
    emu.group(-100, "Помощь")
    for _ in range(20):
        await bot.send_message(-100, "news")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(-100, "news")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)


def test_token_buckets_refill_with_the_clock() -> None:
    clock = ManualClock(0.0)
    limiter = FloodLimiter(
        global_rate=30, chat_rate=1, chat_burst=3, group_rate_per_minute=20, monotonic=clock
    )
    assert [limiter.acquire(1, is_group=False) for _ in range(4)] == [None, None, None, 1]
    clock.advance(0.5)
    assert limiter.acquire(1, is_group=False) == 1  # half a token: still wait, rounded up
    clock.advance(0.5)
    assert limiter.acquire(1, is_group=False) is None
    limiter.configure(chat_rate=math.inf)  # buckets start full again
    assert all(limiter.acquire(1, is_group=False) is None for _ in range(30))
    assert limiter.acquire(1, is_group=False) == 1  # still 30 per second overall


async def test_injected_429_uses_the_given_retry_after(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    emu.inject_429(2, retry_after=7)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER, "x")
        assert caught.value.retry_after == dtm.timedelta(seconds=7)
    await bot.send_message(USER, "x")
    assert await bot.get_me()  # not a send: never limited


# ---- failures, pause -----------------------------------------------------------------------------


async def test_injected_failures_become_network_errors(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_failure("500")
    emu.inject_failure("502")
    emu.inject_failure("drop")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.get_me()
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    with pytest.raises(NetworkError, match="Server disconnected"):
        await bot.get_me()
    assert (await bot.get_me()).username == "asylum_guide_bot"
    assert [e.error_code for e in emu.errors] == [500, 502, 0]


async def test_paused_server_times_out_until_resumed(emu: BotApiEmulator, bot: Bot) -> None:
    emu.pause()
    with pytest.raises(TimedOut):
        await bot.get_me(read_timeout=0.2)
    emu.resume()
    assert (await bot.get_me()).is_bot


# ---- webhook -------------------------------------------------------------------------------------


class WebhookReceiver:
    """A tiny aiohttp server on 127.0.0.1 that records what the emulator pushes."""

    def __init__(self, failures: int = 0) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.failures = failures
        self.arrived = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        """Record one update; fail the first ``failures`` deliveries with 500."""
        update = await request.json()
        self.received.append((update, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        self.arrived.set()
        return web.Response(text="ok")

    async def start(self) -> None:
        """Listen on a free port."""
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/hook"


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    """A webhook receiver whose first delivery fails with 500."""
    hook = WebhookReceiver(failures=1)
    await hook.start()
    yield hook
    assert hook.runner is not None
    await hook.runner.cleanup()


async def test_webhook_pushes_updates_with_the_secret_and_retries(
    emu: BotApiEmulator, bot: Bot, user: Any, receiver: WebhookReceiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token="s3cret-Token_1")
    update_id = await user.send("Через вебхук")
    assert update_id is not None
    await emu.wait_confirmed(update_id, timeout=5)
    assert len(receiver.received) == 2  # the first answer was 500, so it came again
    update, secret = receiver.received[-1]
    assert secret == "s3cret-Token_1"
    assert update["update_id"] == update_id
    assert update["message"]["text"] == "Через вебхук"
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (receiver.url, 0)
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_get_updates_conflicts_while_a_webhook_is_set(
    emu: BotApiEmulator, bot: Bot, receiver: WebhookReceiver
) -> None:
    await bot.set_webhook(receiver.url)
    description = (
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first"
    )
    await refused(emu, bot.get_updates(), Conflict, description, 409)
    assert await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_webhook_url_and_secret_are_checked(emu: BotApiEmulator, bot: Bot) -> None:
    call = bot.set_webhook("http://example.org/hook")
    await refused(
        emu, call, BadRequest, "Bad Request: bad webhook: HTTPS url must be provided for webhook"
    )
    call = bot.set_webhook("http://127.0.0.1:9/hook", secret_token="not allowed!")
    await refused(emu, call, BadRequest, "Bad Request: secret token contains unallowed characters")


# ---- commands and descriptions -------------------------------------------------------------------


async def test_commands_are_stored_per_scope_and_language(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    await bot.set_my_commands([BotCommand("start", "Начать"), BotCommand("help", "Помощь")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands(
        [BotCommand("staff", "Для волонтёров")], scope=BotCommandScopeChat(USER)
    )
    assert emu.commands[("default", "")] == [
        {"command": "start", "description": "Начать"},
        {"command": "help", "description": "Помощь"},
    ]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["start"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(USER))] == [
        "staff"
    ]
    assert await bot.delete_my_commands(language_code="en")
    assert ("default", "en") not in emu.commands


async def test_invalid_commands_are_refused(emu: BotApiEmulator, bot: Bot) -> None:
    call = bot.set_my_commands([BotCommand("Start", "Начать")])
    await refused(emu, call, BadRequest, "Bad Request: BOT_COMMAND_INVALID")
    call = bot.set_my_commands([BotCommand("start", " ")])
    await refused(emu, call, BadRequest, "Bad Request: command description must be non-empty")


async def test_descriptions_are_stored(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_description("Помощь в делах об убежище", language_code="ru")
    await bot.set_my_short_description("Убежище в США")
    assert emu.descriptions == {"ru": "Помощь в делах об убежище"}
    assert (await bot.get_my_description("ru")).description == "Помощь в делах об убежище"
    assert (await bot.get_my_short_description()).short_description == "Убежище в США"
    call = bot.set_my_short_description("я" * 121)
    await refused(emu, call, BadRequest, "Bad Request: short description is too long")


# ---- groups --------------------------------------------------------------------------------------


async def test_group_messages_and_removed_bot(emu: BotApiEmulator, bot: Bot) -> None:
    group = emu.group(-1001, "Волонтёры")
    ivan = emu.user(USER, "Иван")
    assert await group.send(ivan, "/help") is not None
    assert await group.send(ivan, "обычный разговор") is None  # privacy mode hides it
    sent = await bot.send_message(-1001, "Справка")
    assert sent.chat.type == "group"
    assert await group.send(ivan, "спасибо", reply_to=group.last_bot_message) is not None
    group.remove_bot()
    call = bot.send_message(-1001, "x")
    await refused(emu, call, Forbidden, "Forbidden: bot was kicked from the group chat", 403)


def test_spec_drives_the_parameter_check(emu: BotApiEmulator) -> None:
    method = emu.spec.method("SENDMESSAGE")
    assert method is not None
    assert method.name == "sendMessage"
    assert method.fields["chat_id"].types == ("Integer", "String")
    assert json.dumps(emu.spec.version).startswith('"Bot API')


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_missing_parameters_use_telegrams_words(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    call = bot.do_api_request("deleteMessage", api_kwargs={"message_id": 1})
    await refused(emu, call, BadRequest, "Bad Request: chat identifier is not specified")
    call = bot.do_api_request("editMessageText", api_kwargs={"text": "x"})
    await refused(emu, call, BadRequest, "Bad Request: message identifier is not specified")
    call = bot.do_api_request("setMyCommands", api_kwargs={"language_code": "ru"})
    await refused(emu, call, BadRequest, 'Bad Request: parameter "commands" is required')
    call = bot.do_api_request("sendMessage", api_kwargs={"text": "x"})
    await refused(emu, call, BadRequest, "Bad Request: chat_id is empty")


async def test_json_null_counts_as_absent(emu: BotApiEmulator, user: Any) -> None:
    url = f"{emu.base_url}{EXAMPLE_TOKEN}/sendMessage"
    body = {"chat_id": USER, "text": "x", "reply_markup": None, "parse_mode": None}
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        assert (await response.json())["ok"] is True


async def test_captions_and_texts_are_edited_by_their_own_methods(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    photo = await bot.send_photo(USER, b"\x89PNG\r\n\x1a\n", caption="Старая подпись")
    call = bot.edit_message_text("x", USER, photo.message_id)
    await refused(emu, call, BadRequest, "Bad Request: there is no text in the message to edit")
    await bot.edit_message_caption(USER, photo.message_id, caption="Новая подпись")
    assert user.last_bot_message.caption == "Новая подпись"
    text = await bot.send_message(USER, "Текст")
    call = bot.edit_message_caption(USER, text.message_id, caption="x")
    await refused(emu, call, BadRequest, "Bad Request: there is no caption in the message to edit")


async def test_delete_messages_skips_missing_ones(bot: Bot, user: Any) -> None:
    first = await bot.send_message(USER, "1")
    second = await bot.send_message(USER, "2")
    await bot.send_message(USER, "3")
    assert await bot.delete_messages(USER, [first.message_id, second.message_id, 99])
    assert [m.text for m in user.messages] == ["3"]


async def test_a_network_delay_slows_every_request_but_get_updates(
    emu: BotApiEmulator, bot: Bot, user: Any
) -> None:
    """What benchmarks use to look like api.telegram.org (tens of ms a request) on loopback."""
    loop = asyncio.get_running_loop()
    emu.set_network_delay(0.2)
    started = loop.time()
    await bot.send_message(USER, "hi")
    assert loop.time() - started >= 0.2
    started = loop.time()
    await bot.get_updates(timeout=0)
    assert loop.time() - started < 0.2
