// "Fritidsbanken: inställningar", the categories: two levels (Vintersport > Skridskor), listed as a tree, added,
// renamed and removed (only one without subcategories and articles) through /api/lending/categories.
import { api } from "./api.js";
import { h } from "./dom.js";
import { collator, t } from "./i18n.js";
import { addError, field, focusFirstError, hasErrors, newErrors, paintErrors } from "./forms.js";
import { announce, cancelButton, inUse, refusal, rowButton, textField } from "./lending-admin-ui.js";

const FIELDS = { name: "cat-name", parent_id: "cat-parent" };

/** Top categories by name, each with its subcategories by name: [{category, children}]. */
export function categoryTree(categories) {
  const byName = collator();
  const sorted = [...categories].sort((a, b) => byName.compare(a.name, b.name));
  return sorted.filter((c) => !c.parent_id).map((top) => ({
    category: top, children: sorted.filter((c) => c.parent_id === top.id) }));
}

/** "Vintersport › Skridskor" for a subcategory, the name for a top category. */
export function categoryLabel(categories, category) {
  const parent = category.parent_id ? categories.find((c) => c.id === category.parent_id) : null;
  return parent ? `${parent.name} › ${category.name}` : category.name;
}

async function submit(ctx, event) {
  event.preventDefault();
  const { data } = ctx;
  if (data.busy) return;
  const form = event.currentTarget;
  const alert = document.getElementById("category-alert");
  const errors = newErrors();
  const name = document.getElementById("cat-name").value.trim();
  if (!name) addError(errors, "cat-name", t("lendingAdmin.categories.nameMissing"));
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  const editing = data.editingCategory;
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    const saved = editing
      ? await api(`/api/lending/categories/${encodeURIComponent(editing.id)}`, { method: "PATCH", body: { name } })
      : await api("/api/lending/categories", { method: "POST", idempotencyKey: crypto.randomUUID(),
        body: { name, parent_id: document.getElementById("cat-parent").value || null } });
    await ctx.refresh("categories");
    data.editingCategory = null;
    data.busy = false;
    ctx.draw();
    announce(t(editing ? "lendingAdmin.categories.renamed" : "lendingAdmin.categories.created", { name: saved.name }));
    document.getElementById("cat-name")?.focus();
  } catch (error) {
    data.busy = false;
    const found = refusal(error, (field) => FIELDS[field] ?? null);
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

async function remove(ctx, category) {
  const { data } = ctx;
  const form = document.getElementById("category-form");
  const alert = document.getElementById("category-alert");
  paintErrors(form, alert, null);
  try {
    await api(`/api/lending/categories/${encodeURIComponent(category.id)}`, { method: "DELETE" });
    await ctx.refresh("categories");
    if (data.editingCategory?.id === category.id) data.editingCategory = null;
    ctx.draw();
    announce(t("lendingAdmin.categories.removed", { name: category.name }));
    document.getElementById("cat-name")?.focus();
  } catch (error) {
    const found = refusal(error, () => null, { otherwise: (e) => (inUse(e)
      ? t("lendingAdmin.categories.inUse", { name: category.name }) : null) });
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

function actions(ctx, category) {
  if (!ctx.data.canEdit) return null;
  const rename = rowButton(t("lendingAdmin.categories.rename"),
    t("lendingAdmin.categories.renameLabel", { name: category.name }), () => {
      ctx.data.editingCategory = category;
      ctx.draw();
      document.getElementById("cat-name")?.focus();
    });
  const drop = rowButton(t("lendingAdmin.categories.remove"),
    t("lendingAdmin.categories.removeLabel", { name: category.name }), () => remove(ctx, category), { danger: true });
  return h("span", { class: "setup-actions lending-inline-actions" }, rename, drop);
}

function categoryForm(ctx) {
  const editing = ctx.data.editingCategory;
  const tops = categoryTree(ctx.data.categories).map((node) => node.category);
  const parent = editing ? null : field({ id: "cat-parent", label: t("lendingAdmin.categories.parent"),
    control: h("select", { id: "cat-parent" }, h("option", { value: "" }, t("lendingAdmin.categories.noParent")),
      tops.map((top) => h("option", { value: top.id }, top.name))) });
  const form = h("form", { class: "form setup-editor", id: "category-form", novalidate: true,
    "aria-labelledby": "category-form-title" },
    h("h3", { id: "category-form-title" }, editing ? t("lendingAdmin.categories.renaming", { name: editing.name })
      : t("lendingAdmin.categories.formTitle")),
    h("div", { class: "alert alert-error", role: "alert", id: "category-alert" }),
    textField("cat-name", t("lendingAdmin.categories.name"), editing?.name, { required: true }),
    parent,
    h("div", { class: "setup-actions" },
      h("button", { type: "submit", class: "button" },
        editing ? t("lendingAdmin.categories.save") : t("lendingAdmin.categories.create")),
      editing ? cancelButton(() => {
        ctx.data.editingCategory = null;
        ctx.draw();
        document.getElementById("cat-name")?.focus();
      }) : null));
  form.addEventListener("submit", (event) => submit(ctx, event));
  return form;
}

export function categoriesSection(ctx) {
  const tree = categoryTree(ctx.data.categories);
  const list = tree.length
    ? h("ul", { class: "lending-categories", id: "lending-categories" }, tree.map(({ category, children }) =>
      h("li", {}, h("span", { class: "lending-category-name" }, category.name), actions(ctx, category),
        children.length ? h("ul", {}, children.map((child) => h("li", {},
          h("span", { class: "lending-category-name" }, child.name), actions(ctx, child)))) : null)))
    : h("p", { class: "empty" }, t("lendingAdmin.categories.none"));
  return h("section", { class: "setup-section", "aria-labelledby": "categories-heading" },
    h("h2", { id: "categories-heading" }, t("lendingAdmin.categories.heading")),
    h("p", { class: "hint" }, t("lendingAdmin.categories.hint")),
    list,
    ctx.data.canEdit ? categoryForm(ctx) : null);
}
