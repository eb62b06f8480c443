"""Benchmark: the operator's appeal list and a region's figures, against the raw SQL.

    .venv/bin/python bench/appeals.py [--appeals 1500000] [--clients 20] [--requests 30]

1. Creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/tamyr_bench_appeals), builds the national branch tree
   (20 regions and cities) and generates the appeals over 3 years with their officials,
   receptions and steps (`tamyr generate-appeals`).
2. Starts the real web server (gunicorn, 2 x cores + 1 workers, DEBUG off, the cache in Redis:
   BENCH_REDIS_URL, default redis://127.0.0.1:6379/14) and logs in an
   operator of the district with the most overdue appeals in work, and a regional secretary.
3. Times, with 1 client and then with N concurrent clients, the operator's list (the district,
   filtered by status, overdue and executor, first page) and the region's figures with a
   3-year comparison; then times the raw SQL that gives the same results, on one connection,
   after checking that it does give the same results.

Prints p50/p95 for each and the goals: list p95 under 150 ms with N clients, list p50 with one
client at most the raw SQL's p50 + 25 ms, figures at most 2x the raw SQL.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import recreate_database  # noqa: E402

PORT = 8765

LIST_SQL = """
SELECT a.number, a.received_at, t.name_kk, n.name_kk, u.username, a.status, a.due_on
FROM appeals_appeal a
JOIN orgs_node n ON n.id = a.node_id
JOIN appeals_topic t ON t.id = a.topic_id
LEFT JOIN auth_user u ON u.id = a.executor_id
WHERE n.path LIKE %(prefix)s AND a.status = 'in_work' AND a.due_on < %(today)s
  AND a.executor_id = %(executor)s
ORDER BY a.due_on, a.id
LIMIT 25
"""
LIST_COUNT_SQL = """
SELECT count(*) FROM appeals_appeal a JOIN orgs_node n ON n.id = a.node_id
WHERE n.path LIKE %(prefix)s AND a.status = 'in_work' AND a.due_on < %(today)s
  AND a.executor_id = %(executor)s
"""
# The same figures as the page, each window at once: totals, the three breakdowns (one pass
# with grouping sets), receptions and the appeals born at them.
WINDOWS_CTE = """
WITH w(k, first, after) AS (VALUES (0, %(f0)s::timestamptz, %(a0)s::timestamptz),
  (1, %(f1)s::timestamptz, %(a1)s::timestamptz), (2, %(f2)s::timestamptz, %(a2)s::timestamptz)),
scoped AS (
  SELECT w.k, a.* FROM appeals_appeal a JOIN orgs_node n ON n.id = a.node_id
  JOIN w ON a.received_at >= w.first AND a.received_at < w.after
  WHERE n.path LIKE %(prefix)s)
"""
FIGURES_SQL = [
    WINDOWS_CTE
    + """
SELECT k, count(*),
  count(*) FILTER (WHERE outcome IN ('resolved_fully', 'resolved_partly')),
  count(*) FILTER (WHERE (closed_on IS NOT NULL AND closed_on > due_on)
                   OR (status <> 'closed' AND due_on < %(today)s)),
  count(*) FILTER (WHERE status = 'closed'), count(reception_id)
FROM scoped GROUP BY k ORDER BY k""",
    WINDOWS_CTE
    + """
SELECT k, channel, topic_id, outcome, count(*) FROM scoped
GROUP BY GROUPING SETS ((k, channel), (k, topic_id), (k, outcome))""",
    """
WITH w(k, first, after) AS (VALUES (0, %(f0)s::timestamptz, %(a0)s::timestamptz),
  (1, %(f1)s::timestamptz, %(a1)s::timestamptz), (2, %(f2)s::timestamptz, %(a2)s::timestamptz))
SELECT w.k, count(r.id), coalesce(sum(r.visitors), 0),
  (SELECT count(*) FROM appeals_appeal a JOIN appeals_reception r2 ON r2.id = a.reception_id
   JOIN orgs_node n2 ON n2.id = r2.node_id WHERE n2.path LIKE %(prefix)s
   AND r2.status = 'held' AND r2.starts_at >= w.first AND r2.starts_at < w.after)
FROM w LEFT JOIN (appeals_reception r JOIN orgs_node n ON n.id = r.node_id
  AND n.path LIKE %(prefix)s) ON r.status = 'held' AND r.starts_at >= w.first
  AND r.starts_at < w.after
GROUP BY w.k, w.first, w.after ORDER BY w.k""",
]


def django_env(database_url: str, var_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TAMYR_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "tamyr.settings",
        "DEBUG": "false",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        # As in production, the workers share one cache (sessions, grants) in Redis.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(env: dict, appeals: int) -> None:
    manage(env, "migrate", "-v0")
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from tamyr.core.generator.nation import NationGenerator\n"
        "NationGenerator(scale='national', seed=1).build_tree()\n",
    )
    started = time.perf_counter()
    out = manage(env, "generate_appeals", "--per-year", str(appeals // 3), "--years", "3")
    print(f"    {out.strip()} (wall {time.perf_counter() - started:.0f} s)")
    # A database three years old has been vacuumed and analysed many times over; a freshly
    # loaded one has neither visibility maps nor statistics for the tables loaded in bulk.
    import psycopg

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def choose_subjects() -> dict:
    """Pick the district whose operator has the most overdue appeals in work, and its region;
    give each bench user a session."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.utils import timezone

    from tamyr.appeals.models import Appeal
    from tamyr.orgs.models import Node, Role
    from tamyr.orgs.services import staff_role_grant

    today = timezone.localdate()
    busiest = (
        Appeal.objects.filter(status="in_work", due_on__lt=today, node__kind="district")
        .values("node", "executor")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    district = Node.objects.get(pk=busiest["node"])
    region = Node.objects.get(path=district.path[: (district.depth - 1) * Node.steplen])
    User = get_user_model()
    operator = User.objects.get(username=f"gen-op-{district.code}".lower())
    secretary, created = User.objects.get_or_create(username="bench-region")
    if created:  # a --reuse run finds the one made last time
        staff_role_grant(actor=None, user=secretary, role=Role.SECRETARY, node=region)

    def session(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    return {
        "district": district,
        "region": region,
        "executor": busiest["executor"],
        "overdue": busiest["n"],
        "operator_session": session(operator),
        "region_session": session(secretary),
        "today": today,
    }


def get(path: str, session: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request(
        "GET",
        path,
        headers={"Cookie": f"sessionid={session}; tamyr_language=kk", "Host": "127.0.0.1"},
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, (time.perf_counter() - started) * 1000


def load(path: str, session: str, clients: int, per_client: int) -> list[float]:
    """Each client sends its requests back to back; return every latency in ms."""
    times: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def client() -> None:
        mine = []
        for _ in range(per_client):
            status, _body, ms = get(path, session)
            if status != 200:
                failures.append(status)
            mine.append(ms)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit(f"{path}: {len(failures)} requests failed ({sorted(set(failures))})")
    return times


def timed_sql(conn, statements: list[str], params: dict, runs: int) -> tuple[list[float], list]:
    times, result = [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = [conn.execute(sql, params).fetchall() for sql in statements]
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def line(label: str, values: list[float]) -> str:
    return f"{label:46s} p50 {pct(values, 50):7.1f} ms   p95 {pct(values, 95):7.1f} ms"


def start_server(env: dict) -> subprocess.Popen:
    workers = 2 * (os.cpu_count() or 1) + 1
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tamyr.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            get("/login/", "none")
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("the web server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=1_500_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="per client")
    parser.add_argument("--reuse", action="store_true", help="keep the database of a last run")
    args = parser.parse_args()
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tamyr_bench_appeals"
    )
    work = Path(tempfile.mkdtemp(prefix="tamyr-bench-appeals-"))
    env = django_env(database_url, work / "var")
    print(f"appeals: {args.appeals:,}   clients: {args.clients}   database: {database_url}")
    if args.reuse:
        manage(env, "migrate", "-v0")  # the code may have moved on since that run
    else:
        recreate_database(database_url)
        prepare(env, args.appeals)
    setup_django(env)
    from django.core.cache import cache

    cache.clear()  # the benchmark's own Redis database: nothing from an earlier run
    subjects = choose_subjects()
    district, region, today = subjects["district"], subjects["region"], subjects["today"]
    print(
        f"operator's district {district.code}: {subjects['overdue']} overdue appeals in work "
        f"for one executor; region {region.code}"
    )
    list_path = f"/appeals/?status=in_work&term=overdue&executor={subjects['executor']}"
    start = today.replace(month=1, day=1)
    figures_path = (
        f"/appeals/statistics/?node={region.pk}&start={start.isoformat()}"
        f"&end={today.isoformat()}&years=2"
    )
    server = start_server(env)
    try:
        # Correctness first: the page's rows are the raw SQL's rows.
        status, body, _ms = get(list_path, subjects["operator_session"])
        page_numbers = re.findall(rb'href="/appeals/\d+/">([0-9-]+)</a>', body)
        for _ in range(3):  # warm every worker
            load(list_path, subjects["operator_session"], args.clients, 1)
            load(figures_path, subjects["region_session"], args.clients, 1)
        list_one = load(list_path, subjects["operator_session"], 1, args.requests * 2)
        list_many = load(list_path, subjects["operator_session"], args.clients, args.requests)
        fig_one = load(figures_path, subjects["region_session"], 1, max(10, args.requests // 2))
        fig_many = load(
            figures_path, subjects["region_session"], args.clients, max(3, args.requests // 5)
        )
    finally:
        server.terminate()
        server.wait()

    import psycopg

    from tamyr.appeals.selectors import _window_bounds, _years_back, appeal_statistics

    params = {"prefix": district.path + "%", "today": today, "executor": subjects["executor"]}
    windows = [(_years_back(start, k), _years_back(today, k)) for k in range(3)]
    for k, (first, end) in enumerate(windows):
        params[f"f{k}"], params[f"a{k}"] = _window_bounds(first, end)
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        sql_list, (rows, (count,)) = timed_sql(
            conn, [LIST_SQL, LIST_COUNT_SQL], params, args.requests * 2
        )
        assert [r[0].encode() for r in rows] == page_numbers, "the page and the SQL differ"
        assert status == 200 and count[0] == subjects["overdue"]
        params["prefix"] = region.path + "%"
        sql_figures, (totals, _groups, receptions) = timed_sql(
            conn, FIGURES_SQL, params, max(10, args.requests // 2)
        )
    expected = appeal_statistics(node=region, start=start, end=today, years=2)
    assert [(t[1], t[2], t[3], t[4]) for t in totals] == [
        (w.received, w.positive, w.overdue, w.closed) for w in expected
    ], "the figures and the SQL differ"
    assert [r[1] for r in receptions] == [w.receptions for w in expected]

    print(line("operator's list, 1 client", list_one))
    print(line(f"operator's list, {args.clients} clients", list_many))
    print(line("operator's list, raw SQL (count + first page)", sql_list))
    print(line("region's figures (3 years), 1 client", fig_one))
    print(line(f"region's figures (3 years), {args.clients} clients", fig_many))
    print(line("region's figures, raw SQL", sql_figures))
    added = pct(list_one, 50) - pct(sql_list, 50)
    ratio = pct(fig_one, 50) / pct(sql_figures, 50)
    print(
        f"goal: list p95 with {args.clients} clients under 150 ms: "
        f"{pct(list_many, 95):.1f} ms ({'met' if pct(list_many, 95) < 150 else 'NOT met'})"
    )
    print(
        f"goal: what the application adds to the list (p50, 1 client) at most 25 ms: "
        f"{added:.1f} ms ({'met' if added <= 25 else 'NOT met'})"
    )
    print(
        f"goal: figures at most 2x the raw SQL (p50, 1 client): {ratio:.2f}x "
        f"({'met' if ratio <= 2 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
