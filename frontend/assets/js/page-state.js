// A signed-in page's states before (or instead of) itself, the same on each such page: nobody signed in
// (off to the sign-in page), and what it shows instead: nothing while it loads or leaves, the session's
// failure in its status line, that the account's roles do not reach the page, or that loading failed (an
// alert in place of the page).
import { h, replaceChildren } from "./dom.js";
import { loginUrl } from "./session.js";
import { problemText } from "./booking-ui.js";

/**
 * Whether someone is signed in, so that the page may load. Nobody: off to sign in and back to `path`
 * (`data.redirecting`), unless the session could not be read (drawnInstead says so).
 */
export function signedIn(state, data, path) {
  if (state.session) return true;
  if (!state.sessionError) {
    data.redirecting = true;
    window.location.replace(loginUrl(path));
  }
  return false;
}

/**
 * Draws what stands in for the page and says so (true), or leaves the page to draw itself (false).
 * `data` is the page's loaded state ({redirecting, allowed, error}); `status` its status line and `root`
 * its content; `notAllowed` and `loadFailed` are the page's own texts for those states. Without `notAllowed`
 * every signed-in account may see the page (`data.allowed` unread).
 */
export function drawnInstead(state, data, { status, root, notAllowed, loadFailed }) {
  if (state.loading || data.redirecting) return true;
  if (!state.session) {
    status.textContent = problemText(state.sessionError);
    return true;
  }
  if (notAllowed && !data.allowed) {
    status.textContent = notAllowed;
    return true;
  }
  if (data.error) {
    replaceChildren(root, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${loadFailed} ${problemText(data.error)}`)));
    return true;
  }
  return false;
}
