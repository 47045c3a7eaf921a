// Navigation link of the sign-in settings (OpenID Connect with the municipality's identity provider):
// [{ key, href, label }], label an i18n key. Administrators only; in the staff menu's "Administration".
import { hasRole } from "../session.js";

export function links(session) {
  if (!session || !hasRole(session, "admin")) return [];
  return [{ key: "signInSettings", href: "/sign-in-settings.html", label: "signIn.nav.link" }];
}
