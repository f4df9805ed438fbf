"""Command-line tools for volunteers and maintainers."""
