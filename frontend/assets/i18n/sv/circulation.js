// Svenska texts of lending circulation (loans, returns, renewals, holds): top-level keys of their own, merged into ../sv.js.
export default {
};
