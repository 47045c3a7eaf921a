"""The e-mails of föreningsmatchning, in Swedish: a new interest request to the association's contact person
(with a link to answer it on the association's page) and the association's answer to the young person."""

from __future__ import annotations

from uuid import UUID

from booking.domain.matching.match import WEEKDAYS_SV
from booking.domain.matching.requests import InterestRequest
from booking.domain.shared.notifications import Message

GENDER_SV = {"female": "tjej", "male": "kille", "other": "annat"}


def requests_page(base_url: str, association_id: UUID) -> str:
    return f"{base_url.rstrip('/')}/association-requests.html?association={association_id}"


def new_request(request: InterestRequest, association_name: str, recipient: str,
                names: dict[UUID, tuple[str, str]], base_url: str) -> Message:
    interests = ", ".join(names[i][0] for i in request.interests if i in names)
    lines = ["Hej!", "", f"{association_name} har fått en intresseanmälan via föreningsmatchningen.", "",
             f"Intressen: {interests}"]
    if request.age is not None:
        lines.append(f"Ålder: {request.age} år")
    if request.gender is not None:
        lines.append(f"Kön: {GENDER_SV.get(request.gender.value, request.gender.value)}")
    if request.days:
        lines.append("Önskade dagar: " + ", ".join(WEEKDAYS_SV[d - 1] for d in request.days))
    if request.message:
        lines += ["", "Meddelande:", request.message]
    lines.append("")
    if request.has_contact:
        lines.append("Kontaktuppgifter (lämnade med samtycke" +
                     (", även vårdnadshavarens" if request.guardian_consent else "") + "):")
        lines.append(f"  {request.contact_name}")
        for value in (request.contact_email, request.contact_phone):
            if value:
                lines.append(f"  {value}")
    else:
        lines.append("Personen lämnade inga kontaktuppgifter och kontaktar er själv. Svara gärna ändå, så syns "
                     "svaret i uppföljningen.")
    lines += ["", "Svara eller pausa anmälningar på föreningens sida:", requests_page(base_url, request.association_id),
              "", "Hälsningar", "Kommunens föreningsmatchning"]
    return Message(request.municipality_id, "matching.request", recipient,
                   f"Ny intresseanmälan till {association_name}", "\n".join(lines))


def answer(request: InterestRequest, association_name: str, recipient: str) -> Message:
    body = "\n".join([
        "Hej!", "", f"{association_name} har svarat på din intresseanmälan:", "", request.answer or "", "",
        "Hälsningar", "Kommunens föreningsmatchning"])
    return Message(request.municipality_id, "matching.answer", recipient, f"Svar från {association_name}", body)
