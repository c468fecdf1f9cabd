#!/usr/bin/python3
"""mig against Alembic and the database's own client, side by side.

Each measurement alternates the tools (A B A B ...) after a warm-up, so a
noisy machine slows all of them alike, and keeps the median. Writes
bench/results/*.csv, PNG plots (gnuplot) and docs/BENCHMARKS.md.

  bench/run.py [--quick]      --quick: fewer runs and smaller N, for a smoke test
  bench/run.py --report-only  plots and docs/BENCHMARKS.md again from the CSVs
  bench/run.py --ops-only     only the every-operation section (set MIG_BENCH_DOC to
                              write its document elsewhere)
"""
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MIG = os.path.join(ROOT, "build", "mig")
MICRO = os.path.join(ROOT, "build", "mig_micro_bench")
# dbmate from the npm registry, its native binary called directly (the
# `dbmate` script beside it is a node wrapper that costs start-up time).
TOOLS = os.path.join(ROOT, "build", "bench-tools")
DBMATE = os.path.join(TOOLS, "node_modules", "@dbmate", "linux-x64", "bin", "dbmate")
RESULTS = os.path.join(HERE, "results")
PY = "/usr/bin/python3"  # Debian's, which sees python3-alembic
QUICK = "--quick" in sys.argv
RUNS = 3 if QUICK else 5

sys.path.insert(0, HERE)
import generate  # noqa: E402


def run(cmd, cwd, env=None, check=True, peak=False):
    """Runs a command; returns (seconds, peak resident KB or 0).

    peak: run it under GNU time and read its peak RSS from there. A child
    forked from this script reports at least this script's own size in
    ru_maxrss (the memory it had before exec counts), so wait4 cannot tell
    a 5 MB tool from a 13 MB one; GNU time itself is about 1 MB."""
    full_env = dict(os.environ)
    full_env.pop("DATABASE_URL", None)
    full_env.update(env or {})
    peak_file = None
    if peak:
        fd, peak_file = tempfile.mkstemp(prefix="mig-bench-rss.")
        os.close(fd)
        cmd = ["/usr/bin/time", "-f", "%M", "-o", peak_file] + cmd
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    status = proc.wait()
    seconds = time.perf_counter() - start
    if check and status != 0:
        raise RuntimeError("%s failed in %s: %s" % (" ".join(cmd), cwd, err[-2000:]))
    kb = 0
    if peak_file:
        with open(peak_file) as f:
            kb = int(f.read().split()[-1])
        os.remove(peak_file)
    return seconds, kb


def measure(tools, runs=RUNS, warmup=1):
    """tools: {name: (prepare(), command, cwd, env)}; alternates them.

    The first run of each tool measures its peak memory under GNU time: the
    warm-up where there is one, else the first timed run (used only where a
    run takes seconds, so the millisecond GNU time adds does not matter)."""
    times = {name: [] for name in tools}
    peaks = {name: 0 for name in tools}
    for i in range(warmup + runs):
        for name, (prepare, cmd, cwd, env) in tools.items():
            prepare()
            seconds, peak = run(cmd, cwd, env, peak=(i == 0))
            if i == 0:
                peaks[name] = peak
            if i >= warmup:
                times[name].append(seconds)
    return {name: (statistics.median(t), peaks[name], len(t)) for name, t in times.items()}


ROWS = []


def record(scenario, backend, n, results):
    for tool, (median, peak, runs) in results.items():
        ROWS.append({"scenario": scenario, "backend": backend, "n": n, "tool": tool,
                     "median_s": "%.4f" % median, "peak_kb": peak, "runs": runs})
        print("%-22s %-10s n=%-7d %-8s %8.3f s  %7d KB" % (scenario, backend, n, tool, median,
                                                           peak), flush=True)


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def project(n):
    root = tempfile.mkdtemp(prefix="mig-bench-%d-" % n)
    generate.write_mig(os.path.join(root, "mig"), n)
    generate.write_alembic(os.path.join(root, "alembic"), n)
    generate.write_raw(os.path.join(root, "raw.sql"), n)
    generate.write_raw(os.path.join(root, "raw_1tx.sql"), n, one_transaction=True)
    return root


def sqlite_upgrade(root, n):
    mig_dir, al_dir = os.path.join(root, "mig"), os.path.join(root, "alembic")
    mig_db, al_db, raw_db = (os.path.join(mig_dir, "var"), os.path.join(al_dir, "alembic.db"),
                             os.path.join(root, "raw.db"))
    tools = {
        "mig": (lambda: remove(mig_db), [MIG, "-q", "upgrade", "head"], mig_dir, None),
        "alembic": (lambda: remove(al_db), [PY, "-m", "alembic", "-c", "alembic.ini", "upgrade",
                                            "head"], al_dir, None),
        "sqlite3": (lambda: remove(raw_db),
                    ["sh", "-c", "sqlite3 -bail raw.db < raw.sql"], root, None),
        "sqlite3-1tx": (lambda: remove(raw_db),
                        ["sh", "-c", "sqlite3 -bail raw.db < raw_1tx.sql"], root, None),
    }
    record("upgrade head", "sqlite", n, measure(tools, runs=3 if n >= 1000 else RUNS))


def sqlite_read(root, n, commands):
    mig_dir, al_dir = os.path.join(root, "mig"), os.path.join(root, "alembic")
    run([MIG, "-q", "upgrade", "head"], mig_dir)
    run([PY, "-m", "alembic", "-c", "alembic.ini", "upgrade", "head"], al_dir)
    time.sleep(2.2)  # mig's parse cache stores no file younger than 2 s
    run([MIG, "status"], mig_dir)  # fills it: every timed "mig" run finds it warm
    alembic = [PY, "-m", "alembic", "-c", "alembic.ini"]
    for command in commands:
        # Alembic has no status command. `alembic current` is the nearest one
        # (it reads the database and every script, and marks the head);
        # `alembic heads` is its cheapest command (no database at all), shown
        # so the comparison can be read against either.
        # mig with its parse cache (filled by the warm-up run), as a user's
        # second command runs, and without it, as a first one does.
        tools = {"mig": (lambda: None, [MIG, command], mig_dir, None),
                 "mig, no cache": (lambda: None, [MIG, command], mig_dir, {"MIG_CACHE": "off"}),
                 "alembic": (lambda: None, alembic + ["current"], al_dir, None)}
        if command == "status":
            tools["alembic heads"] = (lambda: None, alembic + ["heads"], al_dir, None)
        # Alembic needs about a minute per command at N = 10,000: one run there.
        big = n >= 10000
        record(command + " at head", "sqlite", n,
               measure(tools, runs=1 if big else 5, warmup=0 if big else 1))


def sqlite_downgrade(root, n):
    mig_dir, al_dir = os.path.join(root, "mig"), os.path.join(root, "alembic")
    tools = {
        "mig": (lambda: run([MIG, "-q", "upgrade", "head"], mig_dir),
                [MIG, "-q", "downgrade", "base"], mig_dir, None),
        "alembic": (lambda: run([PY, "-m", "alembic", "-c", "alembic.ini", "upgrade", "head"],
                                al_dir),
                    [PY, "-m", "alembic", "-c", "alembic.ini", "downgrade", "base"], al_dir,
                    None),
    }
    record("downgrade base", "sqlite", n, measure(tools, runs=3, warmup=0))


def graph_scale(n):
    root = tempfile.mkdtemp(prefix="mig-scale-%d-" % n)
    generate.write_mig(root, n)
    run([MIG, "-q", "stamp", "head"], root)  # bookkeeping at head without 100k tables
    for command in ("status", "history"):
        # Without the parse cache: every file read and parsed on each run.
        tools = {"mig": (lambda: None, [MIG, command], root, {"MIG_CACHE": "off"})}
        record(command + " (graph scale)", "sqlite", n, measure(tools, runs=3))
    shutil.rmtree(root)


def dbmate():
    """The path of dbmate's binary, installed with npm on first use."""
    if not os.path.exists(DBMATE):
        os.makedirs(TOOLS, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        TOOLS, "dbmate"], check=True)
    return DBMATE


SHARDS = 64


def shards(n):
    """64 SQLite shards x n revisions: one mig --group run (-j 2) against a
    shell loop of `mig upgrade head` and one of `dbmate migrate`."""
    root = tempfile.mkdtemp(prefix="mig-bench-shards-")
    generate.write_mig(root, n)
    generate.write_dbmate(root, n)
    with open(os.path.join(root, "mig.toml"), "a") as f:
        f.write('\n[groups.shards]\ntargets = ["sqlite:data/shard_*.db"]\n')
    data = os.path.join(root, "data")

    def fresh():
        remove(data)
        os.makedirs(data)
        for i in range(1, SHARDS + 1):
            open(os.path.join(data, "shard_%02d.db" % i), "w").close()

    loop = 'for f in data/shard_*.db; do %s || exit 1; done'
    tools = {
        "mig --group -j 2": (fresh, [MIG, "--group", "shards", "-q", "upgrade", "head", "-j",
                                     "2"], root, None),
        "mig loop": (fresh, ["sh", "-c", loop % (MIG + ' --url "sqlite:$f" -q upgrade head')],
                     root, None),
        "dbmate loop": (fresh, ["sh", "-c", loop % ('DATABASE_URL="sqlite:$f" ' + dbmate() +
                                                     " --no-dump-schema migrate >/dev/null")],
                        root, None),
    }
    record("shards upgrade head", "sqlite", n, measure(tools, runs=3 if QUICK else 5))
    shutil.rmtree(root)


def postgres(ns):
    server = tempfile.mkdtemp(prefix="mig-pg.")
    url = subprocess.run([os.path.join(ROOT, "tests", "servers", "postgres"), "start", server],
                         check=True, capture_output=True, text=True).stdout.strip()
    base = url.rsplit("/", 1)[0]
    socket_dir = server
    try:
        for n in ns:
            root = project(n)
            mig_dir, al_dir = os.path.join(root, "mig"), os.path.join(root, "alembic")

            def fresh(db):
                def go():
                    run(["psql", "-X", "-q", "-d", url, "-c", "DROP DATABASE IF EXISTS %s" % db],
                        root)
                    run(["psql", "-X", "-q", "-d", url, "-c", "CREATE DATABASE %s" % db], root)
                return go

            al_url = "postgresql+psycopg2://mig:mig-test-pw@/alembic_b?host=%s" % socket_dir
            with open(os.path.join(al_dir, "alembic.ini"), "w") as f:
                f.write("[alembic]\nscript_location = alembic\nsqlalchemy.url = %s\n" % al_url)
            tools = {
                "mig": (fresh("mig_b"), [MIG, "-q", "upgrade", "head"], mig_dir,
                        {"DATABASE_URL": base + "/mig_b"}),
                "alembic": (fresh("alembic_b"), [PY, "-m", "alembic", "-c", "alembic.ini",
                                                 "upgrade", "head"], al_dir, None),
                "psql": (fresh("raw_b"), ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                                          base + "/raw_b", "-f", "raw.sql"], root, None),
            }
            record("upgrade head", "postgresql", n, measure(tools, runs=3))
            shutil.rmtree(root)
    finally:
        subprocess.run([os.path.join(ROOT, "tests", "servers", "postgres"), "stop", server])
        shutil.rmtree(server, ignore_errors=True)


# Every operation of issue 17, on each backend, mig beside each peer that has
# it. Each cycle takes one tool from an empty database through upgrade head,
# status, current, downgrade -1, upgrade head (not timed) and downgrade base;
# the tools take turns cycle by cycle. Sqitch runs one psql/mariadb/sqlite3
# per change (about 90 ms each here): it is measured for upgrade head and
# downgrade base at OPS_SQITCH_N only, and brought to head for the reading
# commands by running the native script and `sqitch deploy --log-only`.
OPS = ("upgrade head", "status", "current", "downgrade -1", "downgrade base")
OPS_N = 50 if QUICK else 1000
OPS_SQITCH_N = 10 if QUICK else 100
MIG_FLOOR = os.path.join(ROOT, "build", "mig_floor")
SOCKET_PW = "mig-test-pw"


class Backend:
    """Where each tool's database lives on one backend, and how to empty it."""

    def __init__(self, kind, server=None):
        self.kind, self.server = kind, server

    def url(self, tool, db):
        if self.kind == "sqlite":
            return {"mig": "sqlite:%s.db" % db, "dbmate": "sqlite:%s.db" % db,
                    "alembic": "sqlite:///%s.db" % db, "sqitch": "db:sqlite:%s.db" % db}[tool]
        s = self.server
        if self.kind == "postgresql":
            return {"mig": "postgresql://mig:%s@%s/%s" % (SOCKET_PW, s.replace("/", "%2F"), db),
                    "dbmate": "postgres://mig:%s@/%s?socket=%s&sslmode=disable" % (SOCKET_PW, db,
                                                                                     s),
                    "alembic": "postgresql+psycopg2://mig:%s@/%s?host=%s" % (SOCKET_PW, db, s),
                    "sqitch": "db:pg://mig:%s@/%s?host=%s" % (SOCKET_PW, db, s)}[tool]
        sock = os.path.join(s, "mysqld.sock")
        return {"mig": "mysql://mig:%s@%s/%s" % (SOCKET_PW, sock.replace("/", "%2F"), db),
                "dbmate": "mysql://mig:%s@/%s?socket=%s" % (SOCKET_PW, db, sock),
                "alembic": "mysql+pymysql://mig:%s@/%s?unix_socket=%s" % (SOCKET_PW, db, sock),
                "sqitch": "db:mysql://mig:%s@/%s?mysql_socket=%s" % (SOCKET_PW, db, sock)}[tool]

    def sql(self, db, statement, cwd):
        if self.kind == "postgresql":
            run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.server, "-U", "mig",
                 "-d", db, "-c", statement], cwd, {"PGPASSWORD": SOCKET_PW})
        else:
            run(["mariadb", "--no-defaults", "-S", os.path.join(self.server, "mysqld.sock"),
                 "-umig", "-p" + SOCKET_PW, "-e", statement], cwd)

    def fresh(self, db, cwd):
        """An empty database for one tool (and Sqitch's registry beside it)."""
        if self.kind == "sqlite":
            for f in (db + ".db", "sqitch.db"):
                remove(os.path.join(cwd, f))
        elif self.kind == "postgresql":
            self.sql("postgres", "DROP DATABASE IF EXISTS %s" % db, cwd)
            self.sql("postgres", "CREATE DATABASE %s" % db, cwd)
        else:
            self.sql("mysql", "DROP DATABASE IF EXISTS %s; DROP DATABASE IF EXISTS %s_registry; "
                     "CREATE DATABASE %s" % (db, db, db), cwd)

    def native(self, db, script, cwd):
        """The database's own client running `script` (raw.sql)."""
        if self.kind == "sqlite":
            return ["sh", "-c", "sqlite3 -bail %s.db < %s" % (db, script)], None
        if self.kind == "postgresql":
            return (["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.server, "-U", "mig",
                     "-d", db, "-f", script], {"PGPASSWORD": SOCKET_PW})
        return (["sh", "-c", "mariadb --no-defaults -S %s -umig -p%s %s < %s"
                 % (os.path.join(self.server, "mysqld.sock"), SOCKET_PW, db, script)], None)

    def floor(self, migrations, db):
        if self.kind == "sqlite":
            return [MIG_FLOOR, migrations, "sqlite", db + ".db"]
        if self.kind == "postgresql":
            return [MIG_FLOOR, migrations, "postgresql",
                    "host=%s user=mig password=%s dbname=%s" % (self.server, SOCKET_PW, db)]
        return [MIG_FLOOR, migrations, "mysql", os.path.join(self.server, "mysqld.sock"), "mig",
                SOCKET_PW, db]


def ops_project(backend, n):
    root = tempfile.mkdtemp(prefix="mig-ops-%s-%d-" % (backend.kind, n))
    generate.write_mig(os.path.join(root, "mig"), n)
    generate.write_dbmate(os.path.join(root, "dbmate"), n)
    generate.write_alembic(os.path.join(root, "alembic"), n)
    engine = {"sqlite": "sqlite", "postgresql": "pg", "mysql": "mysql"}[backend.kind]
    generate.write_sqitch(os.path.join(root, "sqitch"), n, engine)
    if backend.kind == "mysql":  # its registry beside its database, emptied with it
        with open(os.path.join(root, "sqitch", "sqitch.conf"), "a") as f:
            f.write('[engine "mysql"]\n\tregistry = sqitch_b_registry\n')
    generate.write_raw(os.path.join(root, "raw.sql"), n)
    with open(os.path.join(root, "alembic", "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\nsqlalchemy.url = %s\n"
                % backend.url("alembic", "alembic_b").replace("%", "%%"))
    return root


def tool_commands(backend, root):
    """{tool: (cwd, env, {operation: command})}; current where the tool has
    none is its status (dbmate, Sqitch); dbmate has no downgrade base."""
    dm = dbmate()
    sq = ["sqitch"]
    al = [PY, "-m", "alembic", "-c", "alembic.ini"]
    t = {
        "mig": (os.path.join(root, "mig"), {"DATABASE_URL": backend.url("mig", "mig_b")}, {
            "upgrade head": [MIG, "-q", "upgrade", "head"], "status": [MIG, "status"],
            "current": [MIG, "current"], "downgrade -1": [MIG, "-q", "downgrade", "-1"],
            "downgrade base": [MIG, "-q", "downgrade", "base"]}),
        "dbmate": (os.path.join(root, "dbmate"), {"DATABASE_URL": backend.url("dbmate", "dbmate_b")},
                   {"upgrade head": [dm, "--no-dump-schema", "migrate"], "status": [dm, "status"],
                    "current": [dm, "status"], "downgrade -1": [dm, "--no-dump-schema", "rollback"]}),
        "alembic": (os.path.join(root, "alembic"), None, {
            "upgrade head": al + ["upgrade", "head"], "status": al + ["current"],
            "current": al + ["current"], "downgrade -1": al + ["downgrade", "-1"],
            "downgrade base": al + ["downgrade", "base"]}),
    }
    target = backend.url("sqitch", "sqitch_b")
    t["sqitch"] = (os.path.join(root, "sqitch"), None, {
        "upgrade head": sq + ["deploy", target], "status": sq + ["status", target],
        "current": sq + ["status", target], "downgrade -1": sq + ["revert", "-y", "--to",
                                                                  "@HEAD^", target],
        "downgrade base": sq + ["revert", "-y", target]})
    return t


def ops(backend, label, runs):
    """label: the backend as the report names it (postgresql, postgresql stock, ...)."""
    root = ops_project(backend, OPS_N)
    tools = tool_commands(backend, root)
    db = {"mig": "mig_b", "dbmate": "dbmate_b", "alembic": "alembic_b", "sqitch": "sqitch_b"}
    times = {(tool, op): [] for tool in tools for op in OPS}
    peaks = {}
    for cycle in range(runs):
        for tool, (cwd, env, cmds) in tools.items():
            backend.fresh(db[tool], cwd)
            if tool == "sqitch":
                # To head without 90 ms a change (see above): the database's
                # own client runs the same statements, timed as "native".
                cmd, nenv = backend.native(db[tool], os.path.join(root, "raw.sql"), cwd)
                times.setdefault(("native", "upgrade head"), []).append(run(cmd, cwd, nenv)[0])
                run(cmds["upgrade head"][:2] + ["--log-only"] + cmds["upgrade head"][2:], cwd)
            else:
                seconds, kb = run(cmds["upgrade head"], cwd, env, peak=cycle == 0)
                times[(tool, "upgrade head")].append(seconds)
                peaks[(tool, "upgrade head")] = max(kb, peaks.get((tool, "upgrade head"), 0))
            run(cmds["status"], cwd, env)  # warm: mig's parse cache, the OS's file cache
            for op in ("status", "current"):
                times[(tool, op)].append(run(cmds[op], cwd, env)[0])
            if tool == "mig":  # the floor and mig without its cache, on mig's database
                floor = backend.floor(os.path.join(cwd, "migrations"), "mig_b")
                times.setdefault(("floor", "status"), []).append(run(floor, cwd)[0])
                for op in ("status", "current"):
                    times.setdefault(("mig, no cache", op), []).append(
                        run(cmds[op], cwd, dict(env, MIG_CACHE="off"))[0])
            times[(tool, "downgrade -1")].append(run(cmds["downgrade -1"], cwd, env)[0])
            if "downgrade base" in cmds and tool != "sqitch":
                run(cmds["upgrade head"], cwd, env)
                seconds, kb = run(cmds["downgrade base"], cwd, env, peak=cycle == 0)
                times[(tool, "downgrade base")].append(seconds)
                peaks[(tool, "downgrade base")] = kb
    # Peak memory of the reading commands and downgrade -1: one more run
    # each, under GNU time, from head.
    for tool, (cwd, env, cmds) in tools.items():
        if tool == "sqitch":
            backend.fresh(db[tool], cwd)
            cmd, nenv = backend.native(db[tool], os.path.join(root, "raw.sql"), cwd)
            run(cmd, cwd, nenv)
            run(cmds["upgrade head"][:2] + ["--log-only"] + cmds["upgrade head"][2:], cwd)
        else:
            run(cmds["upgrade head"], cwd, env)
        for op in ("status", "current", "downgrade -1"):
            peaks[(tool, op)] = run(cmds[op], cwd, env, peak=True)[1]
    times[("floor", "current")] = times[("floor", "status")]
    for (tool, op), ts in sorted(times.items()):
        if ts:
            record_ops(op, label, OPS_N, tool, ts, peaks.get((tool, op), 0))
    shutil.rmtree(root)
    # Sqitch's upgrade head and downgrade base, at a size it finishes.
    root = ops_project(backend, OPS_SQITCH_N)
    cwd, env, cmds = tool_commands(backend, root)["sqitch"]
    ups, downs = [], []
    for cycle in range(runs):
        backend.fresh("sqitch_b", cwd)
        ups.append(run(cmds["upgrade head"], cwd)[0])
        downs.append(run(cmds["downgrade base"], cwd)[0])
    mcwd, menv, mcmds = tool_commands(backend, root)["mig"]
    mups, mdowns = [], []
    for cycle in range(runs):
        backend.fresh("mig_b", mcwd)
        mups.append(run(mcmds["upgrade head"], mcwd, menv)[0])
        mdowns.append(run(mcmds["downgrade base"], mcwd, menv)[0])
    for op, tool, ts in (("upgrade head", "sqitch", ups), ("downgrade base", "sqitch", downs),
                         ("upgrade head", "mig", mups), ("downgrade base", "mig", mdowns)):
        record_ops(op, label, OPS_SQITCH_N, tool, ts, 0)
    shutil.rmtree(root)


def record_ops(op, label, n, tool, ts, peak):
    ROWS.append({"scenario": "ops: " + op, "backend": label, "n": n, "tool": tool,
                 "median_s": "%.4f" % statistics.median(ts), "peak_kb": peak, "runs": len(ts),
                 "min_s": "%.4f" % min(ts), "max_s": "%.4f" % max(ts)})
    print("ops %-16s %-18s n=%-5d %-14s %8.4f s [%.4f-%.4f] %7d KB"
          % (op, label, n, tool, statistics.median(ts), min(ts), max(ts), peak), flush=True)


EXTRA_TABLES = 200 if QUICK else 2000


def schema_size(backend, label):
    """`status` at 100 revisions, in a database holding only their tables and
    in one that holds EXTRA_TABLES more: its cost should follow the
    revisions, not the size of the schema."""
    root = tempfile.mkdtemp(prefix="mig-size-%s-" % backend.kind)
    mig_dir = os.path.join(root, "mig")
    generate.write_mig(mig_dir, 100)
    extra = os.path.join(root, "extra.sql")
    with open(extra, "w") as f:
        for i in range(EXTRA_TABLES):
            f.write("CREATE TABLE other%05d (id INTEGER PRIMARY KEY, v VARCHAR(20));\n" % i)
    tools = {}
    for name, db, more in (("mig, 100 revisions", "size_small", False),
                           ("mig, 100 revisions + %d tables" % EXTRA_TABLES, "size_big", True)):
        backend.fresh(db, mig_dir)
        if more:
            cmd, nenv = backend.native(db, extra, mig_dir)
            run(cmd, mig_dir, nenv)
        env = {"DATABASE_URL": backend.url("mig", db)}
        run([MIG, "-q", "upgrade", "head"], mig_dir, env)
        tools[name] = (lambda: None, [MIG, "status"], mig_dir, env)
    record("status by schema size", label, 100, measure(tools, runs=5))
    shutil.rmtree(root)


def ops_all():
    runs = 3
    ops(Backend("sqlite"), "sqlite", runs)
    schema_size(Backend("sqlite"), "sqlite")
    for kind, script in (("postgresql", "postgres"), ("mysql", "mariadb")):
        for stock in (False, True):
            server = tempfile.mkdtemp(prefix="mig-bench-%s." % kind)
            env = dict(os.environ)
            if stock:
                env["MIG_SERVER_STOCK"] = "1"
            ctl = os.path.join(ROOT, "tests", "servers", script)
            subprocess.run([ctl, "start", server], check=True, capture_output=True, env=env)
            try:
                backend = Backend(kind, server)
                ops(backend, kind + (" stock" if stock else ""), runs)
                if not stock:
                    schema_size(backend, kind)
            finally:
                subprocess.run([ctl, "stop", server], capture_output=True)
                shutil.rmtree(server, ignore_errors=True)


def micro():
    out = os.path.join(RESULTS, "micro.json")
    subprocess.run([MICRO, "--benchmark_format=json", "--benchmark_out=" + out,
                    "--benchmark_min_time=0.2" if QUICK else "--benchmark_min_time=1"],
                   check=True, stdout=subprocess.DEVNULL)
    import json
    rows = []
    to_ns = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    for b in json.load(open(out))["benchmarks"]:
        ns = b["real_time"] * to_ns[b.get("time_unit", "ns")]
        rows.append({"name": b["name"], "real_time_ns": "%.0f" % ns,
                     "bytes_per_second": "%.0f" % b.get("bytes_per_second", 0),
                     "items_per_second": "%.0f" % b.get("items_per_second", 0)})
    write_csv("micro.csv", rows)
    return rows


def write_csv(name, rows):
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, name), "w", newline="") as f:
        fields = []
        for r in rows:
            fields += [k for k in r if k not in fields]
        w = csv.DictWriter(f, fieldnames=fields, restval="")
        w.writeheader()
        w.writerows(rows)


def plot(name, title, scenario, backend, tools, ylabel="seconds", column="median_s", log=True):
    data = os.path.join(RESULTS, name + ".dat")
    with open(data, "w") as f:
        for tool in tools:
            f.write("# %s\n" % tool)
            for r in ROWS:
                if r["scenario"] == scenario and r["backend"] == backend and r["tool"] == tool:
                    value = float(r[column]) / (1024.0 if column == "peak_kb" else 1.0)
                    f.write("%d %s\n" % (r["n"], value))
            f.write("\n\n")
    script = ("set terminal pngcairo size 800,480\nset output '%s'\nset title '%s'\n"
              "%sset xlabel 'revisions (N)'\nset ylabel '%s'\nset key left top\n"
              "set yrange [0:*]\nset grid\nplot " % (os.path.join(HERE, "results", name + ".png"),
                                                    title, "set logscale xy\n" if log else "",
                                                    ylabel))
    if log:
        script = script.replace("set yrange [0:*]\n", "")
    script += ", ".join("'%s' index %d with linespoints title '%s'" % (data, i, t)
                        for i, t in enumerate(tools))
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def plot_ops(label, report):
    """Bars: each operation, each tool, at the ops section's N (log scale)."""
    name = "ops_" + label.replace(" ", "_")
    data = os.path.join(RESULTS, name + ".dat")
    big = max(r["n"] for r in ROWS if r["scenario"] == "ops: status")
    tools = ("mig",) + report.PEERS
    with open(data, "w") as f:
        for op in report.OPS:
            cells = []
            for tool in tools:
                r = report.ops_value(ROWS, op, label, tool, big)
                cells.append(r["median_s"] if r else "?")
            f.write('"%s" %s\n' % (op, " ".join(cells)))
    script = ("set terminal pngcairo size 800,420\nset output '%s'\n"
              "set title 'N = %d, %s (log scale)'\nset style data histograms\n"
              "set style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
              "set datafile missing '?'\nset logscale y\nset ylabel 'seconds'\n"
              "set key left top\nset grid ytics\nplot " % (os.path.join(RESULTS, name + ".png"),
                                                             big, label))
    script += ", ".join("'%s' using %d:xtic(1) title '%s'" % (data, i + 2, t)
                        for i, t in enumerate(tools))
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def value(scenario, backend, n, tool):
    for r in ROWS:
        if (r["scenario"], r["backend"], r["n"], r["tool"]) == (scenario, backend, n, tool):
            return float(r["median_s"])
    return None


def machine():
    cpu = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = [l for l in open("/proc/meminfo") if l.startswith("MemTotal")][0].split()[1]
    versions = subprocess.run(["sh", "-c", "echo sqlite3 $(sqlite3 --version | cut -d' ' -f1); "
                               "psql --version; " + PY + " -m alembic --version"],
                              capture_output=True, text=True).stdout.strip().splitlines()
    return "%s, %d cores, %.0f GiB RAM, %s; %s" % (cpu, os.cpu_count(), int(mem) / 1048576.0,
                                                   platform.platform(), "; ".join(versions))


def main():
    # mig's parse cache goes to a directory of this run's own, not the user's.
    cache_home = tempfile.mkdtemp(prefix="mig-bench-cache.")
    os.environ["XDG_CACHE_HOME"] = cache_home
    if "--ops-only" in sys.argv:  # that section alone, for trying it (with MIG_BENCH_DOC)
        ops_all()
        import report
        for label in report.ops_labels(ROWS):
            plot_ops(label, report)
        report.write(ROWS, [], machine(), QUICK, value)
        return
    ns = [100, 300] if QUICK else [100, 1000]
    for n in ns:
        root = project(n)
        sqlite_upgrade(root, n)
        if n == ns[-1]:
            sqlite_downgrade(root, n)
        shutil.rmtree(root)
    for n in ([300] if QUICK else [1000, 10000]):
        root = project(n)
        sqlite_read(root, n, ["current", "status"])
        shutil.rmtree(root)
    for n in ([1000, 3000] if QUICK else [1000, 10000, 100000]):
        graph_scale(n)
    postgres(ns)
    shards(30 if QUICK else 100)
    ops_all()
    write_csv("macro.csv", ROWS)
    micro_rows = micro() if os.path.exists(MICRO) else []
    render(micro_rows)
    shutil.rmtree(cache_home, ignore_errors=True)


def render(micro_rows):
    plot("upgrade_sqlite", "upgrade head, SQLite", "upgrade head", "sqlite",
         ["mig", "alembic", "sqlite3", "sqlite3-1tx"])
    plot("upgrade_postgresql", "upgrade head, PostgreSQL", "upgrade head", "postgresql",
         ["mig", "alembic", "psql"])
    plot("scale_time", "mig status time vs N", "status (graph scale)", "sqlite",
         ["mig"], log=False)
    plot("scale_history_time", "mig history time vs N", "history (graph scale)", "sqlite",
         ["mig"], log=False)
    plot("scale_memory", "mig status peak memory vs N", "status (graph scale)", "sqlite",
         ["mig"], ylabel="MB", column="peak_kb", log=False)
    import report
    for label in report.ops_labels(ROWS):
        plot_ops(label, report)
    report.write(ROWS, micro_rows, machine(), QUICK, value)


def report_only():
    """Renders plots and the doc from the last run's CSVs (no measuring)."""
    with open(os.path.join(RESULTS, "macro.csv")) as f:
        for r in csv.DictReader(f):
            r["n"], r["peak_kb"], r["runs"] = int(r["n"]), int(r["peak_kb"]), int(r["runs"])
            ROWS.append(r)
    with open(os.path.join(RESULTS, "micro.csv")) as f:
        render(list(csv.DictReader(f)))


if __name__ == "__main__":
    report_only() if "--report-only" in sys.argv else main()
