// How a space is entered, on "Skolor och lokaler": a door code for each booking, keys fetched somewhere, or
// open; and the instructions that only the association with a booking sees (GET/PUT
// /api/spaces/{id}/access). The form, its body, the map from the API's field names to its inputs and their
// refusals in words.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { addError, field, newErrors } from "./forms.js";
import { ruleText } from "./booking-ui.js";

export const ACCESS_MODES = ["door_code", "key", "open"];
const MAX_INSTRUCTIONS = 2000;

export function accessForm(access) {
  const current = access?.mode ?? "key";
  const first = `access-mode-${ACCESS_MODES[0]}`;
  return [
    h("fieldset", { class: "field" }, h("legend", {}, t("setup.premises.accessMode")),
      h("p", { class: "field-error", id: `${first}-error` }),
      ACCESS_MODES.map((mode) => h("div", { class: "field-check" },
        h("input", { type: "radio", name: "access-mode", id: `access-mode-${mode}`, value: mode,
          checked: mode === current, "aria-describedby": mode === ACCESS_MODES[0] ? `${first}-error` : null }),
        h("label", { for: `access-mode-${mode}` }, t(`setup.premises.accessModes.${mode}`))))),
    field({ id: "access-instructions", label: t("setup.premises.accessInstructions"),
      hint: t("setup.premises.accessInstructionsHint"),
      control: h("textarea", { id: "access-instructions", rows: "3" }, access?.instructions ?? "") }),
  ];
}

export function readAccess() {
  const errors = newErrors();
  const mode = document.querySelector("#place-editor input[name=access-mode]:checked")?.value ?? null;
  if (!mode) addError(errors, `access-mode-${ACCESS_MODES[0]}`, t("setup.premises.accessModeMissing"));
  const instructions = document.getElementById("access-instructions").value.trim();
  if (instructions.length > MAX_INSTRUCTIONS) {
    addError(errors, "access-instructions", t("setup.premises.tooLong", { max: MAX_INSTRUCTIONS }));
  }
  return { errors, body: { mode, instructions: instructions || null } };
}

/** The input of an API field name: `mode` or `access.mode`, `instructions` or `access.instructions`. */
export function accessControl(name) {
  const bare = name.replace(/^access\./, "");
  if (bare === "mode") return `access-mode-${ACCESS_MODES[0]}`;
  return bare === "instructions" ? "access-instructions" : null;
}

/** The API's refusal of a field of the form in the reader's language (a door code's bad character). */
export function accessErrorText(item) {
  return item.code === "bad-character" ? t("setup.premises.badCharacter") : ruleText(item);
}
