// "Avgifter" (premises staff): the fee basis of a period for invoicing (per association its charged
// bookings, with totals) as a table and as a CSV file; the price list per tariff category and kind
// of space (administrators change it); and the associations that did not come to their bookings.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, DEFAULT_TIME_ZONE, formatDate, formatDateTime, hasText, locale, t } from "../i18n.js";
import { addDays, isIsoDate, todayIn } from "../dates.js";
import { canDecide, hasRole, loginUrl } from "../session.js";
import { problemText } from "../booking-ui.js";
import { addError, apiErrors, downloadLink, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";

const $ = (id) => document.getElementById(id);
const root = $("fees-page");
const CATEGORIES = ["free", "reduced", "standard", "commercial"];

const data = {
  allowed: false,
  admin: false,
  redirecting: false,
  slug: "",
  zone: DEFAULT_TIME_ZONE,
  associations: [],
  spaces: new Map(),
  kinds: [],
  prices: [],
  noShows: null,
  error: null,
};
const basis = { from: "", to: "", association: "", result: null, errors: null, busy: false, notice: "" };
const prices = { editing: false, values: new Map(), errors: null, busy: false, notice: "" };

async function load(state) {
  if (!state.session) {
    if (state.sessionError) return;
    data.redirecting = true;
    window.location.replace(loginUrl("/fees.html"));
    return;
  }
  data.allowed = canDecide(state.session);
  data.admin = hasRole(state.session, "admin");
  if (!data.allowed) return;
  try {
    const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
    data.slug = municipality.slug;
    data.zone = municipality.timezone || data.zone;
    const today = todayIn(data.zone);
    basis.from = `${today.slice(0, 7)}-01`;
    basis.to = addDays(`${addDays(basis.from, 32).slice(0, 7)}-01`, -1);
    const byName = collator();
    const [associations, spaces, priceList, noShows] = await Promise.all([
      fetchAll("/api/associations"),
      fetchAll("/api/spaces", { municipality: data.slug }),
      api(`/api/tariffs?${new URLSearchParams({ municipality: data.slug })}`),
      api("/api/no-shows"),
    ]);
    data.associations = associations.sort((a, b) => byName.compare(a.name, b.name));
    data.spaces = new Map(spaces.map((s) => [s.id, s]));
    data.kinds = [...new Set(spaces.map((s) => s.kind))].sort();
    data.prices = priceList.items;
    data.noShows = noShows;
  } catch (error) {
    data.error = error;
  }
}

// --- money and words ----------------------------------------------------------------------------------

function kronor(value) {
  return new Intl.NumberFormat(locale() === "sv" ? "sv-SE" : "en-GB", { style: "currency", currency: "SEK" })
    .format(Number(value));
}

function decimal(value) {
  return new Intl.NumberFormat(locale() === "sv" ? "sv-SE" : "en-GB", { minimumFractionDigits: 2,
    maximumFractionDigits: 2 }).format(Number(value));
}

function kindName(kind) {
  return hasText(`space.kinds.${kind}`) ? t(`space.kinds.${kind}`) : kind;
}

function tariffName(category) {
  return hasText(`fees.tariffs.${category}`) ? t(`fees.tariffs.${category}`) : category;
}

// --- the fee basis ------------------------------------------------------------------------------------

function basisParams() {
  const params = { from: basis.from, to: basis.to };
  if (basis.association) params.association_id = basis.association;
  return params;
}

async function showBasis(event) {
  event.preventDefault();
  if (basis.busy) return;
  const errors = newErrors();
  if (!isIsoDate(basis.from)) addError(errors, "fee-from", t("fees.dateMissing"));
  if (!isIsoDate(basis.to)) addError(errors, "fee-to", t("fees.dateMissing"));
  else if (isIsoDate(basis.from) && basis.to < basis.from) addError(errors, "fee-to", t("fees.toBeforeFrom"));
  if (hasErrors(errors)) {
    basis.errors = errors;
    renderBasis();
    focusFirstError(errors, $("fee-alert"));
    return;
  }
  basis.busy = true;
  basis.errors = null;
  basis.notice = "";
  renderBasis();
  try {
    basis.result = await api(`/api/fees?${new URLSearchParams(basisParams())}`);
    const lines = basis.result.associations.reduce((n, a) => n + a.lines.length, 0);
    basis.notice = t("fees.shown", { count: lines, total: kronor(basis.result.total) });
  } catch (error) {
    basis.result = null;
    basis.errors = apiErrors(error, (name) => ({ from: "fee-from", to: "fee-to", association_id: "fee-association" }[name]
      ?? null));
  }
  basis.busy = false;
  renderBasis();
  if (basis.errors) focusFirstError(basis.errors, $("fee-alert"));
}

function basisForm() {
  const from = h("input", { id: "fee-from", type: "date", value: basis.from });
  from.addEventListener("input", () => { basis.from = from.value; });
  const to = h("input", { id: "fee-to", type: "date", value: basis.to });
  to.addEventListener("input", () => { basis.to = to.value; });
  const association = h("select", { id: "fee-association" },
    h("option", { value: "" }, t("fees.allAssociations")),
    data.associations.map((a) => h("option", { value: a.id, selected: a.id === basis.association }, a.name)));
  association.addEventListener("change", () => { basis.association = association.value; });
  const element = h("form", { id: "fee-form", class: "filter", novalidate: true },
    h("div", { id: "fee-alert", class: "alert alert-error", role: "alert" }),
    h("div", { class: "filter-fields" },
      field({ id: "fee-from", label: t("fees.from"), control: from }),
      field({ id: "fee-to", label: t("fees.to"), control: to }),
      field({ id: "fee-association", label: t("fees.association"), control: association }),
      h("div", { class: "field field-action" },
        h("button", { type: "submit", class: "button", "aria-disabled": basis.busy ? "true" : null },
          t(basis.busy ? "fees.loading" : "fees.show")))));
  element.addEventListener("submit", showBasis);
  return element;
}

function associationTable(fees) {
  const headingId = `fees-${fees.association_id}`;
  const number = (text) => h("td", { class: "number" }, text);
  return h("div", { class: "table-wrap", role: "region", "aria-labelledby": headingId, tabindex: "0" },
    h("table", { class: "data-table", "data-association": fees.association_id },
      h("caption", { id: headingId }, t("fees.caption", { name: fees.name, org: fees.org_number })),
      h("thead", {}, h("tr", {},
        ["date", "time", "space", "kind", "tariff"].map((c) => h("th", { scope: "col" }, t(`fees.columns.${c}`))),
        ["hours", "hourly", "amount"].map((c) => h("th", { scope: "col", class: "number" }, t(`fees.columns.${c}`))),
        h("th", { scope: "col" }, t("fees.columns.late")))),
      h("tbody", {}, fees.lines.map((line) => h("tr", { "data-booking": line.booking_id },
        h("td", {}, formatDate(line.local_date, { day: "numeric", month: "short", year: "numeric" })),
        h("td", {}, `${line.local_start}–${line.local_end}`),
        h("td", {}, data.spaces.get(line.space_id)?.name ?? t("bookingsCommon.unknownSpace")),
        h("td", {}, kindName(line.space_kind)),
        h("td", {}, tariffName(line.tariff)),
        number(decimal(line.hours)),
        number(kronor(line.hourly)),
        number(kronor(line.amount)),
        h("td", {}, line.late_cancellation ? t("fees.lateYes") : "")))),
      h("tfoot", {}, h("tr", {},
        h("th", { scope: "row", colspan: "7" }, t("fees.associationTotal")),
        number(kronor(fees.total)),
        h("td", {})))));
}

function basisResult() {
  const result = basis.result;
  if (!result) return null;
  return h("div", { id: "fee-result" },
    result.associations.length ? result.associations.map(associationTable) : h("p", { class: "empty" }, t("fees.none")),
    h("p", { class: "results-status" }, t("fees.total", {
      range: `${formatDate(result.first, { day: "numeric", month: "long", year: "numeric" })} – ${
        formatDate(result.last, { day: "numeric", month: "long", year: "numeric" })}`, total: kronor(result.total) })),
    h("p", {}, downloadLink("/api/fees.csv", basisParams(), t("fees.csv"), { id: "fee-csv" })));
}

function renderBasis() {
  const holder = $("fee-holder");
  if (!holder) return;
  const focused = document.activeElement?.id;
  replaceChildren(holder, basisForm(), h("p", { class: "results-status", role: "status", id: "fee-status" }, basis.notice),
    basisResult());
  paintErrors($("fee-form"), $("fee-alert"), basis.errors);
  if (focused && $(focused) && holder.contains($(focused))) $(focused).focus();
}

// --- the price list -----------------------------------------------------------------------------------

function priceOf(category, kind) {
  return data.prices.find((p) => p.category === category && p.space_kind === kind)?.hourly ?? null;
}

function priceId(category, kind) {
  return `price-${category}-${kind}`;
}

function priceTable() {
  const kinds = [...new Set([...data.kinds, ...data.prices.map((p) => p.space_kind)])].sort();
  const editable = prices.editing;
  return h("div", { class: "table-wrap", role: "region", "aria-labelledby": "prices-caption", tabindex: "0" },
    h("table", { class: "data-table", id: "price-table" },
      h("caption", { id: "prices-caption" }, t("fees.pricesCaption")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("fees.columns.kind")),
        CATEGORIES.map((c) => h("th", { scope: "col", class: "number" }, tariffName(c))))),
      h("tbody", {}, kinds.map((kind) => h("tr", {},
        h("th", { scope: "row" }, kindName(kind)),
        CATEGORIES.map((category) => {
          const value = priceOf(category, kind);
          if (!editable || category === "free") {
            return h("td", { class: "number" }, category === "free" ? kronor(0) : value === null ? t("fees.noPrice")
              : kronor(value));
          }
          const id = priceId(category, kind);
          const control = h("input", { id, type: "text", inputmode: "decimal", autocomplete: "off",
            value: prices.values.get(id) ?? (value === null ? "" : String(value)),
            "aria-label": t("fees.priceLabel", { kind: kindName(kind), tariff: tariffName(category) }),
            "aria-describedby": `${id}-error` });
          control.addEventListener("input", () => { prices.values.set(id, control.value); });
          return h("td", { class: "number" }, h("p", { class: "field-error", id: `${id}-error` }), control);
        }))))));
}

async function savePrices(event) {
  event.preventDefault();
  if (prices.busy) return;
  const kinds = [...new Set([...data.kinds, ...data.prices.map((p) => p.space_kind)])].sort();
  const errors = newErrors();
  const items = [];
  for (const kind of kinds) {
    for (const category of CATEGORIES.filter((c) => c !== "free")) {
      const id = priceId(category, kind);
      const raw = ($(id)?.value ?? "").trim().replace(",", ".");
      if (!raw) continue;
      if (!/^\d{1,6}(\.\d{1,2})?$/.test(raw)) addError(errors, id, t("fees.priceInvalid"));
      else items.push({ category, space_kind: kind, hourly: raw });
    }
  }
  if (hasErrors(errors)) {
    prices.errors = errors;
    renderPrices();
    focusFirstError(errors, $("price-alert"));
    return;
  }
  prices.busy = true;
  try {
    const saved = await api("/api/tariffs", { method: "PUT", body: { items } });
    data.prices = saved.items;
    Object.assign(prices, { editing: false, errors: null, busy: false, notice: t("fees.pricesSaved") });
    prices.values.clear();
    renderPrices();
    $("prices-edit")?.focus();
  } catch (error) {
    prices.busy = false;
    prices.errors = apiErrors(error, (name) => {
      const match = /^items\[(\d+)\]/.exec(name);
      return match && items[Number(match[1])] ? priceId(items[Number(match[1])].category, items[Number(match[1])].space_kind)
        : null;
    });
    renderPrices();
    focusFirstError(prices.errors, $("price-alert"));
  }
}

function renderPrices() {
  const holder = $("prices-holder");
  if (!holder) return;
  let actions = null;
  if (data.admin && !prices.editing) {
    const edit = h("button", { type: "button", class: "button button-quiet", id: "prices-edit" }, t("fees.editPrices"));
    edit.addEventListener("click", () => {
      prices.editing = true;
      prices.notice = "";
      renderPrices();
      holder.querySelector("input")?.focus();
    });
    actions = h("p", {}, edit);
  }
  const table = priceTable();
  if (prices.editing) {
    const cancel = h("button", { type: "button", class: "button button-quiet" }, t("fees.cancelPrices"));
    cancel.addEventListener("click", () => {
      Object.assign(prices, { editing: false, errors: null });
      prices.values.clear();
      renderPrices();
      $("prices-edit")?.focus();
    });
    const form = h("form", { id: "price-form", novalidate: true },
      h("div", { id: "price-alert", class: "alert alert-error", role: "alert" }),
      h("p", { class: "hint" }, t("fees.pricesHint")),
      table,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "button" },
        t(prices.busy ? "fees.saving" : "fees.savePrices")), cancel));
    form.addEventListener("submit", savePrices);
    replaceChildren(holder, h("p", { role: "status", class: "results-status" }, prices.notice), form);
    paintErrors(form, $("price-alert"), prices.errors);
    return;
  }
  replaceChildren(holder, h("p", { role: "status", class: "results-status" }, prices.notice), table,
    data.admin ? null : h("p", { class: "hint" }, t("fees.pricesAdminOnly")), actions);
}

// --- no-shows -----------------------------------------------------------------------------------------

function noShowList() {
  const report = data.noShows;
  if (!report) return null;
  return [
    h("p", {}, t("fees.noShowsSince", { date: formatDate(report.since, { day: "numeric", month: "long", year: "numeric" }) })),
    report.items.length
      ? h("ul", { class: "item-list", id: "no-shows" }, report.items.map((item) => h("li", {},
        h("span", { class: "item-text" }, h("strong", {}, item.name), ` – ${t("fees.noShowCount", { count: item.count })}`),
        h("span", {}, t("fees.noShowLatest", { when: formatDateTime(item.latest, data.zone) })))))
      : h("p", { class: "empty" }, t("fees.noNoShows")),
  ];
}

// --- drawing ------------------------------------------------------------------------------------------

function render(state) {
  if (state.loading || data.redirecting) return;
  if (!state.session) {
    replaceChildren(root, h("div", { class: "alert alert-error", role: "alert" }, problemText(state.sessionError)));
    return;
  }
  if (!data.allowed) {
    replaceChildren(root, h("p", { class: "notice" }, t("siteCalendar.notAllowed")));
    return;
  }
  if (data.error) {
    replaceChildren(root, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("fees.loadFailed")} ${problemText(data.error)}`)));
    return;
  }
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "basis-heading" },
      h("h2", { id: "basis-heading" }, t("fees.basisHeading")),
      h("p", {}, t("fees.basisIntro")),
      h("div", { id: "fee-holder" })),
    h("section", { class: "section", "aria-labelledby": "prices-heading" },
      h("h2", { id: "prices-heading" }, t("fees.pricesHeading")),
      h("div", { id: "prices-holder" })),
    h("section", { class: "section", "aria-labelledby": "no-shows-heading" },
      h("h2", { id: "no-shows-heading" }, t("fees.noShowsHeading")),
      noShowList()));
  renderBasis();
  renderPrices();
}

startPage({ current: "fees", titleKey: "fees.title", load, render });
