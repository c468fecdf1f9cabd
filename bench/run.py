#!/usr/bin/python3
"""mig against Alembic and the database's own client, side by side.

Each measurement alternates the tools (A B A B ...) after a warm-up, so a
noisy machine slows all of them alike, and keeps the median. Writes
bench/results/*.csv, PNG plots (gnuplot) and docs/BENCHMARKS.md.

  bench/run.py [--quick]      --quick: fewer runs and smaller N, for a smoke test
  bench/run.py --report-only  plots and docs/BENCHMARKS.md again from the CSVs
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
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
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
