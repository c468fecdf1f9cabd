// mig diff and mig baseline on a real MariaDB server: hand-written
// (before, after) schemas for each object kind and ordering rule, each
// written revision applied to a real database, downgraded and upgraded
// again, and compared with the desired schema loaded natively.
#include "diff/mysql_diff.h"

#include <gtest/gtest.h>

#include "mig/errors.h"
#include "server_diff_support.h"

namespace mig {
namespace {

using e2e::Kind;
using e2e::TestDatabase;

std::string definitions(const std::string& url) {
  auto db = Database::open(parse_url(url, "test"), ConnectOptions{});
  return mysql_definitions_text(read_mysql_schema(*db, "mig_"));
}

using testing::has;
using MyDiff = testing::ServerDiff<Kind::MySQL, definitions>;

TEST_F(MyDiff, ColumnsChangeAndMoveInOneAlterAndKeepTheirRows) {
  Project::open(dir.path())
      .diff(to("CREATE TABLE item (id int PRIMARY KEY, code varchar(10), "
               "price decimal(10,2) DEFAULT 0, legacy text, note text);",
               "before"));
  upgrade();
  db.execute("INSERT INTO item (id, code, price, note) VALUES (1, 'a', 12.5, 'kept')");
  std::string after =
      "CREATE TABLE item (id int PRIMARY KEY, note text, code varchar(40) NOT NULL, "
      "price int, added datetime NOT NULL DEFAULT current_timestamp) COMMENT 'things';";
  DiffResult r = Project::open(dir.path()).diff(to(after));
  ASSERT_EQ(r.upgrade.size(), 1u);  // one ALTER TABLE: one copy of the rows at most
  EXPECT_TRUE(has(r.upgrade, "MODIFY COLUMN `note` text DEFAULT NULL AFTER `id`"));
  EXPECT_TRUE(has(r.destructive, "column `item`.`legacy` is dropped"));
  EXPECT_TRUE(has(r.destructive, "changes type from decimal(10,2) to int(11)"));
  EXPECT_FALSE(has(r.destructive, "`code` changes type"));  // varchar(10) to varchar(40)
  upgrade();
  EXPECT_EQ(definitions(db.url()), native(after));
  EXPECT_EQ(db.query("SELECT id, note, code, price FROM item"),
            std::vector<std::string>{"1|kept|a|13"});
}

TEST_F(MyDiff, KeysChecksAndTableOptions) {
  round_trip(
      "CREATE TABLE p (id int AUTO_INCREMENT PRIMARY KEY, name varchar(20), body text, "
      "UNIQUE KEY u (name)) COMMENT 'people';\n"
      "CREATE TABLE c (id int PRIMARY KEY, p_id int, qty int CHECK (qty > 0), "
      "FOREIGN KEY (p_id) REFERENCES p (id));",
      "CREATE TABLE p (id int AUTO_INCREMENT, name varchar(20), body text, "
      "PRIMARY KEY (id), KEY byname (name), FULLTEXT KEY ft (body)) ENGINE=InnoDB "
      "DEFAULT CHARSET=utf8mb4;\n"
      "CREATE TABLE c (id int, p_id int, qty int CHECK (qty >= 0), PRIMARY KEY (id, qty), "
      "CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL, "
      "CONSTRAINT positive CHECK (id > 0));");
}

TEST_F(MyDiff, CyclicForeignKeysAreClosedAfterBothTables) {
  DiffResult r = round_trip(
      "CREATE TABLE keep (id int PRIMARY KEY);",
      "CREATE TABLE keep (id int PRIMARY KEY);\n"
      "CREATE TABLE a (id int PRIMARY KEY, b_id int);\n"
      "CREATE TABLE b (id int PRIMARY KEY, a_id int, FOREIGN KEY (a_id) REFERENCES a (id));\n"
      "ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id);");
  EXPECT_EQ(r.upgrade.back(),
            "ALTER TABLE `a` ADD CONSTRAINT `a_b` FOREIGN KEY (`b_id`) REFERENCES `b` (`id`)");
  EXPECT_TRUE(has(r.downgrade, "DROP TABLE `a`, `b`"));
}

TEST_F(MyDiff, ViewsTriggersAndRoutinesAsWholeObjects) {
  DiffResult r = round_trip(
      "CREATE TABLE t (id int PRIMARY KEY, name varchar(20), amount int);\n"
      "CREATE VIEW big AS SELECT id, amount FROM t WHERE amount > 10;\n"
      "CREATE VIEW bigger AS SELECT id FROM big WHERE amount > 100;\n"
      "CREATE TRIGGER t_name BEFORE INSERT ON t FOR EACH ROW SET NEW.name = lower(NEW.name);\n"
      "CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2;",
      "CREATE TABLE t (id int PRIMARY KEY, name varchar(20), amount bigint);\n"
      "CREATE VIEW big AS SELECT id, amount, name FROM t WHERE amount > 10;\n"
      "CREATE VIEW bigger AS SELECT id FROM big WHERE amount > 100;\n"
      "CREATE VIEW names AS SELECT name FROM t WITH CHECK OPTION;\n"
      "CREATE TRIGGER t_name BEFORE INSERT ON t FOR EACH ROW BEGIN\n"
      "  SET NEW.name = upper(NEW.name);\n  SET NEW.amount = coalesce(NEW.amount, 0);\nEND;\n"
      "CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x + x;\n"
      "CREATE PROCEDURE wipe() BEGIN DELETE FROM t; END;");
  EXPECT_TRUE(has(r.upgrade, "DROP TRIGGER `t_name`"));
  EXPECT_TRUE(has(r.upgrade, "DROP FUNCTION `twice`"));
  db.execute("INSERT INTO t (id, name) VALUES (1, 'ann')");
  EXPECT_EQ(db.query("SELECT name, amount, twice(2) FROM t"), std::vector<std::string>{"ANN|0|4"});
  db.execute("CALL wipe()");
  EXPECT_EQ(db.query("SELECT count(*) FROM t"), std::vector<std::string>{"0"});
}

// A column that a foreign key uses, at either end, changes while the key
// is away; the key comes back.
TEST_F(MyDiff, ColumnsThatForeignKeysUseChange) {
  round_trip(
      "CREATE TABLE p (id int PRIMARY KEY);\n"
      "CREATE TABLE c (id int PRIMARY KEY, p_id int, FOREIGN KEY (p_id) REFERENCES p (id));",
      "CREATE TABLE p (id bigint PRIMARY KEY);\n"
      "CREATE TABLE c (id int PRIMARY KEY, p_id bigint, FOREIGN KEY (p_id) REFERENCES p (id));");
}

// A schema file cannot take the scratch connection to another database.
TEST_F(MyDiff, TheScratchConnectionStaysInTheScratchDatabase) {
  TestDatabase other(Kind::MySQL, "");
  other.execute("CREATE TABLE precious (v text)");
  try {
    Project::open(dir.path())
        .diff(to("CREATE TABLE t (id int);\nUSE " + other.name() + ";\nDROP TABLE precious;"));
    FAIL() << "accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(e.line(), 2);
  }
  EXPECT_TRUE(other.has_table("precious"));
}

TEST_F(MyDiff, RenamesKeepTheirRows) {
  Project::open(dir.path())
      .diff(to("CREATE TABLE person (id int PRIMARY KEY, nick text);", "before"));
  upgrade();
  db.execute("INSERT INTO person VALUES (1, 'ann')");
  DiffOptions o = to("CREATE TABLE member (id int PRIMARY KEY, handle text);");
  o.renames = {"person=member", "member.nick=handle"};
  DiffResult r = Project::open(dir.path()).diff(o);
  EXPECT_EQ(r.upgrade.at(0), "ALTER TABLE `person` RENAME TO `member`");
  EXPECT_EQ(r.upgrade.at(1), "ALTER TABLE `member` RENAME COLUMN `nick` TO `handle`");
  EXPECT_TRUE(r.destructive.empty());
  upgrade();
  EXPECT_EQ(db.query("SELECT id, handle FROM member"), std::vector<std::string>{"1|ann"});
  downgrade();
  EXPECT_EQ(db.query("SELECT id, nick FROM person"), std::vector<std::string>{"1|ann"});
}

TEST_F(MyDiff, WhatCannotBeExpressedIsNamedAndNothingIsWritten) {
  try {
    Project::open(dir.path())
        .diff(to("CREATE TABLE t (id int PRIMARY KEY);\n"
                 "CREATE TABLE parts (id int) PARTITION BY HASH (id) PARTITIONS 2;\n"
                 "CREATE EVENT tidy ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;"));
    FAIL() << "written";
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find("partitioned table `parts`"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("event `tidy`"), std::string::npos) << e.what();
  }
  EXPECT_EQ(Project::open(dir.path()).heads().size(), 0u);
}

TEST_F(MyDiff, AnEmptyDatabaseOfTheUsersOwnServesWhenDatabasesCannotBeMade) {
  TestDatabase dev(Kind::MySQL, "");
  e2e::server_execute(Kind::MySQL, "DROP USER IF EXISTS 'mig_nocreate'@'localhost'");
  e2e::server_execute(Kind::MySQL, "CREATE USER 'mig_nocreate'@'localhost' IDENTIFIED BY 'pw'");
  e2e::server_execute(Kind::MySQL,
                      "GRANT ALL ON `" + dev.name() + "`.* TO 'mig_nocreate'@'localhost'");
  std::string dev_url = "mysql://mig_nocreate:pw@" + dev.url().substr(dev.url().find('@') + 1);
  // (That user cannot make a scratch database: the dev database is used.)
  EXPECT_THROW(Database::open(parse_url(dev_url, "test"), ConnectOptions{})
                   ->execute("CREATE DATABASE mig_dev_probe"),
               std::exception);
  DiffOptions o =
      to("CREATE TABLE t (id int PRIMARY KEY, k enum('x'));\n"
         "CREATE VIEW v AS SELECT id FROM t;");
  o.dev_url = dev_url;
  DiffResult r = Project::open(dir.path()).diff(o);
  EXPECT_NE(r.path, "");
  EXPECT_EQ(dev.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" +
                      dev.name() + "'"),
            std::vector<std::string>{"0"});
  // One that holds something is not a dev database: refused, left alone.
  dev.execute("CREATE TABLE precious (v text)");
  dev.execute("INSERT INTO precious VALUES ('kept')");
  o = to("CREATE TABLE t (id int);");
  o.dev_url = dev_url;
  o.check = true;
  EXPECT_THROW(Project::open(dir.path()).diff(o), OptionError);
  EXPECT_EQ(dev.query("SELECT v FROM precious"), std::vector<std::string>{"kept"});
  e2e::server_execute(Kind::MySQL, "DROP USER 'mig_nocreate'@'localhost'");
}

TEST_F(MyDiff, BaselineOfAnApplicationSchemaMakesItAgainOnAnEmptyDatabase) {
  TestDatabase live(Kind::MySQL, "");
  std::string sql =
      "CREATE TABLE tenant (id bigint AUTO_INCREMENT PRIMARY KEY, "
      "name varchar(100) NOT NULL UNIQUE);\n";
  for (int i = 1; i <= 22; ++i) {
    std::string t = "entity" + std::to_string(i), prev = "entity" + std::to_string(i - 1);
    sql +=
        "CREATE TABLE " + t + " (id int AUTO_INCREMENT PRIMARY KEY, tenant_id bigint NOT NULL, " +
        "prev_id int, state enum('new','active','closed') NOT NULL DEFAULT 'new', "
        "amount decimal(12,2) CHECK (amount >= 0), updated_at datetime, KEY by_state "
        "(tenant_id, state), FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE" +
        (i == 1 ? "" : ", FOREIGN KEY (prev_id) REFERENCES " + prev + " (id) ON DELETE SET NULL") +
        ") COMMENT 'entity " + std::to_string(i) + "';\n" + "CREATE TRIGGER " + t +
        "_touch BEFORE UPDATE ON " + t + " FOR EACH ROW SET NEW.updated_at = now();\n";
    if (i % 5 == 0)
      sql += "CREATE VIEW " + t + "_open AS SELECT id, tenant_id, amount FROM " + t +
             " WHERE state <> 'closed';\n";
  }
  sql +=
      "CREATE FUNCTION open_total(t bigint) RETURNS decimal(12,2) READS SQL DATA "
      "RETURN (SELECT coalesce(sum(amount), 0) FROM entity5_open WHERE tenant_id = t);\n";
  testing::load(Dialect::MySQL, live.url(), sql);
  live.execute("INSERT INTO tenant (name) VALUES ('acme')");
  testing::TempDir adopt;
  Project::init(adopt.path());
  adopt.write("mig.toml", "[database]\nurl = \"" + live.url() + "\"\n");
  BaselineResult b = Project::open(adopt.path()).baseline("adopt");
  EXPECT_GT(b.statements, 40u);
  EXPECT_EQ(live.query("SELECT name FROM tenant"), std::vector<std::string>{"acme"});
  EXPECT_TRUE(Project::open(adopt.path()).pending().empty());
  adopt.write("mig.toml", "[database]\nurl = \"" + db.url() + "\"\n");
  Project::open(adopt.path()).upgrade();
  EXPECT_EQ(definitions(db.url()), definitions(live.url()));
}

}  // namespace
}  // namespace mig
