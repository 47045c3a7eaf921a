// "Lottning" (activities staff): for a holiday period, first come or wishes and a draw (draw-settings.js);
// the overview (children, wishes, sessions); run the draw after the deadline with an optional seed; the
// preview with its figures and every child's outcome, adjusted by hand (draw-preview.js); publish after a
// confirmation. ?period=<id> chooses the period; without it the page lists the periods.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { DEFAULT_TIME_ZONE, formatDate, formatDateRange, formatDateTime, formatNumber, t } from "../i18n.js";
import { hasRole } from "../session.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { problemText } from "../booking-ui.js";
import { lovLabel } from "../activities-ui.js";
import { todayIn } from "../dates.js";
import { drawOfPeriod, drawsOf } from "../draw-ui.js";
import { settingsForm } from "../draw-settings.js";
import { clashText, previewView } from "../draw-preview.js";

const $ = (id) => document.getElementById(id);
const root = $("draw-content");
const status = $("draw-status");
const periodId = new URLSearchParams(window.location.search).get("period");
const data = { redirecting: false, allowed: false, error: null, zone: DEFAULT_TIME_ZONE, periods: [], areas: [],
  draws: new Map(), draw: null, overview: null, preview: null };
const ui = { busy: null, alert: null, notice: null, confirmPublish: false, rowErrors: new Map(), published: null };
let pageState = null;
let settings = null; // the settings form, kept across redraws (what staff type stays) until the draw changes

const drawPath = () => `/api/holiday-draws/${encodeURIComponent(data.draw.id)}`;

async function loadPeriod() {
  settings = null;
  data.draw = await drawOfPeriod(periodId);
  data.overview = data.draw ? await api(drawPath()) : null;
  data.preview = null;
  if (data.draw && data.draw.status !== "wishing") {
    try {
      data.preview = await api(`${drawPath()}/preview`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error; // not run yet (settings changed)
    }
  }
}

async function load(state) {
  if (!signedIn(state, data, `/draw.html${window.location.search}`)) return;
  data.allowed = hasRole(state.session, "activities_staff");
  if (!data.allowed) return;
  try {
    const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
    data.zone = municipality.timezone || DEFAULT_TIME_ZONE;
    [data.periods, data.areas] = await Promise.all([
      api(`/api/holiday-periods?municipality=${encodeURIComponent(municipality.slug)}`),
      fetchAll("/api/areas", { municipality: municipality.slug }),
    ]);
    if (periodId) await loadPeriod();
    else data.draws = await drawsOf(data.periods, null, data.zone);
  } catch (error) {
    data.error = error;
  }
}

const period = () => data.periods.find((p) => p.id === periodId) ?? null;
const areaName = (id) => data.areas.find((a) => a.id === id)?.name ?? t("draw.preview.unknownArea");
const titleOf = (sessionId) => data.overview?.sessions.find((s) => s.session_id === sessionId)?.title ?? null;

// --- actions ------------------------------------------------------------------------------------------------

async function act(kind, work, focusId) {
  if (ui.busy) return;
  ui.busy = kind;
  ui.alert = null;
  ui.notice = null;
  render();
  try {
    await work();
  } catch (error) {
    ui.alert = problemText(error);
  }
  ui.busy = null;
  render();
  $(ui.alert ? "draw-alert" : focusId)?.focus();
}

function run() {
  const seed = $("draw-seed")?.value.trim();
  act("run", async () => {
    data.preview = await api(`${drawPath()}/runs`, { method: "POST", body: seed ? { seed } : {},
      idempotencyKey: crypto.randomUUID() });
    ui.rowErrors.clear();
    ui.confirmPublish = false;
    data.draw = await drawOfPeriod(periodId);
    status.textContent = t("draw.run.done", { seed: data.preview.seed });
  }, "preview-heading");
}

function publish() {
  act("publish", async () => {
    ui.published = await api(`${drawPath()}/publication`, { method: "POST", idempotencyKey: crypto.randomUUID() });
    ui.confirmPublish = false;
    await loadPeriod();
    ui.notice = t("draw.publish.done", { registrations: ui.published.registrations, notified: ui.published.notified });
  }, "draw-notice");
}

async function adjust(child, wish, granted) {
  if (ui.busy) return;
  const key = `${child.child_id}|${wish.session_id}`;
  ui.busy = "adjust";
  ui.rowErrors.delete(key);
  try {
    data.preview = await api(`${drawPath()}/preview/grants`, { method: "PUT",
      body: { child_id: child.child_id, session_id: wish.session_id, granted } });
    ui.rowErrors.clear(); // what was in the way may have moved
    status.textContent = t(granted ? "draw.adjust.granted" : "draw.adjust.removed",
      { name: child.first_name, title: wish.activity_title });
  } catch (error) {
    ui.rowErrors.set(key, clashText(error, titleOf));
  }
  ui.busy = null;
  render();
  const errorId = `row-error-${child.child_id}-${wish.session_id}`;
  ($(errorId) ?? $(`adjust-${child.child_id}-${wish.session_id}`))?.focus();
}

// --- the views -----------------------------------------------------------------------------------------------

function periodList() {
  const today = todayIn(data.zone);
  const ahead = data.periods.filter((p) => p.last_day >= today).sort((a, b) => a.first_day.localeCompare(b.first_day));
  if (!ahead.length) return h("p", { class: "empty" }, t("draw.noPeriods"));
  return [h("h2", {}, t("draw.periodsHeading")), h("ul", { class: "link-list", id: "period-list" }, ahead.map((p) => {
    const draw = data.draws.get(p.id);
    return h("li", {}, h("a", { href: `/draw.html?period=${encodeURIComponent(p.id)}` }, lovLabel(p)), " – ",
      formatDateRange(p.first_day, p.last_day), " – ",
      draw ? t(`draw.states.${draw.status}`) : t("draw.settings.firstCome"));
  }))];
}

function overviewView() {
  const o = data.overview;
  if (!o) return null;
  const fact = (term, value, id) => h("div", {}, h("dt", {}, term), h("dd", { id }, value));
  return h("section", { class: "section", "aria-labelledby": "overview-heading" },
    h("h2", { id: "overview-heading" }, t("draw.overview.heading")),
    h("dl", { class: "facts", id: "overview-facts" },
      fact(t("draw.overview.state"), t(`draw.states.${data.draw.status}`), "overview-state"),
      fact(t("draw.overview.deadline"), formatDateTime(data.draw.wishes_close_at, data.zone)),
      fact(t("draw.overview.children"), formatNumber(o.children), "overview-children"),
      fact(t("draw.overview.wishes"), formatNumber(o.wishes), "overview-wishes"),
      fact(t("draw.overview.withdrawn"), formatNumber(o.withdrawn), "overview-withdrawn")),
    o.sessions.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "sessions-caption" },
      h("table", { class: "data-table", id: "session-table" },
        h("caption", { id: "sessions-caption" }, t("draw.overview.sessions")),
        h("thead", {}, h("tr", {}, ["activity", "when", "places", "wishes"].map((c) =>
          h("th", { scope: "col" }, t(`draw.overview.col.${c}`))))),
        h("tbody", {}, o.sessions.map((s) => h("tr", {},
          h("th", { scope: "row" }, s.title),
          h("td", {}, formatDateTime(s.starts_at, data.zone)),
          h("td", { class: "number" }, formatNumber(s.places)),
          h("td", { class: "number" }, formatNumber(s.wishes)))))))
      : h("p", { class: "empty" }, t("draw.overview.noSessions")));
}

function runView() {
  const draw = data.draw;
  if (!draw || draw.status === "published") return null;
  const closed = Date.now() >= Date.parse(draw.wishes_close_at);
  const busyText = (key, idle) => t(ui.busy === key ? `draw.${key}.busy` : idle);
  const seed = h("input", { id: "draw-seed", maxlength: 64, autocomplete: "off", class: "input-code",
    "aria-describedby": "draw-seed-hint" });
  return h("section", { class: "section", "aria-labelledby": "run-heading" },
    h("h2", { id: "run-heading" }, t("draw.run.heading")),
    closed ? [h("div", { class: "field" }, h("label", { for: "draw-seed" }, t("draw.run.seed")),
      h("p", { class: "hint", id: "draw-seed-hint" }, t("draw.run.seedHint")), seed),
    draw.status === "previewed" ? h("p", { class: "hint" }, t("draw.run.again")) : null,
    h("div", { class: "actions" }, h("button", { type: "button", class: "button", id: "run-draw",
      "aria-disabled": ui.busy ? "true" : null, onclick: run }, busyText("run", "draw.run.button")))]
      : h("p", { class: "notice" }, t("draw.run.notYet", { when: formatDateTime(draw.wishes_close_at, data.zone) })));
}

function publishView() {
  if (data.draw?.status !== "previewed" || !data.preview) return null;
  if (!ui.confirmPublish) {
    return h("div", { class: "actions" }, h("button", { type: "button", class: "button", id: "publish-draw",
      onclick: () => { ui.confirmPublish = true; render(); $("publish-yes")?.focus(); } }, t("draw.publish.button")));
  }
  return h("div", { class: "notice", role: "group", "aria-labelledby": "publish-question" },
    h("p", { id: "publish-question" }, t("draw.publish.confirm")),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "button", id: "publish-yes", "aria-disabled": ui.busy ? "true" : null,
        onclick: publish }, t(ui.busy === "publish" ? "draw.publish.busy" : "draw.publish.yes")),
      h("button", { type: "button", class: "button button-quiet", id: "publish-no",
        onclick: () => { ui.confirmPublish = false; render(); $("publish-draw")?.focus(); } }, t("draw.child.no"))));
}

function periodView() {
  const p = period();
  if (!p) return h("p", { class: "notice" }, t("draw.unknownPeriod"));
  settings ??= settingsForm({ draw: data.draw, periodId, areas: data.areas, zone: data.zone,
    suggested: data.overview?.suggested_priority_areas ?? [],
    saved: (_draw, text) => act("settings", async () => {
      await loadPeriod();
      ui.notice = text;
    }, "draw-notice") });
  return [
    h("p", { class: "back" }, h("a", { href: "/draw.html" }, t("draw.back"))),
    h("h2", { id: "period-heading" }, lovLabel(p)),
    h("p", {}, t("draw.days", { first: formatDate(p.first_day), last: formatDate(p.last_day) })),
    h("div", { class: "alert alert-error", role: "alert", id: "draw-alert", tabindex: "-1" },
      ui.alert ? h("p", {}, ui.alert) : null),
    ui.notice ? h("p", { class: "notice notice-success", id: "draw-notice", tabindex: "-1" }, ui.notice) : null,
    h("section", { class: "section", "aria-labelledby": "settings-heading" },
      h("h2", { id: "settings-heading" }, t("draw.settings.heading")), settings),
    overviewView(),
    runView(),
    data.preview ? previewView({ preview: data.preview, editable: data.draw?.status === "previewed",
      busyRow: ui.busy === "adjust", rowErrors: ui.rowErrors, areaName, titleOf, zone: data.zone, adjust }) : null,
    publishView(),
  ];
}

function render(state) {
  if (state) {
    pageState = state;
    settings = null; // drawn by startPage (the first time, or in another language)
  }
  if (drawnInstead(pageState, data, { status, root, notAllowed: t("draw.notAllowed"),
    loadFailed: t("draw.loadFailed") })) return;
  replaceChildren(root, periodId ? periodView() : periodList());
}

startPage({ current: "draw", titleKey: "draw.title", load, render });
