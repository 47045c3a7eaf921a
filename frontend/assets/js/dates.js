// Calendar dates as the API writes them ("2026-12-03"): local dates of the municipality, so
// the arithmetic runs in UTC where no day is 23 or 25 hours long.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function toDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

function toIso(date) {
  return date.toISOString().slice(0, 10);
}

export function isIsoDate(value) {
  if (typeof value !== "string" || !ISO_DATE.test(value)) return false;
  return toIso(toDate(value)) === value; // no 2026-02-31
}

/** Today's date in a time zone ("Europe/Stockholm"). */
export function todayIn(timeZone) {
  // en-CA writes dates as YYYY-MM-DD
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date());
}

export function addDays(iso, days) {
  const date = toDate(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return toIso(date);
}

/** 0 = Monday ... 6 = Sunday, as the API counts weekdays. */
export function weekdayOf(iso) {
  return (toDate(iso).getUTCDay() + 6) % 7;
}

/** The Monday of the week `iso` falls in (weeks start on Monday in Sweden). */
export function mondayOf(iso) {
  return addDays(iso, -weekdayOf(iso));
}

/** ISO 8601 week number, the one Swedish calendars print. */
export function isoWeek(iso) {
  const thursday = toDate(addDays(iso, 3 - weekdayOf(iso)));
  const firstThursday = toDate(addDays(`${thursday.getUTCFullYear()}-01-04`, 0));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
  return 1 + Math.round((thursday.getTime() - firstMonday) / (7 * 86_400_000));
}

/** The start of a local date as an instant, written with its offset, for `from` query parameters. */
export function startOfToday() {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}
