#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "mig/dialect.h"

namespace mig::e2e {

// The database a test runs on: mig's own Dialect.
using Kind = Dialect;

const char* kind_name(Kind kind);
inline void PrintTo(Kind kind, std::ostream* os) { *os << kind_name(kind); }

// The admin URL of the throw-away server for `kind`: MIG_TEST_PG_URL /
// MIG_TEST_MYSQL_URL, else what tests/servers/ctl wrote. Throws if neither is
// there: backend tests fail rather than skip.
std::string server_url(Kind kind);

// Runs one statement on the server's admin database.
void server_execute(Kind kind, const std::string& sql);

// A fresh, empty database for one test: a new database on the server (dropped
// afterwards), or a SQLite file at `sqlite_file`.
class TestDatabase {
 public:
  TestDatabase(Kind kind, const std::string& sqlite_file);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Kind kind() const { return kind_; }
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Rows with columns joined by '|', NULL as "NULL".
  std::vector<std::string> query(const std::string& sql) const;
  void execute(const std::string& sql) const;
  // User and bookkeeping tables, sorted; empty if the database does not exist.
  std::vector<std::string> tables() const;
  bool has_table(const std::string& name) const;

 private:
  Kind kind_;
  std::string url_;
  std::string admin_url_;
  std::string name_;
  std::string sqlite_file_;
};

}  // namespace mig::e2e
