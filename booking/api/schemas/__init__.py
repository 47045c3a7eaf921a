"""msgspec Structs at the API boundary: never ORM rows, never raw dicts."""
