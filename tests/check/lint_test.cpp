#include "check/lint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "../graph_support.h"
#include "check/changes.h"
#include "errors.h"
#include "script/revision_file.h"

namespace mig {
namespace {

using V = std::vector<std::string>;

std::string kind(const std::string& sql, Dialect d = Dialect::PostgreSQL) {
  auto sts = split_statements(sql, d, "t.sql");
  return sts.empty() ? "?" : destructive_kind(sts[0]);
}

TEST(Lint, DestructiveStatements) {
  EXPECT_EQ(kind("DROP TABLE account"), "DROP TABLE");
  EXPECT_EQ(kind("drop  table IF EXISTS account"), "DROP TABLE");
  EXPECT_EQ(kind("ALTER TABLE account DROP COLUMN email"), "DROP COLUMN");
  EXPECT_EQ(kind("ALTER TABLE account DROP email", Dialect::MySQL), "DROP COLUMN");
  EXPECT_EQ(kind("TRUNCATE account"), "TRUNCATE");
  EXPECT_EQ(kind("DELETE FROM account"), "DELETE without WHERE");
  EXPECT_EQ(kind("UPDATE account SET email = NULL"), "UPDATE without WHERE");
  EXPECT_EQ(kind("ALTER TABLE account ALTER COLUMN id TYPE bigint"), "ALTER ... TYPE");
  EXPECT_EQ(kind("ALTER TABLE account ALTER id SET DATA TYPE bigint"), "ALTER ... TYPE");
  EXPECT_EQ(kind("ALTER TABLE account MODIFY id BIGINT", Dialect::MySQL), "ALTER ... MODIFY");
}

TEST(Lint, SafeStatementsAreNotFooledByCommentsOrStrings) {
  EXPECT_EQ(kind("DELETE FROM account WHERE id = 1"), "");
  EXPECT_EQ(kind("UPDATE account SET v = 1 WHERE id IN (SELECT id FROM t LIMIT 10)"), "");
  EXPECT_EQ(kind("INSERT INTO log VALUES ('DROP TABLE account')"), "");
  EXPECT_EQ(kind("-- DROP TABLE account\nCREATE TABLE x (a int)"), "");
  EXPECT_EQ(kind("CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql"), "");
  EXPECT_EQ(kind("ALTER TABLE account DROP CONSTRAINT account_pk"), "");
  EXPECT_EQ(kind("ALTER TABLE account ALTER COLUMN email DROP NOT NULL"), "");
  EXPECT_EQ(kind("ALTER TABLE account ALTER COLUMN email DROP DEFAULT"), "");
  EXPECT_EQ(kind("ALTER TABLE account ADD COLUMN type TEXT"), "");
  EXPECT_EQ(kind("ALTER TABLE account ALTER COLUMN type SET DEFAULT 'x'"), "");
  EXPECT_EQ(kind("DROP INDEX account_email_idx"), "");
}

Revision parse(const std::string& text) { return parse_revision(text, "r.sql", Dialect::SQLite); }

TEST(Lint, RulesAndTheirAllowances) {
  std::vector<Revision> revs = {
      parse("-- mig:revision a001\n-- mig:upgrade\nCREATE TABLE t (v INT);\n"),  // no downgrade
      parse("-- mig:revision a002\n-- mig:parent a001\n-- mig:irreversible\n-- mig:upgrade\n"
            "CREATE TABLE u (v INT);\n"),
      parse("-- mig:revision a003\n-- mig:parent a002\n-- mig:upgrade\nDROP TABLE t;\n"
            "-- mig:downgrade\nCREATE TABLE t (v INT);\n"),
      parse("-- mig:revision a004\n-- mig:parent a003\n-- mig:allow destructive\n-- mig:upgrade\n"
            "DROP TABLE u;\n-- mig:downgrade\nCREATE TABLE u (v INT);\n"),
      parse("-- mig:revision a005\n-- mig:parent a001\n-- mig:kind data\n-- mig:upgrade\n"
            "UPDATE t SET v = 1 WHERE v IS NULL;\n"),  // data: no downgrade needed
  };
  RevisionGraph g(revs);
  auto findings = lint(g, LintOptions{});
  std::vector<std::string> got;
  for (const auto& f : findings) got.push_back(f.rule + ":" + f.revision);
  EXPECT_EQ(got, (std::vector<std::string>{"heads:", "downgrade:a001", "destructive:a003"}));
  EXPECT_EQ(findings[2].line, 4);
  EXPECT_EQ(lint(g, LintOptions{2}).size(), 2u);  // two heads allowed
}

// A table the upgrade makes itself (a scratch table, a rebuild's new one)
// may be dropped again; a table it did not make may not.
TEST(Lint, DroppingATableTheUpgradeMadeItselfIsNotDestructive) {
  std::vector<Revision> revs = {
      parse("-- mig:revision a001\n-- mig:upgrade\nCREATE TEMP TABLE \"_check\" (v INT);\n"
            "CREATE TABLE main.Work (v INT);\nDROP TABLE temp._check;\n"
            "DROP TABLE IF EXISTS \"work\";\n-- mig:downgrade\nSELECT 1;\n"),
      parse("-- mig:revision a002\n-- mig:parent a001\n-- mig:upgrade\nCREATE TABLE n (v INT);\n"
            "DROP TABLE t;\n-- mig:downgrade\nSELECT 1;\n"),
  };
  auto findings = lint(RevisionGraph(revs), LintOptions{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].revision, "a002");
  EXPECT_EQ(findings[0].line, 5);
  // Drops that do lose a table the upgrade did not make are still caught.
  for (const char* sql : {
           "CREATE TABLE [scratch] (x INT);\nDROP TABLE [users];",
           "CREATE TABLE IF NOT EXISTS users (x INT);\nDROP TABLE users;",  // may make nothing
           "CREATE TEMP TABLE users AS SELECT * FROM main.users;\nDROP TABLE main.users;",
           "CREATE TEMP TABLE t (x INT);\nDROP TABLE t;\nDROP TABLE t;",  // the second is main.t
           "CREATE TABLE x (a INT);\nALTER TABLE x RENAME TO old_x;\n"
           "ALTER TABLE users RENAME TO x;\nDROP TABLE x;",  // that is users' data
           "CREATE TABLE [my table] (a INT);\nDROP TABLE [my];",
       }) {
    std::vector<Revision> one = {parse(std::string("-- mig:revision b001\n-- mig:upgrade\n") + sql +
                                       "\n-- mig:downgrade\nSELECT 1;\n")};
    auto found = lint(RevisionGraph(one), LintOptions{});
    // (Renaming users is also BC101.)
    EXPECT_EQ(std::count_if(found.begin(), found.end(),
                            [](const Finding& f) { return f.code == "DS102"; }),
              1)
        << sql;
  }
  std::vector<Revision> bracketed = {
      parse("-- mig:revision c001\n-- mig:upgrade\nCREATE TABLE [tmp] (x INT);\n"
            "ALTER TABLE tmp ADD COLUMN y INT;\nDROP TABLE [tmp];\n-- mig:downgrade\nSELECT 1;\n")};
  EXPECT_TRUE(lint(RevisionGraph(bracketed), LintOptions{}).empty());
}

// PostgreSQL: statements read by PostgreSQL's own parser (from the module
// beside this executable), every rule triggered and passed.
std::vector<std::string> pg(const std::string& upgrade, const std::string& header = "") {
  Revision r = parse_revision("-- mig:revision p001\n" + header + "-- mig:upgrade\n" + upgrade +
                                  "\n-- mig:downgrade\nSELECT 1;\n",
                              "p.sql", Dialect::PostgreSQL);
  LintOptions options;
  options.dialect = Dialect::PostgreSQL;
  options.parser = postgresql_parser("");
  std::vector<std::string> out;
  for (const auto& f : lint(RevisionGraph({r}), options))
    out.push_back(f.code + "@" + std::to_string(f.line) + " " + f.message);
  return out;
}

std::vector<std::string> codes(const std::vector<std::string>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.substr(0, f.find('@')));
  return out;
}

const std::string kTimeout = "SET lock_timeout = '2s';\n";

TEST(LintPostgresql, DestructiveChangesNameWhatTheyLose) {
  EXPECT_EQ(pg(kTimeout + "DROP TABLE account, app.log;"),
            (V{"DS102@4 table account dropped", "DS102@4 table app.log dropped"}));
  EXPECT_EQ(pg(kTimeout + "ALTER TABLE account DROP COLUMN email;"),
            (V{"DS103@4 column account.email dropped"}));
  EXPECT_EQ(codes(pg("DROP SCHEMA s CASCADE;")), (V{"DS101"}));
  EXPECT_EQ(codes(pg(kTimeout + "TRUNCATE account;")), (V{"DS104"}));
  EXPECT_EQ(codes(pg("DELETE FROM account;")), (V{"DS104"}));
  EXPECT_EQ(codes(pg("UPDATE account SET v = 1;")), (V{"DS105"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE account ALTER COLUMN id TYPE bigint;")),
            (V{"DS106", "PG107"}));
  // text does not rewrite, but it is still a type change.
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE account ALTER name TYPE text;")), (V{"DS106"}));
  // What passes: a WHERE, a table the upgrade made, words in strings,
  // comments and function bodies.
  EXPECT_EQ(pg("DELETE FROM account WHERE id = 1;\nUPDATE account SET v = 1 WHERE v IS NULL;\n"
               "INSERT INTO log VALUES ('DROP TABLE account');\n-- DROP TABLE account\n"
               "CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql;\n"
               "CREATE TABLE scratch (id int PRIMARY KEY);\nTRUNCATE scratch;\n"
               "ALTER TABLE scratch DROP COLUMN id;\nDROP TABLE public.scratch;"),
            V{});
  // Dropped twice: the second is another table.
  EXPECT_EQ(codes(pg("CREATE TEMP TABLE t (a int);\nDROP TABLE t;\nDROP TABLE t;")),
            (V{"DS102", "PG110"}));
  // allow destructive silences this group only.
  EXPECT_EQ(codes(pg("DROP TABLE account;", "-- mig:allow destructive\n")), (V{"PG110"}));
}

TEST(LintPostgresql, SyntaxErrorsNameTheirLine) {
  EXPECT_EQ(pg("SELECT 1;\nCREATE TABLE t (\n  id int PRIMARY KEY,\n  v int,\n);"),
            (V{"MG106@7 PostgreSQL's parser: syntax error at or near \")\""}));
  EXPECT_EQ(codes(pg("-- mig:nolint MG106\nSELEC 1;")), V{});
}

TEST(LintPostgresql, DataDependentChangesToExistingTables) {
  EXPECT_EQ(codes(pg(kTimeout + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON a (e);",
                     "-- mig:transaction off\n")),
            (V{"MF101"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD COLUMN n int NOT NULL;")), (V{"MF102"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD COLUMN n int NOT NULL DEFAULT 0;")), V{});
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ALTER COLUMN e SET NOT NULL;")),
            (V{"MF103", "PG106"}));
  // NOT VALID checks no existing row: nothing there to fail on.
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD CONSTRAINT c CHECK (n > 0) NOT VALID;")), V{});
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD CONSTRAINT c CHECK (n > 0);")),
            (V{"MF104", "PG105"}));
  EXPECT_EQ(
      codes(pg(kTimeout +
               "ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES b (id) NOT VALID;")),
      (V{"DE108"}));
  // A table made in the same upgrade holds no rows yet.
  EXPECT_EQ(pg("CREATE TABLE a (id int PRIMARY KEY, e text);\nCREATE UNIQUE INDEX i ON a (e);\n"
               "ALTER TABLE a ADD COLUMN n int NOT NULL;\nALTER TABLE a ALTER e SET NOT NULL;\n"
               "ALTER TABLE a ADD CHECK (n > 0), ADD FOREIGN KEY (n) REFERENCES b (id);\n"
               "CREATE INDEX a_n ON a (n);"),
            V{});
}

TEST(LintPostgresql, LocksAndRewrites) {
  EXPECT_EQ(pg("CREATE INDEX i ON a (e);"),
            (V{"PG101@3 index on existing table a created without CONCURRENTLY",
               "PG110@3 no lock_timeout set before this statement locks a"}));
  EXPECT_EQ(codes(pg(kTimeout + "DROP INDEX i;")), (V{"PG102"}));
  // Alone in its section it runs outside a transaction: passes.
  EXPECT_EQ(codes(pg("DROP INDEX CONCURRENTLY i;")), V{});
  EXPECT_EQ(codes(pg("CREATE INDEX CONCURRENTLY i ON a (e);")), V{});
  EXPECT_EQ(codes(pg("-- mig:statement begin\nSELECT 1; CREATE INDEX CONCURRENTLY i ON a (e);\n"
                     "-- mig:statement end")),
            (V{"PG103"}));
  EXPECT_EQ(codes(pg("BEGIN;\nCREATE INDEX CONCURRENTLY i ON a (e);\nCOMMIT;\n"
                     "CREATE INDEX CONCURRENTLY j ON a (f);",
                     "-- mig:transaction off\n")),
            (V{"PG103"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES b;")),
            (V{"MF105", "PG104", "DE108"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD CHECK (n > 0);")), (V{"MF104", "PG105"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a VALIDATE CONSTRAINT c;\n"
                                "ALTER TABLE a ALTER e SET NOT NULL;")),
            (V{"MF103"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD COLUMN t uuid DEFAULT gen_random_uuid();\n"
                                "ALTER TABLE a ADD COLUMN s bigserial;\n"
                                "ALTER TABLE a ADD COLUMN x int GENERATED ALWAYS AS IDENTITY;\n"
                                "ALTER TABLE a ADD COLUMN at timestamptz DEFAULT now();")),
            (V{"PG108", "PG108", "PG108"}));
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD CONSTRAINT u UNIQUE (e);\n"
                                "ALTER TABLE a ADD PRIMARY KEY USING INDEX a_pk;")),
            (V{"MF101", "PG109"}));  // USING INDEX: that index is unique already
  // lock_timeout = 0 turns it off again; SET LOCAL counts.
  EXPECT_EQ(codes(pg("SET lock_timeout = 0;\nALTER TABLE a ADD COLUMN n int;")), (V{"PG110"}));
  EXPECT_EQ(codes(pg("SET LOCAL lock_timeout TO '1s';\nALTER TABLE a ADD COLUMN n int;")), V{});
}

TEST(LintPostgresql, RenamesBreakTheCodeStillRunning) {
  EXPECT_EQ(pg(kTimeout + "ALTER TABLE a RENAME TO b;\nALTER TABLE c RENAME COLUMN x TO y;"),
            (V{"BC101@4 table a renamed to b", "BC102@5 column c.x renamed to y"}));
  // Renaming what the upgrade made is not; what it then holds is the old
  // table's data.
  EXPECT_EQ(codes(pg("CREATE TABLE n (id int PRIMARY KEY);\nALTER TABLE n RENAME TO m;\n"
                     "ALTER TABLE m RENAME id TO key;\nDROP TABLE m;")),
            V{});
}

TEST(LintPostgresql, DesignOfNewTables) {
  EXPECT_EQ(pg("CREATE TABLE t (a int);"), (V{"DE101@3 table t has no primary key"}));
  EXPECT_EQ(
      pg("CREATE TABLE t (id int PRIMARY KEY, at timestamp, code char(3), name varchar(20), "
         "price float8, ok_float float8);"),
      (V{"DE102@3 column t.at is timestamp without time zone", "DE103@3 column t.code is char(n)",
         "DE104@3 column t.name is varchar(20)", "DE105@3 column t.price is double precision"}));
  EXPECT_EQ(pg("CREATE TABLE t (id int, at timestamptz, name text, price numeric(10,2), "
               "PRIMARY KEY (id));\nCREATE TEMP TABLE s (a int);\n"
               "CREATE TABLE p PARTITION OF t FOR VALUES IN (1);\n"
               "CREATE TABLE c AS SELECT 1 AS a;"),
            V{});
  EXPECT_EQ(codes(pg(kTimeout + "ALTER TABLE a ADD COLUMN total_cost real;")), (V{"DE105"}));
  // DE110: words PostgreSQL's grammar reserves, as it decides; a keyword it
  // takes as a name (name, key, time as a column) or a quoted capitalised
  // name is no finding.
  EXPECT_EQ(pg("CREATE TABLE \"user\" (id int PRIMARY KEY, \"order\" int, name text, key int, "
               "time int, \"Select\" int);\n" +
               kTimeout + "ALTER TABLE a ADD COLUMN \"left\" int;"),
            (V{"DE110@3 table user is a word PostgreSQL reserves: it must be quoted wherever it is "
               "named",
               "DE110@3 column order is a word PostgreSQL reserves: it must be quoted wherever it "
               "is named",
               "DE110@5 column left is a word PostgreSQL reserves: it must be quoted wherever it "
               "is named"}));
  // Exempted per statement, by code or group.
  EXPECT_EQ(pg("-- mig:nolint DE101\nCREATE TABLE t (a int);\n-- mig:nolint design\n"
               "CREATE TABLE u (at timestamp);"),
            V{});
}

// SQLite and MySQL: the same rules where the splitter's tokens tell them.
std::vector<std::string> by_tokens(const std::string& upgrade, Dialect d,
                                   std::map<std::string, std::string> naming = {}) {
  Revision r = parse_revision(
      "-- mig:revision t001\n-- mig:upgrade\n" + upgrade + "\n-- mig:downgrade\nSELECT 1;\n",
      "t.sql", d);
  LintOptions options;
  options.dialect = d;
  options.naming = std::move(naming);
  std::vector<std::string> out;
  for (const auto& f : lint(RevisionGraph({r}), options))
    out.push_back(f.code + "@" + std::to_string(f.line) + " " + f.message);
  return out;
}

// SQLite and MySQL: each table and column dropped is named, one finding
// each, as on PostgreSQL; other destructive kinds of the same statement are
// found beside them; SQLite's [bracketed] names are read.
TEST(LintTokens, EveryDropIsNamed) {
  EXPECT_EQ(by_tokens("ALTER TABLE account DROP COLUMN email, DROP legacy, MODIFY n bigint, "
                      "DROP INDEX account_n, DROP FOREIGN KEY fk, DROP COLUMN IF EXISTS old;\n"
                      "DROP TABLE IF EXISTS a, app.b;\nDROP TEMPORARY TABLE scratch;",
                      Dialect::MySQL),
            (V{"DS106@3 destructive statement (ALTER ... MODIFY) in upgrade",
               "DS103@3 column account.email dropped", "DS103@3 column account.legacy dropped",
               "DS103@3 column account.old dropped", "DS102@4 table a dropped",
               "DS102@4 table app.b dropped"}));
  EXPECT_EQ(by_tokens("ALTER TABLE [my table] DROP COLUMN [old value];\nDROP TABLE [your table];\n"
                      "CREATE TABLE [new one] (id INTEGER PRIMARY KEY);\n"
                      "ALTER TABLE [new one] ADD COLUMN [the note] TEXT;\n"
                      "ALTER TABLE [new one] DROP COLUMN [the note];",
                      Dialect::SQLite, {{"column", "[a-z_]+"}}),
            (V{"DS103@3 column my table.old value dropped", "DS102@4 table your table dropped",
               "NM102@6 column the note does not match [check.naming] column ([a-z_]+)"}));
}

TEST(LintTokens, MysqlChangesToExistingTables) {
  auto my = [](const std::string& sql) { return codes(by_tokens(sql, Dialect::MySQL)); };
  EXPECT_EQ(by_tokens("CREATE TABLE `Log` (a int);", Dialect::MySQL),
            (V{"DE101@3 table Log has no primary key"}));
  EXPECT_EQ(my("CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB;\n"
               "CREATE TEMPORARY TABLE s (a int);\nCREATE TABLE c AS SELECT 1 AS a;\n"
               "CREATE TABLE l LIKE t;"),
            V{});
  EXPECT_EQ(by_tokens("CREATE UNIQUE INDEX i ON account (email);", Dialect::MySQL),
            (V{"MF101@3 unique index on existing table account"}));
  EXPECT_EQ(my("ALTER TABLE account ADD COLUMN n int NOT NULL, ADD m int NOT NULL DEFAULT 0, "
               "ADD k int NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY u (email), "
               "ADD CONSTRAINT fk FOREIGN KEY (plan_id) REFERENCES plan (id), "
               "ADD CONSTRAINT c CHECK (n > 0), ADD INDEX (n);"),
            (V{"MF101", "MF105", "MF104"}));  // MySQL fills a NOT NULL column with zeros
  EXPECT_EQ(by_tokens("RENAME TABLE a TO b, c TO d;", Dialect::MySQL),
            (V{"BC101@3 table a renamed to b", "BC101@3 table c renamed to d"}));
  EXPECT_EQ(my("ALTER TABLE a CHANGE old_name new_name INT, RENAME INDEX x TO y;"),
            (V{"DS106", "BC102"}));
  EXPECT_EQ(my("ALTER TABLE a CHANGE COLUMN same SAME BIGINT;"), (V{"DS106"}));
  EXPECT_EQ(my("ALTER TABLE a RENAME COLUMN x TO y;\nALTER TABLE a RENAME TO b;\n"
               "ALTER TABLE c RENAME d;"),
            (V{"BC102", "BC101", "BC101"}));
  // What the upgrade made itself, in any case of its name.
  EXPECT_EQ(my("CREATE TABLE New (id int PRIMARY KEY, e text);\n"
               "CREATE UNIQUE INDEX i ON new (e);\nALTER TABLE new ADD n int NOT NULL;\n"
               "ALTER TABLE new RENAME COLUMN e TO f;\nRENAME TABLE new TO newer;\n"
               "ALTER TABLE newer ADD UNIQUE (f);"),
            V{});
}

TEST(LintTokens, MysqlNames) {
  std::map<std::string, std::string> naming = {{"table", "[a-z_]+"},
                                               {"column", "[a-z_]+"},
                                               {"index", "ix_[a-z_]+"},
                                               {"foreign_key", "fk_[a-z_]+"},
                                               {"check", "ck_[a-z_]+"}};
  EXPECT_EQ(by_tokens("CREATE TABLE `t` (id int PRIMARY KEY, `Bad` int CONSTRAINT positive CHECK "
                      "(`Bad` > 0));\n"
                      "CREATE UNIQUE INDEX ix_ok ON t (Bad);\nCREATE INDEX BadIdx ON t (Bad, id);\n"
                      "ALTER TABLE t ADD COLUMN good int, ADD CONSTRAINT plan FOREIGN KEY (id) "
                      "REFERENCES p (id), ADD CONSTRAINT ck_fine CHECK (id > 0);\n"
                      "ALTER TABLE t RENAME COLUMN good TO Better;\nRENAME TABLE t TO T2;",
                      Dialect::MySQL, naming),
            (V{"NM102@3 column Bad does not match [check.naming] column ([a-z_]+)",
               "NM105@3 CHECK constraint positive does not match [check.naming] check (ck_[a-z_]+)",
               "NM103@5 index BadIdx does not match [check.naming] index (ix_[a-z_]+)",
               "NM104@6 foreign key plan does not match [check.naming] foreign_key (fk_[a-z_]+)",
               "NM102@7 column Better does not match [check.naming] column ([a-z_]+)",
               "NM101@8 table T2 does not match [check.naming] table ([a-z_]+)"}));
}

TEST(LintTokens, SqliteChangesToExistingTables) {
  auto lite = [](const std::string& sql) { return codes(by_tokens(sql, Dialect::SQLite)); };
  EXPECT_EQ(lite("CREATE TABLE t (a int);"), V{});  // its rowid serves as a key
  EXPECT_EQ(lite("CREATE UNIQUE INDEX IF NOT EXISTS i ON \"account\" (email);\n"
                 "CREATE INDEX j ON account (email);\n"
                 "CREATE UNIQUE INDEX k ON account (lower(email));"),
            (V{"MF101", "MF101"}));
  EXPECT_EQ(lite("ALTER TABLE account ADD COLUMN n INTEGER NOT NULL;\n"
                 "ALTER TABLE account ADD COLUMN m INTEGER NOT NULL DEFAULT 0;"),
            (V{"MF102"}));
  EXPECT_EQ(by_tokens("ALTER TABLE account RENAME TO person;\nALTER TABLE person RENAME a TO b;",
                      Dialect::SQLite),
            (V{"BC101@3 table account renamed to person", "BC102@4 column person.a renamed to b"}));
  // No locking rules off PostgreSQL.
  EXPECT_EQ(lite("CREATE TABLE x (id INTEGER PRIMARY KEY);\nALTER TABLE x RENAME TO y;"), V{});
}

// Revisions in a line, each upgrade one string, linted as one project.
std::vector<std::string> chain(const std::vector<std::string>& upgrades, Dialect d) {
  std::vector<Revision> revs;
  for (size_t i = 0; i < upgrades.size(); ++i) {
    std::string id = "c00" + std::to_string(i + 1);
    std::string parent = i ? "-- mig:parent c00" + std::to_string(i) + "\n" : "";
    revs.push_back(parse_revision("-- mig:revision " + id + "\n" + parent + "-- mig:upgrade\n" +
                                      upgrades[i] + "\n-- mig:downgrade\nSELECT 1;\n",
                                  id + ".sql", d));
  }
  LintOptions options;
  options.dialect = d;
  if (d == Dialect::PostgreSQL) options.parser = postgresql_parser("");
  std::vector<std::string> out;
  for (const auto& f : lint(RevisionGraph(revs), options))
    if (f.code.rfind("DE10", 0) == 0)
      out.push_back(f.revision + " " + f.code + "@" + std::to_string(f.line) + " " + f.message);
  return out;
}

TEST(LintDesign, ForeignKeysWithoutAnIndexAndNeedlessIndexes) {
  const Dialect pg = Dialect::PostgreSQL;
  EXPECT_EQ(chain({"CREATE TABLE plan (id int PRIMARY KEY);\n"
                   "CREATE TABLE account (id int PRIMARY KEY, plan_id int REFERENCES plan,\n"
                   "  team int, FOREIGN KEY (id, team) REFERENCES t (a, b));"},
                  pg),
            (V{"c001 DE108@4 foreign key on account (plan_id) has no index that starts with its "
               "columns",
               // The primary key (id) starts with only one of (id, team).
               "c001 DE108@4 foreign key on account (id, team) has no index that starts with its "
               "columns"}));
  // An index made later in the same upgrade, or a key that leads with the
  // columns, serves.
  EXPECT_EQ(chain({"CREATE TABLE account (id int PRIMARY KEY, plan_id int REFERENCES plan);\n"
                   "CREATE INDEX account_plan ON account (plan_id, id);",
                   "ALTER TABLE account ADD FOREIGN KEY (id) REFERENCES x;"},
                  pg),
            V{});
  EXPECT_EQ(chain({"CREATE TABLE t (id int PRIMARY KEY, a int, b int, UNIQUE (b));\n"
                   "CREATE INDEX t_ab ON t (a, b);\nCREATE INDEX t_a ON t (a);\n"
                   "CREATE UNIQUE INDEX t_id ON t (id);\nCREATE INDEX t_b_desc ON t (b DESC);\n"
                   "CREATE UNIQUE INDEX t_ba ON t (b, a);",
                   "CREATE INDEX t_ab2 ON t (a, b);",
                   "DROP INDEX t_ab;\nDROP INDEX t_a;\nDROP INDEX t_ab2;\n"
                   "CREATE INDEX t_a_again ON t (a);"},
                  pg),
            (V{"c001 DE109@5 index t_a on t (a) is covered by index t_ab (a, b)",
               "c001 DE109@6 index t_id on t (id) is covered by a key (id)",
               "c001 DE109@7 index t_b_desc on t (b) is covered by a key (b)",
               "c002 DE109@4 index t_ab2 on t (a, b) is covered by index t_ab (a, b)"}));
  std::string long_name(64, 'x');
  EXPECT_EQ(chain({"CREATE TABLE " + long_name + " (id int PRIMARY KEY);"}, pg),
            (V{"c001 DE106@3 name " + long_name +
               " is 64 bytes; PostgreSQL keeps 63 and silently cuts the rest"}));
}

TEST(LintDesign, ReservedWordsOnSqliteAsItsParserSaysAndNotOnMysql) {
  EXPECT_EQ(by_tokens("CREATE TABLE \"Order\" (id INTEGER PRIMARY KEY, \"group\" TEXT, key TEXT, "
                      "action TEXT);\nALTER TABLE t ADD COLUMN \"where\" TEXT;",
                      Dialect::SQLite),
            (V{"DE110@3 table Order is a word SQLite reserves: it must be quoted wherever it is "
               "named",
               "DE110@3 column group is a word SQLite reserves: it must be quoted wherever it is "
               "named",
               "DE110@4 column where is a word SQLite reserves: it must be quoted wherever it is "
               "named"}));
  EXPECT_EQ(by_tokens("CREATE TABLE `order` (id int PRIMARY KEY);", Dialect::MySQL), V{});
}

TEST(LintDesign, MysqlAndSqlite) {
  const Dialect my = Dialect::MySQL;
  EXPECT_EQ(chain({"CREATE TABLE t (id int PRIMARY KEY) DEFAULT CHARSET=utf8;\n"
                   "CREATE TABLE u (id int PRIMARY KEY, n text CHARACTER SET utf8mb4);\n"
                   "ALTER TABLE u CONVERT TO CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci;"},
                  my),
            (V{"c001 DE107@3 character set utf8 (utf8mb3) holds no character beyond 3 bytes",
               "c001 DE107@5 character set utf8mb3 (utf8mb3) holds no character beyond 3 bytes"}));
  std::string long_name(65, 'c');
  EXPECT_EQ(
      chain({"CREATE TABLE t (id int PRIMARY KEY, " + long_name +
             " int, a int,\n"
             "  KEY t_a (a));\nCREATE INDEX t_a2 ON t (a);"},
            my),
      (V{"c001 DE106@3 column " + long_name + " is 65 characters; MySQL refuses names over 64",
         "c001 DE109@5 index t_a2 on t (a) is covered by an index (a)"}));
  // MySQL makes the foreign key's index itself: no DE108.
  EXPECT_EQ(
      chain({"CREATE TABLE t (id int PRIMARY KEY, p int, FOREIGN KEY (p) REFERENCES x (id));"}, my),
      V{});
  EXPECT_EQ(chain({"CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\nCREATE INDEX t_a ON t (a);",
                   "CREATE INDEX T_A_2 ON T (A);"},
                  Dialect::SQLite),
            (V{"c002 DE109@4 index T_A_2 on T (A) is covered by index t_a (a)"}));
}

// The replay's reading of inspected types.
TEST(LintReplay, WhichTypeChangesNarrowAndWhichCopyOnMysql) {
  EXPECT_TRUE(narrows("varchar(50)", "varchar(20)"));
  EXPECT_FALSE(narrows("varchar(20)", "varchar(50)"));
  EXPECT_FALSE(narrows("character varying(20)", "text"));
  EXPECT_TRUE(narrows("text", "character varying(200)"));
  EXPECT_FALSE(narrows("integer", "bigint"));
  EXPECT_TRUE(narrows("bigint(20)", "int(11)"));
  EXPECT_TRUE(narrows("int", "int unsigned"));
  EXPECT_TRUE(narrows("numeric(10,2)", "numeric(10,1)"));
  EXPECT_TRUE(narrows("numeric(10,2)", "numeric(9,2)"));
  EXPECT_FALSE(narrows("numeric(10,2)", "numeric(12,3)"));
  EXPECT_TRUE(narrows("text", "integer"));  // another kind of type
  EXPECT_FALSE(narrows("timestamp without time zone", "timestamp with time zone"));

  EXPECT_FALSE(mysql_copies("varchar(20)", "varchar(60)"));
  EXPECT_TRUE(mysql_copies("varchar(60)", "varchar(64)"));  // a second length byte
  EXPECT_FALSE(mysql_copies("varchar(100)", "varchar(300)"));
  EXPECT_TRUE(mysql_copies("varchar(50)", "varchar(20)"));
  EXPECT_TRUE(mysql_copies("int(11)", "bigint(20)"));
  EXPECT_FALSE(mysql_copies("enum('a','b')", "enum('a','b','c')"));
  EXPECT_TRUE(mysql_copies("enum('a','b')", "enum('b','a')"));
  EXPECT_TRUE(mysql_copies("enum('a','b')", "enum('a')"));
  EXPECT_FALSE(mysql_copies("set('a')", "set('a','b')"));

  EXPECT_TRUE(narrows("bigint unsigned", "bigint"));
  EXPECT_TRUE(narrows("enum('a','b')", "enum('a')"));
  EXPECT_FALSE(narrows("enum('a')", "enum('a','b')"));
  EXPECT_FALSE(narrows("varbinary(10)", "varbinary(20)"));
  EXPECT_FALSE(narrows("datetime(3)", "datetime(6)"));
  EXPECT_EQ(sqlite_affinity("VARCHAR(20)"), "text");
  EXPECT_EQ(sqlite_affinity("bigint"), sqlite_affinity("integer"));
  EXPECT_EQ(sqlite_affinity(""), "blob");
  auto id = inspected_column("column id int not null auto_increment");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->type, "int");
  EXPECT_TRUE(id->not_null);
  auto at = inspected_column(
      "column at timestamp default current_timestamp() on update "
      "current_timestamp()");
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->type, "timestamp");
  EXPECT_TRUE(at->has_default);
}

TEST(Lint, IrreversibleWithADowngradeIsContradictory) {
  EXPECT_THROW(parse("-- mig:revision a001\n-- mig:irreversible\n-- mig:upgrade\nSELECT 1;\n"
                     "-- mig:downgrade\nSELECT 1;\n"),
               FileError);
  EXPECT_THROW(parse("-- mig:revision a001\n-- mig:allow everything\n-- mig:upgrade\n"), FileError);
}

}  // namespace
}  // namespace mig
