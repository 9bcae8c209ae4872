"""SQLite storage: schema migrations and repositories that return typed objects."""
