#include "script/sql_splitter.h"

#include <gtest/gtest.h>

#include "errors.h"

namespace mig {
namespace {

std::vector<std::string> split(const std::string& sql, Dialect d = Dialect::SQLite) {
  std::vector<std::string> out;
  for (const auto& st : split_statements(sql, d, "t.sql")) out.push_back(st.sql);
  return out;
}

using V = std::vector<std::string>;

TEST(SqlSplitter, SplitsOnSemicolonsAndTrims) {
  EXPECT_EQ(split("CREATE TABLE a (x INT);\n  CREATE TABLE b (y INT) ;\n"),
            (V{"CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"}));
}

TEST(SqlSplitter, LastStatementNeedsNoSemicolon) {
  EXPECT_EQ(split("SELECT 1;\nSELECT 2"), (V{"SELECT 1", "SELECT 2"}));
}

TEST(SqlSplitter, EmptyStatementsAreDropped) {
  EXPECT_EQ(split(";;  ;\n-- only a comment\n"), V{});
}

TEST(SqlSplitter, SemicolonsInsideQuotesDoNotSplit) {
  EXPECT_EQ(split("INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`); SELECT 1"),
            (V{"INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`)", "SELECT 1"}));
}

TEST(SqlSplitter, DoubledQuotesAreEscapes) {
  EXPECT_EQ(split("SELECT 'it''s; fine'; SELECT \"a\"\";b\""),
            (V{"SELECT 'it''s; fine'", "SELECT \"a\"\";b\""}));
}

TEST(SqlSplitter, BackslashIsLiteralInSqliteButEscapesInMysql) {
  EXPECT_EQ(split("SELECT 'C:\\'; SELECT 2"), (V{"SELECT 'C:\\'", "SELECT 2"}));
  EXPECT_EQ(split("SELECT 'it\\'s;'; SELECT 2", Dialect::MySQL),
            (V{"SELECT 'it\\'s;'", "SELECT 2"}));
}

TEST(SqlSplitter, PostgresEStringsHonourBackslash) {
  EXPECT_EQ(split("SELECT E'a\\';b'; SELECT 'c:\\'; SELECT 3", Dialect::PostgreSQL),
            (V{"SELECT E'a\\';b'", "SELECT 'c:\\'", "SELECT 3"}));
}

TEST(SqlSplitter, CommentsHideSemicolonsAndQuotes) {
  EXPECT_EQ(split("SELECT 1 -- no; split 'here\n+ 1; /* nor ; 'here */ SELECT 2"),
            (V{"SELECT 1 -- no; split 'here\n+ 1", "SELECT 2"}));
}

TEST(SqlSplitter, HashCommentsOnlyInMysql) {
  EXPECT_EQ(split("SELECT 1 # a;b\n; SELECT 2", Dialect::MySQL), (V{"SELECT 1", "SELECT 2"}));
}

TEST(SqlSplitter, NestedBlockCommentsInPostgres) {
  EXPECT_EQ(split("SELECT 1 /* a /* b; */ c; */; SELECT 2", Dialect::PostgreSQL),
            (V{"SELECT 1", "SELECT 2"}));
}

TEST(SqlSplitter, DollarQuotesInPostgres) {
  std::string fn = "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql";
  std::string tagged = "DO $body$ BEGIN PERFORM 'x;'; $inner$ ; $inner$; END $body$";
  EXPECT_EQ(split(fn + ";\n" + tagged + ";\nSELECT $1", Dialect::PostgreSQL),
            (V{fn, tagged, "SELECT $1"}));
}

TEST(SqlSplitter, SqliteTriggerBodyIsOneStatement) {
  std::string trig =
      "CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n  UPDATE b SET x = 1;\n  "
      "UPDATE c SET y = CASE WHEN NEW.v > 0 THEN 1 ELSE 0 END;\nEND";
  EXPECT_EQ(split(trig + ";\nSELECT 1;"), (V{trig, "SELECT 1"}));
}

TEST(SqlSplitter, MysqlProcedureWithNestedBlocks) {
  std::string proc =
      "CREATE DEFINER=`root`@`localhost` PROCEDURE p()\nBEGIN\n  IF 1 THEN SELECT 1; END IF;\n"
      "  lbl: LOOP LEAVE lbl; END LOOP;\n  CASE 1 WHEN 1 THEN SELECT 2; END CASE;\n"
      "  BEGIN SELECT 3; END;\nEND";
  EXPECT_EQ(split(proc + ";\nSELECT 4;", Dialect::MySQL), (V{proc, "SELECT 4"}));
}

TEST(SqlSplitter, BeginTransactionIsNotABlock) {
  EXPECT_EQ(split("BEGIN; CREATE TABLE t (a int); COMMIT;"),
            (V{"BEGIN", "CREATE TABLE t (a int)", "COMMIT"}));
}

TEST(SqlSplitter, TableNamedLikeTriggerIsPlain) {
  EXPECT_EQ(split("CREATE TABLE trigger_log (begin_at TEXT); SELECT 1"),
            (V{"CREATE TABLE trigger_log (begin_at TEXT)", "SELECT 1"}));
}

TEST(SqlSplitter, DelimiterLines) {
  std::string body = "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END";
  EXPECT_EQ(split("DELIMITER //\n" + body + " //\nDELIMITER ;\nSELECT 3;", Dialect::MySQL),
            (V{body, "SELECT 3"}));
}

TEST(SqlSplitter, StatementBlockIsSentWhole) {
  auto chunks = split(
      "SELECT 0;\n-- mig:statement begin\nSELECT 1; SELECT 'x\n-- mig:statement end\n"
      "SELECT 2;");
  EXPECT_EQ(chunks, (V{"SELECT 0", "SELECT 1; SELECT 'x", "SELECT 2"}));
}

TEST(SqlSplitter, ReportsLineOfEachStatement) {
  auto sts = split_statements("\n\nSELECT 1;\n/* c\n */ SELECT\n 2;", Dialect::SQLite, "t.sql");
  ASSERT_EQ(sts.size(), 2u);
  EXPECT_EQ(sts[0].line, 3);
  EXPECT_EQ(sts[1].line, 5);
}

TEST(SqlSplitter, NormalizedDropsCommentsAndCollapsesSpace) {
  auto a = split_statements("SELECT  1,\n\t'a  b' -- note\n", Dialect::SQLite, "t.sql");
  auto b = split_statements("SELECT 1, /* other */ 'a  b'", Dialect::SQLite, "t.sql");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].normalized, "SELECT 1,'a  b'");
  EXPECT_EQ(a[0].normalized, b[0].normalized);
  auto c = split_statements("CREATE TABLE t (\n  id INT ,\n  v  TEXT\n)", Dialect::SQLite, "t");
  auto d = split_statements("CREATE TABLE t(id INT, v TEXT)", Dialect::SQLite, "t");
  EXPECT_EQ(c[0].normalized, d[0].normalized);
  EXPECT_EQ(c[0].normalized, "CREATE TABLE t(id INT,v TEXT)");
  auto e = split_statements("CREATE TABLE t(idINT, v TEXT)", Dialect::SQLite, "t");
  EXPECT_NE(e[0].normalized, d[0].normalized);
}

TEST(SqlSplitter, DirectivesEndStatementsAndAreReturned) {
  auto chunks = scan_sql("SELECT 1\n-- mig:downgrade\nSELECT 2", Dialect::SQLite, "t.sql");
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(std::get<Statement>(chunks[0]).sql, "SELECT 1");
  EXPECT_EQ(std::get<Directive>(chunks[1]).name, "downgrade");
  EXPECT_EQ(std::get<Directive>(chunks[1]).line, 2);
}

TEST(SqlSplitter, DirectiveTextInsideStringIsNotADirective) {
  auto chunks = scan_sql("SELECT '\n-- mig:downgrade\n'", Dialect::SQLite, "t.sql");
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Statement>(chunks[0]));
}

void expect_error(const std::string& sql, int line, const std::string& words,
                  Dialect d = Dialect::SQLite) {
  try {
    split_statements(sql, d, "bad.sql");
    FAIL() << "no error for: " << sql;
  } catch (const FileError& e) {
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("bad.sql:", 0), 0u) << e.what();
  }
}

TEST(SqlSplitter, UnterminatedConstructsAreErrorsWithLine) {
  expect_error("SELECT 1;\nSELECT 'abc;\n", 2, "unterminated string");
  expect_error("SELECT \"abc", 1, "unterminated quoted identifier");
  expect_error("\n\nSELECT `abc", 3, "unterminated backtick");
  expect_error("SELECT 1 /* open", 1, "unterminated /* comment");
  expect_error("\nSELECT $x$ abc", 2, "unterminated dollar-quoted", Dialect::PostgreSQL);
  expect_error("CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\nSELECT 1;", 2, "BEGIN ... END");
  expect_error("-- mig:statement begin\nSELECT 1", 1, "no matching end");
  expect_error("-- mig:statement end", 1, "without a matching begin");
  expect_error("SELECT 'it\\'s", 1, "unterminated string", Dialect::MySQL);
}

TEST(SqlSplitter, AnythingSpelledLikeADirectiveIsOneOrAnError) {
  // Read as comments, these used to merge the downgrade into the upgrade.
  for (const char* bad : {"-- MIG:downgrade", "-- Mig:downgrade", "--- mig:downgrade",
                          "-- mig :downgrade", "--  MIG :  downgrade", "----mig:downgrade"}) {
    expect_error(std::string("CREATE TABLE account (id INT);\n") + bad + "\nDROP TABLE account;\n",
                 2, "looks like a mig directive");
  }
  expect_error("-- mig: upgrade\n", 1, "followed directly by a directive name");
  // Spellings that are directives, and comments that only start alike.
  for (const char* good :
       {"-- mig:downgrade", "--mig:downgrade", "--   mig:downgrade", "  -- mig:downgrade  "}) {
    auto chunks =
        scan_sql(std::string("SELECT 1;\n") + good + "\nSELECT 2;", Dialect::SQLite, "t.sql");
    ASSERT_EQ(chunks.size(), 3u) << good;
    EXPECT_EQ(std::get<Directive>(chunks[1]).name, "downgrade") << good;
  }
  EXPECT_EQ(split("-- migrate the rows\n-- MIGRATION: later\n-- mig is great\nSELECT 1;"),
            V{"SELECT 1"});
}

TEST(SqlSplitter, MariaDbAndMysqlExecutableCommentsAreStatements) {
  EXPECT_EQ(split("/*!40101 SET NAMES utf8mb4 */;\n/*M!100616 SET NOTE_VERBOSITY=0 */;\n"
                  "/* a plain comment */ SELECT 1;",
                  Dialect::MySQL),
            (V{"/*!40101 SET NAMES utf8mb4 */", "/*M!100616 SET NOTE_VERBOSITY=0 */", "SELECT 1"}));
  // Elsewhere they are comments like any other.
  EXPECT_EQ(split("/*M!100616 SET x=0 */ SELECT 1;", Dialect::SQLite), V{"SELECT 1"});
}

TEST(SqlSplitter, PgDumpRestrictLinesAreDroppedOtherMetaCommandsRefused) {
  EXPECT_EQ(
      split("\\restrict AbC123\nSET x = 1;\nSELECT 2;\n\\unrestrict AbC123\n", Dialect::PostgreSQL),
      (V{"SET x = 1", "SELECT 2"}));
  expect_error("SELECT 1;\n\\connect other\n", 2, "psql meta-command \\connect",
               Dialect::PostgreSQL);
  expect_error("COPY public.t (a, b) FROM stdin;\n1\t2\n\\.\n", 1, "pg_dump --inserts",
               Dialect::PostgreSQL);
  EXPECT_EQ(split("COPY t TO STDOUT;\nCOPY t (stdin_col) FROM '/tmp/x';", Dialect::PostgreSQL),
            (V{"COPY t TO STDOUT", "COPY t (stdin_col) FROM '/tmp/x'"}));
}

}  // namespace
}  // namespace mig
