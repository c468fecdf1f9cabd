// Database::existing_tables on each database, as VersionStore asks for its
// tables: one query on the servers.
#include <gtest/gtest.h>

#include <algorithm>

#include "connection_support.h"

namespace mig {
namespace {

using V = std::vector<std::string>;

// A view is not a table; a name in another case is another table, except
// on SQLite, whose names are the same in any case.
TEST(Database, ExistingTablesAreThoseOfTheListThatAreThere) {
  for (Dialect dialect : {Dialect::SQLite, Dialect::PostgreSQL, Dialect::MySQL}) {
    testing::Connected c(dialect);
    auto db = c.open();
    db->run("CREATE TABLE present_one (x int)");
    db->run("CREATE TABLE present_two (x int)");
    db->run("CREATE VIEW a_view AS SELECT x FROM present_one");
    auto found =
        db->existing_tables({"present_one", "missing", "a_view", "PRESENT_TWO", "present_two"});
    std::sort(found.begin(), found.end());
    V expected = dialect == Dialect::SQLite ? V{"PRESENT_TWO", "present_one", "present_two"}
                                            : V{"present_one", "present_two"};
    EXPECT_EQ(found, expected) << static_cast<int>(dialect);
    EXPECT_TRUE(db->existing_tables({}).empty());
  }
}

}  // namespace
}  // namespace mig
