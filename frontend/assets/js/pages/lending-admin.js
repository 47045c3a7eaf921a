// "Fritidsbanken: inställningar" (lending staff and administrators): the lending sites' opening days, the
// categories and the articles (name, category, sizes, loan period, ages, consent, self-service, photo). Staff
// whose grant is narrowed to sites set their own sites' days and see the catalogue without changing it (the
// API refuses them the catalogue's writes).
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { problemText } from "../booking-ui.js";
import { statusRegion } from "../setup-ui.js";
import { STATUS_ID } from "../lending-admin-ui.js";
import { sitesSection } from "../lending-admin-sites.js";
import { categoriesSection } from "../lending-admin-categories.js";
import { articlesSection } from "../lending-admin-articles.js";

const root = document.getElementById("lending-admin-page");
const data = {
  access: null, error: null, slug: "", canEdit: false, sites: [], categories: [], articles: [],
  editingSite: null, editingCategory: null, editingArticle: null, busy: false,
};

/** Whether the account changes the catalogue: an administrator, or lending staff for the whole municipality. */
function catalogueEditor(session) {
  const grants = session.account.roles ?? [];
  return grants.some((g) => g.role === "admin" || (g.role === "lending_staff" && !g.scope_id));
}

const FETCH = {
  sites: async () => {
    data.sites = await api("/api/lending/sites");
  },
  categories: async () => {
    data.categories = await api(`/api/lending/categories?${new URLSearchParams({ municipality: data.slug })}`);
  },
  articles: async () => {
    data.articles = await api("/api/lending/articles");
  },
};

async function refresh(...what) {
  await Promise.all(what.map((name) => FETCH[name]()));
}

async function load(state) {
  if (!state.session) {
    if (state.sessionError) {
      data.access = "error";
      data.error = state.sessionError;
    } else {
      data.access = "redirecting";
      window.location.replace(loginUrl("/lending-admin.html"));
    }
    return;
  }
  if (!hasRole(state.session, "lending_staff")) {
    data.access = "forbidden";
    return;
  }
  try {
    data.slug = (await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`)).slug;
    data.canEdit = catalogueEditor(state.session);
    await refresh("sites", "categories", "articles");
    data.access = "staff";
  } catch (error) {
    data.access = "error";
    data.error = error;
  }
}

const ctx = { data, refresh, draw };

function draw() {
  replaceChildren(root,
    statusRegion(STATUS_ID),
    sitesSection(ctx),
    data.canEdit ? null : h("p", { class: "notice", id: "catalogue-read-only" }, t("lendingAdmin.catalogueReadOnly")),
    categoriesSection(ctx),
    articlesSection(ctx));
}

function render(state) {
  if (state.loading) return;
  if (data.access === "forbidden") replaceChildren(root, h("p", { class: "notice" }, t("lendingAdmin.notAllowed")));
  else if (data.access === "error") {
    replaceChildren(root, h("p", { class: "alert alert-error", role: "alert" }, problemText(data.error)));
  } else if (data.access === "staff") draw();
}

startPage({ current: "lendingAdmin", titleKey: "lendingAdmin.title", load, render });
