// An association's interest requests (its representatives; staff may look): the list, newest first, an answer
// to each (e-mailed back when the sender left an address with consent), and pausing requests. The e-mail to
// the contact person links here with ?association=<id>.
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDateTime, formatList, locale, t, weekdayName } from "../i18n.js";
import { hasRole, representedAssociations } from "../session.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { problemText } from "../booking-ui.js";

const params = new URLSearchParams(window.location.search);
const status = document.getElementById("status");
const root = document.getElementById("requests-page");
const data = { associationId: null, list: null, error: null, allowed: false, redirecting: false, note: "" };

async function fetchList() {
  try {
    data.list = await api(`/api/associations/${encodeURIComponent(data.associationId)}/interest-requests`);
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load(state) {
  if (!signedIn(state, data, window.location.pathname + window.location.search)) return;
  const mine = representedAssociations(state.session);
  data.associationId = params.get("association") ?? mine[0] ?? null;
  data.allowed = Boolean(data.associationId) && (mine.includes(data.associationId)
    || hasRole(state.session, "premises_staff", "activities_staff", "lending_staff"));
  if (data.allowed) await fetchList();
}

function interestNames(items) {
  return formatList(items.map((i) => (locale() === "en" ? i.name_en : i.name)));
}

function answerForm(item, index) {
  const id = `answer-${index}`;
  const text = h("textarea", { id, rows: "3", maxlength: "2000", required: true, "aria-describedby": `${id}-error` });
  const error = h("p", { class: "field-error", id: `${id}-error` });
  const form = h("form", { class: "answer-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: id }, t("matchingRequests.requests.answer")), error, text),
    h("button", { type: "submit", class: "button" }, t("matchingRequests.requests.answerSend")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      text.setAttribute("aria-invalid", "true");
      error.textContent = t("matchingRequests.requests.answer");
      text.focus();
      return;
    }
    try {
      await api(`/api/interest-requests/${item.id}/answer`, { method: "POST", body: { text: text.value.trim() } });
      data.note = t("matchingRequests.requests.answered");
      await fetchList();
      draw();
      status.focus();
    } catch (failure) {
      text.setAttribute("aria-invalid", "true");
      error.textContent = problemText(failure);
      text.focus();
    }
  });
  return form;
}

function requestCard(item, index) {
  const headingId = `request-${index}`;
  const facts = [
    item.age !== null ? t("matchingRequests.requests.age", { age: item.age }) : null,
    item.days.length ? t("matchingRequests.requests.days", { days: formatList(item.days.map((d) => weekdayName(d - 1))) }) : null,
    item.via_counter ? t("matchingRequests.requests.viaCounter") : null,
  ].filter(Boolean);
  const contact = item.contact_name
    ? h("p", { class: "contact" }, [item.contact_name, item.contact_email, item.contact_phone].filter(Boolean).join(", "),
      item.guardian_consent ? h("span", {}, ` (${t("matchingRequests.requests.guardian")})`) : null)
    : h("p", {}, t(item.anonymised ? "matchingRequests.requests.anonymised" : "matchingRequests.requests.noContact"));
  return h("li", { class: "request-card", "aria-labelledby": headingId },
    h("h2", { id: headingId }, `${interestNames(item.interests)} – ${t(`matchingRequests.requests.status.${item.status}`)}`),
    h("p", {}, t("matchingRequests.requests.sentAt", { when: formatDateTime(item.created_at) })),
    facts.length ? h("p", {}, facts.join(" · ")) : null,
    item.message ? h("blockquote", {}, item.message) : null,
    contact,
    item.answer ? h("p", {}, t("matchingRequests.requests.yourAnswer", { text: item.answer }))
      : item.status === "sent" ? answerForm(item, index) : null);
}

async function setPaused(paused) {
  try {
    await api(`/api/associations/${encodeURIComponent(data.associationId)}/interest-request-pause`,
      { method: "PUT", body: { paused } });
    await fetchList();
    data.note = t(paused ? "matchingRequests.requests.paused" : "matchingRequests.requests.open");
  } catch (error) {
    data.note = problemText(error);
  }
  draw();
  status.focus();
}

function draw(state) {
  if (state && drawnInstead(state, data, { status, root, notAllowed: t("matchingRequests.requests.notAllowed"),
    loadFailed: t("matchingRequests.requests.failed") })) return;
  if (!data.list) return;
  status.textContent = data.note || t(data.list.paused ? "matchingRequests.requests.paused" : "matchingRequests.requests.open");
  const list = data.list.items;
  replaceChildren(root,
    h("p", {}, h("button", { type: "button", class: "button button-quiet", id: "pause-button",
      onclick: () => setPaused(!data.list.paused) },
    t(data.list.paused ? "matchingRequests.requests.resume" : "matchingRequests.requests.pause"))),
    list.length ? h("ol", { class: "request-list" }, list.map((item, i) => requestCard(item, i)))
      : h("p", {}, t("matchingRequests.requests.none")));
}

let pageState = null;
startPage({
  current: "associationRequests",
  titleKey: "matchingRequests.requests.title",
  load,
  render(state) {
    pageState = state;
    draw(pageState);
  },
});
