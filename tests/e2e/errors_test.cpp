// End-to-end: every kind of bad input exits 1 or 2 with a one-line error that
// names the file:line or the option, and leaves the database untouched.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include "harness.h"

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;

struct BadFile {
  const char* name;
  const char* text;
  const char* where;  // expected "file:line" fragment
};

void PrintTo(const BadFile& c, std::ostream* os) { *os << c.where; }

class MalformedFile : public ::testing::TestWithParam<BadFile> {};

TEST_P(MalformedFile, ExitsOneNamesFileLineAndTouchesNothing) {
  const BadFile& c = GetParam();
  Project p;
  p.revision("a001", "", "CREATE TABLE good (v INTEGER);", "DROP TABLE good;");
  p.write(std::string("migrations/") + c.name, c.text);
  Result r = p.mig({"upgrade", "head"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find(c.where), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(tables(p.db()), V{}) << "nothing may be created";
}

INSTANTIATE_TEST_SUITE_P(
    All, MalformedFile,
    ::testing::Values(
        BadFile{"b.sql", "-- mig:revision b002\n-- mig:parent a001\n-- mig:colour red\n",
                "migrations/b.sql:3: unknown directive"},
        BadFile{"b.sql", "-- mig:parent a001\n-- mig:upgrade\nSELECT 1;\n",
                "migrations/b.sql:2: missing -- mig:revision"},
        BadFile{"b.sql", "-- mig:revision a001\n-- mig:upgrade\nSELECT 1;\n",
                "migrations/b.sql:1: duplicate revision id a001"},
        BadFile{"b.sql", "-- mig:revision b002\n-- mig:parent zzzz\n-- mig:upgrade\n",
                "migrations/b.sql:2: unknown parent revision zzzz"},
        BadFile{"b.sql", "-- mig:revision b002\n-- mig:parent a001\nSELECT 1;\n",
                "migrations/b.sql:3: SQL before -- mig:upgrade"},
        BadFile{"b.sql", "-- mig:revision b002\n-- mig:parent a001\n-- mig:upgrade\nSELECT 'x;\n",
                "migrations/b.sql:4: unterminated string"},
        BadFile{"b.sql", "-- mig:revision b002\n-- mig:parent a001\n-- mig:upgrade\n/* x\n",
                "migrations/b.sql:4: unterminated /* comment"}));

TEST(MalformedFile, CycleNamesEveryFile) {
  Project p;
  p.revision("a001", "", "SELECT 1;");
  p.revision("b002", "c003", "SELECT 1;");
  p.revision("c003", "b002", "SELECT 1;");
  Result r = p.mig({"upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("b002.sql"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("c003.sql"), std::string::npos) << r.err;
  EXPECT_EQ(tables(p.db()), V{});
}

TEST(Usage, BadTargetsExitTwoAndCreateNothing) {
  Project p;
  p.revision("ab01", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.revision("ab02", "ab01", "SELECT 1;", "SELECT 1;");
  Result unknown = p.mig({"upgrade", "zzzz"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("no revision matches 'zzzz'"), std::string::npos) << unknown.err;
  Result ambiguous = p.mig({"upgrade", "ab"});
  EXPECT_EQ(ambiguous.code, 2);
  EXPECT_NE(ambiguous.err.find("ab01 ab02"), std::string::npos) << ambiguous.err;
  Result down = p.mig({"upgrade", "-1"});
  EXPECT_EQ(down.code, 2);
  EXPECT_EQ(down.err, "mig: error: upgrade target '-1' goes down; use mig downgrade\n");
  Result up = p.mig({"downgrade", "+1"});
  EXPECT_EQ(up.code, 2);
  EXPECT_EQ(up.err, "mig: error: downgrade target '+1' goes up; use mig upgrade\n");
  EXPECT_EQ(p.mig({"upgrade", "ab02+5"}).code, 2);
  EXPECT_EQ(tables(p.db()), V{});
}

TEST(Usage, SeveralHeadsMakeHeadAnError) {
  Project p;
  p.revision("root", "", "SELECT 1;");
  p.revision("left", "root", "SELECT 1;");
  p.revision("rite", "root", "SELECT 1;");
  Result r = p.mig({"upgrade", "head"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("several heads (left, rite)"), std::string::npos) << r.err;
  EXPECT_EQ(tables(p.db()), V{});
  EXPECT_EQ(p.mig({"upgrade", "heads"}).code, 0);
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM mig_revisions"), V{"3"});
}

TEST(Usage, OptionsAndConfig) {
  Project p;
  p.revision("a001", "", "SELECT 1;");
  Result bad_opt = p.mig({"upgrade", "--frobnicate"});
  EXPECT_EQ(bad_opt.code, 2);
  EXPECT_NE(bad_opt.err.find("--frobnicate"), std::string::npos) << bad_opt.err;
  EXPECT_EQ(p.mig({}).code, 2);
  EXPECT_EQ(p.mig({"nosuchcommand"}).code, 2);
  EXPECT_EQ(p.mig({"--help"}).code, 0);

  Result scheme = p.mig({"--url", "oracle://u:hunter2@h/db", "upgrade"});
  EXPECT_EQ(scheme.code, 2);
  EXPECT_NE(scheme.err.find("--url: unknown database URL scheme 'oracle'"), std::string::npos)
      << scheme.err;
  EXPECT_EQ(scheme.err.find("hunter2"), std::string::npos);

  Result env_scheme = p.mig({"upgrade"}, {{"DATABASE_URL", "redis://x"}});
  EXPECT_EQ(env_scheme.code, 2);
  EXPECT_NE(env_scheme.err.find("DATABASE_URL: unknown database URL scheme 'redis'"),
            std::string::npos);

  Result missing_config = p.mig({"--config", "nope.toml", "upgrade"});
  EXPECT_EQ(missing_config.code, 2);
  EXPECT_NE(missing_config.err.find("--config"), std::string::npos);

  p.write("mig.toml", "[database]\nurl = \"sqlite:x.db\"\nbogus = 1\n");
  Result bad_key = p.mig({"upgrade"});
  EXPECT_EQ(bad_key.code, 2);
  EXPECT_NE(bad_key.err.find("mig.toml:3: unknown setting 'database.bogus'"), std::string::npos)
      << bad_key.err;

  p.write("mig.toml", "[paths]\nmigrations = \"elsewhere\"\n");
  Result no_dir = p.mig({"upgrade"});
  EXPECT_EQ(no_dir.code, 2);
  EXPECT_NE(no_dir.err.find("elsewhere"), std::string::npos);
  EXPECT_EQ(tables(p.db()), V{});
  EXPECT_EQ(tables(p / "x.db"), V{});
}

TEST(Usage, JsonOnlyWhereOutputIsData) {
  Project p;
  p.revision("a001", "", "SELECT 1;");
  Result r = p.mig({"--json", "upgrade"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--json"), std::string::npos);
  // Commands that write files print no data: refused before writing any.
  p.revision("b001", "", "SELECT 1;");  // a second head, so a merge is possible
  for (auto args : std::vector<std::vector<std::string>>{
           {"--json", "revision", "x"}, {"--json", "merge", "-m", "join"}, {"--json", "init"}}) {
    Result w = p.mig(args);
    EXPECT_EQ(w.code, 2) << args[1];
    EXPECT_NE(w.err.find("--json: '" + args[1] + "' has no JSON output"), std::string::npos)
        << w.err;
  }
  EXPECT_EQ(std::distance(boost::filesystem::directory_iterator(p / "migrations"),
                          boost::filesystem::directory_iterator()),
            2);
}

TEST(Database, ServerBackendsAreRefusedClearlyForNow) {
  Project p;
  p.revision("a001", "", "SELECT 1;");
  Result r = p.mig({"--url", "postgresql://u:hunter2@127.0.0.1:1/db", "upgrade"});
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
}

TEST(Database, UnreadableDatabaseFileIsAnOperationError) {
  Project p;
  p.revision("a001", "", "SELECT 1;");
  p.write("var/mig.db", "this is not a sqlite database, just text that is long enough......");
  Result r = p.mig({"upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not a database"), std::string::npos) << r.err;
}

// PostgreSQL and MySQL live in modules beside the binary; without them the
// error says which file is missing and where it was looked for.
TEST(Modules, MissingBackendModuleIsNamed) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  testing::TempDir empty;
  for (const char* url : {"postgresql://u@127.0.0.1:1/db", "mysql://u@127.0.0.1:1/db"}) {
    Result r = p.mig({"upgrade", "head", "--url", url}, {{"MIG_MODULE_DIR", empty.path()}});
    EXPECT_EQ(r.code, 1) << r.err;
    std::string module =
        std::string(url).rfind("postgresql", 0) == 0 ? "mig_postgresql.so" : "mig_mysql.so";
    EXPECT_NE(r.err.find("support is not installed: cannot load " + module), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(empty.path() + "/" + module + ": not found"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(has_table(p.db(), "t"));
}

}  // namespace
}  // namespace mig::e2e

namespace mig::e2e {
namespace {

// Careless input found by an adversarial sweep: each is refused, or said out
// loud, and none changes the database.
TEST(Careless, MisspeltCommandSuggestsTheNearestAndHelpExplains) {
  Project p;
  Result typo = p.mig({"stauts"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("unknown command 'stauts'; did you mean 'status'?"), std::string::npos)
      << typo.err;
  Result global_first = p.mig({"--env", "prod", "upgarde"});
  EXPECT_NE(global_first.err.find("did you mean 'upgrade'?"), std::string::npos)
      << global_first.err;
  Result help = p.mig({"help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("downgrade"), std::string::npos) << help.out;
  Result help_upgrade = p.mig({"help", "upgrade"});
  EXPECT_EQ(help_upgrade.code, 0);
  EXPECT_NE(help_upgrade.out.find("--dry-run"), std::string::npos) << help_upgrade.out;
  EXPECT_EQ(p.mig({"help", "nope"}).code, 2);
}

TEST(Careless, ConflictingOptionsAreRefused) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.revision("a002", "a001", "-- mig:batch\nUPDATE t SET v = 1 WHERE v IS NULL;", "SELECT 1;",
             "-- mig:kind data\n");
  Result dot = p.mig({"--json", "history", "--format", "dot"});
  EXPECT_EQ(dot.code, 2);
  EXPECT_NE(dot.err.find("two output formats"), std::string::npos) << dot.err;
  EXPECT_EQ(p.mig({"upgrade", "--sql", "--seed"}).code, 2);
  EXPECT_EQ(p.mig({"upgrade", "--sql", "--schema-only"}).code, 2);
  // A batched statement cannot be written as a script that runs once.
  Result batched = p.mig({"upgrade", "base:head", "--sql"});
  EXPECT_EQ(batched.code, 1);
  EXPECT_NE(batched.err.find("a002.sql:8: a002 has a -- mig:batch statement"), std::string::npos)
      << batched.err;
  EXPECT_EQ(p.mig({"upgrade", "base:a001", "--sql"}).code, 0);
  EXPECT_EQ(tables(p.db()), V{});
}

// The library names its options in its own words (OptionError); the CLI
// says them as its flags, as it always has.
TEST(Usage, OptionErrorsNameTheFlags) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"revision", "x", "--seed", "--kind", "data"},
       "mig: error: --seed cannot be combined with --kind or --parent\n"},
      {{"revision", "x", "--branch", "b", "--parent", "a001"},
       "mig: error: --branch starts a new base revision; it cannot have --parent\n"},
      {{"revision", "x", "--template", "../x"},
       "mig: error: --template: invalid template name '../x'\n"},
      {{"upgrade", "--max-batches", "0"}, "mig: error: --max-batches must be at least 1\n"},
      {{"upgrade", "base:head"}, "mig: error: FROM:TO targets are only for --sql\n"},
      {{"upgrade", "--sql", "base:"}, "mig: error: --sql target must be FROM:TO, e.g. base:head\n"},
      {{"history", "--range", "{a}:b:c"},
       "mig: error: --range expects A:B (either side may be empty), not '{a}:b:c'\n"},
  };
  for (const auto& [args, err] : cases) {
    Result r = p.mig(args);
    EXPECT_EQ(r.code, 2) << args[0] << " " << args[1];
    EXPECT_EQ(r.err, err);
  }
  EXPECT_EQ(p.mig({"revision", "first", "--branch", "feature"}).code, 0);
  Result twice = p.mig({"revision", "second", "--branch", "feature"});
  EXPECT_EQ(twice.code, 2);
  EXPECT_EQ(
      twice.err.rfind("mig: error: --branch: there is already a branch labelled 'feature'", 0), 0u)
      << twice.err;
  EXPECT_EQ(tables(p.db()), V{});
}

TEST(Careless, EmptyValuesAreRefusedNotDefaulted) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  Result url = p.mig({"--url", "", "upgrade"});
  EXPECT_EQ(url.code, 2);
  EXPECT_NE(url.err.find("--url: empty database URL"), std::string::npos) << url.err;
  Result range = p.mig({"history", "--range", "a:b:c"});
  EXPECT_EQ(range.code, 2);
  EXPECT_NE(range.err.find("--range expects A:B"), std::string::npos) << range.err;
  // A half-applied revision, and `resolve ""` (which once settled every one).
  p.revision("a002", "a001", "CREATE TABLE u (v INTEGER);\nINSERT INTO nowhere VALUES (1);",
             "DROP TABLE u;", "-- mig:transaction off\n");
  EXPECT_EQ(p.mig({"upgrade"}).code, 1);
  Result empty = p.mig({"resolve", "", "--completed"});
  EXPECT_EQ(empty.code, 2);
  EXPECT_EQ(query(p.db(), "SELECT revision, state FROM mig_progress"), V{"a002|failed"});
  EXPECT_EQ(query(p.db(), "SELECT revision FROM mig_revisions"), V{"a001"});
  // A downgrade "to" a revision that is not applied is a mistyped target.
  ASSERT_EQ(p.mig({"resolve", "a002", "--reverted"}).code, 0);
  Result above = p.mig({"downgrade", "a002"});
  EXPECT_EQ(above.code, 2);
  EXPECT_NE(above.err.find("a002 is not applied"), std::string::npos) << above.err;
  EXPECT_EQ(query(p.db(), "SELECT revision FROM mig_revisions"), V{"a001"});
}

TEST(Careless, OddConfigFilesAreErrorsNamingThePath) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  boost::filesystem::create_directories(p / "mig.toml");
  Result dir = p.mig({"upgrade"});
  EXPECT_EQ(dir.code, 2);
  EXPECT_NE(dir.err.find("'mig.toml' is a directory"), std::string::npos) << dir.err;
  Result dev = p.mig({"--config", "/dev/zero", "upgrade"});
  EXPECT_EQ(dev.code, 2);
  EXPECT_NE(dev.err.find("'/dev/zero' is a device"), std::string::npos) << dev.err;
  EXPECT_FALSE(boost::filesystem::exists(p.db()));
}

TEST(Careless, DatabaseUrlOverAnEnvironmentIsSaid) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.write("mig.toml", "[environments.prod]\nurl = \"sqlite:prod.db\"\n");
  Result r = p.mig({"--env", "prod", "current"}, {{"DATABASE_URL", "sqlite:other.db"}});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("DATABASE_URL is set, so it is used instead of the url of "
                       "[environments.prod]"),
            std::string::npos)
      << r.err;
  // An empty DATABASE_URL is no URL: check does not claim to check a database.
  Result check = p.mig({"check"}, {{"DATABASE_URL", ""}});
  EXPECT_NE(check.out.find("files only"), std::string::npos) << check.out;
}

TEST(Careless, StatusExitCodeIsADeployGate) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  EXPECT_EQ(p.mig({"status", "--exit-code"}).code, 1);  // pending
  EXPECT_EQ(p.mig({"status"}).code, 0);
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  EXPECT_EQ(p.mig({"status", "--exit-code"}).code, 0);
  EXPECT_EQ(p.mig({"--json", "status", "--exit-code"}).code, 0);
  p.revision("a001", "", "CREATE TABLE t (v INTEGER, w INTEGER);", "DROP TABLE t;");
  EXPECT_EQ(p.mig({"status", "--exit-code"}).code, 1);  // edited since applied
}

// What a command waits for goes to stderr where stdout is the data asked for.
TEST(Careless, WaitingNoticesOfDataCommandsGoToStderr) {
  Project p;
  p.write("short.toml", "[database]\nlock_timeout = 1\n");
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  p.revision("a002", "a001", "CREATE TABLE u (v INTEGER);", "DROP TABLE u;");
  WriteLock held(p.db());
  Result dry = p.mig({"--config", "short.toml", "upgrade", "--dry-run"});
  EXPECT_EQ(dry.code, 1);
  EXPECT_EQ(dry.out.find("waiting"), std::string::npos) << dry.out;
  EXPECT_NE(dry.err.find("waiting up to 1 s"), std::string::npos) << dry.err;
  Result status =
      p.mig({"--wait", "1", "status"}, {{"DATABASE_URL", "postgresql://u:pw@127.0.0.1:1/app"}});
  EXPECT_EQ(status.code, 1);
  EXPECT_EQ(status.out.find("waiting"), std::string::npos) << status.out;
  EXPECT_NE(status.err.find("waiting up to 1 s"), std::string::npos) << status.err;
  // A malformed file is the error, and the wait that went on meanwhile is
  // still told, not swallowed.
  p.write("migrations/zz.sql", "-- mig:revision zz\n-- mig:upgrade\nSELECT 'open;\n");
  Result bad =
      p.mig({"--wait", "1", "status"}, {{"DATABASE_URL", "postgresql://u:pw@127.0.0.1:1/app"}});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("zz.sql:3: unterminated"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("waiting up to 1 s"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace mig::e2e
