// End-to-end: init, revision, current, status, history, heads, show, --json.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/filesystem.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "backend_fixture.h"

namespace mig::e2e {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

std::vector<std::string> migration_files(const Project& p) {
  std::vector<std::string> out;
  for (auto& e : boost::filesystem::directory_iterator(p / "migrations"))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Init, ScaffoldsAProjectThatWorks) {
  Project p;
  Result r = p.mig({"init", "app"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (auto f :
       {"app/mig.toml", "app/templates/schema.sql.mustache", "app/templates/data.sql.mustache"})
    EXPECT_TRUE(boost::filesystem::is_regular_file(p / f)) << f;
  for (auto d : {"app/migrations", "app/seed"})
    EXPECT_TRUE(boost::filesystem::is_directory(p / d)) << d;
  p.write("app/mig.toml", p.read("app/mig.toml") + "\n");  // keep: init must not overwrite
  EXPECT_EQ(p.mig({"init", "app"}).code, 0);
  ASSERT_EQ(p.mig({"--config", "app/mig.toml", "revision", "first"}).code, 0);
  ASSERT_EQ(p.mig({"--config", "app/mig.toml", "upgrade"}).code, 0);
  EXPECT_TRUE(has_table(p / "app/var/mig.db", "mig_revisions"));
}

TEST(Revision, ExactlyAsTypedChainsOntoTheHead) {
  Project p;
  Result first = p.mig({"revision", "add_field"});
  ASSERT_EQ(first.code, 0) << first.err;
  Result second = p.mig({"revision", "-m", "Second step!"});
  ASSERT_EQ(second.code, 0) << second.err;
  auto files = migration_files(p);
  ASSERT_EQ(files.size(), 2u);
  std::regex name(R"(\d{14}_[0-9a-f]{12}_(add_field|second_step)\.sql)");
  for (const auto& f : files) EXPECT_TRUE(std::regex_match(f, name)) << f;
  EXPECT_NE(first.out.find("created migrations/"), std::string::npos) << first.out;

  json h = json::parse(p.mig({"--json", "history"}).out);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0]["message"], "Second step!");
  EXPECT_EQ(h[0]["parents"][0], h[1]["id"]);
  EXPECT_TRUE(h[1]["parents"].empty());
  // The new files work.
  EXPECT_EQ(p.mig({"upgrade", "head"}).code, 0);
}

TEST(Revision, DataKindCustomTemplateAndParent) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  ASSERT_EQ(p.mig({"revision", "fill t", "--kind", "data"}).code, 0);
  json show = json::parse(p.mig({"--json", "show", "head"}).out);
  EXPECT_EQ(show["kind"], "data");
  EXPECT_EQ(show["parents"][0], "a001");

  p.write("templates/table.sql.mustache",
          "-- mig:revision {{id}}\n{{#has_parents}}-- mig:parent {{parents}}\n{{/has_parents}}"
          "-- mig:message {{message}}\n-- mig:upgrade\nCREATE TABLE {{slug}} (id INTEGER);\n"
          "-- mig:downgrade\nDROP TABLE {{slug}};\n");
  Result r = p.mig({"revision", "Audit Trail", "--template", "table", "--parent", "a00"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(p.mig({"heads"}).out.find("(head)") != std::string::npos, true);
  Result heads = p.mig({"--json", "heads"});
  EXPECT_EQ(json::parse(heads.out)["heads"].size(), 2u);  // branched off a001
  EXPECT_EQ(p.mig({"upgrade", "heads"}).code, 0);
  EXPECT_TRUE(has_table(p.db(), "audit_trail"));

  // Two heads now: a plain revision must be told which parent to use.
  Result ambiguous = p.mig({"revision", "next"});
  EXPECT_EQ(ambiguous.code, 2);
  EXPECT_NE(ambiguous.err.find("several heads"), std::string::npos) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("); pass --parent ID to choose one\n"), std::string::npos)
      << ambiguous.err;
  EXPECT_EQ(p.mig({"revision", "x", "--template", "nosuch"}).code, 2);
  EXPECT_EQ(p.mig({"revision", "x", "--kind", "other"}).code, 2);
}

TEST(Revision, FileNameTemplateFromConfig) {
  Project p;
  p.write("mig.toml", "[revision]\nfile_template = \"{{kind}}/{{slug}}_{{id}}\"\n");
  ASSERT_EQ(p.mig({"revision", "Make it so", "--kind", "data"}).code, 0);
  auto files = boost::filesystem::directory_iterator(p / "migrations/data");
  std::string name = files->path().filename().string();
  EXPECT_TRUE(std::regex_match(name, std::regex(R"(make_it_so_[0-9a-f]{12}\.sql)"))) << name;
}

using Commands = Backends;

TEST_P(Commands, CurrentFromBaseToHead) {
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.revision("a002", "a001", "SELECT 1;", "SELECT 1;");
  Result before = mig({"current"});
  EXPECT_EQ(before.code, 0) << before.err;
  EXPECT_NE(before.out.find("base"), std::string::npos);
  EXPECT_FALSE(db.has_table("mig_revisions")) << "reading must not create anything";
  if (GetParam() == Kind::SQLite) {
    EXPECT_FALSE(boost::filesystem::exists(p.db())) << "nor the SQLite file";
  }
  ASSERT_EQ(mig({"upgrade", "a001"}).code, 0);
  EXPECT_EQ(mig({"current"}).out, "a001  revision a001\n");
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  EXPECT_EQ(mig({"current"}).out, "a002 (head)  revision a002\n");
  json j = json::parse(mig({"--json", "current"}).out);
  EXPECT_EQ(j["current"][0]["id"], "a002");
  EXPECT_EQ(j["current"][0]["head"], true);
  EXPECT_EQ(j["database"].get<std::string>().find("mig-test-pw"), std::string::npos);
}

TEST_P(Commands, StatusShowsPendingEditedAndMissing) {
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.revision("a002", "a001", "CREATE TABLE u (v INTEGER);", "DROP TABLE u;");
  p.revision("a003", "a002", "SELECT 1;", "SELECT 1;", "-- mig:kind data\n");
  ASSERT_EQ(mig({"upgrade", "a002"}).code, 0);
  Result s = mig({"status"});
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("current:  a002"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("pending:  1 revision(s)"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("a003  revision a003  (data)"), std::string::npos) << s.out;

  // A comment change is not an edit; an SQL change is.
  p.revision("a001", "", "-- reworded\nCREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  EXPECT_EQ(mig({"status"}).out.find("edited"), std::string::npos);
  p.revision("a001", "", "CREATE TABLE t (v INTEGER, w TEXT);", "DROP TABLE t;");
  json j = json::parse(mig({"--json", "status"}).out);
  ASSERT_EQ(j["edited"].size(), 1u);
  EXPECT_EQ(j["edited"][0]["id"], "a001");
  EXPECT_NE(j["edited"][0]["recorded_checksum"], j["edited"][0]["file_checksum"]);
  EXPECT_EQ(j["pending"][0]["id"], "a003");

  boost::filesystem::remove(p / "migrations/a003.sql");
  ASSERT_EQ(mig({"stamp", "a002"}).code, 0);
  p.write("migrations/a002.sql", "");  // breaks the file: status must say so
  EXPECT_EQ(mig({"status"}).code, 1);
  boost::filesystem::remove(p / "migrations/a002.sql");
  Result missing = mig({"status"});
  ASSERT_EQ(missing.code, 0) << missing.err;
  EXPECT_NE(missing.out.find("applied but missing"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("  a002"), std::string::npos) << missing.out;
}

TEST(Status, DoesNotPrintThePassword) {
  Project p;
  p.revision("a001", "", "SELECT 1;", "SELECT 1;");
  Result r = p.mig({"status"}, {{"DATABASE_URL", "postgresql://u:hunter2@127.0.0.1:1/db"}});
  EXPECT_EQ((r.out + r.err).find("hunter2"), std::string::npos) << r.out << r.err;
}

TEST_P(Commands, HistoryMarksHeadCurrentDataAndRange) {
  p.revision("a001", "", "SELECT 1;");
  p.revision("a002", "a001", "SELECT 1;", "", "-- mig:kind data\n");
  p.revision("a003", "a002", "SELECT 1;");
  p.revision("a004", "a003", "SELECT 1;");
  ASSERT_EQ(mig({"upgrade", "a002"}).code, 0);
  Result h = mig({"history"});
  ASSERT_EQ(h.code, 0) << h.err;
  EXPECT_EQ(h.out,
            "a003 -> a004 (head), revision a004\n"
            "a002 -> a003, revision a003\n"
            "a001 -> a002 (current) (data), revision a002\n"
            "<base> -> a001, revision a001\n");
  Result range = mig({"history", "--range", "a002:a003"});
  EXPECT_EQ(range.out,
            "a002 -> a003, revision a003\na001 -> a002 (current) (data), revision a002\n");
  EXPECT_EQ(mig({"history", "--range", "a003:"}).out.find("a002 (current)"), std::string::npos);
  EXPECT_EQ(mig({"history", "--range", "nocolon"}).code, 2);
}

INSTANTIATE_TEST_SUITE_P(All, Commands, ::testing::ValuesIn(all_backends()), backend_name);

TEST(Show, PrintsOneRevisionInFull) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);\nCREATE INDEX t_v ON t (v);", "<none>");
  Result r = p.mig({"show", "a0"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Revision:    a001"), std::string::npos);
  EXPECT_NE(r.out.find("Upgrade (2 statements):"), std::string::npos);
  EXPECT_NE(r.out.find("  CREATE INDEX t_v ON t (v);"), std::string::npos);
  EXPECT_NE(r.out.find("Downgrade: none (irreversible)"), std::string::npos);
  json j = json::parse(p.mig({"--json", "show", "a001"}).out);
  EXPECT_EQ(j["upgrade"][1]["line"], 6);
  EXPECT_TRUE(j["downgrade"].is_null());
  EXPECT_EQ(p.mig({"show", "zzzz"}).code, 2);
}

TEST(Environments, EnvFlagAndMigEnv) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.write("mig.toml", "[environments.test]\nurl = \"sqlite:var/test.db\"\n");
  ASSERT_EQ(p.mig({"--env", "test", "upgrade"}).code, 0);
  EXPECT_TRUE(has_table(p / "var/test.db", "t"));
  EXPECT_FALSE(boost::filesystem::exists(p.db()));
  Result via_env = p.mig({"current"}, {{"MIG_ENV", "test"}});
  EXPECT_EQ(via_env.out, "a001 (head)  revision a001\n");
  EXPECT_EQ(p.mig({"--env", "prod", "current"}).code, 2);
}

}  // namespace
}  // namespace mig::e2e

namespace mig::e2e {
namespace {

// The declarative workflow end to end: edit schema.sql, `mig diff`, review,
// `mig upgrade`; `--check` as the CI gate.
TEST(Diff, FromAnEditedSchemaToAnAppliedRevision) {
  Project p;
  p.revision("a001", "", "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);",
             "DROP TABLE tags;");
  p.write("schema.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n");
  Result same = p.mig({"diff", "--check", "--to", "schema.sql"});
  EXPECT_EQ(same.code, 0) << same.err;
  EXPECT_NE(same.out.find("no difference"), std::string::npos) << same.out;

  p.write("schema.sql",
          "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT, color TEXT);\n"
          "CREATE UNIQUE INDEX tags_name ON tags (name);\n");
  Result behind = p.mig({"diff", "--check", "--to", "schema.sql"});
  EXPECT_EQ(behind.code, 1);
  EXPECT_NE(behind.out.find("  ALTER TABLE \"tags\" ADD COLUMN color TEXT;"), std::string::npos)
      << behind.out;
  Result written = p.mig({"diff", "add_color", "--to", "schema.sql"});
  ASSERT_EQ(written.code, 0) << written.err;
  EXPECT_EQ(written.out.rfind("created migrations/", 0), 0u) << written.out;
  EXPECT_EQ(p.mig({"check"}).code, 0);
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  EXPECT_EQ(query(p.db(),
                  "SELECT count(*) FROM pragma_index_list('tags') WHERE name = "
                  "'tags_name'"),
            V{"1"});
  EXPECT_EQ(p.mig({"diff", "--check", "--to", "schema.sql"}).code, 0);

  // Dropping the column is destructive: said, and left for mig check to stop.
  p.write("schema.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n");
  Result drop = p.mig({"diff", "drop_color", "--to", "schema.sql"});
  ASSERT_EQ(drop.code, 0) << drop.err;
  EXPECT_NE(drop.err.find("warning: destructive: column tags.color is dropped"), std::string::npos)
      << drop.err;
  EXPECT_EQ(p.mig({"check"}).code, 1);
}

TEST(Diff, SqlPrintsAScriptBetweenTwoDatabases) {
  Project p;
  ASSERT_EQ(p.mig({"init"}).code, 0);
  p.write("old.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
  p.write("new.sql",
          "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\nCREATE INDEX a_v ON a (v);\n");
  Result r = p.mig({"diff", "--from", "old.sql", "--to", "new.sql", "--sql"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "ALTER TABLE \"a\" ADD COLUMN v TEXT;\nCREATE INDEX a_v ON a (v);\n");
  EXPECT_EQ(p.mig({"diff", "--from", "old.sql", "--to", "new.sql", "--check"}).code, 1);
  EXPECT_EQ(p.mig({"diff", "x", "--from", "old.sql", "--to", "new.sql"}).code, 2);
}

TEST(Diff, UsageErrorsExit2) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  EXPECT_EQ(p.mig({"diff", "x"}).code, 2);                   // no --to
  EXPECT_EQ(p.mig({"diff", "--to", "schema.sql"}).code, 2);  // no MESSAGE
  Result missing = p.mig({"diff", "x", "--to", "nowhere.sql"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("--to: nowhere.sql is neither a file nor a directory"),
            std::string::npos)
      << missing.err;
  Result json = p.mig({"--json", "diff", "x", "--to", "nowhere.sql"});
  EXPECT_EQ(json.code, 2);
  // A server where no scratch database can be made is an operation error.
  Result nowhere =
      p.mig({"diff", "x", "--to", "nowhere.sql"}, {{"DATABASE_URL", "mysql://u@127.0.0.1:1/app"}});
  EXPECT_EQ(nowhere.code, 2);  // (found before connecting)
  p.write("schema.sql", "CREATE TABLE t (v INTEGER);\n");
  Result my =
      p.mig({"diff", "x", "--to", "schema.sql"}, {{"DATABASE_URL", "mysql://u@127.0.0.1:1/app"}});
  EXPECT_EQ(my.code, 1);
  EXPECT_NE(my.err.find("cannot make a scratch database on"), std::string::npos)
      << my.err;
  EXPECT_NE(my.err.find("name a server that allows it with --dev-url"), std::string::npos)
      << my.err;
  Result dev = p.mig({"diff", "x", "--to", "schema.sql", "--dev-url", "postgresql://u@h/d"});
  EXPECT_EQ(dev.code, 2);
  EXPECT_NE(dev.err.find("--dev-url names a server for scratch databases"), std::string::npos)
      << dev.err;
}

}  // namespace
}  // namespace mig::e2e

namespace mig::e2e {
namespace {

TEST(Baseline, AdoptsTheDatabaseWithoutRunningDdlThere) {
  Project p;
  ASSERT_EQ(p.mig({"init"}).code, 0);
  boost::filesystem::create_directories(p / "var");
  sqlite3* db = nullptr;  // made by the application, not by mig
  ASSERT_EQ(sqlite3_open(p.db().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);"
                         "CREATE INDEX users_email ON users (email);"
                         "INSERT INTO users (email) VALUES ('a@example.com');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Result r = p.mig({"baseline", "initial"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("created migrations/", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("is stamped as applied on SQLite file"), std::string::npos) << r.out;
  Result status = p.mig({"status", "--exit-code"});
  EXPECT_EQ(status.code, 0) << status.out;
  EXPECT_EQ(query(p.db(), "SELECT email FROM users"), V{"a@example.com"});
  Result again = p.mig({"baseline", "again"});
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("a baseline starts a project's history"), std::string::npos)
      << again.err;
  EXPECT_EQ(p.mig({"baseline"}).code, 2);  // no MESSAGE
}

}  // namespace
}  // namespace mig::e2e

namespace mig::e2e {
namespace {

// Rows that break the new definition stop the rebuild, which is undone as
// a whole; once the data is fixed, --resume finishes it.
TEST(Diff, ARebuildThatRowsBreakIsUndoneAndResumable) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);", "DROP TABLE t;");
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(p.db().c_str(), &db), SQLITE_OK);
  auto exec = [&](const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); };
  ASSERT_EQ(exec("INSERT INTO t VALUES (1, NULL)"), SQLITE_OK);
  p.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);\n");
  ASSERT_EQ(p.mig({"diff", "strict", "--to", "schema.sql"}).code, 0);
  Result failed = p.mig({"upgrade"});
  EXPECT_EQ(failed.code, 1);
  EXPECT_NE(failed.err.find("NOT NULL constraint failed"), std::string::npos) << failed.err;
  EXPECT_EQ(query(p.db(), "SELECT sql FROM sqlite_master WHERE name = 't'"),
            V{"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"});
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM sqlite_master WHERE name LIKE '_mig_new%'"),
            V{"0"});
  ASSERT_EQ(exec("UPDATE t SET v = 'x'"), SQLITE_OK);
  sqlite3_close(db);
  Result resumed = p.mig({"upgrade", "--resume"});
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(query(p.db(), "SELECT id, v FROM t"), V{"1|x"});
  EXPECT_EQ(p.mig({"diff", "--check", "--to", "schema.sql"}).code, 0);
}

}  // namespace
}  // namespace mig::e2e
