// mig diff and mig baseline on a real PostgreSQL server: hand-written
// (before, after) schemas for every object kind and ordering rule, each
// written revision applied to a real database, downgraded and upgraded
// again, and compared with the desired schema loaded natively.
#include "diff/postgresql_diff.h"

#include <gtest/gtest.h>

#include "../e2e/database_support.h"
#include "../test_support.h"
#include "config/url.h"
#include "mig/errors.h"
#include "mig/project.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

using e2e::Kind;
using e2e::TestDatabase;

std::string definitions(const std::string& url) {
  auto db = Database::open(parse_url(url, "test"), ConnectOptions{});
  return postgresql_definitions_text(read_postgresql_schema(*db, "mig_"));
}

// A role of the test's own that may create databases, so that the scratch
// databases mig makes as that role can be counted while other tests run.
class ScratchRole {
 public:
  explicit ScratchRole(const std::string& name, const std::string& url) : name_(name) {
    e2e::server_execute(Kind::PostgreSQL, "DROP ROLE IF EXISTS " + name_);
    e2e::server_execute(Kind::PostgreSQL, "CREATE ROLE " + name_ + " LOGIN PASSWORD 'pw' CREATEDB");
    dev_url_ = "postgresql://" + name_ + ":pw@" + url.substr(url.find('@') + 1);
  }
  ~ScratchRole() {
    try {
      e2e::server_execute(Kind::PostgreSQL, "DROP ROLE IF EXISTS " + name_);
    } catch (const std::exception&) {
      // (it still owns a database: the test says so)
    }
  }
  const std::string& dev_url() const { return dev_url_; }
  // The databases it owns.
  size_t databases() const {
    TestDatabase any(Kind::PostgreSQL, "");
    return any
        .query(
            "SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE "
            "rolname = '" +
            name_ + "')")
        .size();
  }

 private:
  std::string name_, dev_url_;
};

bool has(const std::vector<std::string>& v, const std::string& text) {
  for (const auto& s : v)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

class PgDiff : public ::testing::Test {
 protected:
  void SetUp() override {
    Project::init(dir.path());
    dir.write("mig.toml", "[database]\nurl = \"" + db.url() + "\"\n");
  }
  DiffOptions to(const std::string& sql, const std::string& message = "next") {
    dir.write("schema.sql", sql);
    DiffOptions o;
    o.message = message;
    o.to = dir / "schema.sql";
    return o;
  }
  // The schema `sql` gives when loaded natively into a database of its own.
  std::string native(const std::string& sql) {
    TestDatabase fresh(Kind::PostgreSQL, "");
    auto conn = Database::open(parse_url(fresh.url(), "test"), ConnectOptions{});
    for (const auto& st : split_statements(sql, Dialect::PostgreSQL, "schema.sql"))
      conn->execute(st.sql);
    conn.reset();
    return definitions(fresh.url());
  }
  void upgrade() { Project::open(dir.path()).upgrade(); }
  void downgrade() {
    DowngradeOptions o;
    o.target = "-1";
    Project::open(dir.path()).downgrade(o);
  }
  // `before` written and applied, then the revision to `after`: applied,
  // undone and applied again, each time compared with the native schema.
  DiffResult round_trip(const std::string& before, const std::string& after,
                        const std::vector<std::string>& renames = {}) {
    Project::open(dir.path()).diff(to(before, "before"));
    upgrade();
    std::string was = definitions(db.url());
    EXPECT_EQ(was, native(before));
    DiffOptions o = to(after);
    o.renames = renames;
    DiffResult r = Project::open(dir.path()).diff(o);
    EXPECT_TRUE(r.differs);
    EXPECT_NE(r.path, "");
    upgrade();
    std::string want = native(after);
    EXPECT_EQ(definitions(db.url()), want);
    downgrade();
    EXPECT_EQ(definitions(db.url()), was);
    upgrade();
    EXPECT_EQ(definitions(db.url()), want);
    EXPECT_FALSE(Project::open(dir.path()).diff(to(after)).differs);
    return r;
  }
  std::vector<std::string> rows(const std::string& sql) { return db.query(sql); }

  testing::TempDir dir;
  TestDatabase db{Kind::PostgreSQL, ""};
};

TEST_F(PgDiff, ColumnsChangeInPlaceAndKeepTheirRows) {
  std::string before =
      "CREATE TABLE item (id integer NOT NULL, code varchar(10), price numeric(10,2) DEFAULT 0, "
      "note text, flag boolean NOT NULL DEFAULT false, legacy text, name text COLLATE \"C\");";
  std::string after =
      "CREATE TABLE item (id integer NOT NULL, code varchar(40) NOT NULL, price integer, "
      "note text DEFAULT 'none', flag boolean, added timestamptz NOT NULL DEFAULT now(), "
      "name text);";
  Project::open(dir.path()).diff(to(before, "before"));
  upgrade();
  db.execute("INSERT INTO item (id, code, price, note) VALUES (1, 'a', 12.00, 'kept')");
  DiffResult r = Project::open(dir.path()).diff(to(after));
  upgrade();
  EXPECT_EQ(definitions(db.url()), native(after));
  EXPECT_EQ(rows("SELECT id, code, price, note, flag FROM item"),
            std::vector<std::string>{"1|a|12|kept|0"});
  EXPECT_TRUE(has(r.destructive, "column item.legacy is dropped"));
  EXPECT_TRUE(has(r.destructive, "column item.price changes type from numeric(10,2) to integer"));
  EXPECT_FALSE(has(r.destructive, "item.code changes type"));  // varchar(10) to varchar(40)
  EXPECT_TRUE(has(r.upgrade, "ALTER TABLE item ALTER COLUMN code TYPE character varying(40)"));
  EXPECT_TRUE(has(r.upgrade, "ALTER TABLE item ALTER COLUMN name TYPE text USING name"));
  downgrade();
  EXPECT_EQ(rows("SELECT id, code, price::text, note FROM item"),
            std::vector<std::string>{"1|a|12.00|kept"});
}

TEST_F(PgDiff, IdentityAndGeneratedColumns) {
  DiffResult r = round_trip(
      "CREATE TABLE t (id integer NOT NULL, n integer GENERATED ALWAYS AS IDENTITY, "
      "a integer, twice integer GENERATED ALWAYS AS (a * 2) STORED, plain integer);",
      "CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 100), "
      "n integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 5), a integer, "
      "twice integer GENERATED ALWAYS AS (a * 3) STORED, plain integer);");
  EXPECT_TRUE(has(r.upgrade, "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"));
  EXPECT_TRUE(has(r.upgrade, "ALTER TABLE t ALTER COLUMN n SET GENERATED BY DEFAULT"));
  EXPECT_TRUE(has(r.upgrade, "SET INCREMENT BY 5"));
}

TEST_F(PgDiff, AnIdentityAddedToAFilledColumnCountsOnFromItsRows) {
  Project::open(dir.path()).diff(to("CREATE TABLE t (id integer NOT NULL, v text);", "before"));
  upgrade();
  db.execute("INSERT INTO t VALUES (1, 'a'), (7, 'b')");
  Project::open(dir.path())
      .diff(to("CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY, v text);"));
  upgrade();
  db.execute("INSERT INTO t (v) VALUES ('c')");
  EXPECT_EQ(rows("SELECT id FROM t WHERE v = 'c'"), std::vector<std::string>{"8"});
}

TEST_F(PgDiff, KeysChecksAndIndexesOfEveryKind) {
  DiffResult r = round_trip(
      "CREATE TABLE parent (id integer PRIMARY KEY, code text UNIQUE);\n"
      "CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id), "
      "qty integer CHECK (qty > 0), doc jsonb, name text);\n"
      "CREATE INDEX child_name ON child (name);",
      "CREATE TABLE parent (id integer PRIMARY KEY, code text);\n"
      "CREATE UNIQUE INDEX parent_code ON parent (lower(code)) WHERE code IS NOT NULL;\n"
      "CREATE TABLE child (id integer, parent_id integer REFERENCES parent (id) ON DELETE CASCADE "
      "ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, qty integer CHECK (qty >= 0), doc jsonb, "
      "name text, CONSTRAINT child_pk PRIMARY KEY (id, name));\n"
      "ALTER TABLE child ADD CONSTRAINT child_doc_present CHECK (doc IS NOT NULL) NOT VALID;\n"
      "CREATE INDEX child_doc ON child USING gin (doc jsonb_path_ops);\n"
      "CREATE INDEX child_name ON child (name DESC NULLS LAST);");
  // The foreign key goes before the keys it needs and comes back after them.
  auto at = [&](const std::vector<std::string>& v, const std::string& text) {
    for (size_t i = 0; i < v.size(); ++i)
      if (v[i].find(text) != std::string::npos) return i;
    return v.size();
  };
  EXPECT_LT(at(r.upgrade, "DROP CONSTRAINT child_parent_id_fkey"),
            at(r.upgrade, "DROP CONSTRAINT parent_code_key"));
  EXPECT_LT(at(r.upgrade, "ADD CONSTRAINT child_pk"),
            at(r.upgrade, "ADD CONSTRAINT child_parent_id_fkey"));
  EXPECT_TRUE(has(r.upgrade, "CHECK ((doc IS NOT NULL)) NOT VALID"));
}

TEST_F(PgDiff, CyclicForeignKeysAreClosedAfterBothTables) {
  DiffResult r =
      round_trip("CREATE TABLE keep (id integer PRIMARY KEY);",
                 "CREATE TABLE keep (id integer PRIMARY KEY);\n"
                 "CREATE TABLE a (id integer PRIMARY KEY, b_id integer);\n"
                 "CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));\n"
                 "ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id);\n"
                 "CREATE TABLE self (id integer PRIMARY KEY, up integer REFERENCES self (id));");
  EXPECT_EQ(r.upgrade.back(),
            "ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b(id)");
  EXPECT_TRUE(has(r.downgrade, "DROP TABLE a, b, self"));
}

TEST_F(PgDiff, ViewsAreDroppedBeforeAndMadeAfterTheTablesTheyRead) {
  DiffResult r = round_trip(
      "CREATE TABLE t (id integer PRIMARY KEY, amount integer, tag text);\n"
      "CREATE VIEW big AS SELECT id, amount FROM t WHERE amount > 10;\n"
      "CREATE VIEW bigger AS SELECT id FROM big WHERE amount > 100;\n"
      "CREATE VIEW tags AS SELECT DISTINCT tag FROM t;\n"
      "CREATE MATERIALIZED VIEW totals AS SELECT tag, sum(amount) AS total FROM t GROUP BY tag;\n"
      "CREATE UNIQUE INDEX totals_tag ON totals (tag);",
      "CREATE TABLE t (id integer PRIMARY KEY, amount bigint, tag text);\n"
      "CREATE VIEW big AS SELECT id, amount FROM t WHERE amount > 10;\n"
      "CREATE VIEW bigger AS SELECT id FROM big WHERE amount > 100;\n"
      "CREATE VIEW tags AS SELECT DISTINCT tag FROM t;\n"
      "CREATE MATERIALIZED VIEW totals AS SELECT tag, sum(amount) AS total FROM t GROUP BY tag;\n"
      "CREATE UNIQUE INDEX totals_tag ON totals (tag);\n"
      "CREATE VIEW checked WITH (security_barrier = true) AS SELECT id FROM t WHERE id > 0 "
      "WITH LOCAL CHECK OPTION;");
  auto at = [&](const std::string& text) {  // the statement that is so, or starts so
    for (size_t i = 0; i < r.upgrade.size(); ++i)
      if (r.upgrade[i] == text || r.upgrade[i].rfind(text + " ", 0) == 0) return i;
    ADD_FAILURE() << "no " << text;
    return r.upgrade.size();
  };
  EXPECT_LT(at("DROP VIEW bigger"), at("DROP VIEW big"));
  EXPECT_LT(at("DROP VIEW big"),
            at("ALTER TABLE t ALTER COLUMN amount TYPE bigint USING amount::bigint"));
  EXPECT_LT(at("ALTER TABLE t ALTER COLUMN amount TYPE bigint USING amount::bigint"),
            at("CREATE UNIQUE INDEX totals_tag ON totals USING btree (tag)"));
  // Every view over a changed table is made again, and the new one made.
  EXPECT_LT(at("ALTER TABLE t ALTER COLUMN amount TYPE bigint USING amount::bigint"),
            at("CREATE VIEW tags AS"));
  EXPECT_TRUE(
      has(r.upgrade, "CREATE VIEW checked WITH (security_barrier=true, check_option=local)"));
}

TEST_F(PgDiff, EnumValuesAreAddedBeforeTheColumnsUseThem) {
  DiffResult r = round_trip(
      "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
      "CREATE TABLE t (id integer PRIMARY KEY, m mood DEFAULT 'ok');",
      "CREATE TYPE mood AS ENUM ('angry', 'sad', 'ok', 'happy');\n"
      "CREATE TYPE size AS ENUM ('s', 'm');\n"
      "CREATE TABLE t (id integer PRIMARY KEY, m mood DEFAULT 'happy', s size);");
  EXPECT_TRUE(r.outside_transaction);  // a new value cannot be used in its transaction
  EXPECT_EQ(r.upgrade.at(0), "ALTER TYPE mood ADD VALUE 'angry' BEFORE 'sad'");
  EXPECT_EQ(r.upgrade.at(1), "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok'");
  EXPECT_EQ(r.upgrade.at(2), "CREATE TYPE size AS ENUM ('s', 'm')");
  EXPECT_TRUE(has(r.upgrade, "ALTER TABLE t ALTER COLUMN m SET DEFAULT 'happy'::mood"));
  EXPECT_TRUE(has(r.downgrade, "USING m::text::mood"));
}

TEST_F(PgDiff, AnEnumThatLosesAValueIsMadeAgainAndSaysSo) {
  Project::open(dir.path())
      .diff(to("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
               "CREATE TABLE t (m mood);\nCREATE VIEW v AS SELECT m FROM t;",
               "before"));
  upgrade();
  db.execute("INSERT INTO t VALUES ('ok')");
  DiffResult r = Project::open(dir.path())
                     .diff(to("CREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE t (m mood);\n"
                              "CREATE VIEW v AS SELECT m FROM t;"));
  EXPECT_FALSE(r.outside_transaction);
  EXPECT_TRUE(has(r.destructive, "enum mood loses the value 'happy'"));
  upgrade();
  EXPECT_EQ(rows("SELECT m::text FROM v"), std::vector<std::string>{"ok"});
  EXPECT_EQ(definitions(db.url()), native("CREATE TYPE mood AS ENUM ('ok', 'sad');\n"
                                          "CREATE TABLE t (m mood);\n"
                                          "CREATE VIEW v AS SELECT m FROM t;"));
}

TEST_F(PgDiff, SequencesSerialsAndTheirOwners) {
  round_trip("CREATE SEQUENCE counter START 5;\nCREATE TABLE t (id serial PRIMARY KEY);",
             "CREATE SEQUENCE counter START 5 INCREMENT 10 MAXVALUE 1000 CYCLE;\n"
             "CREATE SEQUENCE other AS smallint;\n"
             "CREATE TABLE t (id serial PRIMARY KEY, n integer DEFAULT nextval('other'));\n"
             "CREATE TABLE u (id bigserial PRIMARY KEY);");
}

TEST_F(PgDiff, FunctionsProceduresAndTriggersAsWholeObjects) {
  DiffResult r = round_trip(
      "CREATE TABLE t (id integer PRIMARY KEY, changed timestamptz);\n"
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN NEW.changed := now(); RETURN NEW; END $$;\n"
      "CREATE FUNCTION old_helper(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';\n"
      "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
      "CREATE TABLE t (id integer PRIMARY KEY, changed timestamptz, "
      "CHECK (id < 1000000));\n"
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN NEW.changed := clock_timestamp(); RETURN NEW; END $$;\n"
      "CREATE FUNCTION n_rows() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM t';\n"
      "CREATE PROCEDURE wipe(keep integer) LANGUAGE sql AS $$ DELETE FROM t WHERE id <> keep $$;\n"
      "CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();");
  EXPECT_TRUE(has(r.upgrade, "CREATE OR REPLACE FUNCTION touch()"));
  EXPECT_TRUE(has(r.upgrade, "DROP FUNCTION old_helper(a integer)"));
  EXPECT_TRUE(has(r.upgrade, "DROP TRIGGER t_touch ON t"));
  db.execute("INSERT INTO t (id) VALUES (1), (2)");
  db.execute("CALL wipe(1)");
  EXPECT_EQ(rows("SELECT n_rows()"), std::vector<std::string>{"1"});
}

TEST_F(PgDiff, CommentsOnEveryKindOfObject) {
  round_trip(
      "CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE t (id integer, v text);\n"
      "COMMENT ON TABLE t IS 'old';\nCOMMENT ON COLUMN t.v IS 'gone soon';",
      "CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE t (id integer, v text);\n"
      "CREATE INDEX t_v ON t (v);\nCREATE VIEW tv AS SELECT v FROM t;\n"
      "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n"
      "CREATE SEQUENCE s;\n"
      "COMMENT ON TABLE t IS 'it''s new';\nCOMMENT ON COLUMN t.id IS 'key';\n"
      "COMMENT ON INDEX t_v IS 'by v';\nCOMMENT ON VIEW tv IS 'values';\n"
      "COMMENT ON FUNCTION f() IS 'one';\nCOMMENT ON TYPE mood IS 'how';\n"
      "COMMENT ON SEQUENCE s IS 'numbers';");
}

TEST_F(PgDiff, ExtensionsComeBeforeWhatUsesThem) {
  DiffResult r = round_trip("CREATE TABLE t (id integer, name text);",
                            "CREATE EXTENSION pg_trgm;\nCREATE EXTENSION citext;\n"
                            "CREATE TABLE t (id integer, name text, email citext);\n"
                            "CREATE INDEX t_name_trgm ON t USING gin (name gin_trgm_ops);");
  EXPECT_EQ(r.upgrade.at(0), "CREATE EXTENSION IF NOT EXISTS citext");
  EXPECT_EQ(r.downgrade.back(), "DROP EXTENSION pg_trgm");
}

TEST_F(PgDiff, RenamesKeepTheirRows) {
  Project::open(dir.path())
      .diff(to("CREATE TABLE person (id integer PRIMARY KEY, nick text);", "before"));
  upgrade();
  db.execute("INSERT INTO person VALUES (1, 'ann')");
  DiffOptions o = to("CREATE TABLE member (id integer PRIMARY KEY, handle text);");
  o.renames = {"nobody=member"};
  EXPECT_THROW(Project::open(dir.path()).diff(o), OptionError);
  o.renames = {"person=member", "member.nick=handle"};  // each from where the one before left
  DiffResult r = Project::open(dir.path()).diff(o);
  EXPECT_EQ(r.upgrade.at(0), "ALTER TABLE person RENAME TO member");
  EXPECT_EQ(r.upgrade.at(1), "ALTER TABLE member RENAME COLUMN nick TO handle");
  EXPECT_TRUE(r.destructive.empty());
  upgrade();
  EXPECT_EQ(rows("SELECT id, handle FROM member"), std::vector<std::string>{"1|ann"});
  downgrade();
  EXPECT_EQ(rows("SELECT id, nick FROM person"), std::vector<std::string>{"1|ann"});
}

TEST_F(PgDiff, WhatCannotBeExpressedIsNamedAndNothingIsWritten) {
  std::string schema =
      "CREATE DOMAIN price AS numeric CHECK (VALUE >= 0);\n"
      "CREATE TABLE t (id integer PRIMARY KEY);\n"
      "CREATE TABLE events (at date) PARTITION BY RANGE (at);";
  ScratchRole role("mig_diff_unsupported", db.url());
  DiffOptions refused = to(schema);
  refused.dev_url = role.dev_url();
  try {
    Project::open(dir.path()).diff(refused);
    FAIL() << "written";
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find("domain price"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("partitioned table events"), std::string::npos);
  }
  EXPECT_EQ(Project::open(dir.path()).heads().size(), 0u);
  EXPECT_EQ(role.databases(), 0u);  // dropped after the failure too
  DiffOptions o = to(schema);
  o.incomplete = true;
  DiffResult r = Project::open(dir.path()).diff(o);
  std::string text = testing::read_text(r.path);
  EXPECT_NE(text.find("-- Not written by mig diff, to be written by hand: domain price\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(has(r.upgrade, "CREATE TABLE t"));
}

TEST_F(PgDiff, AFailureWritesNothingAndLeavesNoScratchDatabase) {
  ScratchRole role("mig_diff_failure", db.url());
  DiffOptions o = to("CREATE TABLE t (id integer);\nSELECT * FROM nowhere;");
  o.dev_url = role.dev_url();
  EXPECT_THROW(Project::open(dir.path()).diff(o), OperationError);
  EXPECT_EQ(role.databases(), 0u);
  // And once it succeeds.
  o = to("CREATE TABLE t (id integer);");
  o.dev_url = role.dev_url();
  o.check = true;
  EXPECT_TRUE(Project::open(dir.path()).diff(o).differs);
  EXPECT_EQ(role.databases(), 0u);
  EXPECT_EQ(Project::open(dir.path()).heads().size(), 0u);
}

TEST_F(PgDiff, AnEmptyDatabaseOfTheUsersOwnServesWhenDatabasesCannotBeMade) {
  TestDatabase dev(Kind::PostgreSQL, "");
  e2e::server_execute(Kind::PostgreSQL, "DROP ROLE IF EXISTS mig_nocreate");
  e2e::server_execute(Kind::PostgreSQL, "CREATE ROLE mig_nocreate LOGIN PASSWORD 'pw' NOCREATEDB");
  e2e::server_execute(Kind::PostgreSQL, "ALTER DATABASE " + dev.name() + " OWNER TO mig_nocreate");
  dev.execute("ALTER SCHEMA public OWNER TO mig_nocreate");
  std::string dev_url = "postgresql://mig_nocreate:pw@" + dev.url().substr(dev.url().find('@') + 1);
  // (That user cannot make a scratch database: the dev database is used.)
  EXPECT_THROW(Database::open(parse_url(dev_url, "test"), ConnectOptions{})
                   ->execute("CREATE DATABASE mig_dev_probe"),
               std::exception);
  DiffOptions o = to("CREATE TYPE k AS ENUM ('x');\nCREATE TABLE t (id integer, k k);");
  o.dev_url = dev_url;
  DiffResult r = Project::open(dir.path()).diff(o);
  EXPECT_NE(r.path, "");
  EXPECT_EQ(dev.query("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                      "c.relnamespace WHERE n.nspname = 'public'"),
            std::vector<std::string>{"0"});
  // One that holds something is not a dev database: refused, left alone.
  dev.execute("CREATE TABLE precious (v text)");
  dev.execute("INSERT INTO precious VALUES ('kept')");
  o = to("CREATE TABLE t (id integer);");
  o.dev_url = dev_url;
  o.check = true;
  EXPECT_THROW(Project::open(dir.path()).diff(o), OptionError);
  EXPECT_EQ(dev.query("SELECT v FROM precious"), std::vector<std::string>{"kept"});
  dev.execute("DROP TABLE precious");
  e2e::server_execute(Kind::PostgreSQL, "ALTER DATABASE " + dev.name() + " OWNER TO mig");
}

// A schema of the size of a small application, made natively: tables
// chained by foreign keys, enums, views over them, functions and triggers.
std::string application_schema() {
  std::string sql =
      "CREATE EXTENSION citext;\n"
      "CREATE TYPE state AS ENUM ('new', 'active', 'closed');\n"
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n"
      "CREATE TABLE tenant (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
      "name citext NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());\n";
  for (int i = 1; i <= 22; ++i) {
    std::string t = "entity" + std::to_string(i),
                prev = i == 1 ? "tenant" : "entity" + std::to_string(i - 1);
    sql += "CREATE TABLE " + t +
           " (id serial PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES "
           "tenant (id) ON DELETE CASCADE, prev_id integer" +
           (i == 1 ? "" : " REFERENCES " + prev + " (id) ON DELETE SET NULL") +
           ", state state NOT NULL DEFAULT 'new', amount numeric(12,2) CHECK (amount >= 0), "
           "data jsonb NOT NULL DEFAULT '{}', updated_at timestamptz);\n"
           "CREATE INDEX " +
           t + "_tenant ON " + t +
           " (tenant_id, state);\n"
           "CREATE TRIGGER " +
           t + "_touch BEFORE UPDATE ON " + t +
           " FOR EACH ROW EXECUTE FUNCTION touch();\n"
           "COMMENT ON TABLE " +
           t + " IS 'entity number " + std::to_string(i) + "';\n";
    if (i % 5 == 0)
      sql += "CREATE VIEW " + t + "_open AS SELECT id, tenant_id, amount FROM " + t +
             " WHERE state <> 'closed';\n";
  }
  sql +=
      "CREATE MATERIALIZED VIEW tenant_totals AS SELECT tenant_id, sum(amount) AS total "
      "FROM entity1 GROUP BY tenant_id;\n"
      "CREATE FUNCTION open_total(t bigint) RETURNS numeric LANGUAGE sql STABLE AS "
      "$$ SELECT coalesce(sum(amount), 0) FROM entity5_open WHERE tenant_id = t $$;\n";
  return sql;
}

TEST_F(PgDiff, BaselineOfAnApplicationSchemaMakesItAgainOnAnEmptyDatabase) {
  TestDatabase live(Kind::PostgreSQL, "");
  {
    auto conn = Database::open(parse_url(live.url(), "test"), ConnectOptions{});
    for (const auto& st : split_statements(application_schema(), Dialect::PostgreSQL, "app.sql"))
      conn->execute(st.sql);
  }
  live.execute("INSERT INTO tenant (name) VALUES ('acme')");
  testing::TempDir adopt;
  Project::init(adopt.path());
  adopt.write("mig.toml", "[database]\nurl = \"" + live.url() + "\"\n");
  BaselineResult b = Project::open(adopt.path()).baseline("adopt");
  EXPECT_GT(b.statements, 100u);
  // Stamped, not run: the live rows are untouched, nothing is pending.
  EXPECT_EQ(live.query("SELECT name FROM tenant"), std::vector<std::string>{"acme"});
  EXPECT_TRUE(Project::open(adopt.path()).pending().empty());
  // The same files make the same schema on an empty database.
  adopt.write("mig.toml", "[database]\nurl = \"" + db.url() + "\"\n");
  Project::open(adopt.path()).upgrade();
  EXPECT_EQ(definitions(db.url()), definitions(live.url()));
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"),
            std::vector<std::string>{"22"});
}

}  // namespace
}  // namespace mig
