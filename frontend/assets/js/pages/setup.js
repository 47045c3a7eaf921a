// "Kom igång" (administrators): the municipality's set-up checklist, each step done or missing with its
// count and a link to the page that sets it. Administrators land here after signing in until it is done.
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { problemText } from "../booking-ui.js";
import { gate, gateMessage, municipalityOf } from "../setup-ui.js";

const root = document.getElementById("setup-page");
const data = { access: null, checklist: null, error: null };

async function load(state) {
  data.access = gate(state, "/setup.html");
  if (data.access !== "admin") {
    data.error = state.sessionError;
    return;
  }
  try {
    data.checklist = await api(`/api/municipalities/${encodeURIComponent(municipalityOf(state))}/setup`);
  } catch (error) {
    data.error = error;
  }
}

function stepItem(item) {
  const name = t(`setup.checklist.steps.${item.step}`);
  const headingId = `step-${item.step}`;
  const facts = [t(`setup.checklist.counts.${item.step}`, { count: item.count })];
  if (item.lacking) facts.push(t(`setup.checklist.lacking.${item.step}`, { count: item.lacking }));
  const link = item.page
    ? h("a", { href: item.page, "aria-describedby": headingId }, t("setup.checklist.open", { name: name.toLowerCase() }))
    : h("span", { class: "muted" }, t("setup.checklist.viaApi"));
  return h("li", { class: "setup-step", dataset: { step: item.step, done: String(item.done) } },
    h("h2", { id: headingId },
      h("span", { class: `badge ${item.done ? "badge-approved" : "badge-pending"}` },
        t(item.done ? "setup.checklist.done" : "setup.checklist.missing")),
      " ", name),
    facts.map((text) => h("p", {}, text)),
    h("p", {}, link));
}

function render(state) {
  if (state.loading) return;
  if (data.access !== "admin") {
    replaceChildren(root, gateMessage(data.access, data.error));
    return;
  }
  if (!data.checklist) {
    replaceChildren(root, h("p", { class: "alert alert-error", role: "alert" },
      `${t("setup.checklist.loadFailed")} ${problemText(data.error)}`));
    return;
  }
  const items = data.checklist.items;
  const done = items.filter((item) => item.done).length;
  replaceChildren(root,
    data.checklist.complete ? h("p", { class: "notice notice-success" }, t("setup.checklist.complete")) : null,
    h("p", { id: "setup-progress" }, t("setup.checklist.progress", { done, total: items.length })),
    h("ol", { class: "setup-list", "aria-describedby": "setup-progress" }, items.map(stepItem)));
}

startPage({ current: "setup", titleKey: "setup.checklist.title", load, render });
