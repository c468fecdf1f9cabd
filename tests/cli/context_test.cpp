// What every command starts from (src/cli/context.cpp): the one place the
// CLI reads its process environment and hands it to the library as settings.
#include "cli/context.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <vector>

#include "../test_support.h"

namespace mig {
namespace {

// Sets environment variables for one test and puts them back after.
class Environment {
 public:
  void set(const char* name, const std::string& value) {
    remember(name);
    ::setenv(name, value.c_str(), 1);
  }
  void unset(const char* name) {
    remember(name);
    ::unsetenv(name);
  }
  ~Environment() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it)
      if (it->second)
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        ::unsetenv(it->first.c_str());
  }

 private:
  void remember(const char* name) {
    const char* v = std::getenv(name);
    saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(Context, TheEnvironmentBecomesSettingsOnce) {
  testing::TempDir dir;
  Environment env;
  env.unset("MIG_ENV");
  env.set("DATABASE_URL", "sqlite:" + dir / "from-env.db");
  env.set("XDG_CACHE_HOME", dir / "xdg");
  env.unset("MIG_CACHE");
  env.set("MIG_MODULE_DIR", dir / "modules");
  env.set("TMPDIR", dir.path());
  Context ctx;
  ctx.global.config = dir / "mig.toml";
  ctx.global.wait = 7;
  load_context(ctx);
  EXPECT_EQ(ctx.settings.url.path, dir / "from-env.db");
  EXPECT_EQ(ctx.settings.url_source, "DATABASE_URL");
  EXPECT_EQ(ctx.settings.cache_dir, dir / "xdg/mig");
  EXPECT_EQ(ctx.settings.module_dir, dir / "modules");
  EXPECT_EQ(ctx.settings.temp_dir, dir.path());
  EXPECT_EQ(ctx.settings.wait_seconds, 7);
  ASSERT_TRUE(ctx.project && ctx.observer && ctx.out);
  EXPECT_EQ(ctx.project->settings().cache_dir, dir / "xdg/mig");  // the project has them too
}

// A password in DATABASE_URL is masked even when --url wins over it: an
// error may still quote the URL it came from.
TEST(Context, EveryUrlGivenIsMaskedEvenOneThatLost) {
  testing::TempDir dir;
  Environment env;
  env.set("DATABASE_URL", "postgresql://app:env-s3cret@db/shop");
  Context ctx;
  ctx.global.config = dir / "mig.toml";
  ctx.global.url = "mysql://root:flag-s3cret@db/shop";
  ctx.global.url_given = true;
  load_context(ctx);
  EXPECT_EQ(ctx.settings.url_source, "--url");
  EXPECT_EQ(ctx.redactor->apply("env-s3cret flag-s3cret"), "*** ***");
}

TEST(Context, ANegativeWaitIsAUsageError) {
  testing::TempDir dir;
  Context ctx;
  ctx.global.config = dir / "mig.toml";
  ctx.global.url = "sqlite:" + dir / "a.db";
  ctx.global.url_given = true;
  ctx.global.wait = -1;
  EXPECT_THROW(load_context(ctx), UsageError);
}

}  // namespace
}  // namespace mig
