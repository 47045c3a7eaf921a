// English texts of equipment lending (Fritidsbanken): top-level keys of their own, merged into ../en.js.
export default {
};
