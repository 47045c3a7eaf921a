// One space: its free and booked times week by week (public, no names), the link to its public
// calendar feed, and for association representatives and premises staff the form to ask for a
// time, once or weekly. The week lives in the URL (?id=...&week=YYYY-MM-DD).
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import {
  DEFAULT_TIME_ZONE,
  formatDate,
  formatDateRange,
  formatTime,
  formatTimeRange,
  hasText,
  t,
  weekdayName,
} from "../i18n.js";
import { addDays, isIsoDate, isoWeek, mondayOf, todayIn, weekdayOf } from "../dates.js";
import { canDecide, canRequest, loginUrl } from "../session.js";
import { conflictTime, copyField, groupWhen, problemText, ruleText, skippedText, statusBadge } from "../booking-ui.js";

const $ = (id) => document.getElementById(id);
const title = $("space-title");
const summary = $("space-summary");
const calendarSection = $("calendar-section");
const weekLabel = $("week-label");
const weekStatus = $("week-status");
const weekView = $("week");
const requestSection = $("request-section");
const signinSection = $("signin-section");
const feedSection = $("feed-section");
const bookingForm = $("booking-form");
const alertRegion = $("booking-alert");
const result = $("request-result");
const submit = $("booking-submit");
const weekly = $("booking-weekly");
const recurrence = $("recurrence-fields");
const weekdayList = $("booking-weekdays");

const FIELDS = ["association", "title", "date", "start", "end", "weekdays", "until", "note"];
// Where the API's field names are shown in the form.
const FIELD_OF = {
  association_id: "association", title: "title", date: "date", start: "start", end: "end", note: "note",
  "recurrence.weekdays": "weekdays", "recurrence.interval": "weekdays", "recurrence.until": "until",
  "recurrence.count": "until", recurrence: "until",
};
const SHOWN_PER_FIELD = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const params = new URLSearchParams(window.location.search);
const spaceId = params.get("id") ?? "";

const data = {
  space: null,
  site: null,
  parent: null,
  parts: [],
  zone: DEFAULT_TIME_ZONE,
  today: null,
  week: null, // the Monday shown
  days: null,
  weekLoading: false,
  weekError: null,
  loadError: null,
  associations: [],
  session: null,
};

const request = {
  errors: {}, // field -> [{key, params} | {api: {code, message}}]
  alert: null, // () -> children, so it is drawn again in the current language
  submitting: false,
  outcome: null, // the API's answer to the last request that went through
};

function isStaff() {
  return canDecide(data.session);
}

// --- loading ------------------------------------------------------------------------------------

async function loadWeek() {
  data.weekLoading = true;
  data.weekError = null;
  renderWeek();
  const query = new URLSearchParams({ from: data.week, to: addDays(data.week, 6) });
  try {
    const availability = await api(`/api/spaces/${encodeURIComponent(spaceId)}/availability?${query}`);
    data.days = availability.days;
    data.zone = availability.timezone || data.zone;
  } catch (error) {
    data.days = null;
    data.weekError = error;
  } finally {
    data.weekLoading = false;
  }
}

async function load(state) {
  data.session = state.session;
  if (!UUID.test(spaceId)) {
    data.loadError = "notFound";
    return;
  }
  try {
    data.space = await api(`/api/spaces/${encodeURIComponent(spaceId)}`);
  } catch (error) {
    data.loadError = error instanceof ApiError && (error.status === 404 || error.status === 422) ? "notFound" : error;
    return;
  }
  const { space } = data;
  const [site, municipality, parent, ...parts] = await Promise.allSettled([
    api(`/api/sites/${encodeURIComponent(space.site_id)}`),
    api(`/api/municipalities/${encodeURIComponent(space.municipality_id)}`),
    space.parent_id ? api(`/api/spaces/${encodeURIComponent(space.parent_id)}`) : Promise.resolve(null),
    ...space.part_ids.map((id) => api(`/api/spaces/${encodeURIComponent(id)}`)),
  ]);
  if (site.status === "fulfilled") data.site = site.value;
  if (municipality.status === "fulfilled") data.zone = municipality.value.timezone || data.zone;
  if (parent.status === "fulfilled") data.parent = parent.value;
  data.parts = parts.filter((p) => p.status === "fulfilled").map((p) => p.value);

  data.today = todayIn(data.zone);
  const wanted = params.get("week");
  data.week = mondayOf(isIsoDate(wanted) ? wanted : data.today);
  const loads = [loadWeek()];
  if (canRequest(state.session)) {
    loads.push(fetchAll("/api/associations", { verified: "true" })
      .then((associations) => { data.associations = associations; })
      .catch(() => { data.associations = []; }));
  }
  await Promise.all(loads);
}

// --- the space ----------------------------------------------------------------------------------

function fact(term, ...value) {
  return h("div", {}, h("dt", {}, term), h("dd", {}, ...value));
}

function kindLabel(kind) {
  return hasText(`space.kinds.${kind}`) ? t(`space.kinds.${kind}`) : kind;
}

function spaceLink(space) {
  return h("a", { href: `/space.html?id=${encodeURIComponent(space.id)}` }, space.name);
}

function renderSummary() {
  const { space, site } = data;
  const address = site ? `${site.address.street}, ${site.address.postal_code} ${site.address.city}` : null;
  replaceChildren(summary,
    h("dl", { class: "facts", id: "space-facts" },
      site ? fact(t("spacePage.site"), site.name) : null,
      address ? fact(t("sites.address"), address) : null,
      fact(t("space.kind"), kindLabel(space.kind)),
      fact(t("space.capacity"), t("space.people", { count: space.capacity })),
      data.parent ? fact(t("spacePage.partOf"), spaceLink(data.parent)) : null,
      data.parts.length ? fact(t("spacePage.parts"), ...data.parts.flatMap((p, i) => [i ? ", " : "", spaceLink(p)]))
        : null),
    space.description ? h("p", {}, space.description) : null,
    data.parts.length ? h("p", { class: "muted" }, t("spacePage.wholeHall")) : null,
    data.parent ? h("p", { class: "muted" }, t("spacePage.partNote")) : null);
}

// --- the week -----------------------------------------------------------------------------------

function weekRange() {
  return formatDateRange(data.week, addDays(data.week, 6));
}

/** The day's free and busy times, and what of its opening hours is neither (closed periods). */
function segments(day) {
  const items = [
    ...day.free.map((i) => ({ ...i, kind: "free" })),
    ...day.busy.map((i) => ({ ...i, kind: "busy" })),
  ];
  const closed = [];
  for (const window of day.open) {
    let cursor = Date.parse(window.starts_at);
    const end = Date.parse(window.ends_at);
    const inside = items.filter((i) => Date.parse(i.ends_at) > cursor && Date.parse(i.starts_at) < end)
      .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
    for (const item of inside) {
      const start = Date.parse(item.starts_at);
      if (start > cursor) closed.push({ from: cursor, to: start });
      cursor = Math.max(cursor, Date.parse(item.ends_at));
    }
    if (cursor < end) closed.push({ from: cursor, to: end });
  }
  for (const gap of closed) {
    const starts = new Date(gap.from).toISOString();
    const ends = new Date(gap.to).toISOString();
    items.push({ starts_at: starts, ends_at: ends, kind: "closed",
      local_start: formatTime(starts, data.zone), local_end: formatTime(ends, data.zone) });
  }
  return items.sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
}

function bookable(day) {
  return !requestSection.hidden && day.date > data.today;
}

function chooseSlot(day, slot) {
  $("booking-date").value = day.date;
  $("booking-start").value = slot.local_start;
  $("booking-end").value = slot.local_end === "24:00" ? "23:59" : slot.local_end;
  syncWeekdays();
  $("booking-title").focus();
}

function slotItem(day, slot) {
  const time = formatTimeRange(slot.local_start, slot.local_end);
  const label = t(`spacePage.${slot.kind}`);
  const parts = [h("span", { class: "slot-time" }, time), " ", h("span", { class: "slot-label" }, label)];
  if (slot.kind === "free" && bookable(day)) {
    const button = h("button", { type: "button", class: "slot slot-free slot-choose" },
      h("span", { class: "visually-hidden" }, `${formatDate(day.date)}, `), ...parts,
      h("span", { class: "visually-hidden" }, `, ${t("spacePage.choose")}`));
    button.addEventListener("click", () => chooseSlot(day, slot));
    return h("li", {}, button);
  }
  return h("li", {}, h("span", { class: `slot slot-${slot.kind}` }, ...parts));
}

function dayItem(day) {
  const isToday = day.date === data.today;
  const past = day.date < data.today;
  const headingId = `day-${day.date}`;
  let body;
  if (day.closed_reason) {
    body = h("p", { class: "day-closed is-holiday" }, t("spacePage.holiday", { name: day.closed_reason }));
  } else if (past) {
    body = h("p", { class: "day-past" }, t("spacePage.past"));
  } else if (!day.open.length && !day.busy.length) {
    body = h("p", { class: "day-closed" }, t("spacePage.closedAllDay"));
  } else {
    body = h("ul", { class: "slots", "aria-labelledby": headingId }, segments(day).map((slot) => slotItem(day, slot)));
  }
  const classes = ["day", isToday ? "is-today" : "", past ? "is-past" : "", day.closed_reason ? "is-closed" : ""];
  return h("li", { class: classes.filter(Boolean).join(" "), "data-date": day.date },
    h("h4", { class: "day-name", id: headingId },
      formatDate(day.date, { weekday: "long", day: "numeric", month: "long" }),
      isToday ? h("span", { class: "today-mark" }, t("spacePage.today")) : null),
    body);
}

function renderWeek() {
  if (!data.week) return;
  weekLabel.textContent = t("spacePage.weekLabel", { week: isoWeek(data.week), range: weekRange() });
  weekView.removeAttribute("aria-busy");
  if (data.weekLoading) {
    weekView.setAttribute("aria-busy", "true");
    if (!data.days) replaceChildren(weekView, h("p", {}, t("spacePage.loadingWeek")));
    return;
  }
  if (data.weekError) {
    const retry = h("button", { type: "button", class: "button" }, t("errors.retry"));
    retry.addEventListener("click", () => goToWeek(data.week));
    replaceChildren(weekView, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("spacePage.weekFailed")} ${problemText(data.weekError)}`), h("p", {}, retry)));
    return;
  }
  replaceChildren(weekView, h("ol", { class: "week", id: "week-days" }, (data.days ?? []).map(dayItem)));
}

async function goToWeek(monday) {
  data.week = monday;
  const query = new URLSearchParams({ id: spaceId });
  if (monday !== mondayOf(data.today)) query.set("week", monday);
  window.history.replaceState(null, "", `?${query}`);
  weekStatus.textContent = "";
  await loadWeek();
  renderWeek();
  weekStatus.textContent = data.weekError ? "" : t("spacePage.showingWeek", { week: isoWeek(monday), range: weekRange() });
}

$("week-prev").addEventListener("click", () => goToWeek(addDays(data.week, -7)));
$("week-next").addEventListener("click", () => goToWeek(addDays(data.week, 7)));

// --- the public feed ----------------------------------------------------------------------------

function renderFeed() {
  const url = `${window.location.origin}/feeds/spaces/${encodeURIComponent(spaceId)}.ics`;
  replaceChildren($("feed-link"),
    h("p", {}, t("spacePage.feedIntro")),
    copyField({ id: "space-feed", label: t("spacePage.feedLabel"), url, hint: t("spacePage.feedHint") }));
}

// --- the request form ---------------------------------------------------------------------------

function buildWeekdays() {
  if (weekdayList.childElementCount) return;
  for (let day = 0; day < 7; day += 1) {
    weekdayList.append(h("div", { class: "check" },
      h("input", { type: "checkbox", id: `booking-weekday-${day}`, name: "weekdays", value: String(day) }),
      h("label", { for: `booking-weekday-${day}` })));
  }
}

function checkedWeekdays() {
  return [...weekdayList.querySelectorAll("input:checked")].map((box) => Number(box.value));
}

/** A weekly request starts on its date's weekday: tick it when nothing is ticked yet. */
function syncWeekdays() {
  const date = $("booking-date").value;
  if (weekly.checked && isIsoDate(date) && checkedWeekdays().length === 0) {
    $(`booking-weekday-${weekdayOf(date)}`).checked = true;
  }
}

function renderAssociations() {
  const select = $("booking-association");
  const previous = select.value;
  const options = isStaff() ? [h("option", { value: "" }, t("request.noAssociation"))]
    : data.associations.length > 1 ? [h("option", { value: "" }, t("request.chooseAssociation"))] : [];
  options.push(...data.associations.map((a) => h("option", { value: a.id }, a.name)));
  replaceChildren(select, options);
  if (previous && data.associations.some((a) => a.id === previous)) select.value = previous;
}

function errorText(error) {
  return error.key ? t(error.key, error.params) : ruleText(error.api);
}

function fieldMessages(name) {
  const errors = request.errors[name] ?? [];
  const texts = [...new Set(errors.map(errorText))];
  if (texts.length <= SHOWN_PER_FIELD) return texts;
  return [...texts.slice(0, SHOWN_PER_FIELD), t("request.andMore", { count: texts.length - SHOWN_PER_FIELD })];
}

function fieldControl(name) {
  return name === "weekdays" ? weekdayList.querySelector("input") : $(`booking-${name}`);
}

function renderForm() {
  const staff = isStaff();
  $("request-heading").textContent = t(staff ? "request.headingStaff" : "request.heading");
  $("request-intro").textContent = t(staff ? "request.introStaff" : "request.intro");
  renderAssociations();
  weekdayList.querySelectorAll("label").forEach((label, day) => { label.textContent = weekdayName(day); });
  recurrence.hidden = !weekly.checked;
  weekly.setAttribute("aria-expanded", String(weekly.checked));
  const min = addDays(data.today, 1);
  const max = addDays(data.today, 365);
  for (const id of ["booking-date", "booking-until"]) {
    $(id).min = min;
    $(id).max = max;
  }
  for (const name of FIELDS) {
    const messages = fieldMessages(name);
    replaceChildren($(`booking-${name}-error`), messages.map((m, i) => [i ? h("br") : null, m]));
    const controls = name === "weekdays" ? [...weekdayList.querySelectorAll("input")] : [$(`booking-${name}`)];
    for (const control of controls) {
      if (messages.length) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
  }
  replaceChildren(alertRegion, request.alert ? request.alert() : null);
  submit.textContent = t(request.submitting ? "request.sending" : staff ? "request.submitStaff" : "request.submit");
  if (request.submitting) submit.setAttribute("aria-disabled", "true");
  else submit.removeAttribute("aria-disabled");
  renderOutcome();
}

function renderOutcome() {
  const outcome = request.outcome;
  if (!outcome) {
    replaceChildren(result);
    result.className = "request-result";
    return;
  }
  result.className = "request-result notice notice-success";
  const { bookings, skipped } = outcome;
  const allApproved = bookings.every((b) => b.status === "approved");
  const statuses = [...new Set(bookings.map((b) => b.status))];
  replaceChildren(result,
    h("h3", { id: "request-result-heading" }, t(allApproved ? "request.doneApproved" : "request.donePending")),
    h("p", {}, t("request.doneSummary", { count: bookings.length, title: bookings[0].title, when: groupWhen(bookings) })),
    h("p", {}, `${t("request.doneStatus")} `, statuses.map((s, i) => [i ? ", " : "", statusBadge(s)])),
    skipped.length
      ? [h("p", {}, t("request.skippedIntro", { count: skipped.length })),
        h("ul", { class: "skipped", id: "request-skipped" }, skipped.map((s) => h("li", {}, skippedText(s, data.zone))))]
      : null,
    h("p", {}, h("a", { href: "/bookings.html" }, t("request.toBookings"))));
}

function checkFields(body) {
  const errors = {};
  const add = (name, key) => { (errors[name] ??= []).push({ key }); };
  if (!isStaff() && !body.association_id) add("association", "request.associationMissing");
  if (!body.title) add("title", "request.titleMissing");
  if (!isIsoDate(body.date)) add("date", "request.dateMissing");
  if (!body.start) add("start", "request.startMissing");
  if (!body.end) add("end", "request.endMissing");
  else if (body.start && body.end <= body.start) add("end", "request.endBeforeStart");
  if (body.recurrence) {
    if (!body.recurrence.weekdays.length) add("weekdays", "request.weekdaysMissing");
    if (!isIsoDate(body.recurrence.until)) add("until", "request.untilMissing");
    else if (isIsoDate(body.date) && body.recurrence.until < body.date) add("until", "request.untilBeforeDate");
  }
  return errors;
}

function readForm() {
  const body = {
    space_id: spaceId,
    title: $("booking-title").value.trim(),
    date: $("booking-date").value,
    start: $("booking-start").value.slice(0, 5),
    end: $("booking-end").value.slice(0, 5),
  };
  const association = $("booking-association").value;
  if (association) body.association_id = association;
  const note = $("booking-note").value.trim();
  if (note) body.note = note;
  if (weekly.checked) body.recurrence = { weekdays: checkedWeekdays(), until: $("booking-until").value };
  return body;
}

function summaryAlert(introKey, entries) {
  // entries: [{name, text}] -> the summary with links to the fields
  return () => [
    h("p", {}, t(introKey)),
    h("ul", { class: "error-summary" }, entries().map(({ name, text }) => {
      const control = name ? fieldControl(name) : null;
      if (!control) return h("li", {}, text);
      const link = h("a", { href: `#${control.id}` }, text);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        control.focus();
      });
      return h("li", {}, link);
    })),
  ];
}

function fieldEntries() {
  return FIELDS.flatMap((name) => fieldMessages(name).map((text) => ({ name, text })));
}

function showApiErrors(error) {
  const problem = error.problem ?? {};
  if (error.status === 422 && Array.isArray(problem.errors)) {
    const loose = [];
    for (const item of problem.errors) {
      const name = FIELD_OF[item.field];
      if (name) (request.errors[name] ??= []).push({ api: item });
      else loose.push(item);
    }
    request.alert = summaryAlert("request.refused", () => [
      ...fieldEntries(),
      ...loose.map((item) => ({ name: null, text: ruleText(item) })),
    ]);
    return;
  }
  if (error.status === 409 && Array.isArray(problem.conflicts)) {
    const dated = problem.conflicts.filter((c) => c.rule);
    if (dated.length) {
      request.alert = () => [h("p", {}, t("request.noneBookable")),
        h("ul", {}, dated.map((c) => h("li", {}, skippedText(c, data.zone))))];
    } else {
      request.errors.start = [{ key: "request.takenField" }];
      request.alert = () => [h("p", {}, t("request.taken")),
        h("ul", { id: "booking-conflicts" }, problem.conflicts.map((c) => h("li", {}, conflictTime(c, data.zone)))),
        h("p", {}, t("request.chooseAnother"))];
    }
    return;
  }
  if (error.status === 403) {
    request.alert = () => h("p", {}, t("request.forbidden"));
    return;
  }
  request.alert = () => h("p", {}, problemText(error));
}

function newKey() {
  return typeof crypto.randomUUID === "function" ? crypto.randomUUID() : undefined;
}

bookingForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (request.submitting) return;
  const body = readForm();
  request.errors = checkFields(body);
  request.alert = null;
  const first = FIELDS.find((name) => request.errors[name]);
  if (first) {
    request.alert = summaryAlert("request.fixFields", fieldEntries);
    renderForm();
    fieldControl(first).focus();
    return;
  }
  request.submitting = true;
  request.outcome = null;
  renderForm(); // empties the alert, so the next message is announced again
  try {
    request.outcome = await api("/api/bookings", { method: "POST", body, idempotencyKey: newKey() });
  } catch (error) {
    showApiErrors(error);
  }
  request.submitting = false;
  if (request.outcome) {
    $("booking-title").value = "";
    $("booking-note").value = "";
    renderForm();
    result.focus();
    await loadWeek(); // a booking approved at once is busy now
    renderWeek();
    return;
  }
  renderForm();
  const invalid = FIELDS.find((name) => request.errors[name]);
  if (invalid) fieldControl(invalid).focus();
});

weekly.addEventListener("change", () => {
  syncWeekdays();
  recurrence.hidden = !weekly.checked;
  weekly.setAttribute("aria-expanded", String(weekly.checked));
});
$("booking-date").addEventListener("change", syncWeekdays);

// --- drawing ------------------------------------------------------------------------------------

function renderSignIn(state) {
  const text = $("signin-text");
  if (!state.session) {
    replaceChildren(text, `${t("spacePage.signInToBook")} `,
      h("a", { href: loginUrl(window.location.pathname + window.location.search) }, t("spacePage.signInLink")));
    return true;
  }
  if (!canRequest(state.session)) {
    replaceChildren(text, t("spacePage.noRights"));
    return true;
  }
  if (!isStaff() && data.associations.length === 0) {
    replaceChildren(text, t("spacePage.noVerifiedAssociation"));
    return true;
  }
  return false;
}

function render(state) {
  data.session = state.session;
  if (state.loading) return;
  if (data.loadError) {
    const notFound = data.loadError === "notFound";
    title.textContent = t(notFound ? "spacePage.notFound" : "spacePage.loadFailedTitle");
    replaceChildren(summary, h("div", { class: notFound ? "notice" : "alert alert-error", role: notFound ? null : "alert" },
      h("p", {}, notFound ? t("spacePage.notFoundText") : problemText(data.loadError)),
      h("p", {}, h("a", { href: "/sites.html" }, t("spacePage.back")))));
    return;
  }
  title.textContent = data.space.name;
  document.title = `${data.space.name}${t("app.titleSeparator")}${t("app.name")}`;
  renderSummary();
  calendarSection.hidden = false;
  feedSection.hidden = false;
  const explain = renderSignIn(state);
  signinSection.hidden = !explain;
  requestSection.hidden = explain;
  if (!explain) {
    buildWeekdays();
    renderForm();
  }
  renderWeek();
  renderFeed();
}

startPage({ current: "sites", titleKey: "spacePage.title", load, render });
