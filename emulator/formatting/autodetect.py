"""Entities Telegram finds by itself (TDLib ``find_entities``): mentions, hashtags, cashtags, bot
commands, URLs and e-mail addresses."""

from __future__ import annotations

import unicodedata

from emulator.formatting.entities import _encode, _Entity, _remove_intersecting
from emulator.formatting.links import _ascii_lower


def _category(ch: str) -> str:
    """TDLib's simple Unicode category: L(etter), D(ecimal), N(umber), S(eparator) or ''."""
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return "L"
    if cat == "Nd":
        return "D"
    if cat[0] == "N":
        return "N"
    if cat[0] == "Z" or ch.isspace():
        return "S"
    return ""


def _is_word_character(ch: str) -> bool:
    return _category(ch) in ("L", "D", "N") or ch == "_"


def _is_alnum_underscore(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _is_hashtag_letter(ch: str) -> bool:
    return ch in "_\u200c\u00b7" or 0xD80 <= ord(ch) <= 0xDFF or _category(ch) in ("L", "D")


def _match_mentions(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("@")
    while pos >= 0:
        end = pos + 1
        if pos > 0 and _is_word_character(text[pos - 1]):
            pos = text.find("@", pos + 1)
            continue
        while end < len(text) and _is_alnum_underscore(text[end]):
            end += 1
        name = text[pos + 1 : end]
        is_name = 2 <= len(name) <= 32 and not (end < len(text) and _is_word_character(text[end]))
        if is_name and (len(name) >= 4 or name.lower() in ("gif", "vid", "pic")):
            result.append((pos, end))
        pos = text.find("@", end)
    return result


def _match_bot_commands(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("/")
    while pos >= 0:
        if pos > 0 and (_is_word_character(text[pos - 1]) or text[pos - 1] in "/<>"):
            pos = text.find("/", pos + 1)
            continue
        end = pos + 1
        while end < len(text) and _is_alnum_underscore(text[end]):
            end += 1
        command_end = end
        ok = 1 <= end - pos - 1 <= 64
        if ok and end < len(text) and text[end] == "@":
            end += 1
            name_begin = end
            while end < len(text) and _is_alnum_underscore(text[end]):
                end += 1
            ok = 3 <= end - name_begin <= 32
            command_end = end
        if ok and not (end < len(text) and (_is_word_character(text[end]) or text[end] in "/<>")):
            result.append((pos, command_end))
        pos = text.find("/", end)
    return result


def _match_hashtags(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("#")
    while pos >= 0:
        if pos > 0 and _is_hashtag_letter(text[pos - 1]):
            pos = text.find("#", pos + 1)
            continue
        end = pos + 1
        size = 0
        hashtag_end = -1
        was_letter = False
        while end < len(text) and _is_hashtag_letter(text[end]):
            end += 1
            if size == 255:
                hashtag_end = end
            if size != 256:
                was_letter = was_letter or _category(text[end - 1]) == "L"
                size += 1
        if hashtag_end < 0:
            hashtag_end = end
        if size >= 1 and not (end < len(text) and text[end] == "#") and was_letter:
            result.append((pos, hashtag_end))
        pos = text.find("#", end)
    return result


def _match_cashtags(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("$")
    while pos >= 0:
        if pos > 0 and (_is_hashtag_letter(text[pos - 1]) or text[pos - 1] == "$"):
            pos = text.find("$", pos + 1)
            continue
        end = pos + 1
        if text.startswith("1INCH", end):
            end += 5
        else:
            while end < len(text) and "A" <= text[end] <= "Z":
                end += 1
        if 1 <= end - pos - 1 <= 8 and not (
            end < len(text) and (_is_hashtag_letter(text[end]) or text[end] == "$")
        ):
            result.append((pos, end))
        pos = text.find("$", end)
    return result


_BAD_PATH_END = ".:;,('?!`"


def _is_url_unicode_symbol(ch: str) -> bool:
    code = ord(ch)
    if 0x2000 <= code <= 0x206F:
        return code in (0x200C, 0x200D) or 0x2010 <= code <= 0x2015
    return _category(ch) != "S"


def _is_url_path_symbol(ch: str) -> bool:
    return ch not in '\n<>"\u00ab\u00bb' and _is_url_unicode_symbol(ch)


def _is_domain_symbol(ch: str) -> bool:
    if ord(ch) < 0xC0:
        return ch == "." or ch == "~" or (ch.isascii() and (ch.isalnum() or ch in "_-"))
    return _is_url_unicode_symbol(ch)


def _is_user_data_symbol(ch: str) -> bool:
    return ch not in "\n/[]{}()'`<>\"@\u00ab\u00bb" and _is_url_unicode_symbol(ch)


def _is_protocol_symbol(ch: str) -> bool:
    if ord(ch) < 0x80:
        return ch.isalnum() or ch in "+-"
    return _category(ch) != "S"


def _url_path_end(text: str, start: int) -> int:
    """End of a path starting with the '/', '?' or '#' at ``start`` (start itself if none)."""
    end = start + 1
    while end < len(text) and _is_url_path_symbol(text[end]):
        end += 1
    while end > start + 1 and text[end - 1] in _BAD_PATH_END:
        end -= 1
    return end if text[start] == "/" or end > start + 1 else start


def _match_tg_urls(text: str) -> list[tuple[int, int]]:
    result = []
    pos = 0
    while len(text) - pos > 5:
        pos = text.find(":", pos)
        if pos < 0:
            break
        begin = -1
        if text.startswith("//", pos + 1):
            if pos >= 2 and _ascii_lower(text[pos - 2 : pos]) == "tg":
                begin = pos - 2
            elif pos >= 3 and _ascii_lower(text[pos - 3 : pos]) == "ton":
                begin = pos - 3
        if begin < 0:
            pos += 1
            continue
        pos += 3
        domain_begin = pos
        while (
            pos < len(text)
            and pos - domain_begin != 253
            and text[pos].isascii()
            and (text[pos].isalnum() or text[pos] in "_-")
        ):
            pos += 1
        if pos == domain_begin:
            continue
        if pos < len(text) and text[pos] in "/?#":
            pos = _url_path_end(text, pos)
        result.append((begin, pos))
    return result


def _match_urls(text: str) -> list[tuple[int, int]]:
    result = []
    base = 0
    size = len(text)
    while True:
        dot = text.find(".", base)
        if dot < 0 or dot + 1 == size:
            break
        if text[dot + 1] == " ":
            base = dot + 2
            continue
        domain_begin = dot
        while domain_begin > base and _is_domain_symbol(text[domain_begin - 1]):
            domain_begin -= 1
        last_at = -1
        domain_end = dot
        while domain_end < size:
            ch = text[domain_end]
            if ch == "@":
                last_at = domain_end
            elif not _is_domain_symbol(ch):
                break
            domain_end += 1
        if last_at >= 0:
            while domain_begin > base and _is_user_data_symbol(text[domain_begin - 1]):
                domain_begin -= 1

        url_end = domain_end
        if url_end < size and text[url_end] == ":":
            port_end = url_end + 1
            while port_end < size and "0" <= text[port_end] <= "9":
                port_end += 1
            port_begin = url_end + 1
            while port_begin != port_end and text[port_begin] == "0":
                port_begin += 1
            port = text[port_begin:port_end]
            if port and len(port) <= 5 and int(port) <= 65535:
                url_end = port_end
        if url_end < size and text[url_end] in "/?#":
            url_end = _url_path_end(text, url_end)
        while url_end > dot + 1 and text[url_end - 1] == ".":
            url_end -= 1

        is_bad = False
        url_begin = domain_begin
        if url_begin != base and text[url_begin - 1] == "@":
            if last_at >= 0:
                is_bad = True
            user_begin = url_begin - 1
            while user_begin > base and _is_user_data_symbol(text[user_begin - 1]):
                user_begin -= 1
            if user_begin == url_begin - 1:
                is_bad = True
            url_begin = user_begin
        if url_begin != base:
            prefix = text[base:url_begin]
            long_enough = len(prefix) >= 6 or len(_encode(prefix)) >= 6
            if long_enough and prefix.endswith("://"):
                protocol_begin = url_begin - 3
                while protocol_begin > base and _is_protocol_symbol(text[protocol_begin - 1]):
                    protocol_begin -= 1
                protocol = _ascii_lower(text[protocol_begin : url_begin - 3])
                if protocol.endswith("http") and protocol != "shttp":
                    url_begin -= 7
                elif protocol.endswith("https"):
                    url_begin -= 8
                elif protocol.endswith("ftp") and protocol not in ("tftp", "sftp"):
                    url_begin -= 6
                elif protocol.endswith("tonsite"):
                    url_begin -= 10
                else:
                    is_bad = True
            else:
                last = prefix[-1]
                if _is_word_character(last) or last in "/#@":
                    is_bad = True

        if not is_bad:
            if url_end > dot + 1:
                result.append((url_begin, url_end))
            while url_end < size and text[url_end] == ".":
                url_end += 1
        else:
            while text[url_end - 1] != ".":
                url_end -= 1
        base = max(url_end, dot + 1)
    return result


def _is_email_address(text: str) -> bool:
    user, at, domain = text.partition("@")
    if not at or not domain:
        return False

    def is_part_symbol(ch: str) -> bool:
        return ch.isascii() and (ch.isalnum() or ch in "_-")

    previous = 0
    parts = 0
    for index, ch in enumerate(user):
        if ch in ".+":
            if index - previous >= 27:
                return False
            parts += 1
            previous = index + 1
        elif not is_part_symbol(ch):
            return False
    if parts + 1 >= 12 or not 0 < len(user) - previous < 36:
        return False
    domain_parts = domain.split(".")
    if not 1 < len(domain_parts) <= 7:
        return False
    tld = domain_parts.pop()
    if not 1 < len(tld) < 9 or not (tld.isascii() and tld.isalpha()):
        return False
    for part in domain_parts:
        if not part or len(part) >= 31 or not all(is_part_symbol(ch) for ch in part):
            return False
        if not (part[0].isalnum() and part[-1].isalnum()):
            return False
    return True


# A subset of the top-level domains TDLib knows (its list has ~1,500): the country codes and
# the common generic ones.
_COMMON_TLD_NAMES = """
    ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs
    bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec
    ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy
    hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz
    la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx
    my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re
    ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th
    tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
    aero app art asia audio auto bank bar beer best bet bid bike bio biz blog blue book box build
    business buzz cab cafe cam camera camp capital car cards care career careers cars casa cash
    cat center ceo chat cheap church city claims click clinic cloud club codes coffee college com
    community company computer consulting coop country coupons courses credit cricket dance data
    date dating day deal dental design dev diet digital direct directory discount doctor dog
    domains download earth eco edu education email energy engineer engineering enterprises estate
    events exchange expert express fail faith family fan fans farm fashion film finance financial
    fish fit fitness flights florist fm foo food football forsale forum foundation free fun fund
    furniture gallery game games garden gay gift gifts gives global gmbh gold golf gov graphics
    green group guide guru health help hiphop hockey holdings holiday homes horse hospital host
    hosting house how immigration inc industries info ink institute insurance int international
    investments jobs kim kitchen land law lawyer legal life limited link live llc loan loans lol
    love ltd luxury management market marketing mba media memorial men menu mil mobi moda moe
    money mortgage moscow movie museum music name navy net network new news ninja nyc one onl
    online ooo org page partners party pet photo photography photos pics pink pizza place plus
    porn press pro productions promo properties property pub qpon quest radio realestate realty
    recipes red rehab rent rentals repair report rest restaurant review reviews rich rip rocks
    run sale salon sbs school science services sex sexy shop shopping show site ski social
    software solar solutions space sport store stream studio study style support surf systems
    tattoo tax taxi team tech technology tel tennis theater tickets tips tires today tools top
    tours town toys trade trading training travel tube university uno vacations vegas ventures
    video villas vin vip vision vodka vote voting voyage wang watch webcam website wedding wiki
    win wine work works world wtf xxx xyz yoga you youtube zone
    бг бел дети ею католик ком мкд мон москва онлайн орг рус рф сайт срб укр қаз
"""
_COMMON_TLDS = frozenset(_COMMON_TLD_NAMES.split())


def _is_common_tld(tld: str) -> bool:
    lowered = tld.lower()
    if lowered != tld and lowered[1:] == tld[1:]:
        return False  # "Com": only the first letter is upper-case
    return lowered in _COMMON_TLDS


def _fix_url(url: str) -> int:
    """TDLib fix_url: the length of the real URL at the start of ``url``, 0 if it is none."""
    full_length = len(url)
    has_protocol = False
    rest = url
    if _ascii_lower(url[:10]).startswith(("http://", "https://", "ftp://", "tonsite://")):
        rest = url[url.find(":") + 3 :]
        has_protocol = True
    domain_end = min((rest.find(ch) for ch in "/?#" if ch in rest), default=len(rest))
    domain, path = rest[:domain_end], rest[domain_end:]
    domain = domain[domain.find("@") + 1 :]
    if ":" in domain:
        domain = domain[: domain.rfind(":")]
    if len(domain) == 12 and domain.lower() == "teiegram.org":
        return 0

    balance = {"(": 0, "[": 0, "{": 0}
    closing = {")": "(", "]": "[", "}": "{"}
    path_pos = 0
    while path_pos < len(path):
        ch = path[path_pos]
        if ch in balance:
            balance[ch] += 1
        elif ch in closing:
            balance[closing[ch]] -= 1
        if min(balance.values()) < 0:
            break
        path_pos += 1
    while path_pos > 0 and path[path_pos - 1] in _BAD_PATH_END:
        path_pos -= 1
    full_length -= len(path) - path_pos

    previous = 0
    part_count = 0
    has_non_digit = False
    is_ipv4 = True
    for index in range(len(domain) + 1):
        if index == len(domain) or domain[index] == ".":
            part = domain[previous:index]
            if not part or len(part) >= 64 or part[-1] == "-":
                return 0
            if is_ipv4 and (len(part) > 3 or (len(part) >= 2 and part[0] == "0")):
                is_ipv4 = False
            if is_ipv4 and len(part) == 3 and int(part) > 255:
                is_ipv4 = False
            part_count += 1
            if index != len(domain):
                previous = index + 1
        elif not "0" <= domain[index] <= "9":
            is_ipv4 = False
            has_non_digit = True
    if part_count == 1:
        return 0
    if is_ipv4 and part_count == 4:
        return full_length
    if not has_non_digit:
        return 0
    tld = domain[previous:]
    if len(tld) <= 1:
        return 0
    if tld.startswith("xn--"):
        if len(tld) <= 5 or not all(ch.isascii() and ch.isalnum() for ch in tld[4:]):
            return 0
    elif "_" in tld or "-" in tld or (not has_protocol and not _is_common_tld(tld)):
        return 0
    second_level = domain[: previous - 1]
    if "_" in second_level[second_level.rfind(".") + 1 :]:
        return 0
    return full_length


def _find_urls(text: str) -> list[tuple[int, int, str]]:
    result = []
    for begin, end in _match_urls(text):
        url = text[begin:end]
        if _is_email_address(url):
            result.append((begin, end, "email"))
        elif url.startswith("mailto:") and _is_email_address(url[7:]):
            result.append((begin + 7, end, "email"))
        else:
            length = _fix_url(url)
            if length:
                result.append((begin, begin + length, "url"))
    return result


def _find_entities(text: str) -> list[_Entity]:
    """Mentions, bot commands, hashtags, cashtags, URLs and e-mails Telegram finds by itself."""
    found: list[tuple[int, int, str]] = []
    found += [(b, e, "mention") for b, e in _match_mentions(text)]
    found += [(b, e, "bot_command") for b, e in _match_bot_commands(text)]
    found += [(b, e, "hashtag") for b, e in _match_hashtags(text)]
    found += [(b, e, "cashtag") for b, e in _match_cashtags(text)]
    found += [(b, e, "url") for b, e in _match_tg_urls(text)]
    found += _find_urls(text)
    if not found:
        return []
    found.sort(key=lambda item: (item[0], item[0] - item[1]))
    utf16 = [0]
    for ch in text:
        utf16.append(utf16[-1] + (2 if ord(ch) > 0xFFFF else 1))
    entities = [_Entity(kind, utf16[b], utf16[e] - utf16[b]) for b, e, kind in found]
    return _remove_intersecting(entities)
