// Navigation links of lending circulation: the desk for lending staff (and admins). [{ key, href, label }],
// label an i18n key. The borrower's own loans (loans.html) are reached from the item page: borrowers sign
// in there with their card, not with an account.
import { hasRole } from "../session.js";

export function links(session) {
  if (!session) return [];
  if (hasRole(session, "lending_staff")) {
    return [{ key: "desk", href: "/desk.html", label: "circulation.nav.desk" }];
  }
  return [];
}
