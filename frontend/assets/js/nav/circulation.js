// Navigation links of lending circulation (loans, returns, renewals, holds): [{ key, href, label }], label an i18n key.
export function links(_session) {
  return [];
}
