// The forms of "Skolor och lokaler": a site and a space (with accessibility, equipment and booking rules);
// the opening hours are in premises-admin-hours.js, the access in premises-admin-access.js. Each form's
// fields are drawn from the object being changed (or empty), and read back as the API's body with the page's
// own checks as errors at their fields.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { addError, field, newErrors } from "./forms.js";

const KINDS = ["gym", "classroom", "music_room", "kitchen", "hall", "outdoor"];
const RULES = ["buffer_minutes", "horizon_days", "min_notice_hours", "min_duration_minutes", "max_duration_minutes",
  "cancel_deadline_hours"];
const RULE_LABELS = { buffer_minutes: "bufferMinutes", horizon_days: "horizonDays", min_notice_hours: "minNoticeHours",
  min_duration_minutes: "minDurationMinutes", max_duration_minutes: "maxDurationMinutes",
  cancel_deadline_hours: "cancelDeadlineHours" };
const DEFAULT_RULES = { buffer_minutes: 0, horizon_days: 365, min_notice_hours: 24, min_duration_minutes: 30,
  max_duration_minutes: 480, cancel_deadline_hours: 48 };
const CATEGORIES = ["youth", "adult", "pensioners", "disability", "study", "other"];

const value = (id) => document.getElementById(id).value.trim();
const text = (id, label, current, extra = {}) => field({ id, label,
  control: h("input", { type: "text", id, value: current ?? "", ...extra }) });

function required(errors, id) {
  const found = value(id);
  if (!found) addError(errors, id, t("setup.premises.required"));
  return found;
}

function whole(errors, id) {
  const raw = value(id);
  if (!/^\d{1,6}$/.test(raw)) {
    addError(errors, id, raw ? t("setup.premises.numberInvalid") : t("setup.premises.required"));
    return null;
  }
  return Number(raw);
}

// --- a site -------------------------------------------------------------------------------------

export function siteForm(site, areas) {
  const area = h("select", { id: "site-area" }, h("option", { value: "" }, t("setup.premises.noArea")),
    areas.map((a) => h("option", { value: a.id, selected: a.id === site?.area_id }, a.name)));
  return [
    text("site-name", t("setup.premises.siteName"), site?.name, { required: true, autocomplete: "off" }),
    text("site-street", t("setup.premises.street"), site?.address.street, { required: true, autocomplete: "off" }),
    text("site-postal", t("setup.premises.postalCode"), site?.address.postal_code,
      { required: true, inputmode: "numeric", autocomplete: "off" }),
    text("site-city", t("setup.premises.city"), site?.address.city, { required: true, autocomplete: "off" }),
    field({ id: "site-area", label: t("setup.premises.area"), control: area }),
    field({ id: "site-description", label: t("setup.premises.description"),
      control: h("textarea", { id: "site-description", rows: "3" }, site?.description ?? "") }),
  ];
}

export function readSite() {
  const errors = newErrors();
  const body = {
    name: required(errors, "site-name"),
    address: { street: required(errors, "site-street"), postal_code: required(errors, "site-postal"),
      city: required(errors, "site-city") },
    area_id: value("site-area") || null,
    description: value("site-description") || null,
  };
  return { errors, body };
}

// --- a space ------------------------------------------------------------------------------------

function check(id, label, checked) {
  return h("div", { class: "field-check" },
    h("input", { type: "checkbox", id, checked: Boolean(checked) }), h("label", { for: id }, label));
}

function rulesFieldset(rules) {
  const auto = new Set(rules?.auto_approve_categories ?? []);
  return h("fieldset", { class: "field" }, h("legend", {}, t("setup.premises.rules")),
    RULES.map((rule) => text(`rule-${rule}`, t(`setup.premises.${RULE_LABELS[rule]}`),
      String(rules?.[rule] ?? DEFAULT_RULES[rule]), { inputmode: "numeric", autocomplete: "off" })),
    h("fieldset", { class: "field" }, h("legend", {}, t("setup.premises.autoApprove")),
      CATEGORIES.map((c) => check(`auto-${c}`, t(`setup.premises.categories.${c}`), auto.has(c)))));
}

export function spaceForm(space, wholes) {
  const kind = h("select", { id: "space-kind" },
    KINDS.map((k) => h("option", { value: k, selected: k === (space?.kind ?? "gym") }, t(`space.kinds.${k}`))));
  const parent = h("select", { id: "space-parent" }, h("option", { value: "" }, t("setup.premises.noParent")),
    wholes.map((w) => h("option", { value: w.id, selected: w.id === space?.parent_id }, w.name)));
  const access = space?.accessibility ?? {};
  return [
    text("space-name", t("setup.premises.spaceName"), space?.name, { required: true, autocomplete: "off" }),
    field({ id: "space-kind", label: t("setup.premises.kind"), control: kind }),
    text("space-capacity", t("setup.premises.capacity"), space ? String(space.capacity) : "",
      { required: true, inputmode: "numeric", autocomplete: "off" }),
    field({ id: "space-parent", label: t("setup.premises.parent"), control: parent }),
    h("fieldset", { class: "field" }, h("legend", {}, t("setup.premises.accessibility")),
      check("space-step-free", t("setup.premises.stepFree"), access.step_free),
      check("space-toilet", t("setup.premises.accessibleToilet"), access.accessible_toilet),
      check("space-loop", t("setup.premises.hearingLoop"), access.hearing_loop),
      field({ id: "space-notes", label: t("setup.premises.accessibilityNotes"),
        control: h("textarea", { id: "space-notes", rows: "2" }, access.notes ?? "") })),
    field({ id: "space-equipment", label: t("setup.premises.equipment"), hint: t("setup.premises.equipmentHint"),
      control: h("textarea", { id: "space-equipment", rows: "3" }, (space?.equipment ?? []).join("\n")) }),
    rulesFieldset(space?.rules),
  ];
}

export function readSpace(space) {
  const errors = newErrors();
  const rules = { auto_approve_categories: CATEGORIES.filter((c) => document.getElementById(`auto-${c}`).checked) };
  for (const rule of RULES) rules[rule] = whole(errors, `rule-${rule}`);
  const body = {
    name: required(errors, "space-name"),
    kind: value("space-kind"),
    capacity: whole(errors, "space-capacity"),
    parent_id: value("space-parent") || null,
    accessibility: {
      step_free: document.getElementById("space-step-free").checked,
      accessible_toilet: document.getElementById("space-toilet").checked,
      hearing_loop: document.getElementById("space-loop").checked,
      notes: value("space-notes") || null,
    },
    equipment: value("space-equipment").split("\n").map((line) => line.trim()).filter(Boolean),
    rules,
  };
  return { errors, body };
}
