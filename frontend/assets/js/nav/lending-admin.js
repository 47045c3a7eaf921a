// Navigation link of Fritidsbanken's settings page (lending sites' opening days, categories, articles):
// [{ key, href, label }], label an i18n key. Lending staff and administrators; it sits in the staff menu's
// "Fritidsbanken" group (STAFF_GROUPS in layout.js).
import { hasRole } from "../session.js";

export function links(session) {
  if (!session || !hasRole(session, "lending_staff")) return [];
  return [{ key: "lendingAdmin", href: "/lending-admin.html", label: "lendingAdmin.nav.link" }];
}
