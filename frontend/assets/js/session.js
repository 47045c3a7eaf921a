// Who is signed in. The session cookie is HttpOnly; its readable CSRF twin tells whether a
// session may exist, so anonymous visitors are not sent to /api/auth/me only to get a 401.
import { api, ApiError, CSRF_COOKIE, clearCsrfCookie, readCookie } from "./api.js";

/** The signed-in account ({account, csrf_token}) or null. */
export async function loadSession() {
  if (!readCookie(CSRF_COOKIE)) return null;
  try {
    return await api("/api/auth/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      clearCsrfCookie(); // the session ended on the server: forget its leftovers
      return null;
    }
    throw error;
  }
}

export async function logout() {
  try {
    await api("/api/auth/logout", { method: "POST" });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    clearCsrfCookie(); // already signed out on the server
  }
}

/** A same-origin path to return to after signing in, or null for anything else (no open redirect). */
export function safeNext(value) {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  try {
    const url = new URL(value, window.location.origin);
    if (url.origin !== window.location.origin) return null;
    if (url.pathname === "/login.html") return null;
    return url.pathname + url.search + url.hash;
  } catch {
    return null;
  }
}

export function loginUrl(next) {
  const target = safeNext(next);
  return target && target !== "/" ? `/login.html?next=${encodeURIComponent(target)}` : "/login.html";
}
