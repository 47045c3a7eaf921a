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


# The outcome of a holiday's draw for one child (kind "activity.draw_outcome"): its granted sessions with
# ticket and cancel links, and its refused wishes with the reason in words.
_DRAW_OUTCOME: dict[str, dict[str, str]] = {
    "sv": {
        "subject": "Lottningen är klar: {name}",
        "intro": "Lottningen av platserna är klar. Så här gick det för {name}:",
        "granted_head": "Plats:",
        "refused_head": "Ingen plats:",
        "none": "{name} fick tyvärr ingen plats. Platser som blir kvar går att söka i turordning, med reservlista.",
        "line": "- {title}, {when}\n  Biljett: {ticket}\n  Avanmälan: {cancel}",
        "refused": "- {title}, {when}: {reason}",
        "granted": "Beviljad som önskan {rank}",
        "full": "Önskan {rank} var full; lägre poäng än de barn som fick plats",
        "age": "Inte behörig: ålder",
        "overlap": "Krockar med en beviljad önskan",
        "max": "Max antal aktiviteter nått",
        "gone": "Tillfället är inställt",
        "by_staff": "Beviljad av personal",
        "removed_by_staff": "Borttagen av personal",
    },
    "en": {
        "subject": "The draw is done: {name}",
        "intro": "The places have been drawn. This is what {name} got:",
        "granted_head": "Places:",
        "refused_head": "No place:",
        "none": "{name} did not get a place this time. Places left over open first come, with a waiting list.",
        "line": "- {title}, {when}\n  Ticket: {ticket}\n  Cancel: {cancel}",
        "refused": "- {title}, {when}: {reason}",
        "granted": "Granted as wish {rank}",
        "full": "Wish {rank} full, lower score than the children granted",
        "age": "Not eligible: age",
        "overlap": "Clashes with a granted wish",
        "max": "Maximum number of activities reached",
        "gone": "The session is cancelled",
        "by_staff": "Granted by staff",
        "removed_by_staff": "Removed by staff",
    },
}


def draw_reason(locale: str, reason: str, rank: int) -> str:
    """A draw outcome's reason code in words (sv by default)."""
    text = _DRAW_OUTCOME.get(locale, _DRAW_OUTCOME["sv"])
    return text.get(reason, reason).format(rank=rank)


def render_draw_outcome(locale: str, *, name: str, zone: ZoneInfo,
                        granted: list[tuple[str, datetime, datetime, str, str]],
                        refused: list[tuple[str, datetime, datetime, str, int]]) -> tuple[str, str]:
    """`granted`: (title, starts, ends, ticket link, cancel link); `refused`: (title, starts, ends,
    reason code, rank)."""
    text = _DRAW_OUTCOME.get(locale, _DRAW_OUTCOME["sv"])

    def when(starts_at: datetime, ends_at: datetime) -> str:
        start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"

    parts = [text["intro"].format(name=name)]
    if granted:
        parts.append(text["granted_head"] + "\n" + "\n".join(
            text["line"].format(title=t, when=when(s, e), ticket=ticket, cancel=cancel)
            for t, s, e, ticket, cancel in granted))
    else:
        parts.append(text["none"].format(name=name))
    if refused:
        parts.append(text["refused_head"] + "\n" + "\n".join(
            text["refused"].format(title=t, when=when(s, e), reason=draw_reason(locale, r, rank))
            for t, s, e, r, rank in refused))
    return text["subject"].format(name=name), "\n\n".join(parts)
