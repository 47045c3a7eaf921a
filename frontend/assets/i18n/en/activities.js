// English texts of holiday activities (lovaktiviteter): top-level keys of their own, merged into ../en.js.
export default {
};
