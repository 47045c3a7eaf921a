// Svenska texts of a child's home area (hemområde): the choice at sign-up, the postcode table and the
// follow-up by home area. Top-level keys of their own, merged into ../sv.js.
export default {
  homeArea: {
    label: "Hemområde (frivilligt, för statistik)",
    none: "Vill inte ange",
    hint: "Området där barnet bor. Vi sparar bara området, aldrig adressen.",
    postcode: "Eller skriv postnummer",
    postcodeHint: "Fem siffror. Vi visar vilket område postnumret hör till.",
    found: "Hemområde: {name}",
    notFound: "Postnumret finns inte i kommunens tabell. Välj området i listan i stället.",
    badPostcode: "Skriv postnumret med fem siffror, till exempel 852 31.",
    followUpHeading: "Deltagare per 1 000 barn, efter hemområde",
    followUpIntro: "Varje anmält barn räknas i det område där barnet bor (hemområdet), inte där aktiviteten är. Drop-in-besökare har inget hemområde och redovisas för sig.",
    unknown: "Okänt hemområde",
    dropIn: "Drop-in-besökare (inget hemområde)",
    postcodesHeading: "Postnummer och områden",
    postcodesIntro: "Kommunens postnummertabell ger barnets hemområde när vårdnadshavaren skriver ett postnummer.",
    postcodesNone: "Tabellen är tom.",
    postcodesCount: { one: "{count} postnummer", other: "{count} postnummer" },
    postcodeColumn: "Postnummer",
    areaColumn: "Område",
    postcodesImport: "Importera postnummertabellen (CSV)",
  },
};
