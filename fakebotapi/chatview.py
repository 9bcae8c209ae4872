"""JSON views of a private chat or a channel for the practice web chat
(:mod:`fakebotapi.webchat`).

Pure functions over :class:`~fakebotapi.state.SentMessage`: what the page shows of a message
(text, entities, buttons, media), the reply keyboard currently shown above the composer, and
a tracker that tells which messages were added, edited or deleted since it last looked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from .state import SentMessage, StoredFile

__all__ = [
    "ChangeTracker",
    "ChatChange",
    "Place",
    "active_reply_keyboard",
    "chat_view",
    "file_url",
    "inline_buttons",
    "message_view",
    "reply_keyboard_buttons",
    "safe_url",
]

# Media kinds of a Message that point at a stored file (``photo`` is a list of sizes).
_FILE_KINDS = ("document", "audio", "video", "animation", "voice", "video_note", "sticker")
_ENTITY_FIELDS = ("type", "offset", "length", "url", "language")
_SAFE_SCHEMES = ("http", "https")
_PLACE_TOLERANCE = 1e-6
_SNIPPET = 80


@dataclass(frozen=True)
class Place:
    """A named location a practice person can share from the attach menu."""

    name: str
    latitude: float
    longitude: float


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) link, else ``None`` (no ``javascript:`` etc.)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in _SAFE_SCHEMES and parts.netloc else None


def file_url(stored: StoredFile) -> str:
    """Path of ``stored`` under the web chat's ``/files/`` route."""
    name = stored.file_name.rsplit("/", 1)[-1] or "file"
    return f"/files/{quote(stored.file_id, safe='')}/{quote(name, safe='')}"


def _buttons(rows: Any) -> Iterable[dict[str, Any]]:
    """Flatten keyboard rows into button dicts (plain-string buttons become ``{"text": s}``)."""
    for row in rows if isinstance(rows, list) else []:
        for button in row if isinstance(row, list) else []:
            if isinstance(button, str):
                yield {"text": button}
            elif isinstance(button, dict):
                yield button


def inline_buttons(message: SentMessage) -> list[dict[str, Any]]:
    """Inline keyboard buttons of ``message`` in reading order (index = position)."""
    markup = message.markup if isinstance(message.markup, dict) else {}
    return list(_buttons(markup.get("inline_keyboard")))


def _inline_button_view(index: int, button: dict[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {"index": index, "text": str(button.get("text", ""))}
    if "callback_data" in button:
        view.update(kind="callback", callback_data=str(button["callback_data"]))
    elif "url" in button:
        view.update(kind="url", url=safe_url(button["url"]))
    else:
        view["kind"] = "unsupported"
    return view


def _inline_keyboard_view(message: SentMessage) -> list[list[dict[str, Any]]]:
    """Rows of button views; ``index`` counts across rows like :func:`inline_buttons`."""
    markup = message.markup if isinstance(message.markup, dict) else {}
    rows: list[list[dict[str, Any]]] = []
    index = 0
    for row in markup.get("inline_keyboard") or []:
        views = []
        for button in _buttons([row]):
            views.append(_inline_button_view(index, button))
            index += 1
        rows.append(views)
    return rows


def _place_name(latitude: Any, longitude: Any, places: Sequence[Place]) -> str | None:
    for place in places:
        if (
            abs(place.latitude - float(latitude)) < _PLACE_TOLERANCE
            and abs(place.longitude - float(longitude)) < _PLACE_TOLERANCE
        ):
            return place.name
    return None


def _file_view(kind: str, file_id: Any, files: Mapping[str, StoredFile]) -> dict[str, Any]:
    view: dict[str, Any] = {"type": kind, "url": None, "file_name": None, "size": None}
    stored = files.get(str(file_id))
    if stored is not None:
        view.update(
            url=file_url(stored),
            file_name=stored.file_name,
            size=stored.size,
            mime_type=stored.mime_type,
        )
    return view


def _media_view(
    raw: dict[str, Any], files: Mapping[str, StoredFile], places: Sequence[Place]
) -> dict[str, Any] | None:
    """The non-text part of a message: a photo, a file, a location, a contact, or None."""
    photo = raw.get("photo")
    if isinstance(photo, list) and photo:
        return _file_view("photo", photo[-1].get("file_id"), files)
    for kind in _FILE_KINDS:
        if isinstance(raw.get(kind), dict):
            return _file_view(kind, raw[kind].get("file_id"), files)
    location = raw.get("location")
    if isinstance(location, dict):
        lat, lon = location.get("latitude", 0.0), location.get("longitude", 0.0)
        place = _place_name(lat, lon, places)
        return {"type": "location", "latitude": lat, "longitude": lon, "place": place}
    contact = raw.get("contact")
    if isinstance(contact, dict):
        return {
            "type": "contact",
            "phone_number": contact.get("phone_number"),
            "first_name": contact.get("first_name"),
        }
    return None


def _entities(raw: Any) -> list[dict[str, Any]]:
    """Entities with only the fields the page uses (the page still checks every URL)."""
    clean = []
    for entity in raw if isinstance(raw, list) else []:
        if isinstance(entity, dict) and {"type", "offset", "length"} <= entity.keys():
            clean.append({k: entity[k] for k in _ENTITY_FIELDS if k in entity})
    return clean


def message_view(
    message: SentMessage, files: Mapping[str, StoredFile], places: Sequence[Place] = ()
) -> dict[str, Any]:
    """What the page shows of one message (text with entities, buttons, media, flags)."""
    raw = message.raw
    if "text" in raw:
        text, entities = raw.get("text") or "", raw.get("entities")
    else:
        text, entities = raw.get("caption") or "", raw.get("caption_entities")
    view: dict[str, Any] = {
        "message_id": message.message_id,
        "from_bot": message.from_bot,
        "date": raw.get("date"),
        "edited": "edit_date" in raw,
        "text": text,
        "entities": _entities(entities),
        "buttons": _inline_keyboard_view(message),
        "media": _media_view(raw, files, places),
        "reply_to": None,
    }
    reply = raw.get("reply_to_message")
    if isinstance(reply, dict):
        snippet = str(reply.get("text") or reply.get("caption") or "")[:_SNIPPET]
        view["reply_to"] = {"message_id": reply.get("message_id"), "text": snippet}
    return view


def _reply_markup_sent(message: SentMessage) -> dict[str, Any] | None:
    """The ``reply_markup`` the bot sent with ``message`` (edits cannot change a reply
    keyboard, so the send parameters are the truth even after the text was edited)."""
    markup = message.params.get("reply_markup")
    return markup if isinstance(markup, dict) else None


def active_reply_keyboard(history: Iterable[SentMessage]) -> SentMessage | None:
    """The bot message whose reply keyboard is shown now, if any.

    The last ``ReplyKeyboardMarkup`` wins; a ``ReplyKeyboardRemove`` hides it, and so does
    pressing a button of a ``one_time_keyboard``.
    """
    current: SentMessage | None = None
    for message in history:
        if message.from_bot:
            markup = _reply_markup_sent(message)
            if markup is None:
                continue
            if "keyboard" in markup:
                current = message
            elif markup.get("remove_keyboard"):
                current = None
        elif current is not None and _one_time_pressed(current, message):
            current = None
    return current


def _one_time_pressed(keyboard: SentMessage, message: SentMessage) -> bool:
    markup = _reply_markup_sent(keyboard) or {}
    if not markup.get("one_time_keyboard"):
        return False
    labels = {str(button.get("text")) for button in _buttons(markup.get("keyboard"))}
    return message.raw.get("text") in labels


def reply_keyboard_buttons(message: SentMessage) -> list[dict[str, Any]]:
    """Reply keyboard buttons of ``message`` in reading order (index = position)."""
    markup = _reply_markup_sent(message) or {}
    return list(_buttons(markup.get("keyboard")))


def _reply_keyboard_view(message: SentMessage) -> dict[str, Any]:
    markup = _reply_markup_sent(message) or {}
    rows: list[list[dict[str, Any]]] = []
    index = 0
    for row in markup.get("keyboard") or []:
        views = []
        for button in _buttons([row]):
            views.append(
                {
                    "index": index,
                    "text": str(button.get("text", "")),
                    "request_location": bool(button.get("request_location")),
                    "request_contact": bool(button.get("request_contact")),
                }
            )
            index += 1
        rows.append(views)
    placeholder = markup.get("input_field_placeholder")
    return {
        "message_id": message.message_id,
        "rows": rows,
        "placeholder": placeholder if isinstance(placeholder, str) else None,
    }


def chat_view(
    history: Sequence[SentMessage],
    files: Mapping[str, StoredFile],
    places: Sequence[Place] = (),
) -> dict[str, Any]:
    """The whole chat: live messages of both sides in order, plus the reply keyboard."""
    keyboard = active_reply_keyboard(history)
    return {
        "messages": [message_view(m, files, places) for m in history if not m.deleted],
        "reply_keyboard": _reply_keyboard_view(keyboard) if keyboard is not None else None,
    }


@dataclass
class ChatChange:
    """Messages of one chat added, edited or deleted since the tracker last looked."""

    added: list[int] = field(default_factory=list)
    added_from_bot: int = 0
    edited: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.edited or self.deleted)


class ChangeTracker:
    """Remembers each message's (deleted, edit count) per chat to report what changed."""

    def __init__(self) -> None:
        self._seen: dict[int, dict[int, tuple[bool, int]]] = {}

    def diff(self, chat_id: int, history: Iterable[SentMessage]) -> ChatChange:
        """Compare ``history`` with the last look at chat ``chat_id`` and remember it."""
        before = self._seen.setdefault(chat_id, {})
        change = ChatChange()
        for message in history:
            now = (message.deleted, message.edit_count)
            old = before.get(message.message_id)
            before[message.message_id] = now
            if old == now or (old is None and message.deleted):
                continue
            if old is None:
                change.added.append(message.message_id)
                change.added_from_bot += message.from_bot
            elif message.deleted:
                change.deleted.append(message.message_id)
            else:
                change.edited.append(message.message_id)
        return change
