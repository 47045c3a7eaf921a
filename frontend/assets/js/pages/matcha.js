// Föreningsmatchning: a young person or a guardian gives interests, age, area and days; the associations that
// fit come ranked, each with the reasons it fits, and an interest request can be sent to each. With
// ?counter=1 and a lending-staff sign-in, Fritidsbanken's desk starts from a lending card number instead
// (the borrower's age and area fill the match).
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { locale, t, weekdayName } from "../i18n.js";
import { hasRole } from "../session.js";
import { addError, apiErrors, focusFirstError, newErrors, paintErrors } from "../forms.js";
import { interestRequestForm } from "../interest-request-form.js";

const params = new URLSearchParams(window.location.search);
const form = document.getElementById("match-form");
const alert = document.getElementById("match-alert");
const status = document.getElementById("status");
const results = document.getElementById("results");
const fields = {
  card: document.getElementById("card"), age: document.getElementById("age"), area: document.getElementById("area"),
};
const data = {
  slug: params.get("kommun"), categories: [], areas: [], result: null, error: null, counter: false, query: null,
  open: null, form: null,
};

function interestName(category) {
  return locale() === "en" ? category.name_en || category.name : category.name;
}

function checkbox(id, name, value, label) {
  return h("div", { class: "field-check" }, h("input", { type: "checkbox", id, name, value }), h("label", { for: id }, label));
}

function paintForm() {
  const interests = document.getElementById("interest-boxes");
  const keep = new Set([...interests.querySelectorAll("input:checked")].map((box) => box.value));
  replaceChildren(interests, data.categories.map((c) => checkbox(`interest-${c.id}`, "interests", c.id, interestName(c))));
  for (const box of interests.querySelectorAll("input")) box.checked = keep.has(box.value);
  const days = document.getElementById("day-boxes");
  const keepDays = new Set([...days.querySelectorAll("input:checked")].map((box) => box.value));
  replaceChildren(days, [1, 2, 3, 4, 5, 6, 7].map((d) => checkbox(`day-${d}`, "days", String(d), weekdayName(d - 1))));
  for (const box of days.querySelectorAll("input")) box.checked = keepDays.has(box.value);
  const area = fields.area.value;
  replaceChildren(fields.area, h("option", { value: "" }, t("matchingRequests.match.anyArea")),
    data.areas.map((a) => h("option", { value: a.id }, a.name)));
  fields.area.value = area;
  document.getElementById("card-field").hidden = !data.counter;
  document.getElementById("match-title").textContent = t(data.counter ? "matchingRequests.match.counterTitle"
    : "matchingRequests.match.title");
  document.getElementById("match-intro").textContent = t(data.counter ? "matchingRequests.match.counterIntro"
    : "matchingRequests.match.intro");
}

function reasonText(reason) {
  return locale() === "en" ? reason.text_en : reason.text_sv;
}

function timeText(time) {
  return `${weekdayName(time.weekday - 1)} ${time.start}–${time.end}, ${time.site_name} (${time.space_name})`;
}

function resultCard(item, index) {
  const headingId = `result-${index}`;
  const sendBox = h("div", { id: `send-${index}` });
  const card = h("li", { class: "match-card", "aria-labelledby": headingId },
    h("h2", { id: headingId }, item.name),
    h("ul", { class: "reasons", "aria-label": t("matchingRequests.match.why") },
      item.reasons.map((r) => h("li", { dataset: { code: r.code } }, reasonText(r)))),
    h("h3", {}, t("matchingRequests.match.times")),
    item.training_times.length
      ? h("ul", {}, item.training_times.map((time) => h("li", {}, timeText(time))))
      : h("p", {}, t("matchingRequests.match.noTimes")),
    h("p", {}, h("a", { href: `/forening.html?id=${item.association_id}` }, t("matchingRequests.match.profile"))),
    item.accepts_requests
      ? h("button", { type: "button", class: "button", "aria-expanded": data.open === item.association_id ? "true" : "false",
        "aria-controls": `send-${index}`, onclick: () => {
          data.open = data.open === item.association_id ? null : item.association_id;
          data.form = null;
          paintResults();
          if (data.open) document.getElementById(`send-${index}`)?.querySelector("input")?.focus();
        } }, t("matchingRequests.match.send"))
      : h("p", {}, t("matchingRequests.match.paused")),
    sendBox);
  if (data.open === item.association_id) {
    // kept across repaints (a language switch), so that what was typed stays
    data.form ??= interestRequestForm({
      prefix: `req-${index}`, association: { id: item.association_id, name: item.name }, categories: data.categories,
      interests: data.query.interests, age: data.result.age, areaId: data.result.area_id, days: data.query.days,
      counter: data.counter,
    });
    replaceChildren(sendBox, data.form);
  }
  return card;
}

function paintResults() {
  if (!data.result) {
    replaceChildren(results);
    return;
  }
  const items = data.result.items;
  status.textContent = [data.counter && data.query?.card_number
    ? t("matchingRequests.match.counterAge", { age: data.result.age }) : null,
  items.length ? t("matchingRequests.match.results", { count: items.length })
    : t("matchingRequests.match.noResults")].filter(Boolean).join(" ");
  replaceChildren(results, items.map((item, i) => resultCard(item, i)));
}

async function search(event) {
  event.preventDefault();
  const interests = [...form.querySelectorAll('input[name="interests"]:checked')].map((box) => box.value);
  const days = [...form.querySelectorAll('input[name="days"]:checked')].map((box) => Number(box.value));
  const card = data.counter ? fields.card.value.trim() : "";
  const age = Number.parseInt(fields.age.value, 10);
  const errors = newErrors();
  if (!interests.length) addError(errors, "interests", t("matchingRequests.match.needInterest"));
  if (!card && !(Number.isFinite(age) && age >= 5 && age <= 25)) addError(errors, "age", t("matchingRequests.match.needAge"));
  if (errors.fields.size) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  const query = { municipality: data.slug, interests, days };
  if (card) query.card_number = card;
  else query.age = age;
  if (fields.area.value) query.area_id = fields.area.value;
  status.textContent = t("matchingRequests.match.searching");
  try {
    data.result = await api("/api/association-matches", { method: "POST", body: query });
    data.query = { ...query, area_id: query.area_id ?? null };
    data.open = null;
    data.form = null;
    paintErrors(form, alert, null);
    paintResults();
    status.focus();
  } catch (error) {
    status.textContent = "";
    const found = apiErrors(error, (name) => ({ interests: "interests", age: "age", area_id: "area",
      card_number: "card" })[name] ?? null);
    if (error instanceof ApiError && error.status === 404) found.fields.set("card", [t("matchingRequests.match.failed")]);
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

async function load(state) {
  data.counter = params.get("counter") === "1" && hasRole(state.session, "lending_staff");
  try {
    if (!data.slug) data.slug = (await api("/api/municipalities?limit=1")).items[0]?.slug;
    if (!data.slug) return;
    const [categories, areas] = await Promise.all([
      api(`/api/interest-categories?municipality=${encodeURIComponent(data.slug)}`),
      fetchAll("/api/areas", { municipality: data.slug }),
    ]);
    data.categories = Array.isArray(categories) ? categories : categories.items;
    data.areas = areas;
  } catch (error) {
    data.error = error;
  }
}

form.addEventListener("submit", search);

startPage({
  current: "matcha",
  titleKey: "matchingRequests.match.title",
  load,
  render(state) {
    if (state.loading) return;
    if (data.error) {
      status.textContent = t("matchingRequests.match.failed");
      return;
    }
    paintForm();
    paintResults();
  },
});
