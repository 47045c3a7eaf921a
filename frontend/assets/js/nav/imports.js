// Navigation links of imports and exports (CSV files of areas, sites with their spaces, associations):
// [{ key, href, label }], label an i18n key. Administrators only.
import { hasRole } from "../session.js";

export function links(session) {
  if (!session || !hasRole(session, "admin")) return [];
  return [{ key: "imports", href: "/import.html", label: "imports.nav.link" }];
}
