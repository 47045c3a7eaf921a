// Navigation links of the municipality's set-up (administrators only): [{ key, href, label }], label an
// i18n key. They sit in the staff menu's "Administration" group (STAFF_GROUPS in layout.js).
import { hasRole } from "../session.js";

export const LINKS = [
  { key: "setup", href: "/setup.html", label: "setup.nav.checklist" },
  { key: "municipality", href: "/municipality.html", label: "setup.nav.municipality" },
  { key: "areas", href: "/areas.html", label: "setup.nav.areas" },
  { key: "premisesAdmin", href: "/premises-admin.html", label: "setup.nav.premises" },
];

export function links(session) {
  return session && hasRole(session, "admin") ? LINKS : [];
}
