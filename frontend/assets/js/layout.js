// The frame every page shares: header with navigation (by sign-in state), footer with the
// language switch. Links appear only for pages that exist.
import { h, replaceChildren } from "./dom.js";
import { LOCALES, locale, setLocale, t } from "./i18n.js";
import { canDecide, loginUrl, logout } from "./session.js";
import * as allocationNav from "./nav/allocation.js";
import * as lendingNav from "./nav/lending.js";
import * as activitiesNav from "./nav/activities.js";
import * as circulationNav from "./nav/circulation.js";
import * as setupNav from "./nav/setup.js";
import * as peopleNav from "./nav/people.js";
import * as importsNav from "./nav/imports.js";
import * as lendingAdminNav from "./nav/lending-admin.js";
import * as associationsNav from "./nav/associations.js";
import * as signInNav from "./nav/sign-in.js";
import * as profilesNav from "./nav/profiles.js";
import * as matchingRequestsNav from "./nav/matching-requests.js";
import * as drawNav from "./nav/draw.js";

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

// Staff tools are grouped behind one "Personal" disclosure (by capability), so the menu stays short
// for staff and admins; everything else (public pages and one's own) stays in the row.
const STAFF_GROUPS = [
  ["premises", ["approvals", "siteCalendar", "closed", "fees", "checkIn"], ["allocation.nav.staff", "associations.nav.admin", "profiles.nav.staff"]],
  ["lending", [], ["lending.nav.borrowers", "lending.nav.labels", "lending.nav.items", "lending.nav.donations",
    "lending.nav.stockcount", "lending.nav.stats", "circulation.nav.desk", "lendingAdmin.nav.link",
    "imports.nav.lending", "matchingRequests.nav.counter"]],
  ["activities", [], ["activities.nav.admin", "activities.nav.followUp", "draw.nav.staff",
    "matchingRequests.nav.followUp"]],
  ["admin", [], [...setupNav.LINKS.map((link) => link.label), "imports.nav.link", "signIn.nav.link"]],
  ["people", [], ["people.nav.accounts", "people.nav.audit"]],
];

function staffGroupOf(link) {
  const found = STAFF_GROUPS.find(([, keys, labels]) => keys.includes(link.key) && !link.label
    || labels.includes(link.label));
  return found ? found[0] : null;
}

function linkItem(link, current) {
  return h("li", {}, h("a", { href: link.href, "aria-current": link.key === current ? "page" : null },
    link.label ? t(link.label) : t(`nav.${link.key}`)));
}

function staffMenu(groups, current) {
  // Filled when opened and emptied when closed: closed, its links are not in the page at all.
  const panel = h("div", { class: "staff-menu", id: "staff-menu", hidden: "" });
  const fill = () => replaceChildren(panel, groups.map(([name, links]) => h("div", { class: "staff-menu-group" },
    h("p", { class: "staff-menu-heading", id: `staff-menu-${name}` }, t(`nav.staffGroups.${name}`)),
    h("ul", { "aria-labelledby": `staff-menu-${name}` }, links.map((link) => linkItem(link, current))))));
  const here = groups.some(([, links]) => links.some((link) => link.key === current));
  const button = h("button", {
    type: "button", class: `staff-menu-button${here ? " is-current" : ""}`, "aria-expanded": "false",
    "aria-controls": "staff-menu",
  }, t("nav.staff"));
  const item = h("li", { class: "staff-menu-item" }, button, panel);
  const close = (focusButton) => {
    button.setAttribute("aria-expanded", "false");
    panel.hidden = true;
    replaceChildren(panel);
    if (focusButton) button.focus();
  };
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    if (!open) {
      close(false);
      return;
    }
    fill();
    button.setAttribute("aria-expanded", "true");
    panel.hidden = false;
  });
  item.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) close(true);
  });
  document.addEventListener("click", (event) => {
    if (!panel.hidden && !item.contains(event.target)) close(false);
  });
  item.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !item.contains(event.relatedTarget)) close(false);
  });
  return item;
}

export function renderHeader(container, { session, current }) {
  const links = [{ key: "home", href: PAGES.home }, { key: "sites", href: PAGES.sites }];
  // The capabilities' own pages (public ones too), each module deciding by the session.
  for (const part of [allocationNav, lendingNav, circulationNav, activitiesNav]) links.push(...part.links(session));
  links.push(...drawNav.links(session));
  links.push(...lendingAdminNav.links(session));
  links.push(...setupNav.links(session));
  links.push(...peopleNav.links(session));
  links.push(...associationsNav.links(session));
  links.push(...profilesNav.links(session));
  links.push(...matchingRequestsNav.links(session));
  if (session) {
    links.push({ key: "bookings", href: PAGES.bookings });
    if (canDecide(session)) {
      for (const key of ["approvals", "siteCalendar", "closed", "fees", "checkIn"]) links.push({ key, href: PAGES[key] });
    }
    links.push(...importsNav.links(session));
    links.push(...signInNav.links(session));
    links.push({ key: "account", href: PAGES.account });
  }
  const groups = new Map();
  const items = [];
  for (const link of links) {
    const group = staffGroupOf(link);
    if (group) {
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push(link);
    } else {
      items.push(linkItem(link, current));
    }
  }
  if (groups.size) {
    const ordered = STAFF_GROUPS.filter(([name]) => groups.has(name)).map(([name]) => [name, groups.get(name)]);
    items.splice(items.length - 1, 0, staffMenu(ordered, current)); // before "Mitt konto"
  }
  let user = null;
  if (session) {
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
