// The public directory of associations ("Hitta förening"): published profiles filtered by interest, age,
// area, weekday, language, free to try and accessibility; each result says why it matches. The filter
// lives in the URL (shareable); phone first.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatNumber, t } from "../i18n.js";
import { problemText } from "../booking-ui.js";
import {
  LANGUAGE_CODES, ages, interestName, languageName, municipalitySlug, regularLine, whyText,
} from "../profiles-ui.js";

const PAGE = 20;
const $ = (id) => document.getElementById(id);
const form = $("directory-filter");
const fields = { interest: $("interest"), age: $("age"), area: $("area"), weekday: $("weekday"),
  language: $("language"), q: $("q"), free_to_try: $("free_to_try"), accessible: $("accessible") };
const status = $("status");
const results = $("results");
const pager = $("pager");
const params = new URLSearchParams(window.location.search);
const data = { slug: null, categories: [], areas: [], items: [], total: 0, offset: 0, error: null };

function selected() {
  const out = {};
  for (const name of ["interest", "age", "area", "weekday", "language"]) {
    if (fields[name].value) out[name] = fields[name].value;
  }
  const q = fields.q.value.trim();
  if (q) out.q = q;
  if (fields.free_to_try.checked) out.free_to_try = "true";
  if (fields.accessible.checked) out.accessible = "true";
  return out;
}

async function search() {
  const filter = selected();
  const query = new URLSearchParams({ municipality: data.slug, ...filter, limit: String(PAGE),
    offset: String(data.offset) });
  try {
    const page = await api(`/api/association-directory?${query}`);
    data.items = page.items;
    data.total = page.total;
    data.error = null;
  } catch (error) {
    data.error = error;
  }
  const shown = new URLSearchParams(filter);
  if (params.get("kommun")) shown.set("kommun", data.slug);
  window.history.replaceState(null, "", `${window.location.pathname}${shown.size ? `?${shown}` : ""}`);
}

async function load() {
  try {
    data.slug = await municipalitySlug(params);
    if (!data.slug) return;
    const [categories, areas] = await Promise.all([
      api(`/api/interest-categories?municipality=${encodeURIComponent(data.slug)}`),
      fetchAll("/api/areas", { municipality: data.slug }),
    ]);
    data.categories = categories.items;
    data.areas = areas;
  } catch (error) {
    data.error = error;
    return;
  }
  fillSelects();
  for (const name of ["interest", "age", "area", "weekday", "language", "q"]) fields[name].value = params.get(name) ?? "";
  fields.free_to_try.checked = params.get("free_to_try") === "true";
  fields.accessible.checked = params.get("accessible") === "true";
  await search();
}

function options(select, first, items) {
  const keep = select.value;
  replaceChildren(select, h("option", { value: "" }, first), items.map(([value, label]) => h("option", { value }, label)));
  select.value = keep;
}

function fillSelects() {
  options(fields.interest, t("profiles.directory.anyInterest"), data.categories.map((c) => [c.id, interestName(c)]));
  options(fields.age, t("profiles.directory.anyAge"), Array.from({ length: 21 }, (_, i) => [String(i + 5), String(i + 5)]));
  options(fields.area, t("profiles.directory.anyArea"), data.areas.map((a) => [a.id, a.name]));
  options(fields.weekday, t("profiles.directory.anyWeekday"),
    [1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), t(`profiles.weekdays.${d}`)]));
  options(fields.language, t("profiles.directory.anyLanguage"), LANGUAGE_CODES.map((c) => [c, languageName(c)]));
}

function card(item) {
  const headingId = `club-${item.association_id}`;
  const href = `/forening.html?id=${encodeURIComponent(item.association_id)}${
    params.get("kommun") ? `&kommun=${encodeURIComponent(data.slug)}` : ""}`;
  const fee = item.membership_fee === null ? null
    : item.membership_fee === 0 ? t("profiles.feeFree") : t("profiles.fee", { fee: formatNumber(item.membership_fee) });
  return h("li", { class: "club-card" },
    h("h2", { id: headingId }, h("a", { href }, item.name)),
    h("ul", { class: "club-meta" },
      h("li", {}, item.interests.map(interestName).join(", ")),
      h("li", {}, ages(item)),
      item.areas.length ? h("li", {}, item.areas.map((a) => a.name).join(", ")) : null,
      item.free_to_try ? h("li", { class: "badge" }, t("profiles.freeToTry")) : null,
      fee ? h("li", {}, fee) : null),
    item.why.length ? h("div", { class: "club-why" },
      h("p", {}, t("profiles.directory.why")),
      h("ul", {}, item.why.map((w) => h("li", { "data-why": w.code }, whyText(w))))) : null,
    item.training_times.length
      ? [h("p", {}, h("strong", {}, t("profiles.directory.times"))),
        h("ul", { class: "club-times" }, item.training_times.map((r) => h("li", {}, regularLine(r))))]
      : h("p", { class: "muted" }, t("profiles.directory.noTimes")));
}

function pagerButtons() {
  const buttons = [];
  const go = (offset) => async () => {
    data.offset = offset;
    await search();
    render({ loading: false });
  };
  if (data.offset > 0) {
    buttons.push(h("button", { type: "button", class: "button button-quiet", onclick: go(Math.max(0, data.offset - PAGE)) },
      t("profiles.directory.previous")));
  }
  if (data.offset + PAGE < data.total) {
    buttons.push(h("button", { type: "button", class: "button button-quiet", onclick: go(data.offset + PAGE) },
      t("profiles.directory.next")));
  }
  return buttons;
}

function render(state) {
  if (state.loading) {
    status.textContent = t("profiles.directory.loading");
    return;
  }
  fillSelects();
  if (data.error) {
    replaceChildren(results);
    replaceChildren(pager);
    status.textContent = `${t("profiles.directory.loadFailed")} ${problemText(data.error)}`;
    return;
  }
  status.textContent = data.items.length ? t("profiles.directory.count", { count: data.total })
    : t("profiles.directory.none");
  replaceChildren(results, data.items.map(card));
  replaceChildren(pager, pagerButtons());
}

let current = null;
async function refilter() {
  const mine = (current = Symbol("search"));
  data.offset = 0;
  await search();
  if (mine === current) render({ loading: false });
}
form.addEventListener("change", refilter);
let typing = null;
fields.q.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(refilter, 300);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  refilter();
});
$("filter-reset").addEventListener("click", async () => {
  form.reset();
  await refilter();
});

startPage({ current: "foreningar", titleKey: "profiles.directory.title", load, render });
