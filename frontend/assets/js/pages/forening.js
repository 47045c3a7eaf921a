// An association's public page (?id=, optionally &kommun=): what it does, for whom, where and when (its
// training times, derived from its approved bookings), its holiday activities and try-outs. No personal
// data: people reach the association through the interest request below (section#interest-request).
import { startPage } from "../app.js";
import { api, ApiError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDate, formatNumber, locale, t } from "../i18n.js";
import { problemText } from "../booking-ui.js";
import {
  ages, interestName, languageName, municipalitySlug, regularLine, regularMore, singleLine,
} from "../profiles-ui.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(window.location.search);
const status = $("club-status");
const root = $("club-profile");
const data = { slug: null, club: null, error: null };

async function load() {
  const id = params.get("id");
  try {
    data.slug = await municipalitySlug(params);
    if (!id || !data.slug) throw new ApiError(404, {});
    data.club = await api(`/api/association-directory/${encodeURIComponent(id)}?municipality=${
      encodeURIComponent(data.slug)}`);
  } catch (error) {
    data.error = error;
  }
  if (params.get("kommun")) $("back-link").setAttribute("href", `/foreningar.html?kommun=${encodeURIComponent(data.slug)}`);
}

function fact(label, ...value) {
  return [h("dt", {}, label), h("dd", {}, ...value)];
}

function accessibilityText(a) {
  const parts = [a.step_free ? t("profiles.page.stepFree") : null, a.accessible_toilet ? t("profiles.page.toilet") : null,
    a.hearing_loop ? t("profiles.page.loop") : null].filter(Boolean);
  if (a.notes) parts.push(a.notes);
  return parts.length ? parts.join(". ") : t("profiles.page.noAccessibility");
}

function costText(c) {
  const fee = c.membership_fee === null ? null
    : c.membership_fee === 0 ? t("profiles.feeFree") : t("profiles.fee", { fee: formatNumber(c.membership_fee) });
  return [fee, c.free_to_try ? t("profiles.freeToTry") : null].filter(Boolean).join(". ") || "–";
}

function timesSection(c) {
  const { regular, single } = c.training_times;
  return h("section", { class: "section", "aria-labelledby": "times-heading" },
    h("h2", { id: "times-heading" }, t("profiles.page.times")),
    !regular.length && !single.length ? h("p", {}, t("profiles.page.noTimes")) : null,
    regular.length ? [h("h3", {}, t("profiles.page.regularHeading")),
      h("ul", { class: "club-times", id: "regular-times" },
        regular.map((r) => h("li", {}, regularLine(r), h("br"), h("span", { class: "muted" }, regularMore(r)))))] : null,
    single.length ? [h("h3", {}, t("profiles.page.singleHeading")),
      h("ul", { class: "club-times", id: "single-times" }, single.map((d) => h("li", {}, singleLine(d))))] : null);
}

function activitiesSection(c) {
  if (!c.activities.length) return null;
  return h("section", { class: "section", "aria-labelledby": "activities-heading" },
    h("h2", { id: "activities-heading" }, t("profiles.page.activities")),
    h("ul", {}, c.activities.map((a) => h("li", {},
      h("a", { href: a.url }, t("profiles.page.activity", {
        title: (locale() === "en" && a.title_en) || a.title,
        date: formatDate(a.next_start.slice(0, 10), { day: "numeric", month: "long" }) })),
      a.try_out ? ` (${t("profiles.page.tryOutActivity")})` : null))));
}

function render(state) {
  if (state.loading) {
    status.textContent = t("profiles.page.loading");
    return;
  }
  if (data.error) {
    replaceChildren(root);
    status.textContent = data.error instanceof ApiError && data.error.status === 404 ? t("profiles.page.notFound")
      : problemText(data.error);
    return;
  }
  const c = data.club;
  $("club-name").textContent = c.name;
  document.title = `${c.name}${t("app.titleSeparator")}${t("app.name")}`;
  status.textContent = "";
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "what-heading" },
      h("h2", { id: "what-heading" }, t("profiles.page.what")),
      h("p", { id: "club-description" }, c.description),
      h("dl", { class: "club-facts" },
        fact(t("profiles.page.interests"), c.interests.map(interestName).join(", ")),
        fact(t("profiles.page.forWho"), c.for_whom.map((w) => t(`profiles.forWhom.${w}`)).join(", ")),
        fact(t("profiles.page.ages"), ages(c)),
        c.areas.length ? fact(t("profiles.page.areas"), c.areas.map((a) => a.name).join(", ")) : null,
        c.languages.length ? fact(t("profiles.page.languages"), c.languages.map(languageName).join(", ")) : null,
        fact(t("profiles.page.cost"), costText(c)),
        c.try_out_text ? fact(t("profiles.page.tryOut"), c.try_out_text) : null,
        fact(t("profiles.page.accessibility"), accessibilityText(c.accessibility)),
        c.website ? fact(t("profiles.page.website"), h("a", { href: c.website, rel: "noopener" }, c.website)) : null),
      h("p", { class: "muted" }, t("profiles.page.published", { date: formatDate(c.published_at.slice(0, 10)) }))),
    timesSection(c),
    activitiesSection(c),
    c.requests_paused ? h("p", { class: "notice" }, t("profiles.page.paused")) : null);
}

startPage({ current: "foreningar", titleKey: "profiles.page.title", load, render });
