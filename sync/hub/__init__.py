"""The hub: the HTTP server terminals and online stores sync with (FastAPI on uvicorn).

Its data lives in a posapp database (SQLite by default, PostgreSQL for real deployments) through
the same models; the hub tables (``hub_*``) hold its clients, log and holds.
"""
