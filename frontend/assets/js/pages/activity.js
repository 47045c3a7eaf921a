// One activity: what, for whom, where, its sessions, and the sign-up of one or more children
// (or of oneself from 13). Children's data: first name, birth year, optional gender, needs and home
// area (hemområde: chosen from the municipality's areas, or found from a postcode; never an address).
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDateTime, locale, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { categoryLabel, costText, errorBox, placesText, sessionCard, whenText } from "../activities-ui.js";
import { deadlineText, drawsOf, periodOf, wishesOpen } from "../draw-ui.js";
const drawn = { periods: [], draws: new Map() }; // the holidays and the draws of those the sessions fall in

const params = new URLSearchParams(window.location.search);
const activityBox = document.getElementById("activity");
const sessionsList = document.getElementById("sessions");
const signupBox = document.getElementById("signup");
const resultBox = document.getElementById("signup-result");
const data = { detail: null, error: null, children: 1, session: null, slug: "", areas: [] };

async function load(state) {
  try {
    data.detail = await api(`/api/activities/${encodeURIComponent(params.get("id") ?? "")}`);
  } catch (error) {
    data.error = error;
  }
  data.session = state.session;
  if (!state.session) return;
  try { // the home area is optional: without the list, the form simply does not offer it
    data.slug = (await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`)).slug;
    data.areas = (await fetchAll("/api/areas", { municipality: data.slug }))
      .sort((a, b) => a.name.localeCompare(b.name, locale()));
  } catch {
    data.areas = [];
  }
}

/** "852 31" or "85231": the five digits, else null. */
function postcodeDigits(text) {
  const code = text.replace(/\s/g, "");
  return /^\d{5}$/.test(code) ? code : null;
}

/** The postcode typed: look its area up and choose it in the list, saying which area it is. */
async function lookUpPostcode(n) {
  const input = document.getElementById(`child-${n}-postcode`);
  const result = document.getElementById(`child-${n}-postcode-result`);
  const text = input.value.trim();
  if (!text) return replaceChildren(result);
  const code = postcodeDigits(text);
  if (!code) return replaceChildren(result, t("homeArea.badPostcode"));
  try {
    const found = await api(`/api/postcode-areas/${code}?municipality=${encodeURIComponent(data.slug)}`);
    document.getElementById(`child-${n}-area`).value = found.area_id;
    replaceChildren(result, t("homeArea.found", { name: found.area_name }));
  } catch (error) {
    replaceChildren(result, error instanceof ApiError && error.status === 404 ? t("homeArea.notFound")
      : t("homeArea.badPostcode"));
  }
}

function homeAreaFields(n, id) {
  if (!data.areas.length) return null;
  const postcode = h("input", { id: id("postcode"), name: "postcode", inputmode: "numeric", autocomplete: "off",
    maxlength: 6, "aria-describedby": `${id("postcode-hint")} ${id("postcode-result")}` });
  postcode.addEventListener("change", () => lookUpPostcode(n));
  return [
    h("div", { class: "field" }, h("label", { for: id("area") }, t("homeArea.label")),
      h("select", { id: id("area"), name: "home_area_id", "aria-describedby": id("area-hint") },
        h("option", { value: "" }, t("homeArea.none")),
        data.areas.map((a) => h("option", { value: a.id }, a.name))),
      h("p", { class: "hint hint-after", id: id("area-hint") }, t("homeArea.hint"))),
    h("div", { class: "field" }, h("label", { for: id("postcode") }, t("homeArea.postcode")), postcode,
      h("p", { class: "hint hint-after", id: id("postcode-hint") }, t("homeArea.postcodeHint")),
      h("p", { class: "hint-after", id: id("postcode-result"), "aria-live": "polite" })),
  ];
}

function text(activity, key) {
  const translated = activity.translations?.[locale()]?.[key];
  return translated || activity[key];
}

function fact(label, value) {
  return value ? [h("dt", {}, label), h("dd", {}, value)] : [];
}

/** "Anmälan öppnar …" before the window, "Anmälan stänger …" in it, "Anmälan stängd" after it. */
function signupWindow(a) {
  if (!a.signup_required || a.status !== "published") return null;
  const now = Date.now();
  if (a.signup_opens_at && now < Date.parse(a.signup_opens_at)) {
    return h("p", { class: "signup-window" }, t("activities.signupOpens", { when: formatDateTime(a.signup_opens_at) }));
  }
  if (a.signup_closes_at && now >= Date.parse(a.signup_closes_at)) {
    return h("p", { class: "signup-window" }, t("activities.signupClosed"));
  }
  if (a.signup_closes_at) {
    return h("p", { class: "signup-window" }, t("activities.signupCloses", { when: formatDateTime(a.signup_closes_at) }));
  }
  return null;
}

function renderActivity() {
  const a = data.detail.activity;
  replaceChildren(activityBox,
    h("h1", {}, text(a, "title")),
    h("p", { class: "lead" }, text(a, "description")),
    h("dl", { class: "facts" },
      fact(t("activities.category"), categoryLabel(a.category)),
      fact(t("activities.age"), t("activities.ages", { min: a.age_min, max: a.age_max })),
      a.target_group !== "all" ? fact(t("activities.admin.target"), t(`activities.targets.${a.target_group}`)) : [],
      fact(t("activities.organiser"), a.organiser),
      fact(t("activities.place"), data.detail.sessions[0]?.place ?? a.place),
      fact(t("activities.languages"), a.languages.join(", ")),
      fact(t("activities.bring"), a.bring),
      fact(t("activities.contact"), a.contact)),
    h("p", {}, costText(a.cost)),
    a.adapted ? h("p", {}, t("activities.adapted")) : null,
    a.wheelchair_access ? h("p", {}, t("activities.wheelchair")) : null,
    signupWindow(a),
    data.detail.borrowable.length ? h("section", { class: "activity-borrow", "aria-labelledby": "borrow-heading" },
      h("h2", { id: "borrow-heading" }, t("activities.borrowHeading")),
      h("ul", {}, data.detail.borrowable.map((article) => h("li", {},
        h("a", { href: `/catalogue.html?q=${encodeURIComponent(article.name)}` }, article.name))))) : null);
  replaceChildren(sessionsList, data.detail.sessions.map((s) => sessionCard(s, { headingLevel: "h3", link: false })));
}

function childFields(n) {
  const id = (name) => `child-${n}-${name}`;
  const genders = ["female", "male", "other"];
  return h("fieldset", { class: "child-fieldset", dataset: { child: n } },
    h("legend", {}, t("activities.signUp.child", { n })),
    h("div", { class: "field" }, h("label", { for: id("name") }, t("activities.signUp.firstName")),
      h("input", { id: id("name"), name: "first_name", required: true, autocomplete: "off", maxlength: 60 })),
    h("div", { class: "field" }, h("label", { for: id("year") }, t("activities.signUp.birthYear")),
      h("input", { id: id("year"), name: "birth_year", required: true, inputmode: "numeric", pattern: "[0-9]{4}",
        maxlength: 4 })),
    h("div", { class: "field" }, h("label", { for: id("gender") }, t("activities.signUp.gender")),
      h("select", { id: id("gender"), name: "gender" }, h("option", { value: "" }, t("activities.signUp.genderNone")),
        genders.map((g) => h("option", { value: g }, t(`activities.genders.${g}`))))),
    h("div", { class: "field" }, h("label", { for: id("needs") }, t("activities.signUp.needs")),
      h("textarea", { id: id("needs"), name: "needs", rows: 2, maxlength: 1000, "aria-describedby": id("needs-hint") }),
      h("p", { class: "hint hint-after", id: id("needs-hint") }, t("activities.signUp.needsHint"))),
    homeAreaFields(n, id));
}

function renderSignUp() {
  const a = data.detail.activity;
  const scheduled = data.detail.sessions.filter((s) => s.status === "scheduled");
  const byDraw = a.signup_required && a.status === "published" ? scheduled.filter((s) => drawOfSession(s)) : [];
  const open = scheduled.filter((s) => !byDraw.includes(s));
  const notice = byDraw.length ? drawNotice(byDraw) : null;
  const now = Date.now();
  const windowOpen = (!a.signup_opens_at || now >= Date.parse(a.signup_opens_at))
    && (!a.signup_closes_at || now < Date.parse(a.signup_closes_at));
  document.getElementById("signup-section").hidden = false;
  if (!a.signup_required || a.status !== "published" || open.length === 0 || !windowOpen) {
    if (notice) replaceChildren(signupBox, notice);
    else document.getElementById("signup-section").hidden = true;
    return;
  }
  if (!data.session) {
    replaceChildren(signupBox, notice, h("p", {}, t("activities.signUp.signIn"), " ",
      h("a", { href: loginUrl(`${window.location.pathname}${window.location.search}`) },
        t("activities.signUp.signInLink"))));
    return;
  }
  const guardian = hasRole(data.session, "guardian");
  const form = h("form", { class: "form", id: "signup-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "session" }, t("activities.signUp.session")),
      h("select", { id: "session", name: "session" }, open.map((s) =>
        h("option", { value: s.id }, `${whenText(s)} – ${placesText(s)}`)))),
    guardian ? null : h("div", { class: "field field-check" },
      h("input", { id: "self", name: "self", type: "checkbox", checked: true }),
      h("label", { for: "self" }, t("activities.signUp.self"))),
    h("div", { id: "children" }, Array.from({ length: data.children }, (_, i) => childFields(i + 1))),
    guardian ? h("p", {}, h("button", { type: "button", class: "button button-quiet", id: "add-child",
      onclick: addChild }, t("activities.signUp.addChild"))) : null,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button" }, t("activities.signUp.submit"))));
  const preselect = params.get("session");
  if (preselect) form.querySelector("#session").value = preselect;
  form.addEventListener("submit", submit);
  replaceChildren(signupBox, notice, form);
}

function addChild() {
  data.children += 1;
  const added = childFields(data.children);
  document.getElementById("children").append(added);
  added.querySelector("input").focus();
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  replaceChildren(resultBox);
  const children = [...form.querySelectorAll("fieldset[data-child]")].map((set) => {
    const value = (name) => set.querySelector(`[name=${name}]`).value.trim();
    const child = { first_name: value("first_name"), birth_year: Number.parseInt(value("birth_year"), 10) || 0 };
    if (value("gender")) child.gender = value("gender");
    if (value("needs")) child.needs = value("needs");
    const area = set.querySelector("[name=home_area_id]")?.value ?? "";
    const postcode = set.querySelector("[name=postcode]")?.value.trim() ?? "";
    if (area) child.home_area_id = area;
    else if (postcode) child.postcode = postcode; // not looked up yet: the API finds the area, or names the field
    return child;
  });
  const self = form.querySelector("#self")?.checked ?? false;
  try {
    const answer = await api(`/api/activity-sessions/${form.querySelector("#session").value}/registrations`,
      { method: "POST", body: { children, self_sign_up: self } });
    replaceChildren(resultBox, h("div", { class: "notice notice-success" },
      h("p", {}, t("activities.signUp.done")),
      h("ul", {}, answer.registrations.map((r) => h("li", {}, r.status === "confirmed"
        ? t("activities.signUp.confirmed", { name: r.first_name })
        : t("activities.signUp.waiting", { name: r.first_name, n: r.queue_no })))),
      h("p", {}, h("a", { href: "/registrations.html" }, t("activities.signUp.mine")))));
    data.detail = await api(`/api/activities/${encodeURIComponent(params.get("id"))}`);
    data.children = 1;
    renderActivity();
    renderSignUp();
  } catch (error) {
    replaceChildren(resultBox, errorBox(error, "activities.signUp.fix"));
  }
}

/** The holiday draws its sessions fall in (a holiday whose places are drawn takes wishes, not sign-ups). */
async function loadDraws(state) {
  if (!data.detail) return;
  try {
    const slug = state.session ? null : (await api("/api/municipalities?limit=1")).items[0]?.slug;
    drawn.periods = await api(`/api/holiday-periods${slug ? `?municipality=${encodeURIComponent(slug)}` : ""}`);
    drawn.draws = await drawsOf(drawn.periods, data.detail.sessions);
  } catch {
    drawn.draws = new Map(); // not known: the sign-up says so when it is refused
  }
}

/** The unpublished draw a session belongs to, or null (first come, or the draw is published). */
function drawOfSession(session) {
  const draw = drawn.draws.get(periodOf(drawn.periods, session)?.id);
  return draw && draw.status !== "published" ? draw : null;
}

function drawNotice(sessions) {
  const draw = drawOfSession(sessions[0]);
  const open = wishesOpen(draw);
  const signedInGuardian = data.session && hasRole(data.session, "guardian");
  return h("div", { class: "notice", id: "draw-notice" },
    h("p", {}, open ? t("draw.activity.notice", { when: formatDateTime(draw.wishes_close_at) }) : deadlineText(draw)),
    open && signedInGuardian ? h("ul", { class: "link-list" }, sessions.map((s) => h("li", {},
      h("a", { href: `/wishes.html?draw=${encodeURIComponent(drawOfSession(s).id)}&session=${encodeURIComponent(s.id)}`,
        class: "button button-quiet" }, t("draw.activity.add"), h("span", { class: "visually-hidden" }, ` ${whenText(s)}`)),
      " ", whenText(s)))) : null,
    open && !data.session ? h("p", {}, h("a", { href: loginUrl(`${window.location.pathname}${window.location.search}`) },
      t("activities.signUp.signInLink"))) : null);
}

function render(state) {
  if (state.loading) return;
  if (data.error || !data.detail) {
    replaceChildren(activityBox, h("h1", {}, t("activities.title")), errorBox(data.error));
    document.getElementById("signup-section").hidden = true;
    return;
  }
  document.title = `${text(data.detail.activity, "title")}${t("app.titleSeparator")}${t("app.name")}`;
  renderActivity();
  renderSignUp();
}

startPage({ current: "activities", titleKey: "activities.title", render,
  load: async (state) => { await load(state); await loadDraws(state); } });
