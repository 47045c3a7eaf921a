// Navigation links of people: [{ key, href, label }], label an i18n key. Administrators manage the
// accounts ("Konton") and read the audit log ("Ändringslogg").
export function links(session) {
  const admin = (session?.account?.roles ?? []).some((grant) => grant.role === "admin");
  if (!admin) return [];
  return [
    { key: "accounts", href: "/accounts.html", label: "people.nav.accounts" },
    { key: "audit", href: "/audit.html", label: "people.nav.audit" },
  ];
}
