"""Keeping the translation catalogs in step with the code (``make messages``, and the tests).

``python -m bot.catalogs`` extracts every translatable string from ``bot/`` and ``handlers/``
into ``locales/dabyl.pot`` and merges it into each language's ``.po``: new strings arrive
untranslated, changed ones are marked fuzzy (the bot ignores fuzzy translations until a
translator checks them), removed ones are dropped. :func:`problems` lists what a translator
still has to do; the test suite fails while that list is not empty.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, po_path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers")
# The translation calls: _("…") and context.tr("…"), N_("…") for strings shown later, and
# _.plural("one", "many", n).
KEYWORDS = {"_": None, "N_": None, "tr": None, "plural": (1, 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
_HEADER = "Dabyl — translations. Edit msgstr lines only; run `make messages` after code changes."


def extract() -> Catalog:
    """Every translatable string in the code, as a template."""
    template = Catalog(project="Dabyl", domain=DOMAIN, header_comment=f"# {_HEADER}")
    template.fuzzy = False
    for folder in SOURCES:
        found = extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        )
        for filename, _lineno, message, comments, context in found:
            location = (f"{folder}/{filename}", None)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        write_po(target, catalog, width=100, include_lineno=False, sort_output=False)


def update() -> None:
    """Rewrite the template and merge it into every language's catalog."""
    template = extract()
    _write(template, POT_PATH)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = read(language)
            catalog.update(template, update_header_comment=False)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, header_comment=f"# {_HEADER}")
            catalog.update(template)
        catalog.fuzzy = False
        catalog.obsolete.clear()
        if language == SOURCE_LANGUAGE:  # the English is the code's own: nothing to guess
            for message in catalog:
                if message.id:
                    message.flags.discard("fuzzy")
                    message.string = ("",) * len(message.string) if message.pluralizable else ""
        _write(catalog, path)


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a text formats (``{{`` is a literal brace, not a field)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# The tags Telegram's HTML parse mode knows; "<name>" in a usage line is a placeholder, not a tag.
_TAG = re.compile(
    r"</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|tg-emoji|blockquote)\b[^>]*>"
)


def tags(text: str) -> list[str]:
    """The HTML tags a text uses, in order (Telegram refuses a message with broken ones)."""
    return _TAG.findall(text)


def problems() -> Iterator[str]:
    """What keeps the catalogs from matching the code, one line per problem."""
    template = extract()
    wanted = {message.id for message in template if message.id}
    for language in LANGUAGES:
        if not po_path(language).exists():
            yield f"{language}: no catalog at {po_path(language)}"
            continue
        catalog = read(language)
        have = {message.id for message in catalog if message.id}
        for missing in sorted(map(str, wanted - have)):
            yield f"{language}: not in the catalog (run `make messages`): {missing!r}"
        for extra in sorted(map(str, have - wanted)):
            yield f"{language}: no longer in the code (run `make messages`): {extra!r}"
        for message in catalog:
            if not message.id or message.id not in wanted:
                continue
            yield from _check(language, message)


def _check(language: str, message: Message) -> Iterator[str]:
    ids, strings = _ids(message), _strings(message)
    label = f"{language}: {ids[0]!r}"
    if message.fuzzy:
        yield f"{label}: marked fuzzy, the translation must be checked"
        return
    if not any(strings):
        if language != SOURCE_LANGUAGE:
            yield f"{label}: not translated"
        return
    if not all(strings):
        yield f"{label}: a plural form is not translated"
        return
    source_fields = set().union(*(placeholders(text) for text in ids))
    source_tags = tags(ids[0])
    for text in strings:
        try:
            fields = placeholders(text)
        except ValueError:
            yield f"{label}: unbalanced braces in {text!r}"
            continue
        plural_count = {"count"} if len(ids) > 1 else set()
        if fields - plural_count != source_fields - plural_count:
            yield f"{label}: placeholders {sorted(fields)} differ from {sorted(source_fields)}"
        if sorted(tags(text)) != sorted(source_tags):
            yield f"{label}: HTML tags {tags(text)} differ from {source_tags}"


def main() -> None:
    update()
    remaining = list(problems())
    for line in remaining:
        print(line)
    print(f"{POT_PATH.relative_to(ROOT)} updated; {len(remaining)} things left to translate.")


if __name__ == "__main__":
    main()
