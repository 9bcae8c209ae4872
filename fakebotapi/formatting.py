"""Telegram-like text checks: HTML ``parse_mode`` parsing, length limits, keyboard limits."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from .state import ApiError

__all__ = ["check_reply_markup", "render_text"]

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_MAX_TEXT = 4096
_MAX_CAPTION = 1024
_MAX_CALLBACK_DATA = 64
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHTML(HTMLParser):
    """Parses Telegram's HTML subset into plain text plus ``MessageEntity`` dicts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.plain: list[str] = []
        self.length = 0
        self.stack: list[tuple[str, int, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    def _fail(self, reason: str) -> None:
        raise ApiError(400, f"Bad Request: can't parse entities: {reason}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = _HTML_TAGS.get(tag)
        attributes = dict(attrs)
        if kind is None or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            self._fail(f'Unsupported start tag "{tag}"')
        extra: dict[str, Any] = {}
        if tag == "a":
            if not attributes.get("href"):
                self._fail('Tag "a" must have attribute "href"')
            extra["url"] = attributes["href"]
        elif tag == "tg-emoji":
            extra["custom_emoji_id"] = attributes.get("emoji-id") or "0"
        elif tag == "tg-time":
            extra["unix_time"] = int(attributes.get("unix") or 0)
        elif tag == "blockquote" and "expandable" in attributes:
            kind = "expandable_blockquote"
        self.stack.append((tag, self.length, {"type": kind, **extra}))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self._fail(f'Unexpected end tag "{tag}"')
        _, start, entity = self.stack.pop()
        if self.length > start:
            entity.update(offset=start, length=self.length - start)
            if entity["type"] == "code" and self.stack and self.stack[-1][0] == "pre":
                return  # <pre><code class=...> is a single "pre" entity
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        self.length += _utf16_len(data)

    def finish(self, text: str) -> tuple[str, list[dict[str, Any]]]:
        self.feed(text)
        self.close()
        if self.stack:
            self._fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.plain), self.entities


def render_text(
    text: str, parse_mode: str | None, *, caption: bool = False
) -> tuple[str, list[dict[str, Any]] | None]:
    """Return ``(plain text, entities)`` as Telegram would store them, or raise 400.

    HTML is parsed; other parse modes (Markdown, MarkdownV2) are kept verbatim.
    """
    entities: list[dict[str, Any]] | None = None
    if parse_mode and parse_mode.lower() == "html":
        text, entities = _TelegramHTML().finish(text)
    if caption:
        if len(text) > _MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
    elif not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    elif len(text) > _MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text, entities or None


def check_reply_markup(markup: Any) -> None:
    """Reject inline buttons Telegram would refuse (oversized or missing actions)."""
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            if not isinstance(button, dict):
                continue
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= _MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not _BUTTON_ACTIONS.intersection(button):
                raise ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                )
