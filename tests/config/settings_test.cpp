#include "config/settings.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "../test_support.h"
#include "errors.h"

namespace mig {
namespace {

Overrides at(const testing::TempDir& dir) {
  Overrides o;
  o.config_path = dir / "mig.toml";
  return o;
}

TEST(Settings, DefaultsWithoutConfigFile) {
  testing::TempDir dir;
  testing::Env env;
  Settings s = load_settings(at(dir), env.lookup());
  EXPECT_TRUE(s.config_path.empty());
  EXPECT_EQ(s.url.dialect, Dialect::SQLite);
  EXPECT_EQ(s.url.path, "var/mig.db");
  EXPECT_EQ(s.url_source, "default");
  EXPECT_EQ(s.table_prefix, "mig_");
  EXPECT_EQ(s.migrations_dir, "migrations");
}

TEST(Settings, ReadsEveryKeyRelativeToTheFile) {
  testing::TempDir dir;
  dir.write("mig.toml",
            "[database]\nurl = \"sqlite:data/app.db\"\ntable_prefix = \"ver_\"\nlock_timeout = 5\n"
            "[paths]\nmigrations = \"db/rev\"\nseed = \"db/seed\"\ntemplates = \"tpl\"\n"
            "[revision]\nfile_template = \"{{id}}.sql\"\n");
  testing::Env env;
  Settings s = load_settings(at(dir), env.lookup());
  EXPECT_EQ(s.url.path, dir / "data/app.db");
  EXPECT_EQ(s.table_prefix, "ver_");
  EXPECT_EQ(s.lock_timeout, 5);
  EXPECT_EQ(s.migrations_dir, dir / "db/rev");
  EXPECT_EQ(s.seed_dir, dir / "db/seed");
  EXPECT_EQ(s.templates_dir, dir / "tpl");
  EXPECT_EQ(s.file_template, "{{id}}.sql");
}

TEST(Settings, Precedence) {
  testing::TempDir dir;
  dir.write("mig.toml",
            "[database]\nurl = \"sqlite:top.db\"\n"
            "[environments.ci]\nurl = \"sqlite:ci.db\"\npaths.migrations = \"ci_migrations\"\n");
  testing::Env env;
  Overrides o = at(dir);
  EXPECT_EQ(load_settings(o, env.lookup()).url.path, dir / "top.db");
  o.env = "ci";
  Settings ci = load_settings(o, env.lookup());
  EXPECT_EQ(ci.url.path, dir / "ci.db");
  EXPECT_EQ(ci.migrations_dir, dir / "ci_migrations");
  EXPECT_EQ(ci.environment, "ci");
  env.vars["DATABASE_URL"] = "sqlite:from_env.db";
  EXPECT_EQ(load_settings(o, env.lookup()).url.path, "from_env.db");  // relative to cwd
  // DATABASE_URL over a chosen environment's own url is said out loud.
  Settings over = load_settings(o, env.lookup());
  ASSERT_EQ(over.warnings.size(), 1u);
  EXPECT_NE(over.warnings[0].find("instead of the url of [environments.ci] (--env ci)"),
            std::string::npos)
      << over.warnings[0];
  o.url = "sqlite:from_flag.db";
  o.url_given = true;
  Settings flag = load_settings(o, env.lookup());
  EXPECT_EQ(flag.url.path, "from_flag.db");
  EXPECT_EQ(flag.url_source, "--url");
  EXPECT_TRUE(flag.warnings.empty());
  // An empty --url is a mistake, not "use mig.toml".
  o.url.clear();
  EXPECT_THROW(load_settings(o, env.lookup()), UsageError);
  // An empty DATABASE_URL is no URL at all.
  o.url_given = false;
  env.vars["DATABASE_URL"] = "";
  EXPECT_EQ(load_settings(o, env.lookup()).url_source, "mig.toml [environments.ci]");
}

TEST(Settings, MigEnvSelectsEnvironment) {
  testing::TempDir dir;
  dir.write("mig.toml", "[environments.dev.database]\nurl = \"sqlite:dev.db\"\n");
  testing::Env env;
  env.vars["MIG_ENV"] = "dev";
  EXPECT_EQ(load_settings(at(dir), env.lookup()).url.path, dir / "dev.db");
}

TEST(Settings, ExpandsVariables) {
  testing::TempDir dir;
  dir.write("mig.toml",
            "[database]\nurl = \"sqlite:${DB_DIR}/${DB_NAME:-app}.db\"\n"
            "table_prefix = \"${PREFIX:-mig_}\"\n");
  testing::Env env;
  env.vars["DB_DIR"] = "/srv";
  Settings s = load_settings(at(dir), env.lookup());
  EXPECT_EQ(s.url.path, "/srv/app.db");
  EXPECT_EQ(s.table_prefix, "mig_");
  env.vars["DB_NAME"] = "shop";
  EXPECT_EQ(load_settings(at(dir), env.lookup()).url.path, "/srv/shop.db");
  EXPECT_EQ(expand_variables("a${DB_DIR}b${NONE:-}c", env.lookup(), "w"), "a/srvbc");
  EXPECT_THROW(expand_variables("a${DB_DIR", env.lookup(), "w"), UsageError);
}

void expect_usage_error(const std::string& toml, const std::string& words, Overrides o,
                        const testing::Env& env = {}) {
  testing::TempDir dir;
  dir.write("mig.toml", toml);
  o.config_path = dir / "mig.toml";
  try {
    load_settings(o, env.lookup());
    FAIL() << toml;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(Settings, ErrorsNameFileLineKeyOrOption) {
  Overrides o;
  expect_usage_error("[database]\nurl = 42\n", "mig.toml:2: database.url must be a string", o);
  expect_usage_error("[database]\nuri = \"x\"\n", "mig.toml:2: unknown setting 'database.uri'", o);
  expect_usage_error("[database]\nlock_timeout = -1\n", "lock_timeout", o);
  expect_usage_error("[database\n", "mig.toml:1:", o);
  expect_usage_error("[database]\nurl = \"${NOPE}\"\n", "NOPE is not set", o);
  expect_usage_error("[database]\nurl = \"oracle:x\"\n", "unknown database URL scheme 'oracle'", o);
  expect_usage_error("[database]\ntable_prefix = \"bad-prefix\"\n", "table_prefix", o);
  o.env = "nosuch";
  expect_usage_error("", "--env: no [environments.nosuch]", o);
}

TEST(Settings, ConfigThatIsNotARegularFileIsAnError) {
  testing::TempDir dir;
  boost::filesystem::create_directories(dir / "mig.toml");
  testing::Env env;
  for (const std::string& path : {dir / "mig.toml", std::string("/dev/zero")}) {
    Overrides o;
    o.config_path = path;
    try {
      load_settings(o, env.lookup());
      FAIL() << path;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + path + "' is a"), std::string::npos) << e.what();
    }
  }
  // A FIFO is refused without being opened (opening it would hang).
  std::string fifo = dir / "fifo.toml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Overrides o;
  o.config_path = fifo;
  o.config_given = true;
  EXPECT_THROW(load_settings(o, env.lookup()), UsageError);
  boost::filesystem::create_symlink(dir / "gone.toml", dir / "link.toml");
  o.config_path = dir / "link.toml";
  o.config_given = false;  // a default path: a missing file would be no error
  try {
    load_settings(o, env.lookup());
    FAIL() << "a dangling link read as no configuration";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link to nothing"), std::string::npos)
        << e.what();
  }
}

TEST(Settings, ParsesConfigurationText) {
  testing::Env env;
  Settings s =
      parse_settings("[database]\ntable_prefix = \"t_\"\n", "conf/mig.toml", {}, env.lookup());
  EXPECT_EQ(s.table_prefix, "t_");
  EXPECT_EQ(s.migrations_dir, "conf/migrations");
  try {
    parse_settings("[database]\nurl = 1\n", "conf/mig.toml", {}, env.lookup());
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("conf/mig.toml:2:", 0), 0u) << e.what();
  }
}

TEST(Settings, CharactersBeyondAsciiOnlyInStringsAndComments) {
  testing::Env env;
  auto parse = [&](const std::string& text) {
    return parse_settings(text, "mig.toml", {}, env.lookup());
  };
  // toml++ itself would reach undefined behaviour on these.
  for (const char* bad : {"[database]\nurl = \xc3\xa9\n", "a =\xef\xbb\xbd 1\n"}) {
    try {
      parse(bad);
      FAIL() << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("beyond ASCII"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(parse("# caf\xc3\xa9\n[database]\ntable_prefix = \"t_\" # \xc3\xa9\n").table_prefix,
            "t_");
  EXPECT_EQ(parse("\xEF\xBB\xBF[database]\ntable_prefix = \"t_\"\n").table_prefix, "t_");
  EXPECT_EQ(parse("[revision]\nfile_template = '''\xc3\xa9{{id}}.sql'''\n").file_template,
            "\xc3\xa9{{id}}.sql");
  EXPECT_EQ(parse("[revision]\nfile_template = \"\\\"\xc3\xa9{{id}}.sql\"\n").file_template,
            "\"\xc3\xa9{{id}}.sql");
}

TEST(Settings, MissingExplicitConfigIsAnError) {
  Overrides o;
  o.config_path = "/nonexistent/mig.toml";
  o.config_given = true;
  testing::Env env;
  EXPECT_THROW(load_settings(o, env.lookup()), UsageError);
}

}  // namespace
}  // namespace mig
