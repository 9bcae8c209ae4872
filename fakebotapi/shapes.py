"""Pure builders for Telegram objects returned by the fake server."""

from __future__ import annotations

import copy
from typing import Any

from .state import ChatRecord, SentMessage, StoredFile

__all__ = [
    "MEDIA",
    "NOT_MODIFIED",
    "chat_full_info",
    "commands_key",
    "copied_content",
    "forward_origin",
    "media_object",
]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
# Media send methods: method -> (parameter / Message key, default MIME type, extra fields).
MEDIA: dict[str, tuple[str, str, dict[str, Any]]] = {
    "sendDocument": ("document", "application/octet-stream", {}),
    "sendPhoto": ("photo", "image/jpeg", {"width": 800, "height": 600}),
    "sendAudio": ("audio", "audio/mpeg", {"duration": 1}),
    "sendVideo": ("video", "video/mp4", {"width": 640, "height": 360, "duration": 1}),
    "sendAnimation": ("animation", "video/mp4", {"width": 320, "height": 240, "duration": 1}),
    "sendVoice": ("voice", "audio/ogg", {"duration": 1}),
    "sendVideoNote": ("video_note", "video/mp4", {"length": 240, "duration": 1}),
    "sendSticker": (
        "sticker",
        "image/webp",
        {"type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False},
    ),
}
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}
_NOT_COPIED = frozenset(
    {"message_id", "from", "sender_chat", "date", "chat", "reply_markup", "edit_date"}
)


def media_object(kind: str, stored: StoredFile, extra: dict[str, Any]) -> Any:
    """Build the ``Message`` field for a media file (``photo`` is a list of sizes)."""
    base: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        **extra,
    }
    if kind == "photo":
        return [base]
    if kind in ("document", "audio", "animation", "video"):
        base.update(file_name=stored.file_name, mime_type=stored.mime_type)
    if kind == "voice":
        base["mime_type"] = stored.mime_type
    return base


def commands_key(params: dict[str, Any]) -> tuple[str, str]:
    """Key of ``server.commands``: ``(scope type[:chat_id[:user_id]], language_code)``."""
    scope = params.get("scope") or {"type": "default"}
    parts = [str(scope.get("type", "default"))]
    parts += [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
    return ":".join(parts), str(params.get("language_code") or "")


def copied_content(source: SentMessage) -> dict[str, Any]:
    """The content fields of ``source`` (text, media, entities...) for copies and forwards."""
    return {k: copy.deepcopy(v) for k, v in source.raw.items() if k not in _NOT_COPIED}


def forward_origin(source: SentMessage) -> dict[str, Any]:
    """``MessageOrigin`` of a forwarded ``source``."""
    raw = source.raw
    if "from" in raw:
        return {"type": "user", "date": raw["date"], "sender_user": raw["from"]}
    if raw["chat"]["type"] == "channel":
        return {
            "type": "channel",
            "date": raw["date"],
            "chat": raw["chat"],
            "message_id": raw["message_id"],
        }
    return {"type": "chat", "date": raw["date"], "sender_chat": raw["sender_chat"]}


def chat_full_info(record: ChatRecord) -> dict[str, Any]:
    """``ChatFullInfo`` for ``getChat``."""
    return {
        **record.chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict(_NO_GIFTS),
        **record.extra_info,
    }
