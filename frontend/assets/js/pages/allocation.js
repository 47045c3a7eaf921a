// "Tidsfördelning": the season allocation round. Premises staff create and open rounds, run the
// allocation after the deadline, read the proposal with an explanation per application and its
// score, adjust (another slot, or deny) and publish. Association representatives apply for weekly
// times for their associations, and change or withdraw them until the deadline.
// Explanations come from the API as codes with parameters; they are said here in the reader's language.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import {
  DEFAULT_TIME_ZONE,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatList,
  formatNumber,
  t,
  weekdayName,
} from "../i18n.js";
import { hasRole, loginUrl, representedAssociations } from "../session.js";
import { loadAssociationNames, problemText } from "../booking-ui.js";

const $ = (id) => document.getElementById(id);
const content = $("allocation-content");
const status = $("allocation-status");
const intro = $("allocation-intro");
const AGE_BANDS = ["0-12", "13-19", "20-64", "65+", "mixed"];
const PREFERENCES = 3;

const data = {
  staff: false,
  rep: false,
  redirecting: false,
  error: null,
  zone: DEFAULT_TIME_ZONE,
  rounds: [],
  round: null,
  applications: [],
  proposal: null,
  report: null,
  spaces: [], // [{id, name, capacity}] sorted by name
  associations: new Map(), // id -> name
  represented: [],
};

const ui = {
  busy: null, // "open" | "run" | "publish" | "create" | "apply" | "adjust" | "withdraw"
  alert: null, // {text} shown in the page's alert
  confirmPublish: false,
  rules: null, // {errors, alert, saved} of the rules form
  adjusting: null, // application id
  adjustError: null,
  create: { errors: {}, alert: null, done: false },
  form: { editing: null, errors: {}, alert: null, message: null },
};

const roundId = new URLSearchParams(window.location.search).get("round");

// --- loading --------------------------------------------------------------------------------------

async function loadRound() {
  const base = `/api/allocation-rounds/${encodeURIComponent(roundId)}`;
  data.round = await api(base);
  data.applications = (await api(`${base}/applications`)).items;
  data.proposal = data.staff && ["allocated", "published"].includes(data.round.state)
    ? await api(`${base}/proposal`) : null;
}

async function load(state) {
  if (!state.session) {
    if (state.sessionError) return;
    data.redirecting = true;
    window.location.replace(loginUrl(`/allocation.html${window.location.search}`));
    return;
  }
  data.staff = hasRole(state.session, "premises_staff");
  data.rep = hasRole(state.session, "association_rep");
  if (!data.staff && !data.rep) return;
  data.represented = representedAssociations(state.session);
  try {
    const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
    if (municipality?.timezone) data.zone = municipality.timezone;
    const [spaces, sites, names, rounds] = await Promise.all([
      fetchAll("/api/spaces", { municipality: municipality.slug }),
      fetchAll("/api/sites", { municipality: municipality.slug }),
      loadAssociationNames(),
      api("/api/allocation-rounds"),
    ]);
    const siteNames = new Map(sites.map((s) => [s.id, s.name]));
    data.spaces = spaces.map((s) => ({
      id: s.id, capacity: s.capacity,
      name: siteNames.has(s.site_id) ? t("bookingsCommon.spaceAtSite", { space: s.name, site: siteNames.get(s.site_id) })
        : s.name,
    })).sort((a, b) => a.name.localeCompare(b.name));
    data.associations = names;
    data.rounds = rounds.items;
    if (roundId) await loadRound();
  } catch (error) {
    data.error = error;
  }
}

function spaceName(id) {
  return data.spaces.find((s) => s.id === id)?.name ?? t("bookingsCommon.unknownSpace");
}

// --- explanations ---------------------------------------------------------------------------------

function causeText(cause) {
  const p = cause.params ?? {};
  switch (cause.code) {
    case "capacity":
    case "duration":
    case "unknown_space":
    case "taken_by_booking":
      return t(`allocation.causes.${cause.code}`, p);
    case "closed":
      return t("allocation.causes.closed", { weekday: weekdayName(p.weekday),
        windows: (p.windows ?? []).length ? formatList(p.windows) : t("allocation.causes.closedAllDay") });
    case "taken_by_application": {
      const slot = p.slot ?? {};
      return t("allocation.causes.taken_by_application", { title: p.title, space: spaceName(slot.space_id),
        weekday: weekdayName(slot.weekday), start: slot.start, end: slot.end });
    }
    default:
      return cause.code;
  }
}

function reasonText(reason) {
  const p = reason.params ?? {};
  const which = reason.preference === 0 ? t("allocation.reasons.wishWord")
    : t("allocation.reasons.alternative", { pref: reason.preference });
  switch (reason.code) {
    case "granted_wish":
    case "adjusted":
    case "denied_by_staff":
      return t(`allocation.reasons.${reason.code}`);
    case "moved": {
      const shift = p.shift_minutes ?? 0;
      const moved = shift > 0 ? t("allocation.reasons.shiftedLater", { minutes: shift })
        : shift < 0 ? t("allocation.reasons.shiftedEarlier", { minutes: -shift }) : "";
      if (reason.preference === 0) return `${t("allocation.reasons.movedWish")}${moved || "."}`;
      return shift ? `${t("allocation.reasons.moved", { pref: reason.preference }).replace(/\.$/, "")}${moved}`
        : t("allocation.reasons.moved", { pref: reason.preference });
    }
    case "denied":
      return t("allocation.reasons.denied", { count: p.tried ?? 0 });
    case "preference_unavailable":
    case "preference_impossible":
      return t("allocation.reasons.unavailable", { which, causes: (reason.causes ?? []).map(causeText).join("; ") });
    default:
      return reason.text ?? reason.code;
  }
}

function outcomeBadge(outcome) {
  return h("span", { class: `badge badge-${outcome}` }, t(`allocation.outcomes.${outcome}`));
}

// --- actions --------------------------------------------------------------------------------------

async function act(kind, path, body, after) {
  if (ui.busy) return;
  ui.busy = kind;
  ui.alert = null;
  render();
  try {
    const answer = await api(path, { method: "POST", body });
    await after?.(answer);
  } catch (error) {
    ui.alert = { text: problemText(error) };
  }
  ui.busy = null;
  render();
}

const roundPath = () => `/api/allocation-rounds/${encodeURIComponent(data.round.id)}`;

function openRound() {
  act("open", `${roundPath()}/opening`, undefined, async (round) => { data.round = round; });
}

function runAllocation() {
  act("run", `${roundPath()}/allocation`, undefined, async (proposal) => {
    data.proposal = proposal;
    data.round = await api(roundPath());
    ui.adjusting = null;
    status.textContent = t("allocation.score", { score: proposal.score_percent });
  }).then(() => $("proposal-heading")?.focus());
}

function publish() {
  act("publish", `${roundPath()}/publication`, undefined, async (report) => {
    data.report = report;
    ui.confirmPublish = false;
    data.round = await api(roundPath());
  }).then(() => $("report-heading")?.focus());
}

async function adjust(applicationId, body) {
  if (ui.busy) return;
  ui.busy = "adjust";
  ui.adjustError = null;
  render();
  try {
    data.proposal = await api(`${roundPath()}/adjustments`, { method: "POST", body: { application_id: applicationId,
      ...body } });
    ui.adjusting = null;
  } catch (error) {
    const conflict = error instanceof ApiError && error.status === 409 ? error.problem.conflicts?.[0] : null;
    if (conflict?.code === "taken_by_application") ui.adjustError = t("allocation.clashApplication", { title: conflict.title });
    else if (conflict?.code === "taken_by_booking") ui.adjustError = t("allocation.clashBooking");
    else if (error instanceof ApiError && error.status === 422) {
      ui.adjustError = (error.problem.errors ?? []).map(apiErrorText).join(" ");
    } else ui.adjustError = problemText(error);
  }
  ui.busy = null;
  render();
  (ui.adjusting ? $("adjust-error") : $(`row-${applicationId}`))?.focus();
}

// --- the proposal ---------------------------------------------------------------------------------

function proposalView() {
  const p = data.proposal;
  if (!p || !p.decisions.length) return null;
  const counts = { granted: 0, moved: 0, denied: 0 };
  for (const d of p.decisions) counts[d.outcome] += 1;
  const groups = new Map();
  for (const d of p.decisions.filter((x) => x.slot)) {
    const key = `${d.slot.space_name}|${d.slot.weekday}`;
    if (!groups.has(key)) groups.set(key, { space: d.slot.space_name, weekday: d.slot.weekday, items: [] });
    groups.get(key).items.push(d);
  }
  const ordered = [...groups.values()].sort((a, b) => a.space.localeCompare(b.space) || a.weekday - b.weekday);
  for (const g of ordered) g.items.sort((a, b) => a.slot.start.localeCompare(b.slot.start));
  const denied = p.decisions.filter((d) => !d.slot);
  const editable = data.round.state === "allocated";
  const row = (d) => h("tr", { id: `row-${d.application_id}`, tabindex: "-1" },
    h("td", {}, d.slot ? `${d.slot.start}–${d.slot.end}` : "–"),
    h("td", {}, h("span", { class: "application-title" }, d.title), h("br"), d.association_name),
    h("td", {}, outcomeBadge(d.outcome)),
    h("td", {}, h("ul", { class: "reason-list" }, d.reasons.map((r) => h("li", {}, reasonText(r))))),
    h("td", { class: "number" }, formatNumber(Math.round(d.priority * 10) / 10)),
    editable ? h("td", {}, adjustButton(d)) : null);
  const head = h("thead", {}, h("tr", {}, ["time", "application", "outcome", "why", "priority"]
    .map((c) => h("th", { scope: "col" }, t(`allocation.col.${c}`))),
  editable ? h("th", { scope: "col" }, t("allocation.col.adjust")) : null));
  const table = (caption, items) => h("div", { class: "table-wrap" },
    h("table", { class: "data-table proposal-table" }, h("caption", {}, caption), head.cloneNode(true),
      h("tbody", {}, items.map(row))));
  return h("section", { class: "allocation-section", "aria-labelledby": "proposal-heading" },
    h("h2", { id: "proposal-heading", tabindex: "-1" }, t("allocation.proposalHeading")),
    h("p", { class: "score", id: "proposal-score" }, t("allocation.score", { score: p.score_percent ?? 0 })),
    h("p", { class: "hint" }, t("allocation.scoreHint")),
    h("p", {}, t("allocation.outcomeCount", counts)),
    ordered.map((g) => table(t("allocation.groupCaption", { space: g.space, weekday: weekdayName(g.weekday) }),
      g.items)),
    denied.length ? table(t("allocation.deniedCaption"), denied) : null,
    ui.adjusting ? adjustPanel(p.decisions.find((d) => d.application_id === ui.adjusting)) : null);
}

function adjustButton(d) {
  const button = h("button", { type: "button", class: "button button-quiet button-small",
    id: `adjust-${d.application_id}` }, t("allocation.adjustButton"),
  h("span", { class: "visually-hidden" }, ` ${d.title}`));
  button.addEventListener("click", () => {
    ui.adjusting = d.application_id;
    ui.adjustError = null;
    render();
    $("adjust-space")?.focus();
  });
  return button;
}

function adjustPanel(d) {
  if (!d) return null;
  const app = data.applications.find((a) => a.id === d.application_id);
  const wish = d.slot ?? (app ? { space_id: app.preferences[0].space_id, weekday: app.preferences[0].weekday,
    start: app.preferences[0].start } : { weekday: 0, start: "18:00" });
  const space = h("select", { id: "adjust-space" }, data.spaces.map((s) => h("option", { value: s.id }, s.name)));
  space.value = wish.space_id ?? data.spaces[0]?.id;
  const weekday = h("select", { id: "adjust-weekday" },
    [0, 1, 2, 3, 4, 5, 6].map((n) => h("option", { value: String(n) }, weekdayName(n))));
  weekday.value = String(wish.weekday);
  const start = h("input", { id: "adjust-start", type: "time", step: "300", value: wish.start });
  const save = h("button", { type: "button", class: "button", "aria-disabled": ui.busy ? "true" : null },
    t("allocation.save"));
  save.addEventListener("click", () => adjust(d.application_id, { space_id: space.value,
    weekday: Number(weekday.value), start: start.value.slice(0, 5) }));
  const deny = h("button", { type: "button", class: "button button-danger" }, t("allocation.deny"));
  deny.addEventListener("click", () => adjust(d.application_id, { deny: true }));
  const cancel = h("button", { type: "button", class: "button button-quiet" }, t("allocation.cancel"));
  cancel.addEventListener("click", () => {
    ui.adjusting = null;
    render();
    $(`adjust-${d.application_id}`)?.focus();
  });
  const field = (id, label, control) => h("div", { class: "field" }, h("label", { for: id }, label), control);
  return h("div", { class: "adjust-panel", role: "group", "aria-labelledby": "adjust-heading" },
    h("h3", { id: "adjust-heading" }, t("allocation.adjustHeading", { title: d.title })),
    h("div", { class: "alert alert-error", role: "alert", id: "adjust-error", tabindex: "-1" },
      ui.adjustError ? h("p", {}, ui.adjustError) : null),
    h("div", { class: "field-row" }, field("adjust-space", t("allocation.space"), space),
      field("adjust-weekday", t("allocation.weekday"), weekday), field("adjust-start", t("allocation.start"), start)),
    h("div", { class: "actions" }, save, deny, cancel));
}

function reportView() {
  const report = data.report;
  if (!report) return null;
  const titles = new Map(data.applications.map((a) => [a.id, a.title]));
  const created = report.items.filter((i) => i.series_id);
  return h("section", { class: "allocation-section notice notice-success", "aria-labelledby": "report-heading" },
    h("h2", { id: "report-heading", tabindex: "-1" }, t("allocation.publishedHeading")),
    h("p", {}, t("allocation.publishedCount", { count: created.length })),
    h("ul", {}, created.map((i) => h("li", {},
      t("allocation.reportLine", { title: titles.get(i.application_id) ?? "", count: i.booked }),
      i.skipped.length ? h("ul", { class: "skipped" }, i.skipped.map((s) => h("li", {},
        `${formatDate(s.date)}: ${s.rule === "conflict" ? t("allocation.clashBooking") : s.message}`))) : null))));
}

// --- staff: the round -----------------------------------------------------------------------------

function button(id, labelKey, busyKey, onClick, quiet = false) {
  const busy = ui.busy && ui.busy === busyKey;
  const b = h("button", { type: "button", id, class: quiet ? "button button-quiet" : "button",
    "aria-disabled": ui.busy ? "true" : null }, t(busy ? ({ run: "allocation.running",
    publish: "allocation.publishing" }[busyKey] ?? "allocation.form.sending") : labelKey));
  b.addEventListener("click", onClick);
  return b;
}

function staffActions() {
  const r = data.round;
  const deadlinePassed = !r.accepts_applications;
  const items = [];
  if (r.state === "draft") items.push(button("open-round", "allocation.open", "open", openRound));
  if (["open", "allocated"].includes(r.state) && deadlinePassed) {
    items.push(button("run-allocation", "allocation.run", "run", runAllocation));
  }
  if (r.state === "allocated" && !ui.confirmPublish) {
    items.push(button("publish-round", "allocation.publish", "publish", () => {
      ui.confirmPublish = true;
      render();
      $("publish-yes")?.focus();
    }, true));
  }
  const confirm = r.state === "allocated" && ui.confirmPublish
    ? h("div", { class: "notice", role: "group", "aria-labelledby": "publish-question" },
      h("p", { id: "publish-question" }, t("allocation.publishConfirm")),
      h("div", { class: "actions" }, button("publish-yes", "allocation.publishYes", "publish", publish),
        button("publish-no", "allocation.cancel", "none", () => {
          ui.confirmPublish = false;
          render();
          $("publish-round")?.focus();
        }, true)))
    : null;
  return [h("div", { class: "actions" }, items),
    r.state === "allocated" ? h("p", { class: "hint" }, t("allocation.rerunHint")) : null, confirm];
}

function roundFacts() {
  const r = data.round;
  const fact = (term, value) => h("div", {}, h("dt", {}, term), h("dd", {}, value));
  return h("dl", { class: "facts" },
    fact(t("allocation.season"), formatDateRange(r.first_day, r.last_day)),
    fact(t("allocation.deadline"), formatDateTime(r.deadline, data.zone)),
    fact(t("allocation.state"), t(`allocation.states.${r.state}`)),
    fact(t("allocation.rules"), formatList(r.rules.map((rule) => t("allocation.ruleWeight",
      { rule: t(`allocation.ruleNames.${rule.key}`), weight: rule.weight })))));
}

// --- staff: the round's priority rules --------------------------------------------------------------

const RULE_KEYS = ["youth", "previous_holder", "local", "participants"];

function rulesForm() {
  const r = data.round;
  if (!["draft", "open", "allocated"].includes(r.state)) return null;
  const weights = new Map(r.rules.map((rule) => [rule.key, rule.weight]));
  const errors = ui.rules?.errors ?? {};
  const inputs = RULE_KEYS.map((key) => {
    const id = `rule-${key}`;
    return h("div", { class: "field" }, h("label", { for: id }, t(`allocation.ruleNames.${key}`)),
      h("p", { class: "field-error", id: `${id}-error` }, errors[key] ?? null),
      h("input", { id, name: key, type: "number", min: "0", max: "100", step: "1", inputmode: "numeric",
        value: String(weights.get(key) ?? 0), "aria-describedby": `rules-hint ${id}-error`,
        "aria-invalid": errors[key] ? "true" : null }));
  });
  const form = h("form", { class: "form form-wide", novalidate: "", id: "rules-form" },
    h("div", { class: "alert alert-error", role: "alert", id: "rules-alert", tabindex: "-1" },
      ui.rules?.alert ? h("p", {}, ui.rules.alert) : null),
    h("p", { class: "hint", id: "rules-hint" }, t("allocation.rulesHint")),
    h("div", { class: "field-row" }, inputs),
    ui.rules?.saved ? h("p", { class: "notice notice-success", id: "rules-saved", tabindex: "-1" },
      t("allocation.rulesSaved")) : null,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button button-quiet",
      "aria-disabled": ui.busy ? "true" : null }, t("allocation.rulesSave"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (ui.busy) return;
    ui.rules = { errors: {}, alert: null, saved: false };
    const rules = [];
    for (const key of RULE_KEYS) {
      const weight = Number(form.elements[key].value);
      if (!Number.isInteger(weight) || weight < 0 || weight > 100) ui.rules.errors[key] = t("allocation.errors.weight");
      else rules.push({ key, weight });
    }
    if (Object.keys(ui.rules.errors).length) {
      ui.rules.alert = t("allocation.form.errorsHeading");
      render();
      $("rules-alert")?.focus();
      return;
    }
    const [deadlineDate, deadlineTime] = r.deadline_local.split(" ");
    ui.busy = "rules";
    render();
    try {
      data.round = await api(roundPath(), { method: "PUT", body: { name: r.name, first_day: r.first_day,
        last_day: r.last_day, deadline_date: deadlineDate, deadline_time: deadlineTime, rules } });
      if (data.round.state !== "allocated") data.proposal = null;
      ui.rules.saved = true;
    } catch (error) {
      ui.rules.alert = problemText(error);
    }
    ui.busy = null;
    render();
    $(ui.rules.saved ? "rules-saved" : "rules-alert")?.focus();
  });
  return h("section", { class: "allocation-section", "aria-labelledby": "rules-heading" },
    h("h2", { id: "rules-heading" }, t("allocation.rules")), form);
}

function wishText(p) {
  return t("allocation.wish", { space: spaceName(p.space_id), weekday: weekdayName(p.weekday), start: p.start });
}

function applicationsTable(apps, withActions) {
  if (!apps.length) return h("p", { class: "empty" }, t("allocation.noApplications"));
  const cols = ["title", "association", "group", "wishes", "status"];
  return h("div", { class: "table-wrap" }, h("table", { class: "data-table" },
    h("caption", {}, t("allocation.applicationCount", { count: apps.length })),
    h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, t(`allocation.col.${c}`))),
      withActions ? h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("allocation.edit"))) : null)),
    h("tbody", {}, apps.map((a) => h("tr", {},
      h("td", {}, a.title),
      h("td", {}, a.association_name),
      h("td", {}, t("allocation.groupText", { band: t(`allocation.ageBands.${a.age_band}`),
        participants: a.participants, minutes: a.duration_minutes })),
      h("td", {}, h("ol", { class: "reason-list" }, a.preferences.map((p) => h("li", {}, wishText(p))))),
      h("td", {}, t(`allocation.appStatus.${a.status}`)),
      withActions ? h("td", {}, a.status === "submitted" ? repActions(a) : null) : null)))));
}

// --- representatives: applying --------------------------------------------------------------------

const FORM_FIELDS = ["association_id", "title", "age_band", "participants", "duration_minutes", "flex_minutes",
  ...Array.from({ length: PREFERENCES }, (_, i) => [`preferences[${i}].space_id`, `preferences[${i}].weekday`,
    `preferences[${i}].start`]).flat()];

function fieldId(name) {
  return `apply-${name.replace(/[[\].]/g, "-").replace(/-+/g, "-")}`;
}

const ERROR_CODES = new Set(["capacity", "closed", "unknown", "range", "duplicate", "required"]);

/** A field error from the API in the reader's language (its English message when the code is not known here). */
function apiErrorText(item) {
  return ERROR_CODES.has(item.code) ? t(`allocation.errors.${item.code}`) : item.message;
}

function repActions(a) {
  if (!data.round.accepts_applications) return null;
  const edit = h("button", { type: "button", class: "button button-quiet button-small" }, t("allocation.edit"),
    h("span", { class: "visually-hidden" }, ` ${a.title}`));
  edit.addEventListener("click", () => {
    ui.form = { editing: a.id, errors: {}, alert: null, message: null };
    render();
    $("apply-heading")?.focus();
  });
  const withdraw = h("button", { type: "button", class: "button button-quiet button-small" }, t("allocation.withdraw"),
    h("span", { class: "visually-hidden" }, ` ${a.title}`));
  withdraw.addEventListener("click", () => act("withdraw", `${roundPath()}/applications/${encodeURIComponent(a.id)}/withdrawal`,
    undefined, async () => {
      data.applications = (await api(`${roundPath()}/applications`)).items;
      status.textContent = t("allocation.withdrawn");
    }));
  return h("div", { class: "actions" }, edit, withdraw);
}

function applyForm() {
  const editing = data.applications.find((a) => a.id === ui.form.editing) ?? null;
  const associations = data.staff ? [...data.associations.entries()]
    : data.represented.map((id) => [id, data.associations.get(id) ?? id]);
  if (!associations.length) return h("p", { class: "notice" }, t("allocation.form.noAssociation"));
  const errors = ui.form.errors;
  const control = (name, element) => {
    const id = fieldId(name);
    element.id = id;
    element.name = name;
    element.setAttribute("aria-describedby", `${id}-error`);
    if (errors[name]) element.setAttribute("aria-invalid", "true");
    return element;
  };
  const field = (name, label, element, hint) => h("div", { class: "field" },
    h("label", { for: fieldId(name) }, label),
    hint ? h("p", { class: "hint", id: `${fieldId(name)}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${fieldId(name)}-error` }, errors[name] ?? null),
    control(name, element));
  const select = (options, value) => {
    const s = h("select", {}, options.map(([v, label]) => h("option", { value: v }, label)));
    if (value !== undefined && value !== null) s.value = String(value);
    return s;
  };
  const input = (type, value, extra = {}) => h("input", { type, value: value ?? "", ...extra });
  const prefs = Array.from({ length: PREFERENCES }, (_, i) => {
    const p = editing?.preferences[i];
    const legend = i === 0 ? t("allocation.form.preferenceFirst") : t("allocation.form.preference", { n: i });
    return h("fieldset", { class: "preference-set" }, h("legend", {}, legend),
      h("div", { class: "field-row" },
        field(`preferences[${i}].space_id`, t("allocation.space"),
          select([["", t("allocation.form.chooseSpace")], ...data.spaces.map((s) => [s.id, s.name])], p?.space_id)),
        field(`preferences[${i}].weekday`, t("allocation.weekday"),
          select([0, 1, 2, 3, 4, 5, 6].map((n) => [String(n), weekdayName(n)]), p?.weekday ?? 1)),
        field(`preferences[${i}].start`, t("allocation.start"), input("time", p?.start ?? "18:00", { step: "300" }))));
  });
  const submit = h("button", { type: "submit", class: "button", "aria-disabled": ui.busy ? "true" : null },
    t(ui.busy === "apply" ? "allocation.form.sending" : editing ? "allocation.form.update" : "allocation.form.submit"));
  const entries = Object.entries(errors);
  const alert = h("div", { class: "alert alert-error", role: "alert", id: "apply-alert", tabindex: "-1" },
    entries.length || ui.form.alert ? [h("p", {}, ui.form.alert ?? t("allocation.form.errorsHeading")),
      h("ul", { class: "error-summary" }, entries.map(([name, text]) => {
        const link = h("a", { href: `#${fieldId(name)}` }, text);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          $(fieldId(name))?.focus();
        });
        return h("li", {}, link);
      }))] : null);
  const form = h("form", { class: "form form-wide", novalidate: "", id: "apply-form" }, alert,
    field("association_id", t("allocation.form.association"), select(associations, editing?.association_id)),
    field("title", t("allocation.form.title"), input("text", editing?.title, { maxlength: "200", autocomplete: "off" }),
      t("allocation.form.titleHint")),
    h("div", { class: "field-row" },
      field("age_band", t("allocation.form.ageBand"),
        select(AGE_BANDS.map((b) => [b, t(`allocation.ageBands.${b}`)]), editing?.age_band ?? "13-19")),
      field("participants", t("allocation.form.participants"),
        input("number", editing?.participants ?? 15, { min: "1", max: "10000", inputmode: "numeric" })),
      field("duration_minutes", t("allocation.form.duration"),
        input("number", editing?.duration_minutes ?? 90, { min: "15", max: "1440", step: "5", inputmode: "numeric" }))),
    field("flex_minutes", t("allocation.form.flex"),
      input("number", editing?.flex_minutes ?? 0, { min: "0", max: "120", step: "15", inputmode: "numeric" }),
      t("allocation.form.flexHint")),
    prefs, h("div", { class: "actions" }, submit));
  form.querySelector(`#${fieldId("title")}`).setAttribute("aria-describedby",
    `${fieldId("title")}-hint ${fieldId("title")}-error`);
  form.querySelector(`#${fieldId("flex_minutes")}`).setAttribute("aria-describedby",
    `${fieldId("flex_minutes")}-hint ${fieldId("flex_minutes")}-error`);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendApplication(form, editing);
  });
  return h("section", { class: "allocation-section", "aria-labelledby": "apply-heading" },
    h("h2", { id: "apply-heading", tabindex: "-1" }, t(editing ? "allocation.editHeading" : "allocation.applyHeading")),
    ui.form.message ? h("p", { class: "notice notice-success", id: "apply-message" }, ui.form.message) : null,
    form);
}

function readApplication(form) {
  const value = (name) => form.elements[name].value.trim();
  const body = {
    association_id: value("association_id"), title: value("title"), age_band: value("age_band"),
    participants: Number(value("participants")), duration_minutes: Number(value("duration_minutes")),
    flex_minutes: Number(value("flex_minutes") || 0), preferences: [],
  };
  const errors = {};
  if (!body.title) errors.title = t("allocation.errors.titleMissing");
  if (!Number.isInteger(body.participants) || body.participants < 1) errors.participants = t("allocation.errors.number");
  if (!Number.isInteger(body.duration_minutes) || body.duration_minutes < 15) {
    errors.duration_minutes = t("allocation.errors.number");
  }
  for (let i = 0; i < PREFERENCES; i += 1) {
    const space = value(`preferences[${i}].space_id`);
    const start = value(`preferences[${i}].start`).slice(0, 5);
    if (!space) {
      if (i === 0) errors["preferences[0].space_id"] = t("allocation.errors.spaceMissing");
      continue;
    }
    if (!start) errors[`preferences[${i}].start`] = t("allocation.errors.startMissing");
    body.preferences.push({ space_id: space, weekday: Number(value(`preferences[${i}].weekday`)), start });
  }
  return { body, errors };
}

async function sendApplication(form, editing) {
  if (ui.busy) return;
  const { body, errors } = readApplication(form);
  ui.form.errors = errors;
  ui.form.alert = null;
  ui.form.message = null;
  if (Object.keys(errors).length) {
    render();
    $("apply-alert")?.focus();
    return;
  }
  ui.busy = "apply";
  render();
  const path = editing ? `${roundPath()}/applications/${encodeURIComponent(editing.id)}` : `${roundPath()}/applications`;
  try {
    await api(path, { method: editing ? "PUT" : "POST", body,
      idempotencyKey: editing ? undefined : crypto.randomUUID() });
    data.applications = (await api(`${roundPath()}/applications`)).items;
    ui.form = { editing: null, errors: {}, alert: null, message: t(editing ? "allocation.form.updated" : "allocation.form.sent") };
  } catch (error) {
    if (error instanceof ApiError && error.status === 422) {
      const fieldErrors = {};
      const loose = [];
      for (const item of error.problem.errors ?? []) {
        // the API counts only the preferences sent: map back to the form's rows
        const match = /^preferences\[(\d+)\](.*)$/.exec(item.field);
        let name = item.field;
        if (match) {
          const sent = body.preferences[Number(match[1])];
          const row = sent ? Number(readRow(form, sent)) : Number(match[1]);
          name = `preferences[${row}]${match[2] || ".space_id"}`;
        }
        if (FORM_FIELDS.includes(name)) fieldErrors[name] = apiErrorText(item);
        else loose.push(apiErrorText(item));
      }
      ui.form.errors = fieldErrors;
      ui.form.alert = loose.length ? loose.join(" ") : null;
    } else {
      ui.form.alert = problemText(error);
    }
  }
  ui.busy = null;
  render();
  (ui.form.message ? $("apply-message") : $("apply-alert"))?.focus();
}

function readRow(form, sent) {
  for (let i = 0; i < PREFERENCES; i += 1) {
    if (form.elements[`preferences[${i}].space_id`].value === sent.space_id
      && Number(form.elements[`preferences[${i}].weekday`].value) === sent.weekday) return i;
  }
  return 0;
}

// --- staff: creating a round ----------------------------------------------------------------------

function createForm() {
  const errors = ui.create.errors;
  const field = (name, label, type, extra = {}, hint = null) => {
    const id = `create-${name}`;
    return h("div", { class: "field" }, h("label", { for: id }, label),
      hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
      h("p", { class: "field-error", id: `${id}-error` }, errors[name] ?? null),
      h("input", { id, name, type, "aria-describedby": `${hint ? `${id}-hint ` : ""}${id}-error`,
        "aria-invalid": errors[name] ? "true" : null, ...extra }));
  };
  const form = h("form", { class: "form form-wide", novalidate: "", id: "create-form" },
    h("div", { class: "alert alert-error", role: "alert", id: "create-alert", tabindex: "-1" },
      ui.create.alert ? h("p", {}, ui.create.alert) : null),
    field("name", t("allocation.create.name"), "text", { maxlength: "200", autocomplete: "off" },
      t("allocation.create.nameHint")),
    h("div", { class: "field-row" }, field("first_day", t("allocation.create.firstDay"), "date"),
      field("last_day", t("allocation.create.lastDay"), "date")),
    h("div", { class: "field-row" }, field("deadline_date", t("allocation.create.deadlineDate"), "date"),
      field("deadline_time", t("allocation.create.deadlineTime"), "time", { value: "23:59" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button",
      "aria-disabled": ui.busy ? "true" : null }, t("allocation.create.submit"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (ui.busy) return;
    const body = Object.fromEntries(["name", "first_day", "last_day", "deadline_date", "deadline_time"]
      .map((n) => [n, form.elements[n].value.trim().slice(0, n === "deadline_time" ? 5 : undefined)]));
    ui.create = { errors: {}, alert: null };
    for (const [name, value] of Object.entries(body)) {
      if (!value) ui.create.errors[name] = t("allocation.errors.required");
    }
    if (!Object.keys(ui.create.errors).length) {
      ui.busy = "create";
      render();
      try {
        const round = await api("/api/allocation-rounds", { method: "POST", body, idempotencyKey: crypto.randomUUID() });
        window.location.assign(`/allocation.html?round=${encodeURIComponent(round.id)}`);
        return;
      } catch (error) {
        if (error instanceof ApiError && error.status === 422) {
          for (const item of error.problem.errors ?? []) ui.create.errors[item.field] = apiErrorText(item);
        } else ui.create.alert = problemText(error);
      }
      ui.busy = null;
    }
    if (Object.keys(ui.create.errors).length && !ui.create.alert) ui.create.alert = t("allocation.form.errorsHeading");
    render();
    $("create-alert")?.focus();
  });
  return h("section", { class: "allocation-section", "aria-labelledby": "create-heading" },
    h("h2", { id: "create-heading" }, t("allocation.create.heading")), form);
}

// --- drawing --------------------------------------------------------------------------------------

function roundsList() {
  const rounds = data.rounds;
  status.textContent = t("allocation.roundCount", { count: rounds.length });
  return [h("h2", {}, t("allocation.roundsHeading")),
    rounds.length ? h("ul", { class: "link-list", id: "round-list" }, rounds.map((r) => h("li", {},
      h("a", { href: `/allocation.html?round=${encodeURIComponent(r.id)}` }, r.name), " – ",
      formatDateRange(r.first_day, r.last_day), " – ", t(`allocation.states.${r.state}`))))
      : h("p", { class: "empty" }, t("allocation.noRounds")),
    data.staff ? createForm() : null];
}

function roundView() {
  const r = data.round;
  return [
    h("p", { class: "back" }, h("a", { href: "/allocation.html" }, t("allocation.back"))),
    h("h2", { id: "round-heading" }, r.name),
    roundFacts(),
    h("div", { class: "alert alert-error", role: "alert" }, ui.alert ? h("p", {}, ui.alert.text) : null),
    data.staff ? staffActions() : null,
    data.staff ? reportView() : null,
    data.staff ? proposalView() : null,
    data.staff ? rulesForm() : null,
    h("section", { class: "allocation-section", "aria-labelledby": "applications-heading" },
      h("h2", { id: "applications-heading" }, t(data.staff ? "allocation.applicationsHeading" : "allocation.myApplications")),
      applicationsTable(data.applications, !data.staff)),
    r.accepts_applications ? applyForm()
      : r.state === "open" ? h("p", { class: "notice" }, t("allocation.deadlinePassed")) : null,
  ];
}

function render(state) {
  if (state?.loading || data.redirecting) return;
  intro.textContent = t(data.staff ? "allocation.intro" : "allocation.introRep");
  if (state && !state.session) {
    replaceChildren(content, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, state.sessionError ? problemText(state.sessionError) : t("allocation.signedOut"))));
    return;
  }
  if (!data.staff && !data.rep) {
    replaceChildren(content, h("p", { class: "notice" }, t("allocation.notAllowed")));
    return;
  }
  if (data.error) {
    replaceChildren(content, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("allocation.loadFailed")} ${problemText(data.error)}`)));
    return;
  }
  if (data.round) {
    if (!ui.busy && !status.textContent) status.textContent = t(`allocation.states.${data.round.state}`);
    replaceChildren(content, roundView());
  } else {
    replaceChildren(content, roundsList());
  }
}

startPage({ current: "allocation", titleKey: "allocation.title", load, render });
