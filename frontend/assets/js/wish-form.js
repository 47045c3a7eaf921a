// The wish list page's form for one child: who the child is (first name, birth year, gender, home area by
// area or postcode), how many activities at most, the group code, and the ranked wishes (wish-list.js).
// Field errors from the API are shown at their fields with the error summary (forms.js).
import { api, ApiError } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { t } from "./i18n.js";
import { apiErrors, addError, field, focusFirstError, hasErrors, newErrors, paintErrors } from "./forms.js";
import { problemText } from "./booking-ui.js";
import { sessionPicker, wishList } from "./wish-list.js";

const MAX_WISHES = 30;
const CONTROLS = {
  first_name: "child-first-name", birth_year: "child-birth-year", gender: "child-gender",
  home_area_id: "child-area", postcode: "child-postcode", max_activities: "child-max", group_code: "child-group",
};

/** A new form's values, or a child's from the API. */
export function formOf(child, draw, addSession) {
  const wishes = (child?.wishes ?? []).map((w) => ({ session_id: w.session_id, favourite: Boolean(w.favourite) }));
  if (addSession && !wishes.some((w) => w.session_id === addSession)) wishes.push({ session_id: addSession, favourite: false });
  return {
    child_id: child?.child_id ?? null,
    first_name: child?.first_name ?? "", birth_year: child?.birth_year ? String(child.birth_year) : "",
    gender: child?.gender ?? "", home_area_id: child?.home_area_id ?? "", postcode: "",
    max_activities: String(child?.max_activities ?? draw.max_per_child), group_code: child?.group_code ?? "",
    wishes, ageOnly: true, areaFound: null,
  };
}

/** The form's texts and choices back into `form` (before a redraw, so nothing typed is lost). */
export function readForm(form) {
  const value = (id) => document.getElementById(id)?.value;
  for (const [name, id] of Object.entries(CONTROLS)) {
    const v = value(id);
    if (v !== undefined) form[name] = v;
  }
  const ageOnly = document.getElementById("child-age-only");
  if (ageOnly) form.ageOnly = ageOnly.checked;
}

function ageOf(form, period) {
  const year = Number.parseInt(form.birth_year, 10);
  return period && Number.isInteger(year) && year > 1900 ? period.year - year : null;
}

/**
 * The form. ctx: {draw, period, areas, sessions, slug, drawPath, announce, saved(child), cancel()}.
 * Returns the <form> element (drawn once; its parts redraw themselves).
 */
export function childForm(form, ctx) {
  const sessionOf = (id) => ctx.sessions.find((s) => s.id === id) ?? null;
  const input = (id, attrs, value) => h("input", { id, value, ...attrs });
  const select = (id, options, value) => {
    const s = h("select", { id }, options.map(([v, label]) => h("option", { value: v }, label)));
    s.value = value;
    return s;
  };
  const alert = h("div", { class: "alert alert-error", role: "alert", id: "child-alert", tabindex: "-1" });
  const areaFound = h("p", { class: "hint", id: "child-postcode-found", "aria-live": "polite" }, form.areaFound ?? "");
  const postcode = input("child-postcode", { inputmode: "numeric", autocomplete: "postal-code", maxlength: 6 },
    form.postcode);
  postcode.addEventListener("change", () => lookUpPostcode(postcode.value, form, ctx, areaFound));
  const max = Array.from({ length: ctx.draw.max_per_child }, (_, i) => [String(i + 1), String(i + 1)]);
  const groupCode = input("child-group", { autocomplete: "off", maxlength: 16, class: "input-code" }, form.group_code);
  const newCode = h("button", { type: "button", class: "button button-quiet", id: "new-group-code" },
    t("draw.child.newGroupCode"));
  const codeNote = h("p", { class: "hint", id: "child-group-note", "aria-live": "polite" });
  newCode.addEventListener("click", async () => {
    try {
      const answer = await api(`${ctx.drawPath}/groups`, { method: "POST", idempotencyKey: crypto.randomUUID() });
      groupCode.value = answer.code;
      form.group_code = answer.code;
      codeNote.textContent = t("draw.child.groupCodeMade", { code: answer.code });
    } catch (error) {
      codeNote.textContent = problemText(error);
    }
  });

  const list = h("ol", { class: "wish-list", id: "wish-list", tabindex: "-1", "aria-labelledby": "wish-list-heading" });
  const count = h("p", { class: "hint", id: "wish-count" });
  const picker = h("div", { id: "pick-box" });
  const ageOnly = h("input", { id: "child-age-only", type: "checkbox", checked: form.ageOnly });
  const redrawPicker = () => {
    readForm(form);
    count.textContent = form.wishes.length ? t("draw.wishes.count", { count: form.wishes.length, max: MAX_WISHES })
      : t("draw.wishes.none");
    sessionPicker({ box: picker, sessions: ctx.sessions, wishes: form.wishes, age: ageOf(form, ctx.period),
      ageOnly: form.ageOnly, maxWishes: MAX_WISHES, add: (s) => {
        form.wishes.push({ session_id: s.id, favourite: false });
        wishes.draw();
        ctx.announce(t("draw.wishes.addedSay", { title: s.title, n: form.wishes.length }));
        redrawPicker();
        document.querySelector(`#pick-list li[data-session="${s.id}"] .pick-added`)?.setAttribute("tabindex", "-1");
        document.querySelector(`#pick-list li[data-session="${s.id}"] .pick-added`)?.focus();
      } });
  };
  const wishes = wishList({ list, wishes: form.wishes, sessionOf, announce: ctx.announce, changed: redrawPicker });
  ageOnly.addEventListener("change", redrawPicker);

  const element = h("form", { class: "form form-wide child-form", id: "child-form", novalidate: true },
    alert,
    h("h3", { id: "child-form-heading", tabindex: "-1" },
      form.child_id ? t("draw.child.editHeading", { name: form.first_name }) : t("draw.child.newHeading")),
    h("div", { class: "field-row" },
      field({ id: "child-first-name", label: t("activities.signUp.firstName"),
        control: input("child-first-name", { autocomplete: "off", maxlength: 60, required: true }, form.first_name) }),
      field({ id: "child-birth-year", label: t("activities.signUp.birthYear"),
        control: input("child-birth-year", { inputmode: "numeric", maxlength: 4, required: true }, form.birth_year) })),
    field({ id: "child-gender", label: t("activities.signUp.gender"), control: select("child-gender",
      [["", t("activities.signUp.genderNone")], ...["female", "male", "other"].map((g) => [g, t(`activities.genders.${g}`)])],
      form.gender) }),
    h("fieldset", { class: "child-fieldset" }, h("legend", {}, t("draw.child.homeArea")),
      h("p", { class: "hint" }, t("draw.child.homeAreaHint")),
      field({ id: "child-area", label: t("draw.child.area"), control: select("child-area",
        [["", t("draw.child.noArea")], ...ctx.areas.map((a) => [a.id, a.name])], form.home_area_id) }),
      field({ id: "child-postcode", label: t("draw.child.postcode"), hint: t("draw.child.postcodeHint"),
        control: postcode }),
      areaFound),
    field({ id: "child-max", label: t("draw.child.max"), hint: t("draw.child.maxHint", { max: ctx.draw.max_per_child }),
      control: select("child-max", max, form.max_activities) }),
    h("div", { class: "field" }, field({ id: "child-group", label: t("draw.child.groupCode"),
      hint: t("draw.child.groupCodeHint"), control: groupCode, className: "field field-tight" }),
    h("div", { class: "actions" }, newCode), codeNote),
    h("section", { class: "wish-section", "aria-labelledby": "wish-list-heading" },
      h("h4", { id: "wish-list-heading" }, t("draw.wishes.heading")),
      h("p", { class: "hint" }, t("draw.wishes.orderHint")),
      count, list),
    h("section", { class: "wish-section", "aria-labelledby": "pick-heading" },
      h("h4", { id: "pick-heading" }, t("draw.wishes.pickHeading")),
      h("div", { class: "field field-check" }, ageOnly, h("label", { for: "child-age-only" }, t("draw.wishes.ageOnly"))),
      picker),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "button", id: "child-save" }, t("draw.child.save")),
      h("button", { type: "button", class: "button button-quiet", onclick: () => ctx.cancel() }, t("draw.child.cancel"))));
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    save(element, form, ctx);
  });
  element.addEventListener("input", (event) => {
    if (event.target.id === "child-birth-year") redrawPicker();
  });
  redrawPicker();
  return element;
}

async function lookUpPostcode(value, form, ctx, out) {
  const code = value.replace(/\s/g, "");
  form.areaFound = null;
  out.textContent = "";
  if (!/^\d{5}$/.test(code)) return;
  try {
    const found = await api(`/api/postcode-areas/${code}?municipality=${encodeURIComponent(ctx.slug)}`);
    form.areaFound = t("draw.child.areaFound", { area: found.area_name });
    const area = document.getElementById("child-area");
    if (area && ctx.areas.some((a) => a.id === found.area_id)) area.value = found.area_id;
  } catch (error) {
    form.areaFound = error instanceof ApiError && error.status === 404 ? t("draw.child.postcodeUnknown")
      : problemText(error);
  }
  out.textContent = form.areaFound;
}

function wishErrorText(item, form, ctx) {
  const match = /^wishes\[(\d+)\]/.exec(item.field ?? "");
  if (!match) return item.message;
  const n = Number(match[1]);
  const title = ctx.sessions.find((s) => s.id === form.wishes[n]?.session_id)?.title ?? "";
  const code = item.reason ?? item.code;
  const key = code === "age" ? "draw.child.errors.wishAge" : code === "duplicate" ? "draw.child.errors.wishDuplicate"
    : "draw.child.errors.wishNotInDraw";
  return t(key, { n: n + 1, title });
}

async function save(element, form, ctx) {
  readForm(form);
  const alert = document.getElementById("child-alert");
  paintErrors(element, alert, null);
  const errors = newErrors();
  const year = Number.parseInt(form.birth_year, 10);
  if (!form.first_name.trim()) addError(errors, "child-first-name", t("draw.child.errors.firstName"));
  if (!/^\d{4}$/.test(form.birth_year.trim())) addError(errors, "child-birth-year", t("draw.child.errors.birthYear"));
  const postcode = form.postcode.replace(/\s/g, "");
  if (postcode && !/^\d{5}$/.test(postcode)) addError(errors, "child-postcode", t("draw.child.errors.postcode"));
  if (!form.wishes.length) errors.loose.push(t("draw.child.errors.noWishes"));
  if (hasErrors(errors)) {
    paintErrors(element, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  const body = { first_name: form.first_name.trim(), birth_year: year, max_activities: Number(form.max_activities),
    wishes: form.wishes.map((w) => ({ session_id: w.session_id, favourite: w.favourite })) };
  if (form.gender) body.gender = form.gender;
  if (form.home_area_id) body.home_area_id = form.home_area_id; // chosen, or found from the postcode
  else if (postcode) body.postcode = postcode; // not looked up yet: the API finds the area, or names the field
  if (form.group_code.trim()) body.group_code = form.group_code.trim();
  const button = document.getElementById("child-save");
  button.setAttribute("aria-disabled", "true");
  try {
    const child = await api(`${ctx.drawPath}/children`, { method: "PUT", body });
    if (form.child_id && child.child_id !== form.child_id) {
      // a child is known by first name and birth year: changing either saved a new one; the old one goes
      await api(`${ctx.drawPath}/children/${encodeURIComponent(form.child_id)}`, { method: "DELETE" });
    }
    ctx.saved(child);
  } catch (error) {
    button.removeAttribute("aria-disabled");
    const found = apiErrors(error, (name) => CONTROLS[name] ?? null, (item) => {
      if (/^wishes\[/.test(item.field ?? "")) return wishErrorText(item, form, ctx);
      if (item.field === "postcode") return t("draw.child.postcodeUnknown");
      if (item.field === "birth_year") return t("draw.child.errors.birthYearRange");
      if (item.field === "group_code") return t("draw.child.errors.groupCode");
      return item.message;
    });
    paintErrors(element, alert, found);
    for (const item of error instanceof ApiError ? error.problem.errors ?? [] : []) {
      const match = /^wishes\[(\d+)\]/.exec(item.field ?? "");
      const at = match ? document.getElementById(`wish-${match[1]}-error`) : null;
      if (at) replaceChildren(at, wishErrorText(item, form, ctx)); // after paintErrors, which empties them
    }
    focusFirstError(found, alert);
  }
}
