// The interest request form (intresseanmälan), shared by the matching page and an association's public page.
// Contact details are optional and go to the association only with consent; under 13 a guardian's consent
// is asked for too (the checkbox shows when the age given is under 13). Errors at their fields (forms.js).
import { api, ApiError } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { locale, t, weekdayName } from "./i18n.js";
import { apiErrors, field, focusFirstError, newErrors, addError, paintErrors } from "./forms.js";
import { ruleText } from "./booking-ui.js";

const FIELD_TEXTS = {
  guardian_consent: "matchingRequests.request.guardianNeeded", "contact.email": "matchingRequests.request.badEmail",
  "contact.phone": "matchingRequests.request.badPhone", "contact.name": "matchingRequests.request.needName",
  message: "matchingRequests.request.tooLong",
};

function fieldText(item) {
  return FIELD_TEXTS[item.field] ? t(FIELD_TEXTS[item.field]) : ruleText(item);
}

const GUARDIAN_BELOW = 13;

function interestName(category) {
  return locale() === "en" ? category.name_en || category.name : category.name;
}

function checkbox(id, name, value, label, checked) {
  return h("div", { class: "field field-check" },
    h("input", { type: "checkbox", id, name, value, checked: checked ? true : null }),
    h("label", { for: id }, label));
}

/**
 * options: {prefix, association: {id, name}, categories: [{id, name, name_en}], interests: [ids], age, areaId,
 * days: [1-7], counter: bool, onSent(result)}. Answers the <form>.
 */
export function interestRequestForm(options) {
  const p = options.prefix;
  const id = (name) => `${p}-${name}`;
  const alert = h("div", { class: "alert alert-error", role: "alert", id: id("alert") });
  const ageInput = h("input", { id: id("age"), type: "number", min: "5", max: "25", inputmode: "numeric",
    value: options.age ?? "" });
  const guardian = h("div", { class: "guardian", hidden: true },
    h("p", { class: "hint", id: id("guardian-hint") }, t("matchingRequests.request.guardianHint")),
    h("p", { class: "field-error", id: `${id("guardian_consent")}-error` }),
    checkbox(id("guardian_consent"), "guardian_consent", "yes", t("matchingRequests.request.guardianConsent"), false));
  guardian.querySelector("input").setAttribute("aria-describedby", `${id("guardian-hint")} ${id("guardian_consent")}-error`);
  const showGuardian = () => {
    const age = Number.parseInt(ageInput.value, 10);
    guardian.hidden = !(Number.isFinite(age) && age < GUARDIAN_BELOW);
  };
  ageInput.addEventListener("input", showGuardian);
  const chosen = new Set(options.interests ?? []);
  const interests = h("fieldset", { class: "field", id: id("interests"), tabindex: "-1" },
    h("legend", {}, t("matchingRequests.request.interestsLegend")),
    h("p", { class: "field-error", id: `${id("interests")}-error` }),
    options.categories.map((c) => checkbox(id(`interest-${c.id}`), "interests", c.id, interestName(c), chosen.has(c.id))));
  const days = new Set(options.days ?? []);
  const dayBoxes = h("fieldset", { class: "field" }, h("legend", {}, t("matchingRequests.request.pickDays")),
    [1, 2, 3, 4, 5, 6, 7].map((d) => checkbox(id(`day-${d}`), "days", String(d), weekdayName(d - 1), days.has(d))));
  const gender = h("select", { id: id("gender") },
    h("option", { value: "" }, t("matchingRequests.request.genderNone")),
    [["female", t("matchingRequests.request.genderFemale")], ["male", t("matchingRequests.request.genderMale")],
      ["other", t("matchingRequests.request.genderOther")]].map(([g, label]) => h("option", { value: g }, label)));
  const message = h("textarea", { id: id("message"), rows: "3", maxlength: "1000" });
  const name = h("input", { id: id("contact-name"), type: "text", autocomplete: "name", maxlength: "200" });
  const email = h("input", { id: id("contact-email"), type: "email", autocomplete: "email", maxlength: "254" });
  const phone = h("input", { id: id("contact-phone"), type: "tel", autocomplete: "tel", maxlength: "30" });
  const consent = checkbox(id("consent"), "consent", "yes", t("matchingRequests.request.consent"), false);
  const button = h("button", { type: "submit", class: "button" }, t("matchingRequests.request.submit"));
  const done = h("div", { role: "status", class: "request-done" });
  const form = h("form", { class: "interest-request", novalidate: true, "aria-labelledby": id("heading") },
    h("h3", { id: id("heading") }, options.association?.name
      ? t("matchingRequests.request.heading", { name: options.association.name })
      : t("matchingRequests.request.headingPlain")),
    h("p", { class: "hint" }, t("matchingRequests.request.intro")),
    alert, interests,
    field({ id: id("age"), label: t("matchingRequests.request.age"), control: ageInput }),
    dayBoxes,
    field({ id: id("gender"), label: t("matchingRequests.request.gender"), control: gender }),
    field({ id: id("message"), label: t("matchingRequests.request.message"), control: message }),
    field({ id: id("contact-name"), label: t("matchingRequests.request.contactName"), control: name }),
    field({ id: id("contact-email"), label: t("matchingRequests.request.contactEmail"), control: email }),
    field({ id: id("contact-phone"), label: t("matchingRequests.request.contactPhone"), control: phone }),
    consent, guardian, button, done);
  showGuardian();

  const controlOf = (fieldName) => ({
    interests: id("interests"), age: id("age"), message: id("message"), "contact.name": id("contact-name"),
    "contact.email": id("contact-email"), "contact.phone": id("contact-phone"), guardian_consent: id("guardian_consent"),
    consent: id("consent"),
  })[fieldName] ?? null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = [...form.querySelectorAll('input[name="interests"]:checked')].map((box) => box.value);
    const age = Number.parseInt(ageInput.value, 10);
    const errors = newErrors();
    if (!picked.length) addError(errors, id("interests"), t("matchingRequests.match.needInterest"));
    if (!Number.isFinite(age) || age < 5 || age > 25) addError(errors, id("age"), t("matchingRequests.match.needAge"));
    if (errors.fields.size) {
      paintErrors(form, alert, errors);
      focusFirstError(errors, alert);
      return;
    }
    const hasContact = name.value.trim() || email.value.trim() || phone.value.trim();
    const body = {
      association_id: options.association.id, interests: picked, age,
      days: [...form.querySelectorAll('input[name="days"]:checked')].map((box) => Number(box.value)),
      consent: document.getElementById(id("consent")).checked,
      guardian_consent: !guardian.hidden && document.getElementById(id("guardian_consent")).checked,
      gender: gender.value || null, home_area_id: options.areaId || null,
      message: message.value.trim() || null, via_counter: Boolean(options.counter),
      contact: hasContact ? { name: name.value.trim(), email: email.value.trim() || null,
        phone: phone.value.trim() || null } : null,
    };
    button.disabled = true;
    button.textContent = t("matchingRequests.request.sending");
    try {
      const result = await api("/api/interest-requests", { method: "POST", body });
      paintErrors(form, alert, null);
      replaceChildren(form, h("div", { role: "status", class: "alert alert-success", tabindex: "-1" },
        h("p", {}, t("matchingRequests.request.sent", { name: options.association.name })),
        h("p", {}, t(result.contact_kept ? "matchingRequests.request.sentWithContact"
          : "matchingRequests.request.sentWithoutContact"))));
      form.firstChild.focus();
      options.onSent?.(result);
    } catch (error) {
      let found;
      if (error instanceof ApiError && error.status === 429) {
        found = newErrors();
        found.loose.push(t("matchingRequests.request.rateLimited",
          { minutes: Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60)) }));
      } else if (error instanceof ApiError && error.status === 409) {
        found = newErrors();
        found.loose.push(t("matchingRequests.request.paused"));
      } else {
        found = apiErrors(error, controlOf, fieldText);
      }
      paintErrors(form, alert, found);
      focusFirstError(found, alert);
      button.disabled = false;
      button.textContent = t("matchingRequests.request.submit");
    }
  });
  return form;
}
