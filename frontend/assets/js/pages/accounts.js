// "Konton" (admins): invite a person by e-mail with a role (and a site where a staff role is narrowed
// to one), list the municipality's accounts with their roles, change an account's roles and
// deactivate or reactivate it. An association representative's grants are kept as they are (they
// come from the association). The API decides; the page shows its field errors at their controls.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, formatDateTime, t } from "../i18n.js";
import { loginUrl } from "../session.js";
import { problemText } from "../booking-ui.js";
import { addError, apiErrors, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";

const $ = (id) => document.getElementById(id);
const status = $("accounts-status");
const root = $("accounts-page");
const STAFF = ["premises_staff", "activities_staff", "lending_staff"];
const GIVEN = ["admin", ...STAFF, "guardian", "borrower"]; // the roles this page gives

const isAdmin = (session) => (session?.account?.roles ?? []).some((grant) => grant.role === "admin");
const data = { allowed: false, redirecting: false, sites: [], accounts: [], error: null, me: null };
const invite = { errors: null, busy: false, values: { email: "", name: "", locale: "sv", role: "premises_staff",
  site: "" } };
const edit = { id: null, errors: null, busy: false, roles: new Map(), active: true };

async function loadAccounts() {
  const byName = collator();
  data.accounts = (await fetchAll("/api/accounts")).sort((a, b) => byName.compare(a.display_name, b.display_name));
}

async function load(state) {
  if (!state.session) {
    if (state.sessionError) return;
    data.redirecting = true;
    window.location.replace(loginUrl("/accounts.html"));
    return;
  }
  data.me = state.session.account.id;
  data.allowed = isAdmin(state.session);
  if (!data.allowed) return;
  try {
    const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
    const byName = collator();
    data.sites = (await fetchAll("/api/sites", { municipality: municipality.slug }))
      .sort((a, b) => byName.compare(a.name, b.name));
    await loadAccounts();
  } catch (error) {
    data.error = error;
  }
}

function siteName(id) {
  return data.sites.find((s) => s.id === id)?.name ?? t("people.accounts.unknownSite");
}

function grantText(grant) {
  const role = t(`roles.${grant.role}`);
  if (!grant.scope_id) return role;
  if (grant.role === "association_rep") return role;
  return t("people.accounts.atSite", { role, site: siteName(grant.scope_id) });
}

function siteOptions(selected) {
  return [h("option", { value: "", selected: !selected }, t("people.accounts.everySite")),
    ...data.sites.map((s) => h("option", { value: s.id, selected: s.id === selected }, s.name))];
}

// --- inviting ---------------------------------------------------------------------------------------

function inviteControl(name) {
  if (name === "email") return "inv-email";
  if (name === "display_name") return "inv-name";
  if (name === "locale") return "inv-locale";
  if (name.startsWith("roles[0].scope_id")) return "inv-site";
  if (name.startsWith("roles")) return "inv-role";
  return null;
}

async function sendInvite(event) {
  event.preventDefault();
  if (invite.busy) return;
  const v = invite.values;
  const errors = newErrors();
  if (!v.email.trim()) addError(errors, "inv-email", t("people.forgot.emailMissing"));
  else if (!$("inv-email").validity.valid) addError(errors, "inv-email", t("people.forgot.emailInvalid"));
  if (!v.name.trim()) addError(errors, "inv-name", t("people.accounts.nameMissing"));
  if (hasErrors(errors)) {
    invite.errors = errors;
    renderInvite();
    focusFirstError(errors, $("inv-alert"));
    return;
  }
  const roles = v.role ? [{ role: v.role, scope_id: STAFF.includes(v.role) && v.site ? v.site : null }] : [];
  invite.busy = true;
  invite.errors = null;
  renderInvite();
  try {
    const made = await api("/api/accounts/invitations", { method: "POST", idempotencyKey: crypto.randomUUID?.(),
      body: { email: v.email.trim(), display_name: v.name.trim(), locale: v.locale, roles } });
    Object.assign(v, { email: "", name: "" });
    invite.busy = false;
    await loadAccounts();
    renderPage();
    status.textContent = t("people.accounts.invited", { email: made.email });
    status.focus();
  } catch (error) {
    invite.busy = false;
    invite.errors = apiErrors(error, inviteControl);
    renderInvite();
    focusFirstError(invite.errors, $("inv-alert"));
  }
}

function bound(element, key, values, rerender = false) {
  element.value = values[key];
  element.addEventListener(element.tagName === "SELECT" ? "change" : "input", () => {
    values[key] = element.value;
    if (rerender) {
      renderInvite();
      $(element.id)?.focus();
    }
  });
  return element;
}

function inviteForm() {
  const v = invite.values;
  const role = bound(h("select", { id: "inv-role" },
    h("option", { value: "" }, t("people.accounts.noRole")),
    GIVEN.map((r) => h("option", { value: r }, t(`roles.${r}`)))), "role", v, true);
  const form = h("form", { id: "inv-form", class: "form form-wide", novalidate: true },
    h("div", { id: "inv-alert", class: "alert alert-error", role: "alert" }),
    field({ id: "inv-email", label: t("people.accounts.email"), control: bound(h("input", {
      id: "inv-email", type: "email", autocomplete: "off", spellcheck: "false", maxlength: "254" }), "email", v) }),
    field({ id: "inv-name", label: t("people.accounts.name"), control: bound(h("input", {
      id: "inv-name", type: "text", autocomplete: "off", maxlength: "200" }), "name", v) }),
    field({ id: "inv-locale", label: t("people.accounts.locale"), control: bound(h("select", { id: "inv-locale" },
      h("option", { value: "sv" }, "Svenska"), h("option", { value: "en", lang: "en" }, "English")), "locale", v) }),
    field({ id: "inv-role", label: t("people.accounts.role"), control: role }),
    STAFF.includes(v.role) ? field({ id: "inv-site", label: t("people.accounts.site"),
      hint: t("people.accounts.siteHint"), control: bound(h("select", { id: "inv-site" }, siteOptions(v.site)),
        "site", v) }) : null,
    h("p", { class: "hint" }, t("people.accounts.inviteHint")),
    h("button", { type: "submit", class: "button", id: "inv-submit", "aria-disabled": invite.busy ? "true" : null },
      t(invite.busy ? "people.accounts.inviting" : "people.accounts.invite")));
  form.addEventListener("submit", sendInvite);
  return form;
}

function renderInvite() {
  const holder = $("inv-holder");
  if (!holder) return;
  replaceChildren(holder, inviteForm());
  paintErrors($("inv-form"), $("inv-alert"), invite.errors);
}

// --- changing an account ------------------------------------------------------------------------------

function startEdit(account) {
  edit.id = account.id;
  edit.errors = null;
  edit.active = account.is_active;
  edit.roles = new Map(account.roles.filter((g) => g.role !== "association_rep")
    .map((g) => [g.role, g.scope_id ?? ""]));
  renderPage();
  $("edit-heading")?.focus();
}

async function saveEdit(account) {
  if (edit.busy) return;
  const roles = [...edit.roles].map(([role, site]) => ({ role, scope_id: STAFF.includes(role) && site ? site : null }));
  roles.push(...account.roles.filter((g) => g.role === "association_rep"));
  const body = { roles };
  if (edit.active !== account.is_active) body.is_active = edit.active;
  edit.busy = true;
  edit.errors = null;
  renderPage();
  try {
    const saved = await api(`/api/accounts/${encodeURIComponent(account.id)}`, { method: "PATCH", body });
    edit.busy = false;
    edit.id = null;
    await loadAccounts();
    renderPage();
    status.textContent = t("people.accounts.saved", { name: saved.display_name });
    status.focus();
  } catch (error) {
    edit.busy = false;
    edit.errors = apiErrors(error, (name) => (name === "is_active" ? "edit-active" : null));
    renderPage();
    focusFirstError(edit.errors, $("edit-alert"));
  }
}

function editForm(account) {
  const checks = GIVEN.map((role) => {
    const box = h("input", { type: "checkbox", id: `edit-role-${role}`, checked: edit.roles.has(role) });
    box.addEventListener("change", () => {
      if (box.checked) edit.roles.set(role, "");
      else edit.roles.delete(role);
      renderPage();
      $(box.id)?.focus();
    });
    const site = STAFF.includes(role) && edit.roles.has(role)
      ? h("select", { id: `edit-site-${role}`, "aria-label": t("people.accounts.siteFor", { role: t(`roles.${role}`) }) },
        siteOptions(edit.roles.get(role)))
      : null;
    site?.addEventListener("change", () => edit.roles.set(role, site.value));
    return h("div", { class: "check" }, box, h("label", { for: box.id }, t(`roles.${role}`)), site ? " " : null, site);
  });
  const active = h("input", { type: "checkbox", id: "edit-active", checked: edit.active,
    "aria-describedby": "edit-active-error" });
  active.addEventListener("change", () => { edit.active = active.checked; });
  const reps = account.roles.filter((g) => g.role === "association_rep");
  const form = h("form", { id: "edit-form", class: "form form-wide account-edit", novalidate: true },
    h("h3", { id: "edit-heading", tabindex: "-1" }, t("people.accounts.editHeading", { name: account.display_name })),
    h("div", { id: "edit-alert", class: "alert alert-error", role: "alert" }),
    h("fieldset", { class: "choices" }, h("legend", {}, t("people.accounts.roles")), checks),
    reps.length ? h("p", { class: "hint" }, t("people.accounts.repsKept", { count: reps.length })) : null,
    h("div", { class: "check" }, active, h("label", { for: "edit-active" }, t("people.accounts.active"))),
    h("p", { class: "field-error", id: "edit-active-error" }),
    h("p", { class: "hint" }, t("people.accounts.activeHint")),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "button", "aria-disabled": edit.busy ? "true" : null },
        t(edit.busy ? "people.accounts.saving" : "people.accounts.save")),
      h("button", { type: "button", class: "button button-quiet", id: "edit-cancel" }, t("people.accounts.cancel"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveEdit(account);
  });
  form.querySelector("#edit-cancel").addEventListener("click", () => {
    edit.id = null;
    renderPage();
    $(`edit-${account.id}`)?.focus();
  });
  return form;
}

// --- the list -------------------------------------------------------------------------------------------

function accountRow(account) {
  const change = h("button", { type: "button", class: "button button-quiet button-small", id: `edit-${account.id}`,
    "aria-expanded": String(edit.id === account.id) },
  t("people.accounts.change"), h("span", { class: "visually-hidden" }, ` ${account.display_name}`));
  change.addEventListener("click", () => startEdit(account));
  const roles = account.roles.length ? account.roles.map(grantText).join(", ") : t("people.accounts.noRoles");
  return h("li", { "data-account": account.id },
    h("span", { class: "item-text" },
      h("strong", {}, account.display_name), account.is_active ? null : ` (${t("people.accounts.inactive")})`,
      h("br"), account.email, h("br"), roles, h("br"),
      account.last_login_at ? t("people.accounts.lastLogin", { when: formatDateTime(account.last_login_at) })
        : t("people.accounts.neverSignedIn")),
    change,
    edit.id === account.id ? editForm(account) : null);
}

function renderPage() {
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "inv-heading" },
      h("h2", { id: "inv-heading" }, t("people.accounts.inviteHeading")),
      h("div", { id: "inv-holder" })),
    h("section", { class: "section", "aria-labelledby": "list-heading" },
      h("h2", { id: "list-heading" }, t("people.accounts.listHeading")),
      h("p", {}, h("a", { href: "/audit.html?entity=account" }, t("people.accounts.auditLink"))),
      h("ul", { class: "item-list", id: "account-list" }, data.accounts.map(accountRow))));
  renderInvite();
  if (edit.id) paintErrors($("edit-form"), $("edit-alert"), edit.errors);
}

function render(state) {
  if (state.loading || data.redirecting) return;
  if (!state.session) {
    status.textContent = problemText(state.sessionError);
    return;
  }
  if (!data.allowed) {
    status.textContent = t("people.accounts.notAllowed");
    return;
  }
  if (data.error) {
    replaceChildren(root, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("people.accounts.loadFailed")} ${problemText(data.error)}`)));
    return;
  }
  renderPage();
}

startPage({ current: "accounts", titleKey: "people.accounts.title", load, render });
