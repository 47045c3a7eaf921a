// Svenska texts of holiday activities (lovaktiviteter): top-level keys of their own, merged into ../sv.js.
export default {
};
