"""The tenant: municipalities (kommuner) and their areas (områden)."""
