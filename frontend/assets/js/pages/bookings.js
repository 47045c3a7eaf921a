// "Mina bokningar": the caller's coming bookings (a representative sees the association's, staff
// see the municipality's), grouped by series, with cancelling (one, this and following, the whole
// series), and for representatives the association's private calendar link.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDate, formatTimeRange, t } from "../i18n.js";
import { startOfToday } from "../dates.js";
import { canDecide, loginUrl, representedAssociations } from "../session.js";
import {
  ACTIVE,
  copyField,
  groupBySeries,
  groupWhen,
  loadAssociationNames,
  loadPlaces,
  placeLink,
  problemText,
  statusBadge,
  statusSummary,
} from "../booking-ui.js";

const $ = (id) => document.getElementById(id);
const intro = $("bookings-intro");
const status = $("bookings-status");
const list = $("bookings-list");
const feedsSection = $("feeds-section");
const dialog = $("cancel-dialog");
const cancelForm = $("cancel-form");
const cancelAlert = $("cancel-alert");
const cancelConfirm = $("cancel-confirm");

const data = {
  bookings: [],
  places: new Map(),
  associations: new Map(),
  error: null,
  redirecting: false,
  session: null,
  notice: null, // () -> text after a cancellation
  feeds: new Map(), // association id -> {url, busy, error}
};
const cancelling = { booking: null, group: null, opener: null, busy: false, error: null };

async function loadBookings() {
  try {
    // "mine": staff see their own here too, not the whole municipality (that is the approval queue).
    data.bookings = await fetchAll("/api/bookings", { from: startOfToday(), mine: "true" });
    data.error = null;
  } catch (error) {
    data.error = error;
    return;
  }
  const missing = [...new Set(data.bookings.map((b) => b.space_id))].filter((id) => !data.places.has(id));
  if (missing.length) for (const [id, place] of await loadPlaces(missing)) data.places.set(id, place);
}

async function load(state) {
  data.session = state.session;
  if (!state.session) {
    if (state.sessionError) return;
    data.redirecting = true;
    window.location.replace(loginUrl("/bookings.html"));
    return;
  }
  const [, names] = await Promise.all([loadBookings(), loadAssociationNames()]);
  data.associations = names;
}

// --- the list -----------------------------------------------------------------------------------

function cancellable(booking) {
  return ACTIVE.has(booking.status) && Date.parse(booking.starts_at) > Date.now();
}

function occurrence(booking, group) {
  const when = formatDate(booking.local_date);
  const reason = booking.decision_reason && (booking.status === "rejected" || booking.status === "cancelled")
    ? h("span", { class: "occurrence-reason" }, t("bookings.reason", { reason: booking.decision_reason }))
    : null;
  let action = null;
  if (cancellable(booking)) {
    action = h("button", { type: "button", class: "button button-quiet button-small" },
      t("bookings.cancel"), h("span", { class: "visually-hidden" }, ` ${booking.title}, ${when}`));
    action.addEventListener("click", () => openCancel(booking, group, action));
  }
  return h("li", { class: `occurrence is-${booking.status}`, "data-booking": booking.id },
    h("span", { class: "occurrence-when" },
      h("span", { class: "occurrence-date" }, when), " ",
      h("span", { class: "occurrence-time" }, formatTimeRange(booking.local_start, booking.local_end))),
    statusBadge(booking.status),
    reason,
    action);
}

function groupCard(group) {
  const first = group.items[0];
  const headingId = `group-${group.key}`;
  const association = first.association_id ? data.associations.get(first.association_id) : null;
  return h("li", {},
    h("article", { class: "booking-group", "aria-labelledby": headingId, "data-series": group.seriesId ?? "" },
      h("h2", { class: "booking-title", id: headingId }, first.title),
      h("dl", { class: "facts" },
        h("div", {}, h("dt", {}, t("bookings.space")), h("dd", {}, placeLink(data.places.get(first.space_id), first.space_id))),
        first.association_id
          ? h("div", {}, h("dt", {}, t("bookings.association")), h("dd", {}, association ?? t("bookings.unknownAssociation")))
          : null,
        h("div", {}, h("dt", {}, t("bookings.when")), h("dd", {}, groupWhen(group.items))),
        h("div", {}, h("dt", {}, t("bookings.status")), h("dd", {}, statusSummary(group.items)))),
      h("ul", { class: "occurrences", "aria-label": t("bookings.occurrences", { title: first.title }) },
        group.items.map((b) => occurrence(b, group)))));
}

function renderList() {
  list.removeAttribute("aria-busy");
  if (data.error) {
    status.textContent = "";
    const retry = h("button", { type: "button", class: "button" }, t("errors.retry"));
    retry.addEventListener("click", () => window.location.reload());
    replaceChildren(list, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("bookings.loadFailed")} ${problemText(data.error)}`), h("p", {}, retry)));
    return;
  }
  const groups = groupBySeries(data.bookings);
  status.textContent = data.notice ? data.notice() : t("bookings.count", { count: groups.length });
  replaceChildren(list, groups.length
    ? h("ul", { class: "booking-list" }, groups.map(groupCard))
    : h("p", { class: "empty" }, t("bookings.none"), " ", h("a", { href: "/sites.html" }, t("bookings.findSpace"))));
}

// --- cancelling ---------------------------------------------------------------------------------

function openCancel(booking, group, opener) {
  Object.assign(cancelling, { booking, group, opener, busy: false, error: null });
  const later = group.items.filter(cancellable);
  const series = Boolean(booking.series_id) && later.length > 1;
  $("cancel-scope").hidden = !series;
  $("cancel-scope-one").checked = true;
  $("cancel-reason").value = "";
  renderCancel();
  dialog.showModal();
  (series ? $("cancel-scope-one") : $("cancel-reason")).focus();
}

function renderCancel() {
  const { booking } = cancelling;
  if (!booking) return;
  $("cancel-what").textContent = t("cancel.what", {
    title: booking.title, date: formatDate(booking.local_date),
    time: formatTimeRange(booking.local_start, booking.local_end),
  });
  replaceChildren(cancelAlert, cancelling.error ? problemText(cancelling.error) : null);
  cancelConfirm.textContent = t(cancelling.busy ? "cancel.sending" : "cancel.confirm");
  if (cancelling.busy) cancelConfirm.setAttribute("aria-disabled", "true");
  else cancelConfirm.removeAttribute("aria-disabled");
}

function closeCancel() {
  dialog.close();
}

dialog.addEventListener("close", () => {
  const opener = cancelling.opener;
  cancelling.booking = null;
  if (opener?.isConnected) opener.focus();
});

$("cancel-keep").addEventListener("click", closeCancel);

cancelForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (cancelling.busy || !cancelling.booking) return;
  const { booking } = cancelling;
  const scope = $("cancel-scope").hidden ? "one" : cancelForm.elements.scope.value;
  const reason = $("cancel-reason").value.trim();
  cancelling.busy = true;
  cancelling.error = null;
  renderCancel();
  try {
    const outcome = await api(`/api/bookings/${encodeURIComponent(booking.id)}/cancellation`, {
      method: "POST", body: reason ? { scope, reason } : { scope },
    });
    const count = outcome.cancelled.length;
    data.notice = () => t("bookings.cancelled", { count, title: booking.title });
    cancelling.opener = null;
    dialog.close();
    await loadBookings();
    renderList();
    status.focus();
  } catch (error) {
    cancelling.busy = false;
    cancelling.error = error;
    renderCancel();
  }
});

// --- the association's calendar link --------------------------------------------------------------

async function makeFeedLink(associationId) {
  const feed = data.feeds.get(associationId) ?? {};
  if (feed.busy) return;
  data.feeds.set(associationId, { ...feed, busy: true, error: null });
  renderFeeds();
  document.getElementById(`feed-make-${associationId}`)?.focus(); // drawn anew: keep the keyboard on it
  try {
    const link = await api(`/api/associations/${encodeURIComponent(associationId)}/feed-token`, { method: "POST" });
    data.feeds.set(associationId, { url: link.url, busy: false, error: null });
  } catch (error) {
    data.feeds.set(associationId, { ...feed, busy: false, error });
  }
  renderFeeds();
  const field = data.feeds.get(associationId).url ? document.getElementById(`feed-${associationId}`) : null;
  (field ?? document.getElementById(`feed-make-${associationId}`))?.focus();
}

function feedBlock(associationId) {
  const name = data.associations.get(associationId) ?? t("bookings.unknownAssociation");
  const feed = data.feeds.get(associationId) ?? {};
  const headingId = `feed-heading-${associationId}`;
  const button = h("button", { type: "button", class: "button", id: `feed-make-${associationId}`,
    "aria-disabled": feed.busy ? "true" : null, "aria-describedby": headingId },
  t(feed.busy ? "bookings.feedMaking" : feed.url ? "bookings.feedRenew" : "bookings.feedMake"));
  button.addEventListener("click", () => makeFeedLink(associationId));
  return h("div", { class: "feed" },
    h("h3", { id: headingId }, name),
    feed.url ? copyField({ id: `feed-${associationId}`, label: t("bookings.feedLabel", { name }), url: feed.url,
      hint: t("bookings.feedNew") }) : null,
    h("div", { class: "alert alert-error", role: "alert" }, feed.error ? problemText(feed.error) : null),
    h("p", {}, button));
}

function renderFeeds() {
  const ids = representedAssociations(data.session);
  feedsSection.hidden = ids.length === 0;
  replaceChildren($("feeds"), ids.map(feedBlock));
}

// --- drawing ------------------------------------------------------------------------------------

function render(state) {
  data.session = state.session;
  if (state.loading || data.redirecting) {
    replaceChildren(list);
    return;
  }
  if (!state.session) {
    replaceChildren(list, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, problemText(state.sessionError))));
    return;
  }
  intro.textContent = t(canDecide(state.session) ? "bookings.introStaff"
    : representedAssociations(state.session).length ? "bookings.introRep" : "bookings.intro");
  renderList();
  renderFeeds();
  renderCancel();
}

startPage({ current: "bookings", titleKey: "bookings.title", load, render });
