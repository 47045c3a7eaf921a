// "Önskelista": a guardian's wishes for a holiday whose places are given by a draw. Pick the holiday
// (?draw=<id>, or the periods in draw mode), add children with their ranked wishes until the deadline,
// withdraw a child; after publication each wish shows its outcome and why. ?session=<id> (from an
// activity's "Lägg till i önskelistan") is added to the child one adds or changes next.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { DEFAULT_TIME_ZONE, formatDate, t } from "../i18n.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { problemText } from "../booking-ui.js";
import { lovLabel } from "../activities-ui.js";
import { deadlineText, drawsOf, reasonText, wishesOpen } from "../draw-ui.js";
import { childForm, formOf, readForm } from "../wish-form.js";

const $ = (id) => document.getElementById(id);
const root = $("wishes-content");
const status = $("wishes-status");
const live = $("wishes-live");
const params = new URLSearchParams(window.location.search);
const data = { redirecting: false, allowed: false, error: null, zone: DEFAULT_TIME_ZONE, slug: null, periods: [],
  areas: [], draws: new Map(), drawId: params.get("draw"), mine: null, sessions: [] };
const ui = { editing: null, form: null, notice: null, alert: null, confirm: null, busy: false,
  addSession: params.get("session") };

const drawPath = () => `/api/holiday-draws/${encodeURIComponent(data.drawId)}`;

async function loadDraw() {
  data.mine = await api(`${drawPath()}/wishes`);
  const period = data.periods.find((p) => p.id === data.mine.draw.period_id);
  const query = { municipality: data.slug, period_id: data.mine.draw.period_id };
  data.sessions = period ? (await fetchAll("/api/activity-sessions", query))
    .filter((s) => s.signup_required && s.status === "scheduled")
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at)) : [];
}

async function load(state) {
  if (!signedIn(state, data, `/wishes.html${window.location.search}`)) return;
  // the guardian role itself (an administrator holds every role for the pages, but has no children here)
  data.allowed = (state.session.account?.roles ?? []).some((grant) => grant.role === "guardian");
  if (!data.allowed) return;
  try {
    const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
    data.slug = municipality.slug;
    data.zone = municipality.timezone || DEFAULT_TIME_ZONE;
    [data.periods, data.areas] = await Promise.all([
      api(`/api/holiday-periods?municipality=${encodeURIComponent(data.slug)}`),
      fetchAll("/api/areas", { municipality: data.slug }),
    ]);
    if (!data.drawId) {
      data.draws = await drawsOf(data.periods, null, data.zone);
      if (data.draws.size === 1) data.drawId = [...data.draws.values()][0].id;
    }
    if (data.drawId) await loadDraw();
  } catch (error) {
    data.error = error;
  }
}

const periodOfDraw = (draw) => data.periods.find((p) => p.id === draw.period_id) ?? null;
const sessionOf = (id) => data.sessions.find((s) => s.id === id) ?? null;
const announce = (text) => {
  live.textContent = "";
  window.setTimeout(() => { live.textContent = text; }, 50); // a new text node, so a repeated move is said again
};

// --- the children ---------------------------------------------------------------------------------------

function outcomeLine(wish) {
  const o = wish.outcome;
  if (!o) return null;
  return h("p", { class: `wish-outcome ${o.granted ? "is-granted" : "is-refused"}` },
    h("span", { class: `badge ${o.granted ? "badge-granted" : "badge-denied"}` },
      t(o.granted ? "draw.outcome.granted" : "draw.outcome.refused")), " ", reasonText(o.reason, wish.rank),
    o.granted && o.registration_id ? [" ", h("a", { href: "/registrations.html" }, t("draw.outcome.ticket"))] : null);
}

function childCard(child, draw) {
  const open = wishesOpen(draw);
  const area = data.areas.find((a) => a.id === child.home_area_id)?.name;
  const facts = [t("draw.child.bornIn", { year: String(child.birth_year) }),
    area ? t("draw.child.areaFound", { area }) : null,
    t("draw.child.maxShort", { count: child.max_activities }),
    child.group_code ? t("draw.child.groupShort", { code: child.group_code }) : null].filter(Boolean);
  const actions = [];
  if (open && !ui.editing) {
    actions.push(h("button", { type: "button", class: "button button-quiet button-small", id: `edit-${child.child_id}`,
      onclick: () => startEditing(child) }, t("draw.child.edit"), h("span", { class: "visually-hidden" }, ` ${child.first_name}`)));
  }
  if (draw.status !== "published" && !child.withdrawn && !ui.editing) {
    actions.push(h("button", { type: "button", class: "button button-quiet button-small", id: `withdraw-${child.child_id}`,
      onclick: () => { ui.confirm = child.child_id; render(); $("withdraw-yes")?.focus(); } },
    t(open ? "draw.child.remove" : "draw.child.withdraw", { name: child.first_name })));
  }
  const confirm = ui.confirm === child.child_id ? h("div", { class: "notice", role: "group",
    "aria-labelledby": "withdraw-question" },
  h("p", { id: "withdraw-question" }, t(open ? "draw.child.removeConfirm" : "draw.child.withdrawConfirm",
    { name: child.first_name })),
  h("div", { class: "actions" },
    h("button", { type: "button", class: "button button-danger", id: "withdraw-yes",
      onclick: () => withdraw(child) }, t("draw.child.yes")),
    h("button", { type: "button", class: "button button-quiet", onclick: () => {
      ui.confirm = null;
      render();
      $(`withdraw-${child.child_id}`)?.focus();
    } }, t("draw.child.no")))) : null;
  return h("li", { class: "child-card", dataset: { child: child.child_id } },
    h("h3", {}, child.first_name),
    h("p", { class: "hint" }, facts.join(" · ")),
    child.withdrawn ? h("p", { class: "notice" }, t("draw.child.withdrawn")) : null,
    h("ol", { class: "wish-summary" }, child.wishes.map((w) => h("li", { dataset: { session: w.session_id } },
      h("span", { class: "wish-title" }, w.favourite ? `${w.activity_title} ★` : w.activity_title),
      w.favourite ? h("span", { class: "visually-hidden" }, ` (${t("draw.wishes.favourite")})`) : null,
      h("span", { class: "wish-when" }, ` ${whenOf(w)}`),
      outcomeLine(w)))),
    actions.length ? h("div", { class: "actions" }, actions) : null, confirm);
}

function whenOf(wish) {
  const s = sessionOf(wish.session_id);
  return s ? `${formatDate(s.local_date)} ${s.local_start}–${s.local_end}` : "";
}

function startEditing(child) {
  ui.editing = child ? child.child_id : "new";
  ui.form = formOf(child, data.mine.draw, ui.addSession);
  ui.addSession = null;
  ui.notice = null;
  if (params.has("session")) { // added once: a reload does not add it again
    params.delete("session");
    window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
  }
  render();
  $("child-form-heading")?.focus();
}

async function withdraw(child) {
  if (ui.busy) return;
  ui.busy = true;
  try {
    await api(`${drawPath()}/children/${encodeURIComponent(child.child_id)}`, { method: "DELETE" });
    ui.notice = t(wishesOpen(data.mine.draw) ? "draw.child.removed" : "draw.child.withdrawnNotice",
      { name: child.first_name });
    ui.alert = null;
    await loadDraw();
  } catch (error) {
    ui.alert = problemText(error);
  }
  ui.busy = false;
  ui.confirm = null;
  render();
  $(ui.alert ? "wishes-alert" : "wishes-notice")?.focus();
}

// --- the page -------------------------------------------------------------------------------------------

function chooser() {
  const draws = [...data.draws.values()];
  if (!draws.length) return h("p", { class: "notice" }, t("draw.wishes.noDraws"));
  return [h("h2", {}, t("draw.wishes.chooseHeading")), h("ul", { class: "link-list", id: "draw-list" },
    draws.map((d) => {
      const period = periodOfDraw(d);
      return h("li", {}, h("a", { href: `/wishes.html?draw=${encodeURIComponent(d.id)}` },
        period ? lovLabel(period) : t("draw.wishes.unknownPeriod")), " – ", deadlineText(d, data.zone));
    }))];
}

function drawView() {
  const { draw, children } = data.mine;
  const period = periodOfDraw(draw);
  const open = wishesOpen(draw);
  const editingForm = () => childForm(ui.form, {
    draw, period, areas: data.areas, sessions: data.sessions, slug: data.slug, drawPath: drawPath(), announce,
    saved: async (child) => {
      ui.notice = t("draw.child.saved", { name: child.first_name });
      ui.editing = null;
      ui.form = null;
      try {
        await loadDraw();
      } catch (error) {
        ui.alert = problemText(error);
      }
      render();
      $("wishes-notice")?.focus();
    },
    cancel: () => {
      const back = ui.editing;
      ui.editing = null;
      ui.form = null;
      render();
      $(back === "new" ? "add-child" : `edit-${back}`)?.focus();
    },
  });
  return [
    h("h2", { id: "draw-heading" }, period ? lovLabel(period) : t("draw.wishes.unknownPeriod")),
    period ? h("p", {}, t("draw.wishes.days", { first: formatDate(period.first_day), last: formatDate(period.last_day) }))
      : null,
    h("p", { class: "deadline", id: "draw-deadline" }, deadlineText(draw, data.zone)),
    h("p", { class: "hint" }, t(open ? "draw.wishes.howItWorks" : draw.status === "published"
      ? "draw.wishes.afterPublish" : "draw.wishes.afterDeadline", { count: draw.max_per_child })),
    h("div", { class: "alert alert-error", role: "alert", id: "wishes-alert", tabindex: "-1" },
      ui.alert ? h("p", {}, ui.alert) : null),
    ui.notice ? h("p", { class: "notice notice-success", id: "wishes-notice", tabindex: "-1" }, ui.notice) : null,
    h("section", { class: "section", "aria-labelledby": "children-heading" },
      h("h2", { id: "children-heading" }, t("draw.wishes.childrenHeading")),
      children.length ? h("ul", { class: "child-list", id: "child-list" }, children.map((c) => ui.editing === c.child_id
        ? h("li", { class: "child-card is-editing" }, editingForm()) : childCard(c, draw)))
        : h("p", { class: "empty" }, t("draw.wishes.noChildren")),
      ui.editing === "new" ? editingForm() : null,
      open && !ui.editing ? h("div", { class: "actions" }, h("button", { type: "button", class: "button",
        id: "add-child", onclick: () => startEditing(null) }, t("draw.child.add"))) : null),
  ];
}

let pageState = null;

function render(state) {
  if (state) pageState = state;
  if (drawnInstead(pageState, data, { status, root,
    notAllowed: t("draw.wishes.notAllowed"), loadFailed: t("draw.wishes.loadFailed") })) return;
  if (ui.form) readForm(ui.form); // a redraw (a language switch) keeps what was typed
  status.textContent = "";
  if (!data.drawId) {
    replaceChildren(root, chooser());
    return;
  }
  if (ui.addSession && !ui.editing && wishesOpen(data.mine.draw)) {
    const s = sessionOf(ui.addSession);
    status.textContent = s ? t("draw.wishes.addThis", { title: s.title }) : "";
  }
  replaceChildren(root, drawView());
}

startPage({ current: "wishes", titleKey: "draw.wishes.title", load, render });
