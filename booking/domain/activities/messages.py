"""What guardians and young people are told about their registrations (Swedish by default)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "sv": {
        "activity.confirmed": ("Anmälan bekräftad: {title}",
                               "{name} har en plats på {title}, {when}.\n\nBiljett: {ticket}\nAvanmälan: {cancel}"),
        "activity.waiting": ("Reservlista: {title}",
                             "{name} står på reservlistan till {title}, {when}. Vi hör av oss om en plats blir "
                             "ledig.\n\nAvanmälan: {cancel}"),
        "activity.promoted": ("Du har fått en plats: {title}",
                              "En plats blev ledig: {name} har nu en plats på {title}, {when}.\n\n"
                              "Biljett: {ticket}"),
        "activity.cancelled": ("Inställt: {title}", "{title}, {when}, är tyvärr inställt.\n{reason}"),
        "activity.changed": ("Ändrat: {title}", "{title} har ändrats: {when}."),
        "activity.place_changed": ("Ny plats: {title}", "{title}, {when}, är nu på en ny plats: {reason}"),
        "activity.reminder": ("Påminnelse: {title} i morgon", "{name} är anmäld till {title}, {when}.\n\n"
                                                              "Biljett: {ticket}\nAvanmälan: {cancel}"),
        "activity.unregistered": ("Avanmäld: {title}", "{name} är avanmäld från {title}, {when}."),
    },
    "en": {
        "activity.confirmed": ("Sign-up confirmed: {title}",
                               "{name} has a place at {title}, {when}.\n\nTicket: {ticket}\nCancel: {cancel}"),
        "activity.waiting": ("Waiting list: {title}",
                             "{name} is on the waiting list for {title}, {when}. We will tell you if a place "
                             "frees.\n\nCancel: {cancel}"),
        "activity.promoted": ("You have a place: {title}",
                              "A place freed: {name} now has a place at {title}, {when}.\n\nTicket: {ticket}"),
        "activity.cancelled": ("Cancelled: {title}", "{title}, {when}, is cancelled.\n{reason}"),
        "activity.changed": ("Changed: {title}", "{title} has changed: {when}."),
        "activity.place_changed": ("New place: {title}", "{title}, {when}, is now at a new place: {reason}"),
        "activity.reminder": ("Reminder: {title} tomorrow", "{name} is signed up for {title}, {when}.\n\n"
                                                            "Ticket: {ticket}\nCancel: {cancel}"),
        "activity.unregistered": ("Sign-up cancelled: {title}", "{name} is no longer signed up for {title}, {when}."),
    },
}


def render(kind: str, locale: str, *, title: str, starts_at: datetime, ends_at: datetime, zone: ZoneInfo,
           name: str = "", ticket: str = "", cancel: str = "", reason: str | None = None) -> tuple[str, str]:
    text = _TEXT.get(locale, _TEXT["sv"])
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    when = f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    subject, body = text[kind]
    values = {"title": title, "when": when, "name": name, "ticket": ticket, "cancel": cancel or "-",
              "reason": reason or ""}
    return subject.format(**values), body.format(**values).strip()


_REVIEW: dict[str, tuple[str, str]] = {
    "sv": ("Skickad tillbaka: {title}",
           "Fritidsförvaltningen har skickat tillbaka {title} innan den publiceras:\n\n{reason}\n\n"
           "Ändra aktiviteten under Föreningens aktiviteter och skicka in den igen."),
    "en": ("Sent back: {title}",
           "The leisure staff sent {title} back before publishing it:\n\n{reason}\n\n"
           "Change the activity under the association's activities and submit it again."),
}


def render_sent_back(locale: str, *, title: str, reason: str) -> tuple[str, str]:
    """What the author of an association's activity is told when staff send it back."""
    subject, body = _REVIEW.get(locale, _REVIEW["sv"])
    return subject.format(title=title), body.format(title=title, reason=reason)
