// The follow-up of föreningsmatchning for staff: interest requests and answers per home area (with the reach
// per 1,000 children), interest, age group and gender, the requests left unanswered after 14 days, and CSV.
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatNumber, t } from "../i18n.js";
import { hasRole } from "../session.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { downloadLink } from "../forms.js";

const form = document.getElementById("period");
const from = document.getElementById("from");
const to = document.getElementById("to");
const status = document.getElementById("status");
const root = document.getElementById("report");
const data = { report: null, unanswered: null, error: null, allowed: false, redirecting: false };

function period() {
  const out = {};
  if (from.value) out.from = from.value;
  if (to.value) out.to = to.value;
  return out;
}

async function fetchReport() {
  try {
    const query = new URLSearchParams(period());
    [data.report, data.unanswered] = await Promise.all([
      api(`/api/association-matching/follow-up?${query}`),
      api("/api/interest-requests/unanswered?days=14"),
    ]);
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load(state) {
  if (!signedIn(state, data, window.location.pathname)) return;
  data.allowed = hasRole(state.session, "premises_staff", "activities_staff", "lending_staff");
  if (data.allowed) await fetchReport();
}

function table(captionKey, rows, { per1000 = false } = {}) {
  const captionId = `caption-${captionKey.split(".").at(-1)}`;
  return h("div", { class: "table-wrap", role: "region", "aria-labelledby": captionId, tabindex: "0" },
    h("table", { class: "follow-up-table" },
    h("caption", { id: captionId }, t(captionKey)),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("matchingRequests.followUp.colName")),
      h("th", { scope: "col" }, t("matchingRequests.followUp.colRequests")),
      h("th", { scope: "col" }, t("matchingRequests.followUp.colAnswered")),
      per1000 ? h("th", { scope: "col" }, t("matchingRequests.followUp.colPer1000")) : null)),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.name),
      h("td", { class: "number" }, formatNumber(r.requests)),
      h("td", { class: "number" }, formatNumber(r.answered)),
      per1000 ? h("td", { class: "number" }, r.per_1000 === null ? "–" : formatNumber(r.per_1000)) : null)))));
}

function groupName(key, name) {
  if (key === "unknown") return t("matchingRequests.followUp.unknown");
  return name;
}

function draw(state) {
  if (state && drawnInstead(state, data, { status, root, notAllowed: t("matchingRequests.followUp.notAllowed"),
    loadFailed: t("matchingRequests.followUp.failed") })) return;
  const r = data.report;
  if (!r) return;
  if (!from.value) from.value = r.first_day;
  if (!to.value) to.value = r.last_day;
  status.textContent = t("matchingRequests.followUp.totals", { requests: r.requests, answered: r.answered,
    counter: r.via_counter });
  const genders = { female: t("matchingRequests.request.genderFemale"), male: t("matchingRequests.request.genderMale"),
    other: t("matchingRequests.request.genderOther") };
  replaceChildren(root,
    table("matchingRequests.followUp.byArea", r.by_area.map((a) => ({ ...a,
      name: a.area_name ?? t("matchingRequests.followUp.noArea") })), { per1000: true }),
    table("matchingRequests.followUp.byInterest", r.by_interest),
    table("matchingRequests.followUp.byAgeGroup", r.by_age_group.map((g) => ({ ...g, name: groupName(g.key, g.name) }))),
    table("matchingRequests.followUp.byGender", r.by_gender.map((g) => ({ ...g,
      name: genders[g.key] ?? groupName(g.key, g.name) }))),
    h("p", {}, downloadLink("/api/association-matching/follow-up.csv", period(), t("matchingRequests.followUp.csv"))),
    h("h2", {}, t("matchingRequests.followUp.unanswered")),
    data.unanswered.items.length
      ? h("ul", {}, data.unanswered.items.map((u) => h("li", {},
        t("matchingRequests.followUp.waiting", { name: u.association_name, days: u.days_waiting }))))
      : h("p", {}, t("matchingRequests.followUp.unansweredNone")));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  await fetchReport();
  draw();
  status.focus();
});

startPage({
  current: "matchingFollowUp",
  titleKey: "matchingRequests.followUp.title",
  load,
  render(state) {
    draw(state);
  },
});
