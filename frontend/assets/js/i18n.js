// Strings, plurals, numbers and dates in the chosen language. Swedish by default; the choice is
// kept in localStorage and mirrored in <html lang>.

const STORAGE_KEY = "booking.locale";
export const DEFAULT_LOCALE = "sv";
// Each language named in itself: the switch shows these whatever the current language is.
export const LOCALES = { sv: "Svenska", en: "English" };
export const DEFAULT_TIME_ZONE = "Europe/Stockholm";

let current = DEFAULT_LOCALE;
let catalogue = {};
const listeners = new Set();

export function storedLocale() {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value && Object.hasOwn(LOCALES, value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE; // storage blocked: stay with the default
  }
}

export async function loadLocale(code) {
  const chosen = Object.hasOwn(LOCALES, code) ? code : DEFAULT_LOCALE;
  const module = await import(`/assets/i18n/${chosen}.js`);
  catalogue = module.default;
  current = chosen;
  document.documentElement.lang = chosen;
}

export async function setLocale(code) {
  try {
    window.localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  await loadLocale(code);
  for (const listener of listeners) listener(current);
}

export function onLocaleChange(listener) {
  listeners.add(listener);
}

export function locale() {
  return current;
}

function intlTag() {
  return catalogue.meta?.intl ?? current;
}

function lookup(key) {
  return key.split(".").reduce((node, part) => (node == null ? undefined : node[part]), catalogue);
}

export function hasText(key) {
  return lookup(key) !== undefined;
}

/** The text for `key`, with {placeholders} filled; objects of plural forms pick by params.count. */
export function t(key, params = {}) {
  let value = lookup(key);
  if (value !== null && typeof value === "object" && "other" in value) {
    const form = new Intl.PluralRules(intlTag()).select(Number(params.count ?? 0));
    value = value[form] ?? value.other;
  }
  if (typeof value !== "string") {
    console.warn(`i18n: no text for "${key}" in ${current}`);
    return key;
  }
  return value.replace(/\{(\w+)\}/g, (match, name) =>
    Object.hasOwn(params, name) ? formatValue(params[name]) : match);
}

function formatValue(value) {
  return typeof value === "number" ? formatNumber(value) : String(value);
}

export function formatNumber(value) {
  return new Intl.NumberFormat(intlTag()).format(value);
}

/** A date and time from the API (ISO 8601, UTC) shown in the municipality's time zone. */
export function formatDateTime(iso, timeZone = DEFAULT_TIME_ZONE) {
  return new Intl.DateTimeFormat(intlTag(), { dateStyle: "long", timeStyle: "short", timeZone })
    .format(new Date(iso));
}

/** A calendar date from the API ("2026-12-03") in words; no time zone shift (it is a local date). */
export function formatDate(isoDate, options = { weekday: "long", day: "numeric", month: "long", year: "numeric" }) {
  return new Intl.DateTimeFormat(intlTag(), { ...options, timeZone: "UTC" }).format(dateOf(isoDate));
}

/** Two calendar dates as one range ("3–10 december 2026"). */
export function formatDateRange(first, last, options = { day: "numeric", month: "long", year: "numeric" }) {
  const format = new Intl.DateTimeFormat(intlTag(), { ...options, timeZone: "UTC" });
  return first === last ? format.format(dateOf(first)) : format.formatRange(dateOf(first), dateOf(last));
}

/** Two wall times ("18:00", "20:00") as a span, "18:00–20:00". */
export function formatTimeRange(start, end) {
  return `${start}–${end}`;
}

/** The wall time ("18:00") of an API instant in the municipality's zone. */
export function formatTime(iso, timeZone = DEFAULT_TIME_ZONE) {
  return new Intl.DateTimeFormat(intlTag(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone })
    .format(new Date(iso));
}

/** The name of a weekday, 0 = Monday ... 6 = Sunday. */
export function weekdayName(weekday, style = "long") {
  return new Intl.DateTimeFormat(intlTag(), { weekday: style, timeZone: "UTC" })
    .format(new Date(Date.UTC(2024, 0, 1 + weekday))); // 2024-01-01 was a Monday
}

/** A list in words: "a, b och c". */
export function formatList(items) {
  return new Intl.ListFormat(intlTag(), { style: "long", type: "conjunction" }).format(items);
}

/** A length of time in words ("24 timmar", "30 minutes"). */
export function formatDuration(value, unit) {
  return new Intl.NumberFormat(intlTag(), { style: "unit", unit, unitDisplay: "long" }).format(value);
}

function dateOf(isoDate) {
  const [year, month, day] = String(isoDate).slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

export function collator() {
  return new Intl.Collator(intlTag(), { sensitivity: "base", numeric: true });
}

/** Fill every element marked data-i18n="key" (text) or data-i18n-attr="attr:key;attr:key". */
export function translateDom(root = document) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of element.dataset.i18nAttr.split(";")) {
      const [attribute, key] = pair.split(":").map((part) => part.trim());
      if (attribute && key) element.setAttribute(attribute, t(key));
    }
  }
}
