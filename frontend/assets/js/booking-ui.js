// What the booking pages share: statuses, the API's rule messages in the reader's language,
// conflicts, groups of occurrences by series, the names of spaces, and a link with a copy button.
import { api, ApiError, fetchAll, NetworkError } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import {
  DEFAULT_TIME_ZONE,
  formatDate,
  formatDateRange,
  formatDuration,
  formatList,
  formatTime,
  formatTimeRange,
  hasText,
  t,
  weekdayName,
} from "./i18n.js";

export const ACTIVE = new Set(["pending", "approved"]);

export function statusBadge(status) {
  const known = hasText(`bookingStatus.${status}`);
  return h("span", { class: `badge badge-${known ? status : "unknown"}` }, known ? t(`bookingStatus.${status}`) : status);
}

// --- the API's words in the reader's language ---------------------------------------------------

const UNITS = { minute: "minute", minutes: "minute", hour: "hour", hours: "hour", day: "day", days: "day" };

/** "24 hours" (the API's English) -> "24 timmar" in the current language. */
function duration(text) {
  const match = /(\d+)\s+(minutes?|hours?|days?)/.exec(text ?? "");
  return match ? formatDuration(Number(match[1]), UNITS[match[2]]) : text;
}

/** The date a rule message begins with ("2026-12-03: ..." or "2027-03-28 02:30 ..."). */
function leadingDate(message) {
  return /^(\d{4}-\d{2}-\d{2})\b/.exec(message ?? "")?.[1] ?? null;
}

/**
 * A broken booking rule, said in the current language: {code, message, date?} from a 422's
 * `errors` or a series' `skipped`. Unknown codes keep the API's own message.
 */
export function ruleText({ code, rule, message = "", date }) {
  const which = code ?? rule;
  const day = date ?? leadingDate(message);
  const body = message.replace(/^\d{4}-\d{2}-\d{2}:\s*/, "");
  let text;
  switch (which) {
    case "opening-hours": {
      if (/ends on the day it starts/.test(body)) {
        text = t("rules.sameDay");
        break;
      }
      const hours = /\(([^)]*)\)\.?$/.exec(body)?.[1];
      if (!hours || hours === "closed all day") text = t("rules.closedAllDay");
      else text = t("rules.openingHours", { hours: formatList(hours.split(/,\s*/).map((w) => w.replace("-", "–"))) });
      break;
    }
    case "holiday":
    case "closed": {
      const reason = /^Closed:\s*(.*?)\.?$/.exec(body)?.[1];
      text = reason ? t("rules.closedFor", { reason }) : t("rules.closed");
      break;
    }
    case "notice":
      text = t("rules.notice", { duration: duration(body) });
      break;
    case "horizon":
      text = t("rules.horizon", { duration: duration(body) });
      break;
    case "min-duration":
      text = t("rules.minDuration", { duration: duration(body) });
      break;
    case "max-duration":
      text = t("rules.maxDuration", { duration: duration(body) });
      break;
    case "past":
      text = t("rules.past");
      break;
    case "conflict":
      text = t("rules.conflict");
      break;
    case "nonexistent-local-time":
      text = t("rules.noSuchTime");
      break;
    default:
      text = body || message;
  }
  return day ? t("rules.onDate", { date: formatDate(day), text }) : text;
}

/** The times a conflict names ({starts_at, ends_at}), in the municipality's zone. */
export function conflictTime(conflict, timeZone = DEFAULT_TIME_ZONE) {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(conflict.starts_at));
  return t("rules.busyAt", {
    date: formatDate(day),
    time: formatTimeRange(formatTime(conflict.starts_at, timeZone), formatTime(conflict.ends_at, timeZone)),
  });
}

/** One line for a date left out of a series or a decision: the rule, and the clashes if any. */
export function skippedText(item, timeZone) {
  const base = ruleText(item);
  const clashes = (item.conflicts ?? []).map((c) => conflictTime(c, timeZone));
  return clashes.length ? `${base} ${t("rules.clashesWith", { times: formatList(clashes) })}` : base;
}

/** Why a request failed, in words, for errors that belong to no field. */
export function problemText(error) {
  if (error instanceof NetworkError) return t("errors.network");
  if (!(error instanceof ApiError)) return t("errors.unexpected", { detail: String(error) });
  if (error.status >= 500) return t("errors.server");
  if (error.status === 401) return t("errors.signedOut");
  if (error.status === 403) return t("errors.forbidden");
  if (error.status === 404) return t("errors.gone");
  return t("errors.unexpected", { detail: error.problem.detail || error.problem.title || error.status });
}

// --- occurrences --------------------------------------------------------------------------------

/** Occurrences grouped by series (a single booking is a group of its own), groups by first date. */
export function groupBySeries(bookings) {
  const groups = new Map();
  for (const booking of bookings) {
    const key = booking.series_id ?? booking.id;
    if (!groups.has(key)) groups.set(key, { key, seriesId: booking.series_id, items: [] });
    groups.get(key).items.push(booking);
  }
  const byStart = (a, b) => a.starts_at.localeCompare(b.starts_at);
  for (const group of groups.values()) group.items.sort(byStart);
  return [...groups.values()].sort((a, b) => byStart(a.items[0], b.items[0]));
}

/** "Every Thursday 18:00–20:00, 3 December 2026 – 14 January 2027" for a group of occurrences. */
export function groupWhen(items) {
  const first = items[0];
  const last = items[items.length - 1];
  const times = new Set(items.map((b) => formatTimeRange(b.local_start, b.local_end)));
  const time = times.size === 1 ? [...times][0] : null;
  if (items.length === 1) {
    return t("bookingsCommon.onceAt", { date: formatDate(first.local_date), time: time ?? "" });
  }
  const weekdays = [...new Set(items.map((b) => (new Date(`${b.local_date}T00:00:00Z`).getUTCDay() + 6) % 7))]
    .sort()
    .map((d) => weekdayName(d));
  const range = formatDateRange(first.local_date, last.local_date);
  return time
    ? t("bookingsCommon.weeklyAt", { weekdays: formatList(weekdays), time, range })
    : t("bookingsCommon.weekly", { weekdays: formatList(weekdays), range });
}

/** The counts of a group's statuses in words: "3 godkända, 1 avbokad". */
export function statusSummary(items) {
  const counts = new Map();
  for (const b of items) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
  return ["pending", "approved", "rejected", "cancelled"]
    .filter((s) => counts.has(s))
    .map((s) => t(`bookingsCommon.count.${s}`, { count: counts.get(s) }))
    .join(", ");
}

// --- names of spaces and associations ------------------------------------------------------------

/** space id -> {space, site} for the spaces the bookings are in (unknown ones are left out). */
export async function loadPlaces(spaceIds) {
  const places = new Map();
  const spaces = await Promise.allSettled([...new Set(spaceIds)].map((id) =>
    api(`/api/spaces/${encodeURIComponent(id)}`)));
  const found = spaces.filter((r) => r.status === "fulfilled").map((r) => r.value);
  const sites = new Map();
  const siteAnswers = await Promise.allSettled([...new Set(found.map((s) => s.site_id))].map((id) =>
    api(`/api/sites/${encodeURIComponent(id)}`)));
  for (const answer of siteAnswers) if (answer.status === "fulfilled") sites.set(answer.value.id, answer.value);
  for (const space of found) places.set(space.id, { space, site: sites.get(space.site_id) ?? null });
  return places;
}

/** association id -> name, for the associations the account may see. */
export async function loadAssociationNames() {
  try {
    const associations = await fetchAll("/api/associations");
    return new Map(associations.map((a) => [a.id, a.name]));
  } catch {
    return new Map(); // the bookings still show, without the names
  }
}

export function placeLink(place, spaceId) {
  if (!place) return t("bookingsCommon.unknownSpace");
  const name = place.site ? t("bookingsCommon.spaceAtSite", { space: place.space.name, site: place.site.name })
    : place.space.name;
  return h("a", { href: `/space.html?id=${encodeURIComponent(spaceId)}` }, name);
}

// --- a link to copy -------------------------------------------------------------------------------

/**
 * A read-only field holding `url` with a copy button and a link for calendar apps (webcal:).
 * The outcome of copying is announced in a status region.
 */
export function copyField({ id, label, url, hint }) {
  const input = h("input", {
    id, type: "text", readonly: true, value: url, class: "copy-input", spellcheck: "false",
    "aria-describedby": hint ? `${id}-hint` : null,
  });
  const status = h("p", { class: "copy-status", role: "status", id: `${id}-status` });
  const button = h("button", { type: "button", class: "button button-quiet copy-button", id: `${id}-copy` },
    t("copy.button"));
  button.addEventListener("click", async () => {
    replaceChildren(status);
    try {
      await navigator.clipboard.writeText(url);
      replaceChildren(status, t("copy.done"));
    } catch {
      input.focus();
      input.select(); // the clipboard is closed to the page: leave the link selected to copy by hand
      replaceChildren(status, t("copy.manual"));
    }
  });
  const webcal = url.replace(/^https?:\/\//, "webcal://");
  return h("div", { class: "copy-field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("div", { class: "copy-row" }, input, button),
    status,
    h("p", { class: "copy-subscribe" }, h("a", { href: webcal }, t("copy.subscribe"))));
}
