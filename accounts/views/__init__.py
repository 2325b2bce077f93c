"""Account views: signing in (auth), managing accounts and roles (users), creating many from Excel (bulk)."""
