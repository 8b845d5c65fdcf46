"""Public vacancy search and vacancy pages, for everyone (signed in or not)."""
