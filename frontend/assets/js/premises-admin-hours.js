// The opening hours form of "Skolor och lokaler": the weekly hours (one window a day) and the periods with
// other hours (a summer, a school holiday: a name, the first and last day and one window a day), which
// replace the weekly hours on their dates. Read back as the body of PUT /api/spaces/{id}/opening-hours, with
// the page's own checks at their fields and a map from the API's field names (`general[2].closes`,
// `variations[0].valid_to`, `variations[1].windows[0].opens`) to the inputs drawn.
import { h } from "./dom.js";
import { isIsoDate } from "./dates.js";
import { formatDateRange, t, weekdayName } from "./i18n.js";
import { addError, field, newErrors } from "./forms.js";
import { ruleText } from "./booking-ui.js";

const DAYS = [0, 1, 2, 3, 4, 5, 6];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
let drawn = 0; // each period's fieldset gets ids of its own (var-1-name, var-1-0-opens, ...)

const value = (id) => document.getElementById(id)?.value.trim() ?? "";

/** The first window of each weekday (the form shows one window a day). */
function windowsByDay(windows) {
  const found = new Map();
  for (const w of windows ?? []) if (!found.has(w.weekday)) found.set(w.weekday, w);
  return found;
}

/** Seven days of "opens" and "closes" inputs, `${prefix}-${day}-opens`. */
function week(prefix, windows) {
  const byDay = windowsByDay(windows);
  return h("div", { class: "setup-hours" }, DAYS.map((day) => h("div", { class: "setup-day" },
    ["opens", "closes"].map((end) => {
      const id = `${prefix}-${day}-${end}`;
      return field({ id, label: t(`setup.premises.${end}`, { day: weekdayName(day) }),
        control: h("input", { type: "time", id, value: byDay.get(day)?.[end] ?? "" }) });
    }))));
}

/** One period with other hours; its remove button takes it out of the form (saved with the form). */
function variationFieldset(variation) {
  drawn += 1;
  const prefix = `var-${drawn}`;
  const title = () => value(`${prefix}-name`) || t("setup.premises.newVariation");
  const legend = h("legend", {}, variation?.name || t("setup.premises.newVariation"));
  const removeName = h("span", { class: "visually-hidden" }, ` ${variation?.name || t("setup.premises.newVariation")}`);
  const remove = h("button", { type: "button", class: "button button-quiet button-small" },
    t("setup.premises.removeVariation"), removeName);
  const name = h("input", { type: "text", id: `${prefix}-name`, value: variation?.name ?? "", required: true,
    autocomplete: "off" });
  name.addEventListener("input", () => {
    legend.textContent = title();
    removeName.textContent = ` ${title()}`;
  });
  const date = (end, current) => field({ id: `${prefix}-${end}`, label: t(`setup.premises.${end}Day`),
    control: h("input", { type: "date", id: `${prefix}-${end}`, value: current ?? "", required: true }) });
  const set = h("fieldset", { class: "setup-variation", dataset: { variation: prefix } }, legend,
    field({ id: `${prefix}-name`, label: t("setup.premises.variationName"), hint: t("setup.premises.variationNameHint"),
      control: name }),
    h("div", { class: "setup-dates" }, date("from", variation?.valid_from), date("to", variation?.valid_to)),
    week(prefix, variation?.windows),
    h("div", { class: "setup-actions" }, remove));
  remove.addEventListener("click", () => {
    const gone = title();
    set.remove();
    const status = document.getElementById("variations-status");
    if (status) status.textContent = t("setup.premises.variationRemoved", { name: gone });
    document.getElementById("add-variation")?.focus();
  });
  return set;
}

export function hoursForm(hours) {
  const list = h("div", { id: "variations-list" }, (hours?.variations ?? []).map((v) => variationFieldset(v)));
  const add = h("button", { type: "button", class: "button button-quiet", id: "add-variation" },
    t("setup.premises.addVariation"));
  add.addEventListener("click", () => {
    const set = variationFieldset(null);
    list.append(set);
    document.getElementById("variations-status").textContent = "";
    set.querySelector("input")?.focus();
  });
  return [
    h("h3", {}, t("setup.premises.weekly")),
    h("p", { class: "hint" }, t("setup.premises.hoursHint")),
    week("hours", hours?.general),
    h("section", { class: "setup-variations", "aria-labelledby": "variations-heading" },
      h("h3", { id: "variations-heading" }, t("setup.premises.variations")),
      h("p", { class: "hint" }, t("setup.premises.variationsHint")),
      list,
      h("p", { role: "status", id: "variations-status" }),
      h("p", {}, add)),
  ];
}

/** The windows of one week of inputs into `windows`, the weekday of each into `weekdays`. */
function readWeek(prefix, errors, windows, weekdays) {
  for (const day of DAYS) {
    const opens = value(`${prefix}-${day}-opens`);
    const closes = value(`${prefix}-${day}-closes`);
    if (!opens && !closes) continue;
    let good = true;
    for (const [end, found] of [["opens", opens], ["closes", closes]]) {
      if (!found) addError(errors, `${prefix}-${day}-${end}`, t("setup.premises.hoursMissing"));
      else if (!TIME.test(found)) addError(errors, `${prefix}-${day}-${end}`, t("setup.premises.timeInvalid"));
      good = good && TIME.test(found);
    }
    if (good && opens >= closes) {
      addError(errors, `${prefix}-${day}-closes`, t("setup.premises.closesFirst"));
      good = false;
    }
    if (good) {
      windows.push({ weekday: day, opens, closes });
      weekdays.push(day);
    }
  }
}

/**
 * The body of PUT opening-hours from the form, the page's own errors, and `controlOf`: the input of an
 * API field name. That the last day comes before the first is left to the server to say.
 */
export function readHours() {
  const errors = newErrors();
  const general = [];
  const weekdays = [];
  readWeek("hours", errors, general, weekdays);
  const variations = [];
  const places = [];
  for (const set of document.querySelectorAll("#place-editor .setup-variation")) {
    const prefix = set.dataset.variation;
    const name = value(`${prefix}-name`);
    if (!name) addError(errors, `${prefix}-name`, t("setup.premises.variationNameMissing"));
    const [first, last] = [value(`${prefix}-from`), value(`${prefix}-to`)];
    for (const [end, found] of [["from", first], ["to", last]]) {
      if (!found) addError(errors, `${prefix}-${end}`, t(`setup.premises.${end}DayMissing`));
      else if (!isIsoDate(found)) addError(errors, `${prefix}-${end}`, t("setup.premises.dateInvalid"));
    }
    const windows = [];
    const days = [];
    const before = errors.fields.size;
    readWeek(prefix, errors, windows, days);
    if (!windows.length && errors.fields.size === before) {
      addError(errors, `${prefix}-0-opens`, t("setup.premises.periodNoDays"));
    }
    variations.push({ name: name || null, valid_from: first, valid_to: last, windows });
    places.push({ prefix, days });
  }
  const controlOf = (name) => {
    const general = /^general\[(\d+)\](?:\.(\w+))?/.exec(name);
    if (general) {
      const day = weekdays[Number(general[1])];
      return day === undefined ? null : `hours-${day}-${general[2] === "closes" ? "closes" : "opens"}`;
    }
    const period = /^variations\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?/.exec(name);
    const place = period ? places[Number(period[1])] : null;
    if (!place) return null;
    const [, , key, index, end] = period;
    if (key === "valid_from") return `${place.prefix}-from`;
    if (key === "valid_to") return `${place.prefix}-to`;
    if (key === "windows" && index === undefined) return `${place.prefix}-0-opens`;
    const day = key === "windows" ? place.days[Number(index)] : undefined;
    if (day !== undefined) return `${place.prefix}-${day}-${end === "closes" ? "closes" : "opens"}`;
    return `${place.prefix}-name`;
  };
  return { errors, body: { general, variations }, controlOf };
}

/** The API's refusal of a field of the form in the reader's language (its own English otherwise). */
export function hoursErrorText(item) {
  const name = item.field ?? "";
  const message = item.message ?? "";
  if (/valid_to$/.test(name) && item.code === "range") return t("setup.premises.variationEndsFirst");
  if (/^variations\[\d+\]\.windows$/.test(name)) return t("setup.premises.periodNoDays");
  if (/after opening time/.test(message)) return t("setup.premises.closesFirst");
  if (/\.(opens|closes)$/.test(name)) return t("setup.premises.timeInvalid");
  if (/\.valid_(from|to)$/.test(name)) return t("setup.premises.dateInvalid");
  return ruleText(item);
}

function windowsText(windows) {
  return windows.map((w) => `${weekdayName(w.weekday, "short")} ${w.opens}–${w.closes}`).join(", ");
}

/** The hours of a space in the list: the weekly hours, then each period with its dates. */
export function hoursSummary(hours) {
  const general = hours?.general ?? [];
  const lines = [general.length ? h("p", {}, `${t("setup.premises.hours")}: ${windowsText(general)}`)
    : h("p", { class: "muted" }, t("setup.premises.noHours"))];
  for (const v of hours?.variations ?? []) {
    lines.push(h("p", { class: "setup-variation-line" }, t("setup.premises.variationLine", {
      name: v.name ?? t("setup.premises.newVariation"), dates: formatDateRange(v.valid_from, v.valid_to),
      hours: windowsText(v.windows) })));
  }
  return lines;
}
