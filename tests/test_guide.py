"""The /guide texts: where they are found, and their Telegram HTML always valid and short enough."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.guide import GUIDES, GUIDES_DIR, guide_path, render_guide

TELEGRAM_LIMIT = 4096
LANGUAGES = ("en", "ru", "kk")

# Every & in Telegram HTML must start one of these.
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class _TelegramHTML(HTMLParser):
    """Records every way a chunk would break Telegram's HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in {"b", "i", "code", "a"}:
            self.problems.append(f"tag <{tag}>")
        if tag == "a" and [name for name, _ in attrs] != ["href"]:
            self.problems.append(f"<a> attributes {attrs}")
        if tag == "a" and "a" in self.open:
            self.problems.append("nested <a>")
        if "code" in self.open or (tag == "code" and self.open):
            self.problems.append(f"<{tag}> nested with <code>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open}")
        else:
            self.open.pop()

    def close(self) -> None:
        super().close()
        if self.open:
            self.problems.append(f"left open: {self.open}")


def problems(chunk: str) -> list[str]:
    """Why Telegram would refuse this chunk; empty when it is valid."""
    found = [
        f"stray & at {m.start()}"
        for m in re.finditer("&", chunk)
        if not _ENTITY.match(chunk, m.start())
    ]
    if len(chunk.encode("utf-16-le")) // 2 >= TELEGRAM_LIMIT:
        found.append(f"{len(chunk)} characters")
    if not chunk.strip():
        found.append("empty")
    parser = _TelegramHTML()
    parser.feed(chunk)
    parser.close()
    return found + parser.problems


def text_of(chunks: list[str]) -> str:
    """The words a reader sees, without markup or spacing."""
    stripped = re.sub(r"<[^>]*>", "", " ".join(chunks))
    return " ".join(stripped.split())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", GUIDES)
def test_every_guide_is_written_and_renders(name: str, language: str) -> None:
    path = GUIDES_DIR / language / f"{name}.md"
    assert guide_path(name, language) == path
    markdown = path.read_text(encoding="utf-8")
    assert len(markdown) < 3000  # short enough to read in a police van
    assert "/detained" in markdown or name == "detained"
    chunks = render_guide(markdown)
    assert chunks
    for chunk in chunks:
        assert problems(chunk) == []
    assert chunks[0].startswith("<b>")  # the title
    assert "<i>" in chunks[0]  # the "template, review before use" note


def test_unknown_language_falls_back_to_english(tmp_path: Path) -> None:
    assert guide_path("detained", "de") == GUIDES_DIR / "en" / "detained.md"
    assert guide_path("detained", "ru-RU") == GUIDES_DIR / "ru" / "detained.md"
    assert guide_path("detained", "../../etc") == GUIDES_DIR / "en" / "detained.md"
    (tmp_path / "en").mkdir()
    assert (
        guide_path("friend_detained", "kk", root=tmp_path) == tmp_path / "en" / "friend_detained.md"
    )


def test_unknown_guide_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown guide"):
        guide_path("../secrets", "en")


def test_markdown_subset() -> None:
    markdown = (
        "# Title\n\n## Section *one*\n\n"
        "Call **the lawyer** at `+7 700 000 00 00`, see [the site](https://example.org/a?b=1&c=2).\n\n"
        "- first\n- second\n  - nested\n\n"
        "3. three\n4. four\n"
    )
    assert render_guide(markdown) == [
        "<b>Title</b>\n\n"
        "<b>Section <i>one</i></b>\n\n"
        "Call <b>the lawyer</b> at <code>+7 700 000 00 00</code>, see "
        '<a href="https://example.org/a?b=1&amp;c=2">the site</a>.\n\n'
        "• first\n• second\n   ◦ nested\n\n"
        "3. three\n4. four"
    ]


def test_everything_else_is_escaped() -> None:
    markdown = (
        'Raw <b onclick="x">html</b> & <script>, 2 < 3 > 1, &amp; stays &amp;\n\n'
        "> a quote\n\n<div>block</div>\n\n"
        "[run](javascript:alert(1)) [mail](mailto:lawyer@example.org) [relative](/guide)\n\n"
        "**`code in bold`** [`code in link`](https://example.org) ****\n"
    )
    chunks = render_guide(markdown)
    assert len(chunks) == 1
    assert problems(chunks[0]) == []
    html = chunks[0]
    assert 'Raw &lt;b onclick="x"&gt;html&lt;/b&gt; &amp; &lt;script&gt;, 2 &lt; 3 &gt; 1' in html
    assert "&amp; stays &amp;" in html
    assert "&gt; a quote" in html
    assert "&lt;div&gt;block&lt;/div&gt;" in html
    assert "[run](javascript:alert(1))" in html  # not a link Markdown allows
    assert "mail (mailto:lawyer@example.org)" in html
    assert "relative (/guide)" in html
    assert "<b>code in bold</b>" in html  # Telegram allows no <code> inside <b>
    assert '<a href="https://example.org">code in link</a>' in html


def test_long_guide_splits_at_paragraph_boundaries() -> None:
    paragraphs = [
        f"## Step {n}\n\nKeep **calm** and note the *badge number* of officer {n}; "
        f"ask for [the lawyer](https://example.org/{n}) & water. " * 3
        for n in range(40)
    ]
    markdown = "\n\n".join(paragraphs)
    assert len(markdown) > 10_000
    chunks = render_guide(markdown)
    assert len(chunks) >= 3
    for chunk in chunks:
        assert problems(chunk) == []
        assert chunk.startswith(("<b>Step ", "Keep "))  # cut before a heading or a paragraph
    assert text_of(chunks) == text_of(render_guide(markdown, limit=1_000_000))


def test_one_huge_paragraph_is_cut_between_words_with_tags_reopened() -> None:
    sentence = "Stay *calm*, do not sign [anything](https://example.org/x) you have not read."
    markdown = "**" + " ".join([sentence] * 150) + "**"
    chunks = render_guide(markdown, limit=1000)
    assert len(chunks) > 5
    for chunk in chunks:
        assert problems(chunk) == []
        assert len(chunk) <= 1000
        assert chunk.startswith("<b>") and chunk.endswith("</b>")
        assert not chunk.startswith("<b> ") and not chunk.endswith(" </b>")
    assert text_of(chunks) == text_of(render_guide(markdown, limit=1_000_000))


def test_word_longer_than_a_chunk_and_long_lists() -> None:
    markdown = "x" * 700 + "&" + "y" * 700 + "\n\n" + "\n".join(f"- item {n}" for n in range(300))
    chunks = render_guide(markdown, limit=500)
    for chunk in chunks:
        assert problems(chunk) == []
        assert len(chunk) <= 500
    assert "".join(chunks).count("&amp;") == 1
    assert any(chunk.startswith("• item") for chunk in chunks[1:])  # cut between list items


def test_limit_counts_utf16_units() -> None:
    markdown = "😀" * 300  # two UTF-16 units each
    chunks = render_guide(markdown, limit=256)
    assert [len(chunk.encode("utf-16-le")) // 2 for chunk in chunks] == [256, 256, 88]


def test_empty_guide_and_tiny_limit() -> None:
    assert render_guide("") == []
    assert render_guide("#\n\n   \n") == []
    with pytest.raises(ValueError, match="limit"):
        render_guide("text", limit=10)
