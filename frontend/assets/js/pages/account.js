// "Mitt konto": who is signed in, in which municipality, with which roles. Anonymous visitors
// are sent to sign in and brought back here.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll, NetworkError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { DEFAULT_TIME_ZONE, formatDateTime, hasText, t } from "../i18n.js";
import { signedIn } from "../page-state.js";

const content = document.getElementById("account-content");
const data = { municipality: null, scopeNames: new Map(), redirecting: false };

// Roles whose grant names an association; other scoped grants name a site.
const ASSOCIATION_ROLES = new Set(["association_rep"]);

/** Names of the things the account's scoped grants are for (associations, sites). */
async function loadScopeNames(grants) {
  const names = new Map();
  const associationIds = new Set(grants.filter((g) => ASSOCIATION_ROLES.has(g.role)).map((g) => g.scope_id));
  const siteIds = new Set(grants.filter((g) => !ASSOCIATION_ROLES.has(g.role)).map((g) => g.scope_id));
  const lookups = [];
  if (associationIds.size) {
    // The list holds exactly the associations this account may see, so one request names them all.
    lookups.push(fetchAll("/api/associations").then((associations) => {
      for (const association of associations) {
        if (associationIds.has(association.id)) names.set(association.id, association.name);
      }
    }));
  }
  for (const id of siteIds) {
    lookups.push(api(`/api/sites/${encodeURIComponent(id)}`).then((site) => names.set(id, site.name)));
  }
  await Promise.allSettled(lookups); // a name that cannot be had leaves the role without it
  return names;
}

async function load(state) {
  if (!signedIn(state, data, "/account.html")) return;
  const { account } = state.session;
  const [municipality, names] = await Promise.allSettled([
    api(`/api/municipalities/${encodeURIComponent(account.municipality_id)}`),
    loadScopeNames(account.roles.filter((grant) => grant.scope_id)),
  ]);
  if (municipality.status === "fulfilled") data.municipality = municipality.value;
  if (names.status === "fulfilled") data.scopeNames = names.value;
}

function fact(term, ...value) {
  return h("div", {}, h("dt", {}, term), h("dd", {}, ...value));
}

function when(iso) {
  const zone = data.municipality?.timezone ?? DEFAULT_TIME_ZONE;
  return h("time", { datetime: iso }, formatDateTime(iso, zone));
}

function roleText(grant) {
  const role = hasText(`roles.${grant.role}`) ? t(`roles.${grant.role}`) : grant.role;
  const scope = grant.scope_id ? data.scopeNames.get(grant.scope_id) : null;
  return scope ? t("account.roleFor", { role, scope }) : role;
}

function render(state) {
  if (state.loading || data.redirecting) {
    replaceChildren(content);
    return;
  }
  if (!state.session) {
    const error = state.sessionError;
    const reason = error instanceof NetworkError ? t("errors.network")
      : error instanceof ApiError && error.status >= 500 ? t("errors.server") : t("account.loadFailed");
    const retry = h("button", { type: "button", class: "button" }, t("errors.retry"));
    retry.addEventListener("click", () => window.location.reload());
    replaceChildren(content, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, reason), h("p", {}, retry)));
    return;
  }
  const { account } = state.session;
  replaceChildren(content,
    h("h2", {}, t("account.details")),
    h("dl", { class: "facts facts-stacked", id: "account-details" },
      fact(t("account.name"), account.display_name),
      fact(t("account.email"), account.email),
      data.municipality ? fact(t("account.municipality"), data.municipality.name) : null,
      account.last_login_at ? fact(t("account.lastLogin"), when(account.last_login_at)) : null,
      fact(t("account.memberSince"), when(account.created_at))),
    h("h2", {}, t("account.rolesHeading")),
    account.roles.length
      ? h("ul", { class: "roles", id: "account-roles" }, account.roles.map((grant) => h("li", {}, roleText(grant))))
      : h("p", {}, t("account.noRoles")),
    h("p", { class: "muted" }, t("account.rolesNote")),
    h("p", {}, h("a", { href: "/association.html", id: "account-association-link" }, t("associations.mine.accountLink"))));
}

startPage({ current: "account", titleKey: "account.title", load, render });
