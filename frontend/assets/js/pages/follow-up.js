// The follow-up of a holiday (for the grant report): totals, participants by gender and age group,
// and the equity view: participants per 1,000 children living in each area, each child counted in their
// HOME area (not the activity's), with those of unknown home area and the drop-in visitors on lines of
// their own. Printable; CSV.
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatNumber, t } from "../i18n.js";
import { errorBox, lovLabel } from "../activities-ui.js";

const lovSelect = document.getElementById("lov");
const reportBox = document.getElementById("report");
const csvBox = document.getElementById("csv");
const data = { periods: [], report: null, error: null };

async function loadReport() {
  data.report = null;
  if (!lovSelect.value) return;
  try {
    data.report = await api(`/api/activity-follow-up?period_id=${encodeURIComponent(lovSelect.value)}`);
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load() {
  try {
    data.periods = await api("/api/holiday-periods");
  } catch (error) {
    data.error = error;
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  const current = data.periods.filter((p) => p.first_day <= today).at(-1) ?? data.periods[0];
  fill();
  lovSelect.value = current?.id ?? "";
  await loadReport();
}

function fill() {
  const keep = lovSelect.value;
  replaceChildren(lovSelect, h("option", { value: "" }, t("activities.followUp.pick")),
    data.periods.map((p) => h("option", { value: p.id }, `${lovLabel(p)} (${p.first_day} – ${p.last_day})`)));
  lovSelect.value = keep;
}

function table(caption, head, rows) {
  return h("table", { class: "report-table" }, h("caption", {}, caption),
    h("thead", {}, h("tr", {}, head.map((label) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, rows.map(([label, ...values]) => h("tr", {}, h("th", { scope: "row" }, label),
      values.map((v) => h("td", { class: "number" }, v))))));
}

function render(state) {
  fill();
  if (state.loading) return;
  if (data.error) return replaceChildren(reportBox, errorBox(data.error));
  const r = data.report;
  if (!r) {
    replaceChildren(csvBox);
    return replaceChildren(reportBox, h("p", {}, t("activities.followUp.pick")));
  }
  replaceChildren(csvBox, h("a", { href: `/api/activity-follow-up/report.csv?period_id=${encodeURIComponent(lovSelect.value)}`,
    download: "" }, t("activities.followUp.csv")));
  const n = (v) => formatNumber(v);
  replaceChildren(reportBox,
    h("h2", { id: "report-heading" }, `${t("activities.followUp.totals")}: ${r.first_day} – ${r.last_day}`),
    table(t("activities.followUp.totals"), [t("activities.followUp.measure"), t("activities.followUp.number")], [
      [t("activities.followUp.activities"), n(r.activities)], [t("activities.followUp.sessions"), n(r.sessions)],
      [t("activities.followUp.places"), n(r.places)], [t("activities.followUp.signUps"), n(r.sign_ups)],
      [t("activities.followUp.waiting"), n(r.waiting)], [t("activities.followUp.attended"), n(r.attended)],
      [t("activities.followUp.dropIn"), n(r.drop_in_visitors)]]),
    table(t("activities.followUp.byGender"), [t("activities.followUp.gender"), t("activities.followUp.participants")],
      Object.entries(r.participants_by_gender).map(([g, v]) => [t(`activities.genders.${g}`), n(v)])),
    table(t("activities.followUp.byAge"), [t("activities.followUp.ageGroup"), t("activities.followUp.participants")],
      Object.entries(r.participants_by_age_group).map(([g, v]) => [g, n(v)])),
    h("h2", { id: "equity-heading" }, t("activities.followUp.equity")),
    h("p", {}, t("activities.followUp.equityIntro"), " ", t("homeArea.followUpIntro")),
    table(t("homeArea.followUpHeading"), [t("activities.followUp.areaName"), t("activities.followUp.participants"),
      t("activities.followUp.population"), t("activities.followUp.per1000")],
    [...r.equity.map((a) => [a.area_name, n(a.participants),
      a.population_0_17 === null ? t("activities.followUp.unknownPopulation") : n(a.population_0_17),
      a.per_1000 === null ? "–" : n(a.per_1000)]),
    [t("homeArea.unknown"), n(r.participants_unknown_home_area), "–", "–"],
    [t("homeArea.dropIn"), n(r.drop_in_visitors), "–", "–"]]),
    h("p", { class: "no-print" }, h("a", { href: "/import.html?kind=postcode_areas" }, t("homeArea.postcodesImport"))));
}

lovSelect.addEventListener("change", async () => {
  await loadReport();
  render({ loading: false });
});
document.getElementById("pick").addEventListener("submit", (event) => event.preventDefault());
document.getElementById("print").addEventListener("click", () => window.print());

startPage({ current: "follow-up", titleKey: "activities.followUp.title", load, render });
