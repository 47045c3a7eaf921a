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

/** Whether the account holds one of `roles` (an administrator holds them all). */
export function hasRole(session, ...roles) {
  const held = new Set((session?.account?.roles ?? []).map((grant) => grant.role));
  return held.has("admin") || roles.some((role) => held.has(role));
}

/** Premises staff decide on requests; they and association representatives may ask for times. */
export function canDecide(session) {
  return hasRole(session, "premises_staff");
}

export function canRequest(session) {
  return hasRole(session, "premises_staff", "association_rep");
}

/** The associations the account represents (ids from its scoped grants). */
export function representedAssociations(session) {
  return (session?.account?.roles ?? [])
    .filter((grant) => grant.role === "association_rep" && grant.scope_id)
    .map((grant) => grant.scope_id);
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
