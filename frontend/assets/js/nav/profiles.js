// Navigation links of associations in the open: [{ key, href, label }], label an i18n key. Everyone gets
// "Hitta förening" (the public directory); premises and activities staff get "Föreningsprofiler" (review
// and interest categories) in the staff menu's premises group.
import { hasRole } from "../session.js";

export function links(session) {
  const out = [{ key: "foreningar", href: "/foreningar.html", label: "profiles.nav.directory" }];
  if (hasRole(session, "premises_staff", "activities_staff")) {
    out.push({ key: "association-profiles", href: "/association-profiles.html", label: "profiles.nav.staff" });
  }
  return out;
}
