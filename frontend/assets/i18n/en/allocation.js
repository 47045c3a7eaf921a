// English texts of the season allocation round (tidsfördelning): top-level keys of their own, merged into ../en.js.
export default {
};
