#include "engine/offline_script.h"

#include <gtest/gtest.h>

#include "db/script_connection.h"
#include "../graph_support.h"

namespace mig {
namespace {

RevisionGraph sample() {
  auto revs = testing::revisions({{"a001", {}}, {"a002", {"a001"}}});
  revs[0].message = "it's";
  revs[0].upgrade = {{"CREATE TABLE t (v INT)", "", 5}};
  revs[0].downgrade = {{"DROP TABLE t", "", 8}};
  revs[1].upgrade = {{"CREATE PROCEDURE p() BEGIN SELECT 1; END", "", 5}};
  revs[1].transactional = false;
  return RevisionGraph(revs);
}

ScriptOptions options(Dialect b) {
  ScriptOptions o;
  o.dialect = b;
  o.generated_at = "2026-11-24T00:00:00.000Z";
  o.description = "upgrade base:head";
  return o;
}

TEST(OfflineScript, Literals) {
  EXPECT_EQ(sql_literal(Dialect::PostgreSQL, "it's \\ ok"), "'it''s \\ ok'");
  EXPECT_EQ(sql_literal(Dialect::MySQL, "it's \\ ok"), "'it''s \\\\ ok'");
}

TEST(OfflineScript, WrapsTransactionalRevisionsAndRecordsThem) {
  auto g = sample();
  Plan plan{{{0, Direction::Up}}};
  std::string s = render_script(g, plan, options(Dialect::SQLite));
  EXPECT_NE(s.find("CREATE TABLE IF NOT EXISTS mig_revisions"), std::string::npos);
  EXPECT_NE(s.find("BEGIN;\nCREATE TABLE t (v INT);\nINSERT INTO mig_revisions"), std::string::npos)
      << s;
  EXPECT_NE(s.find("SELECT 'a001', '', 'it''s', 'schema'"), std::string::npos) << s;
  EXPECT_NE(s.find("'upgrade', 'a001', 'ok'"), std::string::npos);
  EXPECT_NE(s.find("COMMIT;"), std::string::npos);
}

TEST(OfflineScript, MysqlGetsDelimitersAndNoDdlTransaction) {
  auto g = sample();
  Plan plan{{{0, Direction::Up}, {1, Direction::Up}}};
  std::string s = render_script(g, plan, options(Dialect::MySQL));
  EXPECT_EQ(s.find("BEGIN;"), std::string::npos) << s;
  EXPECT_NE(s.find("DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("ENGINE=InnoDB"), std::string::npos);
}

TEST(OfflineScript, DowngradeDeletesAndSchemaQualifies) {
  auto g = sample();
  ScriptOptions o = options(Dialect::PostgreSQL);
  o.schema = "ops";
  Plan plan{{{0, Direction::Down}}};
  std::string s = render_script(g, plan, o);
  EXPECT_NE(s.find("CREATE SCHEMA IF NOT EXISTS \"ops\""), std::string::npos);
  EXPECT_NE(s.find("DROP TABLE t;\nRESET SESSION AUTHORIZATION;\nRESET ROLE;\nRESET ALL;\n"
                   "DISCARD TEMP;\nSET client_min_messages = warning;\n"
                   "DELETE FROM \"ops\".mig_revisions WHERE revision = 'a001';"),
            std::string::npos)
      << s;
  EXPECT_NE(render_script(g, Plan{}, o).find("Nothing to do"), std::string::npos);
}

}  // namespace
}  // namespace mig
