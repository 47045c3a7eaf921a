// English texts of a child's home area: the choice at sign-up, the postcode table and the follow-up by
// home area. Top-level keys of their own, merged into ../en.js.
export default {
  homeArea: {
    label: "Home area (optional, for statistics)",
    none: "Prefer not to say",
    hint: "The area where the child lives. We keep only the area, never the address.",
    postcode: "Or type a postcode",
    postcodeHint: "Five digits. We show which area the postcode belongs to.",
    found: "Home area: {name}",
    notFound: "The postcode is not in the municipality's table. Choose the area in the list instead.",
    badPostcode: "Write the postcode as five digits, for example 852 31.",
    followUpHeading: "Participants per 1,000 children, by home area",
    followUpIntro: "Each signed-up child counts in the area where the child lives (the home area), not where the activity is. Drop-in visitors have no home area and are shown on their own.",
    unknown: "Unknown home area",
    dropIn: "Drop-in visitors (no home area)",
    postcodesHeading: "Postcodes and areas",
    postcodesIntro: "The municipality's postcode table gives the child's home area when a guardian types a postcode.",
    postcodesNone: "The table is empty.",
    postcodesCount: { one: "{count} postcode", other: "{count} postcodes" },
    postcodeColumn: "Postcode",
    areaColumn: "Area",
    postcodesImport: "Import the postcode table (CSV)",
  },
};
