// What the association-profile pages share: the municipality of a public page, training times and
// ages in words, category names in the reader's language, and the "why" of a directory result.
import { api } from "./api.js";
import { formatDate, locale, t } from "./i18n.js";

/** The municipality's slug: `?kommun=` or the first municipality (a single-municipality installation). */
export async function municipalitySlug(params) {
  const given = params.get("kommun");
  if (given) return given;
  return (await api("/api/municipalities?limit=1")).items[0]?.slug ?? null;
}

export function interestName(ref) {
  return locale() === "en" ? (ref.name_en || ref.name) : ref.name;
}

export function ages(item) {
  return t("profiles.ages", { min: String(item.age_min), max: String(item.age_max) });
}

export function whyText(why) {
  return locale() === "en" ? why.text_en : why.text_sv;
}

const SHORT_DATE = { day: "numeric", month: "long" };

/** "tisdagar 18:00–19:30, Nacksta idrottshall A, Nackstaskolan" */
export function regularLine(r) {
  return t("profiles.regular", { weekday: t(`profiles.weekdays.${r.weekday}`), start: r.start, end: r.end,
    space: r.space_name, site: r.site_name });
}

export function regularMore(r) {
  return t("profiles.regularMore", { count: r.dates, date: formatDate(r.next_date, SHORT_DATE) });
}

export function singleLine(d) {
  return t("profiles.single", { date: formatDate(d.date, { weekday: "long", ...SHORT_DATE }), start: d.start,
    end: d.end, space: d.space_name, site: d.site_name });
}

export function languageName(code) {
  return t(`profiles.languages.${code}`);
}

export const LANGUAGE_CODES = ["sv", "en", "ar", "so", "fa", "ti", "uk", "fi", "es", "de", "fr", "pl", "ku", "bs"];
export const FOR_WHOM = ["all", "girls", "boys", "disabilities"];
