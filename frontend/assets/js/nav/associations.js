// Navigation links of associations: [{ key, href, label }], label an i18n key. Staff who handle
// associations (premises staff, activities staff, administrators) get "Föreningar" in the staff menu's
// premises group; a representative gets "Min förening" (anyone else reaches it from "Mitt konto").
import { hasRole, representedAssociations } from "../session.js";

export function links(session) {
  if (!session) return [];
  if (hasRole(session, "premises_staff", "activities_staff")) {
    return [{ key: "associationsAdmin", href: "/associations-admin.html", label: "associations.nav.admin" }];
  }
  if (representedAssociations(session).length) {
    return [{ key: "association", href: "/association.html", label: "associations.nav.mine" }];
  }
  return [];
}
