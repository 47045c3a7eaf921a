// Labels (staff of Fritidsbanken): link a scanned label to an item (a phone that scans an unlinked label
// lands here with ?link=CODE), create labels in advance, print them as a vector PDF on a label sheet, and
// the print log.
import { startPage } from "../app.js";
import { api, ApiError, CSRF_COOKIE, fetchAll, readCookie } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDateTime, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { apiErrors, field, focusFirstError, paintErrors } from "../forms.js";
import { labelCodeOf } from "../circulation-ui.js";

const denied = document.getElementById("labels-denied");
const area = document.getElementById("labels-area");
const linkForm = document.getElementById("link-form");
const linkAlert = document.getElementById("link-alert");
const linkStatus = document.getElementById("link-status");
const createForm = document.getElementById("create-form");
const createAlert = document.getElementById("create-alert");
const createStatus = document.getElementById("create-status");
const printForm = document.getElementById("print-form");
const printAlert = document.getElementById("print-alert");
const printStatus = document.getElementById("print-status");
const printLog = document.getElementById("print-log");

const params = new URLSearchParams(window.location.search);
const data = { allowed: false, templates: [], unlabelled: [], prints: [], pdfUrl: null, pdfCount: 0,
  linkCode: params.get("link") ?? "", codes: "" };

async function refresh() {
  const [unlabelled, prints] = await Promise.all([
    api("/api/lending/items?labelled=false&limit=200"),
    api("/api/lending/label-prints?limit=20"),
  ]);
  data.unlabelled = unlabelled.items;
  data.prints = prints.items;
}

async function load(state) {
  data.allowed = hasRole(state.session, "lending_staff");
  if (!data.allowed) return;
  data.templates = await api("/api/lending/label-templates");
  await refresh();
}

function renderLinkForm() {
  const code = h("input", { id: "link-code", name: "code", type: "text", autocomplete: "off", value: data.linkCode,
    autocapitalize: "characters", spellcheck: "false" });
  const item = h("select", { id: "link-item", name: "item_id" },
    h("option", { value: "" }, t("lending.labels.chooseItem")),
    data.unlabelled.map((i) => h("option", { value: i.id },
      `${i.article_name}${i.variant ? ` ${i.variant}` : ""} – ${i.site_name}`)));
  replaceChildren(linkForm,
    field({ id: "link-code", label: t("lending.labels.code"), control: code }),
    data.unlabelled.length ? field({ id: "link-item", label: t("lending.labels.item"), control: item })
      : h("p", {}, t("lending.labels.noItems")),
    h("button", { type: "submit", class: "button", disabled: !data.unlabelled.length || null }, t("lending.labels.link")));
}

function renderCreateForm() {
  replaceChildren(createForm,
    field({ id: "create-count", label: t("lending.labels.count"),
      control: h("input", { id: "create-count", name: "count", type: "number", min: "1", max: "500", value: "24",
        inputmode: "numeric" }) }),
    h("button", { type: "submit", class: "button" }, t("lending.labels.create")));
}

function renderPrintForm() {
  const template = h("select", { id: "print-template", name: "template" },
    data.templates.map((tpl) => h("option", { value: tpl.name }, tpl.title)));
  const codes = h("textarea", { id: "print-codes", name: "codes", rows: "4", spellcheck: "false" });
  codes.value = data.codes;
  replaceChildren(printForm,
    field({ id: "print-template", label: t("lending.labels.template"), control: template }),
    field({ id: "print-codes", label: t("lending.labels.codes"), hint: t("lending.labels.codesHint"), control: codes }),
    h("button", { type: "submit", class: "button" }, t("lending.labels.print")),
    data.pdfUrl ? h("p", {}, h("a", { href: data.pdfUrl, target: "_blank", rel: "noopener" },
      t("lending.labels.download", { count: data.pdfCount }))) : null);
}

function renderLog() {
  if (!data.prints.length) {
    replaceChildren(printLog, h("li", {}, t("lending.labels.logEmpty")));
    return;
  }
  const names = Object.fromEntries(data.templates.map((tpl) => [tpl.name, tpl.title]));
  replaceChildren(printLog, data.prints.map((p) => h("li", {}, t("lending.labels.logLine", {
    when: formatDateTime(p.printed_at), count: p.codes.length, template: names[p.template] ?? p.template,
    who: p.printed_by_name ?? t("lending.labels.unknownWho") }))));
}

function render(state) {
  if (!data.allowed) {
    area.hidden = true;
    replaceChildren(denied, h("p", {}, t("lending.labels.staffOnly")),
      state?.session ? null : h("p", {}, h("a", { class: "button", href: loginUrl(window.location.pathname + window.location.search) },
        t("lending.card.signInLink"))));
    return;
  }
  replaceChildren(denied);
  area.hidden = false;
  renderLinkForm();
  renderCreateForm();
  renderPrintForm();
  renderLog();
}

function fail(form, alert, error, fields) {
  const errors = apiErrors(error, (name) => fields[name] ?? fields[name.replace(/\[\d+\]$/, "")] ?? null);
  paintErrors(form, alert, errors, "lending.labels.fix");
  focusFirstError(errors, alert);
}

linkForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = labelCodeOf(new FormData(linkForm).get("code"));
  const itemId = String(new FormData(linkForm).get("item_id") ?? "");
  data.linkCode = code;
  try {
    const item = await api(`/api/lending/labels/${encodeURIComponent(code)}/link`, { method: "POST",
      body: { item_id: itemId } });
    paintErrors(linkForm, linkAlert, null);
    data.linkCode = "";
    await refresh();
    render();
    linkStatus.textContent = t("lending.labels.linked", { code: item.label_code,
      name: `${item.article_name}${item.variant ? ` ${item.variant}` : ""}` });
  } catch (error) {
    linkStatus.textContent = "";
    fail(linkForm, linkAlert, error, { code: "link-code", item_id: "link-item" });
  }
});

createForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const count = Number.parseInt(String(new FormData(createForm).get("count") ?? ""), 10) || 0;
  try {
    const made = await api("/api/lending/labels", { method: "POST", body: { count } });
    paintErrors(createForm, createAlert, null);
    data.codes = made.codes.join("\n");
    renderPrintForm();
    createStatus.textContent = t("lending.labels.created", { count: made.codes.length });
  } catch (error) {
    createStatus.textContent = "";
    fail(createForm, createAlert, error, { count: "create-count" });
  }
});

printForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(printForm);
  data.codes = String(form.get("codes") ?? "");
  let codes = data.codes.split(/[\s,]+/).map(labelCodeOf).filter(Boolean);
  if (!codes.length) {
    codes = (await fetchAll("/api/lending/labels", { printed: "false" })).map((l) => l.code);
  }
  if (!codes.length) {
    printStatus.textContent = t("lending.labels.nothingToPrint");
    return;
  }
  printStatus.textContent = t("lending.labels.printing");
  try {
    const response = await fetch("/api/lending/label-sheets", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": readCookie(CSRF_COOKIE) ?? "",
        Accept: "application/pdf, application/problem+json" },
      body: JSON.stringify({ template: String(form.get("template")), codes }),
    });
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    if (data.pdfUrl) URL.revokeObjectURL(data.pdfUrl);
    data.pdfUrl = URL.createObjectURL(await response.blob());
    data.pdfCount = codes.length;
    paintErrors(printForm, printAlert, null);
    await refresh();
    renderPrintForm();
    renderLog();
    printStatus.textContent = t("lending.labels.download", { count: codes.length });
  } catch (error) {
    printStatus.textContent = "";
    fail(printForm, printAlert, error, { codes: "print-codes", template: "print-template" });
  }
});

startPage({ current: "labels", titleKey: "lending.labels.title", load, render });
