/* Dabyl practice web chat: one phone-like chat per practice person, talking to the fake
 * Telegram Bot API through /api (see fakebotapi/webchat.py for the API and the selectors),
 * plus a read-only tab per channel the bot posts to (the network's alert channel).
 * Bot text is never parsed as HTML: every node is built with createElement / textContent. */
"use strict";

const app = {
  label: document.body.dataset.label || "PRACTICE",
  people: [],
  channels: [], // read-only: only the bot posts there
  places: [],
  texts: {}, // the page's own words, from /api/people
  timeZone: null, // IANA name from /api/people: times are shown in the bot's zone
  active: null, // chat id of the tab shown (a person's user id or a channel's id)
  chats: new Map(), // chat id -> last chat view from /api/chats
  unread: new Map(), // person id -> bot messages that arrived while the tab was hidden
  drafts: new Map(), // person id -> composer text
  pendingToasts: new Map(), // person id -> button answers to show when the tab opens
  fetches: new Map(), // person id -> sequence number of the latest chat request
  session: null, // the server's start-up id: a new one means a fresh practice world
  wasLive: false, // the event stream has been open at least once
  stopped: false, // the server went away after the page was live
};
const rendered = new WeakMap(); // message element -> JSON of the view it shows

const $ = (id) => document.getElementById(id);

/* ---------- small helpers ---------- */

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    // fetch() rejects with a TypeError only when the server cannot be reached.
    if (error instanceof TypeError && app.wasLive) setStopped(true);
    throw error;
  }
  let data = null;
  try {
    data = await response.json();
  } catch (_) {
    data = null;
  }
  if (!response.ok) throw new Error((data && data.error) || `HTTP ${response.status}`);
  return data;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (_) {
    return null;
  }
}

// 24-hour, in the bot's time zone when the server names one (the times in the bot's texts use
// it too), else the browser's.
// The page's own words, from /api/people (the server's PAGE_TEXTS, maybe translated), with
// {name} placeholders filled in; the key itself until they arrive.
function t(key, values = {}) {
  const text = typeof app.texts[key] === "string" ? app.texts[key] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function formatTime(unix) {
  if (typeof unix !== "number") return "";
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  if (app.timeZone) options.timeZone = app.timeZone;
  try {
    return new Date(unix * 1000).toLocaleTimeString([], options);
  } catch (_) {  // an unknown zone name: the browser's own
    delete options.timeZone;
    return new Date(unix * 1000).toLocaleTimeString([], options);
  }
}

function formatSize(bytes) {
  if (typeof bytes !== "number") return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// Every tab, in order: the people, then the channels. `label` is the tab's accessible name.
function tabList() {
  const people = app.people.map((p) => ({ id: p.id, kind: "person", name: p.first_name,
    caption: p.role, label: `${p.role}: ${p.name}` }));
  // A channel's tab: its caption, and a small "channel" line where a person's role would be.
  const channels = app.channels.map((c) => ({ id: c.id, kind: "channel", name: c.caption,
    caption: t("channel_tab"), label: `${c.caption}: ${c.title}` }));
  return people.concat(channels);
}

function tabInfo(id) {
  return tabList().find((tab) => tab.id === id);
}

function channel(id) {
  return app.channels.find((c) => c.id === id);
}

/* ---------- text with entities ---------- */

// Offsets and lengths are UTF-16 code units, like JavaScript strings: slice() fits exactly.
function entityElement(entity, text) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": return el("pre", { class: "pre" });
    case "spoiler": return spoiler();
    case "blockquote":
    case "expandable_blockquote": return el("blockquote");
    case "text_link": return link(entity.url);
    // "example.org/x" has no scheme: make it scheme-relative (the page's http).
    case "url": return link(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `//${text}`);
    case "bot_command": return el("span", { class: "command" });
    default: return el("span", { class: `entity-${String(entity.type).replace(/\W/g, "")}` });
  }
}

// Links lead out of practice onto the real internet: marked (↗ in CSS) and titled as such.
function link(url) {
  const href = safeUrl(url);
  if (!href) return el("span", { class: "bad-link", title: "link not opened in practice" });
  return el("a", { class: "external", href, target: "_blank", rel: "noopener noreferrer",
    title: t("external_link") });
}

function spoiler() {
  const node = el("span", { class: "spoiler", tabindex: "0", role: "button",
    "aria-label": t("spoiler") });
  const reveal = () => {
    node.classList.add("revealed");
    node.removeAttribute("role");
    node.removeAttribute("aria-label");
  };
  node.addEventListener("click", reveal);
  node.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") reveal(); });
  return node;
}

// Nested entities become nested elements; an entity overlapping its parent's end is clipped.
function renderRange(text, start, end, entities) {
  const fragment = document.createDocumentFragment();
  let position = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const from = Math.max(entity.offset, position);
    const to = Math.min(entity.offset + entity.length, end);
    const inner = [];
    let j = i + 1;
    while (j < entities.length && entities[j].offset < to) inner.push(entities[j++]);
    i = j;
    if (to <= from) continue;
    if (from > position) fragment.append(text.slice(position, from));
    const node = entityElement(entity, text.slice(from, to));
    node.append(renderRange(text, from, to, inner));
    fragment.append(node);
    position = to;
  }
  if (position < end) fragment.append(text.slice(position, end));
  return fragment;
}

function renderText(text, entities) {
  const valid = (entities || []).filter((e) => Number.isInteger(e.offset) &&
    Number.isInteger(e.length) && e.length > 0 && e.offset >= 0 && e.offset < text.length);
  valid.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return renderRange(text, 0, text.length, valid);
}

/* ---------- messages ---------- */

function renderMedia(media) {
  if (!media) return null;
  if (media.type === "photo" && media.url) {
    return el("a", { href: media.url, target: "_blank", rel: "noopener", class: "photo-link" },
      el("img", { class: "photo", src: media.url, alt: t("photo"), onload: keepAtBottom }));
  }
  if (media.type === "location") {
    const where = media.place || t("location");
    return el("div", { class: "location" }, el("span", { class: "pin", "aria-hidden": "true" }),
      el("span", { class: "place" }, where),
      el("small", {}, `${Number(media.latitude).toFixed(5)}, ${Number(media.longitude).toFixed(5)}`));
  }
  if (media.type === "contact") {
    return el("div", { class: "contact" }, `Contact: ${media.first_name || ""} ${media.phone_number || ""}`);
  }
  if (media.url) {
    const name = media.file_name || media.type;
    return el("a", { class: "document", href: media.url, download: name },
      el("span", { class: "file-name" }, name), el("span", { class: "file-size" }, formatSize(media.size)));
  }
  return el("div", { class: "unsupported" }, `[${media.type}]`);
}

function renderInlineKeyboard(message, readOnly) {
  if (!message.buttons || message.buttons.length === 0) return null;
  const keyboard = el("div", { class: "inline-keyboard" });
  for (const row of message.buttons) {
    const line = el("div", { class: "keyboard-row" });
    for (const button of row) line.append(inlineButton(message, button, readOnly));
    keyboard.append(line);
  }
  return keyboard;
}

// In a channel, members of the channel would press a callback button, not the bot's people:
// practice shows it, disabled.
function inlineButton(message, button, readOnly) {
  const dataset = { index: String(button.index) };
  if (button.kind === "url") {
    const href = safeUrl(button.url);
    if (href) {
      return el("a", { class: "inline-button external", href, target: "_blank",
        rel: "noopener noreferrer", title: t("external_link"), dataset }, button.text);
    }
  }
  const enabled = button.kind === "callback" && !readOnly;
  return el("button", { type: "button", class: "inline-button", dataset, disabled: !enabled,
    onclick: () => press(message.message_id, button.index) }, button.text);
}

// `post` is the channel a message was posted in (null in a person's chat): every post sits on
// the left, signed with the channel's title, as in Telegram.
function renderMessage(message, post) {
  const mine = !message.from_bot && !post;
  const kind = post ? `post${message.from_bot ? " bot" : ""}` : mine ? "me" : "bot";
  const node = el("article", { class: `msg ${kind}`,
    dataset: { messageId: String(message.message_id) },
    "aria-label": mine ? t("you") : post && !message.from_bot ? post.title : t("bot") });
  const bubble = el("div", { class: "bubble" }, el("span", { class: "practice-mark" }, app.label));
  if (post) bubble.append(el("div", { class: "author" }, post.title));
  if (message.reply_to) bubble.append(el("div", { class: "reply-to" }, message.reply_to.text || "…"));
  bubble.append(renderMedia(message.media) || "");
  if (message.text) {
    const text = el("div", { class: "text" });
    text.append(renderText(message.text, message.entities));
    bubble.append(text);
  }
  const meta = el("div", { class: "meta" });
  if (message.edited) meta.append(el("span", { class: "edited" }, t("edited")));
  meta.append(el("time", { class: "time", datetime: new Date(message.date * 1000).toISOString() },
    formatTime(message.date)));
  bubble.append(meta);
  node.append(bubble);
  const keyboard = renderInlineKeyboard(message, Boolean(post));
  if (keyboard) {
    node.classList.add("with-keyboard"); // as wide as the chat, like Telegram's
    node.append(keyboard);
  }
  return node;
}

// Follow new messages while the list is scrolled to the bottom (also when a photo loads late).
let stickToBottom = true;

function keepAtBottom() {
  const list = $("chat");
  if (stickToBottom) list.scrollTop = list.scrollHeight;
}

function trackScroll() {
  const list = $("chat");
  stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
}

// Patch the list in place: unchanged messages keep their element (and revealed spoilers).
function renderChat(view) {
  const list = $("chat");
  const post = channel(app.active) || null;
  const existing = new Map([...list.children].map((n) => [n.dataset.messageId, n]));
  let previous = null;
  for (const message of view.messages) {
    const key = JSON.stringify(message);
    let node = existing.get(String(message.message_id));
    existing.delete(String(message.message_id));
    if (!node || rendered.get(node) !== key) {
      const fresh = renderMessage(message, post);
      rendered.set(fresh, key);
      if (node) node.replaceWith(fresh);
      node = fresh;
    }
    const wanted = previous ? previous.nextSibling : list.firstChild;
    if (node !== wanted) list.insertBefore(node, wanted);
    previous = node;
  }
  for (const stale of existing.values()) stale.remove();
  if (view.messages.length === 0) {
    list.replaceChildren(el("p", { class: "empty" }, t(post ? "channel_empty" : "empty")));
  }
  renderReplyKeyboard(view.reply_keyboard);
  keepAtBottom();
}

function renderReplyKeyboard(keyboard) {
  const box = $("reply-keyboard");
  box.replaceChildren();
  box.hidden = !keyboard;
  $("composer").placeholder = (keyboard && keyboard.placeholder) || t("message");
  if (!keyboard) return;
  for (const row of keyboard.rows) {
    const line = el("div", { class: "keyboard-row" });
    for (const button of row) {
      line.append(el("button", { type: "button", class: "reply-button",
        dataset: { index: String(button.index) },
        onclick: () => pressReply(keyboard.message_id, button) }, button.text));
    }
    box.append(line);
  }
}

/* ---------- chats ---------- */

async function loadChat(id) {
  const sequence = (app.fetches.get(id) || 0) + 1;
  app.fetches.set(id, sequence);
  const view = await api(`/api/chats/${id}`);
  if (app.fetches.get(id) !== sequence) return; // a newer request is on its way
  app.chats.set(id, view);
  if (id === app.active) renderChat(view);
}

function refresh(id) {
  loadChat(id).catch((error) => {
    if (!app.stopped) toast(t("load_failed", { error: error.message }));
  });
}

/* ---------- tabs ---------- */

// Every tab stays on screen: compact pills (first name, role below; a channel's caption,
// "channel" below) in balanced rows of at most four, so every badge is always visible.
function renderTabs() {
  const tabs = $("tabs");
  tabs.replaceChildren();
  const all = tabList();
  const rows = Math.ceil(all.length / 4);
  tabs.style.setProperty("--columns", String(Math.max(1, Math.ceil(all.length / rows))));
  for (const tab of all) {
    tabs.append(el("button", { type: "button", role: "tab", id: `tab-${tab.id}`,
      class: tab.kind === "channel" ? "channel-tab" : null,
      dataset: { person: String(tab.id), kind: tab.kind }, "aria-controls": "panel",
      title: tab.label, onclick: () => selectTab(tab.id), onkeydown: tabKeys },
    el("span", { class: "name" }, tab.name),
    el("span", { class: "role" }, tab.caption),
    el("span", { class: "badge", hidden: true })));
  }
}

function updateTab(id) {
  const tab = document.querySelector(`[role="tab"][data-person="${id}"]`);
  const info = tabInfo(id);
  if (!tab || !info) return;
  const count = app.unread.get(id) || 0;
  const selected = id === app.active;
  tab.setAttribute("aria-selected", String(selected));
  tab.tabIndex = selected ? 0 : -1;
  tab.setAttribute("aria-label", `${info.label}${count ? `, ${t("unread", { count })}` : ""}`);
  const badge = tab.querySelector(".badge");
  badge.hidden = count === 0;
  badge.textContent = count ? String(count) : "";
}

function selectTab(id) {
  if (app.active !== null && !channel(app.active)) app.drafts.set(app.active, $("composer").value);
  app.active = id;
  app.unread.set(id, 0);
  for (const tab of tabList()) updateTab(tab.id);
  $("panel").setAttribute("aria-labelledby", `tab-${id}`);
  // A channel is read-only: its note replaces the composer and the reply keyboard (CSS).
  const readOnly = Boolean(channel(id));
  document.body.toggleAttribute("data-read-only", readOnly);
  $("read-only").hidden = !readOnly;
  $("composer").value = app.drafts.get(id) || "";
  autoGrow();
  closeMenus();
  $("toasts").replaceChildren();
  $("chat").replaceChildren();
  stickToBottom = true;
  const cached = app.chats.get(id);
  if (cached) renderChat(cached);
  refresh(id);
  for (const answer of app.pendingToasts.get(id) || []) toast(answer.text, answer.show_alert);
  app.pendingToasts.delete(id);
}

function tabKeys(event) {
  const ids = tabList().map((tab) => tab.id);
  const here = ids.indexOf(app.active);
  const moves = { ArrowRight: here + 1, ArrowLeft: here - 1, Home: 0, End: ids.length - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  const next = ids[(moves[event.key] + ids.length) % ids.length];
  selectTab(next);
  document.querySelector(`[role="tab"][data-person="${next}"]`).focus();
}

/* ---------- toasts ---------- */

function toast(text, alert = false) {
  const box = el("div", { class: alert ? "toast alert" : "toast", role: alert ? "alert" : "status" },
    el("span", { class: "toast-text" }, text));
  if (alert) {
    box.append(el("button", { type: "button", class: "toast-close", onclick: () => box.remove() }, "OK"));
  } else {
    setTimeout(() => box.remove(), 4000);
  }
  $("toasts").append(box);
}

/* ---------- sending ---------- */

async function act(path, body) {
  const id = app.active;
  if (channel(id)) return false; // read-only (the server would refuse it too)
  stickToBottom = true; // show what was just sent
  try {
    await api(`/api/chats/${id}/${path}`, body);
    await loadChat(id);
    return true;
  } catch (error) {
    if (!app.stopped) toast(t("send_failed", { error: error.message })); // else the notice says it
    return false;
  }
}

async function sendText() {
  const composer = $("composer");
  const text = composer.value.trim();
  if (!text) return;
  composer.value = "";
  autoGrow();
  if (!(await act("text", { text }))) composer.value = text;
}

function press(messageId, index) {
  act("press", { message_id: messageId, button: index });
}

function pressReply(messageId, button) {
  if (button.request_location) openPlaces();
  else if (button.request_contact) toast(t("no_contact"));
  else act("press", { message_id: messageId, button: button.index });
}

async function sendPhoto() {
  closeMenus();
  const composer = $("composer");
  const caption = composer.value.trim();
  composer.value = "";
  autoGrow();
  if (!(await act("photo", caption ? { caption } : {}))) composer.value = caption;
}

function autoGrow() {
  const composer = $("composer");
  composer.style.height = "auto";
  composer.style.height = `${Math.min(composer.scrollHeight, 140)}px`;
}

/* ---------- attach menu and place picker ---------- */

function closeMenus() {
  $("attach-menu").hidden = true;
  $("attach").setAttribute("aria-expanded", "false");
  $("places").hidden = true;
}

// The photo is sent with the composer's text as its caption: say so in the menu.
function describePhotoItem() {
  const item = $("attach-menu").querySelector('[data-action="photo"]');
  const caption = $("composer").value.trim();
  item.replaceChildren(t("photo"));
  if (caption) item.append(el("small", { class: "caption-hint" }, t("photo_caption", { caption })));
}

function toggleAttachMenu() {
  const menu = $("attach-menu");
  const open = menu.hidden;
  closeMenus();
  if (open) describePhotoItem();
  menu.hidden = !open;
  $("attach").setAttribute("aria-expanded", String(open));
  if (open) menu.querySelector("button").focus();
}

function openPlaces() {
  closeMenus();
  const list = $("places-list");
  list.replaceChildren();
  if (app.places.length === 0) list.append(el("p", {}, t("no_places")));
  for (const place of app.places) {
    list.append(el("button", { type: "button", class: "place-button",
      dataset: { place: String(place.index) },
      onclick: () => { closeMenus(); act("location", { place: place.index }); } }, place.name));
  }
  $("places").hidden = false;
  const first = list.querySelector("button") || $("places-cancel");
  first.focus();
}

/* ---------- live events ---------- */

function onEvent(event) {
  if (event.type === "resync") {
    tabList().forEach((tab) => refresh(tab.id));
  } else if (event.type === "chat") {
    if (event.person !== app.active && event.added_from_bot > 0) {
      app.unread.set(event.person, (app.unread.get(event.person) || 0) + event.added_from_bot);
      updateTab(event.person);
    }
    if (event.person === app.active || app.chats.has(event.person)) refresh(event.person);
  } else if (event.type === "answer") {
    if (event.person === app.active) toast(event.text, event.show_alert);
    else {
      const queue = app.pendingToasts.get(event.person) || [];
      queue.push(event);
      app.pendingToasts.set(event.person, queue);
    }
  }
}

function setStatus(state, text) {
  const status = $("status");
  status.dataset.state = state;
  status.textContent = text;
}

// Once live, losing the server means practice stopped (Ctrl-C, or /panic ended it): say so
// and keep reconnecting; a practice started again is a fresh world, loaded from scratch.
function setStopped(stopped) {
  if (app.stopped === stopped) return;
  app.stopped = stopped;
  $("stopped").hidden = !stopped;
  document.body.toggleAttribute("data-stopped", stopped);
  for (const id of ["composer", "send", "attach"]) $(id).disabled = stopped;
  if (stopped) {
    closeMenus();
    setStatus("closed", t("reconnecting"));
  }
}

// The stream failed: is the server still there? (api() marks practice stopped if not.)
function probe() {
  api("/api/people").catch(() => {});
}

async function reload() {
  let info;
  try {
    info = await api("/api/people");
  } catch (_) {
    return; // still away: the next stream error probes again
  }
  const fresh = info.session !== app.session;
  applyInfo(info);
  setStopped(false);
  if (!fresh) {
    // The same world: catch up on anything missed while the stream was down.
    for (const id of new Set([app.active, ...app.chats.keys()])) if (tabInfo(id)) refresh(id);
    return;
  }
  app.chats.clear();
  app.unread.clear();
  app.pendingToasts.clear();
  renderTabs();
  const tabs = tabList();
  if (tabs.length > 0) selectTab(tabInfo(app.active) ? app.active : tabs[0].id);
  else $("chat").replaceChildren();
}

function connectEvents() {
  const source = new EventSource("/events");
  source.onopen = () => {
    setStatus("open", t("live"));
    if (app.wasLive) reload();
    else if (app.active !== null) refresh(app.active); // catch up on anything missed
    app.wasLive = true;
  };
  source.onmessage = (message) => {
    try {
      onEvent(JSON.parse(message.data));
    } catch (error) {
      console.error("bad event", error);
    }
  };
  source.onerror = () => {
    setStatus("closed", t("reconnecting"));
    if (app.wasLive && !app.stopped) probe();
    if (source.readyState === EventSource.CLOSED) setTimeout(connectEvents, 2000);
  };
}

/* ---------- start ---------- */

function bindComposer() {
  const composer = $("composer");
  $("compose").addEventListener("submit", (event) => {
    event.preventDefault();
    sendText();
  });
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendText();
    }
  });
  composer.addEventListener("input", autoGrow);
  $("chat").addEventListener("scroll", trackScroll, { passive: true });
  $("attach").addEventListener("click", toggleAttachMenu);
  $("attach-menu").addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "location") openPlaces();
    else sendPhoto();
  });
  $("places-cancel").addEventListener("click", closeMenus);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeMenus(); });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".attach-wrap") && !$("attach-menu").hidden) closeMenus();
  });
  $("chat").addEventListener("click", (event) => {
    // A /command in a bot message sends it, as in Telegram.
    const command = event.target.closest(".msg.bot .command");
    if (command && !channel(app.active)) act("text", { text: command.textContent });
  });
}

function applyInfo(info) {
  app.session = info.session;
  app.label = info.label;
  app.people = info.people;
  app.channels = Array.isArray(info.channels) ? info.channels : [];
  app.places = info.places;
  if (info.texts && typeof info.texts === "object") app.texts = info.texts;
  app.timeZone = typeof info.time_zone === "string" ? info.time_zone : null;
}

async function init() {
  bindComposer();
  try {
    applyInfo(await api("/api/people"));
  } catch (error) {
    toast(`Could not load the practice people: ${error.message}`, true);
    return;
  }
  renderTabs();
  const tabs = tabList();
  if (tabs.length > 0) selectTab(tabs[0].id);
  connectEvents();
}

init();
