"""The /guide texts: Markdown files a network edits, sent as Telegram HTML messages.

Guides live in ``guides/<language>/<name>.md``. Networks edit them without knowing Telegram's
rules, so :func:`render_guide` accepts a small Markdown subset and turns everything else into
escaped text: whatever is in the file, every chunk is valid ``parse_mode=HTML``.

Supported: headings (``#``, ``##`` ...; shown bold), paragraphs, bullet and numbered lists (also
nested), ``**bold**``, ``*italic*``, ```code```, ``[links](https://...)``, backslash escapes and
HTML entities. Everything else (raw HTML, quotes, tables, rules, fenced code) stays as typed.

Parsing is markdown-it-py's CommonMark parser with only those rules switched on; this module only
renders its syntax tree, within Telegram's nesting rules: ``code`` contains nothing and sits in
nothing (inside bold, italic or a link it is shown as plain text), and links do not nest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

__all__ = [
    "FALLBACK_LANGUAGE",
    "GUIDES",
    "GUIDES_DIR",
    "MAX_CHUNK",
    "guide_path",
    "render_guide",
]

GUIDES = ("detained", "friend_detained")
GUIDES_DIR = Path(__file__).resolve().parent / "guides"  # shipped as package data
FALLBACK_LANGUAGE = "en"

# Telegram takes up to 4096 characters of text (UTF-16 code units) after parsing the HTML. A
# chunk's HTML is never shorter than its text, so measuring the HTML is safe; the margin leaves
# room for a caller's prefix such as "(2/3)".
MAX_CHUNK = 4000
_MIN_LIMIT = 256

_MARKDOWN = MarkdownIt("zero").enable(
    ["heading", "list", "emphasis", "backticks", "link", "escape", "newline", "entity"]
)

# Link targets Telegram accepts in <a href>; others are shown as text after the link's words.
_LINK_SCHEMES = ("http://", "https://", "tg://")

_LANGUAGE = re.compile(r"[a-z]{2,3}")

# Markdown emphasis → Telegram tag.
_EMPHASIS_TAGS = {"strong": "b", "em": "i"}

# List markers by nesting depth (the deepest repeats); numbered lists use "1." at every depth.
_BULLETS = ("•", "◦", "▪")
_INDENT = "   "

# Separators between the units a guide is cut into: chunks end only at these.
_PARAGRAPH_BREAK = "\n\n"
_LINE_BREAK = "\n"


def guide_path(name: str, language: str, *, root: Path = GUIDES_DIR) -> Path:
    """Where a guide's Markdown is, in the reader's language if it has been written.

    Args:
        name: one of :data:`GUIDES`.
        language: the reader's language, an IETF tag such as ``ru`` or ``en-GB``.
        root: the guides folder (``guides/`` of the repository unless a test says otherwise).

    Returns:
        ``root/<language>/<name>.md`` if that file exists, else ``root/en/<name>.md``.

    Raises:
        ValueError: ``name`` is not a known guide (nothing typed becomes a path).
    """
    if name not in GUIDES:
        raise ValueError(f"unknown guide {name!r}")
    primary = language.split("-")[0].strip().lower()
    if _LANGUAGE.fullmatch(primary):
        path = root / primary / f"{name}.md"
        if path.is_file():
            return path
    return root / FALLBACK_LANGUAGE / f"{name}.md"


def render_guide(markdown: str, *, limit: int = MAX_CHUNK) -> list[str]:
    """Render a guide as Telegram HTML messages.

    Args:
        markdown: the guide's text.
        limit: the most UTF-16 code units one chunk's HTML may have (at least 256).

    Returns:
        Chunks to send in order with ``parse_mode=HTML``, each well-formed on its own. Chunks end
        between paragraphs, headings or list items; one that alone exceeds ``limit`` is cut
        between words, its open tags closed at the cut and opened again in the next chunk.
        An empty guide gives an empty list.

    Raises:
        ValueError: ``limit`` is below 256.
    """
    if limit < _MIN_LIMIT:
        raise ValueError(f"limit must be at least {_MIN_LIMIT}")
    tree = SyntaxTreeNode(_MARKDOWN.parse(markdown))
    units = [unit for node in tree.children for unit in _block_units(node, limit)]
    return _pack(units, limit)


# --- Markdown tree → HTML units ---------------------------------------------------------------


def _size(html: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(html.encode("utf-16-le")) // 2


def _inline(node: SyntaxTreeNode, active: frozenset[str], limit: int) -> str:
    """Render inline nodes; ``active`` holds the Telegram tags already open around them."""
    match node.type:
        case "text" | "text_special":
            return escape(node.content, quote=False)
        case "softbreak":
            return " "  # Markdown joins wrapped lines; Telegram would show the break
        case "hardbreak":
            return "\n"
        case "code_inline":
            text = escape(node.content, quote=False)
            return f"<code>{text}</code>" if not active and text.strip() else text
        case "strong" | "em":
            tag = _EMPHASIS_TAGS[node.type]
            inner = _inlines(node.children, active | {tag}, limit)
            if tag in active or not inner.strip():
                return inner
            return f"<{tag}>{inner}</{tag}>"
        case "link":
            return _link(node, active, limit)
        case _:
            return _inlines(node.children, active, limit) or escape(node.content, quote=False)


def _inlines(nodes: list[SyntaxTreeNode], active: frozenset[str], limit: int) -> str:
    """Render a run of inline nodes."""
    return "".join(_inline(node, active, limit) for node in nodes)


def _link(node: SyntaxTreeNode, active: frozenset[str], limit: int) -> str:
    """A link Telegram can open becomes <a>; any other shows its target after its words."""
    href = str(node.attrs.get("href", ""))
    inner = _inlines(node.children, active | {"a"}, limit)
    shown_href = escape(href, quote=False)
    opening = f'<a href="{escape(href, quote=True)}">'
    # A very long target could not be kept whole in a chunk with its words, so it is shown.
    linkable = href.lower().startswith(_LINK_SCHEMES) and _size(opening) <= limit // 4
    if linkable and "a" not in active and inner.strip():
        return f"{opening}{inner}</a>"
    if not inner.strip():
        return shown_href
    return f"{inner} ({shown_href})" if href else inner


def _list_items(node: SyntaxTreeNode, depth: int, limit: int) -> list[str]:
    """One HTML string per item of a bullet or numbered list, nested lists inside their item."""
    indent = _INDENT * depth
    if node.type == "ordered_list":
        start = int(str(node.attrs.get("start", 1)))
        markers = [f"{start + index}." for index in range(len(node.children))]
    else:
        markers = [_BULLETS[min(depth, len(_BULLETS) - 1)]] * len(node.children)
    items = []
    for marker, item in zip(markers, node.children, strict=True):
        lines: list[str] = []
        for child in item.children:
            if child.type in _LISTS:
                lines.extend(_list_items(child, depth + 1, limit))
            else:
                text = _LINE_BREAK.join(html for _, html in _block_units(child, limit))
                lines.append(text if not lines else f"{indent}{_INDENT}{text}")
        if item.children and item.children[0].type not in _LISTS:
            lines[0] = f"{indent}{marker} {lines[0]}"
        else:
            lines.insert(0, f"{indent}{marker}")  # an empty item, or one opening with a list
        items.append(_LINE_BREAK.join(lines))
    return items


def _heading(node: SyntaxTreeNode, limit: int) -> list[tuple[str, str]]:
    """A heading, bold (Telegram has no headings)."""
    inner = _inlines(node.children[0].children if node.children else [], frozenset({"b"}), limit)
    return [(_PARAGRAPH_BREAK, f"<b>{inner}</b>")] if inner.strip() else []


def _paragraph(node: SyntaxTreeNode, limit: int) -> list[tuple[str, str]]:
    """A paragraph of inline text."""
    inner = _inlines(node.children[0].children if node.children else [], frozenset(), limit)
    return [(_PARAGRAPH_BREAK, inner)] if inner.strip() else []


def _list(node: SyntaxTreeNode, limit: int) -> list[tuple[str, str]]:
    """A list: each item its own unit, so a long list may be cut between items."""
    items = _list_items(node, 0, limit)
    return [
        (_PARAGRAPH_BREAK if index == 0 else _LINE_BREAK, item)
        for index, item in enumerate(items)
        if item.strip()
    ]


_LISTS = ("bullet_list", "ordered_list")

# Block node type → its renderer, giving (separator before it, HTML) units.
_BLOCKS: dict[str, Callable[[SyntaxTreeNode, int], list[tuple[str, str]]]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _list,
    "ordered_list": _list,
}


def _block_units(node: SyntaxTreeNode, limit: int) -> list[tuple[str, str]]:
    """Render one block node; a kind not in the table shows its text, escaped."""
    render = _BLOCKS.get(node.type)
    if render is not None:
        return render(node, limit)
    text = escape(node.content, quote=False)
    return [(_PARAGRAPH_BREAK, text)] if text.strip() else []


# --- HTML units → chunks -----------------------------------------------------------------------


def _pack(units: list[tuple[str, str]], limit: int) -> list[str]:
    """Put as many whole units in each chunk as fit; cut a unit only when it alone is too long."""
    chunks: list[str] = []
    current = ""
    for separator, html in units:
        joined = f"{current}{separator}{html}" if current else html
        if _size(joined) <= limit:
            current = joined
            continue
        if current:
            chunks.append(current)
        pieces = [html] if _size(html) <= limit else _cut(html, limit)
        chunks.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        chunks.append(current)
    return chunks


# Our own HTML, in pieces that must stay whole: tags, entities, runs of spaces, words.
_ATOM = re.compile(r"<[^>]*>|&#?\w+;|\s+|[^\s<&]+")
_TAG_NAME = re.compile(r"</?(\w+)")


def _cut(html: str, limit: int) -> list[str]:
    """Cut one unit's HTML between words into chunks of at most ``limit``.

    Tags open at a cut are closed before it and opened again after it; spaces at a cut are
    dropped; a word longer than a chunk is cut between characters.
    """
    chunks: list[str] = []
    stack: list[tuple[str, str]] = []  # (tag name, opening tag) of the tags open here
    current: list[str] = []
    has_text = False

    def closing() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(stack))

    def room() -> int:
        return limit - _size("".join(current)) - _size(closing())

    def flush() -> None:
        nonlocal has_text
        while current and current[-1].isspace():
            current.pop()  # the break falls on these spaces
        chunks.append("".join(current) + closing())
        current[:] = [opening for _, opening in stack]
        has_text = False

    for atom in _ATOM.findall(html):
        if atom.startswith("</"):
            stack.pop()
            current.append(atom)
        elif atom.startswith("<"):
            name = _TAG_NAME.match(atom)
            assert name is not None  # our renderer only writes <name ...>
            if _size(atom) + len(name[1]) + 3 > room() and has_text:
                flush()
            current.append(atom)
            stack.append((name[1], atom))
        elif atom.isspace():
            if has_text and _size(atom) <= room():
                current.append(atom)
            elif has_text:
                flush()
        else:
            while atom:
                if _size(atom) > room() and has_text:
                    flush()
                fitting = atom if _size(atom) <= room() else _prefix(atom, max(room(), 1))
                current.append(fitting)
                has_text = True
                atom = atom[len(fitting) :]
    if has_text:
        chunks.append("".join(current) + closing())
    return chunks


def _prefix(text: str, room: int) -> str:
    """The longest start of ``text`` within ``room`` UTF-16 units (at least one character)."""
    size = 0
    for index, char in enumerate(text):
        size += _size(char)
        if size > room:
            return text[: max(index, 1)]
    return text
