// "Fritidsbanken: inställningar", the lending sites: each site of the municipality (GET /api/lending/sites;
// staff narrowed to sites see theirs) with how much equipment it keeps and the weekdays it is open, which
// due dates fall on (PUT /api/lending/opening-days/{site_id}).
import { api } from "./api.js";
import { h } from "./dom.js";
import { formatList, formatTimeRange, t, weekdayName } from "./i18n.js";
import { addError, field, focusFirstError, hasErrors, newErrors, paintErrors } from "./forms.js";
import { announce, cancelButton, checkField, refusal, rowButton } from "./lending-admin-ui.js";

const DAYS = [0, 1, 2, 3, 4, 5, 6];
const HOURS = { opens: "site-opens", closes: "site-closes" };

function daysText(site) {
  if (!site.weekdays_set) return t("lendingAdmin.sites.everyDay");
  const days = formatList(site.weekdays.map((d) => weekdayName(d)));
  if (!site.opens) return t("lendingAdmin.sites.days", { days });
  return t("lendingAdmin.sites.daysAndHours", { days, hours: formatTimeRange(site.opens, site.closes) });
}

function readDays() {
  const errors = newErrors();
  const weekdays = DAYS.filter((d) => document.getElementById(`day-${d}`).checked);
  if (!weekdays.length) addError(errors, "day-0", t("lendingAdmin.sites.noDay"));
  const time = (id) => document.getElementById(id).value.trim() || null;
  return { errors, body: { weekdays, opens: time("site-opens"), closes: time("site-closes") } };
}

async function save(ctx, site, event) {
  event.preventDefault();
  const { data } = ctx;
  if (data.busy) return;
  const form = event.currentTarget;
  const alert = document.getElementById("days-alert");
  const { errors, body } = readDays();
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    await api(`/api/lending/opening-days/${encodeURIComponent(site.id)}`, { method: "PUT", body });
    await ctx.refresh("sites");
    data.editingSite = null;
    data.busy = false;
    ctx.draw();
    announce(t("lendingAdmin.sites.saved", { name: site.name }));
    document.getElementById(`site-edit-${site.id}`)?.focus();
  } catch (error) {
    data.busy = false;
    const found = refusal(error, (name) => (name === "weekdays" || name.startsWith("weekdays[") ? "day-0"
      : HOURS[name] ?? null));
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

function daysForm(ctx, site) {
  const chosen = new Set(site.weekdays); // nothing set: every day, as the site counts
  const boxes = DAYS.map((d) => checkField(`day-${d}`, weekdayName(d), chosen.has(d)));
  boxes[0].querySelector("input").setAttribute("aria-describedby", "day-0-error");
  const form = h("form", { class: "form setup-editor", id: "days-form", novalidate: true,
    "aria-labelledby": "days-form-title" },
    h("h4", { id: "days-form-title" }, t("lendingAdmin.sites.formTitle", { name: site.name })),
    h("div", { class: "alert alert-error", role: "alert", id: "days-alert" }),
    h("fieldset", { class: "field" }, h("legend", {}, t("lendingAdmin.sites.daysLegend")),
      h("p", { class: "field-error", id: "day-0-error" }), boxes),
    h("p", { class: "hint" }, t("lendingAdmin.sites.hoursHint")),
    h("div", { class: "setup-hours" },
      field({ id: "site-opens", label: t("lendingAdmin.sites.opens"),
        control: h("input", { type: "time", id: "site-opens", value: site.opens ?? "" }) }),
      field({ id: "site-closes", label: t("lendingAdmin.sites.closes"),
        control: h("input", { type: "time", id: "site-closes", value: site.closes ?? "" }) })),
    h("div", { class: "setup-actions" },
      h("button", { type: "submit", class: "button" }, t("lendingAdmin.sites.save")),
      cancelButton(() => {
        ctx.data.editingSite = null;
        ctx.draw();
        document.getElementById(`site-edit-${site.id}`)?.focus();
      })));
  form.addEventListener("submit", (event) => save(ctx, site, event));
  return form;
}

function siteItem(ctx, site) {
  const edit = rowButton(t("lendingAdmin.sites.edit"), t("lendingAdmin.sites.editLabel", { name: site.name }), () => {
    ctx.data.editingSite = site.id;
    ctx.draw();
    document.getElementById("day-0")?.focus();
  }, { id: `site-edit-${site.id}` });
  const editing = ctx.data.editingSite === site.id;
  return h("li", { class: "setup-site", "data-site-id": site.id },
    h("h3", {}, site.name),
    h("p", {}, site.items > 0 ? t("lendingAdmin.sites.lends", { count: site.items })
      : h("span", { class: "muted" }, t("lendingAdmin.sites.noItems"))),
    h("p", { class: "lending-site-days" }, daysText(site)),
    editing ? daysForm(ctx, site) : h("div", { class: "setup-actions" }, edit));
}

export function sitesSection(ctx) {
  const { sites } = ctx.data;
  return h("section", { class: "setup-section", "aria-labelledby": "sites-heading" },
    h("h2", { id: "sites-heading" }, t("lendingAdmin.sites.heading")),
    h("p", { class: "hint" }, t("lendingAdmin.sites.hint")),
    sites.length ? h("ul", { class: "setup-list", id: "lending-sites" }, sites.map((site) => siteItem(ctx, site)))
      : h("p", { class: "empty" }, t("lendingAdmin.sites.none")));
}
