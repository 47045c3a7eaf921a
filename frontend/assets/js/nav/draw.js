// Navigation links of holiday draws: the guardian's wish list and the staff's draw page ([{ key, href, label }]).
import { hasRole } from "../session.js";

export function links(session) {
  if (!session) return [];
  const out = [];
  const held = new Set((session.account?.roles ?? []).map((grant) => grant.role));
  if (held.has("guardian")) out.push({ key: "wishes", href: "/wishes.html", label: "draw.nav.wishes" });
  if (hasRole(session, "activities_staff")) out.push({ key: "draw", href: "/draw.html", label: "draw.nav.staff" });
  return out;
}
