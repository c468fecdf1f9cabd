// End-to-end scenarios run with the same code on SQLite, PostgreSQL and
// MariaDB (throw-away servers), checking tables and bookkeeping rows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "backend_fixture.h"
#include "config/url.h"

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;
using nlohmann::json;

TEST_P(Backends, UpgradeHeadAppliesAndRecordsEverything) {
  chain();
  Result r = mig({"upgrade", "head"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.tables(), (V{"mig_log", "mig_progress", "mig_revisions", "mig_schema", "mig_seeds",
                            "one", "three", "two"}));
  EXPECT_EQ(applied(), (V{"a001", "a002", "a003"}));
  EXPECT_EQ(db.query("SELECT parents, message, kind, length(checksum) FROM mig_revisions "
                     "WHERE revision = 'a002'"),
            V{"a001|revision a002|schema|64"});
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_revisions WHERE duration_ms >= 0 AND "
                     "applied_at LIKE '20__-__-__T__:__:__%Z'"),
            V{"3"});
  EXPECT_EQ(db.query("SELECT id FROM two"), V{"2"});
  EXPECT_EQ(log(), (V{"upgrade|a001|ok", "upgrade|a002|ok", "upgrade|a003|ok"}));
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_progress"), V{"0"});

  Result again = mig({"upgrade"});
  EXPECT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("nothing to upgrade"), std::string::npos) << again.out;
  EXPECT_EQ(log().size(), 3u);
}

// Bookkeeping rows are written as SQL text with values quoted by each
// database's own escaping; text that would break naive quoting must come back
// byte for byte, and a database error full of quotes must land in the log.
TEST_P(Backends, BookkeepingKeepsAwkwardTextExactly) {
  const std::string message = "it's \"quoted\" \\ back\\slash; $$ -- no comment */ \xc3\xa9";
  p.write("migrations/a001.sql", "-- mig:revision a001\n-- mig:message " + message +
                                     "\n-- mig:upgrade\nCREATE TABLE one (id INTEGER);\n"
                                     "-- mig:downgrade\nDROP TABLE one;\n");
  p.revision("a002", "a001", "INSERT INTO missing_table VALUES ('it''s');");
  Result r = mig({"upgrade", "head"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(db.query("SELECT message FROM mig_revisions WHERE revision = 'a001'"), V{message});
  auto errors = db.query("SELECT error FROM mig_log WHERE outcome = 'failed'");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("missing_table"), std::string::npos) << errors[0];
  EXPECT_NE(r.err.find(errors[0]), std::string::npos) << "the log holds what was reported";
  EXPECT_EQ(applied(), V{"a001"});
}

TEST_P(Backends, TargetsAndDowngrades) {
  chain();
  ASSERT_EQ(mig({"upgrade", "+1"}).code, 0);
  EXPECT_EQ(applied(), V{"a001"});
  ASSERT_EQ(mig({"upgrade", "a002"}).code, 0);
  ASSERT_EQ(mig({"upgrade", "heads"}).code, 0);
  EXPECT_TRUE(db.has_table("three"));
  ASSERT_EQ(mig({"downgrade", "-1"}).code, 0);
  EXPECT_FALSE(db.has_table("three"));
  EXPECT_EQ(applied(), (V{"a001", "a002"}));
  ASSERT_EQ(mig({"downgrade", "a001"}).code, 0);
  EXPECT_EQ(applied(), V{"a001"});
  ASSERT_EQ(mig({"downgrade", "base"}).code, 0);
  EXPECT_EQ(applied(), V{});
  EXPECT_FALSE(db.has_table("one"));
  EXPECT_EQ(log().back(), "downgrade|a001|ok");
  EXPECT_EQ(log().size(), 6u);
  Result current = mig({"current"});
  EXPECT_NE(current.out.find("base"), std::string::npos);
}

TEST_P(Backends, IrreversibleRevisionRefusesBeforeChangingAnything) {
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);", "<none>");
  p.revision("a003", "a002", "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  Result r = mig({"downgrade", "base"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("a002.sql) has no -- mig:downgrade section"), std::string::npos) << r.err;
  EXPECT_TRUE(db.has_table("three"));
  EXPECT_EQ(applied(), (V{"a001", "a002", "a003"}));
}

TEST_P(Backends, FailedRevisionIsReportedAndNeverMarkedApplied) {
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001",
             "CREATE TABLE two (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n"
             "CREATE TABLE never (id INTEGER);",
             "DROP TABLE two;");
  p.revision("a003", "a002", "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
  Result r = mig({"upgrade", "head"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("upgrade a002 failed at statement 2 of 3 (migrations/a002.sql:7)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("statement: INSERT INTO nowhere VALUES (1)"), std::string::npos);
  EXPECT_NE(r.err.find("nowhere"), std::string::npos);
  EXPECT_TRUE(db.has_table("one"));
  EXPECT_FALSE(db.has_table("never"));
  EXPECT_FALSE(db.has_table("three"));
  EXPECT_EQ(applied(), V{"a001"});
  EXPECT_EQ(db.query("SELECT outcome, statement_no FROM mig_log WHERE revision = 'a002'"),
            V{"failed|2"});
  std::string status = mig({"status"}).out;
  EXPECT_NE(status.find("failed:\n  a002  upgrade failed at "), std::string::npos) << status;

  if (mysql()) {
    // DDL committed at once: statement 1 stays and a002 is half applied.
    EXPECT_TRUE(db.has_table("two"));
    EXPECT_NE(r.err.find("statements 1-1 of a002 took effect"), std::string::npos) << r.err;
    EXPECT_EQ(db.query("SELECT revision, direction, statement_no, state FROM mig_progress"),
              V{"a002|upgrade|2|failed"});
    Result refused = mig({"upgrade"});
    EXPECT_EQ(refused.code, 1);
    EXPECT_NE(refused.err.find("a002 is half applied"), std::string::npos) << refused.err;
    EXPECT_NE(mig({"status"}).out.find("half applied"), std::string::npos);
    // Fix the failed statement and resume from it.
    p.revision("a002", "a001",
               "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (1);\n"
               "CREATE TABLE never (id INTEGER);",
               "DROP TABLE two;");
    Result resumed = mig({"upgrade", "--resume"});
    ASSERT_EQ(resumed.code, 0) << resumed.err;
    EXPECT_NE(resumed.out.find("resuming a002 at statement 2"), std::string::npos);
  } else {
    EXPECT_FALSE(db.has_table("two"));  // rolled back with its revision
    EXPECT_NE(r.err.find("was rolled back"), std::string::npos) << r.err;
    p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);", "DROP TABLE two;");
    ASSERT_EQ(mig({"upgrade"}).code, 0);
  }
  EXPECT_EQ(applied(), (V{"a001", "a002", "a003"}));
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_progress"), V{"0"});
  status = mig({"status"}).out;  // the later success settles the failure
  EXPECT_EQ(status.find("failed"), std::string::npos) << status;
}

// Outside a transaction every backend can stop half way; the same rules hold.
TEST_P(Backends, HalfAppliedRevisionResumesOrResolves) {
  p.revision("a001", "",
             "CREATE TABLE one (id INTEGER);\nCREATE TABLE two (id INTEGER);\n"
             "INSERT INTO missing VALUES (1);\nCREATE TABLE three (id INTEGER);",
             "DROP TABLE three;\nDROP TABLE two;\nDROP TABLE one;", "-- mig:transaction off\n");
  p.revision("a002", "a001", "CREATE TABLE four (id INTEGER);", "DROP TABLE four;");
  Result r = mig({"upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("statements 1-2 of a001 took effect"), std::string::npos) << r.err;
  EXPECT_TRUE(db.has_table("two"));
  EXPECT_EQ(applied(), V{});
  EXPECT_EQ(db.query("SELECT statement_no, statements, state FROM mig_progress"), V{"3|4|failed"});

  // Nothing else runs until it is settled.
  EXPECT_EQ(mig({"upgrade"}).code, 1);
  EXPECT_EQ(mig({"downgrade", "base"}).code, 1);
  EXPECT_EQ(mig({"stamp", "head"}).code, 1);
  Result wrong_way = mig({"downgrade", "base", "--resume"});
  EXPECT_EQ(wrong_way.code, 1);
  EXPECT_NE(wrong_way.err.find("not with downgrade"), std::string::npos) << wrong_way.err;

  // Editing a statement that already ran makes --resume refuse.
  p.revision("a001", "",
             "CREATE TABLE uno (id INTEGER);\nCREATE TABLE two (id INTEGER);\n"
             "CREATE TABLE missing (id INTEGER);\nCREATE TABLE three (id INTEGER);",
             "DROP TABLE three;\nDROP TABLE two;\nDROP TABLE one;", "-- mig:transaction off\n");
  Result changed = mig({"upgrade", "--resume"});
  EXPECT_EQ(changed.code, 1);
  EXPECT_NE(changed.err.find("no longer the ones that ran"), std::string::npos) << changed.err;

  // Fixing statement 3 only: resume runs 3 and 4, then a002.
  p.revision("a001", "",
             "CREATE TABLE one (id INTEGER);\nCREATE TABLE two (id INTEGER);\n"
             "CREATE TABLE missing (id INTEGER);\nCREATE TABLE three (id INTEGER);",
             "DROP TABLE three;\nDROP TABLE two;\nDROP TABLE one;", "-- mig:transaction off\n");
  Result resumed = mig({"upgrade", "--resume"});
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(applied(), (V{"a001", "a002"}));
  EXPECT_TRUE(db.has_table("three"));
  EXPECT_TRUE(db.has_table("four"));

  // Resolve by hand: a downgrade that stops half way, settled as completed.
  db.execute("DROP TABLE two");  // statement 2 of the downgrade will fail
  Result down = mig({"downgrade", "base"});
  EXPECT_EQ(down.code, 1);
  EXPECT_EQ(applied(), (V{"a001"}));  // a002 went; a001 is half undone
  Result resolved = mig({"resolve", "a001", "--completed"});
  ASSERT_EQ(resolved.code, 0) << resolved.err;
  EXPECT_NE(resolved.out.find("recorded as not applied"), std::string::npos) << resolved.out;
  EXPECT_EQ(applied(), V{});
  EXPECT_EQ(log().back(), "resolve|a001|completed");
  EXPECT_EQ(mig({"resolve", "a001", "--reverted"}).code, 2);  // nothing left to resolve
}

TEST_P(Backends, EditedAppliedRevisionBlocksUntilRehashed) {
  chain();
  ASSERT_EQ(mig({"upgrade", "a002"}).code, 0);
  // Rewording a comment or re-indenting is not an edit.
  p.revision("a001", "", "-- the first table\nCREATE TABLE one (\n  id INTEGER PRIMARY KEY\n);",
             "DROP TABLE one;");
  ASSERT_EQ(mig({"upgrade", "a003"}).code, 0);
  // Changing the SQL is.
  p.revision("a001", "", "CREATE TABLE one (id INTEGER PRIMARY KEY, x INTEGER);",
             "DROP TABLE one;");
  for (auto args : std::vector<V>{{"downgrade", "-1"}, {"upgrade"}}) {
    Result r = mig(args);
    EXPECT_EQ(r.code, 1) << args[0];
    EXPECT_NE(r.err.find("changed since they were applied"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a001  migrations/a001.sql  recorded "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("mig rehash a001"), std::string::npos) << r.err;
  }
  EXPECT_EQ(applied(), (V{"a001", "a002", "a003"}));
  json status = json::parse(mig({"--json", "status"}).out);
  ASSERT_EQ(status["edited"].size(), 1u);
  EXPECT_EQ(status["edited"][0]["id"], "a001");

  Result rehash = mig({"rehash", "a001"});
  ASSERT_EQ(rehash.code, 0) << rehash.err;
  EXPECT_EQ(log().back(), "rehash|a001|ok");
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_log WHERE action = 'rehash' AND error LIKE "
                     "'checksum % -> %'"),
            V{"1"});
  EXPECT_TRUE(json::parse(mig({"--json", "status"}).out)["edited"].empty());
  EXPECT_EQ(mig({"downgrade", "-1"}).code, 0);
  EXPECT_NE(mig({"rehash", "a003"}).code, 0);  // not applied any more
}

TEST_P(Backends, StampAndDryRunRunNoSql) {
  chain();
  Result dry = mig({"upgrade", "--dry-run"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("would upgrade a003"), std::string::npos);
  EXPECT_FALSE(db.has_table("one"));
  EXPECT_FALSE(db.has_table("mig_revisions"));
  ASSERT_EQ(mig({"stamp", "a002"}).code, 0);
  EXPECT_EQ(applied(), (V{"a001", "a002"}));
  EXPECT_FALSE(db.has_table("one"));
  EXPECT_EQ(log(), (V{"stamp|a001|ok", "stamp|a002|ok"}));
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  EXPECT_TRUE(db.has_table("three"));
  EXPECT_FALSE(db.has_table("two"));
}

TEST_P(Backends, EightConcurrentRunnersApplyEachRevisionOnce) {
  std::string parent;
  for (int i = 10; i < 50; ++i) {
    std::string id = "r0" + std::to_string(i);
    // CREATE TABLE fails if a revision ever runs twice.
    p.revision(id, parent, "CREATE TABLE t" + std::to_string(i) + " (v INTEGER);",
               "DROP TABLE t" + std::to_string(i) + ";");
    parent = id;
  }
  auto results = p.mig_parallel(8, {"upgrade", "head"}, {{"DATABASE_URL", db.url()}});
  for (const auto& r : results) EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT count(*), count(DISTINCT revision) FROM mig_revisions"), V{"40|40"});
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_log WHERE outcome = 'ok'"), V{"40"});
  EXPECT_EQ(db.tables().size(), 40u + 5u);
}

TEST_P(Backends, SecondRunnerWaitsForTheLockThenGivesUp) {
  p.write("short.toml", "[database]\nlock_timeout = 1\n");
  if (GetParam() == Kind::SQLite) {
    p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
    ASSERT_EQ(mig({"upgrade"}).code, 0);
    p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);", "DROP TABLE two;");
    WriteLock held(p.db());
    Result r = mig({"--config", "short.toml", "upgrade"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("waiting up to 1 s"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("gave up after 1 s"), std::string::npos) << r.err;
    return;
  }
  std::string sleep = GetParam() == Kind::PostgreSQL ? "SELECT pg_sleep(4);" : "SELECT SLEEP(4);";
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);\n" + sleep, "DROP TABLE one;");
  auto results = p.mig_many({{"upgrade"}, {"--config", "short.toml", "upgrade"}},
                            {{"DATABASE_URL", db.url()}}, 1500);
  EXPECT_EQ(results[0].code, 0) << results[0].err;
  EXPECT_EQ(results[1].code, 1);
  EXPECT_NE(results[1].out.find("waiting up to 1 s"), std::string::npos) << results[1].out;
  EXPECT_NE(results[1].err.find("gave up after 1 s"), std::string::npos) << results[1].err;
  EXPECT_EQ(applied(), V{"a001"});
}

TEST_P(Backends, PasswordNeverAppearsInAnyOutput) {
  chain();
  p.revision("a004", "a003", "INSERT INTO nowhere VALUES (1);", "SELECT 1;");
  std::string all;
  for (auto args : std::vector<V>{{"-v", "upgrade"},
                                  {"status"},
                                  {"--json", "status"},
                                  {"-v", "history"},
                                  {"current"},
                                  {"--json", "current"}}) {
    Result r = mig(args);
    all += r.out + r.err;
  }
  EXPECT_NE(all.find("a004"), std::string::npos);
  EXPECT_EQ(all.find("mig-test-pw"), std::string::npos) << all;
}

// A statement or a server message that quotes the password: masked in every
// output and never stored in the log or the progress table. (A SQLite URL
// has no password.)
using ServerBackends = Backends;

TEST_P(ServerBackends, PasswordQuotedByTheDatabaseIsMaskedAndNeverStored) {
  const std::string pw = "mig-test-pw";
  std::string quoting =
      GetParam() == Kind::PostgreSQL ? "SELECT '" + pw + "'::int;" : "SELECT * FROM `" + pw + "`;";
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001", quoting, "SELECT 1;");
  Result failed = mig({"upgrade"});
  EXPECT_EQ(failed.code, 1);
  // Half applied, with the password in the failing statement's text.
  p.revision("a002", "a001",
             "CREATE TABLE two (id INTEGER);\nINSERT INTO nowhere VALUES ('" + pw + "');",
             "DROP TABLE two;", "-- mig:transaction off\n");
  Result half = mig({"upgrade"});
  EXPECT_EQ(half.code, 1);
  std::string all = failed.out + failed.err + half.out + half.err;
  for (auto args : std::vector<V>{{"status"}, {"--json", "status"}, {"-v", "upgrade"}}) {
    Result r = mig(args);
    all += r.out + r.err;
  }
  EXPECT_NE(all.find("half applied"), std::string::npos) << all;
  EXPECT_NE(all.find("***"), std::string::npos) << all;
  EXPECT_EQ(all.find(pw), std::string::npos) << all;
  auto stored = db.query("SELECT error FROM mig_log WHERE error IS NOT NULL");
  auto progress = db.query("SELECT error FROM mig_progress");
  ASSERT_FALSE(stored.empty());
  for (const auto* rows : {&stored, &progress})
    for (const auto& row : *rows) EXPECT_EQ(row.find(pw), std::string::npos) << row;
}

// Feeds a script to the database's own command-line client, stopping at the
// first error.
int run_client(const TestDatabase& db, const std::string& script) {
  std::string cmd;
  switch (db.kind()) {
    case Kind::SQLite:
      cmd = "sqlite3 -bail '" + db.name() + "' < '" + script + "'";
      break;
    case Kind::PostgreSQL:
      cmd = "psql -X -q -v ON_ERROR_STOP=1 -d '" + db.url() + "' -f '" + script + "' >/dev/null";
      break;
    case Kind::MySQL: {
      DatabaseUrl u = parse_url(db.url(), "test");
      cmd = "mariadb --no-defaults --socket='" + u.host + "' -u'" + u.user + "' -p'" + u.password +
            "' '" + u.database + "' < '" + script + "'";
      break;
    }
  }
  return std::system(cmd.c_str());
}

TEST_P(Backends, OfflineSqlLeavesTheDatabaseWhereUpgradeWould) {
  chain();
  p.write("migrations/a004.sql",
          "-- mig:revision a004\n-- mig:parent a003\n-- mig:message it's data, \\ too\n"
          "-- mig:kind data\n-- mig:upgrade\nINSERT INTO three VALUES (4);\n"
          "UPDATE three SET id = 5 WHERE id = 4;\n-- mig:downgrade\nDELETE FROM three;\n");
  p.revision("a005", "a004", "CREATE INDEX three_id ON three (id);",
             "DROP INDEX three_id" + std::string(mysql() ? " ON three;" : ";"),
             "-- mig:transaction off\n");
  ASSERT_EQ(mig({"upgrade"}).code, 0);

  TestDatabase other(GetParam(), p / "var/offline.db");
  Result script = p.mig({"upgrade", "base:head", "--sql"}, {{"DATABASE_URL", other.url()}});
  ASSERT_EQ(script.code, 0) << script.err;
  EXPECT_FALSE(other.has_table("mig_revisions")) << "--sql FROM:TO must not touch the database";
  p.write("up.sql", script.out);
  ASSERT_EQ(run_client(other, p / "up.sql"), 0) << script.out;

  EXPECT_EQ(other.tables(), db.tables());
  const std::string rows =
      "SELECT revision, parents, message, kind, checksum, seq FROM mig_revisions ORDER BY seq";
  EXPECT_EQ(other.query(rows), db.query(rows));
  EXPECT_EQ(other.query(rows).size(), 5u);
  EXPECT_EQ(other.query("SELECT action, revision, outcome FROM mig_log ORDER BY id"), log());
  EXPECT_EQ(other.query("SELECT id FROM three"), V{"5"});
  Result status = p.mig({"status"}, {{"DATABASE_URL", other.url()}});
  EXPECT_NE(status.out.find("up to date"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("edited"), std::string::npos) << status.out;

  // Without FROM the start is read from the database: a downgrade script.
  Result down = p.mig({"downgrade", "a001", "--sql"}, {{"DATABASE_URL", other.url()}});
  ASSERT_EQ(down.code, 0) << down.err;
  EXPECT_NE(down.out.find("downgrade a005:a001"), std::string::npos) << down.out;
  p.write("down.sql", down.out);
  ASSERT_EQ(run_client(other, p / "down.sql"), 0) << down.out;
  ASSERT_EQ(mig({"downgrade", "a001"}).code, 0);
  EXPECT_EQ(other.tables(), db.tables());
  EXPECT_EQ(other.query(rows), db.query(rows));
  EXPECT_NE(p.mig({"upgrade", "a001", "--sql"}, {{"DATABASE_URL", other.url()}})
                .out.find("Nothing to do"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(All, Backends, ::testing::ValuesIn(all_backends()), backend_name);
INSTANTIATE_TEST_SUITE_P(All, ServerBackends, ::testing::Values(Kind::PostgreSQL, Kind::MySQL),
                         backend_name);

// Connection problems on the server backends: exit 1, host and database named,
// password never shown.
class Servers : public ::testing::TestWithParam<Kind> {
 protected:
  Project p;
  std::string admin = server_url(GetParam());

  std::string with(const std::string& from, const std::string& to) const {
    std::string url = admin;
    url.replace(url.find(from), from.size(), to);
    return url;
  }
  void expect_connection_error(const std::string& url, const std::string& words) {
    Result r = p.mig({"upgrade"}, {{"DATABASE_URL", url}});
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("cannot connect to"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("mig-test-pw"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("wrong-pw"), std::string::npos) << r.err;
  }
};

TEST_P(Servers, ConnectionProblemsAreClearOperationErrors) {
  p.revision("a001", "", "SELECT 1;");
  std::string db = GetParam() == Kind::PostgreSQL ? "/postgres" : "/mysql";
  expect_connection_error(with(":mig-test-pw@", ":wrong-pw@"), "database '" + db.substr(1) + "'");
  expect_connection_error(with(db, "/no_such_db"), "database 'no_such_db'");
  std::string scheme = GetParam() == Kind::PostgreSQL ? "postgresql" : "mysql";
  expect_connection_error(scheme + "://mig:mig-test-pw@127.0.0.1:1/app", "host '127.0.0.1:1'");
  expect_connection_error(scheme + "://mig:mig-test-pw@%2Fnonexistent%2Fdir/app",
                          "host '/nonexistent/dir'");
}

// Masking the password must not hide the same text where it is not the
// password: with user, password and database all "shopuser", messages
// still name them.
TEST_P(Servers, PasswordEqualToOtherNamesDoesNotHideThem) {
  const std::string name = "shop" + std::to_string(getpid());
  bool pg = GetParam() == Kind::PostgreSQL;
  if (pg) {
    server_execute(GetParam(), "CREATE ROLE " + name + " LOGIN PASSWORD '" + name + "'");
    server_execute(GetParam(), "CREATE DATABASE " + name + " OWNER " + name);
  } else {
    server_execute(GetParam(), "CREATE DATABASE " + name);
    server_execute(GetParam(),
                   "CREATE USER '" + name + "'@'localhost' IDENTIFIED BY '" + name + "'");
    server_execute(GetParam(), "GRANT ALL ON " + name + ".* TO '" + name + "'@'localhost'");
  }
  std::string url = admin;
  url.replace(url.find("mig:mig-test-pw@"), 16, name + ":" + name + "@");
  url.replace(url.rfind('/') + 1, std::string::npos, name);
  p.revision("a001", "", "SELECT * FROM " + name + ".nothing_here;");
  Result r = p.mig({"upgrade"}, {{"DATABASE_URL", url}});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(name + ".nothing_here"), std::string::npos) << r.err;
  Result status = p.mig({"status"}, {{"DATABASE_URL", url}});
  EXPECT_NE(status.out.find(name + ":***@"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("/" + name), std::string::npos) << status.out;
  if (pg) {
    server_execute(GetParam(), "DROP DATABASE " + name + " WITH (FORCE)");
    server_execute(GetParam(), "DROP ROLE " + name);
  } else {
    server_execute(GetParam(), "DROP DATABASE " + name);
    server_execute(GetParam(), "DROP USER '" + name + "'@'localhost'");
  }
}

// --wait is for a server that is not up yet: a wrong password is refused at
// once, not retried until the time is up.
TEST_P(Servers, WaitDoesNotRetryAWrongPassword) {
  p.revision("a001", "", "SELECT 1;");
  Result r =
      p.mig({"--wait", "30", "upgrade"}, {{"DATABASE_URL", with(":mig-test-pw@", ":wrong-pw@")}});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ((r.out + r.err).find("waiting"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot connect to"), std::string::npos) << r.err;
}

TEST_P(Servers, WaitRetriesTheFirstConnection) {
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  std::string name = "mig_wait_" + std::to_string(getpid());
  std::string url = with(GetParam() == Kind::PostgreSQL ? "/postgres" : "/mysql", "/" + name);
  Result gave_up = p.mig({"--wait", "1", "upgrade"}, {{"DATABASE_URL", url}});
  EXPECT_EQ(gave_up.code, 1);
  EXPECT_NE(gave_up.out.find("waiting up to 1 s"), std::string::npos) << gave_up.out;
  // The database appears while mig waits: the upgrade then goes through.
  Result waited;
  std::thread runner([&] { waited = p.mig({"--wait", "30", "upgrade"}, {{"DATABASE_URL", url}}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  server_execute(GetParam(), "CREATE DATABASE " + name);
  runner.join();
  EXPECT_EQ(waited.code, 0) << waited.err;
  EXPECT_NE(waited.out.find("waiting up to 30 s"), std::string::npos) << waited.out;
  EXPECT_NE(waited.out.find("upgraded 1 revision(s)"), std::string::npos) << waited.out;
  server_execute(GetParam(), GetParam() == Kind::PostgreSQL
                                 ? "DROP DATABASE " + name + " WITH (FORCE)"
                                 : "DROP DATABASE " + name);
}

INSTANTIATE_TEST_SUITE_P(All, Servers, ::testing::Values(Kind::PostgreSQL, Kind::MySQL),
                         [](const auto& info) { return std::string(kind_name(info.param)); });

TEST(OfflineSql, NeedsNoDatabaseWithFromAndAsksForItWithout) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  std::string down = "postgresql://mig:mig-test-pw@127.0.0.1:1/app";
  Result r = p.mig({"upgrade", "base:head", "--sql"}, {{"DATABASE_URL", down}});
  EXPECT_EQ(r.code, 0) << r.err;
  // The session is put back before mig's own statements, as in a live run.
  EXPECT_NE(r.out.find("BEGIN;\nCREATE TABLE one (id INTEGER);\nRESET SESSION AUTHORIZATION;\n"
                       "RESET ROLE;\nRESET ALL;\nDISCARD TEMP;\nSET client_min_messages = "
                       "warning;\nINSERT INTO mig_revisions"),
            std::string::npos)
      << r.out;
  Result no_from = p.mig({"upgrade", "head", "--sql"}, {{"DATABASE_URL", down}});
  EXPECT_EQ(no_from.code, 1);
  EXPECT_NE(no_from.err.find("FROM:head --sql"), std::string::npos) << no_from.err;
  EXPECT_EQ(p.mig({"upgrade", "base:head"}).code, 2);  // FROM:TO only with --sql
}

TEST(Postgres, TransactionOffLetsCreateIndexConcurrentlyRun) {
  Project p;
  TestDatabase db(Kind::PostgreSQL, "");
  std::map<std::string, std::string> env = {{"DATABASE_URL", db.url()}};
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.revision("a002", "a001", "CREATE INDEX CONCURRENTLY t_v ON t (v);",
             "DROP INDEX CONCURRENTLY t_v;", "-- mig:transaction off\n");
  Result r = p.mig({"upgrade"}, env);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(db.query("SELECT indexname FROM pg_indexes WHERE tablename = 't'"), V{"t_v"});
  ASSERT_EQ(p.mig({"downgrade", "a001"}, env).code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_indexes WHERE tablename = 't'"), V{"0"});

  // Alone in its section it needs no `transaction off`: mig runs it outside
  // a transaction by itself.
  p.revision("a002", "a001", "CREATE INDEX CONCURRENTLY t_v ON t (v);",
             "DROP INDEX CONCURRENTLY t_v;");
  Result alone = p.mig({"upgrade"}, env);
  ASSERT_EQ(alone.code, 0) << alone.err;
  EXPECT_EQ(db.query("SELECT indexname FROM pg_indexes WHERE tablename = 't'"), V{"t_v"});
  ASSERT_EQ(p.mig({"downgrade", "-1"}, env).code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_indexes WHERE tablename = 't'"), V{"0"});

  // Beside other statements the file is refused before anything runs.
  p.revision("a002", "a001", "CREATE TABLE u (v INTEGER);\nCREATE INDEX CONCURRENTLY t_v ON t (v);",
             "DROP TABLE u;");
  Result refused = p.mig({"upgrade"}, env);
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("a002.sql:7: CREATE INDEX CONCURRENTLY cannot run inside a "
                             "transaction"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(db.query("SELECT revision FROM mig_revisions"), V{"a001"});
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_tables WHERE tablename = 'u'"), V{"0"});
}

// A role that may not read mig's tables was told "base", every revision
// pending, and exit 0; check passed; upgrade then failed deep inside.
TEST(Postgres, RoleWithoutPrivilegesOnMigsTablesIsToldSo) {
  Project p;
  TestDatabase db(Kind::PostgreSQL, "");
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);", "DROP TABLE two;");
  ASSERT_EQ(p.mig({"upgrade", "a001"}, {{"DATABASE_URL", db.url()}}).code, 0);
  std::string role = "reader" + std::to_string(getpid());
  server_execute(Kind::PostgreSQL, "CREATE ROLE " + role + " LOGIN PASSWORD 'rpw12345'");
  db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  std::string url = db.url();
  url.replace(url.find("mig:mig-test-pw@"), 16, role + ":rpw12345@");
  std::map<std::string, std::string> env = {{"DATABASE_URL", url}};
  for (auto args : std::vector<V>{{"status"}, {"current"}, {"upgrade"}}) {
    Result r = p.mig(args, env);
    EXPECT_EQ(r.code, 1) << args[0] << ": " << r.out;
    EXPECT_NE(r.err.find("permission denied"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("needs SELECT on mig's tables"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("base"), std::string::npos) << r.out;
  }
  Result check = p.mig({"check"}, env);
  EXPECT_EQ(check.code, 1);
  EXPECT_NE(check.out.find("permission denied"), std::string::npos) << check.out;
  // Granted the rows (not CREATE): reading and migrating work, since mig
  // creates only the tables that are missing.
  db.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
  db.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role);
  Result current = p.mig({"current"}, env);
  EXPECT_EQ(current.code, 0) << current.err;
  EXPECT_NE(current.out.find("a001"), std::string::npos) << current.out;
  Result down = p.mig({"downgrade", "base"}, env);
  EXPECT_EQ(down.code, 1);  // DROP TABLE one needs its owner: the database says so
  EXPECT_NE(down.err.find("must be owner of table one"), std::string::npos) << down.err;
  db.execute("DROP OWNED BY " + role);
  server_execute(Kind::PostgreSQL, "DROP ROLE " + role);
}

// A `transaction off` revision may run a transaction of its own; mig keeps
// its records out of it, and refuses one left open (the end of the run
// would roll it back).
TEST(Postgres, TransactionOffRevisionWithItsOwnTransaction) {
  Project p;
  TestDatabase db(Kind::PostgreSQL, "");
  std::map<std::string, std::string> env = {{"DATABASE_URL", db.url()}};
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);\nBEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;",
             "DROP TABLE t;", "-- mig:transaction off\n");
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  EXPECT_EQ(db.query("SELECT v FROM t"), V{"1"});
  p.revision("a002", "a001", "BEGIN;\nINSERT INTO t VALUES (2);", "SELECT 1;",
             "-- mig:transaction off\n");
  Result open = p.mig({"upgrade"}, env);
  EXPECT_EQ(open.code, 1);
  EXPECT_NE(open.err.find("ends inside a transaction it opened itself"), std::string::npos)
      << open.err;
  EXPECT_EQ(db.query("SELECT count(*) FROM t"), V{"1"});
  EXPECT_EQ(db.query("SELECT revision FROM mig_revisions"), V{"a001"});
}

TEST(Postgres, BookkeepingTablesInAConfiguredSchema) {
  Project p;
  TestDatabase db(Kind::PostgreSQL, "");
  p.write("mig.toml", "[database]\nschema = \"deploy\"\ntable_prefix = \"ver_\"\n");
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  std::map<std::string, std::string> env = {{"DATABASE_URL", db.url()}};
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  EXPECT_EQ(db.query("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                     "WHERE table_schema IN ('public', 'deploy') ORDER BY 1"),
            (V{"deploy.ver_log", "deploy.ver_progress", "deploy.ver_revisions", "deploy.ver_schema",
               "deploy.ver_seeds", "public.one"}));
  EXPECT_EQ(p.mig({"current"}, env).out, "a001 (head)  revision a001\n");
  ASSERT_EQ(p.mig({"downgrade", "base"}, env).code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM deploy.ver_revisions"), V{"0"});
  // A schema is refused where the database has none.
  Result sqlite = p.mig({"--url", "sqlite:x.db", "current"});
  EXPECT_EQ(sqlite.code, 2);
  EXPECT_NE(sqlite.err.find("database.schema"), std::string::npos);
}

}  // namespace
}  // namespace mig::e2e
