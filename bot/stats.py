"""/stats: detentions, releases and hearings per local week, as a PNG chart and a caption.

Pure: the caller asks :class:`storage.stats.StatsRepository` for the event times between
:func:`period_bounds`, buckets them with :func:`weekly_counts` and sends :func:`chart_png` with
:func:`caption`. Rendering takes a noticeable fraction of a second of CPU, so call
:func:`chart_png` through ``asyncio.to_thread``: it builds its own ``Figure`` on the Agg canvas and
never touches pyplot's global state, so it is safe off the event loop's thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.i18n import Translator
from storage.stats import DETENTIONS, HEARINGS, RELEASES

DEFAULT_MONTHS = 3
MAX_MONTHS = 24
CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption, in characters

_SIZE_INCHES, _DPI = (10, 5), 100  # 1000 x 500 px: sharp in Telegram's preview, ~30 KB
_BARS_UP_TO_WEEKS = 26  # beyond half a year three bars per week get too thin; lines read better
_MAX_LABELS = 14  # week labels on the x axis; more would overlap
# Okabe–Ito colours: told apart with the common colour-vision deficiencies, unlike red/green.
_COLOURS = {DETENTIONS: "#D55E00", RELEASES: "#009E73", HEARINGS: "#0072B2"}


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Events in one local week, Monday to Sunday."""

    week_start: date  # a Monday, in the network's zone
    detentions: int
    releases: int
    hearings: int

    @property
    def total(self) -> int:
        return self.detentions + self.releases + self.hearings


def period(months: int, now: datetime, zone: ZoneInfo) -> tuple[date, int]:
    """The whole local weeks covering the last ``months`` months, this week included.

    Args:
        months: 1 to :data:`MAX_MONTHS`.
        now: the current aware time.
        zone: the network's zone; weeks start on Monday at local midnight.

    Returns:
        ``(start, weeks)``: the Monday of the week that holds the day ``months`` months ago, and
        how many weeks run from it to the current one, both included.

    Raises:
        ValueError: ``months`` out of range.
    """
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be between 1 and {MAX_MONTHS}, not {months}")
    today = now.astimezone(zone).date()
    first_day = today - relativedelta(months=months)
    start = first_day - timedelta(days=first_day.weekday())
    this_week = today - timedelta(days=today.weekday())
    return start, (this_week - start).days // 7 + 1


def period_bounds(start: date, weeks: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The aware instants to query between: local midnight of ``start`` and of the Monday after.

    Returns:
        ``(begin, end)``: ``begin`` included, ``end`` excluded, in ``zone`` (storage converts).
    """
    end = start + timedelta(weeks=weeks)
    return datetime.combine(start, time(), zone), datetime.combine(end, time(), zone)


def weekly_counts(
    times: Mapping[str, Sequence[datetime]], *, start: date, weeks: int, zone: ZoneInfo
) -> list[WeekCount]:
    """Count events per local week.

    Args:
        times: aware event times under ``"detentions"``, ``"releases"`` and ``"hearings"``, as
            :meth:`storage.stats.StatsRepository.event_times` returns them; a missing key counts
            as none.
        start: the Monday the first week starts on (local date).
        weeks: how many weeks.
        zone: the zone whose calendar decides the week: 19:30 UTC on a Sunday is already Monday
            in Almaty.

    Returns:
        One :class:`WeekCount` per week, oldest first, weeks without events included as zeros.
        Events outside the weeks are ignored.

    Raises:
        ValueError: ``start`` is not a Monday, or a time is naive.
    """
    if start.weekday() != 0:
        raise ValueError(f"weeks start on Monday, {start} is not one")
    buckets = {name: [0] * weeks for name in (DETENTIONS, RELEASES, HEARINGS)}
    for name, counts in buckets.items():
        for moment in times.get(name, ()):
            if moment.tzinfo is None:
                raise ValueError("naive datetimes are not counted")
            index = (moment.astimezone(zone).date() - start).days // 7
            if 0 <= index < weeks:
                counts[index] += 1
    return [
        WeekCount(
            week_start=start + timedelta(weeks=index),
            detentions=buckets[DETENTIONS][index],
            releases=buckets[RELEASES][index],
            hearings=buckets[HEARINGS][index],
        )
        for index in range(weeks)
    ]


def _series_labels(_: Translator) -> dict[str, str]:
    return {DETENTIONS: _("Detentions"), RELEASES: _("Releases"), HEARINGS: _("Hearings")}


def chart_png(counts: Sequence[WeekCount], _: Translator) -> bytes:
    """Draw the weekly counts as a 1000 x 500 PNG.

    Grouped bars up to half a year of weeks, lines beyond. Text goes through ``_``; the bundled
    DejaVu Sans font covers Latin and Cyrillic, Kazakh letters included (not emoji).

    Args:
        counts: the weeks, oldest first, as :func:`weekly_counts` returns them.
        _: the reader's translator.

    Returns:
        The PNG file's bytes.

    Raises:
        ValueError: no weeks.
    """
    if not counts:
        raise ValueError("no weeks to draw")
    # Imported here, not at the top: matplotlib and numpy are ~45 MB of resident memory that a
    # bot which never draws a chart should not carry (bench/memory.py).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # A Figure with its own Agg canvas, not pyplot: no global figure registry to leak into or to
    # race on from worker threads, and nothing to close; the figure is freed with its last
    # reference when this function returns.
    figure = Figure(figsize=_SIZE_INCHES, dpi=_DPI, layout="constrained")
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = _series_labels(_)
    values = {
        DETENTIONS: [week.detentions for week in counts],
        RELEASES: [week.releases for week in counts],
        HEARINGS: [week.hearings for week in counts],
    }
    positions = list(range(len(counts)))
    if len(counts) <= _BARS_UP_TO_WEEKS:
        width = 0.8 / len(values)
        for offset, (name, series) in enumerate(values.items(), start=-1):
            axes.bar(
                [x + offset * width for x in positions],
                series,
                width,
                label=labels[name],
                color=_COLOURS[name],
            )
    else:
        for name, series in values.items():
            axes.plot(
                positions, series, label=labels[name], color=_COLOURS[name], marker=".", lw=1.5
            )
    step = -(-len(counts) // _MAX_LABELS)  # ceiling division
    axes.set_xticks(positions[::step], [_.date(week.week_start) for week in counts[::step]])
    axes.tick_params(axis="x", labelrotation=30)
    for tick in axes.get_xticklabels():
        tick.set_horizontalalignment("right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Headroom above the highest value for the legend; an empty period still gets an axis.
    peak = max(max(week.detentions, week.releases, week.hearings) for week in counts)
    axes.set_ylim(0, max(peak, 1) * 1.25)
    axes.set_xlim(-0.6, len(counts) - 0.4)
    axes.grid(axis="y", alpha=0.3)
    axes.set_xlabel(_("Week starting"))
    axes.set_title(
        _(
            "Detentions, releases and hearings per week, {start} – {end}",
            start=_.date(counts[0].week_start),
            end=_.date(counts[-1].week_start + timedelta(days=6)),
        )
    )
    axes.legend(loc="upper left", ncols=3)
    buffer = BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def caption(counts: Sequence[WeekCount], _: Translator) -> str:
    """The chart's numbers as plain text: totals over the period and the busiest week.

    Short whatever the period (under Telegram's 1024-character caption limit), and the way to
    read the chart for someone who cannot see it.

    Args:
        counts: the weeks, oldest first, as :func:`weekly_counts` returns them.
        _: the reader's translator.

    Raises:
        ValueError: no weeks.
    """
    if not counts:
        raise ValueError("no weeks to describe")
    lines = [
        _(
            "{weeks}, {start} – {end}:",
            weeks=_.plural("{count} week", "{count} weeks", len(counts)),
            start=_.date(counts[0].week_start),
            end=_.date(counts[-1].week_start + timedelta(days=6)),
        ),
        _("Detentions: {count}", count=_.number(sum(week.detentions for week in counts))),
        _("Releases: {count}", count=_.number(sum(week.releases for week in counts))),
        _("Hearings: {count}", count=_.number(sum(week.hearings for week in counts))),
    ]
    # The latest of equally busy weeks: the recent one is the one people ask about.
    busiest = max(reversed(counts), key=lambda week: week.total)
    if busiest.total == 0:
        lines.append(_("No detentions, releases or hearings in this period."))
    else:
        lines.append(
            _(
                "Busiest week: {start} ({detentions}, {releases}, {hearings})",
                start=_.date(busiest.week_start),
                detentions=_.plural("{count} detention", "{count} detentions", busiest.detentions),
                releases=_.plural("{count} release", "{count} releases", busiest.releases),
                hearings=_.plural("{count} hearing", "{count} hearings", busiest.hearings),
            )
        )
    return "\n".join(lines)
