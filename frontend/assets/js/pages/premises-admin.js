// "Skolor och lokaler" (administrators): sites, their spaces (kind, capacity, a divisible hall's parts,
// accessibility, equipment, booking rules), each space's opening hours (weekly, and periods such as the
// summer with other hours) and how it is entered (door code, keys or open), through /api/sites, /api/spaces,
// /api/spaces/{id}/opening-hours and /api/spaces/{id}/access; sites and spaces are removed after a
// confirmation, and the API's refusal is shown. One editor at a time opens above the list.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, formatList, t } from "../i18n.js";
import { apiErrors, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";
import { problemText } from "../booking-ui.js";
import { gate, gateMessage, municipalityOf, showStatus, statusRegion } from "../setup-ui.js";
import { siteForm, readSite, spaceForm, readSpace } from "../premises-admin-forms.js";
import { hoursErrorText, hoursForm, hoursSummary, readHours } from "../premises-admin-hours.js";
import { accessControl, accessErrorText, accessForm, readAccess } from "../premises-admin-access.js";

const root = document.getElementById("premises-admin-page");
const data = {
  access: null, slug: "", areas: [], sites: [], spaces: [], hours: new Map(), entry: new Map(), error: null,
  editor: null, // {kind: "site"|"space"|"hours"|"access"|"delete", site?, space?}
  busy: false, status: "",
};

async function fetchPlaces() {
  const byName = collator();
  const [areas, sites, spaces] = await Promise.all([
    fetchAll("/api/areas", { municipality: data.slug }),
    fetchAll("/api/sites", { municipality: data.slug }),
    fetchAll("/api/spaces", { municipality: data.slug }),
  ]);
  data.areas = areas.sort((a, b) => byName.compare(a.name, b.name));
  data.sites = sites.sort((a, b) => byName.compare(a.name, b.name));
  data.spaces = spaces.sort((a, b) => byName.compare(a.name, b.name));
  const path = (space, what) => `/api/spaces/${encodeURIComponent(space.id)}/${what}`;
  const [hours, entry] = await Promise.all([Promise.all(spaces.map((s) => api(path(s, "opening-hours")))),
    Promise.all(spaces.map((s) => api(path(s, "access"))))]);
  data.hours = new Map(spaces.map((s, i) => [s.id, hours[i]]));
  data.entry = new Map(spaces.map((s, i) => [s.id, entry[i]]));
}

async function load(state) {
  data.access = gate(state, "/premises-admin.html");
  if (data.access !== "admin") {
    data.error = state.sessionError;
    return;
  }
  try {
    data.slug = (await api(`/api/municipalities/${encodeURIComponent(municipalityOf(state))}`)).slug;
    await fetchPlaces();
  } catch (error) {
    data.error = error;
    data.access = "error";
  }
}

function openEditor(editor) {
  data.editor = editor;
  data.status = "";
  draw();
  const form = document.getElementById("place-editor");
  // a removal's question is read first (its buttons follow); a form starts at its first input
  (editor.kind === "delete" ? document.getElementById("editor-title")
    : form?.querySelector("input[type=radio]:checked") ?? form?.querySelector("input, select"))?.focus();
}

// --- saving -------------------------------------------------------------------------------------

const SITE_FIELDS = { name: "site-name", "address.street": "site-street", "address.postal_code": "site-postal",
  "address.city": "site-city", address: "site-street", area_id: "site-area", description: "site-description" };

function spaceControl(name) {
  const rule = /^rules\.(\w+)$/.exec(name);
  if (rule) return `rule-${rule[1]}`;
  if (name.startsWith("equipment")) return "space-equipment";
  return { name: "space-name", kind: "space-kind", capacity: "space-capacity", parent_id: "space-parent",
    "accessibility.notes": "space-notes" }[name] ?? null;
}

function request(editor) {
  if (editor.kind === "site") {
    const { errors, body } = readSite();
    const path = editor.site ? `/api/sites/${encodeURIComponent(editor.site.id)}` : "/api/sites";
    return { errors, body, path, method: editor.site ? "PATCH" : "POST", controlOf: (n) => SITE_FIELDS[n] ?? null };
  }
  if (editor.kind === "space") {
    const { errors, body } = readSpace(editor.space);
    if (!editor.space) body.site_id = editor.site.id;
    const path = editor.space ? `/api/spaces/${encodeURIComponent(editor.space.id)}` : "/api/spaces";
    return { errors, body, path, method: editor.space ? "PATCH" : "POST", controlOf: spaceControl };
  }
  const space = `/api/spaces/${encodeURIComponent(editor.space.id)}`;
  if (editor.kind === "access") {
    const { errors, body } = readAccess();
    return { errors, body, path: `${space}/access`, method: "PUT", controlOf: accessControl, textOf: accessErrorText };
  }
  const { errors, body, controlOf } = readHours();
  return { errors, body, path: `${space}/opening-hours`, method: "PUT", controlOf, textOf: hoursErrorText };
}

function savedText(editor, saved) {
  if (editor.kind === "hours") return t("setup.premises.hoursSaved", { name: editor.space.name });
  if (editor.kind === "access") return t("setup.premises.accessSaved", { name: editor.space.name });
  return t(editor.kind === "site" ? "setup.premises.siteSaved" : "setup.premises.spaceSaved", { name: saved.name });
}

async function save(event) {
  event.preventDefault();
  if (data.busy) return;
  const form = event.currentTarget;
  const alert = document.getElementById("editor-alert");
  const editor = data.editor;
  if (editor.kind === "delete") {
    await remove(form, alert, editor);
    return;
  }
  const { errors, body, path, method, controlOf, textOf } = request(editor);
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    const saved = await api(path, { method, body, idempotencyKey: method === "POST" ? crypto.randomUUID() : undefined });
    await fetchPlaces();
    data.busy = false;
    data.editor = null;
    data.status = savedText(editor, saved);
    draw(true);
  } catch (error) {
    data.busy = false;
    const found = apiErrors(error, controlOf, textOf);
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

// --- removing -----------------------------------------------------------------------------------

/** Why the API would not remove a site or a space (409), in words; other failures as problemText. */
function refusalText(editor, error) {
  if (!(error instanceof ApiError) || error.status !== 409) return problemText(error);
  if (editor.site) {
    const count = data.spaces.filter((s) => s.site_id === editor.site.id).length;
    return count ? t("setup.premises.siteHasSpaces", { name: editor.site.name, count })
      : t("setup.premises.siteInUse", { name: editor.site.name });
  }
  const parts = (error.problem.conflicts ?? []).map((c) => c.name).filter(Boolean);
  return parts.length ? t("setup.premises.spaceHasParts", { name: editor.space.name, parts: formatList(parts) })
    : t("setup.premises.spaceInUse", { name: editor.space.name });
}

async function remove(form, alert, editor) {
  const target = editor.site ?? editor.space;
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    await api(`/api/${editor.site ? "sites" : "spaces"}/${encodeURIComponent(target.id)}`, { method: "DELETE" });
    await fetchPlaces();
    data.busy = false;
    data.editor = null;
    data.status = t("setup.premises.removed", { name: target.name });
    draw(true);
  } catch (error) {
    data.busy = false;
    const refused = newErrors();
    refused.loose.push(refusalText(editor, error));
    paintErrors(form, alert, refused, "setup.premises.notRemoved");
    focusFirstError(refused, alert);
  }
}

// --- drawing ------------------------------------------------------------------------------------

function editorTitle(editor) {
  if (editor.kind === "delete") return t("setup.premises.removeTitle", { name: (editor.site ?? editor.space).name });
  if (editor.kind === "access") return t("setup.premises.accessFor", { name: editor.space.name });
  if (editor.kind === "site") {
    return editor.site ? t("setup.premises.editSite", { name: editor.site.name }) : t("setup.premises.newSite");
  }
  if (editor.kind === "space") {
    return editor.space ? t("setup.premises.editSpace", { name: editor.space.name })
      : t("setup.premises.newSpace", { site: editor.site.name });
  }
  return t("setup.premises.hoursFor", { name: editor.space.name });
}

function editorPanel() {
  const editor = data.editor;
  if (!editor) return null;
  let fields;
  if (editor.kind === "site") fields = siteForm(editor.site, data.areas);
  else if (editor.kind === "space") {
    const site = editor.site ?? data.sites.find((s) => s.id === editor.space.site_id);
    const wholes = data.spaces.filter((s) => s.site_id === site.id && !s.parent_id && s.id !== editor.space?.id);
    fields = spaceForm(editor.space, wholes);
  } else if (editor.kind === "hours") fields = hoursForm(data.hours.get(editor.space.id));
  else if (editor.kind === "access") fields = accessForm(data.entry.get(editor.space.id));
  else fields = h("p", {}, t(editor.site ? "setup.premises.removeSiteText" : "setup.premises.removeSpaceText"));
  const submitKey = { site: "setup.premises.saveSite", space: "setup.premises.saveSpace", hours: "setup.premises.saveHours",
    access: "setup.premises.saveAccess", delete: "setup.premises.removeConfirm" };
  const target = (editor.site ?? editor.space)?.name;
  const cancel = h("button", { type: "button", class: "button button-quiet" }, t("setup.premises.cancel"));
  cancel.addEventListener("click", () => {
    data.editor = null;
    draw();
    document.getElementById("new-site")?.focus();
  });
  const form = h("form", { class: "form form-wide setup-editor", id: "place-editor", novalidate: true,
    "aria-labelledby": "editor-title" },
    h("h2", { id: "editor-title", tabindex: "-1" }, editorTitle(editor)),
    h("div", { class: "alert alert-error", role: "alert", id: "editor-alert" }),
    fields,
    h("div", { class: "setup-actions" },
      h("button", { type: "submit", class: editor.kind === "delete" ? "button button-danger" : "button" },
        t(submitKey[editor.kind], { name: target })), cancel));
  form.addEventListener("submit", save);
  return form;
}

function button(text, label, onClick, danger = false) {
  const element = h("button", { type: "button", class: `button ${danger ? "button-danger" : "button-quiet"} button-small`,
    "aria-label": label }, text);
  element.addEventListener("click", onClick);
  return element;
}

function spaceItem(space) {
  const parent = space.parent_id ? data.spaces.find((s) => s.id === space.parent_id) : null;
  const facts = [t(`space.kinds.${space.kind}`), t("space.people", { count: space.capacity }),
    parent ? t("setup.premises.partOf", { name: parent.name }) : null].filter(Boolean).join(" · ");
  return h("li", { dataset: { space: space.id } },
    h("strong", {}, space.name), " ", h("span", { class: "muted" }, facts),
    hoursSummary(data.hours.get(space.id)),
    h("p", {}, accessSummary(data.entry.get(space.id))),
    h("div", { class: "setup-actions" },
      button(t("setup.premises.edit"), t("setup.premises.editSpace", { name: space.name }),
        () => openEditor({ kind: "space", space })),
      button(t("setup.premises.setHours"), t("setup.premises.hoursFor", { name: space.name }),
        () => openEditor({ kind: "hours", space })),
      button(t("setup.premises.setAccess"), t("setup.premises.accessFor", { name: space.name }),
        () => openEditor({ kind: "access", space })),
      button(t("setup.premises.remove"), t("setup.premises.removeLabel", { name: space.name }),
        () => openEditor({ kind: "delete", space }), true)));
}

function accessSummary(entry) {
  const mode = t(`setup.premises.accessShort.${entry?.mode ?? "key"}`);
  return `${t("setup.premises.access")}: ${mode}${entry?.instructions ? ` – ${entry.instructions}` : ""}`;
}

function siteItem(site) {
  const spaces = data.spaces.filter((s) => s.site_id === site.id);
  const { street, postal_code: postal, city } = site.address;
  return h("div", { class: "setup-site", dataset: { site: site.id } },
    h("h3", {}, site.name),
    h("p", {}, [`${street}, ${postal} ${city}`, site.area_name].filter(Boolean).join(" · ")),
    h("div", { class: "setup-actions" },
      button(t("setup.premises.edit"), t("setup.premises.editSite", { name: site.name }),
        () => openEditor({ kind: "site", site })),
      button(t("setup.premises.addSpace"), t("setup.premises.newSpace", { site: site.name }),
        () => openEditor({ kind: "space", site })),
      button(t("setup.premises.remove"), t("setup.premises.removeLabel", { name: site.name }),
        () => openEditor({ kind: "delete", site }), true)),
    spaces.length ? h("ul", { class: "setup-spaces", "aria-label": t("setup.premises.spaces") }, spaces.map(spaceItem))
      : h("p", { class: "empty" }, t("setup.premises.noSpaces")));
}

function draw(focusStatus = false) {
  const newSite = h("button", { type: "button", class: "button", id: "new-site" }, t("setup.premises.newSite"));
  newSite.addEventListener("click", () => openEditor({ kind: "site" }));
  replaceChildren(root,
    statusRegion("place-status"),
    h("p", {}, newSite),
    editorPanel(),
    h("section", { class: "setup-section", "aria-labelledby": "sites-heading" },
      h("h2", { id: "sites-heading" }, t("setup.premises.sites")),
      data.sites.length ? data.sites.map(siteItem) : h("p", { class: "empty" }, t("setup.premises.noSites"))));
  const status = document.getElementById("place-status");
  status.setAttribute("tabindex", "-1");
  if (!data.status) return;
  setTimeout(() => { // a moment after the region is in the page, so that it is announced
    showStatus("place-status", data.status);
    if (focusStatus) status.focus();
  }, 50);
}

function render(state) {
  if (state.loading) return;
  if (data.access !== "admin") {
    replaceChildren(root, gateMessage(data.access, data.error));
    return;
  }
  draw();
}

startPage({ current: "premisesAdmin", titleKey: "setup.premises.title", load, render });
