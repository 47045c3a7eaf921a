// The JSON API: same-origin fetch with the session cookie, CSRF header on writes, and
// RFC 9457 problem+json turned into ApiError.
import { locale } from "./i18n.js";

export const CSRF_COOKIE = "booking_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const PAGE_SIZE = 200; // the API's largest page

/** An answer that was not 2xx; `problem` is the problem+json body when there was one. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem ?? {};
    this.type = this.problem.type ?? "";
    this.retryAfter = retryAfter;
  }
}

/** The request never got an answer (offline, server down). */
export class NetworkError extends Error {
  constructor(cause) {
    super("network error");
    this.name = "NetworkError";
    this.cause = cause;
  }
}

export function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

export function clearCsrfCookie() {
  document.cookie = `${CSRF_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
}

/**
 * idempotencyKey: sent as Idempotency-Key on creating POSTs, so a retry of the same request
 * (after a lost answer) cannot create twice.
 */
export async function api(path, { method = "GET", body, signal, idempotencyKey } = {}) {
  const headers = { Accept: "application/json, application/problem+json", "Accept-Language": locale() };
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!SAFE_METHODS.has(method)) {
    const token = readCookie(CSRF_COOKIE);
    if (token) headers["X-CSRF-Token"] = token;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new NetworkError(error);
  }
  const type = response.headers.get("Content-Type") ?? "";
  const data = response.status !== 204 && type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const retry = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
    throw new ApiError(response.status, data, Number.isFinite(retry) ? retry : undefined);
  }
  return data;
}

/** Every item of a paginated list, page by page. */
export async function fetchAll(path, params = {}) {
  const items = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const query = new URLSearchParams({ ...params, limit: String(PAGE_SIZE), offset: String(offset) });
    const page = await api(`${path}?${query}`);
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}
