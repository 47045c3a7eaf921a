// Navigation links of imports and exports (CSV files): [{ key, href, label }], label an i18n key.
// Administrators (every kind, in the administration group); lending staff (lending articles and
// borrowers, in the lending group).
import { hasRole } from "../session.js";

export function links(session) {
  if (!session) return [];
  if (hasRole(session, "admin")) return [{ key: "imports", href: "/import.html", label: "imports.nav.link" }];
  if (hasRole(session, "lending_staff")) return [{ key: "imports", href: "/import.html", label: "imports.nav.lending" }];
  return [];
}
