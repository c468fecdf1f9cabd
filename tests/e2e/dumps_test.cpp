// End-to-end: a team's first revision is usually a dump of the database it
// already has. Real dumps made by Debian's pg_dump and mariadb-dump from
// databases built here are loaded as revisions with mig and with the
// database's own client into two databases, and compared (schema and rows);
// then downgraded and upgraded again. Bookkeeping must survive what a dump
// does to its session (search_path emptied, LOCK TABLES, SET ...).
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "config/url.h"
#include "database_support.h"
#include "diff/mysql_diff.h"
#include "harness.h"

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; its standard output. Fails the test on a non-zero exit.
std::string sh(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), &pclose);
  if (!pipe) throw std::runtime_error("cannot run " + cmd);
  std::string out;
  std::array<char, 4096> buf{};
  for (size_t n; (n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0;) out.append(buf.data(), n);
  int status = pclose(pipe.release());
  if (status != 0) throw std::runtime_error("exit " + std::to_string(status) + ": " + cmd);
  return out;
}

// A dump's lines minus those that differ between two dumps of equal
// databases: comments (dates, names) and psql's per-dump \restrict keys.
std::string comparable(const std::string& dump) {
  std::istringstream in(dump);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("--", 0) == 0 || line.rfind("\\restrict", 0) == 0 ||
        line.rfind("\\unrestrict", 0) == 0 || line.empty())
      continue;
    out += line + "\n";
  }
  return out;
}

// ---------------------------------------------------------------- PostgreSQL

const char* kPgSource = R"SQL(
CREATE SCHEMA shop;
CREATE TYPE shop.mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE shop.ticket_seq START 100;
CREATE TABLE shop.customer (id serial PRIMARY KEY, name text NOT NULL,
  mood shop.mood DEFAULT 'ok', note text);
CREATE TABLE shop.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id int REFERENCES shop.customer (id),
  ticket int DEFAULT nextval('shop.ticket_seq'), total numeric(10, 2));
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := coalesce(NEW.note, '') || '!'; RETURN NEW; END $$;
CREATE TRIGGER customer_touch BEFORE INSERT ON shop.customer
  FOR EACH ROW EXECUTE FUNCTION shop.touch();
CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE total > 100;
CREATE INDEX orders_total ON shop.orders (total);
INSERT INTO shop.customer (name, mood, note) VALUES
  ('Ann', 'happy', 'it''s; tricky'), ('Bob', 'sad', E'line\nbreak -- not a comment');
INSERT INTO shop.orders (customer_id, total) VALUES (1, 150.5), (2, 20);
)SQL";

std::string pg_tool(const std::string& tool, const TestDatabase& db, const std::string& args) {
  return sh(tool + " -X -q -d " + quote(db.url()) + " " + args + " 2>&1");
}

std::string pg_dump(const TestDatabase& db, const std::string& args) {
  return sh("pg_dump -d " + quote(db.url()) + " -T 'mig_*' " + args);
}

// Schema and rows of the user's objects (mig's tables left out).
std::string pg_contents(const TestDatabase& db) {
  return comparable(pg_dump(db, "--schema-only")) +
         comparable(pg_dump(db, "--data-only --inserts"));
}

// The same kind of schema in the connection's own schema, which is what
// mig diff reads.
const char* kPgApp = R"SQL(
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE ticket_seq START 100;
CREATE TABLE customer (id serial PRIMARY KEY, name text NOT NULL,
  mood mood DEFAULT 'ok', note text);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id int REFERENCES customer (id),
  ticket int DEFAULT nextval('ticket_seq'), total numeric(10, 2));
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := coalesce(NEW.note, '') || '!'; RETURN NEW; END $$;
CREATE TRIGGER customer_touch BEFORE INSERT ON customer
  FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
CREATE INDEX orders_total ON orders (total);
COMMENT ON TABLE orders IS 'what was bought';
INSERT INTO customer (name) VALUES ('Ann');
)SQL";

// The declarative workflow on real pg_dump output: the dump of a database
// is the desired schema, the database is changed and dumped again, and
// mig diff writes each next revision; mig baseline adopts that database.
TEST(PgDiffFromDump, RevisionsFollowTheDumpAndBaselineAdoptsItsDatabase) {
  Project p;
  TestDatabase source{Kind::PostgreSQL, ""}, app{Kind::PostgreSQL, ""};
  std::map<std::string, std::string> env = {{"DATABASE_URL", app.url()}};
  p.write("source.sql", kPgApp);
  pg_tool("psql", source, "-v ON_ERROR_STOP=1 -f " + quote(p / "source.sql"));
  p.write("schema.sql", pg_dump(source, "--schema-only --no-owner"));
  Result first = p.mig({"diff", "initial", "--to", "schema.sql"}, env);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("created migrations/"), std::string::npos) << first.out;
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  Result same = p.mig({"diff", "--check", "--to", "schema.sql"}, env);
  EXPECT_EQ(same.code, 0) << same.err;
  EXPECT_NE(same.out.find("no difference"), std::string::npos) << same.out;

  pg_tool("psql", source,
          "-v ON_ERROR_STOP=1 -c 'ALTER TABLE customer ADD COLUMN email text' "
          "-c 'CREATE UNIQUE INDEX customer_email ON customer (lower(email))' "
          "-c \"ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok'\"");
  p.write("schema.sql", pg_dump(source, "--schema-only --no-owner"));
  Result behind = p.mig({"diff", "--check", "--to", "schema.sql"}, env);
  EXPECT_EQ(behind.code, 1);
  EXPECT_NE(behind.out.find("ALTER TABLE customer ADD COLUMN email text;"), std::string::npos)
      << behind.out;
  Result next = p.mig({"diff", "add_email", "--to", "schema.sql"}, env);
  ASSERT_EQ(next.code, 0) << next.err;
  EXPECT_NE(next.out.find("it adds an enum value, so it runs outside a transaction"),
            std::string::npos)
      << next.out;
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  EXPECT_EQ(p.mig({"diff", "--check", "--to", "schema.sql"}, env).code, 0);
  // Two live databases compared by URL: nothing between them now.
  Result urls = p.mig({"diff", "--from", app.url(), "--to", source.url(), "--sql"}, env);
  EXPECT_EQ(urls.code, 0) << urls.err;
  std::string password = parse_url(source.url(), "test").password;
  ASSERT_FALSE(password.empty());
  EXPECT_EQ((urls.out + urls.err).find(password), std::string::npos) << urls.err;
  // Nor when the database is not there: its password is not printed.
  Result refused = p.mig({"diff", "--check", "--to", source.url() + "_none"}, env);
  EXPECT_EQ(refused.code, 1) << refused.err;
  EXPECT_NE(refused.err.find("_none"), std::string::npos) << refused.err;
  EXPECT_EQ((refused.out + refused.err).find(password), std::string::npos) << refused.err;
  EXPECT_NE(urls.err.find("no difference"), std::string::npos) << urls.out << urls.err;
  EXPECT_EQ(urls.out, "");

  Project adopt;
  std::map<std::string, std::string> at_source = {{"DATABASE_URL", source.url()}};
  Result baseline = adopt.mig({"baseline", "-m", "adopt"}, at_source);
  ASSERT_EQ(baseline.code, 0) << baseline.err;
  EXPECT_NE(baseline.out.find("is stamped as applied"), std::string::npos) << baseline.out;
  EXPECT_NE(adopt.mig({"status"}, at_source).out.find("pending:  none"), std::string::npos);
  EXPECT_EQ(source.query("SELECT name FROM customer"), V{"Ann"});  // nothing ran there
  // Its revision makes that schema on an empty database, as the dump does.
  TestDatabase fresh{Kind::PostgreSQL, ""};
  ASSERT_EQ(adopt.mig({"upgrade"}, {{"DATABASE_URL", fresh.url()}}).code, 0);
  EXPECT_EQ(comparable(pg_dump(fresh, "--schema-only --no-owner")),
            comparable(pg_dump(source, "--schema-only --no-owner")));
}

// Ctrl-C while mig diff works: it stops after the statement it is in,
// drops its scratch database and writes nothing (exit 130).
TEST(PgDiffFromDump, CtrlCDropsTheScratchDatabase) {
  Project p;
  TestDatabase app{Kind::PostgreSQL, ""};
  // A role of the test's own, whose databases can be counted.
  server_execute(Kind::PostgreSQL, "DROP ROLE IF EXISTS mig_diff_ctrl_c");
  server_execute(Kind::PostgreSQL, "CREATE ROLE mig_diff_ctrl_c LOGIN PASSWORD 'pw' CREATEDB");
  std::string dev = "postgresql://mig_diff_ctrl_c:pw@" + app.url().substr(app.url().find('@') + 1);
  auto owned = [] {
    TestDatabase any{Kind::PostgreSQL, ""};
    return any.query(
        "SELECT count(*) FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
        "WHERE r.rolname = 'mig_diff_ctrl_c'");
  };
  p.write("schema.sql", "CREATE TABLE t (id integer);\nSELECT pg_sleep(3);\n");
  int pid = p.spawn({"diff", "slow", "--to", "schema.sql", "--dev-url", dev},
                    {{"DATABASE_URL", app.url()}});
  for (int i = 0; i < 100 && owned() == V{"0"}; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(owned(), V{"1"});  // at work in its scratch database
  kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 130);
  EXPECT_EQ(owned(), V{"0"});
  EXPECT_TRUE(boost::filesystem::is_empty(p / "migrations"));
  server_execute(Kind::PostgreSQL, "DROP ROLE mig_diff_ctrl_c");
}

class PgDump : public ::testing::Test {
 protected:
  Project p;
  TestDatabase source{Kind::PostgreSQL, ""};
  TestDatabase by_mig{Kind::PostgreSQL, ""};
  TestDatabase by_psql{Kind::PostgreSQL, ""};

  Result mig(const TestDatabase& db, const V& args) {
    return p.mig(args, {{"DATABASE_URL", db.url()}});
  }

  void SetUp() override {
    p.write("source.sql", kPgSource);
    pg_tool("psql", source, "-v ON_ERROR_STOP=1 -f " + quote(p / "source.sql"));
    std::string dump = pg_dump(source, "--inserts");
    ASSERT_NE(dump.find("set_config('search_path', '', false)"), std::string::npos);
    p.write("dump.sql", dump);
    // The dump as the first revision; the next one relies on the session
    // it starts with (an unqualified name goes to public again).
    p.revision("r001", "", dump, "DROP SCHEMA shop CASCADE;");
    p.revision("r002", "r001", "CREATE TABLE after_dump (id integer);\nSET search_path = '';",
               "DROP TABLE public.after_dump;");
    p.revision("r003", "r002", "CREATE TABLE after_set (id integer);", "DROP TABLE after_set;");
    pg_tool("psql", by_psql, "-v ON_ERROR_STOP=1 -f " + quote(p / "dump.sql"));
    pg_tool("psql", by_psql,
            "-v ON_ERROR_STOP=1 -c 'CREATE TABLE after_dump (id integer)' "
            "-c 'CREATE TABLE after_set (id integer)'");
  }
};

TEST_F(PgDump, LoadsAsARevisionExactlyAsPsqlLoadsIt) {
  Result up = mig(by_mig, {"upgrade"});
  ASSERT_EQ(up.code, 0) << up.out << up.err;
  EXPECT_EQ(pg_contents(by_mig), pg_contents(by_psql));
  EXPECT_EQ(by_mig.query("SELECT revision FROM mig_revisions ORDER BY seq"),
            (V{"r001", "r002", "r003"}));
  EXPECT_EQ(by_mig.query("SELECT name, note FROM shop.customer ORDER BY id"),
            (V{"Ann|it's; tricky!", "Bob|line\nbreak -- not a comment!"}));
  // Round trip: down to nothing, and up again to the same database.
  Result down = mig(by_mig, {"downgrade", "base"});
  ASSERT_EQ(down.code, 0) << down.err;
  EXPECT_EQ(by_mig.query("SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'"), V{"0"});
  EXPECT_FALSE(by_mig.has_table("after_dump"));
  ASSERT_EQ(mig(by_mig, {"upgrade", "head"}).code, 0);
  EXPECT_EQ(pg_contents(by_mig), pg_contents(by_psql));
  EXPECT_EQ(mig(by_mig, {"status"}).out.find("drift"), std::string::npos);
}

// One revision per invocation gives what one run of all of them gives.
TEST_F(PgDump, OneRevisionPerRunGivesTheSameDatabase) {
  for (const char* target : {"r001", "r002", "r003"}) {
    Result r = mig(by_mig, {"upgrade", target});
    ASSERT_EQ(r.code, 0) << target << ": " << r.err;
  }
  EXPECT_EQ(pg_contents(by_mig), pg_contents(by_psql));
}

// The --sql script runs in psql the way a live run does.
TEST_F(PgDump, OfflineScriptRunsInPsql) {
  Result script = p.mig({"upgrade", "base:head", "--sql"}, {{"DATABASE_URL", by_mig.url()}});
  ASSERT_EQ(script.code, 0) << script.err;
  p.write("script.sql", script.out);
  pg_tool("psql", by_mig, "-v ON_ERROR_STOP=1 -f " + quote(p / "script.sql"));
  EXPECT_EQ(pg_contents(by_mig), pg_contents(by_psql));
  EXPECT_EQ(by_mig.query("SELECT revision FROM mig_revisions ORDER BY seq"),
            (V{"r001", "r002", "r003"}));
}

// pg_dump's default output loads rows with COPY FROM stdin, which only psql
// can feed: refused when the file is read, with the way out.
TEST_F(PgDump, CopyFromStdinIsRefusedWithTheFix) {
  p.revision("r001", "", pg_dump(source, ""), "DROP SCHEMA shop CASCADE;");
  Result r = mig(by_mig, {"upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("pg_dump --inserts"), std::string::npos) << r.err;
  EXPECT_FALSE(by_mig.has_table("mig_revisions"));
}

// ------------------------------------------------------------- MariaDB

const char* kMariadbSource = R"SQL(
CREATE TABLE customer (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL,
  note TEXT) ENGINE=InnoDB;
CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT,
  total DECIMAL(10,2), FOREIGN KEY (customer_id) REFERENCES customer (id)) ENGINE=InnoDB;
CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(80)) ENGINE=MyISAM;
INSERT INTO customer (name, note) VALUES ('Ann', 'it''s; tricky'), ('Bob', 'back\\slash -- no');
INSERT INTO orders (customer_id, total) VALUES (1, 150.5), (2, 20);
INSERT INTO audit (what) VALUES ('made');
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
DELIMITER //
CREATE TRIGGER customer_bi BEFORE INSERT ON customer FOR EACH ROW
BEGIN SET NEW.note = CONCAT(IFNULL(NEW.note, ''), '!'); END//
CREATE PROCEDURE add_order(IN c INT, IN t DECIMAL(10,2))
BEGIN INSERT INTO orders (customer_id, total) VALUES (c, t); END//
DELIMITER ;
)SQL";

std::string mariadb_args(const TestDatabase& db) {
  DatabaseUrl u = parse_url(db.url(), "test");
  return "--no-defaults --socket=" + quote(u.host) + " -u" + quote(u.user) + " -p" +
         quote(u.password) + " ";
}

std::string mariadb(const TestDatabase& db, const std::string& file) {
  return sh("mariadb " + mariadb_args(db) + db.name() + " < " + quote(file) + " 2>&1");
}

std::string mariadb_dump(const TestDatabase& db, const std::string& args) {
  std::string ignore;
  for (const char* t : {"revisions", "log", "seeds", "progress", "schema"})
    ignore += " --ignore-table=" + db.name() + ".mig_" + t;
  return sh("mariadb-dump " + mariadb_args(db) + "--skip-dump-date " + args + ignore + " " +
            db.name());
}

// Schema (with routines and triggers) and rows of the user's objects.
std::string mariadb_contents(const TestDatabase& db) {
  return comparable(mariadb_dump(db, "--no-data --routines --triggers")) +
         comparable(mariadb_dump(db, "--no-create-info --skip-triggers --skip-extended-insert"));
}

class MariadbDump : public ::testing::Test {
 protected:
  Project p;
  TestDatabase source{Kind::MySQL, ""};
  TestDatabase by_mig{Kind::MySQL, ""};
  TestDatabase by_client{Kind::MySQL, ""};

  Result mig(const TestDatabase& db, const V& args) {
    return p.mig(args, {{"DATABASE_URL", db.url()}});
  }

  void SetUp() override {
    p.write("source.sql", kMariadbSource);
    mariadb(source, p / "source.sql");
    std::string dump = mariadb_dump(source, "--routines --triggers");
    ASSERT_NE(dump.find("LOCK TABLES `customer` WRITE;"), std::string::npos) << dump;
    ASSERT_NE(dump.find("/*M!"), std::string::npos) << dump;
    p.write("dump.sql", dump);
    p.revision("r001", "", dump,
               "DROP VIEW big_orders;\nDROP PROCEDURE add_order;\nDROP TABLE orders;\n"
               "DROP TABLE customer;\nDROP TABLE audit;");
    // r002 leaves its session changed every way a script can; r003 checks,
    // inside its own run, that it starts from the run's session all the same
    // (the SELECT fails, "Subquery returns more than 1 row", if not).
    p.revision("r002", "r001",
               "CREATE TABLE after_dump (id INT PRIMARY KEY);\nLOCK TABLES after_dump WRITE;\n"
               "SET FOREIGN_KEY_CHECKS = 0;\nSET autocommit = 0;\nUSE mysql;",
               "DROP TABLE after_dump;");
    p.revision("r003", "r002",
               "SELECT IF(@@foreign_key_checks = 1 AND @@autocommit = 1 AND DATABASE() = '" +
                   by_mig.name() +
                   "', 1, (SELECT 1 UNION SELECT 2));\n"
                   "CREATE TABLE child (p INT, FOREIGN KEY (p) REFERENCES after_dump (id)) "
                   "ENGINE=InnoDB;\nINSERT INTO after_dump VALUES (1);",
               "DROP TABLE child;\nDELETE FROM after_dump;");
    mariadb(by_client, p / "dump.sql");
    p.write("after.sql",
            "CREATE TABLE after_dump (id INT PRIMARY KEY);\n"
            "CREATE TABLE child (p INT, FOREIGN KEY (p) REFERENCES after_dump (id)) "
            "ENGINE=InnoDB;\nINSERT INTO after_dump VALUES (1);\n");
    mariadb(by_client, p / "after.sql");
  }
};

TEST_F(MariadbDump, LoadsAsARevisionExactlyAsTheClientLoadsIt) {
  Result up = mig(by_mig, {"upgrade"});
  ASSERT_EQ(up.code, 0) << up.out << up.err;
  EXPECT_EQ(mariadb_contents(by_mig), mariadb_contents(by_client));
  EXPECT_EQ(by_mig.query("SELECT revision FROM mig_revisions ORDER BY seq"),
            (V{"r001", "r002", "r003"}));
  EXPECT_EQ(by_mig.query("SELECT count(*) FROM mig_progress"), V{"0"});
  // r003's row committed, and its table went into this database, not mysql.
  EXPECT_EQ(by_mig.query("SELECT id FROM after_dump"), V{"1"});
  EXPECT_EQ(by_mig.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                         "'mysql' AND table_name IN ('child', 'mig_revisions')"),
            V{"0"});
  Result down = mig(by_mig, {"downgrade", "base"});
  ASSERT_EQ(down.code, 0) << down.err;
  EXPECT_FALSE(by_mig.has_table("customer"));
  ASSERT_EQ(mig(by_mig, {"upgrade", "head"}).code, 0);
  EXPECT_EQ(mariadb_contents(by_mig), mariadb_contents(by_client));
}

TEST_F(MariadbDump, OneRevisionPerRunGivesTheSameDatabase) {
  for (const char* target : {"r001", "r002", "r003"}) {
    Result r = mig(by_mig, {"upgrade", target});
    ASSERT_EQ(r.code, 0) << target << ": " << r.err;
  }
  EXPECT_EQ(mariadb_contents(by_mig), mariadb_contents(by_client));
}

// A revision's own transaction is its own business, and mig's progress
// record must not claim more than is committed.
// The schema as mig diff compares it (a dump would differ in what is not
// schema: AUTO_INCREMENT counters, the creating session's character set).
std::string my_definitions(const TestDatabase& db) {
  auto conn = Database::open(parse_url(db.url(), "test"), ConnectOptions{});
  return mysql_definitions_text(read_mysql_schema(*conn, "mig_"));
}

// The declarative workflow on real mariadb-dump output (routines and
// triggers included), and mig baseline of the dumped database.
TEST(MariadbDiffFromDump, RevisionsFollowTheDumpAndBaselineAdoptsItsDatabase) {
  Project p;
  TestDatabase source{Kind::MySQL, ""}, app{Kind::MySQL, ""};
  std::map<std::string, std::string> env = {{"DATABASE_URL", app.url()}};
  p.write("source.sql", kMariadbSource);
  mariadb(source, p / "source.sql");
  auto dump = [&] {
    p.write("schema.sql", mariadb_dump(source, "--no-data --routines --triggers"));
  };
  dump();
  Result first = p.mig({"diff", "initial", "--to", "schema.sql"}, env);
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  Result same = p.mig({"diff", "--check", "--to", "schema.sql"}, env);
  EXPECT_EQ(same.code, 0) << same.out << same.err;

  source.execute(
      "ALTER TABLE customer ADD COLUMN email varchar(200) AFTER name, "
      "ADD UNIQUE KEY customer_email (email)");
  dump();
  Result behind = p.mig({"diff", "--check", "--to", "schema.sql"}, env);
  EXPECT_EQ(behind.code, 1);
  EXPECT_NE(behind.out.find("ADD COLUMN `email` varchar(200) DEFAULT NULL AFTER `name`"),
            std::string::npos)
      << behind.out;
  ASSERT_EQ(p.mig({"diff", "add_email", "--to", "schema.sql"}, env).code, 0);
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  EXPECT_EQ(p.mig({"diff", "--check", "--to", "schema.sql"}, env).code, 0);
  EXPECT_EQ(my_definitions(app), my_definitions(source));

  Project adopt;
  std::map<std::string, std::string> at_source = {{"DATABASE_URL", source.url()}};
  Result baseline = adopt.mig({"baseline", "-m", "adopt"}, at_source);
  ASSERT_EQ(baseline.code, 0) << baseline.err;
  EXPECT_NE(adopt.mig({"status"}, at_source).out.find("pending:  none"), std::string::npos);
  TestDatabase fresh{Kind::MySQL, ""};
  ASSERT_EQ(adopt.mig({"upgrade"}, {{"DATABASE_URL", fresh.url()}}).code, 0);
  EXPECT_EQ(my_definitions(fresh), my_definitions(source));
}

TEST(Mariadb, RevisionsOwnTransactionsAreKeptAndAnOpenOneIsRefused) {
  Project p;
  TestDatabase db(Kind::MySQL, "");
  std::map<std::string, std::string> env = {{"DATABASE_URL", db.url()}};
  // mysqldump --no-autocommit style: committed at its end.
  p.revision("a001", "",
             "CREATE TABLE t (v INT) ENGINE=InnoDB;\nSET autocommit = 0;\n"
             "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\ncommit;",
             "DROP TABLE t;");
  ASSERT_EQ(p.mig({"upgrade"}, env).code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM t"), V{"2"});
  // A block of several statements runs as the client runs them, not as one
  // transaction of mig's: the first INSERT stays when the second fails.
  p.revision("a002", "a001",
             "-- mig:statement begin\nINSERT INTO t VALUES (3); INSERT INTO nowhere VALUES (4);\n"
             "-- mig:statement end",
             "DELETE FROM t WHERE v = 3;");
  EXPECT_EQ(p.mig({"upgrade"}, env).code, 1);
  EXPECT_EQ(db.query("SELECT count(*) FROM t WHERE v = 3"), V{"1"});
  ASSERT_EQ(p.mig({"resolve", "a002", "--completed"}, env).code, 0);
  // Left open at the end, the revision's transaction would be rolled back
  // when the connection is reset: refused, recorded where it began.
  p.revision("a003", "a002",
             "CREATE TABLE u (v INT) ENGINE=InnoDB;\nSTART TRANSACTION;\nINSERT INTO u VALUES (1);",
             "DROP TABLE u;");
  Result open = p.mig({"upgrade"}, env);
  EXPECT_EQ(open.code, 1);
  EXPECT_NE(open.err.find("ends inside a transaction it opened itself"), std::string::npos)
      << open.err;
  EXPECT_EQ(db.query("SELECT statement_no, state FROM mig_progress"), V{"2|failed"});
  EXPECT_EQ(db.query("SELECT count(*) FROM u"), V{"0"});
}

// MariaDB's /*M! … */ comments run as SQL, as MySQL's /*! … */ do.
TEST(Mariadb, VersionedCommentsOfBothKindsRun) {
  Project p;
  TestDatabase db(Kind::MySQL, "");
  p.revision("a001", "",
             "/*!40101 CREATE TABLE mysql_kind (id INT) */;\n"
             "/*M!100100 CREATE TABLE mariadb_kind (id INT) */;",
             "DROP TABLE mysql_kind;\nDROP TABLE mariadb_kind;");
  Result r = p.mig({"upgrade"}, {{"DATABASE_URL", db.url()}});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(db.has_table("mysql_kind"));
  EXPECT_TRUE(db.has_table("mariadb_kind"));
}

}  // namespace
}  // namespace mig::e2e
