"""Equipment lending (Fritidsbanken)."""
