// Attendance of one session (?session=<id>), for the activity's staff: the list with needs, ticks,
// cancelling a registration (the waiting list moves up), ticket scanning (a keyboard scanner
// types into the field; the camera with BarcodeDetector where the browser has it; typing always
// works), and for drop-in sessions the visitors counted by gender and age group, without names.
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { errorBox, notice, whenText } from "../activities-ui.js";

const GENDERS = ["female", "male", "other"];
const GROUPS = ["6-9", "10-12", "13-15", "16+"];
const sessionId = new URLSearchParams(window.location.search).get("session") ?? "";
const noticeBox = document.getElementById("notice");
const rosterBox = document.getElementById("roster");
const summary = document.getElementById("summary");
const dropinBox = document.getElementById("dropin");
const scanForm = document.getElementById("scan-form");
const ticketInput = document.getElementById("ticket");
const cameraButton = document.getElementById("camera");
const video = document.getElementById("camera-view");
const data = { roster: null, error: null, stream: null };

async function refresh() {
  try {
    data.roster = await api(`/api/activity-sessions/${encodeURIComponent(sessionId)}/registrations`);
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function act(promise, message) {
  try {
    await promise;
    replaceChildren(noticeBox, notice(message));
    await refresh();
    render({ loading: false });
  } catch (error) {
    replaceChildren(noticeBox, errorBox(error));
  }
}

function row(p) {
  const confirmed = p.status === "confirmed";
  const id = `present-${p.registration_id}`;
  return h("tr", { dataset: { registration: p.registration_id } },
    h("td", {}, p.first_name), h("td", {}, String(p.birth_year)),
    h("td", {}, t(`activities.mine.status.${p.status}`)), h("td", {}, String(p.queue_no)),
    h("td", {}, p.needs ?? ""),
    h("td", {}, h("div", { class: "roster-actions" },
      confirmed ? h("span", { class: "field-check" },
        h("input", { type: "checkbox", id, checked: p.attended, onchange: (event) => act(
          api(`/api/activity-sessions/${sessionId}/registrations/${p.registration_id}/attendance`,
            { method: "PUT", body: { present: event.currentTarget.checked } }),
          t("activities.attendance.present", { name: p.first_name })) }),
        h("label", { for: id }, t("activities.attendance.present", { name: p.first_name }))) : null,
      p.status !== "cancelled" ? h("button", { type: "button", class: "button button-small button-quiet",
        onclick: () => act(api(`/api/registrations/${p.registration_id}/cancellation`, { method: "POST" }),
          t("activities.attendance.cancelled", { name: p.first_name })) },
      t("activities.attendance.cancel", { name: p.first_name })) : null)));
}

function renderDropIn(session, visitors) {
  if (session.signup_required) {
    document.getElementById("dropin-heading").parentElement.hidden = true;
    return;
  }
  const count = (g, grp) => visitors.find((v) => v.gender === g && v.age_group === grp)?.count ?? 0;
  const form = h("form", { class: "form" },
    GENDERS.flatMap((g) => GROUPS.map((grp) => {
      const id = `count-${g}-${grp.replace("+", "plus")}`;
      return h("div", { class: "field" },
        h("label", { for: id }, t("activities.attendance.count", { gender: t(`activities.genders.${g}`), group: grp })),
        h("input", { id, type: "number", min: 0, max: 1000, value: count(g, grp), dataset: { gender: g, group: grp } }));
    })),
    h("button", { type: "submit", class: "button" }, t("activities.attendance.saveCounts")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const counts = [...form.querySelectorAll("input[type=number]")].map((input) => ({
      gender: input.dataset.gender, age_group: input.dataset.group, count: Number.parseInt(input.value, 10) || 0,
    })).filter((c) => c.count > 0);
    act(api(`/api/activity-sessions/${sessionId}/visitors`, { method: "PUT", body: { visitors: counts } }),
      t("activities.attendance.countsSaved"));
  });
  replaceChildren(dropinBox, form);
}

function render(state) {
  if (state.loading) return;
  if (data.error || !data.roster) {
    replaceChildren(rosterBox, errorBox(data.error));
    scanForm.hidden = true;
    return;
  }
  const { session, participants, visitors } = data.roster;
  document.getElementById("session-title").textContent = `${session.title}, ${whenText(session)}`;
  const confirmed = participants.filter((p) => p.status === "confirmed");
  summary.textContent = t("activities.attendance.summary", {
    attended: confirmed.filter((p) => p.attended).length, confirmed: confirmed.length });
  scanForm.hidden = !session.signup_required;
  cameraButton.hidden = !("BarcodeDetector" in window) || !session.signup_required;
  replaceChildren(rosterBox, participants.length === 0 ? h("p", {}, t("activities.attendance.none")) :
    h("div", { class: "table-wrap" }, h("table", { class: "data-table" },
      h("caption", { class: "visually-hidden" }, t("activities.attendance.title")),
      h("thead", {}, h("tr", {}, [t("activities.attendance.name"), t("activities.attendance.born"),
        t("activities.attendance.status"), t("activities.attendance.queue"), t("activities.attendance.needs"),
        t("activities.attendance.actions")]
        .map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", {}, participants.map(row)))));
  renderDropIn(session, visitors);
  const moveForm = document.getElementById("move-form");
  document.getElementById("move-section").hidden = session.status === "cancelled";
  if (!moveForm.dataset.filled) {
    moveForm.dataset.filled = "yes";
    document.getElementById("move-date").value = session.local_date;
    document.getElementById("move-start").value = session.local_start;
    document.getElementById("move-end").value = session.local_end;
  }
}

async function checkIn(text) {
  try {
    const p = await api(`/api/activity-sessions/${sessionId}/check-ins`, { method: "POST", body: { ticket: text } });
    replaceChildren(noticeBox, notice(t("activities.attendance.checkedIn", { name: p.first_name })));
    ticketInput.value = "";
    await refresh();
    render({ loading: false });
  } catch (error) {
    replaceChildren(noticeBox, errorBox(error));
  }
  ticketInput.focus();
}

document.getElementById("move-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = (id) => document.getElementById(id).value;
  act(api(`/api/activity-sessions/${sessionId}/time`, { method: "PUT",
    body: { date: value("move-date"), start: value("move-start"), end: value("move-end") } }),
  t("activities.attendance.moved"));
});

scanForm.addEventListener("submit", (event) => {
  event.preventDefault();
  if (ticketInput.value.trim()) checkIn(ticketInput.value.trim());
});

cameraButton.addEventListener("click", async () => {
  if (data.stream) {
    data.stream.getTracks().forEach((track) => track.stop());
    data.stream = null;
    video.hidden = true;
    cameraButton.textContent = t("activities.attendance.camera");
    return;
  }
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  data.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = data.stream;
  video.hidden = false;
  await video.play();
  cameraButton.textContent = t("activities.attendance.stopCamera");
  const seen = new Set();
  const scan = async () => {
    if (!data.stream) return;
    const codes = await detector.detect(video).catch(() => []);
    for (const code of codes) {
      if (!seen.has(code.rawValue)) {
        seen.add(code.rawValue);
        await checkIn(code.rawValue);
      }
    }
    window.setTimeout(scan, 400);
  };
  scan();
});

startPage({ current: "activity-admin", titleKey: "activities.attendance.title", load: refresh, render });
