// "Stängda tider" (premises staff): closed periods (a school event in a space, maintenance of a
// site, a closure of every site) made, listed and removed; and the year's closed days (public
// holidays and eves), each of which the municipality may keep open, with extra closed days of its
// own. Existing bookings stay when a time is closed: the period refuses new requests only.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, DEFAULT_TIME_ZONE, formatDate, formatDateTime, t } from "../i18n.js";
import { isIsoDate, todayIn } from "../dates.js";
import { canDecide } from "../session.js";
import { problemText } from "../booking-ui.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { addError, apiErrors, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";

const $ = (id) => document.getElementById(id);
const status = $("closed-status");
const root = $("closed-page");

const data = {
  allowed: false,
  redirecting: false,
  slug: "",
  zone: DEFAULT_TIME_ZONE,
  sites: [],
  spaces: [],
  periods: [],
  year: null,
  days: [],
  error: null,
};
const form = { errors: null, busy: false, values: { reason: "", scope: "space", site: "", space: "", first: "",
  last: "", from: "", to: "" } };
const dayForm = { errors: null, busy: false, values: { date: "", name: "", action: "close" } };
const rowErrors = new Map(); // id -> error

async function loadPeriods() {
  const now = Date.now();
  const periods = await fetchAll("/api/closed-periods", { municipality: data.slug });
  data.periods = periods.filter((p) => Date.parse(p.ends_at) > now);
}

async function loadDays() {
  const answer = await api(`/api/holidays?${new URLSearchParams({ municipality: data.slug, year: String(data.year) })}`);
  data.days = answer.items;
}

async function load(state) {
  if (!signedIn(state, data, "/closed.html")) return;
  data.allowed = canDecide(state.session);
  if (!data.allowed) return;
  const municipalityId = state.session.account.municipality_id;
  try {
    const municipality = await api(`/api/municipalities/${encodeURIComponent(municipalityId)}`);
    data.slug = municipality.slug;
    data.zone = municipality.timezone || data.zone;
    data.year = Number(todayIn(data.zone).slice(0, 4));
    const byName = collator();
    const [sites, spaces] = await Promise.all([
      fetchAll("/api/sites", { municipality: data.slug }),
      fetchAll("/api/spaces", { municipality: data.slug }),
    ]);
    data.sites = sites.sort((a, b) => byName.compare(a.name, b.name));
    data.spaces = spaces.sort((a, b) => byName.compare(a.name, b.name));
    await Promise.all([loadPeriods(), loadDays()]);
  } catch (error) {
    data.error = error;
  }
}

// --- names ------------------------------------------------------------------------------------------

function siteName(id) {
  return data.sites.find((s) => s.id === id)?.name ?? t("closed.unknownPlace");
}

function spaceName(id) {
  const space = data.spaces.find((s) => s.id === id);
  return space ? t("bookingsCommon.spaceAtSite", { space: space.name, site: siteName(space.site_id) })
    : t("closed.unknownPlace");
}

function whereText(period) {
  if (period.space_id) return spaceName(period.space_id);
  if (period.site_id) return t("closed.wholeSite", { site: siteName(period.site_id) });
  return t("closed.everySite");
}

// --- a closed period ------------------------------------------------------------------------------

function controlOf(name) {
  return { reason: "cp-reason", first_day: "cp-first", last_day: "cp-last", from_time: "cp-from", to_time: "cp-to",
    space_id: "cp-space", site_id: "cp-site" }[name] ?? null;
}

function readPeriod() {
  const v = form.values;
  const errors = newErrors();
  const body = { reason: v.reason.trim(), first_day: v.first, last_day: v.last || v.first };
  if (!body.reason) addError(errors, "cp-reason", t("closed.reasonMissing"));
  if (!isIsoDate(v.first)) addError(errors, "cp-first", t("closed.dateMissing"));
  if (v.last && !isIsoDate(v.last)) addError(errors, "cp-last", t("closed.dateMissing"));
  else if (isIsoDate(v.first) && v.last && v.last < v.first) addError(errors, "cp-last", t("closed.lastBeforeFirst"));
  if (Boolean(v.from) !== Boolean(v.to)) addError(errors, v.from ? "cp-to" : "cp-from", t("closed.bothTimes"));
  if (v.from && v.to) {
    body.from_time = v.from.slice(0, 5);
    body.to_time = v.to.slice(0, 5);
  }
  if (v.scope === "space") {
    if (!v.space) addError(errors, "cp-space", t("closed.spaceMissing"));
    else body.space_id = v.space;
  } else if (v.scope === "site") {
    if (!v.site) addError(errors, "cp-site", t("closed.siteMissing"));
    else body.site_id = v.site;
  }
  return { body, errors };
}

async function createPeriod(event) {
  event.preventDefault();
  if (form.busy) return;
  const { body, errors } = readPeriod();
  if (hasErrors(errors)) {
    form.errors = errors;
    renderPeriodForm();
    focusFirstError(errors, $("cp-alert"));
    return;
  }
  form.busy = true;
  form.errors = null;
  renderPeriodForm();
  try {
    const made = await api("/api/closed-periods", { method: "POST", body,
      idempotencyKey: crypto.randomUUID?.() });
    form.busy = false;
    Object.assign(form.values, { reason: "", first: "", last: "", from: "", to: "" });
    await loadPeriods();
    renderPage();
    status.textContent = t("closed.created", { reason: made.reason, where: whereText(made) });
    status.focus();
  } catch (error) {
    form.busy = false;
    form.errors = apiErrors(error, controlOf);
    renderPeriodForm();
    focusFirstError(form.errors, $("cp-alert")); // the form is drawn anew: the alert of now
  }
}

async function removePeriod(period, button) {
  if (button.getAttribute("aria-disabled") === "true") return;
  button.setAttribute("aria-disabled", "true");
  try {
    await api(`/api/closed-periods/${encodeURIComponent(period.id)}`, { method: "DELETE" });
    rowErrors.delete(period.id);
    await loadPeriods();
    renderPage();
    status.textContent = t("closed.removed", { reason: period.reason });
    status.focus();
  } catch (error) {
    rowErrors.set(period.id, error);
    renderPage();
  }
}

function input(id, key, attributes) {
  const element = h("input", { id, value: form.values[key], ...attributes });
  element.addEventListener("input", () => { form.values[key] = element.value; });
  return element;
}

function select(id, key, options) {
  const element = h("select", { id }, options);
  element.value = form.values[key];
  element.addEventListener("change", () => { form.values[key] = element.value; });
  return element;
}

function periodForm() {
  const scope = h("fieldset", { class: "choices" }, h("legend", {}, t("closed.scope")),
    ["space", "site", "all"].map((value) => {
      const radio = h("input", { type: "radio", name: "cp-scope", id: `cp-scope-${value}`, value,
        checked: form.values.scope === value });
      radio.addEventListener("change", () => {
        form.values.scope = value;
        renderPeriodForm();
        $(`cp-scope-${value}`).focus();
      });
      return h("div", { class: "check" }, radio, h("label", { for: `cp-scope-${value}` }, t(`closed.scopes.${value}`)));
    }));
  const spaceOptions = [h("option", { value: "" }, t("closed.chooseSpace")),
    ...data.sites.map((site) => h("optgroup", { label: site.name },
      data.spaces.filter((s) => s.site_id === site.id).map((s) => h("option", { value: s.id }, s.name))))];
  const siteOptions = [h("option", { value: "" }, t("closed.chooseSite")),
    ...data.sites.map((s) => h("option", { value: s.id }, s.name))];
  const submit = h("button", { type: "submit", class: "button", id: "cp-submit",
    "aria-disabled": form.busy ? "true" : null }, t(form.busy ? "closed.saving" : "closed.create"));
  const element = h("form", { id: "cp-form", class: "form form-wide", novalidate: true },
    h("div", { id: "cp-alert", class: "alert alert-error", role: "alert" }),
    field({ id: "cp-reason", label: t("closed.reason"), hint: t("closed.reasonHint"),
      control: input("cp-reason", "reason", { type: "text", maxlength: "200", autocomplete: "off" }) }),
    scope,
    form.values.scope === "space" ? field({ id: "cp-space", label: t("closed.space"),
      control: select("cp-space", "space", spaceOptions) }) : null,
    form.values.scope === "site" ? field({ id: "cp-site", label: t("closed.site"),
      control: select("cp-site", "site", siteOptions) }) : null,
    h("div", { class: "field-row" },
      field({ id: "cp-first", label: t("closed.first"), control: input("cp-first", "first", { type: "date" }) }),
      field({ id: "cp-last", label: t("closed.last"), hint: t("closed.lastHint"),
        control: input("cp-last", "last", { type: "date" }) })),
    h("div", { class: "field-row" },
      field({ id: "cp-from", label: t("closed.from"), hint: t("closed.timesHint"),
        control: input("cp-from", "from", { type: "time", step: "300" }) }),
      field({ id: "cp-to", label: t("closed.to"), control: input("cp-to", "to", { type: "time", step: "300" }) })),
    h("p", { class: "hint" }, t("closed.bookingsStay")),
    submit);
  element.addEventListener("submit", createPeriod);
  return element;
}

function renderPeriodForm() {
  const focused = document.activeElement?.id;
  const holder = $("cp-holder");
  if (!holder) return;
  replaceChildren(holder, periodForm());
  paintErrors($("cp-form"), $("cp-alert"), form.errors);
  if (focused && $(focused) && holder.contains($(focused))) $(focused).focus();
}

function periodList() {
  if (!data.periods.length) return h("p", { class: "empty" }, t("closed.noPeriods"));
  return h("ul", { class: "item-list", id: "closed-periods" }, data.periods.map((period) => {
    const remove = h("button", { type: "button", class: "button button-quiet button-small" },
      t("closed.remove"), h("span", { class: "visually-hidden" }, ` ${period.reason}`));
    remove.addEventListener("click", () => removePeriod(period, remove));
    const error = rowErrors.get(period.id);
    return h("li", { "data-period": period.id },
      h("span", { class: "item-text" }, h("strong", {}, period.reason), h("br"), whereText(period), h("br"),
        t("closed.span", { from: formatDateTime(period.starts_at, data.zone), to: formatDateTime(period.ends_at, data.zone) })),
      remove,
      error ? h("span", { class: "slot-detail", role: "alert" }, problemText(error)) : null);
  }));
}

// --- closed days ----------------------------------------------------------------------------------

async function changeDay(day, body, focusId) {
  dayForm.errors = null;
  try {
    if (body === null) await api(`/api/holidays/${day}`, { method: "DELETE" });
    else await api(`/api/holidays/${day}`, { method: "PUT", body });
    await Promise.all([loadDays(), loadPeriods()]);
    renderPage();
    const text = body === null ? "closed.dayReset" : body.closed ? "closed.dayClosed" : "closed.dayOpened";
    status.textContent = t(text, { date: formatDate(day) });
    ($(focusId) ?? status).focus();
    return true;
  } catch (error) {
    dayForm.errors = apiErrors(error, (name) => (name === "name" ? "day-name" : "day-date"));
    renderPage();
    focusFirstError(dayForm.errors, $("day-alert"));
    return false;
  }
}

function dayList() {
  if (!data.days.length) return h("p", { class: "empty" }, t("closed.noDays"));
  return h("ul", { class: "item-list", id: "closed-days" }, data.days.map((day) => {
    const open = h("button", { type: "button", class: "button button-quiet button-small" },
      t("closed.keepOpen"), h("span", { class: "visually-hidden" }, ` ${formatDate(day.date)}`));
    open.addEventListener("click", () => changeDay(day.date, { closed: false }, "year-select"));
    return h("li", { "data-day": day.date },
      h("span", { class: "item-text" }, h("strong", {}, formatDate(day.date)), ` – ${day.name}`), open);
  }));
}

function dayChangeForm() {
  const v = dayForm.values;
  const date = h("input", { id: "day-date", type: "date", value: v.date });
  date.addEventListener("input", () => { v.date = date.value; });
  const name = h("input", { id: "day-name", type: "text", maxlength: "200", value: v.name, autocomplete: "off" });
  name.addEventListener("input", () => { v.name = name.value; });
  const actions = h("fieldset", { class: "choices" }, h("legend", {}, t("closed.dayAction")),
    ["close", "open", "reset"].map((value) => {
      const radio = h("input", { type: "radio", name: "day-action", id: `day-action-${value}`, value,
        checked: v.action === value });
      radio.addEventListener("change", () => { v.action = value; });
      return h("div", { class: "check" }, radio, h("label", { for: `day-action-${value}` }, t(`closed.dayActions.${value}`)));
    }));
  const element = h("form", { id: "day-form", class: "form form-wide", novalidate: true },
    h("div", { id: "day-alert", class: "alert alert-error", role: "alert" }),
    field({ id: "day-date", label: t("closed.dayDate"), control: date }),
    actions,
    field({ id: "day-name", label: t("closed.dayName"), hint: t("closed.dayNameHint"), control: name }),
    h("button", { type: "submit", class: "button" }, t("closed.daySave")));
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = newErrors();
    if (!isIsoDate(v.date)) addError(errors, "day-date", t("closed.dateMissing"));
    if (v.action === "close" && !v.name.trim()) addError(errors, "day-name", t("closed.dayNameMissing"));
    if (hasErrors(errors)) {
      dayForm.errors = errors;
      renderPage();
      focusFirstError(errors, $("day-alert"));
      return;
    }
    const body = v.action === "reset" ? null : v.action === "open" ? { closed: false }
      : { closed: true, name: v.name.trim() };
    if (await changeDay(v.date, body, "day-date")) Object.assign(v, { date: "", name: "" });
  });
  return element;
}

function yearPicker() {
  const current = Number(todayIn(data.zone).slice(0, 4));
  const chooser = h("select", { id: "year-select" },
    [current - 1, current, current + 1, current + 2].map((y) => h("option", { value: String(y), selected: y === data.year }, String(y))));
  chooser.addEventListener("change", async () => {
    data.year = Number(chooser.value);
    try {
      await loadDays();
    } catch (error) {
      data.error = error;
    }
    renderPage();
    status.textContent = t("closed.showingYear", { year: String(data.year), count: data.days.length });
    $("year-select").focus();
  });
  return h("div", { class: "field" }, h("label", { for: "year-select" }, t("closed.year")), chooser);
}

// --- drawing ----------------------------------------------------------------------------------------

function renderPage() {
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "cp-heading" },
      h("h2", { id: "cp-heading" }, t("closed.createHeading")),
      h("div", { id: "cp-holder" })),
    h("section", { class: "section", "aria-labelledby": "list-heading" },
      h("h2", { id: "list-heading" }, t("closed.listHeading")),
      periodList()),
    h("section", { class: "section", "aria-labelledby": "days-heading" },
      h("h2", { id: "days-heading" }, t("closed.daysHeading")),
      h("p", {}, t("closed.daysIntro")),
      yearPicker(),
      dayList(),
      h("h3", {}, t("closed.dayFormHeading")),
      dayChangeForm()));
  renderPeriodForm();
  paintErrors($("day-form"), $("day-alert"), dayForm.errors);
}

function render(state) {
  const texts = { notAllowed: t("siteCalendar.notAllowed"), loadFailed: t("closed.loadFailed") };
  if (drawnInstead(state, data, { status, root, ...texts })) return;
  renderPage();
}

startPage({ current: "closed", titleKey: "closed.title", load, render });
