// The borrower's own lending card on the phone: the QR code the desk scans, the card number, a PDF to
// print and a download of everything stored about them. Someone signed in who is not yet a borrower
// registers here and gets the card at once.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, t } from "../i18n.js";
import { loginUrl } from "../session.js";
import { apiErrors, field, focusFirstError, paintErrors } from "../forms.js";

const cardArea = document.getElementById("card-area");
const registerArea = document.getElementById("register-area");
const registerForm = document.getElementById("register-form");
const registerAlert = document.getElementById("register-alert");

const data = { me: null, areas: [], error: null, justRegistered: false };
const FIELDS = { name: "reg-name", mobile: "reg-mobile", email: "reg-email", birth_year: "reg-birth-year",
  gender: "reg-gender", area_id: "reg-area" };

async function load(state) {
  if (!state.session) return;
  try {
    data.me = await api("/api/lending/me");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) data.error = error;
  }
  if (!data.me && !data.error) {
    const municipalities = await fetchAll("/api/municipalities").catch(() => []);
    const slug = municipalities[0]?.slug;
    data.areas = slug ? (await fetchAll("/api/areas", { municipality: slug }).catch(() => [])) : [];
    data.areas.sort((a, b) => collator().compare(a.name, b.name));
  }
}

function renderCard() {
  const { borrower, card } = data.me;
  replaceChildren(cardArea,
    data.justRegistered ? h("p", { class: "notice" }, t("lending.card.registered")) : null,
    h("p", {}, t("lending.card.intro")),
    borrower.blocked_reason ? h("p", { class: "alert alert-error" },
      t("lending.card.blocked", { reason: borrower.blocked_reason })) : null,
    card ? h("div", { class: "lending-card" },
      h("p", {}, h("strong", {}, borrower.name)),
      h("img", { src: "/api/lending/me/card.svg", alt: t("lending.card.qrAlt", { number: card.display }),
        width: "256", height: "256" }),
      h("p", {}, t("lending.card.number")),
      h("p", { class: "card-number" }, card.display)) : null,
    h("ul", { class: "link-list" },
      card ? h("li", {}, h("a", { href: "/api/lending/me/card.pdf" }, t("lending.card.pdf"))) : null,
      h("li", {}, h("a", { href: "/api/lending/me/data", download: "" }, t("lending.card.data")))));
}

function renderForm() {
  const year = new Date().getFullYear();
  const input = (id, type, extra = {}) => h("input", { id, name: id, type, ...extra });
  const values = Object.fromEntries([...new FormData(registerForm)]);
  replaceChildren(registerForm,
    field({ id: FIELDS.name, label: t("lending.card.name"),
      control: input(FIELDS.name, "text", { autocomplete: "name", required: true, value: values[FIELDS.name] }) }),
    field({ id: FIELDS.mobile, label: t("lending.card.mobile"), hint: t("lending.card.mobileHint"),
      control: input(FIELDS.mobile, "tel", { autocomplete: "tel", required: true, value: values[FIELDS.mobile] }) }),
    field({ id: FIELDS.email, label: t("lending.card.email"),
      control: input(FIELDS.email, "email", { autocomplete: "email", value: values[FIELDS.email] }) }),
    field({ id: FIELDS.birth_year, label: t("lending.card.birthYear"),
      control: input(FIELDS.birth_year, "number", { inputmode: "numeric", min: String(year - 120), max: String(year),
        required: true, value: values[FIELDS.birth_year] }) }),
    field({ id: FIELDS.gender, label: t("lending.card.gender"),
      control: h("select", { id: FIELDS.gender, name: FIELDS.gender },
        ["none", "female", "male", "other"].map((g) => h("option", { value: g === "none" ? "" : g,
          selected: (values[FIELDS.gender] ?? "") === (g === "none" ? "" : g) || null }, t(`lending.card.genders.${g}`)))) }),
    field({ id: FIELDS.area_id, label: t("lending.card.area"),
      control: h("select", { id: FIELDS.area_id, name: FIELDS.area_id },
        h("option", { value: "" }, t("lending.card.noArea")),
        data.areas.map((a) => h("option", { value: a.id, selected: values[FIELDS.area_id] === a.id || null }, a.name))) }),
    h("button", { type: "submit", class: "button" }, t("lending.card.register")));
}

async function register(event) {
  event.preventDefault();
  replaceChildren(registerAlert);
  const form = new FormData(registerForm);
  const body = {
    name: String(form.get(FIELDS.name) ?? ""), mobile: String(form.get(FIELDS.mobile) ?? ""),
    birth_year: Number.parseInt(String(form.get(FIELDS.birth_year) ?? ""), 10) || 0,
  };
  if (form.get(FIELDS.email)) body.email = String(form.get(FIELDS.email));
  if (form.get(FIELDS.gender)) body.gender = String(form.get(FIELDS.gender));
  if (form.get(FIELDS.area_id)) body.area_id = String(form.get(FIELDS.area_id));
  try {
    data.me = await api("/api/lending/me", { method: "POST", body });
    data.justRegistered = true;
    paintErrors(registerForm, registerAlert, null);
    render();
    cardArea.querySelector(".notice")?.focus?.();
  } catch (error) {
    const errors = apiErrors(error, (name) => FIELDS[name] ?? null);
    paintErrors(registerForm, registerAlert, errors, "lending.card.fix");
    focusFirstError(errors, registerAlert);
  }
}

let session = null;
function render(state) {
  if (state) session = state.session;
  if (!session) {
    replaceChildren(cardArea, h("p", {}, t("lending.card.signIn")),
      h("p", {}, h("a", { class: "button", href: loginUrl("/card.html") }, t("lending.card.signInLink"))));
    registerArea.hidden = true;
    return;
  }
  if (data.error) {
    replaceChildren(cardArea, h("p", { class: "alert alert-error" }, t("lending.errors.load")));
    return;
  }
  if (data.me) {
    registerArea.hidden = true;
    renderCard();
    return;
  }
  replaceChildren(cardArea);
  registerArea.hidden = false;
  renderForm();
}

registerForm.addEventListener("submit", register);
startPage({ current: "card", titleKey: "lending.card.title", load, render });
