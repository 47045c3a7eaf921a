// Holiday activities' shared parts: session cards, places, labels, and problem messages.
import { ApiError, NetworkError } from "./api.js";
import { h } from "./dom.js";
import { formatDate, formatNumber, hasText, t } from "./i18n.js";

export function categoryLabel(category) {
  return hasText(`activities.categories.${category}`) ? t(`activities.categories.${category}`) : category;
}

export function lovLabel(period) {
  return `${t(`activities.lovs.${period.kind}`)} ${period.year}`;
}

export function placesText(session) {
  if (session.status === "cancelled") return t("activities.cancelled");
  if (!session.signup_required) return t("activities.dropIn");
  if (session.free_places > 0) return t("activities.free", { count: session.free_places });
  return t("activities.full");
}

export function whenText(item) {
  return `${formatDate(item.local_date)} ${item.local_start}–${item.local_end}`;
}

export function costText(cost) {
  return Number(cost) === 0 ? t("activities.costFree") : t("activities.cost", { amount: formatNumber(Number(cost)) });
}

/** A session of the listing as a card with a link to its activity. */
export function sessionCard(session, { headingLevel = "h2", link = true } = {}) {
  const title = link
    ? h("a", { href: `/activity.html?id=${encodeURIComponent(session.activity_id)}` }, session.title)
    : session.title;
  return h("li", { class: "activity-card", dataset: { session: session.id } },
    h(headingLevel, {}, title),
    h("p", {}, whenText(session)),
    h("ul", { class: "activity-meta" },
      h("li", {}, categoryLabel(session.category)),
      h("li", {}, t("activities.ages", { min: session.age_min, max: session.age_max })),
      session.target_group !== "all" ? h("li", {}, t(`activities.targets.${session.target_group}`)) : null,
      session.place ? h("li", {}, session.place) : null,
      session.area_name ? h("li", {}, session.area_name) : null,
      h("li", {}, costText(session.cost)),
      session.wheelchair_access ? h("li", {}, t("activities.wheelchair")) : null),
    h("p", { class: "activity-places" }, placesText(session),
      session.waiting > 0 ? ` · ${t("activities.waiting", { count: session.waiting })}` : ""));
}

export function problemMessage(error) {
  if (error instanceof NetworkError) return t("errors.network");
  if (!(error instanceof ApiError)) return t("errors.unexpected", { detail: String(error) });
  if (error.status >= 500) return t("errors.server");
  if (error.status === 401) return t("errors.signedOut");
  if (error.status === 403) return t("errors.forbidden");
  if (error.status === 404) return t("errors.gone");
  return error.problem.detail || error.problem.title || String(error.status);
}

/** A role="alert" box listing the API's field errors (or its detail). */
export function errorBox(error, introKey) {
  const items = (error?.problem?.errors ?? []).map((e) => h("li", {}, `${e.field}: ${e.message}`));
  return h("div", { class: "alert alert-error", role: "alert" },
    h("p", {}, introKey ? t(introKey) : problemMessage(error)),
    items.length ? h("ul", {}, items) : h("p", {}, problemMessage(error)));
}

export function notice(text) {
  return h("p", { class: "notice notice-success" }, text);
}
