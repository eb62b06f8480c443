"""Benchmark: importing members with full validation, against PostgreSQL's raw COPY.

    .venv/bin/python bench/import_members.py [--rows 1000000] [--sqlite-rows N]

1. Creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/tamyr_bench), migrates it and builds the national branch
   tree (about 7,000 PPOs) with `tamyr generate`'s tree builder.
2. Writes a CSV of N members (valid IINs, Kazakh and Russian names, PPO codes of the tree).
3. Imports it with `tamyr import-members` in a child process (the same code as the web and
   the command line: every row validated, duplicates and clashes checked, audit lines
   written), timing it and reading the child's peak memory.
4. COPYs the same file into a table with the same columns and the equivalent indexes (the
   issue's baseline), and, as a second baseline, COPYs the rows the import ends up storing
   straight into the registry's own five tables (timed before the import, then rolled back).
5. Imports the file (or its first --sqlite-rows) into a fresh SQLite database the same way.

Prints rows/s for each, the import/COPY ratio and the import's peak memory.
"""

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import recreate_database  # noqa: E402

OPERATORS = ["701", "702", "705", "707", "747", "771", "775", "778"]
BASELINE_TABLE = """
CREATE TABLE bench_copy (
    iin varchar(12) NOT NULL, surname varchar(100) NOT NULL, given_name varchar(100) NOT NULL,
    patronymic varchar(100), gender varchar(8) NOT NULL, birth_date date NOT NULL,
    phone varchar(32), address varchar(500), sector varchar(32) NOT NULL,
    education varchar(32) NOT NULL, ppo_code varchar(32) NOT NULL, admitted_on date NOT NULL,
    admission_body varchar(32), admission_protocol varchar(40), card_number varchar(20),
    card_issued_on date, card_issued_by varchar(200)
);
CREATE UNIQUE INDEX bench_copy_iin ON bench_copy (iin);
CREATE UNIQUE INDEX bench_copy_card ON bench_copy (card_number);
CREATE INDEX bench_copy_name ON bench_copy (surname, given_name);
CREATE INDEX bench_copy_ppo ON bench_copy (ppo_code);
"""


def django_env(database_url: str, var_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TAMYR_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "tamyr.settings",
    }


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def prepare_database(env: dict) -> list[str]:
    """Migrate, build the national tree and an importing user; return the PPO codes."""
    manage(env, "migrate", "-v0")
    script = (
        "from django.contrib.auth import get_user_model\n"
        "from tamyr.core.generator.nation import NationGenerator\n"
        "from tamyr.orgs.models import Node, Role\n"
        "from tamyr.orgs.services import staff_role_grant\n"
        "g = NationGenerator(scale='national', seed=1)\n"
        "g.build_tree()\n"
        "u = get_user_model().objects.create_user('bench', 'b@example.org', 'x')\n"
        "staff_role_grant(actor=None, user=u, role=Role.NATIONAL_ADMIN,\n"
        "                 node=Node.objects.get(code='HQ'))\n"
        "print('\\n'.join(Node.objects.filter(kind='primary', wing='party')"
        ".values_list('code', flat=True)))\n"
    )
    out = manage(env, "shell", "--no-imports", "-c", script).stdout
    return [line for line in out.splitlines() if line.strip()]


def write_file(path: Path, rows: int, ppo_codes: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tamyr.settings")
    from tamyr.core.generator import names
    from tamyr.members.iin import make_iin

    rng = random.Random(2024)
    serials: dict = {}
    today = date.today()
    header = [
        "ЖСН",
        "Тегі",
        "Аты",
        "Әкесінің аты",
        "Жынысы",
        "Туған күні",
        "Телефон",
        "Мекенжайы",
        "Қызмет саласы",
        "Білім",
        "БПҰ коды",
        "Партияға қабылданған күні",
        "Кім қабылдады",
        "Хаттама нөмірі",
        "Партиялық билеттің нөмірі",
        "Партиялық билеттің берілген күні",
        "Тапсырған",
    ]
    sectors = [
        "health",
        "education",
        "business",
        "industry",
        "agriculture",
        "civil_service",
        "transport",
        "pensioner",
        "student",
        "other",
    ]
    levels = ["secondary", "vocational", "higher", "higher", "postgraduate"]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(header)
        for i in range(rows):
            female = rng.random() < 0.52
            sex = "f" if female else "m"
            birth = today - timedelta(days=rng.randint(19 * 365, 80 * 365))
            while True:
                serial = serials.get((birth, sex), 0)
                serials[(birth, sex)] = serial + 1
                iin = make_iin(birth, sex, serial)
                if iin:
                    break
            surname, given, patronymic = names.person_name(rng, female)
            admitted = max(birth + timedelta(days=18 * 366), date(1999, 3, 1))
            admitted += timedelta(days=rng.randint(0, max(0, (today - admitted).days - 1)))
            issued = min(admitted + timedelta(days=rng.randint(3, 40)), today)
            out.writerow(
                [
                    iin,
                    surname,
                    given,
                    patronymic,
                    sex,
                    birth.strftime("%d.%m.%Y"),
                    f"+7 {rng.choice(OPERATORS)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)}",
                    "",
                    rng.choice(sectors),
                    rng.choice(levels),
                    rng.choice(ppo_codes),
                    admitted.strftime("%d.%m.%Y"),
                    "ppo_meeting",
                    str(rng.randint(1, 60)),
                    f"{i + 1:08d}",
                    issued.strftime("%d.%m.%Y"),
                    "",
                ]
            )


def timed_import(env: dict, path: Path) -> tuple[float, float]:
    """Run the import in a child process; return (seconds, the child's peak RSS in MB)."""
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_members",
            str(path),
            "--user",
            "bench",
            "--language",
            "en",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result.returncode != 0:
        sys.exit(f"import failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    print("   ", result.stdout.strip().splitlines()[0])
    # The importer logs where its time went.
    for line in result.stderr.replace("\r", "\n").splitlines():
        if "import of" in line:
            print("   ", line[line.index("import of") :])
    return seconds, peak_mb


def timed_copy(database_url: str, path: Path) -> float:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute(BASELINE_TABLE)
        conn.execute("SET datestyle = 'ISO, DMY'")
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            path.open("rb") as f,
            cur.copy(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy,
        ):
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_copy")
    return seconds


# The registry's own tables, with the columns the import fills, in the order it writes them.
REGISTRY_TABLES = {
    "members_person": "id, surname, given_name, patronymic, iin, gender, birth_date, phone, "
    "address, sector, education, ppo_id, status, search_name, version, created_at, updated_at",
    "members_membership": "id, person_id, ppo_id, status, entry, admitted_on, started_on, "
    "admission_body, admission_protocol, created_at",
    "members_membershipcard": "person_id, number, issued_on, issued_by, cancel_reason",
    "members_membershipevent": 'person_id, membership_id, kind, "on", ppo_id, reason, created_at',
    "core_auditevent": "at, actor_id, action, object_type, object_id, object_repr, node_path, "
    "after",
}


def registry_files(database_url: str, path: Path, work: Path) -> dict[str, Path]:
    """Write, for each registry table, the rows the import will end up storing from the file.

    This is the second baseline: the same data COPYed straight into the same tables, with
    their indexes, foreign keys and constraints, but with no checking at all.
    """
    import json

    import psycopg

    with psycopg.connect(database_url) as conn:
        ppos = {
            code: (pk, node_path)
            for pk, code, node_path in conn.execute(
                "SELECT id, code, path FROM orgs_node WHERE kind = 'primary'"
            )
        }
        (actor,) = conn.execute("SELECT id FROM auth_user WHERE username = 'bench'").fetchone()
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
    files = {table: work / f"{table}.csv" for table in REGISTRY_TABLES}
    handles = {table: f.open("w", encoding="utf-8", newline="") for table, f in files.items()}
    out = {table: csv.writer(handle) for table, handle in handles.items()}

    def iso(text: str) -> str:
        return f"{text[6:10]}-{text[3:5]}-{text[0:2]}"

    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        next(rows)
        for pk, r in enumerate(rows, start=1):
            ppo_id, node_path = ppos[r[10]]
            phone = "+" + "".join(ch for ch in r[6] if ch.isdigit())
            out["members_person"].writerow(
                [
                    pk,
                    r[1],
                    r[2],
                    r[3],
                    r[0],
                    r[4],
                    iso(r[5]),
                    phone,
                    r[7],
                    r[8],
                    r[9],
                    ppo_id,
                    "active",
                    f"{r[1]} {r[2]} {r[3]}".casefold(),  # the search key; all three given
                    1,
                    now,
                    now,
                ]
            )
            out["members_membership"].writerow(
                [pk, pk, ppo_id, "active", "admission", iso(r[11]), iso(r[11]), r[12], r[13], now]
            )
            out["members_membershipcard"].writerow([pk, r[14], iso(r[15]), r[16], ""])
            out["members_membershipevent"].writerow(
                [pk, pk, "registered", iso(r[11]), ppo_id, "", now]
            )
            after = {
                "iin": r[0],
                "surname": r[1],
                "given_name": r[2],
                "patronymic": r[3],
                "gender": r[4],
                "birth_date": iso(r[5]),
                "phone": phone,
                "sector": r[8],
                "education": r[9],
                "ppo_id": ppo_id,
                "admitted_on": iso(r[11]),
                "card_number": r[14],
                "import": path.name,
            }
            out["core_auditevent"].writerow(
                [
                    now,
                    actor,
                    "create",
                    "members.person",
                    pk,
                    f"{r[1]} {r[2]}",
                    node_path,
                    json.dumps(after, ensure_ascii=False),
                ]
            )
    for handle in handles.values():
        handle.close()
    return files


def timed_copy_into_registry(database_url: str, files: dict[str, Path]) -> float:
    """COPY the prepared rows into the registry's tables, check the deferred foreign keys,
    then roll back and vacuum so that the import starts from the same empty registry."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        started = time.perf_counter()
        for table, file in files.items():
            columns = REGISTRY_TABLES[table]
            sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            with conn.cursor() as cur, file.open("rb") as f, cur.copy(sql) as copy:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        # Django's foreign keys are checked at commit; make them run inside the timing.
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        seconds = time.perf_counter() - started
        conn.rollback()
    with psycopg.connect(database_url, autocommit=True) as conn:
        for table in files:
            conn.execute(f"VACUUM ANALYZE {table}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--sqlite-rows", type=int, default=None, help="rows for the SQLite run (default: all)"
    )
    args = parser.parse_args()
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tamyr_bench"
    )
    work = Path(tempfile.mkdtemp(prefix="tamyr-bench-"))
    print(f"rows: {args.rows:,}   work folder: {work}")

    recreate_database(database_url)
    pg_env = django_env(database_url, work / "pg-var")
    ppo_codes = prepare_database(pg_env)
    print(f"PostgreSQL database ready: {len(ppo_codes):,} PPOs")
    path = work / "members.csv"
    started = time.perf_counter()
    write_file(path, args.rows, ppo_codes)
    print(
        f"file written in {time.perf_counter() - started:.1f} s "
        f"({path.stat().st_size / 1e6:.0f} MB)"
    )

    files = registry_files(database_url, path, work)
    registry_seconds = timed_copy_into_registry(database_url, files)
    seconds, peak = timed_import(pg_env, path)
    copy_seconds = timed_copy(database_url, path)
    rate = {
        "import": args.rows / seconds,
        "flat": args.rows / copy_seconds,
        "registry": args.rows / registry_seconds,
    }
    print(
        f"PostgreSQL import:        {seconds:8.1f} s {rate['import']:10,.0f} rows/s  "
        f"peak memory {peak:.0f} MB"
    )
    print(f"COPY into one flat table: {copy_seconds:8.1f} s {rate['flat']:10,.0f} rows/s")
    print(
        f"COPY into the registry:   {registry_seconds:8.1f} s {rate['registry']:10,.0f} rows/s"
        "  (the same rows the import stores, in its five tables, unchecked)"
    )
    print(f"ratio import/flat COPY:     {rate['import'] / rate['flat']:.2f}   (goal: at least 0.6)")
    print(f"ratio import/registry COPY: {rate['import'] / rate['registry']:.2f}")
    print(f"peak memory:                {peak:.0f} MB   (goal: under 300 MB)")

    sqlite_rows = args.sqlite_rows or args.rows
    sqlite_path = path
    if sqlite_rows < args.rows:
        sqlite_path = work / "members-sqlite.csv"
        with path.open(encoding="utf-8") as src, sqlite_path.open("w", encoding="utf-8") as dst:
            for _ in range(sqlite_rows + 1):
                dst.write(src.readline())
    sqlite_env = django_env(f"sqlite:///{work / 'bench.sqlite3'}", work / "sqlite-var")
    prepare_database(sqlite_env)
    seconds, _peak = timed_import(sqlite_env, sqlite_path)
    print(
        f"SQLite import:     {seconds:8.1f} s  {sqlite_rows / seconds:10,.0f} rows/s "
        f"({sqlite_rows:,} rows)"
    )


if __name__ == "__main__":
    main()
