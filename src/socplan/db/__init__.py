"""Persistence: SQLAlchemy models, engine and sessions, Alembic migrations, backups, integrity.

Only this package knows the database. Nothing SQLite-specific leaves ``engine.py``.
"""
