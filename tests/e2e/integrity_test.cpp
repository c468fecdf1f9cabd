// End-to-end: schema inspection, `mig verify` and drift, on every backend.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "backend_fixture.h"
#include "script/checksum.h"

namespace mig::e2e {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;
using Integrity = Backends;

std::string trigger_sql(Kind kind) {
  switch (kind) {
    case Kind::SQLite:
      return "CREATE TRIGGER one_audit AFTER INSERT ON one\nBEGIN\n  UPDATE one SET v = 1 WHERE "
             "id = NEW.id;\nEND;";
    case Kind::PostgreSQL:
      return "CREATE FUNCTION one_audit_fn() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
             "LANGUAGE plpgsql;\nCREATE TRIGGER one_audit BEFORE INSERT ON one FOR EACH ROW "
             "EXECUTE FUNCTION one_audit_fn();";
    case Kind::MySQL:
      return "CREATE TRIGGER one_audit BEFORE INSERT ON one FOR EACH ROW SET NEW.v = 1;";
  }
  return {};
}

// a001 table, a002 index, a003 column, a004 trigger: each downgrade correct.
void project(Project& p, Kind kind, const std::string& broken = "") {
  p.revision("a001", "", "CREATE TABLE one (id INTEGER PRIMARY KEY, v INTEGER);",
             "DROP TABLE one;");
  p.revision("a002", "a001", "CREATE INDEX one_v ON one (v);",
             broken == "index"
                 ? "SELECT 1;"
                 : std::string("DROP INDEX one_v") + (kind == Kind::MySQL ? " ON one;" : ";"));
  p.revision("a003", "a002", "ALTER TABLE one ADD COLUMN note VARCHAR(20);",
             broken == "column" ? "SELECT 1;" : "ALTER TABLE one DROP COLUMN note;");
  std::string drop_trigger = kind == Kind::PostgreSQL
                                 ? "DROP TRIGGER one_audit ON one;\nDROP FUNCTION one_audit_fn();"
                                 : "DROP TRIGGER one_audit;";
  if (broken == "trigger") drop_trigger = kind == Kind::PostgreSQL ? "SELECT 1;" : "SELECT 1;";
  p.revision("a004", "a003", trigger_sql(kind), drop_trigger);
  p.revision("a005", "a004", "INSERT INTO one (id, v) VALUES (1, 2);", "DELETE FROM one;",
             "-- mig:kind data\n");
}

TEST_P(Integrity, SchemaIsNormalisedAndTheSameForTheSameSchema) {
  project(p, GetParam());
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  Result s = mig({"schema"});
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_EQ(s.out.find("mig_"), std::string::npos) << "bookkeeping tables are left out";
  EXPECT_NE(s.out.find("table one\n  column id "), std::string::npos) << s.out;
  EXPECT_NE(s.out.find(GetParam() == Kind::PostgreSQL ? "column note character varying(20)"
                                                      : "column note varchar(20)"),
            std::string::npos)
      << s.out;
  EXPECT_NE(s.out.find("one_v"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("trigger one_audit"), std::string::npos) << s.out;
  json j = json::parse(mig({"--json", "schema"}).out);
  EXPECT_EQ(j["objects"][0]["name"], "one");

  // A second database built the same way prints exactly the same.
  TestDatabase other(GetParam(), p / "var/other.db");
  ASSERT_EQ(p.mig({"upgrade"}, {{"DATABASE_URL", other.url()}}).code, 0);
  EXPECT_EQ(p.mig({"schema"}, {{"DATABASE_URL", other.url()}}).out, s.out);
}

TEST_P(Integrity, VerifyPassesACorrectChain) {
  project(p, GetParam());
  TestDatabase scratch(GetParam(), p / "var/scratch.db");
  Result r = mig({"--url", scratch.url(), "verify"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("verify: 5 verified, 0 skipped, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok   a005  revision a005  (data)"), std::string::npos) << r.out;
  // A scratch database that is not empty is refused.
  Result again = mig({"--url", scratch.url(), "verify"});
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("is not empty"), std::string::npos) << again.err;
}

TEST_P(Integrity, VerifyCatchesDowngradesThatForgetSomething) {
  for (std::string broken : {"index", "column", "trigger"}) {
    Project q;
    project(q, GetParam(), broken);
    TestDatabase scratch(GetParam(), q / "var/scratch.db");
    Result r = q.mig({"--url", scratch.url(), "verify"});
    EXPECT_EQ(r.code, 1) << broken << "\n" << r.out << r.err;
    std::string id = broken == "index" ? "a002" : broken == "column" ? "a003" : "a004";
    EXPECT_NE(r.out.find("FAIL " + id), std::string::npos) << broken << "\n" << r.out;
    EXPECT_NE(r.out.find("its downgrade does not restore the schema"), std::string::npos);
    std::string missing = broken == "index"    ? "+   index"
                          : broken == "column" ? "+   column note"
                                               : "+ trigger one_audit";
    EXPECT_NE(r.out.find(missing), std::string::npos) << broken << "\n" << r.out;
    EXPECT_NE(r.out.find("1 failed"), std::string::npos);
  }
}

TEST_P(Integrity, StatusAndCheckReportDriftButNotSeedData) {
  project(p, GetParam());
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  p.write("seed/10.sql", "INSERT INTO one (id, v) VALUES (7, 7);");
  ASSERT_EQ(mig({"seed"}).code, 0);
  EXPECT_EQ(mig({"status"}).out.find("drift"), std::string::npos);
  EXPECT_EQ(mig({"check"}).code, 0);

  db.execute("CREATE TABLE intruder (x INTEGER)");
  db.execute(GetParam() == Kind::MySQL ? "ALTER TABLE one DROP INDEX one_v" : "DROP INDEX one_v");
  Result s = mig({"status"});
  EXPECT_NE(s.out.find("drift: the schema changed outside mig"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("+ table intruder"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("one_v"), std::string::npos) << s.out;
  EXPECT_EQ(json::parse(mig({"--json", "status"}).out)["drift"]["detected"], true);
  Result c = mig({"check"});
  EXPECT_EQ(c.code, 1);
  EXPECT_NE(c.out.find("the schema changed outside mig"), std::string::npos) << c.out;

  // The next mig run records the schema it leaves: drift is then gone.
  ASSERT_EQ(mig({"downgrade", "-1"}).code, 0);
  EXPECT_EQ(mig({"status"}).out.find("drift"), std::string::npos);
}

// Each change someone may make by hand, as the databases write it. The
// cheap proofs (SQLite's schema version and digest, PostgreSQL's catalog
// fingerprint, MySQL's count of DDL statements) must move with every one,
// or status would skip the comparison and miss it.
std::vector<std::string> changes_outside_mig(Kind kind) {
  std::vector<std::string> all = {
      "ALTER TABLE one ADD COLUMN extra INTEGER",
      "CREATE INDEX one_note ON one (note)",
      "CREATE VIEW one_view AS SELECT id FROM one",
  };
  if (kind == Kind::PostgreSQL)
    all.insert(all.end(), {"ALTER TABLE one ALTER COLUMN note TYPE varchar(30)",
                           "ALTER TABLE one ALTER COLUMN v SET DEFAULT 5",
                           "ALTER TABLE one ALTER COLUMN v SET NOT NULL",
                           "ALTER TABLE one ADD CONSTRAINT one_v_ck CHECK (v > 0)"});
  if (kind == Kind::MySQL)
    all.insert(all.end(), {"ALTER TABLE one MODIFY note VARCHAR(30)",
                           "ALTER TABLE one ALTER COLUMN v SET DEFAULT 5",
                           "ALTER TABLE one MODIFY v INTEGER NOT NULL"});
  if (kind == Kind::SQLite) {
    all.insert(all.end(), {"DROP VIEW one_view", "CREATE VIEW one_view AS SELECT id, v FROM one"});
  } else {
    all.insert(all.end(), {"ALTER TABLE one ADD CONSTRAINT one_self FOREIGN KEY (id) "
                           "REFERENCES one (id)",
                           "CREATE OR REPLACE VIEW one_view AS SELECT id, v FROM one"});
  }
  all.insert(all.end(),
             {
                 "DROP TRIGGER one_audit" + std::string(kind == Kind::PostgreSQL ? " ON one" : ""),
                 "ALTER TABLE one RENAME COLUMN note TO remark",
                 "ALTER TABLE one RENAME TO uno",
                 "CREATE TABLE two (id INTEGER PRIMARY KEY)",
             });
  return all;
}

TEST_P(Integrity, EveryKindOfChangeOutsideMigIsDrift) {
  project(p, GetParam());
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  for (const std::string& change : changes_outside_mig(GetParam())) {
    ASSERT_NO_THROW(db.execute(change)) << change;
    Result s = mig({"status"});
    EXPECT_NE(s.out.find("drift: the schema changed outside mig"), std::string::npos)
        << change << "\n"
        << s.out;
    // A stamp records the schema it finds: the change is mig's from now on.
    ASSERT_EQ(mig({"stamp", "a004"}).code, 0) << change;
    ASSERT_EQ(mig({"stamp", "head"}).code, 0) << change;
    Result clean = mig({"status"});
    EXPECT_EQ(clean.out.find("drift"), std::string::npos) << change << "\n" << clean.out;
  }
}

// While the cheap proof holds, status compares no schema text: a recorded
// snapshot made wrong on purpose then shows no drift. PostgreSQL and MySQL
// used to compare the whole schema on every run.
TEST_P(Integrity, AnUnchangedSchemaIsProvedWithoutComparingIt) {
  project(p, GetParam());
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  // MySQL's proof is the server's count of DDL statements, and other tests
  // may run DDL on the same server at any moment: the check is tried again
  // until a window passes in which the count did not move.
  auto ddl_count = [&] {
    if (GetParam() != Kind::MySQL) return std::string();
    return db
        .query(
            "SELECT SUM(variable_value) FROM information_schema.global_status WHERE "
            "variable_name RLIKE '^COM_(ALTER|CREATE|DROP|RENAME)_'")
        .at(0);
  };
  bool proved = false;
  for (int attempt = 0; attempt < 20 && !proved; ++attempt) {
    ASSERT_EQ(mig({"stamp", "a004"}).code, 0);  // a snapshot taken again, in full
    std::string count = ddl_count();
    ASSERT_EQ(mig({"stamp", "head"}).code, 0);
    auto recorded = db.query("SELECT fingerprint FROM mig_schema WHERE id = 1");
    ASSERT_EQ(recorded.size(), 1u);
    if (GetParam() == Kind::MySQL && recorded[0].rfind("@ddl:", 0) != 0) continue;
    if (GetParam() == Kind::PostgreSQL) {
      EXPECT_EQ(recorded[0].rfind("pg1:", 0), 0u) << recorded[0];
    }
    db.execute("UPDATE mig_schema SET snapshot = 'table bogus' WHERE id = 1");
    Result s = mig({"status"});
    if (ddl_count() != count) continue;
    EXPECT_EQ(s.out.find("drift"), std::string::npos) << s.out;
    proved = true;
  }
  ASSERT_TRUE(proved) << "the server never stood still";
  // A real change falls through to the comparison, against what was recorded.
  db.execute("CREATE TABLE intruder (x INTEGER)");
  Result d = mig({"status"});
  EXPECT_NE(d.out.find("- table bogus"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("+ table intruder"), std::string::npos) << d.out;
}

// After each run the recorded snapshot is the whole live schema, however
// it was taken (on MySQL a run whose every statement mig can account for
// inspects again only the objects they named): it reads as `mig schema`.
TEST_P(Integrity, TheSnapshotAfterEachRunIsTheWholeSchema) {
  project(p, GetParam());
  auto recorded_is_live = [&](const std::string& after) {
    auto snapshot = db.query("SELECT snapshot FROM mig_schema WHERE id = 1");
    ASSERT_EQ(snapshot.size(), 1u) << after;
    std::string live = mig({"schema"}).out;
    if (live == "(no tables, views or triggers)\n") live.clear();
    EXPECT_EQ(snapshot[0], live) << after;
    EXPECT_EQ(mig({"status"}).out.find("drift"), std::string::npos) << after;
  };
  for (const char* step : {"a001", "a002", "a003", "a004", "a005"}) {
    ASSERT_EQ(mig({"upgrade", step}).code, 0) << step;
    recorded_is_live(std::string("upgrade ") + step);
  }
  for (int i = 0; i < 5; ++i) {
    Result r = mig({"downgrade", "-1"});
    ASSERT_EQ(r.code, 0) << i << r.err;
    recorded_is_live("downgrade " + std::to_string(i));
  }
}

// What moves a cheap proof without changing the schema is no drift: the full
// comparison decides (a GRANT on PostgreSQL; DDL in another database of the
// same server on MySQL).
// (SQLite: Drift.SqliteSchemaVersionMovedWithoutAChangeIsNoDrift.)
using ServerIntegrity = Backends;
TEST_P(ServerIntegrity, AProofMovedWithoutASchemaChangeIsNoDrift) {
  project(p, GetParam());
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  auto before = db.query("SELECT fingerprint FROM mig_schema WHERE id = 1");
  if (GetParam() == Kind::PostgreSQL) {
    db.execute("GRANT SELECT ON one TO PUBLIC");
  } else {
    TestDatabase other(Kind::MySQL, p / "var/other.db");
    other.execute("CREATE TABLE elsewhere (x INTEGER)");
  }
  Result s = mig({"status"});
  EXPECT_EQ(s.out.find("drift"), std::string::npos) << s.out;
  ASSERT_EQ(mig({"stamp", "a004"}).code, 0);
  EXPECT_NE(db.query("SELECT fingerprint FROM mig_schema WHERE id = 1"), before);
}

INSTANTIATE_TEST_SUITE_P(All, Integrity, ::testing::ValuesIn(all_backends()), backend_name);
INSTANTIATE_TEST_SUITE_P(All, ServerIntegrity, ::testing::Values(Kind::PostgreSQL, Kind::MySQL),
                         backend_name);

// The SQLite fingerprint is assembled in C++ now; it must still be the digest
// of the query that earlier versions ran, or every database they recorded
// would be compared in full (and any other text would look like drift). It is
// stored with the schema version it was taken at.
TEST(Drift, SqliteFingerprintIsTheDigestOfTheOrderedSchemaText) {
  Project p;
  TestDatabase db{Kind::SQLite, p / "var/mig.db"};
  project(p, Kind::SQLite);
  db.execute("CREATE TABLE \"Zeta\" (x TEXT DEFAULT 'a|b')");  // sorts before lower case
  db.execute("CREATE VIEW alpha AS SELECT 1 AS one");
  ASSERT_EQ(p.mig({"upgrade"}, {{"DATABASE_URL", db.url()}}).code, 0);
  auto text = db.query(
      "SELECT group_concat(type || ' ' || name || ' ' || tbl_name || ' ' || coalesce(sql, ''), "
      "char(10)) FROM (SELECT * FROM sqlite_master WHERE substr(tbl_name, 1, 4) <> 'mig_' "
      "ORDER BY type, name)");
  ASSERT_EQ(text.size(), 1u);
  EXPECT_NE(text[0].find("CREATE TRIGGER one_audit"), std::string::npos);
  auto version = db.query("PRAGMA schema_version");
  ASSERT_EQ(version.size(), 1u);
  EXPECT_EQ(db.query("SELECT fingerprint FROM mig_schema WHERE id = 1"),
            V{sha256_hex(text[0]) + "@" + version[0]});
}

// A moved schema version alone is no drift: VACUUM moves it, and so does a
// table created and dropped again; the fingerprint then decides.
TEST(Drift, SqliteSchemaVersionMovedWithoutAChangeIsNoDrift) {
  Project p;
  TestDatabase db{Kind::SQLite, p / "var/mig.db"};
  project(p, Kind::SQLite);
  std::map<std::string, std::string> env{{"DATABASE_URL", db.url()}};
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  auto before = db.query("PRAGMA schema_version");
  db.execute("VACUUM");
  db.execute("CREATE TABLE passing (x INTEGER)");
  db.execute("DROP TABLE passing");
  EXPECT_NE(db.query("PRAGMA schema_version"), before);
  Result clean = p.mig({"status"}, env);
  EXPECT_EQ(clean.out.find("drift"), std::string::npos) << clean.out;
  db.execute("CREATE TABLE staying (x INTEGER)");
  Result drift = p.mig({"status"}, env);
  EXPECT_NE(drift.out.find("+ table staying"), std::string::npos) << drift.out;
}

TEST(Verify, DefaultsToATemporarySqliteFileAndSkipsIrreversible) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);", "<none>");
  Result r = p.mig({"verify"}, {{"DATABASE_URL", "sqlite:must-not-be-used.db"}});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("skip a002  revision a002  (irreversible: upgraded only)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("verify: 1 verified, 1 skipped, 0 failed, in "), std::string::npos);
  EXPECT_FALSE(boost::filesystem::exists(p / "must-not-be-used.db"));
}

}  // namespace
}  // namespace mig::e2e
