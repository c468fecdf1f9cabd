#include "script/revision_file.h"

#include <gtest/gtest.h>

#include "errors.h"

namespace mig {
namespace {

Revision parse(const std::string& text) { return parse_revision(text, "r.sql", Dialect::SQLite); }

TEST(RevisionFile, ParsesTheSpecExample) {
  Revision r = parse(
      "-- mig:revision 3f2a9c1d7e4b\n"
      "-- mig:parent   8b1e0a2f5c6d\n"
      "-- mig:message  add email to account\n"
      "-- mig:created  2026-11-23T10:42:00Z\n"
      "\n"
      "-- mig:upgrade\n"
      "ALTER TABLE account ADD COLUMN email TEXT;\n"
      "CREATE INDEX account_email_idx ON account (email);\n"
      "\n"
      "-- mig:downgrade\n"
      "DROP INDEX account_email_idx;\n"
      "ALTER TABLE account DROP COLUMN email;\n");
  EXPECT_EQ(r.id, "3f2a9c1d7e4b");
  EXPECT_EQ(r.parents, std::vector<std::string>{"8b1e0a2f5c6d"});
  EXPECT_EQ(r.message, "add email to account");
  EXPECT_EQ(r.created, "2026-11-23T10:42:00Z");
  EXPECT_EQ(r.kind, RevisionKind::Schema);
  EXPECT_TRUE(r.transactional);
  ASSERT_EQ(r.upgrade.size(), 2u);
  EXPECT_EQ(r.upgrade[1].sql, "CREATE INDEX account_email_idx ON account (email)");
  EXPECT_EQ(r.upgrade[1].line, 8);
  EXPECT_TRUE(r.has_downgrade);
  EXPECT_EQ(r.downgrade.size(), 2u);
  EXPECT_EQ(r.checksum.size(), 64u);
}

TEST(RevisionFile, AllHeaderDirectives) {
  Revision r = parse(
      "-- mig:revision merge_0001\n-- mig:parent aaaa bbbb\n-- mig:kind data\n"
      "-- mig:transaction off\n-- mig:depends cccc dddd\n-- mig:upgrade\nSELECT 1;");
  EXPECT_EQ(r.parents, (std::vector<std::string>{"aaaa", "bbbb"}));
  EXPECT_EQ(r.depends, (std::vector<std::string>{"cccc", "dddd"}));
  EXPECT_EQ(r.kind, RevisionKind::Data);
  EXPECT_FALSE(r.transactional);
  EXPECT_FALSE(r.has_downgrade);
  EXPECT_TRUE(r.parents.size() == 2);
}

TEST(RevisionFile, CreatedAcceptsIso8601Forms) {
  for (const char* ok : {"2026-11-23", "2026-11-23T10:42", "2026-11-23T10:42:00Z",
                         "2026-11-23 10:42:00.123+01:00", "2026-11-23T10:42:00-0530"}) {
    EXPECT_NO_THROW(
        parse(std::string("-- mig:revision abcd\n-- mig:created ") + ok + "\n-- mig:upgrade\n"))
        << ok;
  }
  for (const char* bad : {"2026-1-23", "yesterday", "2026-11-23T10", "2026-11-23T10:42Zx",
                          "2026-11-23T10:42:00.", "2026-11-23T10:42+1"}) {
    EXPECT_THROW(
        parse(std::string("-- mig:revision abcd\n-- mig:created ") + bad + "\n-- mig:upgrade\n"),
        FileError)
        << bad;
  }
}

TEST(RevisionFile, NoParentIsABaseAndEmptySectionsAreAllowed) {
  Revision r = parse("-- mig:revision abcd\n-- mig:upgrade\n-- mig:downgrade\n");
  EXPECT_TRUE(r.parents.empty());
  EXPECT_TRUE(r.upgrade.empty());
  EXPECT_TRUE(r.has_downgrade);
}

TEST(RevisionFile, ChecksumIgnoresCommentsAndWhitespaceButNotSql) {
  auto a = parse("-- mig:revision abcd\n-- mig:upgrade\nSELECT 1; -- one\n");
  auto b = parse("-- mig:revision abcd\n-- mig:message other\n-- mig:upgrade\n\n  SELECT\n 1;\n");
  auto c = parse("-- mig:revision abcd\n-- mig:upgrade\nSELECT 2;\n");
  EXPECT_EQ(a.checksum, b.checksum);
  EXPECT_NE(a.checksum, c.checksum);
}

TEST(RevisionFile, StatementBlockAndBom) {
  Revision r = parse(
      "\xEF\xBB\xBF-- mig:revision abcd\n-- mig:upgrade\n-- mig:statement begin\n"
      "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;\n-- mig:statement end\n");
  ASSERT_EQ(r.upgrade.size(), 1u);
  EXPECT_EQ(r.upgrade[0].sql, "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;");
  EXPECT_EQ(r.upgrade[0].line, 4);
}

TEST(RevisionFile, BatchMarksTheNextStatementInDataRevisions) {
  Revision r = parse(
      "-- mig:revision abcd\n-- mig:kind data\n-- mig:upgrade\nSELECT 1;\n-- mig:batch\n"
      "UPDATE t SET x = 1 WHERE id IN (SELECT id FROM t WHERE x = 0 LIMIT 10);\nSELECT 2;\n");
  ASSERT_EQ(r.upgrade.size(), 3u);
  EXPECT_FALSE(r.upgrade[0].batch);
  EXPECT_TRUE(r.upgrade[1].batch);
  EXPECT_FALSE(r.upgrade[2].batch);
  EXPECT_TRUE(r.has_batches());
}

TEST(RevisionFile, NulByteIsAnErrorNamingItsLine) {
  std::string text = "-- mig:revision abcd\n-- mig:upgrade\nDELETE FROM t";
  text += '\0';
  text += " WHERE x = 2;\n";
  try {
    parse(text);
    FAIL() << "a NUL byte was accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(std::string(e.what()).find("NUL byte"), std::string::npos) << e.what();
  }
}

Revision parse_pg(const std::string& text) {
  return parse_revision(text, "r.sql", Dialect::PostgreSQL);
}

TEST(RevisionFile, StatementsThatRefuseATransactionRunOutsideOneWhenAlone) {
  Revision r = parse_pg(
      "-- mig:revision abcd\n-- mig:upgrade\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (x);\n"
      "-- mig:downgrade\nDROP INDEX CONCURRENTLY i;\n");
  EXPECT_TRUE(r.transactional);
  EXPECT_TRUE(r.upgrade_autocommit);
  EXPECT_TRUE(r.downgrade_autocommit);
  EXPECT_FALSE(r.runs_in_transaction(true));
  EXPECT_FALSE(r.runs_in_transaction(false));
  // Only the section that needs it leaves the transaction.
  Revision mixed = parse_pg(
      "-- mig:revision abcd\n-- mig:upgrade\nVACUUM t;\n-- mig:downgrade\nSELECT 1;\nSELECT 2;\n");
  EXPECT_FALSE(mixed.runs_in_transaction(true));
  EXPECT_TRUE(mixed.runs_in_transaction(false));
  // Among other statements the file is refused, with the fix.
  try {
    parse_pg(
        "-- mig:revision abcd\n-- mig:upgrade\nCREATE TABLE t (x INT);\n"
        "CREATE INDEX CONCURRENTLY i ON t (x);\n");
    FAIL() << "accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(std::string(e.what()).find("-- mig:transaction off"), std::string::npos);
  }
  // `transaction off` needs nothing more; other dialects know their own.
  EXPECT_NO_THROW(
      parse_pg("-- mig:revision abcd\n-- mig:transaction off\n-- mig:upgrade\n"
               "CREATE TABLE t (x INT);\nCREATE INDEX CONCURRENTLY i ON t (x);\n"));
  EXPECT_NO_THROW(
      parse_revision("-- mig:revision abcd\n-- mig:upgrade\nCREATE DATABASE x;\n"
                     "SELECT 1;\n",
                     "r.sql", Dialect::MySQL));
}

TEST(RevisionFile, WhatCannotRunInsideATransaction) {
  auto kind = [](const char* sql, Dialect d = Dialect::PostgreSQL) {
    Statement st;
    st.sql = sql;
    return outside_transaction_only(st, d);
  };
  EXPECT_EQ(kind("create index concurrently if not exists i on t (x)"),
            "CREATE INDEX CONCURRENTLY");
  EXPECT_EQ(kind("REINDEX (VERBOSE) TABLE CONCURRENTLY t"), "REINDEX CONCURRENTLY");
  EXPECT_EQ(kind("REINDEX DATABASE shop"), "REINDEX DATABASE");
  EXPECT_EQ(kind("VACUUM (ANALYZE) t"), "VACUUM");
  EXPECT_EQ(kind("CREATE DATABASE shop"), "CREATE DATABASE");
  EXPECT_EQ(kind("ALTER SYSTEM SET work_mem = '8MB'"), "ALTER SYSTEM");
  EXPECT_EQ(kind("VACUUM", Dialect::SQLite), "VACUUM");
  EXPECT_EQ(kind("CREATE INDEX i ON t (x)"), "");
  EXPECT_EQ(kind("REINDEX TABLE t"), "");
  EXPECT_EQ(kind("CREATE TABLE \"concurrently\" (x INT)"), "");
  EXPECT_EQ(kind("CREATE DATABASE shop", Dialect::SQLite), "");
}

struct BadCase {
  const char* text;
  int line;
  const char* words;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.words; }

class RevisionFileErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(RevisionFileErrors, NamesFileAndLine) {
  const BadCase& c = GetParam();
  try {
    parse(c.text);
    FAIL() << "accepted: " << c.text;
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), "r.sql");
    EXPECT_EQ(e.line(), c.line) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.words), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, RevisionFileErrors,
    ::testing::Values(
        BadCase{"-- mig:upgrade\nSELECT 1;", 1, "missing -- mig:revision"},
        BadCase{"-- mig:message x\n", 1, "missing -- mig:revision"},
        BadCase{"-- mig:revision abcd\n-- mig:message x\n", 2, "missing -- mig:upgrade"},
        BadCase{"-- mig:revision abcd\n-- mig:bogus x\n-- mig:upgrade\n", 2, "unknown directive"},
        BadCase{"-- mig:revision AB\n-- mig:upgrade\n", 1, "invalid revision id"},
        BadCase{"-- mig:revision abcd\n-- mig:parent ab-cd\n-- mig:upgrade\n", 2,
                "invalid revision id"},
        BadCase{"-- mig:revision abcd\n-- mig:revision abce\n-- mig:upgrade\n", 2, "twice"},
        BadCase{"-- mig:revision abcd\n-- mig:kind ddl\n-- mig:upgrade\n", 2, "kind"},
        BadCase{"-- mig:revision abcd\n-- mig:transaction maybe\n-- mig:upgrade\n", 2,
                "transaction"},
        BadCase{"-- mig:revision abcd\n-- mig:created yesterday\n-- mig:upgrade\n", 2, "ISO-8601"},
        BadCase{"-- mig:revision abcd\n-- mig:depends\n-- mig:upgrade\n", 2, "at least one"},
        BadCase{"-- mig:revision abcd\n-- mig:parent abcd\n-- mig:upgrade\n", 2, "own parent"},
        BadCase{"-- mig:revision abcd\nSELECT 1;\n-- mig:upgrade\n", 2, "SQL before"},
        BadCase{"-- mig:revision abcd\n-- mig:downgrade\n-- mig:upgrade\n", 2, "downgrade before"},
        BadCase{"-- mig:revision abcd\n-- mig:upgrade\n-- mig:upgrade\n", 3, "twice"},
        BadCase{"-- mig:revision abcd\n-- mig:upgrade\n-- mig:parent ab12\n", 3,
                "belongs in the header"},
        BadCase{"-- mig:revision abcd\n-- mig:upgrade\nSELECT 'x;\n", 3, "unterminated"},
        BadCase{"-- mig:revision abcd\n-- mig:upgrade\nSELECT '\xff';\n", 3, "UTF-8"},
        BadCase{"-- mig:revision abcd\n-- mig:upgrade\nSELECT 1;\n-- MIG:downgrade\n", 4,
                "looks like a mig directive"},
        BadCase{"-- mig:revision abcd\n-- mig:upgrade\nVACUUM;\nSELECT 1;\n", 3,
                "VACUUM cannot run inside a transaction"},
        BadCase{"-- mig:revision abcd\n-- mig:transaction on\n-- mig:upgrade\nVACUUM;\n", 4,
                "says -- mig:transaction on"},
        BadCase{"-- mig:revision abcd\n-- mig:upgrade\n-- mig:batch\nUPDATE t SET x = 1;\n", 3,
                "only for data revisions"},
        BadCase{"-- mig:revision abcd\n-- mig:kind data\n-- mig:upgrade\n-- mig:batch\n", 4,
                "must be followed by the statement"},
        BadCase{"-- mig:revision abcd\n-- mig:kind data\n-- mig:upgrade\n-- mig:batch\n"
                "-- mig:downgrade\n",
                4, "must be followed by the statement"}));

}  // namespace
}  // namespace mig
