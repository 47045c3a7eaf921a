// English texts of lending circulation (loans, returns, renewals, holds): top-level keys of their own, merged into ../en.js.
export default {
};
