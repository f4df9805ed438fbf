"""Storage: the only package that knows SQL. SQLite through sqlite-utils; schema in migrations."""
