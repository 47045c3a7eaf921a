// Borrowers (staff of Fritidsbanken): find a borrower by name, mobile or card number; register one at the
// desk (a child with a guardian and consents); block, unblock, replace a lost card, print the card.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { apiErrors, field, focusFirstError, paintErrors } from "../forms.js";

const denied = document.getElementById("borrowers-denied");
const area = document.getElementById("borrowers-area");
const searchForm = document.getElementById("search-form");
const searchStatus = document.getElementById("search-status");
const searchResults = document.getElementById("search-results");
const detail = document.getElementById("detail");
const detailHeading = document.getElementById("detail-heading");
const detailAlert = document.getElementById("detail-alert");
const detailBody = document.getElementById("detail-body");
const detailStatus = document.getElementById("detail-status");
const registerForm = document.getElementById("register-form");
const registerAlert = document.getElementById("register-alert");
const registerStatus = document.getElementById("register-status");

const REG = { name: "reg-name", mobile: "reg-mobile", email: "reg-email", birth_year: "reg-year",
  gender: "reg-gender", area_id: "reg-area", guardian_id: "reg-guardian", consent_category_ids: "reg-consents" };
const data = { allowed: false, areas: [], categories: [], found: null, total: 0, current: null };

function cardText(number) {
  return number ? `${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}` : t("lending.borrowers.noCard");
}

async function load(state) {
  data.allowed = hasRole(state.session, "lending_staff");
  if (!data.allowed) return;
  const municipalities = await fetchAll("/api/municipalities");
  const mine = municipalities.find((m) => m.id === state.session.account?.municipality_id) ?? municipalities[0];
  const [areas, categories] = await Promise.all([
    fetchAll("/api/areas", { municipality: mine.slug }),
    api(`/api/lending/categories?municipality=${encodeURIComponent(mine.slug)}`),
  ]);
  data.areas = areas.sort((a, b) => collator().compare(a.name, b.name));
  data.categories = categories.filter((c) => !c.parent_id).sort((a, b) => collator().compare(a.name, b.name));
}

async function search(q) {
  const page = await api(`/api/lending/borrowers?${new URLSearchParams({ q, limit: "50" })}`);
  data.found = page.items;
  data.total = page.total;
  renderResults();
  renderRegisterForm();
}

function renderResults() {
  if (data.found === null) return;
  searchStatus.textContent = data.total ? t("lending.borrowers.count", { count: data.total }) : t("lending.borrowers.none");
  if (!data.found.length) {
    replaceChildren(searchResults);
    return;
  }
  replaceChildren(searchResults, h("table", { class: "lending-table" },
    h("thead", {}, h("tr", {}, ["name", "born", "card", "state"].map((k) => h("th", { scope: "col" },
      t(`lending.borrowers.${k}`))))),
    h("tbody", {}, data.found.map((b) => h("tr", {},
      h("td", {}, h("button", { type: "button", class: "button button-quiet", "aria-label": t("lending.borrowers.open", { name: b.name }),
        onclick: () => openBorrower(b.id) }, b.name)),
      h("td", {}, String(b.birth_year)),
      h("td", {}, cardText(b.card_number)),
      h("td", {}, b.blocked_reason ? t("lending.borrowers.blocked", { reason: b.blocked_reason }) : t("lending.borrowers.active")))))));
}

async function openBorrower(id) {
  data.current = await api(`/api/lending/borrowers/${id}`);
  detailStatus.textContent = "";
  paintErrors(detailBody, detailAlert, null);
  renderDetail();
  detailHeading.focus();
}

async function act(path, method, body, message) {
  try {
    const answer = await api(path, { method, body });
    if (answer?.number) {
      data.current = await api(`/api/lending/borrowers/${data.current.id}`);
      detailStatus.textContent = t("lending.borrowers.replaced", { card: cardText(answer.number) });
    } else {
      data.current = answer;
      detailStatus.textContent = message;
    }
    paintErrors(detailBody, detailAlert, null);
    renderDetail();
  } catch (error) {
    detailStatus.textContent = "";
    const errors = apiErrors(error, (name) => (name === "reason" ? "block-reason" : null));
    paintErrors(detailBody, detailAlert, errors, "lending.borrowers.fix");
    focusFirstError(errors, detailAlert);
  }
}

function renderDetail() {
  const b = data.current;
  if (!b) {
    detail.hidden = true;
    return;
  }
  detail.hidden = false;
  detailHeading.textContent = t("lending.borrowers.detailHeading", { name: b.name });
  const consented = new Set((b.consents ?? []).map((c) => c.category_id));
  const reason = h("input", { id: "block-reason", name: "reason", type: "text" });
  replaceChildren(detailBody,
    h("p", {}, t("lending.borrowers.cardNumber", { card: cardText(b.card_number) })),
    b.blocked_reason ? h("p", { class: "alert alert-error" }, t("lending.borrowers.blocked", { reason: b.blocked_reason })) : null,
    h("ul", { class: "link-list" },
      b.card_number ? h("li", {}, h("a", { href: `/api/lending/borrowers/${b.id}/card.pdf` }, t("lending.borrowers.printCard"))) : null,
      h("li", {}, h("button", { type: "button", class: "button button-quiet",
        onclick: () => act(`/api/lending/borrowers/${b.id}/card`, "POST", undefined, "") }, t("lending.borrowers.replaceCard")))),
    b.blocked_reason
      ? h("button", { type: "button", class: "button", onclick: () => act(`/api/lending/borrowers/${b.id}/block`, "DELETE",
        undefined, t("lending.borrowers.unblockedNow")) }, t("lending.borrowers.unblock"))
      : h("form", { class: "form", novalidate: true, onsubmit: (event) => {
        event.preventDefault();
        act(`/api/lending/borrowers/${b.id}/block`, "POST", { reason: reason.value }, t("lending.borrowers.blockedNow"));
      } }, field({ id: "block-reason", label: t("lending.borrowers.blockReason"), control: reason }),
      h("button", { type: "submit", class: "button" }, t("lending.borrowers.block"))),
    data.categories.length ? h("fieldset", { class: "field" },
      h("legend", {}, t("lending.borrowers.consents")),
      data.categories.map((c) => {
        const box = h("input", { type: "checkbox", id: `consent-${c.id}`, checked: consented.has(c.id) || null,
          onchange: () => act(`/api/lending/borrowers/${b.id}/consents/${c.id}`, box.checked ? "PUT" : "DELETE", undefined,
            t("lending.borrowers.saved")) });
        return h("div", { class: "check-field" }, box, h("label", { for: `consent-${c.id}` }, c.name));
      })) : null);
}

function renderRegisterForm() {
  const values = Object.fromEntries([...new FormData(registerForm)]);
  const input = (id, type, extra = {}) => h("input", { id, name: id, type, value: values[id], ...extra });
  const adults = (data.found ?? []).filter((b) => new Date().getFullYear() - b.birth_year >= 18);
  replaceChildren(registerForm,
    field({ id: REG.name, label: t("lending.borrowers.name"), control: input(REG.name, "text", { autocomplete: "off" }) }),
    field({ id: REG.mobile, label: t("lending.borrowers.mobile"), hint: t("lending.borrowers.mobileHint"),
      control: input(REG.mobile, "tel", { autocomplete: "off" }) }),
    field({ id: REG.email, label: t("lending.borrowers.email"), control: input(REG.email, "email", { autocomplete: "off" }) }),
    field({ id: REG.birth_year, label: t("lending.borrowers.birthYear"),
      control: input(REG.birth_year, "number", { inputmode: "numeric" }) }),
    field({ id: REG.gender, label: t("lending.borrowers.gender"), control: h("select", { id: REG.gender, name: REG.gender },
      ["none", "female", "male", "other"].map((g) => h("option", { value: g === "none" ? "" : g,
        selected: (values[REG.gender] ?? "") === (g === "none" ? "" : g) || null }, t(`lending.card.genders.${g}`)))) }),
    field({ id: REG.area_id, label: t("lending.borrowers.area"), control: h("select", { id: REG.area_id, name: REG.area_id },
      h("option", { value: "" }, t("lending.card.noArea")),
      data.areas.map((a) => h("option", { value: a.id, selected: values[REG.area_id] === a.id || null }, a.name))) }),
    field({ id: REG.guardian_id, label: t("lending.borrowers.guardian"), hint: t("lending.borrowers.guardianHint"),
      control: h("select", { id: REG.guardian_id, name: REG.guardian_id },
        h("option", { value: "" }, t("lending.borrowers.noGuardian")),
        adults.map((b) => h("option", { value: b.id, selected: values[REG.guardian_id] === b.id || null },
          `${b.name} (${b.birth_year})`))) }),
    data.categories.length ? h("fieldset", { class: "field", id: REG.consent_category_ids, tabindex: "-1" },
      h("legend", {}, t("lending.borrowers.consents")),
      h("p", { class: "field-error", id: `${REG.consent_category_ids}-error` }),
      data.categories.map((c) => h("div", { class: "check-field" },
        h("input", { type: "checkbox", id: `reg-consent-${c.id}`, name: "consent", value: c.id,
          checked: values.consent === c.id || null }),
        h("label", { for: `reg-consent-${c.id}` }, c.name)))) : null,
    h("button", { type: "submit", class: "button" }, t("lending.borrowers.register")));
}

registerForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(registerForm);
  const body = { name: String(form.get(REG.name) ?? ""), birth_year: Number.parseInt(String(form.get(REG.birth_year) ?? ""), 10) || 0 };
  for (const key of ["mobile", "email", "gender", "area_id", "guardian_id"]) {
    const value = String(form.get(REG[key]) ?? "").trim();
    if (value) body[key] = value;
  }
  body.consent_category_ids = form.getAll("consent").map(String);
  try {
    const made = await api("/api/lending/borrowers", { method: "POST", body });
    paintErrors(registerForm, registerAlert, null);
    registerForm.reset();
    renderRegisterForm();
    registerStatus.textContent = t("lending.borrowers.registered", { name: made.name, card: cardText(made.card_number) });
    data.current = made;
    renderDetail();
  } catch (error) {
    registerStatus.textContent = "";
    const errors = apiErrors(error, (name) => REG[name] ?? REG[name.replace(/\[\d+\]$/, "")] ?? null);
    paintErrors(registerForm, registerAlert, errors, "lending.borrowers.fix");
    focusFirstError(errors, registerAlert);
  }
});

searchForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await search(String(new FormData(searchForm).get("q") ?? "").trim());
  } catch {
    searchStatus.textContent = t("lending.errors.load");
  }
});

function render(state) {
  if (!data.allowed) {
    area.hidden = true;
    replaceChildren(denied, h("p", {}, t("lending.borrowers.staffOnly")),
      state?.session ? null : h("p", {}, h("a", { class: "button", href: loginUrl("/borrowers.html") }, t("lending.card.signInLink"))));
    return;
  }
  replaceChildren(denied);
  area.hidden = false;
  renderResults();
  renderDetail();
  renderRegisterForm();
}

startPage({ current: "borrowers", titleKey: "lending.borrowers.title", load, render });
