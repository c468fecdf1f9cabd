#pragma once

// What the PostgreSQL and MySQL mig diff tests share: a project on a fresh
// test database, the desired schema written to schema.sql, and round trips
// compared with the schema loaded natively.
#include <gtest/gtest.h>

#include "../e2e/database_support.h"
#include "../test_support.h"
#include "config/url.h"
#include "mig/project.h"
#include "script/sql_splitter.h"

namespace mig::testing {

inline bool has(const std::vector<std::string>& v, const std::string& text) {
  for (const auto& s : v)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

// Runs a schema's statements on the database at `url`, as its client would.
inline void load(Dialect dialect, const std::string& url, const std::string& sql) {
  auto conn = Database::open(parse_url(url, "test"), ConnectOptions{});
  for (const auto& st : split_statements(sql, dialect, "schema.sql")) conn->execute(st.sql);
}

// `Read` gives the schema text mig diff compares for a database's URL.
template <e2e::Kind K, std::string (*Read)(const std::string&)>
class ServerDiff : public ::testing::Test {
 protected:
  void SetUp() override {
    Project::init(dir.path());
    dir.write("mig.toml", "[database]\nurl = \"" + db.url() + "\"\n");
  }
  static std::string definitions(const std::string& url) { return Read(url); }
  DiffOptions to(const std::string& sql, const std::string& message = "next") {
    dir.write("schema.sql", sql);
    DiffOptions o;
    o.message = message;
    o.to = dir / "schema.sql";
    return o;
  }
  // The schema `sql` gives when loaded natively into a database of its own.
  std::string native(const std::string& sql) {
    e2e::TestDatabase fresh(K, "");
    load(K, fresh.url(), sql);
    return definitions(fresh.url());
  }
  void upgrade() { Project::open(dir.path()).upgrade(); }
  void downgrade() {
    DowngradeOptions o;
    o.target = "-1";
    Project::open(dir.path()).downgrade(o);
  }
  // `before` written and applied, then the revision to `after`: applied,
  // undone and applied again, each time compared with the native schema.
  DiffResult round_trip(const std::string& before, const std::string& after) {
    Project::open(dir.path()).diff(to(before, "before"));
    upgrade();
    std::string was = definitions(db.url());
    EXPECT_EQ(was, native(before));
    DiffResult r = Project::open(dir.path()).diff(to(after));
    EXPECT_TRUE(r.differs);
    EXPECT_NE(r.path, "");
    upgrade();
    std::string want = native(after);
    EXPECT_EQ(definitions(db.url()), want);
    downgrade();
    EXPECT_EQ(definitions(db.url()), was);
    upgrade();
    EXPECT_EQ(definitions(db.url()), want);
    EXPECT_FALSE(Project::open(dir.path()).diff(to(after)).differs);
    return r;
  }
  std::vector<std::string> rows(const std::string& sql) { return db.query(sql); }

  TempDir dir;
  e2e::TestDatabase db{K, ""};
};

}  // namespace mig::testing
