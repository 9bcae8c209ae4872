"""How reports read in alerts, receipts and verification requests (HTML, escaped)."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from storage.people import Person
from storage.reports import Report, ReportKind, ReportState

ICONS = {
    ReportKind.DETENTION: "🚨",
    ReportKind.RELEASE: "🕊",
    ReportKind.HEALTH: "⚕️",
    ReportKind.OTHER: "ℹ️",
    ReportKind.BROADCAST: "📢",
}


def kind_label(_: Translator, kind: ReportKind) -> str:
    labels = {
        ReportKind.DETENTION: _("Detained"),
        ReportKind.RELEASE: _("Released"),
        ReportKind.HEALTH: _("Health update"),
        ReportKind.OTHER: _("Update"),
        ReportKind.BROADCAST: _("Announcement"),
    }
    return labels[kind]


def state_label(_: Translator, state: ReportState) -> str:
    """Where a report stands, as a word for the reader."""
    labels = {
        ReportState.PENDING: _("waiting for verification"),
        ReportState.CONFIRMED: _("confirmed"),
        ReportState.UNVERIFIED: _("sent unverified"),
        ReportState.REJECTED: _("rejected"),
        ReportState.RETRACTED: _("withdrawn"),
        ReportState.DUPLICATE: _("merged with an earlier report"),
    }
    return labels[state]


def media_label(_: Translator, kind: str) -> str:
    """A photo, voice note or video attached to a report."""
    labels = {"photo": _("photo"), "voice": _("voice note"), "video": _("video")}
    return labels.get(kind, kind)


def verification_label(_: Translator, report: Report) -> str:
    if report.state == ReportState.CONFIRMED:
        return _("verified by a coordinator")
    if report.state == ReportState.PENDING:
        return _("waiting for verification")
    return _("NOT VERIFIED yet")


def report_html(_: Translator, report: Report, person: Person | None, zone: ZoneInfo) -> str:
    """The body of an alert or a verification request about ``report``."""
    if report.kind == ReportKind.BROADCAST:
        lines = [f"{ICONS[report.kind]} <b>{escape(kind_label(_, report.kind))}</b>"]
        lines.append(escape(report.details))
    else:
        name = escape(person.name) if person else "?"
        lines = [f"{ICONS[report.kind]} <b>{escape(kind_label(_, report.kind))}: {name}</b>"]
        if report.place:
            lines.append(_("Where: {place}", place=escape(report.place)))
        elif report.has_location:
            lines.append(_("Where: see the location below"))
        if report.details:
            lines.append(_("Details: {details}", details=escape(report.details)))
    lines.append(_("When: {time}", time=_.datetime(report.reported_at, zone)))
    footer = _("Report #{id} · {state}", id=report.id, state=verification_label(_, report))
    if report.corroborations > 1:
        footer += " · " + _.plural("{count} report", "{count} reports", report.corroborations)
    lines.append(f"<i>{escape(footer)}</i>")
    return "\n".join(lines)
