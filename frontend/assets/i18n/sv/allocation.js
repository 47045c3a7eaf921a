// Svenska texts of the season allocation round (tidsfördelning): top-level keys of their own, merged into ../sv.js.
export default {
};
