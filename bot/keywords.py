"""The keywords typed after commands, in Kazakh, Russian or English, read in one place.

People type ``/digest выкл``, ``/alerts бақыланатын``, ``/invite uchastnik`` or ``/guide друг``
as readily as ``/digest off``: under stress nobody switches keyboards. Each concept has one table
mapping the canonical English keyword (what services and the code compare against) to the words
accepted for it in each language, Russian and Kazakh including their Latin-typed forms for phones
without a Cyrillic keyboard. Words and typed text are both folded by :func:`bot.dates.normalize`
(case, ё → е, Kazakh letters → Russian look-alikes, Kazakh Latin letters → plain Latin), so no
table lists a folded twin.

The first word of each language is the one usage lines show (:func:`shown`); the Russian and
Kazakh catalogs write the same words. The words follow ``bot/locales/GLOSSARY.md`` and the case
file labels of the catalogs (member: участник сети / желі мүшесі, coordinator: үйлестіруші, place
of detention: место содержания / ұстау орны ...).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.dates import normalize

__all__ = ["Concept", "Words", "canonicals", "keyword", "shown", "table"]


class Concept(enum.StrEnum):
    """What a keyword after a command chooses between."""

    SWITCH = "switch"  # /digest on|off
    ALERTS = "alerts"  # /alerts all|followed
    ROLE = "role"  # /invite member|coordinator
    GUIDE = "guide"  # /guide detained|friend
    REPORTERS = "reporters"  # /export ...; with reporters
    FIELD = "field"  # /set <name>; <field>; <value>
    VISIBILITY = "visibility"  # /set <name>; health; public|private
    CONFIRM = "confirm"  # /panic confirm


@dataclass(frozen=True, slots=True)
class Words:
    """The words accepted for one canonical keyword; the first of each language is shown.

    Attributes:
        en: English.
        ru: Russian, in Cyrillic and then as typed in Latin letters.
        kk: Kazakh, in Cyrillic and then as typed in Latin letters.
    """

    en: tuple[str, ...]
    ru: tuple[str, ...]
    kk: tuple[str, ...]

    def every(self) -> tuple[str, ...]:
        """Every word, in any language."""
        return (*self.en, *self.ru, *self.kk)


_TABLES: dict[Concept, dict[str, Words]] = {
    Concept.SWITCH: {
        "on": Words(
            en=("on", "yes", "enable"),
            ru=(
                "вкл",
                "включить",
                "включи",
                "да",
                "vkl",
                "vklyuchit",
                "vkluchit",
                "vkljuchit",
                "da",
            ),
            kk=("қосу", "қос", "иә", "ия", "kosu", "kos", "ia", "iya"),
        ),
        "off": Words(
            en=("off", "no", "disable"),
            ru=("выкл", "выключить", "выключи", "нет", "vykl", "vyklyuchit", "vykluchit", "net"),
            kk=("өшіру", "өшір", "жоқ", "oshiru", "oshir", "zhok", "jok"),
        ),
    },
    Concept.ALERTS: {
        "all": Words(
            en=("all", "every", "everything"),
            ru=("все", "всё", "vse", "vsyo", "vsio"),
            kk=("барлығы", "бәрі", "барлық", "barlygy", "barlyghy", "bari", "barlyk"),
        ),
        "followed": Words(
            en=("followed", "following", "follow"),
            ru=(
                *("отслеживаемые", "слежу", "подписки"),
                *("otslezhivaemye", "otslezhivaemie", "otslejivaemye", "slezhu", "podpiski"),
            ),
            kk=(
                *("бақыланатын", "бақылаудағы", "бақылаймын"),
                *("bakylanatyn", "bakylaudagy", "bakylaimyn", "bakylaymyn"),
            ),
        ),
    },
    Concept.ROLE: {
        "member": Words(
            en=("member",),
            ru=(
                "участник",
                "участника",
                "участник сети",
                "член",
                "uchastnik",
                "uchastnika",
                "chlen",
            ),
            kk=("мүше", "мүшесі", "желі мүшесі", "қатысушы", "mushe", "mushesi", "katysushy"),
        ),
        "coordinator": Words(
            en=("coordinator", "coord"),
            ru=("координатор", "координатора", "koordinator", "koordinatora"),
            kk=("үйлестіруші", "координатор", "uilestirushi", "uylestirushi", "koordinator"),
        ),
    },
    Concept.GUIDE: {
        "detained": Words(
            en=("detained", "me", "arrested"),
            ru=(
                *("задержан", "задержана", "задержали", "меня", "я"),
                *("zaderzhan", "zaderzhana", "zaderzhali", "zaderjan", "menya"),
            ),
            kk=("ұсталды", "ұстады", "мені", "мен", "ustaldy", "ustady", "meni", "men"),
        ),
        "friend": Words(
            en=("friend", "friend detained"),
            ru=("друг", "друга", "подруга", "друг задержан", "drug", "druga", "podruga"),
            kk=("дос", "досым", "досым ұсталды", "dos", "dosym"),
        ),
    },
    Concept.REPORTERS: {
        "with reporters": Words(
            en=("with reporters", "reporters"),
            ru=(
                *("с авторами", "авторы", "с репортёрами"),
                *("s avtorami", "avtory", "s reporterami"),
            ),
            kk=(
                # Other Kazakh texts call the reporter «жіберуші» too: both are read.
                *("хабарлаушылармен", "хабарлаушылар", "жіберушілермен", "жіберушілер"),
                *("khabarlaushylarmen", "habarlaushylarmen", "khabarlaushylar", "habarlaushylar"),
                *("zhiberushilermen", "zhiberushiler"),
            ),
        ),
    },
    # The keys are bot.casefile.EDITABLE's; the words follow the case file's labels.
    Concept.FIELD: {
        "city": Words(en=("city",), ru=("город", "gorod"), kk=("қала", "kala")),
        "facility": Words(
            en=("facility", "held at", "place"),
            ru=(
                *("место содержания", "место", "учреждение"),
                *("mesto soderzhaniya", "mesto", "uchrezhdenie"),
            ),
            kk=("ұстау орны", "орны", "мекеме", "ustau orny", "orny", "mekeme"),
        ),
        "address": Words(
            en=("address", "address for letters"),
            # Shown first: "for letters", so nobody enters a family's home address, which
            # subscribers see.
            ru=("адрес для писем", "адрес", "adres"),
            kk=("хат мекенжайы", "мекенжай", "mekenzhai", "mekenzhay", "mekenjai", "adres"),
        ),
        "birthday": Words(
            en=("birthday",),
            ru=(
                *("день рождения", "дата рождения", "др"),
                *("den rozhdeniya", "den rojdeniya", "data rozhdeniya", "dr"),
            ),
            kk=("туған күні", "туған күн", "tugan kuni", "tugan kun", "tughan kuni"),
        ),
        "lawyer": Words(
            en=("lawyer",),
            ru=("адвокат", "защитник", "advokat", "zashchitnik"),
            kk=("адвокат", "қорғаушы", "advokat", "korgaushy"),
        ),
        "notes": Words(
            # Public notes: not «заметки», which reads like private jottings.
            en=("notes",),
            ru=("примечания", "примечание", "primechaniya", "primechanie"),
            kk=("ескертпе", "ескертпелер", "eskertpe", "eskertpeler"),
        ),
        "internal": Words(
            en=("internal", "internal notes"),
            ru=("внутренние примечания", "внутренние", "vnutrennie"),
            kk=("ішкі ескертпе", "ішкі", "ishki", "ishki eskertpe"),
        ),
        "health": Words(
            en=("health",),
            ru=("здоровье", "zdorovie", "zdorove", "zdorovye", "zdorovje"),
            kk=("денсаулық", "densaulyk"),
        ),
    },
    Concept.VISIBILITY: {
        # Health details: who may see them. Only unmistakable words: a bare Kazakh «ашық»
        # ("open") is refused, because the private label itself reads «...мүшелеріне ғана».
        "public": Words(
            en=("public", "everyone"),
            ru=("открыто", "видно всем", "всем", "публично", "otkryto", "vsem", "publichno"),
            kk=("жария", "баршаға", "баршаға ашық", "zhariya", "zharia", "barshaga"),
        ),
        "private": Words(
            en=("private", "members only"),
            ru=(
                "скрыто",
                "закрыто",
                "участникам",
                "только участникам",
                "только участникам сети",
                "видны только участникам сети",
                "skryto",
                "zakryto",
                "uchastnikam",
            ),
            kk=(
                "жабық",
                "жасырын",
                "мүшелерге",
                "тек мүшелерге",
                "тек желі мүшелеріне",
                "тек желі мүшелері көреді",
                "zhabyk",
                "zhasyryn",
                "mushelerge",
            ),
        ),
    },
    Concept.CONFIRM: {
        # Only words that say "confirm": a bare yes/да must not wipe the database.
        "confirm": Words(
            en=("confirm",),
            ru=("подтвердить", "подтверждаю", "podtverdit", "podtverzhdayu", "podtverjdayu"),
            kk=("растау", "растаймын", "rastau", "rastaimyn", "rastaymyn"),
        ),
    },
}

_CANONICAL: dict[Concept, dict[str, str]] = {
    concept: {
        normalize(word): canonical for canonical, words in table.items() for word in words.every()
    }
    for concept, table in _TABLES.items()
}


def keyword(concept: Concept, text: str) -> str | None:
    """The canonical English keyword someone typed for ``concept``, in any of the three languages.

    Args:
        concept: what the keyword chooses between.
        text: what was typed after the command; case, Kazakh letters, ё, extra spaces and a
            trailing full stop (``вкл.``) do not matter.

    Returns:
        The canonical keyword (``"off"`` for ``выкл``, ``жоқ`` or ``vykl``), or None for a word
        the table does not know.
    """
    return _CANONICAL[concept].get(normalize(text).strip(" .!"))


def shown(concept: Concept, canonical: str, language: str) -> str:
    """The word a usage line shows for ``canonical`` in ``language`` (English if unknown).

    Args:
        concept: the keyword's concept.
        canonical: one of :func:`canonicals`.
        language: ``kk``, ``ru`` or ``en``.

    Returns:
        The first word listed for that language.
    """
    words = _TABLES[concept][canonical]
    return getattr(words, language, words.en)[0]


def canonicals(concept: Concept) -> tuple[str, ...]:
    """The canonical keywords of ``concept``, in table order."""
    return tuple(_TABLES[concept])


def table(concept: Concept) -> dict[str, Words]:
    """The table of ``concept`` as written (for tests and documentation)."""
    return dict(_TABLES[concept])
