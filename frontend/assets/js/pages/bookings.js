// "Mina bokningar": the caller's coming bookings (a representative sees the association's, staff
// see the municipality's), grouped by series, with cancelling (one, this and following, the whole
// series; the cancellation deadline is said before cancelling), and for representatives the
// association's private calendar link and its attendance: who came to each occasion that has begun,
// and the LOK-stöd export of a period. Moving an occasion (booking-move.js): a representative's move
// of an approved time waits for the premises staff, and the occasion says so.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { DEFAULT_TIME_ZONE, formatDate, formatDuration, formatTime, formatTimeRange, hasText, t } from "../i18n.js";
import { addDays, isIsoDate, startOfToday, todayIn } from "../dates.js";
import { addError, apiErrors, downloadLink, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";
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
import { movedNotice, moveDialog, pendingChangeNote } from "../booking-move.js";

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
  const reps = representedAssociations(state.session);
  const [, names] = await Promise.all([loadBookings(), loadAssociationNames(),
    ...reps.map((id) => loadAttendance(id))]);
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
  let move = null;
  if (cancellable(booking)) {
    action = h("button", { type: "button", class: "button button-quiet button-small" },
      t("bookings.cancel"), h("span", { class: "visually-hidden" }, ` ${booking.title}, ${when}`));
    action.addEventListener("click", () => openCancel(booking, group, action));
    move = h("button", { type: "button", class: "button button-quiet button-small" },
      t("changes.move"), h("span", { class: "visually-hidden" }, ` ${booking.title}, ${when}`));
    move.addEventListener("click", () => mover.open(booking, move));
  }
  return h("li", { class: `occurrence is-${booking.status}`, "data-booking": booking.id },
    h("span", { class: "occurrence-when" },
      h("span", { class: "occurrence-date" }, when), " ",
      h("span", { class: "occurrence-time" }, formatTimeRange(booking.local_start, booking.local_end))),
    statusBadge(booking.status),
    reason,
    pendingChangeNote(booking, data.places),
    move,
    action,
    booking.status === "approved" && booking.association_id ? accessDetails(booking, when) : null);
}

// --- getting in: the door code or key instructions, and the check-in QR code ----------------------

const accesses = new Map(); // booking id -> {open, access, error}

function accessView(booking, state) {
  if (state.error) return h("p", { role: "alert" }, problemText(state.error));
  if (!state.access) return h("p", {}, t("access.loading"));
  const { access } = state;
  const span = t("access.valid", {
    from: formatTime(access.valid_from, DEFAULT_TIME_ZONE), to: formatTime(access.valid_to, DEFAULT_TIME_ZONE) });
  const how = access.mode === "door_code" && access.door_code
    ? h("p", {}, t("access.doorCode"), " ", h("strong", { class: "door-code" }, access.door_code), ` ${span}`)
    : h("p", {}, t(access.mode === "key" ? "access.key" : "access.open"));
  return [how,
    access.instructions ? h("p", {}, access.instructions) : null,
    h("p", {}, t("access.checkInIntro")),
    h("img", { class: "check-in-qr", src: `/api/bookings/${encodeURIComponent(booking.id)}/check-in.svg`,
      alt: t("access.qrAlt"), width: "160", height: "160" }),
    h("p", { class: "hint" }, t("access.checkInLink"), " ", h("a", { href: access.check_in_url }, access.check_in_url))];
}

function accessDetails(booking, when) {
  const state = accesses.get(booking.id) ?? { open: false };
  const body = h("div", { class: "access-body", "aria-live": "polite" }, state.open ? accessView(booking, state) : null);
  const details = h("details", { class: "dates access-details", open: state.open },
    h("summary", {}, t("access.summary"), h("span", { class: "visually-hidden" }, ` ${booking.title}, ${when}`)),
    body);
  details.addEventListener("toggle", async () => {
    state.open = details.open;
    accesses.set(booking.id, state);
    if (!details.open || state.access) {
      replaceChildren(body, details.open ? accessView(booking, state) : null);
      return;
    }
    replaceChildren(body, accessView(booking, state));
    try {
      state.access = await api(`/api/bookings/${encodeURIComponent(booking.id)}/access`);
      state.error = null;
    } catch (error) {
      state.error = error;
    }
    replaceChildren(body, accessView(booking, state));
  });
  return details;
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

// --- moving -------------------------------------------------------------------------------------

const mover = moveDialog({
  zone: () => DEFAULT_TIME_ZONE,
  onMoved: async (booking, answer) => {
    data.notice = () => movedNotice(booking, answer);
    await loadBookings();
    renderList();
    status.focus();
  },
});

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
  const hours = data.places.get(booking.space_id)?.space.rules.cancel_deadline_hours ?? 0;
  $("cancel-deadline").textContent = hours > 0
    ? t("cancel.deadline", { duration: formatDuration(hours, "hour") }) : t("cancel.noDeadline");
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

// --- attendance ---------------------------------------------------------------------------------

const attendanceSection = $("attendance-section");
const attendanceDialog = $("attendance-dialog");
const attendanceForm = $("attendance-form");
const attendanceAlert = $("attendance-alert");
const GENDERS = ["female", "male", "other"];
const LOK_NOTES = {
  "shorter than 45 minutes": "attendance.lokShort",
  "leader under 13 or age unknown": "attendance.lokLeader",
  "fewer than 3 participants aged 7-25": "attendance.lokFew",
  "not recorded": "attendance.notRecorded",
};
// association id -> {from, to, items, error, notice}
const reports = new Map();
// the occasion whose attendance is being recorded
const editing = { associationId: null, item: null, opener: null, busy: false, errors: null, leader: "",
  leaderYear: "", leaders: "1", groups: [] };

function today() {
  return todayIn(DEFAULT_TIME_ZONE);
}

async function loadAttendance(associationId) {
  const report = reports.get(associationId) ?? { from: addDays(today(), -30), to: today() };
  reports.set(associationId, report);
  try {
    const query = new URLSearchParams({ from: report.from, to: report.to });
    const answer = await api(`/api/associations/${encodeURIComponent(associationId)}/attendance?${query}`);
    report.items = answer.items;
    report.error = null;
  } catch (error) {
    report.items = [];
    report.error = error;
  }
}

/** Whether the occasion has begun (only then can attendance be recorded). */
function begun(item) {
  const now = `${today()}T${formatTime(new Date().toISOString(), DEFAULT_TIME_ZONE)}`;
  return `${item.local_date}T${item.local_start}` <= now;
}

function lokText(item) {
  if (!item.recorded) return t("attendance.notRecorded");
  if (item.lok_counts) return t("attendance.lokCounts", { count: item.lok_participants });
  const notes = item.lok_notes.map((note) => (LOK_NOTES[note] && hasText(LOK_NOTES[note]) ? t(LOK_NOTES[note]) : note));
  return t("attendance.lokNot", { reasons: notes.join("; ") });
}

function occasionItem(associationId, item) {
  const when = `${formatDate(item.local_date)} ${item.local_start}`;
  let action = null;
  if (begun(item)) {
    action = h("button", { type: "button", class: "button button-quiet button-small" },
      t(item.recorded ? "attendance.edit" : "attendance.record"),
      h("span", { class: "visually-hidden" }, ` ${when}`));
    action.addEventListener("click", () => openAttendance(associationId, item, action));
  }
  return h("li", { class: "occurrence", "data-attendance": item.booking_id },
    h("span", { class: "occurrence-when" },
      h("span", { class: "occurrence-date" }, formatDate(item.local_date)), " ",
      h("span", { class: "occurrence-time" }, item.local_start), " ",
      `(${formatDuration(item.minutes, "minute")}), ${item.space_name}`),
    h("span", { class: "attendance-summary" },
      item.recorded ? `${t("attendance.total", { count: item.total })} ` : "", lokText(item)),
    action);
}

function periodForm(associationId, report) {
  const from = h("input", { type: "date", id: `att-from-${associationId}`, value: report.from });
  const to = h("input", { type: "date", id: `att-to-${associationId}`, value: report.to });
  const show = h("button", { type: "submit", class: "button button-quiet" }, t("attendance.show"));
  const form = h("form", { class: "period-form", novalidate: true, "aria-label": t("attendance.period") },
    h("div", { class: "field" }, h("label", { for: from.id }, t("attendance.from")), from),
    h("div", { class: "field" }, h("label", { for: to.id }, t("attendance.to")), to),
    h("div", { class: "field field-action" }, show));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!isIsoDate(from.value) || !isIsoDate(to.value) || to.value < from.value) {
      for (const other of reports.values()) other.notice = null;
      report.notice = t("attendance.badPeriod");
      renderAttendance();
      return;
    }
    for (const other of reports.values()) other.notice = null;
    Object.assign(report, { from: from.value, to: to.value });
    await loadAttendance(associationId);
    report.notice = t("attendance.showing", { count: report.items.length });
    renderAttendance();
  });
  return form;
}

function attendanceBlock(associationId) {
  const report = reports.get(associationId);
  const name = data.associations.get(associationId) ?? t("bookings.unknownAssociation");
  const headingId = `attendance-${associationId}`;
  const items = report?.items ?? [];
  return h("div", { class: "feed", "aria-labelledby": headingId, role: "group" },
    h("h3", { id: headingId }, name),
    periodForm(associationId, report),
    report.error ? h("div", { class: "alert alert-error", role: "alert" }, problemText(report.error)) : null,
    items.length
      ? h("ul", { class: "occurrences", "aria-label": t("attendance.listLabel", { name }) },
        items.map((item) => occasionItem(associationId, item)))
      : h("p", { class: "empty" }, t("attendance.none")),
    h("p", {}, downloadLink(`/api/associations/${encodeURIComponent(associationId)}/attendance.csv`,
      { from: report.from, to: report.to }, t("attendance.csv"), { id: `lok-csv-${associationId}` })));
}

function renderAttendance() {
  const ids = representedAssociations(data.session).filter((id) => reports.has(id));
  attendanceSection.hidden = ids.length === 0;
  $("attendance-status").textContent = ids.map((id) => reports.get(id).notice).filter(Boolean).join(" ");
  replaceChildren($("attendance"), ids.map(attendanceBlock));
}

function openAttendance(associationId, item, opener) {
  Object.assign(editing, {
    associationId, item, opener, busy: false, errors: null,
    leader: item.leader_name ?? "", leaderYear: item.leader_birth_year ? String(item.leader_birth_year) : "",
    leaders: "1",
    groups: item.participants.length
      ? item.participants.map((g) => ({ birth_year: String(g.birth_year), gender: g.gender, count: String(g.count) }))
      : [{ birth_year: "", gender: "female", count: "" }],
  });
  renderAttendanceForm();
  attendanceDialog.showModal();
  $("att-leader").focus();
}

function input(id, value, attributes, onInput) {
  const element = h("input", { id, value, ...attributes });
  element.addEventListener("input", () => onInput(element.value));
  return element;
}

function groupRow(group, index) {
  const prefix = `att-p-${index}`;
  const gender = h("select", { id: `${prefix}-gender` },
    GENDERS.map((g) => h("option", { value: g, selected: g === group.gender }, t(`attendance.genders.${g}`))));
  gender.addEventListener("change", () => { group.gender = gender.value; });
  const remove = h("button", { type: "button", class: "button button-quiet button-small" },
    t("attendance.removeRow"), h("span", { class: "visually-hidden" }, ` ${index + 1}`));
  remove.addEventListener("click", () => {
    editing.groups.splice(index, 1);
    renderAttendanceForm();
    ($(`att-p-${Math.max(0, index - 1)}-birth_year`) ?? $("att-add")).focus();
  });
  const number = { type: "text", inputmode: "numeric", autocomplete: "off" };
  return h("fieldset", { class: "participant-row" },
    h("legend", {}, t("attendance.row", { number: index + 1 })),
    h("div", { class: "field-row" },
      field({ id: `${prefix}-birth_year`, label: t("attendance.birthYear"),
        control: input(`${prefix}-birth_year`, group.birth_year, { ...number, maxlength: "4" },
          (v) => { group.birth_year = v; }) }),
      field({ id: `${prefix}-gender`, label: t("attendance.gender"), control: gender }),
      field({ id: `${prefix}-count`, label: t("attendance.count"),
        control: input(`${prefix}-count`, group.count, { ...number, maxlength: "3" }, (v) => { group.count = v; }) })),
    remove);
}

function renderAttendanceForm() {
  const { item } = editing;
  if (!item) return;
  $("attendance-what").textContent = t("attendance.what", {
    date: formatDate(item.local_date), time: item.local_start, space: item.space_name });
  const add = h("button", { type: "button", class: "button button-quiet", id: "att-add" }, t("attendance.addRow"));
  add.addEventListener("click", () => {
    editing.groups.push({ birth_year: "", gender: "female", count: "1" });
    renderAttendanceForm();
    $(`att-p-${editing.groups.length - 1}-birth_year`).focus();
  });
  const number = { type: "text", inputmode: "numeric", autocomplete: "off" };
  replaceChildren($("attendance-fields"),
    field({ id: "att-leader", label: t("attendance.leader"),
      control: input("att-leader", editing.leader, { type: "text", maxlength: "200", autocomplete: "off" },
        (v) => { editing.leader = v; }) }),
    h("div", { class: "field-row" },
      field({ id: "att-leader-year", label: t("attendance.leaderYear"), hint: t("attendance.leaderYearHint"),
        control: input("att-leader-year", editing.leaderYear, { ...number, maxlength: "4" },
          (v) => { editing.leaderYear = v; }) }),
      field({ id: "att-leaders", label: t("attendance.leaders"),
        control: input("att-leaders", editing.leaders, { ...number, maxlength: "2" }, (v) => { editing.leaders = v; }) })),
    h("h3", {}, t("attendance.participants")),
    h("p", { class: "hint" }, t("attendance.participantsHint")),
    editing.groups.map(groupRow),
    h("p", {}, add));
  paintErrors(attendanceForm, attendanceAlert, editing.errors);
  const save = $("attendance-save");
  save.textContent = t(editing.busy ? "attendance.saving" : "attendance.save");
  if (editing.busy) save.setAttribute("aria-disabled", "true");
  else save.removeAttribute("aria-disabled");
}

const YEAR = /^\d{4}$/;
const COUNT = /^\d{1,3}$/;

function readAttendance() {
  const errors = newErrors();
  const thisYear = Number(today().slice(0, 4));
  const body = { leader_name: editing.leader.trim(), participants: [] };
  if (!body.leader_name) addError(errors, "att-leader", t("attendance.leaderMissing"));
  if (editing.leaderYear.trim()) {
    const year = editing.leaderYear.trim();
    if (!YEAR.test(year) || Number(year) < 1900 || Number(year) > thisYear) {
      addError(errors, "att-leader-year", t("attendance.yearInvalid"));
    } else body.leader_birth_year = Number(year);
  }
  const leaders = editing.leaders.trim() || "1";
  if (!COUNT.test(leaders) || Number(leaders) < 1 || Number(leaders) > 50) {
    addError(errors, "att-leaders", t("attendance.leadersInvalid"));
  } else body.leaders = Number(leaders);
  editing.groups.forEach((group, i) => {
    const year = group.birth_year.trim();
    const count = group.count.trim();
    if (!year && !count) return; // an empty row is left out
    if (!YEAR.test(year) || Number(year) < 1900 || Number(year) > thisYear) {
      addError(errors, `att-p-${i}-birth_year`, t("attendance.yearInvalid"));
    }
    if (!COUNT.test(count)) addError(errors, `att-p-${i}-count`, t("attendance.countInvalid"));
    body.participants.push({ birth_year: Number(year), gender: group.gender, count: Number(count) });
  });
  return { body, errors };
}

function controlOfAttendance(name) {
  const match = /^participants\[(\d+)\]\.(birth_year|gender|count)$/.exec(name);
  if (match) return `att-p-${match[1]}-${match[2]}`;
  return { leader_name: "att-leader", leader_birth_year: "att-leader-year", leaders: "att-leaders" }[name] ?? null;
}

attendanceForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (editing.busy || !editing.item) return;
  const { body, errors } = readAttendance();
  if (hasErrors(errors)) {
    editing.errors = errors;
    renderAttendanceForm();
    focusFirstError(errors, attendanceAlert);
    return;
  }
  editing.busy = true;
  editing.errors = null;
  renderAttendanceForm();
  const { item, associationId } = editing;
  try {
    await api(`/api/bookings/${encodeURIComponent(item.booking_id)}/attendance`, { method: "PUT", body });
  } catch (error) {
    editing.busy = false;
    editing.errors = apiErrors(error, controlOfAttendance);
    renderAttendanceForm();
    focusFirstError(editing.errors, attendanceAlert);
    return;
  }
  editing.busy = false;
  await loadAttendance(associationId);
  for (const other of reports.values()) other.notice = null;
  reports.get(associationId).notice = t("attendance.saved", { date: formatDate(item.local_date) });
  editing.opener = null;
  attendanceDialog.close();
  renderAttendance();
  document.querySelector(`[data-attendance="${item.booking_id}"] button`)?.focus();
});

attendanceDialog.addEventListener("close", () => {
  const opener = editing.opener;
  editing.item = null;
  if (opener?.isConnected) opener.focus();
});
$("attendance-close").addEventListener("click", () => attendanceDialog.close());

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
  mover.render();
  renderAttendance();
  renderAttendanceForm();
}

startPage({ current: "bookings", titleKey: "bookings.title", load, render });
