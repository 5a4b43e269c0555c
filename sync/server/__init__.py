"""The central ledger: authoritative entries, members, program, trust and devices, served
over HTTP (FastAPI) from PostgreSQL in production and SQLite in demo mode."""
