// Navigation links of equipment lending (Fritidsbanken): [{ key, href, label }], label an i18n key.
// Everyone sees the public catalogue; signed-in people their lending card; lending staff the catalogue's
// staff pages (the desk link comes from nav/circulation.js).
import { hasRole } from "../session.js";

export function links(session) {
  const found = [{ key: "catalogue", href: "/catalogue.html", label: "lending.nav.catalogue" }];
  if (!session) return found;
  if (hasRole(session, "lending_staff")) {
    found.push(
      { key: "borrowers", href: "/borrowers.html", label: "lending.nav.borrowers" },
      { key: "labels", href: "/labels.html", label: "lending.nav.labels" },
      { key: "items", href: "/items.html", label: "lending.nav.items" },
      { key: "donations", href: "/donations.html", label: "lending.nav.donations" },
      { key: "stockcount", href: "/stockcount.html", label: "lending.nav.stockcount" },
      { key: "lending-stats", href: "/lending-stats.html", label: "lending.nav.stats" },
    );
  } else {
    found.push({ key: "card", href: "/card.html", label: "lending.nav.card" });
  }
  return found;
}
