// Donations (staff of Fritidsbanken): many donated items registered fast, line by line (article and size,
// number, condition); every item gets a new label and the whole batch prints as one PDF.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, formatDateTime, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { apiErrors, field, focusFirstError, paintErrors } from "../forms.js";

const denied = document.getElementById("page-denied");
const area = document.getElementById("page-area");
const form = document.getElementById("donation-form");
const alertBox = document.getElementById("donation-alert");
const status = document.getElementById("donation-status");
const printArea = document.getElementById("donation-print");
const log = document.getElementById("donation-log");

const data = { allowed: false, sites: [], articles: [], lines: [{ article_id: "", count: "1", condition_note: "" }],
  site_id: "", note: "", last: null, donations: [] };

async function load(state) {
  data.allowed = hasRole(state.session, "lending_staff");
  if (!data.allowed) return;
  const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
  const [sites, articles, donations] = await Promise.all([
    fetchAll("/api/sites", { municipality: municipality.slug }), api("/api/lending/articles"),
    api("/api/lending/donations?limit=20")]);
  const byName = collator();
  data.sites = sites.sort((a, b) => byName.compare(a.name, b.name));
  data.articles = articles;
  data.site_id = data.sites[0]?.id ?? "";
  data.donations = donations.items;
}

function keep() {
  const values = new FormData(form);
  data.site_id = String(values.get("site") ?? data.site_id);
  data.note = String(values.get("note") ?? "");
  data.lines = data.lines.map((line, i) => ({
    article_id: String(values.get(`line-${i}-article`) ?? line.article_id),
    count: String(values.get(`line-${i}-count`) ?? line.count),
    condition_note: String(values.get(`line-${i}-condition`) ?? line.condition_note),
  }));
}

function renderForm() {
  const articleName = (a) => (a.variant ? `${a.name} – ${a.variant}` : a.name);
  replaceChildren(form,
    field({ id: "site", label: t("lending.donations.site"), control: h("select", { id: "site", name: "site" },
      data.sites.map((s) => h("option", { value: s.id, selected: s.id === data.site_id || null }, s.name))) }),
    field({ id: "note", label: t("lending.donations.note"), control: h("input", { id: "note", name: "note", type: "text",
      value: data.note }) }),
    data.lines.map((line, i) => h("fieldset", { class: "field", id: `line-${i}` },
      h("legend", {}, t("lending.donations.lineHeading", { n: i + 1 })),
      field({ id: `line-${i}-article`, label: t("lending.donations.article"),
        control: h("select", { id: `line-${i}-article`, name: `line-${i}-article` },
          h("option", { value: "" }, ""),
          data.articles.map((a) => h("option", { value: a.id, selected: a.id === line.article_id || null }, articleName(a)))) }),
      field({ id: `line-${i}-count`, label: t("lending.donations.count"), control: h("input", { id: `line-${i}-count`,
        name: `line-${i}-count`, type: "number", min: "1", max: "500", inputmode: "numeric", value: line.count }) }),
      field({ id: `line-${i}-condition`, label: t("lending.donations.condition"), control: h("input", {
        id: `line-${i}-condition`, name: `line-${i}-condition`, type: "text", value: line.condition_note }) }),
      data.lines.length > 1 ? h("button", { type: "button", class: "button button-quiet", onclick: () => {
        keep();
        data.lines.splice(i, 1);
        renderForm();
      } }, t("lending.donations.removeLine", { n: i + 1 })) : null)),
    h("p", {}, h("button", { type: "button", class: "button button-quiet", onclick: () => {
      keep();
      data.lines.push({ article_id: "", count: "1", condition_note: "" });
      renderForm();
      document.getElementById(`line-${data.lines.length - 1}-article`)?.focus();
    } }, t("lending.donations.addLine"))),
    h("button", { type: "submit", class: "button" }, t("lending.donations.save")));
}

function renderPrint() {
  if (!data.last) {
    replaceChildren(printArea);
    return;
  }
  replaceChildren(printArea, h("ul", { class: "link-list" },
    ["a4-3x8", "a4-5x13"].map((tpl) => h("li", {}, h("a", {
      href: `/api/lending/donations/${data.last.id}/labels.pdf?template=${tpl}`, target: "_blank", rel: "noopener" },
    `${t("lending.donations.print")} – ${tpl === "a4-3x8" ? "3 x 8" : "5 x 13"}`)))));
}

function renderLog() {
  const names = Object.fromEntries(data.sites.map((s) => [s.id, s.name]));
  replaceChildren(log, data.donations.length ? data.donations.map((d) => h("li", {}, t("lending.donations.logLine", {
    when: formatDateTime(d.received_at), site: names[d.site_id] ?? d.site_name ?? "", count: d.item_count })))
    : h("li", {}, t("lending.donations.logEmpty")));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  keep();
  const body = { site_id: data.site_id, lines: data.lines.map((line) => ({ article_id: line.article_id,
    count: Number.parseInt(line.count, 10) || 0, condition_note: line.condition_note.trim() || null })) };
  if (data.note.trim()) body.note = data.note.trim();
  try {
    data.last = await api("/api/lending/donations", { method: "POST", body });
    paintErrors(form, alertBox, null);
    data.lines = [{ article_id: "", count: "1", condition_note: "" }];
    data.note = "";
    data.donations = (await api("/api/lending/donations?limit=20")).items;
    renderForm();
    renderPrint();
    renderLog();
    status.textContent = t("lending.donations.saved", { count: data.last.item_count });
  } catch (error) {
    status.textContent = "";
    const errors = apiErrors(error, (name) => {
      const match = /^lines\[(\d+)\]\.(article_id|count|condition_note)$/.exec(name);
      if (match) return `line-${match[1]}-${{ article_id: "article", count: "count", condition_note: "condition" }[match[2]]}`;
      return { site_id: "site", note: "note" }[name] ?? null;
    });
    paintErrors(form, alertBox, errors, "lending.donations.fix");
    focusFirstError(errors, alertBox);
  }
});

function render(state) {
  if (!data.allowed) {
    area.hidden = true;
    replaceChildren(denied, h("p", {}, t("lending.labels.staffOnly")),
      state?.session ? null : h("p", {}, h("a", { class: "button", href: loginUrl("/donations.html") }, t("lending.card.signInLink"))));
    return;
  }
  replaceChildren(denied);
  area.hidden = false;
  renderForm();
  renderPrint();
  renderLog();
}

startPage({ current: "donations", titleKey: "lending.donations.title", load, render });
