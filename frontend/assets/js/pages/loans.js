// "Mina lån" for a borrower signed in with card number and PIN: open loans with due dates, renewing,
// reporting a return, and holds (queue position or ready to collect) with cancelling.
import { startPage } from "../app.js";
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
const data = { mine: null, busy: false };

function ok(text) {
  feedback($("loans-feedback"), $("loans-error"), true, text, { sound: false });
}

function fail(text) {
  feedback($("loans-feedback"), $("loans-error"), false, text, { sound: false });
}

async function fetchMine() {
  if (!borrowerSession()) {
    data.mine = null;
    return;
  }
  try {
    data.mine = await borrowerApi("/api/lending/self-service/me");
  } catch (error) {
    data.mine = null;
    fail(error.sessionEnded ? t("circulation.item.sessionEnded") : problemWords(error));
  }
}

async function act(work) {
  if (data.busy) return;
  data.busy = true;
  try {
    await work();
  } catch (error) {
    fail(problemWords(error));
  } finally {
    data.busy = false;
    await fetchMine();
    render();
  }
}

function loanLine(loan) {
  const due = loan.overdue
    ? h("span", { class: "loan-overdue" }, "⚠ ", t("circulation.desk.overdue", { date: formatDate(loan.due_on, SHORT) }))
    : h("span", {}, t("circulation.desk.due", { date: formatDate(loan.due_on, SHORT) }));
  return h("li", {},
    h("span", {}, h("strong", {}, articleName(loan)), h("br"), due,
      loan.return_reported_at ? [h("br"), t("circulation.item.returnReported")] : null),
    h("span", { class: "desk-actions" },
      h("button", { type: "button", class: "button button-quiet", onClick: () => act(async () => {
        const renewed = await borrowerApi(`/api/lending/self-service/loans/${encodeURIComponent(loan.id)}/renewal`,
          { method: "POST" });
        ok(t("circulation.desk.renewed", { date: formatDate(renewed.due_on, SHORT) }));
      }) }, t("circulation.desk.renew", { name: articleName(loan) })),
      loan.return_reported_at ? null : h("button", { type: "button", class: "button button-quiet",
        onClick: () => act(async () => {
          await borrowerApi(`/api/lending/self-service/loans/${encodeURIComponent(loan.id)}/return`,
            { method: "POST" });
          ok(t("circulation.item.returnReported"));
        }) }, t("circulation.item.reportReturn"))));
}

function holdLine(hold) {
  const state = hold.status === "ready"
    ? t("circulation.loans.holdReady", { date: formatDate(hold.expires_on, SHORT) })
    : t("circulation.loans.holdWaiting", { position: hold.position ?? 1 });
  return h("li", {}, h("span", {}, h("strong", {}, articleName(hold)), h("br"), state),
    h("button", { type: "button", class: "button button-quiet", onClick: () => act(async () => {
      await borrowerApi(`/api/lending/self-service/holds/${encodeURIComponent(hold.id)}`, { method: "DELETE" });
      ok(t("circulation.loans.cancelled"));
    }) }, t("circulation.loans.cancelHold", { name: articleName(hold) })));
}

function render(state) {
  if (state?.loading) return;
  const session = borrowerSession();
  $("signin-form").hidden = Boolean(session && data.mine);
  $("mine").hidden = !data.mine;
  if (!data.mine) return;
  $("signed-in-as").textContent = t("circulation.item.signedInAs", { name: data.mine.name });
  replaceChildren($("my-loans"), data.mine.loans.length ? data.mine.loans.map(loanLine)
    : h("li", {}, t("circulation.loans.none")));
  replaceChildren($("my-holds"), data.mine.holds.length ? data.mine.holds.map(holdLine)
    : h("li", {}, t("circulation.loans.noHolds")));
}

let wired = false;

startPage({
  current: "loans",
  titleKey: "circulation.loans.title",
  load: fetchMine,
  render: (state) => {
    render(state);
    if (state.loading || wired) return;
    wired = true;
    $("signin-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await signInBorrower($("card-number").value, $("pin").value);
      } catch (error) {
        fail(signInProblem(error));
        return;
      }
      $("pin").value = "";
      replaceChildren($("loans-error"));
      await fetchMine();
      render();
    });
    $("sign-out").addEventListener("click", () => {
      forgetBorrower();
      data.mine = null;
      render();
    });
  },
});
