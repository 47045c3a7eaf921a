"""What the imports need from storage: the unit of work of the contexts whose objects they write.

Sites and spaces, areas and associations are all reached through the premises unit of work (it
extends the people and municipalities ones). A kind of import of another context (lending articles,
borrowers) extends this protocol with that context's unit of work."""

from __future__ import annotations

from typing import Protocol

from booking.domain.premises.ports import PremisesUnitOfWork


class ImportsUnitOfWork(PremisesUnitOfWork, Protocol):
    """Every repository the kinds of import read and write, in one transaction."""
