#!/usr/bin/python3
"""Writes one linear chain of N revisions three ways, with the same SQL:
a mig project, an Alembic project, and a plain SQL script for the database's
own client (one transaction per revision plus one version-row update)."""
import os
import sys


def rid(i):
    return "r%06d" % i


def statements(i):
    return (
        "CREATE TABLE t%06d (id INTEGER PRIMARY KEY, v VARCHAR(20))" % i,
        "INSERT INTO t%06d (id, v) VALUES (1, 'x')" % i,
    )


def down(i):
    return "DROP TABLE t%06d" % i


def write_mig(root, n):
    os.makedirs(os.path.join(root, "migrations"), exist_ok=True)
    with open(os.path.join(root, "mig.toml"), "w") as f:
        f.write("[database]\nlock_timeout = 600\n")
    for i in range(1, n + 1):
        parent = "-- mig:parent %s\n" % rid(i - 1) if i > 1 else ""
        up = ";\n".join(statements(i))
        with open(os.path.join(root, "migrations", "%s.sql" % rid(i)), "w") as f:
            f.write("-- mig:revision %s\n%s-- mig:message step %d\n"
                    "-- mig:created 2026-11-24T00:00:00Z\n\n-- mig:upgrade\n%s;\n\n"
                    "-- mig:downgrade\n%s;\n" % (rid(i), parent, i, up, down(i)))


ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section),
                            prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
'''


def write_alembic(root, n):
    versions = os.path.join(root, "alembic", "versions")
    os.makedirs(versions, exist_ok=True)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\n"
                "sqlalchemy.url = sqlite:///alembic.db\n")
    with open(os.path.join(root, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    for i in range(1, n + 1):
        down_rev = repr(rid(i - 1)) if i > 1 else "None"
        ups = "\n".join("    op.execute(%r)" % s for s in statements(i))
        with open(os.path.join(versions, "%s.py" % rid(i)), "w") as f:
            f.write("from alembic import op\n\nrevision = %r\ndown_revision = %s\n"
                    "branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n%s\n\n\n"
                    "def downgrade():\n    op.execute(%r)\n"
                    % (rid(i), down_rev, ups, down(i)))


def write_dbmate(root, n):
    """The same chain for dbmate: db/migrations/VERSION_NAME.sql with
    `-- migrate:up` and `-- migrate:down` sections."""
    migrations = os.path.join(root, "db", "migrations")
    os.makedirs(migrations, exist_ok=True)
    for i in range(1, n + 1):
        with open(os.path.join(migrations, "%06d_step_%d.sql" % (i, i)), "w") as f:
            f.write("-- migrate:up\n%s;\n\n-- migrate:down\n%s;\n"
                    % (";\n".join(statements(i)), down(i)))


def write_sqitch(root, n, engine):
    """The same chain for Sqitch: sqitch.plan, deploy/ and revert/ scripts,
    each wrapped in a transaction as Sqitch's own templates write them (on
    MySQL, where DDL commits anyway, too)."""
    for d in ("deploy", "revert"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    with open(os.path.join(root, "sqitch.conf"), "w") as f:
        f.write("[core]\n\tengine = %s\n\tplan_file = sqitch.plan\n\ttop_dir = .\n"
                "[deploy]\n\tverify = false\n[rebase]\n\tverify = false\n" % engine)
    with open(os.path.join(root, "sqitch.plan"), "w") as plan:
        plan.write("%syntax-version=1.0.0\n%project=bench\n\n")
        for i in range(1, n + 1):
            plan.write("%s 2026-11-24T00:00:00Z Bench <bench@example.com> # step %d\n" % (rid(i), i))
            with open(os.path.join(root, "deploy", rid(i) + ".sql"), "w") as f:
                f.write("BEGIN;\n%s;\nCOMMIT;\n" % ";\n".join(statements(i)))
            with open(os.path.join(root, "revert", rid(i) + ".sql"), "w") as f:
                f.write("BEGIN;\n%s;\nCOMMIT;\n" % down(i))


def write_raw(path, n, one_transaction=False):
    """one_transaction: the whole run in one transaction, as mig runs it on
    SQLite (one write lock, one commit): the like-for-like floor there."""
    with open(path, "w") as f:
        f.write("CREATE TABLE version (v VARCHAR(40));\nINSERT INTO version VALUES ('');\n")
        if one_transaction:
            f.write("BEGIN;\n")
        for i in range(1, n + 1):
            body = "%s;\nUPDATE version SET v = '%s';\n" % (";\n".join(statements(i)), rid(i))
            f.write(body if one_transaction else "BEGIN;\n%sCOMMIT;\n" % body)
        if one_transaction:
            f.write("COMMIT;\n")


if __name__ == "__main__":
    root, n = sys.argv[1], int(sys.argv[2])
    write_mig(os.path.join(root, "mig"), n)
    write_alembic(os.path.join(root, "alembic"), n)
    write_raw(os.path.join(root, "raw.sql"), n)
    write_raw(os.path.join(root, "raw_1tx.sql"), n, one_transaction=True)
