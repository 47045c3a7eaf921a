// The lending desk (lending staff): one scan field that always has the focus. A keyboard-mode scanner
// types a code and Enter. A card number starts a transaction, label codes (or whole label URLs) add items,
// the card scanned again (or "Låna ut") lends them. In return mode each scanned label is taken back at the
// chosen site, with the condition chosen. Camera scanning where the browser has BarcodeDetector.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDate, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { articleName, classifyScan, feedback, problemWords } from "../circulation-ui.js";

const $ = (id) => document.getElementById(id);
const SITE_KEY = "booking.deskSite";
const SHORT = { day: "numeric", month: "long", year: "numeric" };

const data = { allowed: false, sites: [], holder: null, pending: [], busy: false, reported: [], shelf: [] };

function mode() {
  return $("mode-return").checked ? "return" : "lend";
}

function site() {
  return $("desk-site").value;
}

function ok(text) {
  feedback($("desk-feedback"), $("desk-error"), true, text);
}

function fail(text) {
  feedback($("desk-feedback"), $("desk-error"), false, text);
}

function refocus() {
  $("scan").focus();
}

async function load(state) {
  if (!state.session) {
    if (!state.sessionError) window.location.replace(loginUrl("/desk.html"));
    return;
  }
  data.allowed = hasRole(state.session, "lending_staff");
  if (!data.allowed) return;
  const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
  data.sites = await fetchAll("/api/sites", { municipality: municipality.slug });
}

// --- lending ---------------------------------------------------------------------------------------

async function readCard(number) {
  if (data.holder && data.holder.card_number === number) {
    await lend();
    return;
  }
  if (data.pending.length && data.holder) {
    fail(t("circulation.desk.needCard"));
    return;
  }
  data.holder = await api(`/api/lending/desk/cards/${encodeURIComponent(number)}`);
  data.pending = [];
  renderTransaction();
  ok(t("circulation.desk.cardRead", { name: data.holder.name }));
}

function addItem(code) {
  if (!data.holder) {
    fail(t("circulation.desk.needCard"));
    return;
  }
  if (data.pending.includes(code)) {
    fail(t("circulation.desk.duplicate", { code }));
    return;
  }
  data.pending.push(code);
  renderTransaction();
  ok(t("circulation.desk.itemAdded", { code }));
}

async function lend() {
  if (!data.holder) return fail(t("circulation.desk.needCard"));
  if (!data.pending.length) return fail(t("circulation.desk.noPending"));
  const outcome = await api("/api/lending/loans", { method: "POST",
    body: { card_number: data.holder.card_number, site_id: site(), codes: data.pending } });
  const due = outcome.loans.map((loan) => loan.due_on).sort()[0];
  data.holder = await api(`/api/lending/desk/cards/${encodeURIComponent(data.holder.card_number)}`);
  data.pending = [];
  renderTransaction();
  ok(t("circulation.desk.lent", { names: outcome.loans.map(articleName).join(", "),
    date: formatDate(due, SHORT) }));
}

async function renew(loan) {
  await guarded(async () => {
    const renewed = await api(`/api/lending/loans/${encodeURIComponent(loan.id)}/renewal`, { method: "POST" });
    data.holder = await api(`/api/lending/desk/cards/${encodeURIComponent(data.holder.card_number)}`);
    renderTransaction();
    ok(t("circulation.desk.renewed", { date: formatDate(renewed.due_on, SHORT) }));
  });
}

function clearTransaction() {
  data.holder = null;
  data.pending = [];
  renderTransaction();
  replaceChildren($("desk-feedback"));
  replaceChildren($("desk-error"));
  refocus();
}

// --- finding a borrower without the card ------------------------------------------------------------

async function search(text) {
  const page = await api(`/api/lending/borrowers?q=${encodeURIComponent(text.slice(0, 100))}&limit=10`);
  const found = page.items.filter((b) => b.card_number);
  const section = $("desk-search");
  section.hidden = found.length === 0;
  replaceChildren($("search-results"), found.map((b) => h("li", {},
    h("span", {}, h("strong", {}, b.name), " · ", t("circulation.desk.born", { year: b.birth_year })),
    h("button", { type: "button", class: "button button-quiet", onClick: () => guarded(async () => {
      section.hidden = true;
      replaceChildren($("search-results"));
      await readCard(b.card_number);
    }) }, t("circulation.desk.choose", { name: b.name })))));
  if (found.length) ok(t("circulation.desk.found", { count: found.length }));
  else fail(t("circulation.desk.nobody", { text: text.slice(0, 60) }));
}

// --- returns ---------------------------------------------------------------------------------------

async function takeBack(code) {
  const outcome = await api("/api/lending/returns", { method: "POST", body: {
    code, site_id: site(), condition: $("return-condition").value, note: $("return-note").value.trim() || null } });
  const name = articleName(outcome.loan);
  const parts = [outcome.overdue_days > 0
    ? t("circulation.desk.returnedOverdue", { name, code, days: outcome.overdue_days })
    : t("circulation.desk.returned", { name, code })];
  if (outcome.hold) parts.push(t("circulation.desk.toHoldShelf", { name: outcome.hold.borrower_name ?? "" }));
  else if (outcome.item_status === "in_repair") parts.push(t("circulation.desk.toRepair"));
  else if (outcome.item_status === "being_checked") parts.push(t("circulation.desk.toCheck"));
  $("return-note").value = "";
  ok(parts.join(" "));
  await refreshReturns();
}

/** Return mode's lists: returns reported by phone (to confirm by scanning) and this site's hold shelf. */
async function refreshReturns() {
  if (mode() !== "return") return;
  try {
    const [reported, shelf] = await Promise.all([
      api("/api/lending/loans?reported=true&limit=200"),
      site() ? api(`/api/lending/holds?status=ready&site_id=${encodeURIComponent(site())}`) : Promise.resolve([]),
    ]);
    data.reported = reported.items;
    data.shelf = shelf;
  } catch (error) {
    fail(problemWords(error));
  }
  renderReturns();
}

function renderReturns() {
  const section = $("desk-returns");
  section.hidden = mode() !== "return";
  if (section.hidden) return;
  replaceChildren($("reported"), data.reported.length
    ? data.reported.map((loan) => h("li", {}, h("span", {}, h("strong", {}, articleName(loan)), " ",
      h("span", { class: "item-code" }, loan.label_code ?? ""), " · ", loan.borrower_name ?? "")))
    : h("li", {}, t("circulation.desk.noneReported")));
  replaceChildren($("shelf"), data.shelf.length
    ? data.shelf.map((hold) => h("li", {}, t("circulation.desk.shelfLine", { name: articleName(hold),
      code: hold.label_code ?? "", borrower: hold.borrower_name ?? "", date: formatDate(hold.expires_on, SHORT) })))
    : h("li", {}, t("circulation.desk.noneReported")));
}

// --- the scan field --------------------------------------------------------------------------------

async function guarded(work) {
  if (data.busy) return;
  data.busy = true;
  try {
    await work();
  } catch (error) {
    fail(problemWords(error));
  } finally {
    data.busy = false;
    refocus();
  }
}

async function handleScan(raw) {
  if (!raw.trim()) return;
  if (!site()) {
    fail(t("circulation.desk.chooseSite"));
    return;
  }
  const scan = classifyScan(raw);
  if (scan.kind === "unknown" && mode() === "lend" && /\p{L}{2}/u.test(scan.value)) {
    await search(scan.value);
    return;
  }
  if (scan.kind === "unknown") {
    fail(t("circulation.desk.unknownScan", { value: scan.value.slice(0, 60) }));
    return;
  }
  if (mode() === "return") {
    if (scan.kind !== "item") return fail(t("circulation.desk.unknownScan", { value: scan.value }));
    await takeBack(scan.value);
    return;
  }
  if (scan.kind === "card") await readCard(scan.value);
  else addItem(scan.value);
}

function onSubmit(event) {
  event.preventDefault();
  const input = $("scan");
  const value = input.value;
  input.value = "";
  guarded(() => handleScan(value));
}

// --- camera ----------------------------------------------------------------------------------------

let stream = null;

async function toggleCamera() {
  const video = $("camera");
  const button = $("camera-toggle");
  if (stream) {
    stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    button.textContent = t("circulation.desk.camera");
    refocus();
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    fail(t("circulation.desk.cameraFailed"));
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  video.setAttribute("aria-label", t("circulation.desk.cameraLabel"));
  await video.play();
  button.textContent = t("circulation.desk.cameraStop");
  const detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128", "ean_13"] });
  let last = "";
  const tick = async () => {
    if (!stream) return;
    try {
      const codes = await detector.detect(video);
      const value = codes[0]?.rawValue;
      if (value && value !== last) {
        last = value;
        await guarded(() => handleScan(value));
        setTimeout(() => { last = ""; }, 1500);
      }
    } catch {
      // a frame that cannot be read: try the next
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// --- drawing ---------------------------------------------------------------------------------------

function loanLine(loan) {
  const due = loan.overdue
    ? h("span", { class: "loan-overdue" }, "⚠ ", t("circulation.desk.overdue", { date: formatDate(loan.due_on, SHORT) }))
    : h("span", {}, t("circulation.desk.due", { date: formatDate(loan.due_on, SHORT) }));
  return h("li", {},
    h("span", {}, h("strong", {}, articleName(loan)), " ", h("span", { class: "item-code" }, loan.label_code ?? ""),
      h("br"), due, loan.return_reported_at ? [" · ", t("circulation.desk.reported")] : null),
    h("button", { type: "button", class: "button button-quiet", onClick: () => renew(loan) },
      t("circulation.desk.renew", { name: articleName(loan) })));
}

function renderTransaction() {
  const section = $("desk-transaction");
  section.hidden = !data.holder;
  if (!data.holder) return;
  const p = data.holder;
  replaceChildren($("borrower"),
    h("p", {}, h("strong", {}, p.name), " · ", t("circulation.desk.born", { year: p.birth_year }),
      p.minor ? [" · ", t("circulation.desk.minor")] : null, " · ",
      t("circulation.desk.loanCount", { count: p.loans.length, max: p.max_loans })),
    p.blocked_reason ? h("p", { class: "loan-overdue" }, "⚠ ", t("circulation.desk.blocked", { reason: p.blocked_reason }))
      : null,
    p.holds.some((hold) => hold.status === "ready")
      ? h("p", {}, t("circulation.desk.holdsReady"), ": ",
        p.holds.filter((hold) => hold.status === "ready").map((hold) => `${articleName(hold)} (${hold.label_code})`)
          .join(", "))
      : null);
  replaceChildren($("pending"), data.pending.length
    ? data.pending.map((code) => h("li", {}, h("span", { class: "item-code" }, code),
      h("button", { type: "button", class: "button button-quiet", onClick: () => {
        data.pending = data.pending.filter((c) => c !== code);
        renderTransaction();
        refocus();
      } }, t("circulation.desk.remove", { code }))))
    : h("li", {}, t("circulation.desk.noPending")));
  replaceChildren($("loans"), p.loans.length ? p.loans.map(loanLine) : h("li", {}, t("circulation.desk.noLoans")));
}

function render(state) {
  if (state.loading) return;
  $("desk-denied").hidden = data.allowed;
  $("desk").hidden = !data.allowed;
  if (!data.allowed) return;
  const select = $("desk-site");
  const chosen = select.value || localStorage.getItem(SITE_KEY) || "";
  replaceChildren(select, h("option", { value: "" }, "—"),
    data.sites.map((s) => h("option", { value: s.id, selected: s.id === chosen }, s.name)));
  $("scan-hint").textContent = t(mode() === "return" ? "circulation.desk.scanHintReturn"
    : "circulation.desk.scanHintLend");
  $("return-options").hidden = mode() !== "return";
  $("camera-toggle").hidden = !("BarcodeDetector" in window);
  renderTransaction();
  renderReturns();
}

let wired = false;

function wire(state) {
  if (wired || !data.allowed) return;
  wired = true;
  $("scan-form").addEventListener("submit", onSubmit);
  $("desk-site").addEventListener("change", async () => {
    localStorage.setItem(SITE_KEY, site());
    await refreshReturns();
    refocus();
  });
  for (const radio of document.querySelectorAll("input[name=desk-mode]")) {
    radio.addEventListener("change", async () => {
      clearTransaction();
      render(state);
      await refreshReturns();
      refocus();
    });
  }
  $("lend").addEventListener("click", () => guarded(lend));
  $("clear").addEventListener("click", clearTransaction);
  $("camera-toggle").addEventListener("click", () => toggleCamera());
  // Escape empties the field (the scan field never traps focus: Tab moves on as usual).
  $("scan").addEventListener("keydown", (event) => {
    if (event.key === "Escape") $("scan").value = "";
  });
  refocus();
  // A lending card's QR code (/k/<number>) lands here with ?card=: read it as if it were scanned.
  const card = new URLSearchParams(window.location.search).get("card");
  if (card) {
    window.history.replaceState(null, "", "/desk.html");
    guarded(() => handleScan(card));
  }
}

startPage({
  current: "desk",
  titleKey: "circulation.desk.title",
  load,
  render: (state) => {
    render(state);
    if (!state.loading) wire(state);
  },
});

