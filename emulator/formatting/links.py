"""Link checks (TDLib ``LinkManager::check_link`` and ``HttpUrl``): which URLs a text link may
carry, and the user and custom-emoji ids of tg:// links."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from emulator.formatting.entities import _Entity, _to_int64
from emulator.formatting.errors import EntityParseError, _LinkError


def _ascii_lower(text: str) -> str:
    return "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in text)


def _check_url_part(part: str, name: str, allow_colon: bool) -> None:
    index = 0
    while index < len(part):
        ch = part[index]
        if ch.isascii() and (
            ch.isalnum() or ch in ".-_!$,~*'();&+=" or (allow_colon and ch == ":")
        ):
            index += 1
            continue
        if ch == "%":
            pair = part[index + 1 : index + 3]
            if len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair):
                index += 3
                continue
            raise _LinkError(f"Wrong percent-encoded symbol in URL {name}")
        if ord(ch) >= 128:
            index += 1
            continue
        raise _LinkError(f"Disallowed character in URL {name}")


@dataclass
class _HttpUrl:
    protocol: str
    userinfo: str
    host: str
    is_ipv6: bool
    specified_port: int
    query: str

    def get_url(self) -> str:
        userinfo = f"{self.userinfo}@" if self.userinfo else ""
        port = f":{self.specified_port}" if self.specified_port > 0 else ""
        return f"{self.protocol}://{userinfo}{self.host}{port}{self.query}"


def _parse_url(url: str) -> _HttpUrl:
    cut = 0
    while cut < len(url) and url[cut] not in ":/?#@[]":
        cut += 1
    protocol_name = _ascii_lower(url[:cut])
    if url.startswith("://", cut):
        if protocol_name not in ("http", "https"):
            raise _LinkError("Unsupported URL protocol")
        protocol, rest = protocol_name, url[cut + 3 :]
    else:
        protocol, rest = "http", url
    cut = 0
    while cut < len(rest) and rest[cut] not in "/?#":
        cut += 1
    userinfo_host_port, query = rest[:cut], rest[cut:]

    port = 0
    colon = len(userinfo_host_port) - 1
    while colon > 0 and userinfo_host_port[colon] not in ":]@":
        colon -= 1
    if colon > 0 and userinfo_host_port[colon] == ":":
        port_text = userinfo_host_port[colon + 1 :]
        while len(port_text) > 1 and port_text[0] == "0":
            port_text = port_text[1:]
        number = _to_int64(port_text)
        port = -1 if number is None or number == 0 or number >= 2**31 else number
        userinfo_host = userinfo_host_port[:colon]
    else:
        userinfo_host = userinfo_host_port
    if port < 0 or port > 65535:
        raise _LinkError("Wrong port number specified in the URL")

    at = userinfo_host.rfind("@")
    userinfo = userinfo_host[:at] if at >= 0 else ""
    host = userinfo_host[at + 1 :]
    is_ipv6 = False
    if host.startswith("[") and host.endswith("]") and len(host) >= 2:
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise _LinkError("Wrong IPv6 address specified in the URL") from None
        is_ipv6 = True
    if not host:
        raise _LinkError("URL host is empty")
    if host == ".":
        raise _LinkError("Host is invalid")

    query = query.rstrip(" \t\r\n\0\v") or "/"
    escaped = "" if query.startswith("/") else "/"
    escaped += "".join(f"%{ord(ch):02X}" if ord(ch) <= 0x20 else ch for ch in query)
    host = _ascii_lower(host)
    if not is_ipv6:
        _check_url_part(host, "host", False)
    _check_url_part(userinfo, "userinfo", True)
    return _HttpUrl(protocol, userinfo, host, is_ipv6, port, escaped)


def _check_link(link: str) -> str:
    """The link as Telegram stores it, or _LinkError with TDLib's reason."""
    scheme = ""
    lowered = _ascii_lower(link[:4])
    if lowered.startswith("tg:"):
        scheme, link = "tg", link[3:]
    elif lowered.startswith("ton:"):
        scheme, link = "ton", link[4:]
    if scheme and link.startswith("//"):
        link = link[2:]
    url = _parse_url(link)
    if scheme:
        wrong = f"Wrong {scheme} URL"
        if (
            _ascii_lower(link[:7]) == "http://"
            or url.protocol == "https"
            or url.userinfo
            or url.specified_port
            or url.is_ipv6
        ):
            raise _LinkError(wrong)
        query = url.query[1:] if url.query.startswith("/?") else url.query
        if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in url.host):
            raise _LinkError(wrong)
        return f"{scheme}://{url.host}{query}"
    if "." not in url.host and not url.is_ipv6:
        raise _LinkError("Wrong HTTP URL")
    return url.get_url()


def _checked_link(link: str) -> str:
    """LinkManager::get_checked_link: the stored link, or "" when Telegram drops it."""
    try:
        return _check_link(link)
    except _LinkError:
        return ""


def _link_user_id(url: str) -> int:
    """LinkManager::get_link_user_id: N for tg://user?id=N (any case), else 0."""
    rest = url.lower()
    if not rest.startswith("tg:"):
        return 0
    rest = rest[3:]
    if rest.startswith("//"):
        rest = rest[2:]
    if not rest.startswith("user"):
        return 0
    rest = rest[4:]
    if rest.startswith("/"):
        rest = rest[1:]
    if not rest.startswith("?"):
        return 0
    for parameter in rest[1:].split("#", 1)[0].split("&"):
        key, _, value = parameter.partition("=")
        if key == "id":
            user_id = _to_int64(value)
            return user_id if user_id is not None and 0 < user_id < 2**53 else 0
    return 0


def _link_custom_emoji_id(url: str) -> int:
    """LinkManager::get_link_custom_emoji_id, raising EntityParseError like TDLib."""
    lowered = url.lower()
    if not lowered.startswith("tg:"):
        raise EntityParseError("Custom emoji URL must have scheme tg")
    rest = lowered[3:]
    if rest.startswith("//"):
        rest = rest[2:]
    host_end = min((rest.find(ch) for ch in "/?#" if ch in rest), default=len(rest))
    if rest[:host_end] != "emoji":
        raise EntityParseError('Custom emoji URL must have host "emoji"')
    rest = rest[host_end:]
    if rest.startswith("/"):
        rest = rest[1:]
    if rest and rest[0] not in "?#":
        raise EntityParseError("Custom emoji URL must have an empty path")
    if rest.startswith("?"):
        for part in rest[1:].rsplit("#", 1)[0].split("&"):
            key, _, value = part.partition("=")
            if key == "id":
                emoji_id = _to_int64(value)
                if not emoji_id:
                    raise EntityParseError("Invalid custom emoji identifier specified")
                return emoji_id
    raise EntityParseError("Custom emoji URL must have an emoji identifier")


def _link_entity(offset: int, length: int, url: str) -> _Entity | None:
    """A parsed link: a text_mention for tg://user?id=N, a text_link, or None if dropped."""
    user_id = _link_user_id(url)
    if user_id:
        return _Entity("text_mention", offset, length, user_id=user_id)
    checked = _checked_link(url)
    return _Entity("text_link", offset, length, url=checked) if checked else None
