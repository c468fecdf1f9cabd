// Loading the PostgreSQL and MySQL modules on first use
// (src/db/backend_module.cpp): where they are looked for, and what a
// missing or broken one is reported as.
#include "db/backend_module.h"

#include <gtest/gtest.h>

#include "../test_support.h"
#include "config/url.h"
#include "mig/errors.h"

namespace mig {
namespace {

std::string open_error(const std::string& url, const std::string& module_dir) {
  ConnectOptions options;
  options.module_dir = module_dir;
  try {
    Database::open(parse_url(url, "t"), options);
  } catch (const ConnectError& e) {
    return std::string("connect: ") + e.what();
  } catch (const OperationError& e) {
    return e.what();
  }
  return "opened";
}

TEST(BackendModule, AModuleDirWithoutTheModuleSaysWhereItLooked) {
  testing::TempDir empty;
  std::string e = open_error("postgresql://nobody@%2Fnowhere/app", empty.path());
  EXPECT_EQ(e.rfind("PostgreSQL support is not installed: cannot load mig_postgresql.so", 0), 0u)
      << e;
  EXPECT_NE(e.find(empty / "mig_postgresql.so: not found"), std::string::npos) << e;
  e = open_error("mysql://nobody@%2Fnowhere/app", empty.path());
  EXPECT_NE(e.find("MySQL/MariaDB support is not installed"), std::string::npos) << e;
  EXPECT_NE(e.find(empty / "mig_mysql.so: not found"), std::string::npos) << e;
}

TEST(BackendModule, AFileThatIsNoModuleGivesTheLoadersReason) {
  testing::TempDir dir;
  dir.write("mig_postgresql.so", "not an ELF file\n");
  std::string e = open_error("postgresql://nobody@%2Fnowhere/app", dir.path());
  EXPECT_NE(e.find(dir / "mig_postgresql.so: "), std::string::npos) << e;
  EXPECT_EQ(e.find("not found"), std::string::npos) << e;  // dlopen's words instead
}

// Without a module_dir the module beside this executable (the build
// directory) is found, and the failure is then the connection's.
TEST(BackendModule, TheModuleBesideTheExecutableIsFoundByDefault) {
  std::string e = open_error("postgresql://nobody@%2Fnonexistent-mig-dir/app", "");
  EXPECT_EQ(e.rfind("connect: ", 0), 0u) << e;
  e = open_error("mysql://nobody@%2Fnonexistent-mig-dir%2Fmy.sock/app", "");
  EXPECT_EQ(e.rfind("connect: ", 0), 0u) << e;
}

}  // namespace
}  // namespace mig
