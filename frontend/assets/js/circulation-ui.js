// Shared parts of the circulation pages (desk, item page on the phone, the borrower's loans): what a scan
// is, feedback in words + icon + colour + a short sound, the borrower's session token, refusal reasons.
import { ApiError, NetworkError } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { hasText, locale, t } from "./i18n.js";

const CODE = /^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{9}$/;

function luhnValid(digits) {
  let total = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

/** The code part of a label's URL (…/Q/CODE on labels, …/q/code on older ones); other text as it is. */
export function labelCodeOf(raw) {
  const text = String(raw ?? "").trim();
  const at = text.toLowerCase().lastIndexOf("/q/");
  return at < 0 ? text : text.slice(at + 3).split(/[?#/]/)[0];
}

/** What a scanner (or a person) typed: {kind: "card", value} | {kind: "item", value} | {kind: "unknown"}. */
export function classifyScan(raw) {
  const text = labelCodeOf(raw);
  const compact = text.replace(/[\s-]/g, "");
  if (/^\d{10}$/.test(compact) && luhnValid(compact)) return { kind: "card", value: compact };
  const code = compact.toUpperCase();
  if (CODE.test(code)) return { kind: "item", value: code };
  return { kind: "unknown", value: text };
}

// --- feedback ---------------------------------------------------------------------------------------

let audio = null;

/** A short tone: high and rising for OK, low and longer for an error (WebAudio; silent where missing). */
export function beep(ok) {
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = ok ? "sine" : "square";
    oscillator.frequency.setValueAtTime(ok ? 880 : 220, audio.currentTime);
    if (ok) oscillator.frequency.setValueAtTime(1320, audio.currentTime + 0.08);
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + (ok ? 0.18 : 0.4));
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + (ok ? 0.2 : 0.42));
  } catch {
    // no sound is no failure: the words and the icon carry the message
  }
}

/** Show `text` in the status (ok) or alert (error) region, the other one emptied; with icon and sound. */
export function feedback(statusEl, alertEl, ok, text, { sound = true } = {}) {
  const target = ok ? statusEl : alertEl;
  replaceChildren(ok ? alertEl : statusEl);
  statusEl.className = "desk-feedback";
  alertEl.className = "desk-feedback";
  target.className = `desk-feedback ${ok ? "is-ok" : "is-error"}`;
  replaceChildren(target,
    h("span", { class: "desk-icon", "aria-hidden": "true" }, ok ? "✔" : "✖"),
    h("span", {}, h("span", { class: "visually-hidden" }, `${t(ok ? "circulation.desk.ok" : "circulation.desk.error")}: `),
      text));
  if (sound) beep(ok);
}

/** The words for an API refusal: each reason code in the reader's language, else the API's message. */
export function problemWords(error) {
  if (error instanceof NetworkError) return t("errors.network");
  if (!(error instanceof ApiError)) return String(error?.message ?? error);
  const items = [...(error.problem.errors ?? []), ...(error.problem.conflicts ?? [])];
  const words = items.map((e) => {
    const code = e.code ?? e.reason;
    return code && hasText(`circulation.reasons.${code}`) ? t(`circulation.reasons.${code}`) : e.message;
  }).filter(Boolean);
  return words.length ? [...new Set(words)].join(" ") : error.problem.detail || error.message;
}

export function articleName(thing) {
  return thing.variant ? `${thing.article} (${thing.variant})` : thing.article;
}

// --- the borrower's session on the phone ---------------------------------------------------------

const TOKEN_KEY = "booking.borrowerToken";
const NAME_KEY = "booking.borrowerName";

export function borrowerSession() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { token, name: sessionStorage.getItem(NAME_KEY) ?? "" } : null;
}

export function forgetBorrower() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(NAME_KEY);
}

/** JSON API calls with the borrower's token as the X-Borrower-Token header (no cookie: nothing to forge). */
export async function borrowerApi(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json, application/problem+json", "Accept-Language": locale() };
  const session = borrowerSession();
  if (session) headers["X-Borrower-Token"] = session.token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit" });
  } catch (error) {
    throw new NetworkError(error);
  }
  const type = response.headers.get("Content-Type") ?? "";
  const data = response.status !== 204 && type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (data?.errors?.some((e) => e.field === "X-Borrower-Token")) {
      forgetBorrower();
      error.sessionEnded = true;
    }
    throw error;
  }
  return data;
}

export async function signInBorrower(cardNumber, pin) {
  const session = await borrowerApi("/api/lending/self-service/sessions", {
    method: "POST", body: { card_number: cardNumber, pin } });
  sessionStorage.setItem(TOKEN_KEY, session.token);
  sessionStorage.setItem(NAME_KEY, session.name);
  return session;
}

/** Words for a failed sign-in. */
export function signInProblem(error) {
  if (error instanceof ApiError && error.status === 401) return t("circulation.item.wrongPin");
  if (error instanceof ApiError && error.status === 429) return t("circulation.item.tooMany");
  return problemWords(error);
}
