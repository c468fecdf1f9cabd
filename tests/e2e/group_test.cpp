// End-to-end: one command on many databases (--group). 16 SQLite shard
// files, 3 PostgreSQL and 3 MariaDB databases on the throw-away servers in
// one group; a target made to fail half way; both failure policies, the
// summary, exit codes, re-runs, 8 runs at once, status per target, --sql per
// target, schema-per-tenant on PostgreSQL, and the other ways to list targets.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/filesystem.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "config/url.h"
#include "database_support.h"
#include "harness.h"

using nlohmann::json;

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

V split_lines(const std::string& text) {
  V lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The password the test servers' URLs carry, which no output may show.
std::string password_of(const std::string& url) { return parse_url(url, "test").password; }

class Group : public ::testing::Test {
 protected:
  Project p;
  std::vector<std::unique_ptr<TestDatabase>> pg, my;

  void SetUp() override {
    boost::filesystem::create_directories(p / "data");
    for (int i = 1; i <= 16; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "data/shard_%02d.db", i);
      p.write(name, "");  // (an empty file is an empty SQLite database)
    }
    for (int i = 0; i < 3; ++i) {
      pg.push_back(std::make_unique<TestDatabase>(Kind::PostgreSQL, ""));
      my.push_back(std::make_unique<TestDatabase>(Kind::MySQL, ""));
    }
    std::string toml = "[groups.all]\ntargets = [\n  \"sqlite:data/shard_*.db\",\n";
    for (int i = 0; i < 3; ++i)
      toml += "  { name = \"pg_" + std::to_string(i + 1) + "\", url = \"" + pg[i]->url() +
              "\" },\n  { name = \"my_" + std::to_string(i + 1) + "\", url = \"" + my[i]->url() +
              "\" },\n";
    toml += "]\n";
    p.write("mig.toml", toml);
    p.revision("g001", "", "CREATE TABLE one (id INTEGER PRIMARY KEY);", "DROP TABLE one;");
    p.revision("g002", "g001", "CREATE TABLE two (id INTEGER);", "DROP TABLE two;");
    p.revision("g003", "g002", "CREATE TABLE three (id INTEGER);\nCREATE TABLE four (id INTEGER);",
               "DROP TABLE four;\nDROP TABLE three;");
    p.revision("g004", "g003", "CREATE TABLE five (id INTEGER);", "DROP TABLE five;");
  }

  std::string shard(int i) const {
    char name[32];
    std::snprintf(name, sizeof name, "data/shard_%02d.db", i);
    return p / name;
  }

  // Every target's applied revisions, by name.
  std::map<std::string, V> applied() const {
    std::map<std::string, V> out;
    const char* sql = "SELECT revision FROM mig_revisions ORDER BY revision";
    for (int i = 1; i <= 16; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "shard_%02d", i);
      out[name] = has_table(shard(i), "mig_revisions") ? query(shard(i), sql) : V{};
    }
    for (int i = 0; i < 3; ++i) {
      out["pg_" + std::to_string(i + 1)] =
          pg[i]->has_table("mig_revisions") ? pg[i]->query(sql) : V{};
      out["my_" + std::to_string(i + 1)] =
          my[i]->has_table("mig_revisions") ? my[i]->query(sql) : V{};
    }
    return out;
  }

  // How often each revision's upgrade succeeded on one target, from its log.
  static std::map<std::string, int> ok_upgrades(const V& log) {
    std::map<std::string, int> n;
    for (const auto& row : log) ++n[row];
    return n;
  }
  std::map<std::string, std::map<std::string, int>> upgrades() const {
    const char* sql =
        "SELECT revision FROM mig_log WHERE action = 'upgrade' AND outcome = 'ok' ORDER BY id";
    std::map<std::string, std::map<std::string, int>> out;
    for (int i = 1; i <= 16; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "shard_%02d", i);
      if (has_table(shard(i), "mig_log")) out[name] = ok_upgrades(query(shard(i), sql));
    }
    for (int i = 0; i < 3; ++i) {
      if (pg[i]->has_table("mig_log"))
        out["pg_" + std::to_string(i + 1)] = ok_upgrades(pg[i]->query(sql));
      if (my[i]->has_table("mig_log"))
        out["my_" + std::to_string(i + 1)] = ok_upgrades(my[i]->query(sql));
    }
    return out;
  }

  void expect_no_password(const Result& r) {
    for (const auto& db : {pg[0].get(), my[0].get()}) {
      std::string pw = password_of(db->url());
      if (pw.empty()) continue;
      EXPECT_FALSE(contains(r.out, pw)) << r.out;
      EXPECT_FALSE(contains(r.err, pw)) << r.err;
    }
  }

  static json targets_by_name(const std::string& out) {
    json j = json::parse(out), by = json::object();
    for (const auto& t : j["targets"]) by[t["name"].get<std::string>()] = t;
    return by;
  }
};

const V kAll = {"g001", "g002", "g003", "g004"};

TEST_F(Group, ContinuePolicyFinishesTheOthersAndARerunOnlyTheFailedTarget) {
  pg[1]->execute("CREATE TABLE four (id INTEGER)");  // g003 fails at its second statement
  Result r = p.mig({"--group", "all", "upgrade", "head", "--on-error", "continue", "-j", "3"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  expect_no_password(r);
  auto state = applied();
  ASSERT_EQ(state.size(), 22u);
  for (const auto& [name, revisions] : state)
    EXPECT_EQ(revisions, name == "pg_2" ? V({"g001", "g002"}) : kAll) << name;
  // The summary: one row per target, the failed one with its error's first line.
  EXPECT_TRUE(contains(r.out, "22 target(s): 21 ok, 1 failed")) << r.out;
  bool row = false;
  for (const auto& line : split_lines(r.out))
    if (line.rfind("pg_2 ", 0) == 0) {
      row = true;
      EXPECT_TRUE(contains(line, "base -> g002")) << line;  // g003 rolled back: PostgreSQL
      EXPECT_TRUE(contains(line, "failed")) << line;
      EXPECT_TRUE(contains(line, "g003 failed at statement 2 of 2")) << line;
    }
  EXPECT_TRUE(row) << r.out;
  EXPECT_TRUE(contains(r.err, "[pg_2")) << r.err;  // the error, prefixed

  pg[1]->execute("DROP TABLE four");
  Result again = p.mig({"--group", "all", "--json", "upgrade"});
  EXPECT_EQ(again.code, 0) << again.out << again.err;
  json by = targets_by_name(again.out);
  ASSERT_EQ(by.size(), 22u);
  for (const auto& [name, t] : by.items()) {
    EXPECT_EQ(t["outcome"], "ok") << name;
    EXPECT_EQ(t["applied"], name == "pg_2" ? 2 : 0) << name;
    EXPECT_EQ(t["after"], V{"g004"}) << name;
  }
  for (const auto& [name, counts] : upgrades()) {
    EXPECT_EQ(counts.size(), 4u) << name;
    for (const auto& [rev, n] : counts) EXPECT_EQ(n, 1) << name << " " << rev;
  }
}

TEST_F(Group, StopPolicyStartsNoNewTargetAfterAFailure) {
  // The failing target comes first, one target at a time: none of the
  // others starts. (Stopping running targets after their revision is
  // tested with Ctrl-C below and in the library.)
  testing::sqlite_exec(shard(1), "CREATE TABLE four (id INTEGER)");
  Result r = p.mig({"--group", "all", "--json", "upgrade", "-j", "1"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  json by = targets_by_name(r.out);
  EXPECT_EQ(by["shard_01"]["outcome"], "failed");
  EXPECT_EQ(by["shard_01"]["after"], V{"g002"});
  EXPECT_TRUE(contains(by["shard_01"]["error"].get<std::string>(), "four"));
  int not_started = 0;
  auto state = applied();
  for (const auto& [name, t] : by.items()) {
    std::string outcome = t["outcome"];
    EXPECT_TRUE(outcome == "ok" || outcome == "stopped" || outcome == "not started" ||
                name == "shard_01")
        << name << " " << outcome;
    if (outcome == "not started") {
      ++not_started;
      EXPECT_EQ(state[name], V{}) << name;
    }
    if (outcome == "ok") {
      EXPECT_EQ(state[name], kAll) << name;
    }
  }
  EXPECT_EQ(not_started, 21) << r.out;
  Result table = p.mig({"--group", "all", "upgrade", "-j", "1"});  // the same, as a table
  EXPECT_EQ(table.code, 1);
  EXPECT_TRUE(contains(table.out, "22 target(s): 0 ok, 1 failed, 21 not started")) << table.out;

  testing::sqlite_exec(shard(1), "DROP TABLE four");
  Result again = p.mig({"--group", "all", "upgrade"});
  EXPECT_EQ(again.code, 0) << again.out << again.err;
  for (const auto& [name, revisions] : applied()) EXPECT_EQ(revisions, kAll) << name;
  for (const auto& [name, counts] : upgrades())
    for (const auto& [rev, n] : counts) EXPECT_EQ(n, 1) << name << " " << rev;
}

TEST_F(Group, EightRunsAtOnceApplyEachRevisionOncePerTarget) {
  auto results = p.mig_parallel(8, {"--group", "all", "-q", "upgrade", "head"});
  for (const auto& r : results) EXPECT_EQ(r.code, 0) << r.out << r.err;
  auto state = applied();
  for (const auto& [name, revisions] : state) EXPECT_EQ(revisions, kAll) << name;
  auto ups = upgrades();
  EXPECT_EQ(ups.size(), 22u);
  for (const auto& [name, counts] : ups) {
    EXPECT_EQ(counts.size(), 4u) << name;
    for (const auto& [rev, n] : counts) EXPECT_EQ(n, 1) << name << " " << rev;
  }
}

TEST_F(Group, StatusPerTargetAndTheDeployGate) {
  // Behind, at head, ahead of the files, edited, half-applied (MariaDB's DDL
  // commits as it goes, so its failure leaves the revision half done).
  my[2]->execute("CREATE TABLE four (id INTEGER)");
  p.mig({"--group", "all", "--on-error", "continue", "upgrade"});
  p.mig({"--group", "all", "--target", "shard_0[23]", "downgrade", "g002"});
  Result gate = p.mig({"--group", "all", "status", "--exit-code"});
  EXPECT_EQ(gate.code, 1) << gate.out << gate.err;
  std::map<std::string, std::string> state;
  for (const auto& line : split_lines(gate.out)) {
    auto space = line.find(' ');
    if (space != std::string::npos) state[line.substr(0, space)] = line;
  }
  EXPECT_TRUE(contains(state["shard_01"], "at head")) << gate.out;
  EXPECT_TRUE(contains(state["shard_02"], "behind 2")) << gate.out;
  EXPECT_TRUE(contains(state["my_3"], "half-applied")) << gate.out;
  EXPECT_TRUE(contains(state["pg_1"], "at head")) << gate.out;
  expect_no_password(gate);

  Result plain = p.mig({"--group", "all", "status"});
  EXPECT_EQ(plain.code, 0) << plain.out << plain.err;  // every target was read

  // A revision file removed: the targets that applied it are ahead of the files.
  boost::filesystem::remove(p / "migrations/g004.sql");
  Result ahead = p.mig({"--group", "all", "--json", "status", "--target", "pg_*,shard_02"});
  json by = targets_by_name(ahead.out);
  EXPECT_EQ(by.size(), 4u);
  EXPECT_EQ(by["pg_1"]["at_head"], false);
  EXPECT_TRUE(contains(by["pg_1"]["state"].dump(), "ahead of the files")) << ahead.out;
  EXPECT_EQ(by["shard_02"]["at_head"], false);  // at g002 of g001-g003
  EXPECT_EQ(by["shard_02"]["state"], V{"behind 1"}) << ahead.out;

  // A new revision beside the missing one: applied without a file and
  // pending at once; then an applied file edited.
  p.revision("g005", "g003", "CREATE TABLE six (id INTEGER);", "DROP TABLE six;");
  p.revision("g001", "", "CREATE TABLE one (id INTEGER PRIMARY KEY, edited INTEGER);",
             "DROP TABLE one;");
  Result later = p.mig({"--group", "all", "--json", "status", "--target", "pg_1"});
  json pg1 = targets_by_name(later.out)["pg_1"];
  EXPECT_TRUE(contains(pg1["state"].dump(), "diverged (1 applied without a file, 1 pending)"))
      << later.out;
  EXPECT_TRUE(contains(pg1["state"].dump(), "edited (1)")) << later.out;
}

TEST_F(Group, UsageErrorsExitTwoAndChangeNothing) {
  struct Case {
    V args;
    std::string says;
  };
  std::vector<Case> cases = {
      {{"--group", "nope", "upgrade"}, "no [groups.nope]"},
      {{"--group", "all", "--target", "zzz*", "upgrade"}, "'zzz*' matches no target"},
      {{"--group", "all", "revision", "x"}, "'revision' does not run on databases"},
      {{"--target", "shard_01", "upgrade"}, "go with --group"},
      {{"--group", "all", "--url", "sqlite:x.db", "upgrade"}, "--group and --url"},
      {{"--group", "all", "upgrade", "--sql"}, "--out-dir"},
      {{"--group", "all", "--on-error", "later", "upgrade"}, "--on-error"},
  };
  for (const auto& c : cases) {
    Result r = p.mig(c.args);
    EXPECT_EQ(r.code, 2) << c.args[1] << r.out << r.err;
    EXPECT_TRUE(contains(r.err, c.says)) << r.err;
  }
  p.write("mig.toml", "[groups.bad]\nfile = \"urls.txt\"\n\n[groups.worse]\ntargets = [1]\n");
  Result r = p.mig({"--group", "bad", "upgrade"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "mig.toml:5")) << r.err;
  for (const auto& [name, revisions] : applied()) EXPECT_EQ(revisions, V{}) << name;
}

TEST_F(Group, SqlWritesOneScriptPerTarget) {
  p.mig({"--group", "all", "--target", "pg_1,my_1,shard_01", "upgrade", "g002"});
  Result r = p.mig({"--group", "all", "upgrade", "--sql", "--out-dir", "scripts"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  std::string pg1 = p.read("scripts/pg_1.sql"), shard2 = p.read("scripts/shard_02.sql");
  EXPECT_FALSE(contains(pg1, "CREATE TABLE one")) << pg1;  // applied there already
  EXPECT_TRUE(contains(pg1, "CREATE TABLE five")) << pg1;
  EXPECT_TRUE(contains(shard2, "CREATE TABLE one")) << shard2;
  EXPECT_TRUE(boost::filesystem::exists(p / "scripts/my_3.sql"));
  for (const auto& [name, revisions] : applied())
    EXPECT_EQ(revisions,
              name == "pg_1" || name == "my_1" || name == "shard_01" ? V({"g001", "g002"}) : V{})
        << name;
  Result dry = p.mig({"--group", "all", "--target", "shard_02", "upgrade", "--dry-run"});
  EXPECT_EQ(dry.code, 0) << dry.err;
  EXPECT_TRUE(contains(dry.out, "[shard_02] would upgrade g001")) << dry.out;
  EXPECT_FALSE(has_table(shard(2), "one"));
}

// stamp, seed, schema and check on every target, on SQLite shards.
TEST(GroupCommands, StampSeedSchemaAndCheckPerTarget) {
  Project p;
  for (const char* f : {"s1.db", "s2.db", "s3.db"}) p.write(f, "");
  p.write("mig.toml", "[groups.g]\ntargets = [\"sqlite:s*.db\"]\n");
  p.revision("k001", "", "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT);", "DROP TABLE kv;");
  p.revision("k002", "k001", "CREATE TABLE extra (id INTEGER);", "DROP TABLE extra;");
  p.write("seed/01_kv.sql", "INSERT OR REPLACE INTO kv VALUES ('a', 'b');\n");

  Result stamp = p.mig({"--group", "g", "--target", "s1", "stamp", "k001"});
  EXPECT_EQ(stamp.code, 0) << stamp.err;
  EXPECT_TRUE(contains(stamp.out, "[s1] stamped   k001")) << stamp.out;
  EXPECT_EQ(query(p / "s1.db", "SELECT revision FROM mig_revisions"), V{"k001"});
  EXPECT_FALSE(has_table(p / "s1.db", "kv"));  // recorded only
  testing::sqlite_exec(p / "s1.db", "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");

  Result up = p.mig({"--group", "g", "upgrade", "--seed"});
  EXPECT_EQ(up.code, 0) << up.out << up.err;
  for (const char* f : {"s1.db", "s2.db", "s3.db"})
    EXPECT_EQ(query(p / f, "SELECT v FROM kv"), V{"b"}) << f;
  p.write("seed/01_kv.sql", "INSERT OR REPLACE INTO kv VALUES ('a', 'c');\n");
  Result seed = p.mig({"--group", "g", "seed"});
  EXPECT_EQ(seed.code, 0) << seed.err;
  EXPECT_TRUE(contains(seed.out, "seeds run")) << seed.out;
  for (const char* f : {"s1.db", "s2.db", "s3.db"})
    EXPECT_EQ(query(p / f, "SELECT v FROM kv"), V{"c"}) << f;

  Result schema = p.mig({"--group", "g", "schema"});
  EXPECT_EQ(schema.code, 0) << schema.err;
  EXPECT_TRUE(contains(schema.out, "-- s2: SQLite file")) << schema.out;
  EXPECT_TRUE(contains(schema.out, "extra")) << schema.out;

  Result clean = p.mig({"--group", "g", "check"});
  EXPECT_EQ(clean.code, 0) << clean.out << clean.err;
  testing::sqlite_exec(p / "s3.db", "CREATE TABLE outside (id INTEGER)");  // drift on s3 only
  Result check = p.mig({"--group", "g", "--json", "check"});
  EXPECT_EQ(check.code, 1) << check.out << check.err;
  json j = json::parse(check.out);
  EXPECT_EQ(j["findings"].size(), 0u);  // the files are fine
  ASSERT_EQ(j["targets"].size(), 3u);
  EXPECT_EQ(j["targets"][0]["findings"].size(), 0u);
  ASSERT_EQ(j["targets"][2]["findings"].size(), 1u);
  EXPECT_EQ(j["targets"][2]["findings"][0]["rule"], "drift");
}

// Ctrl-C stops a group run as a failure would: the target at work finishes
// the revision it is applying, then stops; no other target starts; exit 130.
TEST(GroupInterrupt, CtrlCLetsTheRunningRevisionFinish) {
  Project p;
  for (const char* f : {"s1.db", "s2.db", "s3.db"}) p.write(f, "");
  p.write("mig.toml", "[groups.g]\ntargets = [\"sqlite:s*.db\"]\n");
  p.revision("c001", "",
             "CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
             "WHERE x < 8000000) SELECT x FROM c;",
             "DROP TABLE big;");
  p.revision("c002", "c001", "CREATE TABLE two (id INTEGER);", "DROP TABLE two;");
  int pid = p.spawn({"--group", "g", "-j", "1", "upgrade"});
  // s1's run has begun once its journal is there; c001 then takes seconds.
  for (int i = 0; i < 1000 && !boost::filesystem::exists(p / "s1.db-journal"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  EXPECT_EQ(wait_exit(pid), 130);
  EXPECT_EQ(query(p / "s1.db", "SELECT revision FROM mig_revisions"), V{"c001"});
  EXPECT_EQ(query(p / "s1.db", "SELECT count(*) FROM big"), V{"8000000"});
  EXPECT_FALSE(has_table(p / "s2.db", "mig_revisions"));
  EXPECT_FALSE(has_table(p / "s3.db", "mig_revisions"));
  Result again = p.mig({"--group", "g", "upgrade"});  // the rest
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(query(p / "s1.db", "SELECT revision FROM mig_revisions ORDER BY 1"),
            V({"c001", "c002"}));
}

TEST(GroupSources, SchemasFilesAndQueries) {
  Project p;
  TestDatabase tenants(Kind::PostgreSQL, "");
  tenants.execute("CREATE TABLE tenant (schema_name text)");
  tenants.execute("INSERT INTO tenant VALUES ('globex'), ('initech')");
  p.write("shards.txt", "# one per line\nsqlite:a.db\nnamed_b sqlite:b.db\n");
  testing::sqlite_exec(
      p / "control.db",
      "CREATE TABLE shard (name TEXT, url TEXT); INSERT INTO shard VALUES ('c', 'sqlite:c.db')");
  p.write("mig.toml", "[groups.tenants]\nurl = \"" + tenants.url() +
                          "\"\nschemas = [\"acme\"]\n"
                          "schemas_query = \"SELECT schema_name FROM tenant ORDER BY 1\"\n\n"
                          "[groups.files]\nfile = \"shards.txt\"\n"
                          "query = \"SELECT name, url FROM shard\"\ncontrol_url = \"sqlite:" +
                          (p / "control.db") + "\"\n");
  p.revision("s001", "", "CREATE TABLE account (id INTEGER PRIMARY KEY);", "DROP TABLE account;");
  Result r = p.mig({"--group", "tenants", "upgrade"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(tenants.query("SELECT table_schema FROM information_schema.tables WHERE table_name = "
                          "'account' ORDER BY 1"),
            V({"acme", "globex", "initech"}));
  EXPECT_EQ(tenants.query("SELECT count(*) FROM acme.mig_revisions"), V{"1"});
  EXPECT_EQ(tenants.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                          "'public' AND table_name LIKE 'mig%'"),
            V{"0"});  // (public holds nothing of mig's)
  Result cur = p.mig({"--group", "tenants", "current"});
  EXPECT_TRUE(contains(cur.out, "initech  s001")) << cur.out;

  Result f = p.mig({"--group", "files", "--json", "upgrade"});
  EXPECT_EQ(f.code, 0) << f.out << f.err;
  json j = json::parse(f.out);
  V names;
  for (const auto& t : j["targets"]) names.push_back(t["name"]);
  EXPECT_EQ(names, V({"a", "named_b", "c"}));
  for (const char* db : {"a.db", "b.db", "c.db"}) EXPECT_TRUE(has_table(p / db, "account")) << db;
}

}  // namespace
}  // namespace mig::e2e
