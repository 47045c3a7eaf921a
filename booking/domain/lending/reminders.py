"""Which reminder a loan or hold is due for, today. Pure; the job sends each (subject, kind, step) once.

- due_soon: from two days before the due date until the due date (step 0, once).
- overdue: the day after the due date (step 0), then weekly (step 1 a week later, ...). A job that missed
  days sends the current step only, never a backlog.
- hold_ready: an item waits on the hold shelf (step 0, once).
"""

from __future__ import annotations

from datetime import date, timedelta

from booking.domain.lending.circulation import Policy


def loan_reminder(due_on: date, today: date, policy: Policy) -> tuple[str, int] | None:
    if today > due_on:
        return "overdue", (today - due_on - timedelta(days=1)).days // policy.overdue_repeat_days
    if due_on - timedelta(days=policy.due_soon_days) <= today:
        return "due_soon", 0
    return None


def texts(kind: str, name: str, article: str, day: date) -> tuple[str, str]:
    """Subject and body in Swedish (the borrower's language of the municipality)."""
    when = day.isoformat()
    if kind == "due_soon":
        return (f"Påminnelse: lämna tillbaka {article} senast {when}",
                f"Hej {name}!\n\nDu har lånat {article} från Fritidsbanken. Lämna tillbaka den senast {when}, "
                "eller förläng lånet på sidan Mina lån om ingen väntar på den.\n\nFritidsbanken")
    if kind == "overdue":
        return (f"{article} skulle ha lämnats tillbaka {when}",
                f"Hej {name}!\n\n{article} skulle ha lämnats tillbaka till Fritidsbanken {when}. "
                "Lämna den så snart du kan, så kan någon annan låna den. Det kostar ingenting.\n\nFritidsbanken")
    return (f"{article} väntar på dig hos Fritidsbanken",
            f"Hej {name}!\n\n{article} som du reserverade finns nu att hämta. Den väntar på hyllan till och med "
            f"{when}.\n\nFritidsbanken")
