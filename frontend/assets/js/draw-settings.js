// The staff's choice for a holiday period on the draw page: first come, or wishes and a draw with its
// deadline, maximum per child, travel time, the six weights and the priority areas (the two areas the
// follow-up suggests are marked). Saved with PUT, back to first come with DELETE (after a confirmation).
import { api } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { apiErrors, addError, field, focusFirstError, hasErrors, newErrors, paintErrors } from "./forms.js";
import { fromWall, toWall } from "./draw-ui.js";

export const WEIGHTS = ["rank", "favourite", "priority_area", "nothing_last_time", "first_time", "group"];
const DEFAULT_WEIGHTS = { rank: 10, favourite: 5, priority_area: 8, nothing_last_time: 6, first_time: 3, group: 2 };
const CONTROLS = { wishes_close_at: "draw-deadline", max_per_child: "draw-max", travel_minutes: "draw-travel",
  mode: "mode-draw" };

function controlOf(name) {
  if (CONTROLS[name]) return CONTROLS[name];
  const weight = /^weights\.(\w+)$/.exec(name);
  if (weight) return `weight-${weight[1]}`;
  return /^priority_areas/.test(name) ? "priority-areas-first" : null;
}

/**
 * The settings form. ctx: {draw|null, periodId, areas, suggested [{area_id, name, per_1000}], zone,
 * saved(draw|null, text)}. Returns the <form>.
 */
export function settingsForm(ctx) {
  const draw = ctx.draw;
  const readOnly = draw?.status === "published";
  const number = (id, value, min, max) => h("input", { id, type: "number", inputmode: "numeric", min, max, step: "1",
    value: String(value), disabled: readOnly });
  const mode = (value, label, hint) => h("div", { class: "field-check" },
    h("input", { type: "radio", name: "mode", id: `mode-${value}`, value, checked: (value === "draw") === Boolean(draw),
      disabled: readOnly, "aria-describedby": `mode-${value}-hint` }),
    h("label", { for: `mode-${value}` }, label),
    h("p", { class: "hint hint-after", id: `mode-${value}-hint` }, hint));
  const weights = draw?.weights ?? DEFAULT_WEIGHTS;
  const suggested = new Map(ctx.suggested.map((s) => [s.area_id, s]));
  const chosen = new Set(draw?.priority_areas ?? []);
  const areas = ctx.areas.map((a, i) => {
    const id = i === 0 ? "priority-areas-first" : `priority-area-${a.id}`;
    const hint = suggested.has(a.id) ? t("draw.settings.suggested", { per1000: formatNumber(suggested.get(a.id).per_1000) })
      : null;
    return h("div", { class: "field-check" },
      h("input", { type: "checkbox", id, name: "priority_areas", value: a.id, checked: chosen.has(a.id), disabled: readOnly,
        "aria-describedby": hint ? `${id}-hint` : null }),
      h("label", { for: id }, a.name),
      hint ? h("p", { class: "hint hint-after suggested", id: `${id}-hint` }, hint) : null);
  });
  const alert = h("div", { class: "alert alert-error", role: "alert", id: "settings-alert", tabindex: "-1" });
  const drawFields = h("div", { id: "draw-fields", hidden: !draw },
    field({ id: "draw-deadline", label: t("draw.settings.deadline"), hint: t("draw.settings.deadlineHint"),
      control: h("input", { id: "draw-deadline", type: "datetime-local", value: toWall(draw?.wishes_close_at, ctx.zone),
        disabled: readOnly }) }),
    h("div", { class: "field-row" },
      field({ id: "draw-max", label: t("draw.settings.max"), hint: t("draw.settings.maxHint"),
        control: number("draw-max", draw?.max_per_child ?? 3, 1, 20) }),
      field({ id: "draw-travel", label: t("draw.settings.travel"), hint: t("draw.settings.travelHint"),
        control: number("draw-travel", draw?.travel_minutes ?? 0, 0, 240) })),
    h("fieldset", { class: "child-fieldset" }, h("legend", {}, t("draw.settings.weights")),
      h("p", { class: "hint" }, t("draw.settings.weightsHint")),
      h("div", { class: "weight-grid" }, WEIGHTS.map((w) => field({ id: `weight-${w}`,
        label: t(`draw.weights.${w}`), hint: t(`draw.weights.${w}Hint`),
        control: number(`weight-${w}`, weights[w] ?? 0, 0, 100) })))),
    h("fieldset", { class: "child-fieldset", id: "priority-areas" }, h("legend", {}, t("draw.settings.priorityAreas")),
      h("p", { class: "hint" }, t("draw.settings.priorityAreasHint")),
      h("p", { class: "field-error", id: "priority-areas-first-error" }),
      areas.length ? areas : h("p", { class: "empty" }, t("draw.settings.noAreas"))));
  const confirmBox = h("div", { id: "first-come-confirm" }); // the question, drawn when it is asked
  const form = h("form", { class: "form form-wide", id: "settings-form", novalidate: true }, alert,
    h("fieldset", { class: "choices" }, h("legend", {}, t("draw.settings.mode")),
      mode("first_come", t("draw.settings.firstCome"), t("draw.settings.firstComeHint")),
      mode("draw", t("draw.settings.draw"), t("draw.settings.drawHint"))),
    drawFields,
    readOnly ? h("p", { class: "notice" }, t("draw.settings.publishedNote")) : h("div", { class: "actions" },
      h("button", { type: "submit", class: "button", id: "settings-save" }, t("draw.settings.save"))),
    confirmBox);
  form.addEventListener("change", (event) => {
    if (event.target.name === "mode") drawFields.hidden = !form.querySelector("#mode-draw").checked;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(form, ctx);
  });
  return form;
}

const periodPath = (ctx) => `/api/holiday-periods/${encodeURIComponent(ctx.periodId)}/draw`;

function askFirstCome(form, ctx) {
  const box = form.querySelector("#first-come-confirm");
  replaceChildren(box, h("div", { class: "notice", role: "group", "aria-labelledby": "first-come-question" },
    h("p", { id: "first-come-question" }, t("draw.settings.firstComeConfirm")),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "button button-danger", id: "first-come-yes",
        onclick: () => backToFirstCome(form, ctx) }, t("draw.settings.firstComeYes")),
      h("button", { type: "button", class: "button button-quiet", onclick: () => {
        replaceChildren(box);
        form.querySelector("#settings-save")?.focus();
      } }, t("draw.child.no")))));
  box.querySelector("#first-come-yes").focus();
}

async function backToFirstCome(form, ctx) {
  const alert = form.querySelector("#settings-alert");
  try {
    await api(periodPath(ctx), { method: "DELETE" });
    ctx.saved(null, t("draw.settings.firstComeSaved"));
  } catch (error) {
    const errors = apiErrors(error, () => null);
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
  }
}

async function submit(form, ctx) {
  const alert = form.querySelector("#settings-alert");
  paintErrors(form, alert, null);
  if (!form.querySelector("#mode-draw").checked) {
    if (!ctx.draw) {
      ctx.saved(null, t("draw.settings.alreadyFirstCome"));
      return;
    }
    askFirstCome(form, ctx);
    return;
  }
  const errors = newErrors();
  const value = (id) => form.querySelector(`#${id}`).value.trim();
  const whole = (id, min, max) => {
    const n = Number(value(id));
    if (!value(id) || !Number.isInteger(n) || n < min || n > max) {
      addError(errors, id, t("draw.settings.errors.range", { min, max }));
    }
    return n;
  };
  const closes = fromWall(value("draw-deadline"), ctx.zone);
  if (!closes) addError(errors, "draw-deadline", t("draw.settings.errors.deadline"));
  else if (Date.parse(closes) <= Date.now() && closes !== ctx.draw?.wishes_close_at) {
    addError(errors, "draw-deadline", t("draw.settings.errors.deadlinePast"));
  }
  const body = { wishes_close_at: closes, max_per_child: whole("draw-max", 1, 20),
    travel_minutes: whole("draw-travel", 0, 240),
    weights: Object.fromEntries(WEIGHTS.map((w) => [w, whole(`weight-${w}`, 0, 100)])),
    priority_areas: [...form.querySelectorAll("input[name=priority_areas]:checked")].map((box) => box.value) };
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  const button = form.querySelector("#settings-save");
  button.setAttribute("aria-disabled", "true");
  try {
    const draw = await api(periodPath(ctx), { method: "PUT", body });
    ctx.saved(draw, t("draw.settings.saved"));
  } catch (error) {
    button.removeAttribute("aria-disabled");
    const found = apiErrors(error, controlOf, (item) => item.message);
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}
