"""Search backends: Whoosh (the embedded default), PostgreSQL full-text search (at scale), and a plain
database query used when the index is missing or broken."""
