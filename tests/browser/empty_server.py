"""A server of its own on an EMPTY database, set up the way a municipality installs booking: the
real CLI migrates it (`booking db upgrade`) and makes the first administrator (`booking admin
create`), and uvicorn serves it with its mail going over SMTP to an aiosmtpd server on loopback
(the outbox worker of the app's lifespan delivers it).

The shared `live_server` of conftest.py is seeded with the demo; this one has nothing but what the
CLI made, for the journey from install to the first booking (test_first_booking.py)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import cast

from aiosmtpd.controller import Controller

from tests.browser.serving import address, free_port, serving
from tests.browser.support import LiveServer

MAIL_SECONDS = 30  # the outbox worker looks every 5 s; a message is due at once


class Inbox:
    """An aiosmtpd handler that keeps every message it receives (in aiosmtpd's thread)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        message = cast(EmailMessage, message_from_bytes(content, policy=default))  # the default policy's class
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, recipient: str, subject: str) -> EmailMessage:
        """The first message to `recipient` whose subject contains `subject`, waiting for the outbox
        worker to deliver it (no fixed sleep: woken by each message that arrives)."""
        deadline = time.monotonic() + MAIL_SECONDS
        with self._arrived:
            while True:
                for message in self.messages:
                    if message["To"] == recipient and subject in str(message["Subject"]):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(str(m["To"]), str(m["Subject"])) for m in self.messages]
                    raise AssertionError(f"no mail to {recipient} about {subject!r} within {MAIL_SECONDS} s; "
                                         f"received: {seen}")
                self._arrived.wait(left)


@dataclass(frozen=True)
class EmptyServer:
    server: LiveServer
    inbox: Inbox
    smtp_port: int
    municipality: str
    admin_email: str
    admin_password: str


def _cli(env: dict[str, str], log: Path, *args: str) -> str:
    """`booking <args>` as an operator runs it (python -m booking: this checkout's code)."""
    done = subprocess.run([sys.executable, "-m", "booking", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ booking {' '.join(args)}\n{done.stdout}{done.stderr}")
    assert done.returncode == 0, f"booking {args[0]} {args[1]} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


@contextmanager
def empty_server(tmp: Path, *, municipality: str, admin_email: str, admin_password: str) -> Iterator[EmptyServer]:
    inbox = Inbox()
    smtp_port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    port = free_port()
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'booking.db'}",
        "BOOKING_VAR_DIR": str(tmp / "var"),
        "BOOKING_SECRET_KEY": secrets.token_urlsafe(32),
        "BOOKING_BASE_URL": address(port),  # the CLI's too
        # Plain SMTP on loopback: no account, so no STARTTLS is asked for (mail.SmtpSender), and the
        # test server offers none.
        "BOOKING_SMTP_HOST": "127.0.0.1",
        "BOOKING_SMTP_PORT": str(smtp_port),
        "BOOKING_MAIL_SENDER": f"bokning@{municipality}.example.se",
        "BOOKING_OUTBOX_WORKER": "1",
    }
    for name in ("BOOKING_SMTP_USERNAME", "BOOKING_SMTP_PASSWORD"):
        env.pop(name, None)
    log = tmp / "server.log"
    try:
        assert "is up to date" in _cli(env, log, "db", "upgrade")
        created = _cli(env, log, "admin", "create", "--municipality", municipality, "--email", admin_email,
                       "--name", "Alva Admin", "--password", admin_password)
        assert f"Admin {admin_email} created in {municipality}." in created
        with serving(port, env, log) as server:
            yield EmptyServer(server, inbox, smtp_port, municipality, admin_email, admin_password)
    finally:
        smtp.stop()
