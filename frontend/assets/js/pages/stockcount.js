// Stock count (staff of Fritidsbanken): choose the site, scan every label on its shelves (a keyboard-mode
// scanner types the code or the URL and presses Enter), then finish: what is missing (registered as on
// the shelf here, not scanned), what is unexpected (scanned, registered elsewhere or as lent) and unknown codes.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { apiErrors, field, focusFirstError, paintErrors } from "../forms.js";

const denied = document.getElementById("page-denied");
const area = document.getElementById("page-area");
const alertBox = document.getElementById("count-alert");
const startForm = document.getElementById("start-form");
const scanForm = document.getElementById("scan-form");
const scanStatus = document.getElementById("scan-status");
const scanList = document.getElementById("scan-list");
const result = document.getElementById("result");
const resultBody = document.getElementById("result-body");

const data = { allowed: false, sites: [], count: null, scans: [], result: null, items: new Map() };

async function load(state) {
  data.allowed = hasRole(state.session, "lending_staff");
  if (!data.allowed) return;
  const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
  data.sites = (await fetchAll("/api/sites", { municipality: municipality.slug }))
    .sort((a, b) => collator().compare(a.name, b.name));
}

function renderStart() {
  startForm.hidden = Boolean(data.count);
  replaceChildren(startForm,
    field({ id: "count-site", label: t("lending.stockcount.site"), control: h("select", { id: "count-site", name: "site" },
      data.sites.map((s) => h("option", { value: s.id }, s.name))) }),
    h("button", { type: "submit", class: "button" }, t("lending.stockcount.start")));
}

function renderScan() {
  scanForm.hidden = !data.count || Boolean(data.result);
  replaceChildren(scanForm,
    field({ id: "scan-code", label: t("lending.stockcount.scan"), hint: t("lending.stockcount.scanHint"),
      control: h("input", { id: "scan-code", name: "code", type: "text", autocomplete: "off", spellcheck: "false",
        autocapitalize: "characters" }) }),
    h("button", { type: "submit", class: "button" }, t("lending.stockcount.add")),
    " ",
    h("button", { type: "button", class: "button button-quiet", onclick: finish }, t("lending.stockcount.finish")));
  replaceChildren(scanList, data.scans.slice(0, 30).map((line) => h("li", {}, line)));
}

function renderResult() {
  result.hidden = !data.result;
  if (!data.result) return;
  const r = data.result;
  replaceChildren(resultBody,
    h("p", {}, t("lending.stockcount.scanned", { count: r.scanned })),
    h("p", {}, t("lending.stockcount.missing", { count: r.missing.length })),
    r.missing.length ? h("ul", {}, r.missing.map((id) => h("li", {}, h("a", { href: `/items.html?id=${id}` }, id)))) : null,
    h("p", {}, t("lending.stockcount.unexpected", { count: r.unexpected.length })),
    r.unexpected.length ? h("ul", {}, r.unexpected.map((id) => h("li", {}, h("a", { href: `/items.html?id=${id}` }, id)))) : null,
    h("p", {}, t("lending.stockcount.unknown", { count: r.unknown_codes.length })),
    r.unknown_codes.length ? h("ul", {}, r.unknown_codes.map((c) => h("li", {}, c))) : null);
}

function fail(error, fields) {
  const errors = apiErrors(error, (name) => fields[name] ?? null);
  paintErrors(scanForm.hidden ? startForm : scanForm, alertBox, errors, "lending.stockcount.fix");
  focusFirstError(errors, alertBox);
}

startForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    data.count = await api("/api/lending/stock-counts", { method: "POST",
      body: { site_id: String(new FormData(startForm).get("site")) } });
    paintErrors(startForm, alertBox, null);
    renderStart();
    renderScan();
    document.getElementById("scan-code")?.focus();
  } catch (error) {
    fail(error, { site_id: "count-site" });
  }
});

scanForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("scan-code");
  const code = input.value.trim();
  if (!code) return;
  try {
    const scan = await api(`/api/lending/stock-counts/${data.count.id}/scans`, { method: "POST", body: { code } });
    paintErrors(scanForm, alertBox, null);
    const line = !scan.known ? t("lending.stockcount.unknownCode", { code: scan.code })
      : scan.first_scan ? t("lending.stockcount.known", { code: scan.code, name: scan.article_name ?? "" })
        : t("lending.stockcount.again", { code: scan.code });
    data.scans.unshift(line);
    renderScan();
    scanStatus.textContent = line;
    document.getElementById("scan-code")?.focus();
  } catch (error) {
    fail(error, { code: "scan-code" });
  }
});

async function finish() {
  try {
    data.result = await api(`/api/lending/stock-counts/${data.count.id}/finish`, { method: "POST" });
    renderScan();
    renderResult();
    document.getElementById("result-heading")?.focus();
  } catch (error) {
    fail(error, {});
  }
}

function render(state) {
  if (!data.allowed) {
    area.hidden = true;
    replaceChildren(denied, h("p", {}, t("lending.labels.staffOnly")),
      state?.session ? null : h("p", {}, h("a", { class: "button", href: loginUrl("/stockcount.html") }, t("lending.card.signInLink"))));
    return;
  }
  replaceChildren(denied);
  area.hidden = false;
  renderStart();
  renderScan();
  renderResult();
}

startPage({ current: "stockcount", titleKey: "lending.stockcount.title", load, render });
