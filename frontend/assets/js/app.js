// Starting a page: language, session, the shared frame, then the page's own content.
// A page module calls startPage({current, titleKey, load, render}). <main> is aria-busy in the
// HTML until the page has loaded what it shows.
import { renderFooter, renderHeader } from "./layout.js";
import { loadLocale, onLocaleChange, storedLocale, t, translateDom } from "./i18n.js";
import { loadSession } from "./session.js";

/**
 * current:  which navigation entry is this page ("home", "sites", ...)
 * titleKey: catalogue key of the page's name, used in <title>
 * load(state):   fetches what the page shows (may redirect); runs once
 * render(state): draws the page from state in the current language; runs again on a language switch
 */
export async function startPage({ current, titleKey, load, render }) {
  await loadLocale(storedLocale());
  const main = document.getElementById("main");
  const header = document.getElementById("site-header");
  const footer = document.getElementById("site-footer");
  const state = { session: null, sessionError: null, loading: true };
  try {
    state.session = await loadSession();
  } catch (error) {
    state.sessionError = error; // the API is unreachable: show the anonymous frame; pages say what failed
  }

  const paint = () => {
    translateDom();
    document.title = `${t(titleKey)}${t("app.titleSeparator")}${t("app.name")}`;
    renderHeader(header, { session: state.session, current });
    renderFooter(footer);
    render?.(state);
  };
  paint();
  try {
    await load?.(state);
  } finally {
    state.loading = false;
    main.removeAttribute("aria-busy");
  }
  render?.(state);
  onLocaleChange(paint);
}
