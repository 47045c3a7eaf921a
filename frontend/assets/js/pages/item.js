// The item page on the phone (/q/{CODE} redirects here): what the item is, whether it is on the shelf and
// where. A borrower signs in with card number and PIN (kept for this tab only, in sessionStorage) and
// borrows it when the article allows self-service and the rules allow; otherwise they are told to ask at
// the desk. Their own loan of it can be reported returned; staff confirm when they scan it.
import { startPage } from "../app.js";
import { ApiError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDate, t } from "../i18n.js";
import {
  articleName,
  borrowerApi,
  borrowerSession,
  feedback,
  forgetBorrower,
  problemWords,
  signInBorrower,
  signInProblem,
} from "../circulation-ui.js";

const $ = (id) => document.getElementById(id);
const SHORT = { day: "numeric", month: "long", year: "numeric" };
const code = (new URLSearchParams(window.location.search).get("code") ?? "").trim();
const data = { item: null, problem: null, busy: false };

function ok(text) {
  feedback($("item-feedback"), $("item-error"), true, text, { sound: false });
}

function fail(text) {
  feedback($("item-feedback"), $("item-error"), false, text, { sound: false });
}

async function fetchItem() {
  try {
    data.item = await borrowerApi(`/api/lending/self-service/items/${encodeURIComponent(code)}`);
    data.problem = null;
  } catch (error) {
    if (error.sessionEnded) {
      data.item = await borrowerApi(`/api/lending/self-service/items/${encodeURIComponent(code)}`);
      fail(t("circulation.item.sessionEnded"));
      return;
    }
    data.item = null;
    data.problem = error instanceof ApiError && (error.status === 404 || error.status === 422)
      ? t("circulation.item.notFound", { code: code.slice(0, 40) }) : problemWords(error);
  }
}

async function load() {
  if (!code) {
    data.problem = t("circulation.item.noCode");
    return;
  }
  await fetchItem();
}

async function act(work) {
  if (data.busy) return;
  data.busy = true;
  try {
    await work();
  } catch (error) {
    fail(problemWords(error));
    if (error.sessionEnded) await fetchItem();
  } finally {
    data.busy = false;
    render();
  }
}

function borrow() {
  return act(async () => {
    const loan = await borrowerApi("/api/lending/self-service/loans", { method: "POST", body: { code } });
    await fetchItem();
    ok(t("circulation.item.borrowed", { name: articleName(loan), date: formatDate(loan.due_on, SHORT) }));
    $("item-feedback").focus?.();
  });
}

function reportReturn() {
  return act(async () => {
    await borrowerApi(`/api/lending/self-service/loans/${encodeURIComponent(data.item.my_loan_id)}/return`,
      { method: "POST" });
    ok(t("circulation.item.returnReported"));
  });
}

function facts(item) {
  const ages = item.min_age !== null && item.max_age !== null
    ? t("circulation.item.agesBetween", { min: item.min_age, max: item.max_age })
    : item.min_age !== null ? t("circulation.item.ages", { min: item.min_age }) : null;
  return [
    h("li", {}, h("span", { class: `item-state ${item.available ? "is-available" : "is-unavailable"}` },
      item.available ? "✔ " : "✖ ", t(item.available ? "circulation.item.available" : "circulation.item.unavailable"))),
    h("li", {}, t("circulation.item.where", { site: item.site_name })),
    item.description ? h("li", {}, item.description) : null,
    ages ? h("li", {}, ages) : null,
    h("li", {}, t(item.self_service ? "circulation.item.selfService" : "circulation.item.deskOnly")),
    h("li", { class: "item-code" }, item.code),
  ];
}

function actions(item) {
  if (item.my_loan_id) {
    return [h("p", {}, t("circulation.item.yours", { date: formatDate(item.my_loan_due_on, SHORT) })),
      h("button", { type: "button", class: "button", onClick: reportReturn }, t("circulation.item.reportReturn"))];
  }
  if (item.may_borrow) {
    return h("button", { type: "button", class: "button", id: "borrow", onClick: borrow },
      t("circulation.item.borrow", { name: articleName(item) }));
  }
  const reasons = item.reasons.map((r) => t(`circulation.reasons.${r.code}`));
  const onlyAway = item.reasons.length === 1 && item.reasons[0].code === "not-available";
  if (onlyAway) {
    // On loan to someone else: the borrower may queue for it here.
    return [h("p", {}, t("circulation.reasons.not-available")),
      h("button", { type: "button", class: "button", onClick: hold }, t("circulation.item.hold", { name: articleName(item) }))];
  }
  return h("div", { class: "notice" }, h("p", {}, t("circulation.item.askDesk")),
    reasons.length ? h("ul", {}, reasons.map((r) => h("li", {}, r))) : null);
}

function hold() {
  return act(async () => {
    const placed = await borrowerApi("/api/lending/self-service/holds", { method: "POST",
      body: { article_id: data.item.article_id, site_id: data.item.site_id } });
    ok(placed.status === "ready"
      ? t("circulation.loans.holdReady", { date: formatDate(placed.expires_on, SHORT) })
      : t("circulation.item.held", { position: placed.position ?? 1 }));
  });
}

function render(state) {
  if (state?.loading) return;
  $("item-problem").hidden = !data.problem;
  $("item-problem").textContent = data.problem ?? "";
  $("item").hidden = !data.item;
  if (!data.item) return;
  const item = data.item;
  $("item-title").textContent = articleName(item);
  replaceChildren($("item-facts"), facts(item));
  const session = borrowerSession();
  $("signin-form").hidden = Boolean(session);
  $("borrower-actions").hidden = !session;
  if (session) {
    $("signed-in-as").textContent = t("circulation.item.signedInAs", { name: session.name });
    replaceChildren($("item-actions"), actions(item));
  }
}

async function onSignIn(event) {
  event.preventDefault();
  await act(async () => {
    try {
      await signInBorrower($("card-number").value, $("pin").value);
    } catch (error) {
      fail(signInProblem(error));
      return;
    }
    $("pin").value = "";
    replaceChildren($("item-error"));
    await fetchItem();
    ok(t("circulation.item.signedInAs", { name: borrowerSession()?.name ?? "" }));
  });
}

let wired = false;

startPage({
  current: "item",
  titleKey: "circulation.item.title",
  load,
  render: (state) => {
    render(state);
    if (state.loading || wired) return;
    wired = true;
    $("signin-form").addEventListener("submit", onSignIn);
    $("sign-out").addEventListener("click", async () => {
      forgetBorrower();
      await fetchItem();
      render();
    });
  },
});
