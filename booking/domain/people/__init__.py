"""People and access: accounts, roles, associations (föreningar)."""
