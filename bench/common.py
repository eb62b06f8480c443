"""What the benchmarks share: each starts from a database of its own, made afresh."""


def recreate_database(database_url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database."""
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
