"""Premises after hours ("Skolan mitt i byn"): sites, spaces and (later) bookings."""
