// "Lokalkalender" (premises staff): one site's week, every space side by side with its bookings by
// status. Requests waiting for a decision stand out and can be approved from here (rejecting needs
// a reason and is done in the approval queue). Approved bookings that have begun show whether the
// association checked in, or can be marked as a no-show. The site and week live in the URL (?id=&week=).
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, DEFAULT_TIME_ZONE, formatDate, formatDateRange, formatTime, formatTimeRange, t } from "../i18n.js";
import { addDays, isIsoDate, isoWeek, mondayOf, todayIn } from "../dates.js";
import { canDecide, loginUrl } from "../session.js";
import { conflictTime, loadAssociationNames, problemText, statusBadge } from "../booking-ui.js";

const $ = (id) => document.getElementById(id);
const status = $("calendar-status");
const weekSection = $("site-week-section");
const weekView = $("site-week");
const siteSelect = $("site-select");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHOWN = new Set(["pending", "approved"]);

const params = new URLSearchParams(window.location.search);
const data = {
  allowed: false,
  redirecting: false,
  sites: [],
  siteId: UUID.test(params.get("id") ?? "") ? params.get("id") : "",
  spaces: [],
  zone: DEFAULT_TIME_ZONE,
  today: null,
  week: null,
  bookings: new Map(), // space id -> bookings of the week
  days: new Map(), // space id -> availability days (closed reasons, opening hours)
  associations: new Map(),
  error: null,
  notice: null,
};
const deciding = new Map(); // booking id -> {busy, error}

async function loadWeek() {
  const from = `${addDays(data.week, -1)}T00:00:00Z`;
  const to = `${addDays(data.week, 8)}T00:00:00Z`;
  const last = addDays(data.week, 6);
  try {
    const answers = await Promise.all(data.spaces.map(async (space) => {
      const [bookings, availability] = await Promise.all([
        fetchAll("/api/bookings", { space_id: space.id, from, to }),
        api(`/api/spaces/${encodeURIComponent(space.id)}/availability?${new URLSearchParams({ from: data.week, to: last })}`),
      ]);
      return [space.id, bookings.filter((b) => b.local_date >= data.week && b.local_date <= last), availability.days];
    }));
    data.bookings = new Map(answers.map(([id, bookings]) => [id, bookings]));
    data.days = new Map(answers.map(([id, , days]) => [id, days]));
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load(state) {
  if (!state.session) {
    if (state.sessionError) return;
    data.redirecting = true;
    window.location.replace(loginUrl(window.location.pathname + window.location.search));
    return;
  }
  data.allowed = canDecide(state.session);
  if (!data.allowed) return;
  const municipalityId = state.session.account.municipality_id;
  try {
    const [sites, municipality, names] = await Promise.all([
      fetchAll("/api/sites"),
      api(`/api/municipalities/${encodeURIComponent(municipalityId)}`).catch(() => null),
      loadAssociationNames(),
    ]);
    const byName = collator();
    data.sites = sites.filter((s) => s.municipality_id === municipalityId)
      .sort((a, b) => byName.compare(a.name, b.name));
    data.associations = names;
    if (municipality?.timezone) data.zone = municipality.timezone;
    data.today = todayIn(data.zone);
    const wanted = params.get("week");
    data.week = mondayOf(isIsoDate(wanted) ? wanted : data.today);
    if (!data.sites.some((s) => s.id === data.siteId)) data.siteId = data.sites[0]?.id ?? "";
    if (!data.siteId) return;
    data.spaces = (await fetchAll("/api/spaces", { site_id: data.siteId }))
      .sort((a, b) => byName.compare(a.name, b.name));
    await loadWeek();
  } catch (error) {
    data.error = error;
  }
}

// --- deciding -------------------------------------------------------------------------------------

async function approve(booking) {
  const state = deciding.get(booking.id) ?? {};
  if (state.busy) return;
  deciding.set(booking.id, { busy: true, error: null });
  renderWeek();
  $(`approve-${booking.id}`)?.focus();
  try {
    await api(`/api/bookings/${encodeURIComponent(booking.id)}/decision`, { method: "POST", body: { approve: true } });
    deciding.delete(booking.id);
    data.notice = t("siteCalendar.approved", { title: booking.title, date: formatDate(booking.local_date) });
    await loadWeek();
    renderWeek();
    status.textContent = data.notice;
    $(`booking-${booking.id}`)?.focus();
  } catch (error) {
    deciding.set(booking.id, { busy: false, error });
    renderWeek();
    $(`approve-${booking.id}`)?.focus();
  }
}

async function markNoShow(booking) {
  const state = deciding.get(booking.id) ?? {};
  if (state.busy) return;
  deciding.set(booking.id, { busy: true, error: null });
  renderWeek();
  try {
    await api(`/api/bookings/${encodeURIComponent(booking.id)}/no-show`, { method: "POST" });
    deciding.delete(booking.id);
    await loadWeek();
    renderWeek();
    status.textContent = t("siteCalendar.markedNoShow", { title: booking.title, date: formatDate(booking.local_date) });
    $(`booking-${booking.id}`)?.focus();
  } catch (error) {
    deciding.set(booking.id, { busy: false, error });
    renderWeek();
    $(`no-show-${booking.id}`)?.focus();
  }
}

function decisionError(error) {
  const conflicts = error instanceof ApiError && error.status === 409 ? error.problem.conflicts ?? [] : [];
  if (conflicts.some((c) => c.status)) return t("approvals.alreadyDecided");
  if (conflicts.some((c) => c.starts_at)) {
    return `${t("approvals.taken")} ${conflicts.filter((c) => c.starts_at).map((c) => conflictTime(c, data.zone)).join(", ")}`;
  }
  return problemText(error);
}

// --- drawing ----------------------------------------------------------------------------------------

function bookingItem(booking) {
  const pending = booking.status === "pending";
  const state = deciding.get(booking.id) ?? {};
  const association = booking.association_id
    ? data.associations.get(booking.association_id) ?? t("bookings.unknownAssociation") : t("approvals.noAssociation");
  const when = `${formatDate(booking.local_date)} ${formatTimeRange(booking.local_start, booking.local_end)}`;
  let actions = null;
  if (pending) {
    const button = h("button", { type: "button", class: "button button-small", id: `approve-${booking.id}`,
      "aria-disabled": state.busy ? "true" : null },
    t(state.busy ? "approvals.sending" : "approvals.approve"),
    h("span", { class: "visually-hidden" }, ` ${booking.title}, ${when}`));
    button.addEventListener("click", () => approve(booking));
    actions = h("div", { class: "actions" }, button,
      h("a", { href: "/approvals.html" }, t("siteCalendar.toQueue"),
        h("span", { class: "visually-hidden" }, ` ${booking.title}`)));
  }
  let use = null;
  if (booking.status === "approved") {
    if (booking.checked_in_at) {
      use = h("span", { class: "slot-detail" }, t("siteCalendar.checkedIn", { time: formatTime(booking.checked_in_at, data.zone) }));
    } else if (booking.no_show) {
      use = h("span", { class: "slot-detail" }, h("strong", {}, t("siteCalendar.noShow")));
    } else if (Date.parse(booking.starts_at) <= Date.now()) {
      const button = h("button", { type: "button", class: "button button-quiet button-small", id: `no-show-${booking.id}`,
        "aria-disabled": state.busy ? "true" : null },
      t("siteCalendar.markNoShow"), h("span", { class: "visually-hidden" }, ` ${booking.title}, ${when}`));
      button.addEventListener("click", () => markNoShow(booking));
      actions = h("div", { class: "actions" }, button);
    }
  }
  return h("li", { "data-booking": booking.id },
    h("div", { class: `slot slot-${SHOWN.has(booking.status) ? booking.status : "other"}`, id: `booking-${booking.id}`,
      tabindex: "-1" },
    h("span", { class: "slot-time" }, formatTimeRange(booking.local_start, booking.local_end)),
    statusBadge(booking.status),
    h("span", { class: "slot-detail" }, booking.title),
    h("span", { class: "slot-detail" }, association),
    use,
    state.error ? h("span", { class: "slot-detail", role: "alert" }, decisionError(state.error)) : null,
    actions));
}

/** The parts of the day's opening hours that are neither free nor booked: closed periods. */
function closedSpans(info) {
  if (!info || info.closed_reason) return [];
  const taken = [...info.free, ...info.busy].map((i) => [Date.parse(i.starts_at), Date.parse(i.ends_at)])
    .sort((a, b) => a[0] - b[0]);
  const spans = [];
  for (const window of info.open) {
    let cursor = Date.parse(window.starts_at);
    const end = Date.parse(window.ends_at);
    for (const [from, to] of taken) {
      if (to <= cursor || from >= end) continue;
      if (from > cursor) spans.push([cursor, from]);
      cursor = Math.max(cursor, to);
    }
    if (cursor < end) spans.push([cursor, end]);
  }
  return spans.map(([from, to]) => formatTimeRange(formatTime(new Date(from).toISOString(), data.zone),
    formatTime(new Date(to).toISOString(), data.zone)));
}

function dayItem(space, day, bookings) {
  const info = (data.days.get(space.id) ?? []).find((d) => d.date === day);
  const closed = closedSpans(info);
  const items = bookings.filter((b) => b.local_date === day && SHOWN.has(b.status))
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const headingId = `day-${space.id}-${day}`;
  let body;
  if (items.length) {
    body = h("ul", { class: "slots", "aria-labelledby": headingId }, items.map(bookingItem));
  } else if (info?.closed_reason) {
    body = h("p", { class: "day-closed is-holiday" }, t("spacePage.holiday", { name: info.closed_reason }));
  } else if (closed.length) {
    body = null;
  } else {
    body = h("p", { class: "day-past" }, t("siteCalendar.nothing"));
  }
  const note = [
    items.length && info?.closed_reason
      ? h("p", { class: "day-closed is-holiday" }, t("spacePage.holiday", { name: info.closed_reason })) : null,
    closed.length ? h("p", { class: "day-closed slot-closed-note" }, t("siteCalendar.closedAt", { times: closed.join(", ") }))
      : null,
  ];
  const classes = ["day", day === data.today ? "is-today" : "", info?.closed_reason ? "is-closed" : ""];
  return h("li", { class: classes.filter(Boolean).join(" "), "data-date": day },
    h("h4", { class: "day-name", id: headingId }, formatDate(day, { weekday: "long", day: "numeric", month: "long" })),
    note, body);
}

function spaceBlock(space) {
  const bookings = data.bookings.get(space.id) ?? [];
  const pending = bookings.filter((b) => b.status === "pending").length;
  const headingId = `space-${space.id}`;
  return h("li", {},
    h("section", { "aria-labelledby": headingId, "data-space": space.id },
      h("h3", { id: headingId }, h("a", { href: `/space.html?id=${encodeURIComponent(space.id)}&week=${data.week}` },
        space.name)),
      h("p", { class: "muted" }, t("siteCalendar.counts", { count: bookings.filter((b) => SHOWN.has(b.status)).length,
        pending })),
      h("ol", { class: "week" }, Array.from({ length: 7 }, (_, i) => dayItem(space, addDays(data.week, i), bookings)))));
}

function renderWeek() {
  if (!data.week || !data.siteId) return;
  $("site-week-label").textContent = t("spacePage.weekLabel", {
    week: isoWeek(data.week), range: formatDateRange(data.week, addDays(data.week, 6)) });
  if (data.error) {
    replaceChildren(weekView, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("siteCalendar.loadFailed")} ${problemText(data.error)}`)));
    return;
  }
  replaceChildren(weekView, data.spaces.length
    ? h("ul", { class: "site-week" }, data.spaces.map(spaceBlock))
    : h("p", { class: "empty" }, t("sites.noSpaces")));
}

function renderSites() {
  replaceChildren(siteSelect, data.sites.map((s) => h("option", { value: s.id, selected: s.id === data.siteId }, s.name)));
}

async function goToWeek(monday) {
  data.week = monday;
  const query = new URLSearchParams({ id: data.siteId });
  if (monday !== mondayOf(data.today)) query.set("week", monday);
  window.history.replaceState(null, "", `?${query}`);
  status.textContent = "";
  weekView.setAttribute("aria-busy", "true");
  await loadWeek();
  weekView.removeAttribute("aria-busy");
  renderWeek();
  status.textContent = t("spacePage.showingWeek", {
    week: isoWeek(monday), range: formatDateRange(monday, addDays(monday, 6)) });
}

$("week-prev").addEventListener("click", () => goToWeek(addDays(data.week, -7)));
$("week-next").addEventListener("click", () => goToWeek(addDays(data.week, 7)));

function render(state) {
  if (state.loading || data.redirecting) return;
  if (!state.session) {
    replaceChildren(weekView);
    status.textContent = problemText(state.sessionError);
    return;
  }
  if (!data.allowed) {
    $("site-form").hidden = true;
    replaceChildren(status, t("siteCalendar.notAllowed"));
    return;
  }
  renderSites();
  const site = data.sites.find((s) => s.id === data.siteId);
  if (site) {
    $("calendar-title").textContent = t("siteCalendar.titleOf", { site: site.name });
    document.title = `${t("siteCalendar.titleOf", { site: site.name })}${t("app.titleSeparator")}${t("app.name")}`;
  }
  weekSection.hidden = !site;
  if (!site && !data.error) status.textContent = t("siteCalendar.noSites");
  if (data.error && !site) status.textContent = problemText(data.error);
  renderWeek();
}

startPage({ current: "siteCalendar", titleKey: "siteCalendar.title", load, render });
