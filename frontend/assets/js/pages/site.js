// Free times at one site (public): each space with its free stretches over seven days, from today
// on. Only times: who booked is never shown here. The first day lives in the URL (?id=&from=).
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, DEFAULT_TIME_ZONE, formatDate, formatDateRange, formatList, formatTimeRange, hasText, t } from "../i18n.js";
import { addDays, isIsoDate, todayIn } from "../dates.js";
import { problemText } from "../booking-ui.js";

const $ = (id) => document.getElementById(id);
const title = $("site-title");
const summary = $("site-summary");
const view = $("free-times");
const label = $("days-label");
const daysStatus = $("days-status");
const DAYS = 7;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const params = new URLSearchParams(window.location.search);
const siteId = params.get("id") ?? "";
const data = {
  site: null,
  spaces: [],
  zone: DEFAULT_TIME_ZONE,
  today: null,
  first: null,
  days: new Map(), // space id -> availability days
  loadError: null,
  error: null,
};

async function loadDays() {
  const query = new URLSearchParams({ from: data.first, to: addDays(data.first, DAYS - 1) });
  try {
    const answers = await Promise.all(data.spaces.map((space) =>
      api(`/api/spaces/${encodeURIComponent(space.id)}/availability?${query}`)));
    data.days = new Map(answers.map((a) => [a.space_id, a.days]));
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load() {
  if (!UUID.test(siteId)) {
    data.loadError = "notFound";
    return;
  }
  try {
    data.site = await api(`/api/sites/${encodeURIComponent(siteId)}`);
    const [spaces, municipality] = await Promise.all([
      fetchAll("/api/spaces", { site_id: siteId }),
      api(`/api/municipalities/${encodeURIComponent(data.site.municipality_id)}`).catch(() => null),
    ]);
    const byName = collator();
    data.spaces = spaces.sort((a, b) => byName.compare(a.name, b.name));
    if (municipality?.timezone) data.zone = municipality.timezone;
  } catch (error) {
    data.loadError = error instanceof ApiError && (error.status === 404 || error.status === 422) ? "notFound" : error;
    return;
  }
  data.today = todayIn(data.zone);
  const wanted = params.get("from");
  data.first = isIsoDate(wanted) && wanted > data.today ? wanted : data.today;
  await loadDays();
}

function kindLabel(kind) {
  return hasText(`space.kinds.${kind}`) ? t(`space.kinds.${kind}`) : kind;
}

function dayText(day) {
  if (day.closed_reason) return t("spacePage.holiday", { name: day.closed_reason });
  if (!day.open.length) return t("spacePage.closedAllDay");
  if (!day.free.length) return t("freeTimes.full");
  return formatList(day.free.map((f) => formatTimeRange(f.local_start, f.local_end)));
}

function spaceBlock(space) {
  const days = data.days.get(space.id) ?? [];
  const headingId = `space-${space.id}`;
  return h("li", {},
    h("article", { class: "space", "aria-labelledby": headingId, "data-space": space.id },
      h("h2", { class: "space-name", id: headingId }, space.name),
      h("p", { class: "muted" }, `${kindLabel(space.kind)}, ${t("space.people", { count: space.capacity })}`),
      h("dl", { class: "facts facts-stacked" }, days.map((day) => h("div", { "data-date": day.date,
        class: day.free.length ? "has-free" : "no-free" },
      h("dt", {}, formatDate(day.date, { weekday: "long", day: "numeric", month: "long" })),
      h("dd", {}, day.free.length ? [h("span", { class: "visually-hidden" }, `${t("freeTimes.freeLabel")} `), dayText(day)]
        : dayText(day))))),
      h("p", { class: "space-link" }, h("a", { href: `/space.html?id=${encodeURIComponent(space.id)}&week=${data.first}` },
        t("freeTimes.toSpace"), h("span", { class: "visually-hidden" }, ` ${space.name}`)))));
}

function renderDays() {
  if (!data.first) return;
  label.textContent = t("freeTimes.range", { range: formatDateRange(data.first, addDays(data.first, DAYS - 1)) });
  $("days-prev").hidden = data.first <= data.today;
  if (data.error) {
    replaceChildren(view, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("freeTimes.loadFailed")} ${problemText(data.error)}`)));
    return;
  }
  replaceChildren(view, data.spaces.length
    ? h("ul", { class: "space-list", id: "free-spaces" }, data.spaces.map(spaceBlock))
    : h("p", { class: "empty" }, t("sites.noSpaces")));
}

async function move(days) {
  const first = addDays(data.first, days);
  data.first = first < data.today ? data.today : first;
  const query = new URLSearchParams({ id: siteId });
  if (data.first !== data.today) query.set("from", data.first);
  window.history.replaceState(null, "", `?${query}`);
  daysStatus.textContent = "";
  view.setAttribute("aria-busy", "true");
  await loadDays();
  view.removeAttribute("aria-busy");
  renderDays();
  daysStatus.textContent = t("freeTimes.showing", { range: formatDateRange(data.first, addDays(data.first, DAYS - 1)) });
  if ($("days-prev").hidden) $("days-next").focus();
}

$("days-prev").addEventListener("click", () => move(-DAYS));
$("days-next").addEventListener("click", () => move(DAYS));

function render(state) {
  if (state.loading) return;
  if (data.loadError) {
    const notFound = data.loadError === "notFound";
    title.textContent = t(notFound ? "freeTimes.notFound" : "freeTimes.loadFailed");
    $("days-prev").hidden = true;
    $("days-next").hidden = true;
    replaceChildren(view, h("div", { class: notFound ? "notice" : "alert alert-error", role: notFound ? null : "alert" },
      h("p", {}, notFound ? t("freeTimes.notFoundText") : problemText(data.loadError))));
    return;
  }
  const name = t("freeTimes.titleOf", { site: data.site.name });
  title.textContent = name;
  document.title = `${name}${t("app.titleSeparator")}${t("app.name")}`;
  const { street, postal_code: postal, city } = data.site.address;
  summary.textContent = `${street}, ${postal} ${city}. ${t("freeTimes.intro")}`;
  renderDays();
}

startPage({ current: "sites", titleKey: "freeTimes.title", load, render });
