"""Account views: signing in (auth), managing accounts and roles (users), creating many from Excel (bulk), and
the directory of LAOs, districts and provinces each user reaches (directory)."""
