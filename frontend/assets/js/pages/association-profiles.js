// "Föreningsprofiler" for premises and activities staff: the associations' profiles awaiting review (the
// draft shown in full; publish it, or send it back with a note saying what to change), the published ones
// (unpublish), and the municipality's interest categories (add, rename, reorder, remove).
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatNumber, t } from "../i18n.js";
import { hasRole } from "../session.js";
import { problemText } from "../booking-ui.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { field } from "../forms.js";
import { FOR_WHOM, interestName, languageName } from "../profiles-ui.js";

const $ = (id) => document.getElementById(id);
const status = $("profiles-status");
const root = $("profiles-page");
const data = { redirecting: false, allowed: false, error: null, waiting: [], published: [], drafts: new Map(),
  categories: [], areas: [] };

async function reload() {
  const [waiting, all, categories] = await Promise.all([
    api("/api/association-profiles?status=submitted&limit=200"),
    api("/api/association-profiles?limit=200"),
    api("/api/interest-categories"),
  ]);
  data.waiting = waiting.items;
  data.published = all.items.filter((p) => p.published_at);
  data.categories = categories.items;
  data.drafts = new Map(await Promise.all(data.waiting.map(async (p) =>
    [p.association_id, await api(`/api/associations/${p.association_id}/profile`)])));
}

async function load(state) {
  if (!signedIn(state, data, "/association-profiles.html")) return;
  data.allowed = hasRole(state.session, "premises_staff", "activities_staff");
  if (!data.allowed) return;
  try {
    const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
    data.areas = await fetchAll("/api/areas", { municipality: municipality.slug });
    await reload();
  } catch (error) {
    data.error = error;
  }
}

function failure(error) {
  return `${t("profiles.staff.failed")} ${error instanceof ApiError && error.problem.detail ? error.problem.detail
    : problemText(error)}`;
}

async function run(button, busyKey, work, doneText) {
  if (button.getAttribute("aria-disabled") === "true") return;
  const label = button.textContent;
  button.setAttribute("aria-disabled", "true");
  button.textContent = t(busyKey);
  try {
    await work();
    await reload();
    draw();
    status.textContent = doneText;
    status.focus();
  } catch (error) {
    button.removeAttribute("aria-disabled");
    button.textContent = label;
    status.textContent = failure(error);
    status.focus();
  }
}

function draftFacts(d) {
  const names = (ids, list, label) => ids.map((id) => label(list.find((x) => x.id === id) ?? { name: id })).join(", ");
  const rows = [
    [t("profiles.page.interests"), names(d.interests, data.categories, interestName)],
    [t("profiles.page.ages"), t("profiles.ages", { min: String(d.age_min), max: String(d.age_max) })],
    [t("profiles.page.forWho"), d.for_whom.filter((w) => FOR_WHOM.includes(w)).map((w) => t(`profiles.forWhom.${w}`)).join(", ")],
    [t("profiles.page.areas"), names(d.areas, data.areas, (a) => a.name) || "–"],
    [t("profiles.page.languages"), d.languages.map(languageName).join(", ") || "–"],
    [t("profiles.page.cost"), d.membership_fee === null ? "–" : t("profiles.fee", { fee: formatNumber(d.membership_fee) })],
    [t("profiles.page.tryOut"), [d.free_to_try ? t("profiles.freeToTry") : null, d.try_out_text].filter(Boolean).join(". ") || "–"],
    [t("profiles.page.website"), d.website ?? "–"],
    [t("profiles.page.what"), d.description],
  ];
  return h("dl", { class: "club-facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function reviewItem(entry, i) {
  const view = data.drafts.get(entry.association_id);
  const note = h("textarea", { id: `note-${i}`, rows: "2", maxlength: "500" });
  const approve = h("button", { type: "button", class: "button" }, t("profiles.staff.approve"));
  const back = h("button", { type: "button", class: "button button-quiet" }, t("profiles.staff.sendBack"));
  const decide = (approveIt, button) => run(button, approveIt ? "profiles.staff.approving" : "profiles.staff.sendingBack",
    () => api(`/api/associations/${entry.association_id}/profile/verification`, { method: "POST",
      body: approveIt ? { approve: true } : { approve: false, note: note.value.trim() || null } }),
    t(approveIt ? "profiles.staff.approved" : "profiles.staff.sentBack", { name: entry.name }));
  approve.addEventListener("click", () => decide(true, approve));
  back.addEventListener("click", () => decide(false, back));
  return h("li", { class: "review-item", "data-association": entry.association_id },
    h("h3", {}, entry.name),
    view?.draft ? draftFacts(view.draft) : null,
    field({ id: `note-${i}`, label: t("profiles.staff.note"), hint: t("profiles.staff.noteHint"), control: note }),
    h("div", { class: "profile-actions" }, approve, back));
}

function publishedItem(entry) {
  const button = h("button", { type: "button", class: "button button-quiet button-small" }, t("profiles.staff.unpublish"));
  button.addEventListener("click", () => run(button, "profiles.staff.unpublishing",
    () => api(`/api/associations/${entry.association_id}/profile/unpublication`, { method: "POST" }),
    t("profiles.staff.unpublished", { name: entry.name })));
  return h("li", { "data-association": entry.association_id },
    h("span", { class: "item-text" }, h("a", { href: `/forening.html?id=${entry.association_id}` }, entry.name),
      " – ", t(`profiles.status.${entry.status}`)), button);
}

function categoryRow(c, i) {
  const name = h("input", { id: `cat-${i}-name`, value: c.name, maxlength: "60", required: true });
  const nameEn = h("input", { id: `cat-${i}-en`, value: c.name_en ?? "", maxlength: "60", lang: "en" });
  const position = h("input", { id: `cat-${i}-pos`, type: "number", min: "0", max: "10000", value: c.position });
  const save = h("button", { type: "button", class: "button button-quiet button-small" },
    t("profiles.staff.saveCategory", { name: c.name }));
  const remove = h("button", { type: "button", class: "button button-quiet button-small" },
    t("profiles.staff.deleteCategory", { name: c.name }));
  save.addEventListener("click", () => run(save, "profiles.mine.saving",
    () => api(`/api/interest-categories/${c.id}`, { method: "PATCH", body: { name: name.value.trim(),
      name_en: nameEn.value.trim() || null, position: Number(position.value || 0) } }),
    t("profiles.staff.savedCategory", { name: name.value.trim() })));
  remove.addEventListener("click", () => run(remove, "profiles.mine.saving",
    () => api(`/api/interest-categories/${c.id}`, { method: "DELETE" }), t("profiles.staff.deleted", { name: c.name })));
  return h("li", { class: "category-row" },
    field({ id: `cat-${i}-name`, label: t("profiles.staff.name"), control: name }),
    field({ id: `cat-${i}-en`, label: t("profiles.staff.nameEn"), control: nameEn }),
    field({ id: `cat-${i}-pos`, label: t("profiles.staff.position"), control: position }),
    save, remove);
}

function newCategory() {
  const name = h("input", { id: "new-cat-name", maxlength: "60" });
  const nameEn = h("input", { id: "new-cat-en", maxlength: "60", lang: "en" });
  const add = h("button", { type: "submit", class: "button" }, t("profiles.staff.add"));
  const form = h("form", { class: "form category-row", id: "new-category", novalidate: true },
    field({ id: "new-cat-name", label: t("profiles.staff.name"), control: name }),
    field({ id: "new-cat-en", label: t("profiles.staff.nameEn"), control: nameEn }), add);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(add, "profiles.staff.adding", () => api("/api/interest-categories", { method: "POST",
      body: { name: name.value.trim(), name_en: nameEn.value.trim() || null } }),
    t("profiles.staff.added", { name: name.value.trim() }));
  });
  return form;
}

function draw() {
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "queue-heading" },
      h("h2", { id: "queue-heading" }, t("profiles.staff.queueHeading")),
      data.waiting.length ? h("ul", { class: "club-list", id: "review-list" }, data.waiting.map(reviewItem))
        : h("p", {}, t("profiles.staff.queueNone"))),
    h("section", { class: "section", "aria-labelledby": "published-heading" },
      h("h2", { id: "published-heading" }, t("profiles.staff.publishedHeading")),
      data.published.length ? h("ul", { class: "item-list", id: "published-list" }, data.published.map(publishedItem))
        : h("p", {}, t("profiles.staff.publishedNone"))),
    h("section", { class: "section", "aria-labelledby": "categories-heading" },
      h("h2", { id: "categories-heading" }, t("profiles.staff.categoriesHeading")),
      h("p", {}, t("profiles.staff.categoriesIntro")),
      h("ul", { class: "club-list", id: "category-list" }, data.categories.map(categoryRow)),
      h("h3", {}, t("profiles.staff.newHeading")),
      newCategory()));
}

function render(state) {
  if (drawnInstead(state, data, { status, root, notAllowed: t("profiles.staff.notAllowed"),
    loadFailed: t("profiles.staff.loadFailed") })) return;
  draw();
}

startPage({ current: "association-profiles", titleKey: "profiles.staff.title", load, render });
