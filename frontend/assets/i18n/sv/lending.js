// Svenska texts of equipment lending (Fritidsbanken): top-level keys of their own, merged into ../sv.js.
export default {
};
