"""Holiday activities (lovaktiviteter)."""
