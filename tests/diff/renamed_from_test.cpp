// `-- mig:renamed-from` markers in a desired schema (src/diff/renamed_from.cpp).
#include "diff/renamed_from.h"

#include <gtest/gtest.h>

#include "mig/errors.h"

namespace mig {
namespace {

using V = std::vector<std::string>;

TEST(RenamedFrom, TablesFirstThenColumnsUnderTheNewNames) {
  MarkedSchema m = read_renamed_from(
      "CREATE TABLE members (  -- mig:renamed-from users\n"
      "  id INTEGER PRIMARY KEY,\n"
      "  full_name TEXT NOT NULL, -- mig:renamed-from name\n"
      "  \"e mail\" TEXT -- mig:renamed-from email\n"
      ");\n"
      "CREATE TABLE IF NOT EXISTS public.posts (body TEXT);\n",
      "schema.sql");
  EXPECT_EQ(m.renames, (V{"users=members", "members.name=full_name", "members.email=e mail"}));
  EXPECT_EQ(m.text.find("mig:renamed-from"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("  full_name TEXT NOT NULL,"), std::string::npos) << m.text;
  EXPECT_EQ(std::count(m.text.begin(), m.text.end(), '\n'), 6);  // lines keep their numbers
}

TEST(RenamedFrom, AMarkerThatSaysNothingNamesItsLine) {
  auto line_of = [](const std::string& text) {
    try {
      read_renamed_from(text, "schema.sql");
    } catch (const FileError& e) {
      return std::to_string(e.line()) + " " + e.what();
    }
    return std::string("no error");
  };
  EXPECT_NE(line_of("CREATE TABLE t (\n  a INT -- mig:renamed-from\n);").find("2 "),
            std::string::npos);
  EXPECT_NE(
      line_of("CREATE TABLE t (\n  -- mig:renamed-from b\n  a INT\n);").find("goes at the end"),
      std::string::npos);
  EXPECT_NE(line_of("SELECT 1; -- mig:renamed-from x").find("not inside a CREATE TABLE"),
            std::string::npos);
  EXPECT_EQ(read_renamed_from("CREATE TABLE t (a INT);", "s.sql").renames, V{});
}

}  // namespace
}  // namespace mig
