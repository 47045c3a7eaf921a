// Navigation links of föreningsmatchning: [{ key, href, label }], label an i18n key. Everyone may find a club;
// Fritidsbanken's desk gets the counter mode (in the staff menu's lending group); staff the follow-up (in
// the activities group).
import { hasRole } from "../session.js";

export function links(session) {
  const found = [{ key: "matcha", href: "/matcha.html", label: "matchingRequests.nav.match" }];
  if (hasRole(session, "lending_staff")) {
    found.push({ key: "matchaCounter", href: "/matcha.html?counter=1", label: "matchingRequests.nav.counter" });
  }
  if (hasRole(session, "premises_staff", "activities_staff", "lending_staff")) {
    found.push({ key: "matchingFollowUp", href: "/matching-follow-up.html", label: "matchingRequests.nav.followUp" });
  }
  return found;
}
