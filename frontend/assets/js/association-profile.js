// "Offentlig profil" on "Min förening": for each association the representative represents, the draft of
// its public profile (interests, ages, for whom, areas, languages, cost, accessibility, description,
// website, the contact person for interest requests), its status and the staff's note, the choice of
// which approved bookings show as training times, and submitting it for the municipality's review.
import { api, ApiError } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { problemText, ruleText } from "./booking-ui.js";
import { apiErrors, field, focusFirstError, paintErrors } from "./forms.js";
import { FOR_WHOM, LANGUAGE_CODES, interestName, languageName } from "./profiles-ui.js";

const $ = (id) => document.getElementById(id);
const states = new Map(); // association id -> { view, message, error }
const shared = { categories: [], areas: [] };

/** Loads the profiles of `associations` (and the municipality's categories); call before drawing. */
export async function loadProfiles(associations, areas) {
  shared.areas = areas;
  shared.categories = (await api("/api/interest-categories")).items;
  for (const association of associations) {
    try {
      states.set(association.id, { view: await api(`/api/associations/${association.id}/profile`) });
    } catch (error) {
      states.set(association.id, { view: null, error });
    }
  }
}

function checks(prefix, name, legend, items, chosen) {
  return h("fieldset", { class: "field", id: `${prefix}-${name}`, tabindex: "-1",
    "aria-describedby": `${prefix}-${name}-error` },
  h("legend", {}, legend),
  h("p", { class: "field-error", id: `${prefix}-${name}-error` }),
  h("div", { class: "check-grid" }, items.map(([value, label], j) => h("div", { class: "field-check" },
    h("input", { type: "checkbox", id: `${prefix}-${name}-${j}`, name, value, checked: chosen.includes(value) }),
    h("label", { for: `${prefix}-${name}-${j}` }, label)))));
}

function check(id, label, checked) {
  return h("div", { class: "field-check" }, h("input", { type: "checkbox", id, checked }), h("label", { for: id }, label));
}

function input(id, attributes) {
  return h("input", { id, ...attributes });
}

function draftOf(view) {
  return view.draft ?? { interests: [], age_min: 6, age_max: 19, for_whom: ["all"], areas: [], languages: ["sv"],
    membership_fee: null, free_to_try: false, try_out_text: null, description: "", website: null,
    accessibility: { step_free: false, accessible_toilet: false, hearing_loop: false, notes: null } };
}

function controlOf(prefix) {
  const map = { interests: "interests", age_min: "age-min", age_max: "age-max", for_whom: "for_whom", areas: "areas",
    languages: "languages", membership_fee: "fee", try_out_text: "try-out", "accessibility.notes": "notes",
    description: "description", website: "website", contact_id: "contact" };
  return (name) => {
    const key = map[name.replace(/\[\d+\]$/, "")];
    return key ? `${prefix}-${key}` : null;
  };
}

function bodyOf(form, prefix) {
  const chosen = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  const text = (id) => $(`${prefix}-${id}`).value.trim();
  const number = (id) => (text(id) === "" ? null : Number(text(id)));
  return {
    interests: chosen("interests"), age_min: number("age-min") ?? 0, age_max: number("age-max") ?? 0,
    for_whom: chosen("for_whom"), areas: chosen("areas"), languages: chosen("languages"),
    membership_fee: number("fee"), free_to_try: $(`${prefix}-free`).checked, try_out_text: text("try-out") || null,
    accessibility: { step_free: $(`${prefix}-step-free`).checked, accessible_toilet: $(`${prefix}-toilet`).checked,
      hearing_loop: $(`${prefix}-loop`).checked, notes: text("notes") || null },
    description: text("description"), website: text("website") || null, contact_id: $(`${prefix}-contact`).value || null,
  };
}

function choiceText(c) {
  const base = { start: c.start, end: c.end, space: c.space_name, site: c.site_name };
  if (c.kind === "series") {
    const weekday = new Date(`${c.next_date}T12:00:00Z`).getUTCDay() || 7;
    return t("profiles.mine.series", { ...base, weekday: t(`profiles.weekdays.${weekday}`), count: c.dates });
  }
  return t("profiles.mine.booking", { ...base, date: formatDate(c.next_date, { weekday: "long", day: "numeric", month: "long" }) });
}

async function act(association, prefix, work, doneKey, button, busyKey) {
  const state = states.get(association.id);
  const alert = $(`${prefix}-alert`);
  const form = $(`${prefix}-form`);
  const label = button.textContent;
  button.setAttribute("aria-disabled", "true");
  button.textContent = t(busyKey);
  try {
    await work();
    state.view = await api(`/api/associations/${association.id}/profile`);
    state.message = t(doneKey);
    drawOne(association);
    $(`${prefix}-status`).focus();
  } catch (error) {
    button.removeAttribute("aria-disabled");
    button.textContent = label;
    const errors = apiErrors(error, controlOf(prefix), ruleText,
      (e) => `${t("profiles.mine.failed")} ${e instanceof ApiError && e.problem.detail ? e.problem.detail : problemText(e)}`);
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
  }
}

function drawOne(association) {
  const holder = $(`profile-${association.id}`);
  const state = states.get(association.id);
  const i = [...states.keys()].indexOf(association.id);
  const prefix = `pf${i}`;
  const headingId = `${prefix}-heading`;
  if (!state.view) {
    replaceChildren(holder, h("h2", { id: headingId }, t("profiles.mine.heading", { name: association.name })),
      h("p", { class: "alert alert-error", role: "alert" }, problemText(state.error)));
    return;
  }
  const v = state.view;
  const d = draftOf(v);
  const statusKey = v.status ?? "none";
  const form = h("form", { class: "form profile-form", id: `${prefix}-form`, novalidate: true },
    h("div", { class: "alert alert-error", id: `${prefix}-alert`, role: "alert" }),
    checks(prefix, "interests", t("profiles.mine.interests"),
      shared.categories.map((c) => [c.id, interestName(c)]), d.interests),
    field({ id: `${prefix}-age-min`, label: t("profiles.mine.ageMin"),
      control: input(`${prefix}-age-min`, { type: "number", min: "0", max: "25", inputmode: "numeric", value: d.age_min }) }),
    field({ id: `${prefix}-age-max`, label: t("profiles.mine.ageMax"),
      control: input(`${prefix}-age-max`, { type: "number", min: "0", max: "25", inputmode: "numeric", value: d.age_max }) }),
    checks(prefix, "for_whom", t("profiles.mine.forWhom"), FOR_WHOM.map((w) => [w, t(`profiles.forWhom.${w}`)]), d.for_whom),
    checks(prefix, "areas", t("profiles.mine.areas"), shared.areas.map((a) => [a.id, a.name]), d.areas),
    checks(prefix, "languages", t("profiles.mine.languages"), LANGUAGE_CODES.map((c) => [c, languageName(c)]), d.languages),
    field({ id: `${prefix}-fee`, label: t("profiles.mine.fee"), hint: t("profiles.mine.feeHint"),
      control: input(`${prefix}-fee`, { type: "number", min: "0", max: "100000", inputmode: "numeric",
        value: d.membership_fee ?? "" }) }),
    check(`${prefix}-free`, t("profiles.mine.freeToTry"), d.free_to_try),
    field({ id: `${prefix}-try-out`, label: t("profiles.mine.tryOutText"),
      control: h("textarea", { id: `${prefix}-try-out`, rows: "2", maxlength: "500" }, d.try_out_text ?? "") }),
    check(`${prefix}-step-free`, t("profiles.mine.stepFree"), d.accessibility.step_free),
    check(`${prefix}-toilet`, t("profiles.mine.toilet"), d.accessibility.accessible_toilet),
    check(`${prefix}-loop`, t("profiles.mine.loop"), d.accessibility.hearing_loop),
    field({ id: `${prefix}-notes`, label: t("profiles.mine.notes"),
      control: h("textarea", { id: `${prefix}-notes`, rows: "2", maxlength: "500" }, d.accessibility.notes ?? "") }),
    field({ id: `${prefix}-description`, label: t("profiles.mine.description"),
      control: h("textarea", { id: `${prefix}-description`, rows: "5", maxlength: "1000" }, d.description) }),
    field({ id: `${prefix}-website`, label: t("profiles.mine.website"),
      control: input(`${prefix}-website`, { type: "url", value: d.website ?? "", autocomplete: "url" }) }),
    field({ id: `${prefix}-contact`, label: t("profiles.mine.contact"),
      hint: v.contacts.length ? t("profiles.mine.contactHint") : t("profiles.mine.noContacts"),
      control: h("select", { id: `${prefix}-contact` }, h("option", { value: "" }, t("profiles.mine.noContact")),
        v.contacts.map((c) => h("option", { value: c.id, selected: c.id === v.contact_id }, c.name))) }),
    h("div", { class: "profile-actions" },
      h("button", { type: "submit", class: "button", id: `${prefix}-save` }, t("profiles.mine.save")),
      v.status === "draft" ? h("button", { type: "button", class: "button button-quiet", id: `${prefix}-submit` },
        t("profiles.mine.submit")) : null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = $(`${prefix}-save`);
    if (button.getAttribute("aria-disabled") === "true") return;
    act(association, prefix, () => api(`/api/associations/${association.id}/profile`,
      { method: "PUT", body: bodyOf(form, prefix) }), "profiles.mine.saved", button, "profiles.mine.saving");
  });
  const times = timesForm(association, prefix, v);
  replaceChildren(holder,
    h("h2", { id: headingId }, t("profiles.mine.heading", { name: association.name })),
    h("p", {}, t("profiles.mine.intro")),
    h("p", { id: `${prefix}-status`, class: "results-status", role: "status", tabindex: "-1" },
      t("profiles.mine.status", { status: t(`profiles.status.${statusKey}`) }),
      state.message ? [" ", state.message] : null),
    v.review_note ? h("p", { class: "notice" }, t("profiles.mine.note", { note: v.review_note })) : null,
    v.published && v.status !== "published" ? h("p", {}, t("profiles.mine.publishedStays")) : null,
    v.published ? h("p", {}, h("a", { href: `/forening.html?id=${association.id}` }, t("profiles.mine.viewPublic"))) : null,
    form, times);
  $(`${prefix}-submit`)?.addEventListener("click", (event) => {
    const button = event.currentTarget;
    if (button.getAttribute("aria-disabled") === "true") return;
    act(association, prefix, () => api(`/api/associations/${association.id}/profile/submission`, { method: "POST" }),
      "profiles.mine.submitted", button, "profiles.mine.submitting");
  });
}

function timesForm(association, prefix, v) {
  const form = h("form", { class: "form", id: `${prefix}-times-form`, novalidate: true },
    h("h3", {}, t("profiles.mine.timesHeading")),
    h("p", {}, t("profiles.mine.timesIntro")),
    v.time_choices.length ? h("fieldset", { class: "field" }, h("legend", {}, t("profiles.mine.timesHeading")),
      v.time_choices.map((c, j) => h("div", { class: "field-check" },
        h("input", { type: "checkbox", id: `${prefix}-time-${j}`, value: c.id, "data-kind": c.kind, checked: c.public }),
        h("label", { for: `${prefix}-time-${j}` }, choiceText(c)))))
      : h("p", { class: "muted" }, t("profiles.mine.noChoices")),
    v.time_choices.length ? h("button", { type: "submit", class: "button button-quiet", id: `${prefix}-save-times` },
      t("profiles.mine.saveTimes")) : null);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = $(`${prefix}-save-times`);
    if (button.getAttribute("aria-disabled") === "true") return;
    const picked = [...form.querySelectorAll("input[type=checkbox]:checked")];
    const body = { series_ids: picked.filter((i) => i.dataset.kind === "series").map((i) => i.value),
      booking_ids: picked.filter((i) => i.dataset.kind === "booking").map((i) => i.value) };
    act(association, prefix, () => api(`/api/associations/${association.id}/public-times`, { method: "PUT", body }),
      "profiles.mine.timesSaved", button, "profiles.mine.savingTimes");
  });
  return form;
}

/** Draws a section per association into `holder` (after loadProfiles). */
export function drawProfiles(holder, associations) {
  replaceChildren(holder, associations.filter((a) => states.has(a.id)).map((a) =>
    h("section", { class: "section", id: `profile-${a.id}`, "aria-labelledby": `pf${[...states.keys()].indexOf(a.id)}-heading` })));
  for (const association of associations) if (states.has(association.id)) drawOne(association);
}
