// Home: what the product does and what is live now. Most of it is in index.html.
import { startPage } from "../app.js";
import { t } from "../i18n.js";

startPage({
  current: "home",
  titleKey: "nav.home",
  render(state) {
    const link = document.getElementById("home-account-link");
    if (state.session) {
      link.href = "/bookings.html";
      link.textContent = t("home.nowAccount");
    }
  },
});
