// Holiday draws (önskemål och lottning): what the wish list, the staff's draw page and the activities pages
// share. The periods in draw mode, a session's period, a wish's outcome in words, and wall times in the
// municipality's zone (the API wants instants with an offset; inputs show local time).
import { api } from "./api.js";
import { DEFAULT_TIME_ZONE, formatDateTime, t } from "./i18n.js";
import { todayIn } from "./dates.js";

export const REASONS = ["granted", "full", "age", "overlap", "max", "gone", "by_staff", "removed_by_staff"];

/** A wish's outcome in the reader's language: the contract's reason codes, with the wish's rank. */
export function reasonText(reason, rank) {
  return REASONS.includes(reason) ? t(`draw.reasons.${reason}`, { rank }) : String(reason ?? "");
}

/**
 * The draw of a holiday period, or null when the period is first come: the municipality's holiday list
 * carries each period's draw (`draw`, null for first come), so no period is asked for one it lacks.
 */
export async function drawOfPeriod(periodId) {
  const periods = await api("/api/holiday-periods");
  return periods.find((p) => p.id === periodId)?.draw ?? null;
}

/** The period a session lies in: its local date within the period's days. */
export function periodOf(periods, session) {
  return periods.find((p) => p.first_day <= session.local_date && session.local_date <= p.last_day) ?? null;
}

/**
 * The draws of the periods that have not ended and hold one of `sessions` (all periods not ended when
 * `sessions` is not given): Map period id -> draw. Periods without a draw are first come and left out.
 */
export function drawsOf(periods, sessions, timeZone = DEFAULT_TIME_ZONE) {
  const today = todayIn(timeZone);
  const wanted = periods.filter((p) => p.last_day >= today
    && (!sessions || sessions.some((s) => periodOf([p], s))));
  return new Map(wanted.filter((p) => p.draw).map((p) => [p.id, p.draw]));
}

/** Whether the draw still takes wishes (before its deadline, not published). */
export function wishesOpen(draw, now = Date.now()) {
  return draw.status !== "published" && now < Date.parse(draw.wishes_close_at);
}

/** "Önskemål till och med ..." / "Önskemålen stängde ..." / "Lottningen är klar". */
export function deadlineText(draw, timeZone = DEFAULT_TIME_ZONE) {
  if (draw.status === "published") return t("draw.published");
  const when = formatDateTime(draw.wishes_close_at, timeZone);
  return wishesOpen(draw) ? t("draw.wishesUntil", { when }) : t("draw.wishesClosed", { when });
}

// --- wall time in a zone <-> an instant -----------------------------------------------------------------

function wallFormat(timeZone) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

/** An instant as the value of a datetime-local input ("2026-12-10T12:00") in `timeZone`. */
export function toWall(iso, timeZone = DEFAULT_TIME_ZONE) {
  return iso ? wallFormat(timeZone).format(new Date(iso)).replace(" ", "T") : "";
}

/** A datetime-local value in `timeZone` as an instant (ISO 8601, UTC); null when empty or unreadable. */
export function fromWall(wall, timeZone = DEFAULT_TIME_ZONE) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(wall ?? "")) return null;
  const guess = new Date(`${wall.slice(0, 16)}:00Z`);
  if (Number.isNaN(guess.getTime())) return null;
  let instant = guess.getTime();
  for (let i = 0; i < 2; i += 1) { // twice: the offset at the guess may differ from the offset at the answer
    const offset = new Date(`${toWall(new Date(instant).toISOString(), timeZone)}:00Z`) - instant;
    instant = guess.getTime() - offset;
  }
  return new Date(instant).toISOString();
}
