// What a booking's check-in QR code is, for anyone but premises staff: /c/<code> (the link in the
// code) lands here with ?code= when the reader is not signed in as staff. Staff sign in from here
// and come back through /c/<code>, which then opens the check-in page with the code filled in.
import { startPage } from "../app.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { canDecide, loginUrl } from "../session.js";

const staff = document.getElementById("check-in-code-staff");
const code = new URLSearchParams(window.location.search).get("code") ?? "";
const back = /^[A-Za-z0-9._~-]{1,100}$/.test(code) ? `/c/${code}` : "/check-in.html";

function render(page) {
  if (page.loading) return;
  if (!page.session) {
    replaceChildren(staff, t("checkInCode.staffSignIn"), " ",
      h("a", { href: loginUrl(back) }, t("checkInCode.signIn")));
  } else if (canDecide(page.session)) {
    replaceChildren(staff, h("a", { href: back }, t("checkInCode.open")));
  } else {
    replaceChildren(staff, t("checkInCode.notStaff"));
  }
}

startPage({ current: "checkInCode", titleKey: "checkInCode.title", render });
