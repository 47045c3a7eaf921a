// The public catalogue of Fritidsbanken: what can be borrowed at a site (or all sites), by category,
// size and free text, and whether it is in now (Tillgänglig) or all are lent out (Utlånad). No sign-in,
// no personal data. The filter lives in the URL so a search can be shared.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, t } from "../i18n.js";

const siteSelect = document.getElementById("site");
const categorySelect = document.getElementById("category");
const sizeSelect = document.getElementById("size");
const queryInput = document.getElementById("q");
const availableBox = document.getElementById("available");
const status = document.getElementById("catalogue-status");
const results = document.getElementById("catalogue-results");
const moreButton = document.getElementById("more");

const PAGE = 50;
const params = new URLSearchParams(window.location.search);
const filter = {
  site: params.get("site") ?? "", category: params.get("category") ?? "", size: params.get("size") ?? "",
  q: params.get("q") ?? "", available: params.get("available") === "1",
};
const data = { slug: null, sites: [], categories: [], sizes: [], items: [], total: 0, error: null, loading: true };

function scope() {
  return filter.site ? { site_id: filter.site } : { municipality: data.slug };
}

function query(extra = {}) {
  const q = { ...scope(), ...extra };
  if (filter.category) q.category_id = filter.category;
  return q;
}

async function search(append = false) {
  data.loading = true;
  renderResults();
  try {
    const q = query({ limit: String(PAGE), offset: String(append ? data.items.length : 0) });
    if (filter.q.trim()) q.q = filter.q.trim();
    if (filter.size) q.variant = filter.size;
    if (filter.available) q.available = "true";
    const page = await api(`/api/lending/catalogue?${new URLSearchParams(q)}`);
    data.items = append ? [...data.items, ...page.items] : page.items;
    data.total = page.total;
    data.error = null;
  } catch (error) {
    data.error = error;
  } finally {
    data.loading = false;
  }
  renderResults();
}

async function loadFilters() {
  const [categories, sizes] = await Promise.all([
    api(`/api/lending/categories?${new URLSearchParams(scope())}`),
    api(`/api/lending/catalogue/variants?${new URLSearchParams(query())}`),
  ]);
  data.categories = categories;
  data.sizes = sizes;
}

function syncUrl() {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === true) next.set(key, "1");
    else if (value) next.set(key, value);
  }
  const text = next.toString();
  window.history.replaceState(null, "", text ? `?${text}` : window.location.pathname);
}

async function load() {
  try {
    const municipalities = await fetchAll("/api/municipalities");
    data.slug = municipalities[0]?.slug ?? null;
    if (!data.slug) return;
    data.sites = (await fetchAll("/api/sites", { municipality: data.slug }))
      .sort((a, b) => collator().compare(a.name, b.name));
    await loadFilters();
  } catch (error) {
    data.error = error;
    return;
  }
  await search();
}

function option(value, text, selected) {
  return h("option", { value, selected: selected || null }, text);
}

function renderFilters() {
  replaceChildren(siteSelect, option("", t("lending.catalogue.allSites"), !filter.site),
    data.sites.map((s) => option(s.id, s.name, s.id === filter.site)));
  const byName = collator();
  const tops = data.categories.filter((c) => !c.parent_id).sort((a, b) => byName.compare(a.name, b.name));
  replaceChildren(categorySelect, option("", t("lending.catalogue.allCategories"), !filter.category),
    tops.map((top) => h("optgroup", { label: top.name },
      option(top.id, top.name, top.id === filter.category),
      data.categories.filter((c) => c.parent_id === top.id).sort((a, b) => byName.compare(a.name, b.name))
        .map((c) => option(c.id, c.name, c.id === filter.category)))));
  replaceChildren(sizeSelect, option("", t("lending.catalogue.allSizes"), !filter.size),
    data.sizes.map((s) => option(s, s, s === filter.size)));
  queryInput.value = filter.q;
  availableBox.checked = filter.available;
}

function ageText(item) {
  if (item.min_age !== null && item.max_age !== null) return t("lending.catalogue.ages", { min: item.min_age, max: item.max_age });
  if (item.min_age !== null) return t("lending.catalogue.minAge", { min: item.min_age });
  if (item.max_age !== null) return t("lending.catalogue.maxAge", { max: item.max_age });
  return null;
}

function articleCard(item) {
  const facts = [
    item.category_name,
    t("lending.catalogue.inStock", { available: item.available, total: item.total }),
    ageText(item),
    t("lending.catalogue.loanDays", { days: item.loan_period_days }),
    item.self_service ? t("lending.catalogue.selfService") : null,
    item.needs_guardian_consent ? t("lending.catalogue.consent") : null,
  ].filter(Boolean);
  return h("li", { class: "card lending-article" },
    h("h3", {}, item.variant ? `${item.name} – ${item.variant}` : item.name),
    h("span", { class: `badge ${item.availability === "available" ? "badge-live" : "badge-out"}` },
      t(`lending.availability.${item.availability}`)),
    item.description ? h("p", {}, item.description) : null,
    h("ul", { class: "lending-facts" }, facts.map((f) => h("li", {}, f))));
}

function renderResults() {
  if (data.loading && !data.items.length) {
    status.textContent = t("lending.catalogue.loading");
    return;
  }
  if (data.error) {
    status.textContent = t("lending.errors.load");
    replaceChildren(results);
    moreButton.hidden = true;
    return;
  }
  status.textContent = data.total ? t("lending.catalogue.count", { count: data.total }) : t("lending.catalogue.none");
  replaceChildren(results, data.items.map(articleCard));
  moreButton.hidden = data.items.length >= data.total;
}

let timer = null;
function changed({ filters = false } = {}) {
  syncUrl();
  clearTimeout(timer);
  timer = setTimeout(async () => {
    if (filters) {
      try {
        await loadFilters();
      } catch (error) {
        data.error = error;
      }
      renderFilters();
    }
    await search();
  }, 200);
}

siteSelect.addEventListener("change", () => {
  filter.site = siteSelect.value;
  filter.category = "";
  filter.size = "";
  changed({ filters: true });
});
categorySelect.addEventListener("change", () => {
  filter.category = categorySelect.value;
  filter.size = "";
  changed({ filters: true });
});
sizeSelect.addEventListener("change", () => {
  filter.size = sizeSelect.value;
  changed();
});
queryInput.addEventListener("input", () => {
  filter.q = queryInput.value;
  changed();
});
availableBox.addEventListener("change", () => {
  filter.available = availableBox.checked;
  changed();
});
document.getElementById("catalogue-filter").addEventListener("submit", (event) => event.preventDefault());
moreButton.addEventListener("click", () => search(true));

startPage({
  current: "catalogue",
  titleKey: "lending.catalogue.title",
  load,
  render: () => {
    renderFilters();
    renderResults();
  },
});
