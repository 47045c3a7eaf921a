// Navigation links of holiday activities (lovaktiviteter): [{ key, href, label }], label an i18n key.
import { hasRole } from "../session.js";

export function links(session) {
  const out = [{ key: "activities", href: "/activities.html", label: "activities.nav.list" }];
  if (session) out.push({ key: "registrations", href: "/registrations.html", label: "activities.nav.mine" });
  if (hasRole(session, "activities_staff")) {
    out.push({ key: "activity-admin", href: "/activity-admin.html", label: "activities.nav.admin" },
      { key: "follow-up", href: "/follow-up.html", label: "activities.nav.followUp" });
  } else if (hasRole(session, "association_rep")) {
    out.push({ key: "activity-admin", href: "/activity-admin.html", label: "activities.nav.association" });
  }
  return out;
}
