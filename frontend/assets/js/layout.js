// The frame every page shares: header with navigation (by sign-in state), footer with the
// language switch. Links appear only for pages that exist.
import { h, replaceChildren } from "./dom.js";
import { LOCALES, locale, setLocale, t } from "./i18n.js";
import { canDecide, loginUrl, logout } from "./session.js";
import * as allocationNav from "./nav/allocation.js";
import * as lendingNav from "./nav/lending.js";
import * as activitiesNav from "./nav/activities.js";
import * as circulationNav from "./nav/circulation.js";

const PAGES = {
  home: "/",
  sites: "/sites.html",
  login: "/login.html",
  bookings: "/bookings.html",
  approvals: "/approvals.html",
  siteCalendar: "/site-calendar.html",
  closed: "/closed.html",
  fees: "/fees.html",
  checkIn: "/check-in.html",
  account: "/account.html",
};

function navLink(key, current, href = PAGES[key]) {
  return h("li", {}, h("a", { href, "aria-current": key === current ? "page" : null }, t(`nav.${key}`)));
}

function here() {
  return window.location.pathname + window.location.search;
}

export function renderHeader(container, { session, current }) {
  const items = [navLink("home", current), navLink("sites", current)];
  // The capabilities' own pages (public ones too), each module deciding by the session.
  for (const part of [allocationNav, lendingNav, circulationNav, activitiesNav]) {
    for (const link of part.links(session)) {
      items.push(h("li", {}, h("a", { href: link.href, "aria-current": link.key === current ? "page" : null },
        t(link.label))));
    }
  }
  let user = null;
  if (session) {
    items.push(navLink("bookings", current));
    if (canDecide(session)) {
      items.push(navLink("approvals", current), navLink("siteCalendar", current), navLink("closed", current),
        navLink("fees", current), navLink("checkIn", current));
    }
    items.push(navLink("account", current));
    const alert = h("div", { class: "alert alert-error header-alert", role: "alert" });
    const button = h("button", { type: "button", class: "button button-quiet", id: "logout-button" },
      t("layout.logout"));
    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      button.textContent = t("layout.loggingOut");
      try {
        await logout();
        window.location.assign("/");
      } catch {
        button.removeAttribute("aria-disabled");
        button.textContent = t("layout.logout");
        replaceChildren(alert, t("layout.logoutFailed"));
      }
    });
    user = h("div", { class: "user" },
      h("p", { class: "user-name" },
        h("span", { class: "visually-hidden" }, `${t("layout.signedInAs")} `),
        session.account.display_name),
      button,
      alert);
  } else {
    const keepPlace = current === "home" || current === "login" || current === "notFound";
    items.push(navLink("login", current, keepPlace ? PAGES.login : loginUrl(here())));
  }
  replaceChildren(container,
    h("div", { class: "header-inner" },
      h("a", { class: "brand", href: "/" },
        h("img", { src: "/assets/img/logo.svg", alt: "", width: "32", height: "32" }),
        h("span", {}, t("app.name"))),
      h("nav", { class: "site-nav", "aria-label": t("layout.navLabel") },
        h("ul", { class: "nav-list" }, items)),
      user));
}

export function renderFooter(container) {
  const buttons = Object.entries(LOCALES).map(([code, name]) => {
    const pressed = code === locale();
    const button = h("button", {
      type: "button", class: "language-button", lang: code, "aria-pressed": String(pressed),
    }, name);
    button.addEventListener("click", async () => {
      if (code === locale()) return;
      await setLocale(code);
      container.querySelector(`.language-button[lang="${code}"]`)?.focus();
    });
    return h("li", {}, button);
  });
  replaceChildren(container,
    h("div", { class: "footer-inner" },
      h("div", { class: "language", role: "group", "aria-labelledby": "language-heading" },
        h("h2", { class: "footer-heading", id: "language-heading" }, t("footer.languageHeading")),
        h("ul", { class: "language-list" }, buttons)),
      h("p", { class: "footer-about" }, t("footer.about")),
      h("p", {}, h("a", { href: "/schema" }, t("footer.api")))));
}
