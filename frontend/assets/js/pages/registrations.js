// "Mina anmälningar": the registrations made from this account, with a QR ticket each, and
// cancelling (in the account, or with the link from the e-mail: ?cancel=<token>, no sign-in needed).
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { loginUrl } from "../session.js";
import { errorBox, notice, whenText } from "../activities-ui.js";

const params = new URLSearchParams(window.location.search);
const list = document.getElementById("registrations");
const noticeBox = document.getElementById("notice");
const linkBox = document.getElementById("link-action");
const feedBox = document.getElementById("feed");
const data = { items: [], error: null, session: null, feedUrl: null };

async function refresh() {
  if (!data.session) return;
  try {
    data.items = (await api("/api/registrations")).items;
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load(state) {
  data.session = state.session;
  await refresh();
}

function renderLinkCancel() {
  const token = params.get("cancel");
  if (!token) return replaceChildren(linkBox);
  replaceChildren(linkBox, h("div", { class: "card" },
    h("h2", {}, t("activities.mine.linkCancel")),
    h("p", {}, t("activities.mine.linkCancelText")),
    h("button", { type: "button", class: "button button-danger", onclick: async () => {
      try {
        await api("/api/registration-cancellations", { method: "POST", body: { token } });
        params.delete("cancel");
        window.history.replaceState(null, "", window.location.pathname);
        replaceChildren(noticeBox, notice(t("activities.mine.linkCancelled")));
        await refresh();
        render({ loading: false });
      } catch (error) {
        replaceChildren(noticeBox, errorBox(error));
      }
    } }, t("activities.mine.linkCancelButton"))));
}

function registrationItem(r) {
  const active = r.status !== "cancelled" && r.session_status !== "cancelled";
  return h("li", { class: "activity-card", dataset: { registration: r.id } },
    h("h2", {}, `${r.first_name}: ${r.title}`),
    h("p", {}, whenText(r), r.place ? ` · ${r.place}` : ""),
    h("p", { class: "activity-places" },
      h("span", { class: `badge badge-${r.status === "confirmed" ? "approved" : r.status === "waiting" ? "pending"
        : "cancelled"}` }, t(`activities.mine.status.${r.status}`)),
      r.status === "waiting" ? ` ${t("activities.mine.queue", { n: r.queue_no })}` : "",
      r.session_status === "cancelled" ? ` ${t("activities.mine.sessionCancelled")}` : ""),
    r.status === "confirmed" && active ? h("figure", {},
      h("img", { class: "ticket-qr", src: `/api/registrations/${r.id}/ticket.svg`,
        alt: t("activities.mine.ticketAlt", { name: r.first_name, title: r.title }) }),
      h("figcaption", {}, t("activities.mine.ticket", { name: r.first_name }))) : null,
    active ? h("button", { type: "button", class: "button button-quiet", onclick: () => cancel(r) },
      t("activities.mine.cancel", { name: r.first_name })) : null);
}

async function cancel(r) {
  try {
    await api(`/api/registrations/${r.id}/cancellation`, { method: "POST" });
    replaceChildren(noticeBox, notice(t("activities.mine.cancelled", { name: r.first_name })));
    await refresh();
    render({ loading: false });
  } catch (error) {
    replaceChildren(noticeBox, errorBox(error));
  }
}

function renderFeed() {
  if (!data.session) return replaceChildren(feedBox);
  replaceChildren(feedBox,
    data.feedUrl ? h("p", {}, h("a", { href: data.feedUrl.replace(/^https?:/, "webcal:") }, data.feedUrl)) : null,
    h("button", { type: "button", class: "button button-quiet", onclick: async () => {
      try {
        data.feedUrl = (await api("/api/registrations/feed-token", { method: "POST" })).url;
        renderFeed();
      } catch (error) {
        replaceChildren(noticeBox, errorBox(error));
      }
    } }, t("activities.mine.feedButton")));
}

function render(state) {
  renderLinkCancel();
  if (state.loading) return;
  if (params.get("ticket") && !noticeBox.childElementCount) {
    replaceChildren(noticeBox, h("div", { class: "card" }, h("h2", {}, t("activities.mine.ticketOpened")),
      h("p", {}, t("activities.mine.ticketOpenedText"))));
  }
  if (!data.session) {
    replaceChildren(list, h("li", {}, h("a", { href: loginUrl("/registrations.html") },
      t("activities.signUp.signInLink"))));
    renderFeed();
    return;
  }
  if (data.error) {
    replaceChildren(list, h("li", {}, errorBox(data.error)));
  } else if (data.items.length === 0) {
    replaceChildren(list, h("li", {}, t("activities.mine.none"), " ",
      h("a", { href: "/activities.html" }, t("activities.mine.find"))));
  } else {
    replaceChildren(list, data.items.map(registrationItem));
  }
  renderFeed();
}

startPage({ current: "registrations", titleKey: "activities.mine.title", load, render });
