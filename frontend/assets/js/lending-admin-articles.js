// "Fritidsbanken: inställningar", the articles: an article is one kind of equipment in one size, so several
// sizes typed at once become one article each (POST /api/lending/article-sizes, all or none); changed one at a
// time (PATCH /api/lending/articles/{id}) and removed while nothing refers to them (DELETE, 409 otherwise).
import { api } from "./api.js";
import { h } from "./dom.js";
import { collator, t } from "./i18n.js";
import { addError, field, focusFirstError, hasErrors, newErrors, paintErrors } from "./forms.js";
import { announce, cancelButton, checkField, inUse, refusal, rowButton, textField, wholeNumber }
  from "./lending-admin-ui.js";
import { categoryLabel, categoryTree } from "./lending-admin-categories.js";

const FIELDS = { category_id: "art-category", name: "art-name", variant: "art-size", variants: "art-sizes",
  description: "art-description", min_age: "art-min-age", max_age: "art-max-age", loan_period_days: "art-loan",
  photo_url: "art-photo", needs_guardian_consent: "art-consent", self_service: "art-self" };

function controlOf(name) {
  if (/^variants\[\d+\]$/.test(name)) return "art-sizes";
  if (name === "variant" && document.getElementById("art-sizes")) return "art-sizes";
  return FIELDS[name] ?? null;
}

export function articleName(article) {
  return article.variant ? `${article.name} ${article.variant}` : article.name;
}

const value = (id) => document.getElementById(id).value.trim();

function readArticle(editing) {
  const errors = newErrors();
  const body = {
    category_id: value("art-category"),
    name: value("art-name"),
    description: value("art-description") || null,
    min_age: wholeNumber(errors, "art-min-age"),
    max_age: wholeNumber(errors, "art-max-age"),
    loan_period_days: wholeNumber(errors, "art-loan"),
    needs_guardian_consent: document.getElementById("art-consent").checked,
    self_service: document.getElementById("art-self").checked,
    photo_url: value("art-photo") || null,
  };
  if (!body.category_id) addError(errors, "art-category", t("lendingAdmin.articles.categoryMissing"));
  if (!body.name) addError(errors, "art-name", t("lendingAdmin.articles.nameMissing"));
  if (body.loan_period_days === null && !errors.fields.has("art-loan")) {
    addError(errors, "art-loan", t("lendingAdmin.articles.wholeNumber"));
  }
  if (editing) return { errors, body: { ...body, variant: value("art-size") || null }, sizes: [] };
  const sizes = value("art-sizes").split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
  if (sizes.length > 1) return { errors, body: { ...body, variants: sizes }, sizes };
  return { errors, body: { ...body, variant: sizes[0] ?? null }, sizes };
}

function send(editing, body) {
  if (editing) return api(`/api/lending/articles/${encodeURIComponent(editing.id)}`, { method: "PATCH", body });
  const path = body.variants ? "/api/lending/article-sizes" : "/api/lending/articles";
  return api(path, { method: "POST", body, idempotencyKey: crypto.randomUUID() });
}

async function submit(ctx, event) {
  event.preventDefault();
  const { data } = ctx;
  if (data.busy) return;
  const form = event.currentTarget;
  const alert = document.getElementById("article-alert");
  const editing = data.editingArticle;
  const { errors, body, sizes } = readArticle(editing);
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    const saved = await send(editing, body);
    await ctx.refresh("articles");
    data.editingArticle = null;
    data.busy = false;
    ctx.draw();
    if (editing) announce(t("lendingAdmin.articles.saved", { name: articleName(saved) }));
    else if (sizes.length > 1) announce(t("lendingAdmin.articles.createdSizes", { name: body.name, count: sizes.length }));
    else announce(t("lendingAdmin.articles.created", { name: articleName(saved) }));
    document.getElementById("art-name")?.focus();
  } catch (error) {
    data.busy = false;
    const found = refusal(error, controlOf, { sent: body });
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

async function remove(ctx, article) {
  const { data } = ctx;
  const form = document.getElementById("article-form");
  const alert = document.getElementById("article-alert");
  paintErrors(form, alert, null);
  try {
    await api(`/api/lending/articles/${encodeURIComponent(article.id)}`, { method: "DELETE" });
    await ctx.refresh("articles");
    if (data.editingArticle?.id === article.id) data.editingArticle = null;
    ctx.draw();
    announce(t("lendingAdmin.articles.removed", { name: articleName(article) }));
    document.getElementById("art-name")?.focus();
  } catch (error) {
    const found = refusal(error, () => null, { otherwise: (e) => (inUse(e)
      ? t("lendingAdmin.articles.inUse", { name: articleName(article) }) : null) });
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

function agesText({ min_age: min, max_age: max }) {
  if (min !== null && max !== null) return t("lendingAdmin.articles.ages", { min, max });
  if (min !== null) return t("lendingAdmin.articles.fromAge", { min });
  return max !== null ? t("lendingAdmin.articles.toAge", { max }) : null;
}

function articleItem(ctx, article) {
  const { categories, canEdit } = ctx.data;
  const category = categories.find((c) => c.id === article.category_id);
  let buttons = null;
  if (canEdit) {
    const edit = rowButton(t("lendingAdmin.articles.edit"),
      t("lendingAdmin.articles.editLabel", { name: articleName(article) }), () => {
        ctx.data.editingArticle = article;
        ctx.draw();
        document.getElementById("art-name")?.focus();
      });
    const drop = rowButton(t("lendingAdmin.articles.remove"),
      t("lendingAdmin.articles.removeLabel", { name: articleName(article) }), () => remove(ctx, article),
      { danger: true });
    buttons = h("div", { class: "setup-actions" }, edit, drop);
  }
  const facts = [category ? categoryLabel(categories, category) : null,
    t("lendingAdmin.articles.loanPeriod", { count: article.loan_period_days }), agesText(article),
    article.needs_guardian_consent ? t("lendingAdmin.articles.needsConsent") : null,
    article.self_service ? t("lendingAdmin.articles.byPhone") : null].filter(Boolean);
  return h("li", { class: "setup-site", "data-article-id": article.id },
    h("h3", {}, articleName(article)),
    h("p", { class: "lending-article-facts" }, facts.join(" · ")),
    buttons);
}

function categoryOptions(categories, chosen) {
  const options = [h("option", { value: "" }, t("lendingAdmin.articles.chooseCategory"))];
  for (const { category, children } of categoryTree(categories)) {
    for (const c of [category, ...children]) {
      options.push(h("option", { value: c.id, selected: c.id === chosen }, categoryLabel(categories, c)));
    }
  }
  return options;
}

function articleForm(ctx) {
  const editing = ctx.data.editingArticle;
  const sizes = editing
    ? textField("art-size", t("lendingAdmin.articles.size"), editing.variant, { hint: t("lendingAdmin.articles.sizeHint") })
    : textField("art-sizes", t("lendingAdmin.articles.sizes"), "", { hint: t("lendingAdmin.articles.sizesHint") });
  const form = h("form", { class: "form setup-editor", id: "article-form", novalidate: true,
    "aria-labelledby": "article-form-title" },
    h("h3", { id: "article-form-title" }, editing ? t("lendingAdmin.articles.editing", { name: articleName(editing) })
      : t("lendingAdmin.articles.formTitle")),
    h("div", { class: "alert alert-error", role: "alert", id: "article-alert" }),
    field({ id: "art-category", label: t("lendingAdmin.articles.category"),
      control: h("select", { id: "art-category", required: true }, categoryOptions(ctx.data.categories,
        editing?.category_id)) }),
    textField("art-name", t("lendingAdmin.articles.name"), editing?.name, { required: true }),
    sizes,
    textField("art-loan", t("lendingAdmin.articles.loanDays"), String(editing?.loan_period_days ?? 14),
      { hint: t("lendingAdmin.articles.loanDaysHint"), inputmode: "numeric", required: true }),
    h("div", { class: "setup-hours" },
      textField("art-min-age", t("lendingAdmin.articles.minAge"), editing?.min_age ?? "", { inputmode: "numeric" }),
      textField("art-max-age", t("lendingAdmin.articles.maxAge"), editing?.max_age ?? "", { inputmode: "numeric" })),
    field({ id: "art-description", label: t("lendingAdmin.articles.description"),
      control: h("textarea", { id: "art-description", rows: "3" }, editing?.description ?? "") }),
    textField("art-photo", t("lendingAdmin.articles.photo"), editing?.photo_url,
      { hint: t("lendingAdmin.articles.photoHint"), inputmode: "url" }),
    checkField("art-consent", t("lendingAdmin.articles.consent"), editing?.needs_guardian_consent),
    checkField("art-self", t("lendingAdmin.articles.selfService"), editing?.self_service),
    h("div", { class: "setup-actions" },
      h("button", { type: "submit", class: "button" },
        editing ? t("lendingAdmin.articles.save") : t("lendingAdmin.articles.create")),
      editing ? cancelButton(() => {
        ctx.data.editingArticle = null;
        ctx.draw();
        document.getElementById("art-name")?.focus();
      }) : null));
  form.addEventListener("submit", (event) => submit(ctx, event));
  return form;
}

export function articlesSection(ctx) {
  const { articles, canEdit } = ctx.data;
  const byName = collator();
  const sorted = [...articles].sort((a, b) => byName.compare(a.name, b.name)
    || byName.compare(a.variant ?? "", b.variant ?? ""));
  const list = sorted.length
    ? h("ul", { class: "setup-list", id: "lending-articles" }, sorted.map((article) => articleItem(ctx, article)))
    : h("p", { class: "empty" }, t("lendingAdmin.articles.none"));
  return h("section", { class: "setup-section", "aria-labelledby": "articles-heading" },
    h("h2", { id: "articles-heading" }, t("lendingAdmin.articles.heading")),
    h("p", { class: "hint" }, t("lendingAdmin.articles.hint")),
    canEdit ? articleForm(ctx) : null,
    list);
}
