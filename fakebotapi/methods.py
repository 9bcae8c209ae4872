"""Implementations of the Bot API methods the fake server understands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .formatting import check_reply_markup, render_text
from .schema import UploadedFile
from .shapes import (
    MEDIA,
    NOT_MODIFIED,
    chat_full_info,
    commands_key,
    copied_content,
    forward_origin,
    media_object,
)
from .state import ApiError, BotState, CallbackAnswer, ChatRecord, SentMessage, StoredFile, unix_now

__all__ = ["MethodHandlers"]

Handler = Callable[[dict[str, Any]], Awaitable[Any]]


class MethodHandlers:
    """Dispatches canonical method names to implementations working on :class:`BotState`."""

    def __init__(self, state: BotState, me: dict[str, Any]) -> None:
        self.state = state
        self.me = me
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.unimplemented: list[tuple[str, dict[str, Any]]] = []
        self.allowed_updates: list[str] = []
        self.webhook_url = ""
        self._poll_generation = 0
        self.table: dict[str, Handler] = {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "deleteWebhook": self.delete_webhook,
            "setWebhook": self.set_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.send_message,
            "sendLocation": self.send_location,
            "sendChatAction": self.send_chat_action,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "getChat": self.get_chat,
            "getFile": self.get_file,
            "copyMessage": self.copy_message,
            "forwardMessage": self.forward_message,
            "sendMediaGroup": self.send_media_group,
            "getChatMember": self.get_chat_member,
        }
        for method in MEDIA:
            self.table[method] = self._media_sender(method)

    async def call(self, method: str, params: dict[str, Any], returns: list[str]) -> Any:
        """Run ``method``; unimplemented methods get a plausible default and are recorded."""
        handler = self.table.get(method)
        if handler is not None:
            return await handler(params)
        self.unimplemented.append((method, params))
        if "Message" in returns and "chat_id" in params:
            return (await self._send(method, params, {})).raw
        if not returns or returns[0] == "Boolean" or self.state.schema is None:
            return True
        return self.state.schema.example(returns[0])

    # -- bot & updates -------------------------------------------------------------------
    async def get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.me

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        state = self.state
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        await state.notify()  # an older long poll still waiting gets 409 below
        offset = int(params.get("offset") or 0)
        if offset > 0:
            state.updates = [u for u in state.updates if u["update_id"] >= offset]
        elif offset < 0:
            state.updates = state.updates[offset:]
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"])
        limit = min(max(int(params.get("limit") or 100), 1), 100)

        def ready() -> bool:
            return state.closing or generation != self._poll_generation or self._deliverable()

        await state.wait_for(ready, float(params.get("timeout") or 0))
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        batch = [u for u in state.updates if self._allowed(u)][:limit]
        state.delivered_update_ids.extend(u["update_id"] for u in batch)
        return batch

    def _allowed(self, update: dict[str, Any]) -> bool:
        return not self.allowed_updates or any(k in self.allowed_updates for k in update)

    def _deliverable(self) -> bool:
        return any(self._allowed(u) for u in self.state.updates)

    async def delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        return True

    async def set_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = str(params["url"])
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        return True

    async def get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }

    async def set_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands[commands_key(params)] = list(params["commands"])
        return True

    async def get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(commands_key(params), [])

    async def delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(commands_key(params), None)
        return True

    # -- sending -------------------------------------------------------------------------
    async def _send(
        self,
        method: str,
        params: dict[str, Any],
        content: dict[str, Any],
        file: StoredFile | None = None,
    ) -> SentMessage:
        record = self.state.resolve_chat(params["chat_id"])
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if "caption" in params:
            caption, entities = render_text(
                params["caption"], params.get("parse_mode"), caption=True
            )
            content["caption"] = caption
            if entities or params.get("caption_entities"):
                content["caption_entities"] = params.get("caption_entities") or entities
        reply = self._reply_to(record, params.get("reply_parameters"))
        if reply is not None:
            content["reply_to_message"] = {
                k: v for k, v in reply.raw.items() if k != "reply_to_message"
            }
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            content["reply_markup"] = markup
        message = self.state.add_message(
            record, content, from_bot=True, method=method, params=params, file=file, markup=markup
        )
        await self.state.notify()
        return message

    def _reply_to(self, record: ChatRecord, reply: dict[str, Any] | None) -> SentMessage | None:
        if not reply:
            return None
        target = self.state.resolve_chat(reply.get("chat_id", record.id))
        found = target.messages.get(int(reply["message_id"]))
        if (found is None or found.deleted) and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return found if found is not None and not found.deleted else None

    async def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text, entities = render_text(params["text"], params.get("parse_mode"))
        content: dict[str, Any] = {"text": text}
        if params.get("entities") or entities:
            content["entities"] = params.get("entities") or entities
        return (await self._send("sendMessage", params, content)).raw

    async def send_location(self, params: dict[str, Any]) -> dict[str, Any]:
        location = {"latitude": params["latitude"], "longitude": params["longitude"]}
        for key in ("horizontal_accuracy", "live_period", "heading", "proximity_alert_radius"):
            if key in params:
                location[key] = params[key]
        return (await self._send("sendLocation", params, {"location": location})).raw

    def _media_sender(self, method: str) -> Handler:
        kind, mime, extra = MEDIA[method]

        async def send(params: dict[str, Any]) -> dict[str, Any]:
            stored = self._resolve_file(params[kind], kind, mime)
            fields = {**extra, **{k: params[k] for k in extra if k in params}}
            if kind == "sticker":
                fields["emoji"] = params.get("emoji", "👍")
            content = {kind: media_object(kind, stored, fields)}
            return (await self._send(method, params, content, file=stored)).raw

        return send

    def _resolve_file(self, value: Any, kind: str, mime: str) -> StoredFile:
        if isinstance(value, UploadedFile):
            content_type = value.content_type or mime
            return self.state.store_file(value.content, value.filename, content_type, kind)
        value = str(value)
        if value in self.state.files:
            return self.state.files[value]
        if value.startswith(("http://", "https://")):
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return self.state.store_file(b"", name, mime, kind)
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    async def send_chat_action(self, params: dict[str, Any]) -> bool:
        self.state.resolve_chat(params["chat_id"]).actions.append(str(params["action"]))
        return True

    async def copy_message(self, params: dict[str, Any]) -> dict[str, Any]:
        source = self.state.resolve_chat(params["from_chat_id"]).get(int(params["message_id"]))
        content = copied_content(source)
        message = await self._send("copyMessage", params, content, file=source.file)
        return {"message_id": message.message_id}

    async def forward_message(self, params: dict[str, Any]) -> dict[str, Any]:
        source = self.state.resolve_chat(params["from_chat_id"]).get(int(params["message_id"]))
        content = {**copied_content(source), "forward_origin": forward_origin(source)}
        return (await self._send("forwardMessage", params, content, file=source.file)).raw

    async def send_media_group(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        group_id = f"album{unix_now()}{len(self.state.files)}"
        kinds = {kind: (mime, extra) for kind, mime, extra in MEDIA.values()}
        sent: list[dict[str, Any]] = []
        for item in params["media"]:
            kind = item["type"]
            mime, extra = kinds.get(kind, ("application/octet-stream", {}))
            stored = self._resolve_file(item["media"], kind, mime)
            item_params = {
                **{k: v for k, v in params.items() if k != "media"},
                **{k: item[k] for k in ("caption", "parse_mode", "caption_entities") if k in item},
            }
            content = {kind: media_object(kind, stored, extra), "media_group_id": group_id}
            message = await self._send("sendMediaGroup", item_params, content, file=stored)
            sent.append(message.raw)
        return sent

    # -- editing -------------------------------------------------------------------------
    def _editable(self, params: dict[str, Any]) -> SentMessage | None:
        if "inline_message_id" in params:
            return None
        if "chat_id" not in params or "message_id" not in params:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        record = self.state.resolve_chat(params["chat_id"])
        message = record.messages.get(int(params["message_id"]))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    async def _apply_edit(self, message: SentMessage, changes: dict[str, Any]) -> dict[str, Any]:
        markup = changes.pop("reply_markup", None)
        check_reply_markup(markup)
        new_raw = {k: v for k, v in message.raw.items() if k != "reply_markup"}
        new_raw.update({k: v for k, v in changes.items() if v is not None})
        for key in [k for k, v in changes.items() if v is None]:
            new_raw.pop(key, None)
        if markup:
            new_raw["reply_markup"] = markup
        if new_raw == message.raw:
            raise ApiError(400, NOT_MODIFIED)
        message.history.append(message.text)
        message.raw.clear()
        message.raw.update(new_raw, edit_date=unix_now())
        message.markup = markup
        await self.state.notify()
        return message.raw

    async def edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self._editable(params)
        if message is None:
            return True
        if "text" not in message.raw:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = render_text(params["text"], params.get("parse_mode"))
        changes = {"text": text, "entities": params.get("entities") or entities}
        changes["reply_markup"] = params.get("reply_markup")
        return await self._apply_edit(message, changes)

    async def edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self._editable(params)
        if message is None:
            return True
        caption, entities = render_text(
            params.get("caption") or "", params.get("parse_mode"), caption=True
        )
        changes = {
            "caption": caption or None,
            "caption_entities": params.get("caption_entities") or entities,
            "reply_markup": params.get("reply_markup"),
        }
        return await self._apply_edit(message, changes)

    async def edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self._editable(params)
        if message is None:
            return True
        return await self._apply_edit(message, {"reply_markup": params.get("reply_markup")})

    async def delete_message(self, params: dict[str, Any]) -> bool:
        record = self.state.resolve_chat(params["chat_id"])
        message = record.messages.get(int(params["message_id"]))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if not message.from_bot and record.chat["type"] != "private":
            raise ApiError(400, "Bad Request: message can't be deleted")
        message.deleted = True
        await self.state.notify()
        return True

    async def answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self.state.callbacks or query_id in self.state.callback_answers:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.state.callback_answers[query_id] = CallbackAnswer(
            callback_query_id=query_id,
            text=params.get("text"),
            show_alert=bool(params.get("show_alert", False)),
            url=params.get("url"),
        )
        await self.state.notify()
        return True

    # -- chats & files -------------------------------------------------------------------
    async def get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        return chat_full_info(self.state.resolve_chat(params["chat_id"]))

    async def get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        record = self.state.resolve_chat(params["chat_id"])
        user_id = int(params["user_id"])
        user = self.me if user_id == self.me["id"] else self.state.users.get(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        fields = dict(record.members.get(user_id) or {})
        status = str(fields.pop("status", "member"))
        schema = self.state.schema
        subtype = schema.subtype_tagged("ChatMember", "status", status) if schema else None
        base = schema.example(subtype) if schema and subtype else {}
        return {**base, **fields, "status": status, "user": user}

    async def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.state.files.get(str(params["file_id"]))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }
