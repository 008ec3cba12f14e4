"""Operations: health probes, request IDs and access logs, the database-outage page, backups.

Nothing here imports a page model, so every app (and the settings) may use it.
"""
