#include "check/lint.h"

#include <gtest/gtest.h>

#include "../graph_support.h"
#include "errors.h"
#include "script/revision_file.h"

namespace mig {
namespace {

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
    EXPECT_EQ(found.size(), 1u) << sql;
  }
  std::vector<Revision> bracketed = {
      parse("-- mig:revision c001\n-- mig:upgrade\nCREATE TABLE [tmp] (x INT);\n"
            "ALTER TABLE tmp ADD COLUMN y INT;\nDROP TABLE [tmp];\n-- mig:downgrade\nSELECT 1;\n")};
  EXPECT_TRUE(lint(RevisionGraph(bracketed), LintOptions{}).empty());
}

TEST(Lint, IrreversibleWithADowngradeIsContradictory) {
  EXPECT_THROW(parse("-- mig:revision a001\n-- mig:irreversible\n-- mig:upgrade\nSELECT 1;\n"
                     "-- mig:downgrade\nSELECT 1;\n"),
               FileError);
  EXPECT_THROW(parse("-- mig:revision a001\n-- mig:allow everything\n-- mig:upgrade\n"), FileError);
}

}  // namespace
}  // namespace mig
