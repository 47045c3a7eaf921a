// "Import och export": a CSV file of areas, sites with their spaces or associations (administrators), or
// of lending articles or borrowers (lending staff too), or the postcode table (activities staff too) is read here (UTF-8, refused otherwise), sent as
// text for a dry run that lists what would be created or changed and every bad row with its line and
// column; nothing is written until the user confirms, and then every row or none. Both stages show their
// progress ("n av N rader", import-progress.js). Each kind downloads in the same format.
import { startPage } from "../app.js";
import { ApiError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatNumber, hasText, t } from "../i18n.js";
import { hasRole } from "../session.js";
import { signedIn } from "../page-state.js";
import { problemText } from "../booking-ui.js";
import { addError, downloadLink, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";
import { importWithProgress } from "../import-progress.js";

const $ = (id) => document.getElementById(id);
const root = $("imports-page");
const ADMIN_KINDS = ["areas", "sites", "associations"];
const LENDING_KINDS = ["lending_articles", "borrowers"];
const ACTIVITIES_KINDS = ["postcode_areas"]; // administrators and activities staff of the whole municipality
const MAX_BYTES = 1_900_000; // the API takes bodies up to 2 MB; the JSON around the text needs room

const data = { kinds: [], redirecting: false };
let fileInput = null;
const form = { kind: "", text: null, fileName: "", plan: null, refused: null, errors: null, busy: "",
  notice: "", progress: null };

async function load(state) {
  if (!signedIn(state, data, "/import.html")) return;
  const admin = hasRole(state.session, "admin");
  data.kinds = [...(admin ? ADMIN_KINDS : []), ...(hasRole(state.session, "lending_staff") ? LENDING_KINDS : []),
    ...(hasRole(state.session, "activities_staff") ? ACTIVITIES_KINDS : [])];
  const asked = new URLSearchParams(window.location.search).get("kind");
  if (!form.kind && data.kinds.includes(asked)) form.kind = asked; // a link to one kind (the areas page's)
  if (!data.kinds.includes(form.kind)) form.kind = data.kinds.includes("sites") ? "sites" : data.kinds[0] ?? "";
}

// --- reading the file ---------------------------------------------------------------------------------

/** The file's text, or an error key: the bytes must be UTF-8 (a byte-order mark is dropped). */
async function readFile(file) {
  if (file.size > MAX_BYTES) return { error: "imports.tooLarge" };
  const bytes = await file.arrayBuffer();
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { error: "imports.notUtf8" };
  }
}

/** The reason in words: for this column when it has its own text (a card number's check digit is not an
 * organisationsnummer's), else for the code; the API's English message when neither is known. */
function codeKey(item) {
  const own = `imports.columnCodes.${item.column}.${item.code}`;
  if (item.column && hasText(own)) return own;
  return hasText(`imports.codes.${item.code}`) ? `imports.codes.${item.code}` : null;
}

function codeText(item) {
  const key = codeKey(item);
  return key ? t(key) : item.message;
}

/** The API's refusal of the file as a whole (422 naming `csv` without a line, 413): errors at the file. */
function fileErrors(error) {
  const errors = newErrors();
  const items = error instanceof ApiError && Array.isArray(error.problem.errors) ? error.problem.errors : [];
  if (error instanceof ApiError && error.status === 413) addError(errors, "import-file", t("imports.tooLarge"));
  for (const item of items) {
    if (item.line !== undefined) continue;
    addError(errors, item.field === "csv" ? "import-file" : "import-kind", `${codeText(item)} ${item.message}`);
  }
  if (!hasErrors(errors)) errors.loose.push(problemText(error));
  return errors;
}

// --- progress: "n av N rader", updated in place (the form is not drawn again for each line) -----------

function progressText(progress) {
  // while it runs "Kontrollerar: n av N rader"; afterwards, as a record, "Kontrollerade n av N rader"
  return t(`imports.progress.${progress.stage}${form.busy ? "" : "Done"}`, { done: formatNumber(progress.done),
    total: formatNumber(progress.total) });
}

function showProgress(progress) {
  form.progress = progress;
  const bar = $("import-progress-bar");
  if (!bar) return;
  bar.max = Math.max(progress.total, 1);
  bar.value = progress.done;
  $("import-progress-text").textContent = progressText(progress);
}

function progressView() {
  if (!form.busy && !form.progress) return null;
  const progress = form.progress ?? { done: 0, total: 0 };
  const bar = h("progress", { id: "import-progress-bar", max: String(Math.max(progress.total, 1)),
    "aria-labelledby": "import-progress-text" });
  if (form.progress) bar.value = progress.done; // no value: the bar is indeterminate until the first line
  return h("div", { class: "import-progress", id: "import-progress" },
    h("p", { id: "import-progress-text" }, form.progress ? progressText(progress) : t("imports.progress.waiting")),
    bar);
}

async function send(dryRun) {
  const body = { csv: form.text, dry_run: dryRun };
  return importWithProgress(`/api/imports/${encodeURIComponent(form.kind)}`, body, showProgress);
}

async function check(event) {
  event.preventDefault();
  if (form.busy) return;
  const errors = newErrors();
  const file = $("import-file").files?.[0];
  Object.assign(form, { plan: null, refused: null, notice: "", text: null, progress: null });
  if (!file) addError(errors, "import-file", t("imports.chooseFile"));
  else {
    const read = await readFile(file);
    if (read.error) addError(errors, "import-file", t(read.error));
    else Object.assign(form, { text: read.text, fileName: file.name });
  }
  if (hasErrors(errors)) {
    form.errors = errors;
    renderForm();
    focusFirstError(errors, $("import-alert"));
    return;
  }
  form.busy = "checking";
  form.errors = null;
  renderForm();
  try {
    form.plan = await send(true);
    form.notice = form.plan.errors.length ? t("imports.checkedWithErrors", { count: form.plan.errors.length })
      : t("imports.checked");
  } catch (error) {
    form.errors = fileErrors(error);
  }
  form.busy = "";
  renderForm();
  if (form.errors) focusFirstError(form.errors, $("import-alert"));
  else $("import-result-heading")?.focus();
}

async function confirm() {
  if (form.busy || !form.plan) return;
  Object.assign(form, { busy: "importing", notice: t("imports.importing"), progress: null });
  renderForm();
  try {
    const done = await send(false);
    Object.assign(form, { plan: null, text: null,
      notice: t("imports.done", { created: done.created, changed: done.changed, unchanged: done.unchanged }) });
  } catch (error) {
    const rows = error instanceof ApiError && Array.isArray(error.problem.errors)
      ? error.problem.errors.filter((e) => e.line !== undefined) : [];
    if (rows.length) {
      form.plan = { ...form.plan, errors: rows, rows: [] };
      form.notice = t("imports.refused", { count: rows.length });
    } else {
      form.errors = fileErrors(error);
      form.notice = "";
    }
  }
  form.busy = "";
  renderForm();
  $("import-status")?.focus();
}

// --- drawing ------------------------------------------------------------------------------------------

function errorTable(errors) {
  return h("div", { class: "table-wrap", role: "region", "aria-labelledby": "import-errors-caption", tabindex: "0" },
    h("table", { class: "data-table", id: "import-errors" },
      h("caption", { id: "import-errors-caption" }, t("imports.errorsCaption", { count: errors.length })),
      h("thead", {}, h("tr", {}, ["line", "column", "reason"].map((c) => h("th", { scope: "col" },
        t(`imports.columns.${c}`))))),
      h("tbody", {}, errors.map((e) => h("tr", { "data-line": String(e.line) },
        h("td", { class: "number" }, String(e.line)),
        h("td", {}, e.column ?? ""),
        h("td", {}, codeText(e), codeKey(e) ? h("span", { class: "hint" }, ` ${e.message}`) : null))))));
}

function rowTable(rows) {
  const changing = rows.filter((r) => r.action !== "unchanged");
  if (!changing.length) return h("p", { class: "empty" }, t("imports.nothingToDo"));
  return h("div", { class: "table-wrap", role: "region", "aria-labelledby": "import-rows-caption", tabindex: "0" },
    h("table", { class: "data-table", id: "import-rows" },
      h("caption", { id: "import-rows-caption" }, t("imports.rowsCaption")),
      h("thead", {}, h("tr", {}, ["line", "action", "entity", "name", "changes"].map((c) => h("th", { scope: "col" },
        t(`imports.columns.${c}`))))),
      h("tbody", {}, changing.map((r) => h("tr", { "data-line": String(r.line) },
        h("td", { class: "number" }, String(r.line)),
        h("td", {}, t(`imports.actions.${r.action}`)),
        h("td", {}, t(`imports.entities.${r.entity}`)),
        h("td", {}, r.name),
        h("td", {}, r.changes.join(", ")))))));
}

function result() {
  const plan = form.plan;
  if (!plan) return null;
  const summary = t("imports.summary", { created: plan.created, changed: plan.changed, unchanged: plan.unchanged });
  let action;
  if (plan.errors.length) action = h("p", { class: "notice" }, t("imports.fixAndRetry"));
  else if (plan.created + plan.changed === 0) action = null;
  else {
    const button = h("button", { type: "button", class: "button", id: "import-confirm",
      "aria-disabled": form.busy ? "true" : null }, t(form.busy === "importing" ? "imports.importing"
      : "imports.confirm"));
    button.addEventListener("click", confirm);
    action = h("p", {}, button);
  }
  return h("section", { class: "section", "aria-labelledby": "import-result-heading", id: "import-result" },
    h("h2", { id: "import-result-heading", tabindex: "-1" }, t("imports.resultHeading", { file: form.fileName })),
    h("p", {}, summary),
    plan.errors.length ? errorTable(plan.errors) : null,
    plan.rows.length ? rowTable(plan.rows) : null,
    action);
}

function importForm() {
  const kind = h("select", { id: "import-kind" }, data.kinds.map((k) => h("option", { value: k, selected: k === form.kind },
    t(`imports.kinds.${k}`))));
  kind.addEventListener("change", () => {
    Object.assign(form, { kind: kind.value, plan: null, notice: "", progress: null });
    renderForm();
  });
  // One file input for the page's life: drawing the form again keeps the file chosen.
  fileInput ??= h("input", { id: "import-file", type: "file", accept: ".csv,text/csv" });
  const file = fileInput;
  const element = h("form", { id: "import-form", novalidate: true },
    h("div", { id: "import-alert", class: "alert alert-error", role: "alert" }),
    field({ id: "import-kind", label: t("imports.kind"), control: kind }),
    field({ id: "import-file", label: t("imports.file"), hint: t(`imports.formats.${form.kind}`), control: file }),
    h("p", { class: "hint" }, t("imports.encodingHint")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button",
      "aria-disabled": form.busy ? "true" : null }, t(form.busy === "checking" ? "imports.checking" : "imports.check"))));
  element.addEventListener("submit", check);
  return element;
}

function renderForm() {
  const holder = $("import-holder");
  if (!holder) return;
  const status = h("p", { class: "results-status", role: "status", id: "import-status", tabindex: "-1" },
    form.busy === "checking" ? t("imports.checking") : form.notice);
  replaceChildren(holder, importForm(), status, progressView(), result());
  paintErrors($("import-form"), $("import-alert"), form.errors);
}

function render(state) {
  if (state.loading || data.redirecting) return;
  if (!state.session) {
    replaceChildren(root, h("div", { class: "alert alert-error", role: "alert" }, problemText(state.sessionError)));
    return;
  }
  if (!data.kinds.length) {
    replaceChildren(root, h("p", { class: "notice" }, t("imports.notAllowed")));
    return;
  }
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "import-heading" },
      h("h2", { id: "import-heading" }, t("imports.importHeading")),
      h("div", { id: "import-holder" })),
    h("section", { class: "section", "aria-labelledby": "export-heading" },
      h("h2", { id: "export-heading" }, t("imports.exportHeading")),
      h("p", {}, t("imports.exportIntro")),
      h("ul", { class: "item-list", id: "exports" }, data.kinds.map((k) => h("li", {},
        downloadLink(`/api/exports/${k}.csv`, {}, t(`imports.download.${k}`), { id: `export-${k}` }))))));
  renderForm();
}

startPage({ current: "imports", titleKey: "imports.title", load, render });
