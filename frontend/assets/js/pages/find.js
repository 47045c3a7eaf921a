// "Sök ledig tid" (public): free stretches of at least a given length in any space that fits, for
// example 2 hours in any gymnastics hall in an area for 30 people over the next two weeks.
import { startPage } from "../app.js";
import { fetchAll, api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, DEFAULT_TIME_ZONE, formatDate, formatDuration, formatTimeRange, hasText, t } from "../i18n.js";
import { addDays, isIsoDate, mondayOf, todayIn } from "../dates.js";
import { addError, apiErrors, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";
import { problemText } from "../booking-ui.js";

const $ = (id) => document.getElementById(id);
const form = $("find-form");
const alert = $("find-alert");
const status = $("find-status");
const results = $("find-results");
const KINDS = ["gym", "hall", "classroom", "music_room", "kitchen", "outdoor"];
const HOURS = [1, 1.5, 2, 3, 4];
const MAX_DAYS = 31;

const data = {
  municipalities: [],
  slug: "",
  zone: DEFAULT_TIME_ZONE,
  areas: [],
  sites: new Map(),
  answer: null,
  error: null,
  errors: null,
  busy: false,
  loadError: null,
};

async function loadMunicipality(slug) {
  data.slug = slug;
  const municipality = data.municipalities.find((m) => m.slug === slug);
  data.zone = municipality?.timezone || DEFAULT_TIME_ZONE;
  const [areas, sites] = await Promise.all([
    fetchAll("/api/areas", { municipality: slug }),
    fetchAll("/api/sites", { municipality: slug }),
  ]);
  const byName = collator();
  data.areas = areas.sort((a, b) => byName.compare(a.name, b.name));
  data.sites = new Map(sites.map((s) => [s.id, s]));
}

async function load() {
  try {
    data.municipalities = await fetchAll("/api/municipalities");
    if (data.municipalities.length) await loadMunicipality(data.municipalities[0].slug);
  } catch (error) {
    data.loadError = error;
  }
  const today = todayIn(data.zone);
  $("find-from").value = today;
  $("find-to").value = addDays(today, 13);
}

function controlOf(name) {
  return { municipality: "find-municipality", kind: "find-kind", area_id: "find-area", duration_minutes: "find-hours",
    min_capacity: "find-people", from: "find-from", to: "find-to" }[name] ?? null;
}

function readForm() {
  const errors = newErrors();
  const params = { municipality: data.slug, from: $("find-from").value, to: $("find-to").value,
    duration_minutes: String(Math.round(Number($("find-hours").value) * 60)), limit: "100" };
  if (!isIsoDate(params.from)) addError(errors, "find-from", t("find.dateMissing"));
  if (!isIsoDate(params.to)) addError(errors, "find-to", t("find.dateMissing"));
  else if (isIsoDate(params.from) && params.to < params.from) addError(errors, "find-to", t("find.toBeforeFrom"));
  else if (isIsoDate(params.from) && params.to > addDays(params.from, MAX_DAYS - 1)) {
    addError(errors, "find-to", t("find.tooLong", { count: MAX_DAYS }));
  }
  const people = $("find-people").value.trim();
  if (people) {
    if (!/^\d{1,6}$/.test(people) || Number(people) < 1) addError(errors, "find-people", t("find.peopleInvalid"));
    else params.min_capacity = people;
  }
  if ($("find-kind").value) params.kind = $("find-kind").value;
  if ($("find-area").value) params.area_id = $("find-area").value;
  return { params, errors };
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (data.busy) return;
  const { params, errors } = readForm();
  if (hasErrors(errors)) {
    data.errors = errors;
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  data.busy = true;
  data.errors = null;
  paintErrors(form, alert, null);
  status.textContent = t("find.searching");
  try {
    data.answer = { ...(await api(`/api/free-slots?${new URLSearchParams(params)}`)),
      hours: Number($("find-hours").value) };
    data.error = null;
  } catch (error) {
    data.answer = null;
    data.errors = apiErrors(error, controlOf);
  }
  data.busy = false;
  renderResults();
  if (data.errors) {
    status.textContent = "";
    paintErrors(form, alert, data.errors);
    focusFirstError(data.errors, alert);
  } else status.focus();
});

$("find-municipality").addEventListener("change", async (event) => {
  try {
    await loadMunicipality(event.target.value);
  } catch (error) {
    data.loadError = error;
  }
  renderForm();
});

function kindLabel(kind) {
  return hasText(`space.kinds.${kind}`) ? t(`space.kinds.${kind}`) : kind;
}

function renderForm() {
  $("find-municipality-field").hidden = data.municipalities.length < 2;
  const keep = (select, options, fallback = "") => {
    const previous = select.options.length ? select.value : fallback;
    replaceChildren(select, options);
    if ([...select.options].some((o) => o.value === previous)) select.value = previous;
  };
  keep($("find-municipality"), data.municipalities.map((m) =>
    h("option", { value: m.slug, selected: m.slug === data.slug }, m.name)));
  keep($("find-kind"), [h("option", { value: "" }, t("find.anyKind")),
    ...KINDS.map((k) => h("option", { value: k }, kindLabel(k)))]);
  keep($("find-area"), [h("option", { value: "" }, t("sites.allAreas")),
    ...data.areas.map((a) => h("option", { value: a.id }, a.name))]);
  keep($("find-hours"), HOURS.map((n) => h("option", { value: String(n) },
    n % 1 ? formatDuration(n * 60, "minute") : formatDuration(n, "hour"))), "2");
  $("find-submit").textContent = t("find.submit");
  paintErrors(form, alert, data.errors);
}

function slotItem(slot) {
  const site = data.sites.get(slot.site_id);
  const week = mondayOf(slot.local_date);
  return h("li", { "data-space": slot.space_id, "data-date": slot.local_date },
    h("span", { class: "item-text" },
      h("strong", {}, site ? t("bookingsCommon.spaceAtSite", { space: slot.space_name, site: site.name }) : slot.space_name),
      h("br"),
      `${formatDate(slot.local_date)}, ${t("find.freeBetween", { time: formatTimeRange(slot.local_start, slot.local_end) })}`,
      h("br"),
      t("space.people", { count: slot.capacity })),
    h("a", { href: `/space.html?id=${encodeURIComponent(slot.space_id)}&week=${week}` }, t("find.toSpace"),
      h("span", { class: "visually-hidden" }, ` ${slot.space_name}, ${formatDate(slot.local_date)}`)));
}

function renderResults() {
  if (data.loadError) {
    replaceChildren(results, h("div", { class: "alert alert-error", role: "alert" }, problemText(data.loadError)));
    return;
  }
  const answer = data.answer;
  if (!answer) {
    replaceChildren(results);
    return;
  }
  status.textContent = answer.total > answer.items.length
    ? t("find.foundMore", { count: answer.total, shown: answer.items.length })
    : t("find.found", { count: answer.total });
  replaceChildren(results, answer.items.length
    ? h("ul", { class: "item-list", id: "free-slots" }, answer.items.map(slotItem))
    : h("p", { class: "empty" }, t("find.none")));
}

function render(state) {
  if (state.loading) return;
  renderForm();
  renderResults();
}

startPage({ current: "sites", titleKey: "find.title", load, render });
