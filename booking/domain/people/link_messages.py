"""The e-mails that carry a one-time link, in Swedish and English (as the other messages are)."""

from __future__ import annotations

from booking.domain.people.links import LIFETIMES, LinkKind
from booking.domain.people.model import Account
from booking.domain.shared.notifications import Message

INVITED_KIND = "account.invited"
RESET_KIND = "account.password_reset"

_INVITE_SUBJECT = "Du är inbjuden till bokningen i {municipality} / You are invited to {municipality}'s booking"
_INVITE_BODY = """Hej {name},

du har fått ett konto i {municipality}s bokningssystem. Välj ditt lösenord via länken nedan; den gäller i
{days} dagar och kan användas en gång:

{link}

Sedan loggar du in med din e-postadress ({email}) och lösenordet. Om länken har gått ut kan du be om en ny
under "Glömt lösenordet?" på inloggningssidan.

--

Hello {name},

you have been given an account in {municipality}'s booking system. Choose your password through the link
above; it is valid for {days} days and can be used once. Then sign in with your e-mail address ({email})
and the password. If the link has expired, ask for a new one under "Forgot your password?" on the sign-in
page."""

_RESET_SUBJECT = "Välj ett nytt lösenord / Choose a new password"
_RESET_BODY = """Hej {name},

någon (förhoppningsvis du) bad om ett nytt lösenord till ditt konto. Välj det via länken nedan; den gäller
i {minutes} minuter och kan användas en gång:

{link}

När du har valt ett nytt lösenord loggas alla dina andra inloggningar ut. Om det inte var du som bad om det
behöver du inte göra något: ditt lösenord är oförändrat.

--

Hello {name},

someone (hopefully you) asked for a new password for your account. Choose it through the link above; it is
valid for {minutes} minutes and can be used once. Once you have chosen a new password, every other sign-in
of yours is signed out. If it was not you, there is nothing you need to do: your password is unchanged."""


def set_password_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/set-password.html?token={token}"


def invitation_message(account: Account, municipality: str, link: str) -> Message:
    days = LIFETIMES[LinkKind.INVITE].days
    return Message(account.municipality_id, INVITED_KIND, account.email,
                   _INVITE_SUBJECT.format(municipality=municipality),
                   _INVITE_BODY.format(name=account.display_name, municipality=municipality, days=days, link=link,
                                       email=account.email))


def reset_message(account: Account, link: str) -> Message:
    minutes = int(LIFETIMES[LinkKind.RESET].total_seconds() // 60)
    return Message(account.municipality_id, RESET_KIND, account.email, _RESET_SUBJECT,
                   _RESET_BODY.format(name=account.display_name, minutes=minutes, link=link))
