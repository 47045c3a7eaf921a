// Navigation links of the season allocation round (tidsfördelning): [{ key, href, label }], label an i18n key.
// Staff run the rounds ("Tidsfördelning"); association representatives apply ("Ansök om säsongstider").
import { hasRole } from "../session.js";

export function links(session) {
  if (!session) return [];
  if (hasRole(session, "premises_staff")) {
    return [{ key: "allocation", href: "/allocation.html", label: "allocation.nav.staff" }];
  }
  if (hasRole(session, "association_rep")) {
    return [{ key: "allocation", href: "/allocation.html", label: "allocation.nav.rep" }];
  }
  return [];
}
