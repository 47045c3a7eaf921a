// Staff: create and edit activities (drafts), the holidays of a year, sessions (one date, or every
// day of a holiday on which the place is open; the room is booked through premises), publish,
// approve or send back an association's activity, cancel, and the way to each session's attendance.
// An association's representative: create and edit their association's activities, send them for
// approval, and see what the staff answered.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { DEFAULT_TIME_ZONE, t } from "../i18n.js";
import { apiErrors, field, focusFirstError, paintErrors } from "../forms.js";
import { hasRole } from "../session.js";
import { categoryLabel, errorBox, lovLabel, notice, whenText } from "../activities-ui.js";

const CATEGORIES = ["idrott", "kultur", "friluftsliv", "skapande", "spel", "musik", "matlagning", "annat"];
const TARGETS = ["all", "girls", "boys", "functional_variation", "newcomers"];
const STATUS_ORDER = { submitted: 0, draft: 1, published: 2, cancelled: 3 };
const noticeBox = document.getElementById("notice");
const createBox = document.getElementById("create");
const lovsBox = document.getElementById("lovs");
const listBox = document.getElementById("list");
const data = {
  slug: null, staff: false, activities: [], details: new Map(), periods: [], spaces: [], areas: [],
  associations: [], articles: [], error: null,
};

async function refresh() {
  try {
    if (data.staff) {
      data.activities = (await api("/api/activities?limit=100")).items;
    } else {
      // a representative: their associations' activities, whatever the state
      const mine = new Set(data.associations.map((a) => a.id));
      const pages = await Promise.all(["draft", "submitted", "published", "cancelled"].map((status) =>
        api(`/api/activities?limit=100&status=${status}`)));
      data.activities = pages.flatMap((page) => page.items).filter((a) => mine.has(a.association_id));
    }
    data.activities.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    data.periods = await api("/api/holiday-periods");
    const details = await Promise.all(data.activities.map((a) => api(`/api/activities/${a.id}`)));
    data.details = new Map(details.map((d) => [d.activity.id, d]));
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load(state) {
  data.staff = hasRole(state.session, "activities_staff");
  const municipalityId = state.session?.account?.municipality_id;
  try {
    const municipality = municipalityId ? await api(`/api/municipalities/${municipalityId}`) : null;
    data.slug = municipality?.slug;
    if (data.slug) {
      [data.spaces, data.areas, data.articles] = await Promise.all([
        data.staff ? fetchAll("/api/spaces", { municipality: data.slug }) : [],
        fetchAll("/api/areas", { municipality: data.slug }),
        fetchAll("/api/lending/catalogue", { municipality: data.slug }).catch(() => [])]);
    }
    if (!data.staff) data.associations = await fetchAll("/api/associations");
  } catch (error) {
    data.error = error;
  }
  await refresh();
}

async function act(promise, message) {
  try {
    const answer = await promise;
    await refresh();
    render({ loading: false });
    replaceChildren(noticeBox, notice(typeof message === "function" ? message(answer) : message));
    return answer;
  } catch (error) {
    replaceChildren(noticeBox, errorBox(error));
    return null;
  }
}

const simpleField = (id, label, control) => h("div", { class: "field" }, h("label", { for: id }, label), control);
const select = (id, items, value) => {
  const element = h("select", { id, name: id }, items.map(([v, label]) => h("option", { value: v }, label)));
  if (value !== undefined && value !== null) element.value = value;
  return element;
};
const check = (id, label, checked) => h("div", { class: "field field-check" },
  h("input", { id, type: "checkbox", checked: Boolean(checked) }), h("label", { for: id }, label));

// Wall time in Stockholm <-> an instant: the API wants an offset, the input shows local time.
const WALL = new Intl.DateTimeFormat("sv-SE", { timeZone: DEFAULT_TIME_ZONE, year: "numeric", month: "2-digit",
  day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const toWall = (iso) => (iso ? WALL.format(new Date(iso)).replace(" ", "T") : "");
function fromWall(wall) {
  if (!wall) return null;
  const guess = new Date(`${wall}:00Z`);
  const offset = new Date(`${toWall(guess.toISOString())}:00Z`) - guess;
  return new Date(guess.getTime() - offset).toISOString();
}

// the API's field -> the control's id suffix (lending articles and translations go to the summary)
const CONTROLS = {
  title: "title", description: "description", category: "category", organiser: "organiser", age_min: "age-min",
  age_max: "age-max", capacity: "capacity", target_group: "target", space_id: "space", place: "place",
  area_id: "area", association_id: "association", signup_opens_at: "opens", signup_closes_at: "closes",
  cost: "cost", languages: "languages", bring: "bring", contact: "contact",
};

/** The activity form, empty (create) or filled with `a` (edit); `p` prefixes the control ids. */
function activityForm(p, a, onSubmit) {
  const id = (name) => `${p}-${name}`;
  const f = (name, label, control, hint) => field({ id: id(name), label, hint, control });
  const input = (name, attrs = {}) => h("input", { id: id(name), name: id(name), ...attrs });
  const editing = Boolean(a);
  const chosen = new Set(a?.lending_articles ?? []);
  const alert = h("div", { class: "alert alert-error", role: "alert", id: id("alert"), tabindex: "-1" });
  const form = h("form", { class: "form", id: `${p}-form`, novalidate: true },
    alert,
    !data.staff && !editing ? f("association", t("activities.admin.association"),
      select(id("association"), data.associations.map((x) => [x.id, x.name]))) : null,
    f("title", t("activities.admin.titleField"), input("title", { required: true, maxlength: 200, value: a?.title ?? "" })),
    f("description", t("activities.admin.description"), h("textarea", { id: id("description"), rows: 3 }, a?.description ?? "")),
    f("category", t("activities.admin.category"), select(id("category"), CATEGORIES.map((c) => [c, categoryLabel(c)]), a?.category)),
    f("organiser", t("activities.admin.organiser"), input("organiser", { required: true, value: a?.organiser ?? "" })),
    f("age-min", t("activities.admin.ageMin"), input("age-min", { type: "number", min: 0, max: 25, value: a?.age_min ?? 6 })),
    f("age-max", t("activities.admin.ageMax"), input("age-max", { type: "number", min: 0, max: 25, value: a?.age_max ?? 15 })),
    f("capacity", t("activities.admin.capacity"), input("capacity", { type: "number", min: 1, max: 1000, value: a?.capacity ?? 20 })),
    f("target", t("activities.admin.target"), select(id("target"), TARGETS.map((g) => [g, t(`activities.targets.${g}`)]), a?.target_group ?? "all")),
    data.staff && !editing ? f("space", t("activities.admin.space"), select(id("space"), [["", t("activities.admin.noSpace")],
      ...data.spaces.map((s) => [s.id, s.name])])) : null,
    f("place", t("activities.admin.place"), input("place", { maxlength: 1000, value: a?.place ?? "" })),
    f("area", t("activities.admin.area"), select(id("area"), [["", "–"], ...data.areas.map((x) => [x.id, x.name])], a?.area_id)),
    check(id("signup"), t("activities.admin.signupRequired"), a ? a.signup_required : true),
    f("opens", t("activities.admin.signupOpens"), input("opens", { type: "datetime-local", value: toWall(a?.signup_opens_at) }),
      t("activities.admin.timeHint")),
    f("closes", t("activities.admin.signupCloses"), input("closes", { type: "datetime-local", value: toWall(a?.signup_closes_at) })),
    f("cost", t("activities.admin.cost"), input("cost", { inputmode: "decimal", value: a ? String(a.cost) : "0" })),
    f("languages", t("activities.admin.languages"), input("languages", { value: (a?.languages ?? ["sv"]).join(", ") }),
      t("activities.admin.languagesHint")),
    check(id("adapted"), t("activities.admin.adapted"), a?.adapted),
    check(id("wheelchair"), t("activities.admin.wheelchair"), a?.wheelchair_access),
    f("bring", t("activities.admin.bring"), input("bring", { maxlength: 1000, value: a?.bring ?? "" })),
    f("contact", t("activities.admin.contact"), input("contact", { maxlength: 1000, value: a?.contact ?? "" })),
    h("fieldset", { class: "field" }, h("legend", {}, t("activities.admin.lending")),
      data.articles.length ? data.articles.map((article, i) => check(`${id("lending")}-${i}`,
        article.variant ? `${article.name} ${article.variant}` : article.name, chosen.has(article.id)))
        : h("p", {}, t("activities.admin.noLending"))),
    h("button", { type: "submit", class: "button" }, editing ? t("activities.admin.saveChanges") : t("activities.admin.save")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (name) => form.querySelector(`#${id(name)}`)?.value.trim() ?? "";
    const checked = (name) => form.querySelector(`#${id(name)}`).checked;
    const numberOr = (name) => (value(name) === "" ? null : Number(value(name)));
    const body = {
      title: value("title"), description: value("description"), category: value("category"),
      organiser: value("organiser"), age_min: numberOr("age-min"), age_max: numberOr("age-max"),
      capacity: numberOr("capacity"), target_group: value("target"), signup_required: checked("signup"),
      signup_opens_at: fromWall(value("opens")), signup_closes_at: fromWall(value("closes")),
      cost: value("cost") || "0", languages: value("languages").split(",").map((x) => x.trim()).filter(Boolean),
      adapted: checked("adapted"), wheelchair_access: checked("wheelchair"),
      lending_articles: data.articles.filter((_, i) => checked(`lending-${i}`)).map((x) => x.id),
      area_id: value("area") || null, place: value("place") || null, bring: value("bring") || null,
      contact: value("contact") || null,
    };
    if (!editing) {
      for (const key of Object.keys(body)) if (body[key] === null) delete body[key];
      if (value("space")) body.space_id = value("space");
      if (value("association")) body.association_id = value("association");
    }
    try {
      const answer = await onSubmit(body);
      await refresh();
      render({ loading: false });
      replaceChildren(noticeBox, notice(editing ? t("activities.admin.updated", { title: answer.title })
        : t("activities.admin.created")));
      noticeBox.setAttribute("tabindex", "-1");
      noticeBox.focus();
    } catch (error) {
      const errors = apiErrors(error, (name) => (CONTROLS[name] ? id(CONTROLS[name]) : null));
      paintErrors(form, alert, errors, "activities.admin.fix");
      focusFirstError(errors, alert);
    }
  });
  return form;
}

function renderCreate() {
  replaceChildren(createBox, activityForm("new", null, (body) => api("/api/activities", { method: "POST", body })));
}

function renderLovs() {
  document.getElementById("lovs-section").hidden = !data.staff;
  if (!data.staff) return;
  const year = new Date().getFullYear();
  replaceChildren(lovsBox,
    h("ul", {}, data.periods.map((p) => h("li", {}, `${lovLabel(p)}: ${p.first_day} – ${p.last_day}`))),
    [year, year + 1].map((y) => h("button", { type: "button", class: "button button-quiet", onclick: () =>
      act(api("/api/holiday-periods/generated", { method: "POST", body: { year: y, sportlov_week: 9 } }),
        (added) => t("activities.admin.generated", { count: added.length })) }, t("activities.admin.generate", { year: y }))));
}

function sessionsForm(a) {
  const id = (name) => `${name}-${a.id}`;
  const form = h("form", { class: "form", dataset: { activity: a.id } },
    h("h4", {}, t("activities.admin.addSessions")),
    simpleField(id("date"), t("activities.admin.date"), h("input", { id: id("date"), type: "date" })),
    simpleField(id("lov"), t("activities.admin.orLov"), select(id("lov"), [["", t("activities.admin.noLov")],
      ...data.periods.map((p) => [p.id, lovLabel(p)])])),
    simpleField(id("start"), t("activities.admin.start"), h("input", { id: id("start"), type: "time", value: "10:00" })),
    simpleField(id("end"), t("activities.admin.end"), h("input", { id: id("end"), type: "time", value: "12:00" })),
    h("button", { type: "submit", class: "button" }, t("activities.admin.add")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = (name) => form.querySelector(`#${id(name)}`).value;
    const body = { start: value("start"), end: value("end") };
    if (value("date")) body.date = value("date");
    if (value("lov")) body.period_id = value("lov");
    act(api(`/api/activities/${a.id}/sessions`, { method: "POST", body }), (answer) => [
      t("activities.admin.added", { count: answer.sessions.length }),
      ...answer.skipped.map((s) => ` ${t("activities.admin.skipped", { date: s.date, reason: s.message })}`)].join(""));
  });
  return form;
}

function sendBackForm(a) {
  const reasonId = `reason-${a.id}`;
  const form = h("form", { class: "form", dataset: { sendBack: a.id } },
    simpleField(reasonId, t("activities.admin.sendBackReason", { title: a.title }),
      h("textarea", { id: reasonId, rows: 2, maxlength: 1000, required: true })),
    h("button", { type: "submit", class: "button button-quiet" }, t("activities.admin.sendBack", { title: a.title })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(api(`/api/activities/${a.id}/return`, { method: "POST", body: { reason: form.querySelector("textarea").value } }),
      t("activities.admin.sentBack", { title: a.title }));
  });
  return form;
}

function actions(a) {
  const publish = (key, done) => h("button", { type: "button", class: "button", onclick: () =>
    act(api(`/api/activities/${a.id}/publication`, { method: "POST" }), t(done, { title: a.title })) },
  t(key, { title: a.title }));
  const out = [];
  if (data.staff && a.status === "draft") out.push(publish("activities.admin.publish", "activities.admin.published"));
  if (data.staff && a.status === "submitted") out.push(publish("activities.admin.approve", "activities.admin.published"));
  if (!data.staff && a.status === "draft") out.push(publish("activities.admin.submit", "activities.admin.submittedNotice"));
  if (a.status !== "cancelled") {
    out.push(h("button", { type: "button", class: "button button-danger", onclick: () =>
      act(api(`/api/activities/${a.id}/cancellation`, { method: "POST", body: {} }),
        t("activities.admin.cancelledNotice", { title: a.title })) }, t("activities.admin.cancel", { title: a.title })));
  }
  return out;
}

function activityItem(a) {
  const sessions = data.details.get(a.id)?.sessions ?? [];
  const editable = a.status !== "cancelled" && (data.staff || a.status === "draft" || a.status === "submitted");
  return h("li", { class: "activity-card", dataset: { activity: a.id } },
    h("h3", {}, a.title),
    h("p", {}, h("span", { class: "badge" }, t(`activities.admin.status.${a.status}`))),
    !data.staff && a.status === "submitted" ? h("p", {}, t("activities.admin.awaiting")) : null,
    a.review_note && a.status === "draft" ? h("p", { class: "notice" }, t("activities.admin.reviewNote", { note: a.review_note })) : null,
    h("div", { class: "roster-actions" }, actions(a)),
    data.staff && a.status === "submitted" ? sendBackForm(a) : null,
    editable ? h("details", { class: "activity-edit" },
      h("summary", {}, t("activities.admin.edit", { title: a.title })),
      activityForm(`edit-${a.id}`, a, (body) => api(`/api/activities/${a.id}`, { method: "PATCH", body }))) : null,
    h("h4", {}, t("activities.admin.sessions", { title: a.title })),
    h("ul", {}, sessions.map((s) => h("li", {}, `${whenText(s)} (${s.capacity - s.free_places}/${s.capacity}) `,
      h("a", { href: `/attendance.html?session=${s.id}` }, t("activities.admin.attendance"))))),
    editable ? sessionsForm(a) : null);
}

function render(state) {
  if (state.loading) return;
  document.getElementById("admin-title").textContent = t(data.staff ? "activities.admin.title" : "activities.admin.titleRep");
  document.getElementById("admin-intro").textContent = t(data.staff ? "activities.admin.intro" : "activities.admin.introRep");
  renderCreate();
  renderLovs();
  if (data.error) return replaceChildren(listBox, h("li", {}, errorBox(data.error)));
  replaceChildren(listBox, data.activities.length ? data.activities.map(activityItem)
    : h("li", {}, t("activities.admin.none")));
}

startPage({ current: "activity-admin", titleKey: "activities.admin.title", load, render });
