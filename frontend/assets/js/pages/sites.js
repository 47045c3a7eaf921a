// Schools and premises: every site of the municipality with its spaces, filtered by area and
// by free text (site, address, space, kind or equipment). The filter lives in the URL.
import { startPage } from "../app.js";
import { ApiError, fetchAll, NetworkError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, hasText, t } from "../i18n.js";

const form = document.getElementById("site-filter");
const municipalityField = document.getElementById("municipality-field");
const municipalitySelect = document.getElementById("municipality");
const areaSelect = document.getElementById("area");
const queryInput = document.getElementById("q");
const resetButton = document.getElementById("filter-reset");
const status = document.getElementById("sites-status");
const results = document.getElementById("sites-results");

const ACCESS_FEATURES = [
  { field: "step_free", icon: "step-free", yes: "space.stepFree", no: "space.notStepFree" },
  { field: "accessible_toilet", icon: "toilet", yes: "space.accessibleToilet", no: "space.noAccessibleToilet" },
  { field: "hearing_loop", icon: "hearing-loop", yes: "space.hearingLoop", no: "space.noHearingLoop" },
];

const data = {
  municipalities: [],
  slug: null,
  sites: [],
  spacesBySite: new Map(), // site id -> top-level spaces (parts hang under their whole)
  partsById: new Map(),
  error: null,
  loading: true,
};

const params = new URLSearchParams(window.location.search);
const filter = { area: params.get("area") ?? "", q: params.get("q") ?? "" };

function fold(text) {
  return String(text ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function kindLabel(kind) {
  return hasText(`space.kinds.${kind}`) ? t(`space.kinds.${kind}`) : kind;
}

async function loadMunicipality(slug) {
  data.loading = true;
  data.error = null;
  renderResults();
  try {
    const [sites, spaces] = await Promise.all([
      fetchAll("/api/sites", { municipality: slug }),
      fetchAll("/api/spaces", { municipality: slug }),
    ]);
    const byName = collator();
    const ids = new Set(spaces.map((space) => space.id));
    data.partsById = new Map(spaces.filter((space) => space.parent_id).map((space) => [space.id, space]));
    data.spacesBySite = new Map();
    for (const space of spaces.sort((a, b) => byName.compare(a.name, b.name))) {
      if (space.parent_id && ids.has(space.parent_id)) continue; // shown under its whole hall
      if (!data.spacesBySite.has(space.site_id)) data.spacesBySite.set(space.site_id, []);
      data.spacesBySite.get(space.site_id).push(space);
    }
    data.sites = sites.sort((a, b) => byName.compare(a.name, b.name));
    data.slug = slug;
  } catch (error) {
    data.error = error;
  } finally {
    data.loading = false;
  }
}

async function load() {
  try {
    data.municipalities = await fetchAll("/api/municipalities");
  } catch (error) {
    data.error = error;
    data.loading = false;
    return;
  }
  if (data.municipalities.length === 0) {
    data.loading = false;
    return;
  }
  const wanted = params.get("kommun");
  const chosen = data.municipalities.find((m) => m.slug === wanted) ?? data.municipalities[0];
  await loadMunicipality(chosen.slug);
}

// --- matching ---------------------------------------------------------------------------------

function spaceText(space) {
  const parts = space.part_ids.map((id) => data.partsById.get(id)).filter(Boolean);
  return [space.name, kindLabel(space.kind), space.description, space.accessibility.notes, ...space.equipment,
    ...parts.map(spaceText)].join(" ");
}

function siteText(site) {
  const { street, postal_code: postal, city } = site.address;
  return [site.name, street, postal, city, site.area_name, site.description].join(" ");
}

/** The sites to show, each with the spaces to show. */
function visibleSites() {
  const words = fold(filter.q).split(/\s+/).filter(Boolean);
  const matches = (text) => {
    const folded = fold(text);
    return words.every((word) => folded.includes(word));
  };
  const shown = [];
  for (const site of data.sites) {
    if (filter.area && site.area_id !== filter.area) continue;
    const spaces = data.spacesBySite.get(site.id) ?? [];
    if (!words.length || matches(siteText(site))) {
      shown.push({ site, spaces });
      continue;
    }
    const hits = spaces.filter((space) => matches(`${siteText(site)} ${spaceText(space)}`));
    if (hits.length) shown.push({ site, spaces: hits });
  }
  return shown;
}

// --- drawing ----------------------------------------------------------------------------------

function fact(term, value) {
  return h("div", {}, h("dt", {}, term), h("dd", {}, value));
}

function accessibilityList(space) {
  return h("ul", { class: "access", "aria-label": t("space.accessibility") },
    ACCESS_FEATURES.map((feature) => {
      const present = Boolean(space.accessibility[feature.field]);
      return h("li", { class: `access-item ${present ? "is-present" : "is-absent"}` },
        h("span", { class: "access-icon" },
          h("img", { src: `/assets/img/icons/${feature.icon}.svg`, alt: "", width: "24", height: "24" })),
        h("span", {}, t(present ? feature.yes : feature.no)));
    }));
}

function spaceItem(space, level) {
  const parts = space.part_ids.map((id) => data.partsById.get(id)).filter(Boolean);
  const partsId = `parts-${space.id}`;
  return h("li", { class: "space" },
    h(`h${level}`, { class: "space-name", id: `space-${space.id}` }, space.name),
    h("dl", { class: "facts" },
      fact(t("space.kind"), kindLabel(space.kind)),
      fact(t("space.capacity"), t("space.people", { count: space.capacity }))),
    space.description ? h("p", { class: "space-description" }, space.description) : null,
    accessibilityList(space),
    space.accessibility.notes ? h("p", { class: "access-notes" }, space.accessibility.notes) : null,
    space.equipment.length
      ? h("p", { class: "equipment" }, h("span", { class: "label" }, `${t("space.equipment")}: `),
        space.equipment.join(", "))
      : null,
    h("p", { class: "space-link" },
      h("a", { href: `/space.html?id=${encodeURIComponent(space.id)}` },
        t("sites.availabilityLink"), h("span", { class: "visually-hidden" }, ` ${t("sites.availabilityFor", { name: space.name })}`))),
    parts.length
      ? h("div", { class: "parts" },
        h("p", { class: "parts-heading", id: partsId }, t("space.parts", { count: parts.length })),
        h("ul", { class: "space-list parts-list", "aria-labelledby": partsId },
          parts.map((part) => spaceItem(part, Math.min(level + 1, 6)))))
      : null);
}

function siteCard({ site, spaces }) {
  const { street, postal_code: postal, city } = site.address;
  const headingId = `site-${site.id}`;
  const spacesId = `spaces-${site.id}`;
  return h("li", {},
    h("article", { class: "site", "aria-labelledby": headingId },
      h("h2", { class: "site-name", id: headingId }, site.name),
      h("dl", { class: "facts site-facts" },
        fact(t("sites.address"), `${street}, ${postal} ${city}`),
        fact(t("sites.area"), site.area_name ?? t("sites.noArea"))),
      site.description ? h("p", { class: "site-description" }, site.description) : null,
      h("p", { class: "space-link" }, h("a", { href: `/site.html?id=${encodeURIComponent(site.id)}` },
        t("sites.freeTimesLink"), h("span", { class: "visually-hidden" }, ` ${t("sites.availabilityFor", { name: site.name })}`))),
      h("h3", { class: "visually-hidden", id: spacesId }, t("sites.spacesHeading")),
      spaces.length
        ? h("ul", { class: "space-list", "aria-labelledby": spacesId }, spaces.map((s) => spaceItem(s, 3)))
        : h("p", { class: "muted" }, t("sites.noSpaces"))));
}

function errorText(error) {
  if (error instanceof NetworkError) return t("errors.network");
  if (error instanceof ApiError && error.status >= 500) return t("errors.server");
  return `${t("sites.loadFailed")} ${error instanceof ApiError ? error.message : ""}`.trim();
}

function renderFilter() {
  municipalityField.hidden = data.municipalities.length < 2;
  replaceChildren(municipalitySelect, data.municipalities.map((m) =>
    h("option", { value: m.slug, selected: m.slug === data.slug }, m.name)));

  const areas = new Map();
  for (const site of data.sites) if (site.area_id) areas.set(site.area_id, site.area_name ?? site.area_id);
  const byName = collator();
  const options = [...areas].sort((a, b) => byName.compare(a[1], b[1]));
  if (filter.area && !areas.has(filter.area) && !data.loading) filter.area = "";
  replaceChildren(areaSelect,
    h("option", { value: "" }, t("sites.allAreas")),
    options.map(([id, name]) => h("option", { value: id, selected: id === filter.area }, name)));
  areaSelect.value = filter.area;
  if (queryInput.value !== filter.q) queryInput.value = filter.q;
}

function renderResults() {
  results.removeAttribute("aria-busy");
  if (data.loading) {
    results.setAttribute("aria-busy", "true");
    status.textContent = t("sites.loading");
    replaceChildren(results);
    return;
  }
  if (data.error) {
    status.textContent = "";
    const retry = h("button", { type: "button", class: "button" }, t("errors.retry"));
    retry.addEventListener("click", () => window.location.reload());
    replaceChildren(results, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, errorText(data.error)), h("p", {}, retry)));
    return;
  }
  if (data.sites.length === 0) {
    status.textContent = t("sites.noneAtAll");
    replaceChildren(results);
    return;
  }
  const shown = visibleSites();
  status.textContent = t("sites.showing", { shown: shown.length, count: data.sites.length });
  replaceChildren(results, shown.length
    ? h("ul", { class: "site-list" }, shown.map(siteCard))
    : h("p", { class: "empty" }, t("sites.noneMatch")));
}

function render() {
  renderFilter();
  renderResults();
}

function syncUrl() {
  const query = new URLSearchParams();
  if (data.municipalities.length > 1 && data.slug) query.set("kommun", data.slug);
  if (filter.area) query.set("area", filter.area);
  if (filter.q.trim()) query.set("q", filter.q.trim());
  const search = query.toString();
  window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

let typing;
function applyFilter({ debounce = false } = {}) {
  clearTimeout(typing);
  const run = () => {
    syncUrl();
    renderResults();
  };
  if (debounce) typing = setTimeout(run, 250);
  else run();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  filter.q = queryInput.value;
  applyFilter();
});
areaSelect.addEventListener("change", () => {
  filter.area = areaSelect.value;
  applyFilter();
});
queryInput.addEventListener("input", () => {
  filter.q = queryInput.value;
  applyFilter({ debounce: true });
});
municipalitySelect.addEventListener("change", async () => {
  filter.area = "";
  await loadMunicipality(municipalitySelect.value);
  syncUrl();
  render();
});
resetButton.addEventListener("click", () => {
  filter.area = "";
  filter.q = "";
  renderFilter();
  applyFilter();
});

startPage({ current: "sites", titleKey: "sites.title", load, render });
