"""Writes docs/BENCHMARKS.md from the measured rows (called by run.py)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
# MIG_BENCH_DOC: somewhere else (a trial run's document, not the real one).
DOC = os.environ.get("MIG_BENCH_DOC") or os.path.join(os.path.dirname(HERE), "docs",
                                                       "BENCHMARKS.md")


def ratio(a, b):
    return "%.2f×" % (a / b) if a and b else "n/a"


OPS = ("upgrade head", "status", "current", "downgrade -1", "downgrade base")
PEERS = ("dbmate", "alembic", "sqitch")
OPS_LABELS = ("sqlite", "postgresql", "postgresql stock", "mysql", "mysql stock")


def ops_labels(rows):
    seen = {r["backend"] for r in rows if r["scenario"].startswith("ops: ")}
    return [label for label in OPS_LABELS if label in seen]


def ops_value(rows, op, label, tool, n=None):
    for r in rows:
        if (r["scenario"], r["backend"], r["tool"]) == ("ops: " + op, label, tool) and \
                (n is None or r["n"] == n):
            return r
    return None


def cell(r):
    if not r:
        return "—"
    if r.get("min_s"):
        return "%.3f s [%.3f–%.3f]" % (float(r["median_s"]), float(r["min_s"]), float(r["max_s"]))
    return "%.3f s" % float(r["median_s"])


def ops_section(rows, w):
    labels = ops_labels(rows)
    if not labels:
        return
    big = max(r["n"] for r in rows if r["scenario"] == "ops: status")
    small = min(r["n"] for r in rows if r["scenario"].startswith("ops: "))
    w("\n## Every operation on every backend, beside dbmate, Alembic and Sqitch\n")
    w("The same chain (N = %d) for mig, dbmate (its native binary from npm), Alembic "
      "(`op.execute`, a transaction per migration) and Sqitch (Debian's, with `psql`, "
      "`mariadb` and `sqlite3` underneath; each script in a transaction, as its templates "
      "write them), each on a database of its own. A cycle takes one tool from an empty "
      "database through upgrade head, status, current, downgrade -1, one upgrade again "
      "and downgrade base; the tools take turns, cycle by cycle, three cycles; each cell is "
      "the median with the fastest and slowest run. dbmate has no `current` (its `status` "
      "is shown there) and no downgrade to base in one command; Alembic's `current` stands "
      "in for `status`; Sqitch's `status` for both. Sqitch starts `psql`/`mariadb`/`sqlite3` "
      "once per change (about 90 ms each here), so its upgrade head and downgrade base are "
      "measured at N = %d (rows below, beside mig at the same N); for the reading commands "
      "it is brought to head by the native script and `sqitch deploy --log-only`. "
      "`native`: the database's own client running the same statements with a transaction "
      "and a version-row update per revision. `floor`: bench/floor.c, which stats every "
      "file of the migrations directory and runs one query for the applied revisions. "
      "\"stock\" servers run with the database's default durability settings (fsync, "
      "a log flush per commit, doublewrite); the others as the tests run them "
      "(tests/servers/: fsync off, no log flush per commit).\n" % (big, small))
    targets = []
    for label in labels:
        w("### %s\n" % label)
        w("| operation | mig | dbmate | Alembic | Sqitch | native / floor | "
          "mig ÷ fastest peer | met (≤ 1.0×) |")
        w("|---|---:|---:|---:|---:|---:|---:|:---:|")
        for op in OPS:
            m = ops_value(rows, op, label, "mig", big)
            peers = {t: ops_value(rows, op, label, t, big) for t in PEERS}
            other = ops_value(rows, op, label, "native", big) or ops_value(rows, op, label,
                                                                          "floor", big)
            present = [float(r["median_s"]) for r in peers.values() if r]
            ratio, met = "n/a", ""
            if m and present:
                value = float(m["median_s"]) / min(present)
                ratio, met = "%.2f×" % value, "yes" if value <= 1.0 else "**no**"
                targets.append(("%s, %s: mig ÷ fastest of dbmate, Alembic, Sqitch" % (op, label),
                                value, 1.0))
            w("| %s | %s | %s | %s | %s | %s | %s | %s |"
              % (op, cell(m), cell(peers["dbmate"]), cell(peers["alembic"]),
                 cell(peers["sqitch"]), cell(other), ratio, met))
        for op in ("upgrade head", "downgrade base"):
            m, q = ops_value(rows, op, label, "mig", small), ops_value(rows, op, label, "sqitch",
                                                                       small)
            if m and q:
                w("| %s, N = %d | %s | | | %s | | %.2f× (Sqitch) | %s |"
                  % (op, small, cell(m), cell(q), float(m["median_s"]) / float(q["median_s"]),
                     "yes" if float(m["median_s"]) <= float(q["median_s"]) else "**no**"))
        floor = ops_value(rows, "status", label, "floor", big)
        for op in ("status", "current"):
            for tool, limit in (("mig", 1.5), ("mig, no cache", 2.0)):
                r = ops_value(rows, op, label, tool, big)
                if r and floor:
                    targets.append(("%s, %s: %s ÷ floor" % (op, label, tool),
                                    float(r["median_s"]) / float(floor["median_s"]), limit))
        if label != "sqlite":
            m, n = ops_value(rows, "upgrade head", label, "mig", big), \
                ops_value(rows, "upgrade head", label, "native", big)
            if m and n:
                targets.append(("upgrade head, %s: mig ÷ native client" % label,
                                float(m["median_s"]) / float(n["median_s"]), 1.1))
        w("\nPeak memory (MB): " + ", ".join(
            "%s %s %.1f" % (tool, op, r["peak_kb"] / 1024.0)
            for op in ("upgrade head", "status") for tool in ("mig",) + PEERS
            for r in [ops_value(rows, op, label, tool, big)] if r and r["peak_kb"]) + ".\n")
        w("![%s](../bench/results/ops_%s.png)\n" % (label, label.replace(" ", "_")))
    size = [r for r in rows if r["scenario"] == "status by schema size"]
    if size:
        w("### status against the size of the schema\n")
        w("`mig status` at 100 revisions, in a database holding only their tables and in one "
          "holding %s more tables (cache warm, median of 5).\n" % size[-1]["tool"].split("+ ")[-1]
          .split(" ")[0])
        w("| backend | 100 revisions | + more tables | ratio |")
        w("|---|---:|---:|---:|")
        for label in OPS_LABELS:
            pair = [r for r in size if r["backend"] == label]
            if len(pair) == 2:
                a, b = float(pair[0]["median_s"]), float(pair[1]["median_s"])
                w("| %s | %.3f s | %.3f s | %.2f× |" % (label, a, b, b / a))
                targets.append(("status, %s: with the extra tables ÷ without" % label, b / a,
                                1.25))
    w("\n### Targets of this section\n")
    w("| comparison | measured | target | met |")
    w("|---|---:|---:|:---:|")
    for name, value, limit in targets:
        w("| %s | %.2f× | ≤ %.2f× | %s |" % (name, value, limit,
                                            "yes" if value <= limit else "**no**"))
    met = sum(1 for _, v, l in targets if v <= l)
    w("\n%d of %d met in this run.\n" % (met, len(targets)))


def write(rows, micro, machine, quick, value):
    out = []
    w = out.append
    w("# Benchmarks\n")
    w("Generated by `make bench` (bench/run.py%s); every figure below is the one it measured."
      % (" --quick: a reduced smoke run" if quick else ""))
    w("\nMachine: %s.\n" % machine)
    w("Method: the same linear chain of N revisions (each creates a table and inserts a row; "
      "its downgrade drops the table) is written three ways by `bench/generate.py`: mig "
      "files, an Alembic project (`op.execute` with the same SQL, one transaction per "
      "migration), and one SQL script for the database's own client (one transaction per "
      "revision plus one version-row update: the floor). mig runs a whole SQLite run in one "
      "write transaction (one lock, a savepoint per revision), so the SQLite table also shows "
      "`sqlite3-1tx`, the same script in one transaction: the floor for that way of working. "
      "Each measurement alternates the "
      "tools (A B C A B C …) after a warm-up run and reports the median wall time of a whole "
      "command, process start-up included. PostgreSQL runs on a throw-away local server "
      "(unix socket, fsync off) started by `tests/servers/postgres`. Peak RSS is read from "
      "GNU time on one run of each tool. `current`/`status` at head show mig with its parse "
      "cache warm (as every command after the first runs) and without it (`MIG_CACHE=off`); "
      "the graph-scale runs use no cache. `shards upgrade head`: 64 empty SQLite "
      "files and a chain of 100 revisions; `mig --group shards upgrade head -j 2` against a "
      "shell loop of `mig --url sqlite:FILE upgrade head` over the files and the same loop of "
      "dbmate's native binary from npm (`dbmate --no-dump-schema migrate`, the same SQL in "
      "its `-- migrate:up` / `-- migrate:down` files). dbmate commits each migration on its "
      "own; mig commits a shard's run at once, as above.\n")
    w("## Results\n")
    w("| scenario | backend | N | tool | median | peak RSS |")
    w("|---|---|---:|---|---:|---:|")
    for r in rows:
        if r["scenario"].startswith("ops: ") or r["scenario"] == "status by schema size":
            continue  # in the section of their own below
        w("| %s | %s | %d | %s | %.3f s | %.1f MB |" % (r["scenario"], r["backend"], r["n"],
                                                       r["tool"], float(r["median_s"]),
                                                       r["peak_kb"] / 1024.0))
    w("\n## Ratios against the targets\n")
    w("| comparison | measured | target | met |")
    w("|---|---:|---:|:---:|")

    def row(label, a, b, target, ok):
        if a and b:
            met = "" if ok is None else "yes" if ok(a / b) else "**no**"
            w("| %s | %.2f× | %s | %s |" % (label, a / b, target, met))
        else:
            w("| %s | n/a | %s | |" % (label, target))

    ns = sorted({r["n"] for r in rows if r["scenario"] == "upgrade head"})
    big = ns[-1] if ns else 0
    for n in ns:
        m = value("upgrade head", "sqlite", n, "mig")
        row("upgrade head, SQLite, N=%d: mig / sqlite3 (a transaction per revision)" % n, m,
            value("upgrade head", "sqlite", n, "sqlite3"), "≤ 1.10×", lambda r: r <= 1.10)
        row("upgrade head, SQLite, N=%d: mig / sqlite3-1tx (one transaction, as mig)" % n, m,
            value("upgrade head", "sqlite", n, "sqlite3-1tx"), "(reported)", None)
        row("upgrade head, SQLite, N=%d: Alembic / mig" % n,
            value("upgrade head", "sqlite", n, "alembic"), m, "≥ 3×", lambda r: r >= 3)
        row("upgrade head, PostgreSQL, N=%d: mig / psql" % n,
            value("upgrade head", "postgresql", n, "mig"),
            value("upgrade head", "postgresql", n, "psql"), "≤ 1.2×", lambda r: r <= 1.2)
    for scenario in ("current at head", "status at head"):
        for n in sorted({r["n"] for r in rows if r["scenario"] == scenario}):
            m = value(scenario, "sqlite", n, "mig")
            row("%s, N=%d: `alembic current` / mig" % (scenario, n),
                value(scenario, "sqlite", n, "alembic"), m, "≥ 50×", lambda r: r >= 50)
            row("%s, N=%d: `alembic current` / mig without its parse cache" % (scenario, n),
                value(scenario, "sqlite", n, "alembic"),
                value(scenario, "sqlite", n, "mig, no cache"), "(reported)", None)
            if value(scenario, "sqlite", n, "alembic heads"):
                row("%s, N=%d: `alembic heads` (no database) / mig" % (scenario, n),
                    value(scenario, "sqlite", n, "alembic heads"), m, "(reported)",
                    None)
    row("downgrade base, SQLite, N=%d: Alembic / mig" % big,
        value("downgrade base", "sqlite", big, "alembic"),
        value("downgrade base", "sqlite", big, "mig"), "(faster)", lambda r: r > 1)
    for n in sorted({r["n"] for r in rows if r["scenario"] == "shards upgrade head"}):
        group = value("shards upgrade head", "sqlite", n, "mig --group -j 2")
        row("64 SQLite shards x %d revisions: a loop of `mig upgrade head` / "
            "`mig --group … upgrade head -j 2`" % n,
            value("shards upgrade head", "sqlite", n, "mig loop"), group, "≥ 1.8×",
            lambda r: r >= 1.8)
        row("64 SQLite shards x %d revisions: a loop of `dbmate migrate` / "
            "`mig --group … upgrade head -j 2`" % n,
            value("shards upgrade head", "sqlite", n, "dbmate loop"), group, "> 1× (faster)",
            lambda r: r > 1)
    scale = [r for r in rows if r["scenario"] == "status (graph scale)"]
    if scale:
        top = scale[-1]
        seconds, mb = float(top["median_s"]), top["peak_kb"] / 1024.0
        w("| status, N=%d: time / peak memory | %.3f s / %.0f MB | < 1 s / < 200 MB | %s |"
          % (top["n"], seconds, mb, "yes" if seconds < 1 and mb < 200 else "**no**"))
    ops_section(rows, w)
    w("\n## Plots\n")
    for name, title in (("upgrade_sqlite", "upgrade head on SQLite"),
                        ("upgrade_postgresql", "upgrade head on PostgreSQL"),
                        ("scale_time", "status time against N"),
                        ("scale_history_time", "history time against N"),
                        ("scale_memory", "status peak memory against N")):
        w("![%s](../bench/results/%s.png)\n" % (title, name))
    if micro:
        w("## Micro-benchmarks (Google Benchmark)\n")
        w("| benchmark | time per iteration | throughput |")
        w("|---|---:|---:|")
        for m in micro:
            rate = ""
            if float(m["bytes_per_second"]) > 0:
                rate = "%.0f MB/s" % (float(m["bytes_per_second"]) / 1e6)
            elif float(m["items_per_second"]) > 0:
                rate = "%.0f revisions/s" % float(m["items_per_second"])
            w("| %s | %.3f ms | %s |" % (m["name"], float(m["real_time_ns"]) / 1e6, rate))
    notes = os.path.join(HERE, "NOTES.md")
    if os.path.exists(notes):
        w("\n" + open(notes).read())
    w("\n## Reproduce\n")
    w("```\nmake bench          # installs what it needs, builds, runs, rewrites this file\n"
      "bench/run.py --quick   # a smaller smoke run\n```\n"
      "Raw numbers: `bench/results/macro.csv`, `bench/results/micro.csv`.")
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    with open(DOC, "w") as f:
        f.write("\n".join(out) + "\n")
