"""The states of an association's public profile and of an interest request (föreningsmatchning)."""

from __future__ import annotations

from enum import StrEnum


class ProfileStatus(StrEnum):
    DRAFT = "draft"  # being written by the association's representatives; not public
    SUBMITTED = "submitted"  # awaiting staff verification (an earlier verified version may be public meanwhile)
    PUBLISHED = "published"  # verified: the public version is the latest one


class RequestStatus(StrEnum):
    SENT = "sent"  # relayed to the association's contact person
    ANSWERED = "answered"  # the association answered from its page
    CLOSED = "closed"  # closed without an answer (by the association or staff)
