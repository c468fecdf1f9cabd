// Groups in the library: [groups.NAME] read from mig.toml, turned into
// targets (globs, lists, files, queries on a SQLite control database),
// narrowed by patterns, and run_group's outcomes and failure policy, on
// real SQLite files.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "../test_support.h"
#include "config/settings.h"
#include "errors.h"
#include "mig/group.h"

namespace mig {
namespace {

using V = std::vector<std::string>;

class Groups : public ::testing::Test {
 protected:
  testing::TempDir dir;
  testing::Env env;

  Settings settings(const std::string& toml) {
    dir.write("mig.toml", toml);
    Overrides o;
    o.config_path = dir / "mig.toml";
    Settings s = load_settings(o, env.lookup());
    s.migrations_dir = dir / "migrations";
    return s;
  }
  static V names(const std::vector<GroupTarget>& targets) {
    V out;
    for (const auto& t : targets) out.push_back(t.name);
    return out;
  }
  std::string error(const Settings& s, const std::string& group, const V& patterns = {}) {
    try {
      group_targets(s, group, patterns, env.lookup());
    } catch (const UsageError& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::string config_error(const std::string& toml) {
    try {
      settings(toml);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "(no error)";
  }
};

TEST_F(Groups, GlobsListsAndFilesInOrderWithNamesMadeOrGiven) {
  for (const char* f : {"data/shard_2.db", "data/shard_1.db", "data/shard_10.db"}) dir.write(f, "");
  env.vars["ONE"] = "one.db";
  dir.write("more.txt", "# shards made by hand\n\nsqlite:${ONE}\nextra   sqlite:x/two.db\n");
  Settings s = settings(
      "[groups.g]\ntargets = [\"sqlite:data/shard_*.db\", { name = \"pg\", url = "
      "\"postgresql://u:secret@h:5433/app\" }, \"mysql://u@h/shop\"]\nfile = \"more.txt\"\n");
  auto targets = group_targets(s, "g", {}, env.lookup());
  EXPECT_EQ(names(targets), V({"shard_1", "shard_10", "shard_2", "pg", "shop", "one", "extra"}));
  EXPECT_EQ(targets[0].url.path, dir / "data/shard_1.db");  // relative to mig.toml
  EXPECT_EQ(targets[3].url.password, "secret");             // kept for connecting
  EXPECT_EQ(targets[5].url.path, dir / "one.db");
  EXPECT_EQ(names(group_targets(s, "g", {"shard_1*", "e*"}, env.lookup())),
            V({"shard_1", "shard_10", "extra"}));
  EXPECT_NE(error(s, "g", {"shard_1", "nothing*"}).find("'nothing*' matches no target"),
            std::string::npos);
  EXPECT_NE(error(s, "other").find("no [groups.other]"), std::string::npos);
  EXPECT_NE(error(s, "other").find("groups: g"), std::string::npos);
}

TEST_F(Groups, NamesThatClashTakeLongerFormsAndOneGivenTwiceIsRefused) {
  dir.write("eu/shard.db", "");
  dir.write("us/shard.db", "");
  Settings s = settings(
      "[groups.a]\ntargets = [\"sqlite:eu/*.db\", \"sqlite:us/*.db\"]\n"
      "[groups.b]\ntargets = [{ name = \"x\", url = \"sqlite:a.db\" }, "
      "{ name = \"x\", url = \"sqlite:b.db\" }]\n"
      "[groups.c]\ntargets = [\"sqlite:a.db\", \"sqlite:./a.db\", \"sqlite:a.db\"]\n"
      "[groups.d]\ntargets = [\"sqlite:none/*.db\"]\n");
  V made = names(group_targets(s, "a"));
  ASSERT_EQ(made.size(), 2u);
  EXPECT_NE(made[0], made[1]);
  EXPECT_NE(made[0].find("eu"), std::string::npos) << made[0];
  EXPECT_NE(error(s, "b").find("mig.toml:4: groups.b.targets: target name 'x' is taken by"),
            std::string::npos)
      << error(s, "b");
  EXPECT_NE(error(s, "c").find("is a target already"), std::string::npos) << error(s, "c");
  EXPECT_NE(error(s, "d").find("no file matches"), std::string::npos) << error(s, "d");
}

TEST_F(Groups, MalformedGroupsAreRefusedWithTheirLine) {
  struct Case {
    std::string toml, says;
  };
  std::vector<Case> cases = {
      {"[groups.g]\n", "names no databases"},
      {"[groups.g]\ntargets = \"sqlite:a.db\"\n", "mig.toml:2: groups.g.targets must be an array"},
      {"[groups.g]\ntargets = [\n  1,\n]\n", "mig.toml:3: groups.g.targets: each target is"},
      {"[groups.g]\ntargets = [{ url = \"sqlite:a.db\", port = 1 }]\n", "unknown setting"},
      {"[groups.g]\nschemas = [\"a\"]\n", "need url"},
      {"[groups.g]\nurl = \"postgresql://h/db\"\n", "give one of them"},
      {"[groups.g]\nfiles = \"x\"\n", "unknown setting 'groups.g.files'"},
      {"[groups.\"a b\"]\nfile = \"x\"\n", "a group's name is"},
  };
  for (const auto& c : cases) {
    std::string e = config_error(c.toml);
    EXPECT_NE(e.find(c.says), std::string::npos) << c.toml << " -> " << e;
  }
  Settings s = settings(
      "[groups.p]\ntargets = [{ url = \"sqlite:a.db\", schema = \"t\" }]\n"
      "[groups.q]\nurl = \"postgresql://h/db\"\nschemas = [\"Acme\"]\n"
      "[groups.r]\nfile = \"list.txt\"\n"
      "[groups.n]\ntargets = [{ name = \"../up\", url = \"sqlite:a.db\" }]\n");
  EXPECT_NE(error(s, "p").find("a schema is for PostgreSQL"), std::string::npos);
  // ${VAR} is expanded when the group is used: only then is it needed.
  Settings unset = settings("[groups.g]\nfile = \"${NOT_SET}.txt\"\n");
  EXPECT_NE(error(unset, "g").find("mig.toml:2: groups.g.file: environment variable NOT_SET"),
            std::string::npos)
      << error(unset, "g");
  EXPECT_NE(error(s, "q").find("[a-z0-9_]"), std::string::npos);
  EXPECT_NE(error(s, "n").find("target name '../up'"), std::string::npos);
  dir.write("list.txt", "sqlite:a.db\na b c\n");
  EXPECT_NE(error(s, "r").find("list.txt:2: a line holds a URL"), std::string::npos)
      << error(s, "r");
}

TEST_F(Groups, AnEnvironmentReplacesAGroupOfItsName) {
  dir.write("prod.db", "");
  Settings s = settings(
      "[groups.g]\ntargets = [\"sqlite:dev.db\"]\n"
      "[environments.prod.groups.g]\ntargets = [\"sqlite:prod.db\"]\n");
  EXPECT_EQ(names(group_targets(s, "g")), V{"dev"});
  dir.write("mig.toml",
            "[groups.g]\ntargets = [\"sqlite:dev.db\"]\n"
            "[environments.prod.groups.g]\ntargets = [\"sqlite:prod.db\"]\n");
  Overrides o;
  o.config_path = dir / "mig.toml";
  o.env = "prod";
  EXPECT_EQ(names(group_targets(load_settings(o, env.lookup()), "g")), V{"prod"});
}

TEST_F(Groups, AQueryOnAControlDatabaseListsTargets) {
  testing::sqlite_exec(dir / "control.db",
                       "CREATE TABLE shard (name TEXT, url TEXT);"
                       "INSERT INTO shard VALUES ('s1', 'sqlite:s1.db'), ('s2', 'sqlite:s2.db');"
                       "CREATE TABLE bad (url TEXT); INSERT INTO bad VALUES (NULL);");
  Settings s = settings(
      "[database]\nurl = \"sqlite:control.db\"\n"
      "[groups.g]\nquery = \"SELECT name, url FROM shard ORDER BY name\"\n"
      "[groups.n]\nquery = \"SELECT url FROM bad\"\n"
      "[groups.x]\nquery = \"SELECT nothing FROM nowhere\"\n");
  auto targets = group_targets(s, "g");
  EXPECT_EQ(names(targets), V({"s1", "s2"}));
  EXPECT_EQ(targets[1].url.path, dir / "s2.db");
  EXPECT_NE(error(s, "n").find("row 1: the query returned NULL"), std::string::npos);
  try {
    group_targets(s, "x");
    ADD_FAILURE() << "a failing query was taken";
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find("the query on SQLite file"), std::string::npos)
        << e.what();
  }
}

TEST_F(Groups, TargetSettingsPointAtTheTargetAndItsSchema) {
  Settings s = settings(
      "[groups.t]\nurl = \"postgresql://u@h/app?sslmode=disable\"\n"
      "schemas = [\"acme\"]\n");
  auto targets = group_targets(s, "t");
  ASSERT_EQ(targets.size(), 1u);
  Settings t = target_settings(s, targets[0]);
  EXPECT_EQ(t.schema, "acme");
  EXPECT_EQ(t.url.database, "app");
  EXPECT_NE(std::find(t.url.params.begin(), t.url.params.end(),
                      std::make_pair(std::string("options"), std::string("-c search_path=acme"))),
            t.url.params.end());
  EXPECT_EQ(targets[0].describe().rfind("schema 'acme' of ", 0), 0u);
}

// One failure under stop (one target at a time): the targets after it are
// not started; under continue every one runs. Results keep the group's order.
TEST_F(Groups, RunGroupStopsOrContinuesAfterAFailure) {
  for (const char* f : {"a.db", "b.db", "c.db", "d.db"}) dir.write(f, "");
  dir.write("migrations/r1.sql",
            "-- mig:revision r001\n-- mig:upgrade\nCREATE TABLE one (id INTEGER);\n"
            "-- mig:downgrade\nDROP TABLE one;\n");
  dir.write("migrations/r2.sql",
            "-- mig:revision r002\n-- mig:parent r001\n-- mig:upgrade\nCREATE TABLE two (id "
            "INTEGER);\n-- mig:downgrade\nDROP TABLE two;\n");
  testing::sqlite_exec(dir / "b.db", "CREATE TABLE two (id INTEGER)");  // r002 fails on b
  Settings s = settings("[groups.g]\ntargets = [\"sqlite:*.db\"]\n");
  auto targets = group_targets(s, "g");
  ASSERT_EQ(names(targets), V({"a", "b", "c", "d"}));
  auto upgrade = [](Project& p, TargetResult&) { p.upgrade(); };
  GroupOptions stop;
  stop.jobs = 1;
  auto r = run_group(s, targets, stop, upgrade);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].outcome, "ok");
  EXPECT_EQ(r[0].steps, 2);
  EXPECT_EQ(r[0].after, V{"r002"});
  EXPECT_EQ(r[1].outcome, "failed");
  EXPECT_EQ(r[1].before, V{});
  EXPECT_EQ(r[1].after, V{"r001"});  // where the failure left it
  EXPECT_EQ(r[1].steps, 1);
  EXPECT_NE(r[1].error.find("r002"), std::string::npos) << r[1].error;
  EXPECT_TRUE(r[1].exception);
  EXPECT_EQ(r[2].outcome, "not started");
  EXPECT_EQ(r[3].outcome, "not started");

  GroupOptions go_on;
  go_on.jobs = 3;
  go_on.stop_on_error = false;
  r = run_group(s, targets, go_on, upgrade);
  EXPECT_EQ(r[0].outcome, "ok");
  EXPECT_EQ(r[0].steps, 0);  // done already
  EXPECT_EQ(r[1].outcome, "failed");
  EXPECT_EQ(r[2].outcome, "ok");
  EXPECT_EQ(r[2].steps, 2);
  EXPECT_EQ(r[3].outcome, "ok");

  std::atomic<bool> interrupt{true};  // set before anything starts
  GroupOptions stopped;
  stopped.interrupt = &interrupt;
  testing::sqlite_exec(dir / "e.db", "");
  auto more = group_targets(s, "g", {"e"});
  r = run_group(s, more, stopped, upgrade);
  EXPECT_EQ(r[0].outcome, "not started");
}

}  // namespace
}  // namespace mig
