// End-to-end: `mig check` for CI, files alone and with a database.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "backend_fixture.h"
#include "mig/project.h"

namespace mig::e2e {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

TEST(Check, CleanProjectPassesAndEveryRuleFails) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  Result clean = p.mig({"check"});
  EXPECT_EQ(clean.code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("check: 1 revision(s), 0 problem(s)"), std::string::npos);

  // A comment or string that mentions DROP TABLE is not destructive.
  p.revision("a002", "a001", "-- DROP TABLE t;\nINSERT INTO t VALUES (length('DROP TABLE t'));",
             "DELETE FROM t WHERE v = 12;");
  EXPECT_EQ(p.mig({"check"}).code, 0);

  p.revision("a003", "a002", "DROP TABLE t;", "CREATE TABLE t (v INTEGER);");
  p.revision("a004", "a003", "CREATE TABLE u (v INTEGER);", "<none>");
  p.revision("a005", "a002", "DELETE FROM t;", "SELECT 1;", "-- mig:kind data\n");
  Result bad = p.mig({"check"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("migrations/a003.sql:6: DS102 table t dropped"), std::string::npos)
      << bad.out;
  EXPECT_NE(
      bad.out.find("migrations/a004.sql:1: MG104 schema revision a004 has no -- mig:downgrade"),
      std::string::npos)
      << bad.out;
  EXPECT_NE(
      bad.out.find("migrations/a005.sql:7: DS104 destructive statement (DELETE without WHERE)"),
      std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("MG103 2 heads (a004, a005)"), std::string::npos) << bad.out;
  // Each with its fix.
  EXPECT_NE(bad.out.find("dropped (if intended: -- mig:nolint DS102 before the statement, or "
                         "-- mig:allow destructive)"),
            std::string::npos)
      << bad.out;

  // The allowances silence each rule.
  p.revision("a003", "a002", "DROP TABLE t;", "CREATE TABLE t (v INTEGER);",
             "-- mig:allow destructive\n");
  p.revision("a004", "a003", "CREATE TABLE u (v INTEGER);", "<none>", "-- mig:irreversible\n");
  p.revision("a005", "a002", "DELETE FROM t;", "SELECT 1;",
             "-- mig:kind data\n-- mig:allow destructive\n");
  p.write("mig.toml", "[check]\nmax_heads = 2\n");
  Result allowed = p.mig({"check", "--json"});
  EXPECT_EQ(allowed.code, 0) << allowed.out;
  json j = json::parse(allowed.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["revisions"], 5);
  EXPECT_EQ(j["database_checked"], false);
}

TEST(Check, ParseErrorsAreFindings) {
  Project p;
  p.revision("a001", "", "SELECT 'open;", "SELECT 1;");
  Result r = p.mig({"--json", "check"});
  EXPECT_EQ(r.code, 1);
  json j = json::parse(r.out);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["rule"], "parse");
  EXPECT_EQ(j["findings"][0]["code"], "MG101");
  EXPECT_EQ(j["findings"][0]["severity"], "error");
  EXPECT_EQ(j["findings"][0]["line"], 5);
}

// Three revisions that break three rules: DS102, DS104 and MG104.
void three_problems(const Project& p) {
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.revision("a002", "a001", "DROP TABLE t;", "CREATE TABLE t (v INTEGER);");
  p.revision("a003", "a002", "CREATE TABLE u (v INTEGER);\nDELETE FROM u;", "<none>");
}

std::set<std::string> codes(const json& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) out.insert(f["code"].get<std::string>());
  return out;
}

TEST(Check, LevelsFromMigToml) {
  Project p;
  three_problems(p);
  json all = json::parse(p.mig({"check", "--json"}).out);
  EXPECT_EQ(codes(all["findings"]), (std::set<std::string>{"DS102", "DS104", "MG104"}));

  // A group's level, a code's level over it, and off.
  p.write("mig.toml",
          "[check.rules]\ndestructive = \"warning\"\nDS104 = \"off\"\nMG104 = \"warning\"\n");
  Result r = p.mig({"check"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // warnings do not fail the check
  EXPECT_NE(r.out.find("migrations/a002.sql:6: DS102 warning: table t dropped"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("MG104 warning: schema revision a003"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DS104"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("check: 3 revision(s), 0 problem(s), 2 warning(s)"), std::string::npos)
      << r.out;
  json j = json::parse(p.mig({"check", "--json"}).out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["errors"], 0);
  EXPECT_EQ(j["warnings"], 2);

  p.write("mig.toml", "[check.rules]\nMG104 = \"error\"\ndestructive = \"off\"\n");
  Result one = p.mig({"check", "--json"});
  EXPECT_EQ(one.code, 1);
  EXPECT_EQ(codes(json::parse(one.out)["findings"]), (std::set<std::string>{"MG104"}));
}

// On PostgreSQL the statements are read by its own parser (no server
// needed): the locking, data-dependent and design rules, warnings unless
// [check.rules] says otherwise.
TEST(Check, PostgresqlStatementsReadByItsParser) {
  Project p;
  p.write("mig.toml", "[database]\nurl = \"postgresql://nobody@%2Fnonexistent-mig-dir/app\"\n");
  p.revision("a001", "", "CREATE TABLE account (id bigint PRIMARY KEY, email text);",
             "DROP TABLE account;");
  Result clean = p.mig({"check"});
  EXPECT_EQ(clean.code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("check: 1 revision(s), 0 problem(s)"), std::string::npos) << clean.out;

  p.revision("a002", "a001",
             "ALTER TABLE account ADD COLUMN created timestamp;\n"
             "CREATE INDEX account_email ON account (email);",
             "DROP INDEX account_email;\nALTER TABLE account DROP COLUMN created;");
  Result warned = p.mig({"check"});
  EXPECT_EQ(warned.code, 0) << warned.out << warned.err;
  EXPECT_NE(warned.out.find("migrations/a002.sql:7: PG101 warning: index on existing table "
                            "account created without CONCURRENTLY (it blocks writes"),
            std::string::npos)
      << warned.out;
  EXPECT_NE(warned.out.find("a002.sql:6: DE102 warning: column account.created is timestamp "
                            "without time zone"),
            std::string::npos)
      << warned.out;
  EXPECT_NE(warned.out.find("a002.sql:6: PG110 warning: no lock_timeout"), std::string::npos)
      << warned.out;
  EXPECT_NE(warned.out.find("0 problem(s), 3 warning(s)"), std::string::npos) << warned.out;

  // A group made an error fails the check; a nolint still exempts.
  p.write("mig.toml",
          "[database]\nurl = \"postgresql://nobody@%2Fnonexistent-mig-dir/app\"\n"
          "[check.rules]\nlocking = \"error\"\n");
  Result strict = p.mig({"check", "--json"});
  EXPECT_EQ(strict.code, 1) << strict.out;
  json j = json::parse(strict.out);
  EXPECT_EQ(codes(j["findings"]), (std::set<std::string>{"DE102", "PG101", "PG110"}));
  EXPECT_EQ(j["errors"], 2);
  p.revision("a002", "a001",
             "SET lock_timeout = '3s';\nALTER TABLE account ADD COLUMN created timestamptz;\n"
             "-- mig:nolint PG101\nCREATE INDEX account_email ON account (email);",
             "DROP INDEX account_email;\nALTER TABLE account DROP COLUMN created;");
  Result exempt = p.mig({"check"});
  EXPECT_EQ(exempt.code, 0) << exempt.out;
  EXPECT_NE(exempt.out.find("0 problem(s)"), std::string::npos) << exempt.out;
  EXPECT_EQ(exempt.out.find("warning"), std::string::npos) << exempt.out;

  // A dropped column is an error by default, named as the parser read it;
  // what the parser refuses is MG106 at its line.
  p.revision("a003", "a002", "SET lock_timeout = '3s';\nALTER TABLE account DROP COLUMN email;",
             "ALTER TABLE account ADD COLUMN email text;");
  p.revision("a004", "a003", "SELECT 1;\nCREATE TABLE x (\n  id int PRIMARY KEY,\n);",
             "DROP TABLE x;");
  Result bad = p.mig({"check"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("migrations/a003.sql:7: DS103 column account.email dropped"),
            std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("migrations/a004.sql:9: MG106 PostgreSQL's parser: syntax error at or "
                         "near \")\""),
            std::string::npos)
      << bad.out;

  // SARIF carries each rule's default level.
  json sarif = json::parse(p.mig({"check", "--format", "sarif"}).out);
  std::map<std::string, std::string> levels;
  for (const auto& rule : sarif["runs"][0]["tool"]["driver"]["rules"])
    levels[rule["id"]] = rule["defaultConfiguration"]["level"];
  EXPECT_EQ(levels["PG101"], "warning");
  EXPECT_EQ(levels["DS103"], "error");
  EXPECT_EQ(levels["MG106"], "error");
}

TEST(Check, BadRuleSettingsAreConfigErrors) {
  Project p;
  three_problems(p);
  struct Case {
    std::string toml, says;
  };
  for (const Case& c : std::vector<Case>{
           {"[check.rules]\nDS999 = \"off\"\n",
            "mig.toml:2: check.rules.DS999: no rule or group of that name"},
           {"[check.rules]\nDS102 = \"fatal\"\n",
            "mig.toml:2: check.rules.DS102 must be \"error\", \"warning\" or \"off\", not "
            "\"fatal\""},
           {"[check.rules]\nMG101 = \"off\"\n",
            "mig.toml:2: check.rules.MG101: files that do not parse and a broken graph are always "
            "errors"},
           {"[check.rules]\nDS102 = 1\n", "mig.toml:2: check.rules.DS102 must be a string"},
           {"[check.naming]\ntables = \"^[a-z]+$\"\n",
            "mig.toml:2: check.naming.tables: the kinds are table, column, index, foreign_key and "
            "check"},
           {"[check.naming]\ntable = \"^[a-z+$\"\n",
            "mig.toml:2: check.naming.table is not a regular expression ("},
           {"[check]\nreplay = \"yes\"\n", "mig.toml:2: check.replay must be true or false"},
           {"[check]\nscratch_url = \"scratch.db\"\n",
            "mig.toml:2: check.scratch_url: not a database URL"},
       }) {
    p.write("mig.toml", c.toml);
    Result r = p.mig({"check"});
    EXPECT_EQ(r.code, 2) << c.toml << r.out;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.toml << r.err;
  }
}

// [check.naming]: each kind's pattern, on new names only, by parser and by
// tokens.
TEST(Check, NamingPatterns) {
  Project p;
  p.revision("a001", "",
             "CREATE TABLE Account (id INTEGER PRIMARY KEY, eMail TEXT, plan_id INTEGER,\n"
             "  CONSTRAINT account_plan FOREIGN KEY (plan_id) REFERENCES plan (id),\n"
             "  CONSTRAINT ck_email CHECK (eMail <> ''));\n"
             "CREATE INDEX email_idx ON Account (eMail);",
             "DROP TABLE Account;");
  Result none = p.mig({"check"});
  EXPECT_EQ(none.code, 0) << none.out;  // no pattern, no rule
  EXPECT_EQ(none.out.find("NM1"), std::string::npos) << none.out;
  std::string naming =
      "[check.naming]\ntable = \"[a-z][a-z0-9_]*\"\ncolumn = \"[a-z][a-z0-9_]*\"\n"
      "index = \"ix_.*\"\nforeign_key = \"fk_.*\"\ncheck = \"ck_.*\"\n";
  for (const char* url :
       {"", "[database]\nurl = \"postgresql://nobody@%2Fnonexistent-mig-dir/app\"\n"}) {
    p.write("mig.toml", std::string(url) + naming);
    Result r = p.mig({"check", "--json"});
    EXPECT_EQ(r.code, 1) << url << r.out << r.err;
    std::vector<std::string> got;
    json parsed = json::parse(r.out);
    for (const auto& f : parsed["findings"])
      if (f["code"].get<std::string>().rfind("NM", 0) == 0) got.push_back(f["message"]);
    bool pg = std::string(url).size() > 0;
    // PostgreSQL's parser folds the unquoted names to lower case, which
    // then match.
    V want = {"foreign key account_plan does not match [check.naming] foreign_key (fk_.*)",
              "index email_idx does not match [check.naming] index (ix_.*)"};
    if (!pg)
      want.insert(want.begin(),
                  {"table Account does not match [check.naming] table ([a-z][a-z0-9_]*)",
                   "column eMail does not match [check.naming] column ([a-z][a-z0-9_]*)"});
    EXPECT_EQ(got, want) << r.out;
  }
}

TEST(Check, NolintExemptsAStatementOrAFile) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);\nCREATE TABLE w (v INTEGER);",
             "DROP TABLE t;");
  // Before one statement: that statement only.
  p.revision("a002", "a001", "-- mig:nolint DS102\nDROP TABLE t;\nDROP TABLE w;", "SELECT 1;");
  json j = json::parse(p.mig({"check", "--json"}).out);
  ASSERT_EQ(j["findings"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["findings"][0]["code"], "DS102");
  EXPECT_EQ(j["findings"][0]["line"], 8);  // DROP TABLE w
  // A group before the statement.
  p.revision("a002", "a001", "DROP TABLE t;\n-- mig:nolint destructive\nDROP TABLE w;",
             "SELECT 1;");
  j = json::parse(p.mig({"check", "--json"}).out);
  ASSERT_EQ(j["findings"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["findings"][0]["line"], 6);  // DROP TABLE t
  // In the header: the whole file, for the rules named.
  p.revision("a002", "a001", "DROP TABLE t;\nDROP TABLE w;", "<none>",
             "-- mig:nolint DS102 MG104\n");
  Result clean = p.mig({"check"});
  EXPECT_EQ(clean.code, 0) << clean.out;

  // A code mig does not have is a finding of its own, where it is named.
  p.revision("a002", "a001", "-- mig:nolint DS102 XY123\nDROP TABLE t;", "SELECT 1;");
  Result unknown = p.mig({"check"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.out.find("migrations/a002.sql:7: MG105 -- mig:nolint names 'XY123', which is "
                             "no rule or group"),
            std::string::npos)
      << unknown.out;
  EXPECT_EQ(unknown.out.find("DS102"), std::string::npos) << unknown.out;

  // Malformed: parse errors, with the line.
  p.revision("a002", "a001", "-- mig:nolint ds-102\nDROP TABLE t;", "SELECT 1;");
  Result bad = p.mig({"check"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(
      bad.out.find(
          "migrations/a002.sql:6: MG101 -- mig:nolint takes rule codes (DS102) or group names, not "
          "'ds-102'"),
      std::string::npos)
      << bad.out;
  p.revision("a002", "a001", "DROP TABLE t;\n-- mig:nolint DS102", "SELECT 1;");
  bad = p.mig({"check"});
  EXPECT_NE(bad.out.find("migrations/a002.sql:7: MG101 -- mig:nolint in a section must be followed "
                         "by a statement"),
            std::string::npos)
      << bad.out;
  // The exemption is a comment to the runner: the checksum stays.
  p.revision("a002", "a001", "DROP TABLE t;", "SELECT 1;");
  std::string before = json::parse(p.mig({"show", "a002", "--json"}).out)["checksum"];
  p.revision("a002", "a001", "-- mig:nolint DS102\nDROP TABLE t;", "SELECT 1;");
  EXPECT_EQ(json::parse(p.mig({"show", "a002", "--json"}).out)["checksum"], before);
}

TEST(Check, GithubAnnotationsAndSarif) {
  Project p;
  three_problems(p);
  p.revision("b001", "", "CREATE TABLE x (v INTEGER);", "DROP TABLE x;");  // a second head
  p.write("mig.toml", "[check.rules]\nMG104 = \"warning\"\n");

  Result gh = p.mig({"check", "--format", "github"});
  EXPECT_EQ(gh.code, 1);
  EXPECT_NE(gh.out.find("::error file=migrations/a002.sql,line=6,title=mig DS102::table t "
                        "dropped (if intended"),
            std::string::npos)
      << gh.out;
  EXPECT_NE(gh.out.find("::warning file=migrations/a003.sql,line=1,title=mig MG104::"),
            std::string::npos)
      << gh.out;
  // No file: an annotation on the run; the message's own ':' and ',' stay.
  EXPECT_NE(gh.out.find("::error title=mig MG103::2 heads (a003, b001); at most 1"),
            std::string::npos)
      << gh.out;
  std::istringstream lines(gh.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line.rfind("check:", 0) != 0) {
      EXPECT_EQ(line.rfind("::", 0), 0u) << line;
    }

  Result sr = p.mig({"check", "--format", "sarif"});
  EXPECT_EQ(sr.code, 1);
  json s = json::parse(sr.out);
  EXPECT_EQ(s["version"], "2.1.0");
  EXPECT_TRUE(s["$schema"].get<std::string>().find("sarif") != std::string::npos);
  ASSERT_EQ(s["runs"].size(), 1u);
  const json& run = s["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "mig");
  std::set<std::string> rule_ids;
  for (const auto& rule : run["tool"]["driver"]["rules"]) {
    rule_ids.insert(rule["id"].get<std::string>());
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty()) << rule;
  }
  EXPECT_EQ(rule_ids.size(), mig::check_rules().size());
  ASSERT_EQ(run["results"].size(), 4u) << run["results"].dump(2);
  std::set<std::string> levels;
  for (const auto& result : run["results"]) {
    EXPECT_TRUE(rule_ids.count(result["ruleId"].get<std::string>())) << result;
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty()) << result;
    levels.insert(result["level"].get<std::string>());
    if (result["ruleId"] == "DS102") {
      const json& where = result["locations"][0]["physicalLocation"];
      EXPECT_EQ(where["artifactLocation"]["uri"], "migrations/a002.sql");
      EXPECT_EQ(where["region"]["startLine"], 6);
    }
    if (result["ruleId"] == "MG103") {
      EXPECT_FALSE(result.contains("locations")) << result;
    }
  }
  EXPECT_EQ(levels, (std::set<std::string>{"error", "warning"}));

  Result bad = p.mig({"check", "--format", "xml"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--format"), std::string::npos) << bad.err;
}

using CheckDatabase = Backends;

TEST_P(CheckDatabase, EditedAndMissingAppliedFiles) {
  chain();
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  EXPECT_EQ(mig({"check"}).code, 0);
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER, x INTEGER);", "DROP TABLE two;");
  boost::filesystem::remove(p / "migrations/a003.sql");
  Result r = mig({"check"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("applied revision a002 changed since"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("revision a003 is applied but no file defines it"), std::string::npos)
      << r.out;
  json j = json::parse(mig({"check", "--json"}).out);
  EXPECT_EQ(j["database_checked"], true);
  // The database's two (PostgreSQL adds its design warning for `two`).
  std::set<std::string> found = codes(j["findings"]);
  found.erase("DE101");
  EXPECT_EQ(found, (std::set<std::string>{"DB101", "DB102"}));
  EXPECT_EQ(j["errors"], 2);
}

// The same counts on each backend, for what its statements say by tokens
// (SQLite, MySQL) or by PostgreSQL's parser.
TEST_P(CheckDatabase, RowsConfirmOrClearDataDependentFindings) {
  p.revision("a001", "",
             "CREATE TABLE plan (id INTEGER PRIMARY KEY);\n"
             "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(50), plan_id INTEGER);",
             "DROP TABLE account;\nDROP TABLE plan;");
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  db.execute("INSERT INTO plan VALUES (1)");
  db.execute("INSERT INTO account VALUES (1, 'a@x', 1), (2, 'a@x', 9), (3, 'b@x', 1)");
  std::string up =
      "CREATE UNIQUE INDEX account_email ON account (email);\n"
      "ALTER TABLE account ADD COLUMN score INTEGER NOT NULL;";
  if (mysql())
    up +=
        "\nALTER TABLE account ADD CONSTRAINT plan_fk FOREIGN KEY (plan_id) REFERENCES plan (id);";
  p.revision("a002", "a001", up, "SELECT 1;");
  auto findings = [&] {
    Result r = mig({"check", "--json"});
    std::map<std::string, json> out;
    json parsed = json::parse(r.out);
    for (const auto& one : parsed["findings"]) out[one["code"].get<std::string>()] = one;
    return out;
  };
  auto f = findings();
  EXPECT_EQ(f["MF101"]["confirmed"], true) << f["MF101"];
  EXPECT_EQ(f["MF101"]["severity"], "error");
  EXPECT_NE(f["MF101"]["message"].get<std::string>().find(
                ": 1 value of (email) appears more than once in the database"),
            std::string::npos)
      << f["MF101"];
  if (mysql()) {
    EXPECT_EQ(f.count("MF102"), 0u);  // MySQL fills the rows with the type's zero
  } else {
    EXPECT_NE(f["MF102"]["message"].get<std::string>().find(": 3 rows in account in the database"),
              std::string::npos)
        << f["MF102"];
  }
  if (mysql()) {
    EXPECT_NE(f["MF105"]["message"].get<std::string>().find(
                  ": 1 row of account points at no row of plan in the database"),
              std::string::npos)
        << f["MF105"];
  }
  EXPECT_EQ(db.query("SELECT count(*) FROM account"), (std::vector<std::string>{"3"}));

  db.execute("DELETE FROM account");
  f = findings();
  for (const char* code : {"MF101", "MF102", "MF105"}) EXPECT_EQ(f.count(code), 0u) << code;

  // Rows an earlier statement of a pending revision writes, or a column one
  // adds, cannot be counted now: those findings stay warnings.
  db.execute("INSERT INTO account VALUES (1, 'a@x', 1), (2, 'a@x', 1)");
  p.revision("a002", "a001",
             "DELETE FROM account WHERE id = 2;\n"
             "CREATE UNIQUE INDEX account_email ON account (email);",
             "SELECT 1;");
  p.revision("a003", "a002",
             "ALTER TABLE plan ADD COLUMN code VARCHAR(10);\n"
             "CREATE UNIQUE INDEX plan_code ON plan (code);",
             "SELECT 1;");
  Result r = mig({"check", "--json"});
  json parsed = json::parse(r.out);
  int mf101 = 0;
  for (const auto& one : parsed["findings"])
    if (one["code"] == "MF101") {
      ++mf101;
      EXPECT_EQ(one["confirmed"], false) << one;
      EXPECT_EQ(one["severity"], "warning") << one;
    }
  EXPECT_EQ(mf101, 2) << r.out;
}

// A SQLite rebuild that renames the old table first (rename, make, copy,
// drop the renamed one): the replay sees the table there again, so it is a
// rebuild (LT101 for the index the rename took along) and no rename for
// the code before (BC101, which the statements alone give).
TEST(CheckReplay, SqliteRebuildThatRenamesFirst) {
  Project p;
  p.revision("a001", "",
             "CREATE TABLE account (id INTEGER PRIMARY KEY, n INTEGER);\n"
             "CREATE INDEX account_n ON account (n);",
             "DROP TABLE account;");
  p.revision("a002", "a001",
             "ALTER TABLE account RENAME TO account_old;\n"
             "CREATE TABLE account (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0);\n"
             "INSERT INTO account SELECT id, coalesce(n, 0) FROM account_old;\n"
             "DROP TABLE account_old;",
             "SELECT 1;", "-- mig:nolint DS102\n");
  auto codes_of = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"check", "--json"});
    Result r = p.mig(args);
    std::map<std::string, std::vector<std::string>> out;
    json parsed = json::parse(r.out);
    for (const auto& one : parsed["findings"])
      out[one["code"].get<std::string>()].push_back(one["message"]);
    return out;
  };
  auto f = codes_of({"--replay"});
  EXPECT_EQ(f["LT101"],
            (std::vector<std::string>{"table account rebuilt without its index account_n (n)"}))
      << json(f).dump();
  EXPECT_EQ(f.count("BC101"), 0u) << json(f).dump();
  f = codes_of({});
  EXPECT_EQ(f["BC101"], (std::vector<std::string>{"table account renamed to account_old"}))
      << json(f).dump();
  EXPECT_EQ(f.count("LT101"), 0u);
}

// With a database, a table or column that a pending revision drops is
// named with what it holds there, on every backend; without one, only
// named.
TEST_P(CheckDatabase, DropsSayWhatTheyLose) {
  p.revision("a001", "",
             "CREATE TABLE plan (id INTEGER PRIMARY KEY);\n"
             "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(50), note VARCHAR(50));",
             "DROP TABLE account;\nDROP TABLE plan;");
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  db.execute("INSERT INTO account VALUES (1, 'a@x', NULL), (2, NULL, NULL)");
  p.revision("a002", "a001",
             "ALTER TABLE account DROP COLUMN email;\nALTER TABLE account DROP COLUMN note;\n"
             "DROP TABLE plan;\nDROP TABLE account;",
             "SELECT 1;");
  auto drops = [&](const std::map<std::string, std::string>& env) {
    Result r = p.mig({"check", "--json"}, env);
    json parsed = json::parse(r.out);
    std::vector<std::string> out;
    for (const auto& one : parsed["findings"])
      if (one["code"] == "DS102" || one["code"] == "DS103")
        out.push_back(one["code"].get<std::string>() + " " + one["message"].get<std::string>());
    return out;
  };
  EXPECT_EQ(drops({{"DATABASE_URL", db.url()}}),
            (std::vector<std::string>{
                "DS103 column account.email dropped (1 row with a value in the database)",
                "DS103 column account.note dropped (NULL in every row in the database)",
                "DS102 table plan dropped (empty in the database)",
                "DS102 table account dropped (2 rows in the database)"}));
  EXPECT_EQ(drops({}),
            (std::vector<std::string>{"DS103 column account.email dropped",
                                      "DS103 column account.note dropped",
                                      "DS102 table plan dropped", "DS102 table account dropped"}));
}

// The revisions replayed on a scratch database: what a table is at the end
// of a revision against what it was, whatever statements got it there (a
// SQLite rebuild, MySQL's MODIFY, PostgreSQL's ALTER TYPE).
TEST_P(CheckDatabase, ReplayShowsWhatEachRevisionChanged) {
  TestDatabase scratch{GetParam(), p / "var/scratch.db"};
  p.revision("a001", "",
             "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(50), legacy VARCHAR(10), "
             "n INTEGER);\nCREATE INDEX account_n ON account (n);",
             "DROP TABLE account;");
  std::string up;
  switch (GetParam()) {
    case Kind::SQLite:
      up = "CREATE TABLE account_new (id INTEGER PRIMARY KEY, email VARCHAR(20) NOT NULL, n "
           "BIGINT);\nINSERT INTO account_new SELECT id, email, n FROM account;\n"
           "DROP TABLE account;\nALTER TABLE account_new RENAME TO account;";
      break;
    case Kind::PostgreSQL:
      up = "SET lock_timeout = '3s';\n"
           "ALTER TABLE account ALTER COLUMN email TYPE VARCHAR(20), ALTER email SET NOT NULL, "
           "ALTER n TYPE BIGINT, DROP COLUMN legacy;";
      break;
    case Kind::MySQL:
      up = "ALTER TABLE account MODIFY email VARCHAR(20) NOT NULL, MODIFY n BIGINT, "
           "DROP COLUMN legacy;";
      break;
  }
  p.revision("a002", "a001", up, "SELECT 1;", "-- mig:nolint DS102\n");
  std::string scratch_url = scratch.url();
  auto findings = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"check", "--json"});
    Result r = p.mig(args, {{"DATABASE_URL", db.url()}});
    std::map<std::string, std::vector<std::string>> out;
    json parsed = json::parse(r.out);
    for (const auto& one : parsed["findings"])
      out[one["code"].get<std::string>()].push_back(one["message"]);
    return out;
  };
  auto f = findings({"--scratch", scratch_url});
  if (GetParam() == Kind::SQLite) {
    // SQLite enforces no varchar length, and INTEGER to BIGINT keeps the
    // affinity: nothing narrows there.
    EXPECT_EQ(f.count("DS106"), 0u) << json(f).dump();
  } else {
    ASSERT_EQ(f["DS106"].size(), 1u) << json(f).dump();  // n only widened
    EXPECT_NE(f["DS106"][0].find("column account.email changed from "), std::string::npos)
        << f["DS106"][0];
    EXPECT_NE(f["DS106"][0].find("(20), which may not hold every value"), std::string::npos)
        << f["DS106"][0];
  }
  EXPECT_EQ(f["DS103"], (std::vector<std::string>{"column account.legacy dropped"}));
  ASSERT_EQ(f["MF103"].size(), 1u) << json(f).dump();
  // The SQLite rebuild forgot the index.
  if (GetParam() == Kind::SQLite) {
    EXPECT_EQ(f["LT101"],
              (std::vector<std::string>{"table account rebuilt without its index account_n (n)"}));
  } else {
    EXPECT_EQ(f.count("LT101"), 0u);
  }
  // MySQL copies the table for both its type changes.
  EXPECT_EQ(f["MY101"].size(), GetParam() == Kind::MySQL ? 2u : 0u) << json(f).dump();
  EXPECT_EQ(f["MF103"][0].rfind("column account.email made NOT NULL", 0), 0u);
  // The project's own database is never a scratch one.
  Result own = p.mig({"check", "--scratch", db.url()}, {{"DATABASE_URL", db.url()}});
  EXPECT_EQ(own.code, 2) << own.out << own.err;
  EXPECT_NE(own.err.find("must not be the project's own"), std::string::npos) << own.err;
  // A scratch database named is emptied after the replay, so the next
  // check can use it and finds the same.
  EXPECT_TRUE(scratch.tables().empty()) << ::testing::PrintToString(scratch.tables());
  EXPECT_EQ(findings({"--scratch", scratch_url})["DS103"],
            (std::vector<std::string>{"column account.legacy dropped"}));
  EXPECT_TRUE(scratch.tables().empty()) << ::testing::PrintToString(scratch.tables());
  // Also when a revision fails there, in its transaction on PostgreSQL.
  p.revision("a003", "a002",
             "CREATE TABLE half (id INTEGER PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);",
             "SELECT 1;");
  for (int run = 0; run < 2; ++run) {
    f = findings({"--scratch", scratch_url});
    ASSERT_EQ(f["MG107"].size(), 1u) << json(f).dump();
    EXPECT_EQ(f["MG107"][0].find("empty scratch"), std::string::npos) << f["MG107"][0];
    EXPECT_TRUE(scratch.tables().empty()) << ::testing::PrintToString(scratch.tables());
  }
  std::remove((p / "migrations/a003.sql").c_str());
  // One that holds something is refused, and left as it is.
  scratch.execute("CREATE TABLE keep (id INTEGER)");
  Result held = p.mig({"check", "--scratch", scratch_url}, {{"DATABASE_URL", db.url()}});
  EXPECT_EQ(held.code, 2) << held.out << held.err;
  EXPECT_NE(held.err.find("needs an empty scratch database"), std::string::npos) << held.err;
  EXPECT_EQ(scratch.tables(), (std::vector<std::string>{"keep"}));

  // Without a replay (the default) only what the statements say: nothing of
  // the rebuild; MySQL's statement is one DS106 for its MODIFYs (its words
  // do not say what the columns were) and the column it drops, named.
  f = findings({});
  if (GetParam() == Kind::SQLite) {
    EXPECT_EQ(f.count("DS103"), 0u);
  } else {
    EXPECT_EQ(f["DS103"], (std::vector<std::string>{"column account.legacy dropped"}));
  }
  EXPECT_EQ(f["DS106"].size(), GetParam() == Kind::SQLite  ? 0u
                               : GetParam() == Kind::MySQL ? 1u
                                                           : 2u)
      << json(f).dump();
  EXPECT_EQ(f.count("MF103"), GetParam() == Kind::PostgreSQL ? 1u : 0u);
  if (GetParam() == Kind::SQLite) {
    // On SQLite --replay needs no --scratch: a temporary file; a revision
    // that fails there is a warning, and nothing after it is replayed.
    f = findings({"--replay"});
    EXPECT_EQ(f["DS103"].size(), 1u);
    p.revision("a003", "a002", "INSERT INTO nowhere VALUES (1);", "SELECT 1;");
    f = findings({"--replay"});
    ASSERT_EQ(f["MG107"].size(), 1u);
    EXPECT_EQ(f["MG107"][0], "fails on the scratch database: no such table: nowhere");
  } else {
    Result bare = p.mig({"check", "--replay"}, {{"DATABASE_URL", db.url()}});
    EXPECT_EQ(bare.code, 2);
    EXPECT_NE(bare.err.find("needs a scratch database: --scratch URL (or [check] scratch_url"),
              std::string::npos)
        << bare.err;
  }

  // [check] replay in mig.toml asks for the replay on every check (SQLite:
  // the temporary file); --no-replay turns it off; [check] scratch_url says
  // where, and an error about it names the setting, not a flag.
  p.write("mig.toml", "[check]\nreplay = true\n");
  if (GetParam() == Kind::SQLite) {
    EXPECT_EQ(findings({})["DS103"].size(), 1u);
  } else {
    Result unplaced = p.mig({"check"}, {{"DATABASE_URL", db.url()}});
    EXPECT_EQ(unplaced.code, 2) << unplaced.out;
    EXPECT_NE(unplaced.err.find("needs a scratch database"), std::string::npos) << unplaced.err;
    // The scratch database above holds a table now.
    p.write("mig.toml", "[check]\nreplay = true\nscratch_url = \"" + scratch_url + "\"\n");
    Result used = p.mig({"check"}, {{"DATABASE_URL", db.url()}});
    EXPECT_EQ(used.code, 2) << used.out;
    EXPECT_NE(used.err.find("[check] scratch_url in mig.toml: check needs an empty scratch "
                            "database"),
              std::string::npos)
        << used.err;
    EXPECT_EQ(used.err.find("mig-test-pw"), std::string::npos) << used.err;
  }
  EXPECT_EQ(findings({"--no-replay"}).count("DS103"), GetParam() == Kind::SQLite ? 0u : 1u);
  Result both = p.mig({"check", "--replay", "--no-replay"}, {{"DATABASE_URL", db.url()}});
  EXPECT_EQ(both.code, 2) << both.out;
  // A scratch_url alone does not ask for the replay.
  p.write("mig.toml", "[check]\nscratch_url = \"" + scratch_url + "\"\n");
  Result alone = p.mig({"check"}, {{"DATABASE_URL", db.url()}});
  EXPECT_EQ(alone.err.find("scratch"), std::string::npos) << alone.err;
}

// MySQL's reserved words are the server's: with a database, each new table
// and column name is tried unquoted in a CREATE TABLE that the server
// prepares and never runs. `user` is no reserved word on MariaDB (it is on
// PostgreSQL), `name` and `status` are none anywhere.
TEST(CheckData, MysqlReservedWordsAreTheServersOwn) {
  Project p;
  TestDatabase db{Kind::MySQL, p / "var/mig.db"};
  p.write("mig.toml", "[database]\nurl = \"" + db.url() + "\"\n");
  p.revision("a001", "",
             "CREATE TABLE `rows` (id int PRIMARY KEY, `range` int, name int, user int);\n"
             "ALTER TABLE `rows` ADD COLUMN `div` int;\nALTER TABLE `rows` ADD COLUMN status int;",
             "DROP TABLE `rows`;");
  auto reserved = [&](const std::map<std::string, std::string>& env) {
    Result r = p.mig({"check", "--json"}, env);
    std::vector<std::string> out;
    json parsed = json::parse(r.out);
    for (const auto& one : parsed["findings"])
      if (one["code"] == "DE110")
        out.push_back(std::to_string(one["line"].get<int>()) + " " +
                      one["message"].get<std::string>());
    return out;
  };
  EXPECT_EQ(reserved({{"DATABASE_URL", db.url()}}),
            (std::vector<std::string>{
                "5 table rows is a word MySQL/MariaDB reserves: it must be quoted wherever it is "
                "named",
                "5 column range is a word MySQL/MariaDB reserves: it must be quoted wherever it is "
                "named",
                "6 column div is a word MySQL/MariaDB reserves: it must be quoted wherever it is "
                "named"}));
  // The server ran nothing: no table, no prepared statement left.
  EXPECT_TRUE(db.tables().empty()) << ::testing::PrintToString(db.tables());
  // Without a database named there is no parser to ask.
  EXPECT_EQ(reserved({}), std::vector<std::string>{});
}

// With a PostgreSQL database, the data-dependent rules of the revisions it
// has not applied count the rows they would fail on: found, the warning
// becomes an error with the count; none, it goes. Drops say what they lose.
TEST(CheckData, PostgresqlRowsDecide) {
  Project p;
  TestDatabase db{Kind::PostgreSQL, p / "var/mig.db"};
  std::map<std::string, std::string> env{{"DATABASE_URL", db.url()}};
  p.write("mig.toml", "[database]\nurl = \"postgresql://nobody@%2Fnonexistent-mig-dir/app\"\n");
  p.revision("a001", "",
             "CREATE TABLE plan (id int PRIMARY KEY);\n"
             "CREATE TABLE account (id int PRIMARY KEY, email text, plan_id int, n int);",
             "DROP TABLE account;\nDROP TABLE plan;");
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  db.execute("INSERT INTO plan VALUES (1)");
  db.execute(
      "INSERT INTO account VALUES (1, 'a@x', 1, 1), (2, 'a@x', 1, -1), (3, 'b@x', 7, 2), "
      "(4, NULL, NULL, 3), (5, 'b@x', 8, 4), (6, 'c@x', 1, 5)");
  std::string up =
      "SET lock_timeout = '3s';\n"
      "CREATE UNIQUE INDEX CONCURRENTLY account_email ON account (email);\n"
      "ALTER TABLE account ALTER COLUMN email SET NOT NULL;\n"
      "ALTER TABLE account ADD CONSTRAINT n_positive CHECK (n > 0 AND (n <> 99));\n"
      "ALTER TABLE account ADD CONSTRAINT plan_fk FOREIGN KEY (plan_id) REFERENCES plan;\n"
      "ALTER TABLE account ADD COLUMN score int NOT NULL;\n"
      "ALTER TABLE account DROP COLUMN n;";
  p.revision("a002", "a001", up, "SELECT 1;", "-- mig:transaction off\n");
  auto findings = [&](const Result& r) {
    std::map<std::string, json> out;
    json parsed = json::parse(r.out);
    for (const auto& one : parsed["findings"]) out[one["code"].get<std::string>()] = one;
    return out;
  };

  // Files only: warnings, no counts.
  Result files = p.mig({"check", "--json"});
  EXPECT_EQ(files.code, 1) << files.out;  // DS103
  auto f = findings(files);
  EXPECT_EQ(f["MF101"]["severity"], "warning");
  EXPECT_EQ(f["MF101"]["confirmed"], false);

  Result live = p.mig({"check", "--json"}, env);
  EXPECT_EQ(live.code, 1) << live.out << live.err;
  f = findings(live);
  auto confirmed = [&](const char* code, const std::string& says) {
    EXPECT_EQ(f[code]["severity"], "error") << code;
    EXPECT_EQ(f[code]["confirmed"], true) << code;
    EXPECT_NE(f[code]["message"].get<std::string>().find(says), std::string::npos)
        << code << ": " << f[code]["message"];
  };
  confirmed("MF101", ": 2 values of (email) appear more than once in the database");
  confirmed("MF103", ": 1 row of account holds NULL there in the database");
  confirmed("MF104", ": 1 row of account violates it in the database");
  confirmed("MF105", ": 2 rows of account point at no row of plan in the database");
  confirmed("MF102", ": 6 rows in account in the database");
  EXPECT_NE(f["DS103"]["message"].get<std::string>().find(
                "column account.n dropped (6 rows with a value in the database)"),
            std::string::npos)
      << f["DS103"];
  // What the probes read is rolled back, and nothing was written.
  EXPECT_EQ(db.query("SELECT count(*) FROM account"), (V{"6"}));
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_indexes WHERE indexname = 'account_email'"),
            (V{"0"}));

  // Clean rows: the data-dependent findings go; the rest stay.
  db.execute("DELETE FROM account WHERE id <> 1");
  live = p.mig({"check", "--json"}, env);
  f = findings(live);
  for (const char* code : {"MF101", "MF103", "MF104", "MF105"})
    EXPECT_EQ(f.count(code), 0u) << code;
  confirmed("MF102", ": 1 row in account in the database");
  db.execute("DELETE FROM account");
  live = p.mig({"check", "--json"}, env);
  f = findings(live);
  EXPECT_EQ(f.count("MF102"), 0u);
  EXPECT_NE(f["DS103"]["message"].get<std::string>().find("(NULL in every row in the database)"),
            std::string::npos)
      << f["DS103"];
  EXPECT_EQ(f["PG104"]["severity"], "warning");  // the static rules do not change
  // Fixed by the same revision first: not confirmed, still a warning.
  db.execute("INSERT INTO account (id, email) VALUES (10, NULL)");
  p.revision("a002", "a001",
             "UPDATE account SET email = 'z' WHERE email IS NULL;\n"
             "ALTER TABLE account ALTER COLUMN email SET NOT NULL;",
             "SELECT 1;");
  live = p.mig({"check", "--json"}, env);
  f = findings(live);
  EXPECT_EQ(f["MF103"]["confirmed"], false) << f["MF103"];
  EXPECT_EQ(f["MF103"]["severity"], "warning") << f["MF103"];
  db.execute("DELETE FROM account");

  // An applied revision is not looked at again; one whose table is not
  // there yet keeps its static finding.
  p.revision("a003", "a002", "SET lock_timeout = '3s';\nCREATE TABLE later (id int PRIMARY KEY);",
             "DROP TABLE later;");
  p.revision("a004", "a003",
             "SET lock_timeout = '3s';\nALTER TABLE later ADD COLUMN x int NOT NULL;",
             "ALTER TABLE later DROP COLUMN x;");
  live = p.mig({"check", "--json"}, env);
  f = findings(live);
  EXPECT_EQ(f["MF102"]["revision"], "a004");
  EXPECT_EQ(f["MF102"]["confirmed"], false);
  EXPECT_EQ(f["MF102"]["severity"], "warning");
}

INSTANTIATE_TEST_SUITE_P(All, CheckDatabase, ::testing::ValuesIn(all_backends()), backend_name);

}  // namespace
}  // namespace mig::e2e

namespace mig::e2e {
namespace {

// a002 and a003 each drop a table a001 made: DS102 in both.
void two_drops(const Project& p) {
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);\nCREATE TABLE u (v INTEGER);",
             "DROP TABLE u;\nDROP TABLE t;");
  p.revision("a002", "a001", "DROP TABLE t;", "CREATE TABLE t (v INTEGER);");
  p.revision("a003", "a002", "DROP TABLE u;", "CREATE TABLE u (v INTEGER);");
}

std::set<std::string> flagged(const Result& r) {
  std::set<std::string> out;
  json j = json::parse(r.out);
  for (const auto& f : j["findings"]) out.insert(f["revision"].get<std::string>());
  return out;
}

void git(const Project& p, const std::string& args) {
  std::string command =
      "git -C '" + p.path() + "' -c user.name=t -c user.email=t@t " + args + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(Check, SinceARevision) {
  Project p;
  two_drops(p);
  EXPECT_EQ(flagged(p.mig({"check", "--json"})), (std::set<std::string>{"a002", "a003"}));
  Result since = p.mig({"check", "--since", "a002"});
  EXPECT_EQ(since.code, 1);
  EXPECT_EQ(since.out.find("a002.sql"), std::string::npos) << since.out;
  EXPECT_NE(since.out.find("a003.sql:6: DS102"), std::string::npos) << since.out;
  EXPECT_NE(since.out.find("check: 3 revision(s) (1 selected by --since a002), 1 problem(s)"),
            std::string::npos)
      << since.out;
  EXPECT_EQ(p.mig({"check", "--since", "a003"}).code, 0);
  // From mig.toml, and the flag over it.
  p.write("mig.toml", "[check]\nsince = \"a003\"\n");
  EXPECT_EQ(p.mig({"check"}).code, 0);
  EXPECT_EQ(flagged(p.mig({"check", "--json", "--since", "a001"})),
            (std::set<std::string>{"a002", "a003"}));
  // The graph rules still look at everything.
  p.revision("b001", "", "CREATE TABLE x (v INTEGER);", "DROP TABLE x;");
  Result heads = p.mig({"check"});
  EXPECT_EQ(heads.code, 1);
  EXPECT_NE(heads.out.find("MG103 2 heads"), std::string::npos) << heads.out;

  Result unknown = p.mig({"check", "--since", "zz99"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("zz99"), std::string::npos) << unknown.err;
}

TEST(Check, OnlyFilesChangedSinceAGitBase) {
  Project p;
  two_drops(p);
  boost::filesystem::remove(p / "migrations/a003.sql");
  git(p, "init -q -b main");
  git(p, "add -A");
  git(p, "commit -q -m base");
  EXPECT_EQ(flagged(p.mig({"check", "--json", "--git-base", "main"})), std::set<std::string>{});
  // A new file, not yet added: in.
  two_drops(p);
  EXPECT_EQ(flagged(p.mig({"check", "--json", "--git-base", "main"})),
            (std::set<std::string>{"a003"}));
  // Committed on a branch: still in, as in a pull request.
  git(p, "checkout -q -b feature");
  git(p, "add -A");
  git(p, "commit -q -m a003");
  EXPECT_EQ(flagged(p.mig({"check", "--json", "--git-base", "main"})),
            (std::set<std::string>{"a003"}));
  // An old file edited (uncommitted): in too.
  p.revision("a002", "a001", "DROP TABLE t;\nSELECT 1;", "CREATE TABLE t (v INTEGER);");
  EXPECT_EQ(flagged(p.mig({"check", "--json", "--git-base", "main"})),
            (std::set<std::string>{"a002", "a003"}));
  // With --since as well: both narrow.
  EXPECT_EQ(flagged(p.mig({"check", "--json", "--git-base", "main", "--since", "a002"})),
            (std::set<std::string>{"a003"}));

  Result bad = p.mig({"check", "--git-base", "no-such-branch"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("--git-base no-such-branch: git merge-base failed in migrations: fatal:"),
            std::string::npos)
      << bad.err;
}

TEST(Check, OnlyRevisionsTheDatabaseHasNotApplied) {
  Project p;
  two_drops(p);
  std::string url = "sqlite:" + (p / "app.db");
  ASSERT_EQ(p.mig({"--url", url, "upgrade", "a002"}).code, 0);
  Result r = p.mig({"--url", url, "check", "--json", "--pending"});
  EXPECT_EQ(flagged(r), (std::set<std::string>{"a003"})) << r.out;
  Result none = p.mig({"check", "--pending"}, {{"DATABASE_URL", ""}});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("check --pending needs a database"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace mig::e2e
