// Navigation links of equipment lending (Fritidsbanken): [{ key, href, label }], label an i18n key.
export function links(_session) {
  return [];
}
