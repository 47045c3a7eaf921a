// Navigation links of holiday activities (lovaktiviteter): [{ key, href, label }], label an i18n key.
export function links(_session) {
  return [];
}
