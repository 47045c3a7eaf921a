// Navigation links of the season allocation round (tidsfördelning): [{ key, href, label }], label an i18n key.
export function links(_session) {
  return [];
}
