#include "database_support.h"

#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <boost/filesystem.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "config/url.h"
#include "db/database.h"

namespace mig::e2e {
namespace {

std::unique_ptr<Database> open(const std::string& url) {
  return Database::open(parse_url(url, "test"), ConnectOptions{});
}

// The URL with its database name replaced.
std::string with_database(const std::string& url, const std::string& db) {
  std::string base = url.substr(0, url.find('?'));
  return base.substr(0, base.rfind('/') + 1) + db;
}

}  // namespace

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::SQLite:
      return "SQLite";
    case Kind::PostgreSQL:
      return "PostgreSQL";
    case Kind::MySQL:
      return "MySQL";
  }
  return "?";
}

std::string server_url(Kind kind) {
  std::string var = kind == Kind::PostgreSQL ? "MIG_TEST_PG_URL" : "MIG_TEST_MYSQL_URL";
  if (const char* v = std::getenv(var.c_str()); v && *v) return v;
  std::ifstream in(MIG_TEST_SERVERS_FILE);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(var + "=", 0) == 0 && line.size() > var.size() + 1)
      return line.substr(var.size() + 1);
  throw std::runtime_error(var + " is not set and " + MIG_TEST_SERVERS_FILE +
                           " has no URL: start the servers with tests/servers/ctl or run ctest");
}

void server_execute(Kind kind, const std::string& sql) { open(server_url(kind))->execute(sql); }

TestDatabase::TestDatabase(Kind kind, const std::string& sqlite_file)
    : kind_(kind), sqlite_file_(sqlite_file) {
  if (kind == Kind::SQLite) {
    url_ = "sqlite:///" + boost::filesystem::absolute(sqlite_file).string();
    name_ = sqlite_file;
    return;
  }
  static std::atomic<int> counter{0};
  name_ = "mig_t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  admin_url_ = server_url(kind);
  open(admin_url_)->execute("CREATE DATABASE " + name_);
  url_ = with_database(admin_url_, name_);
}

TestDatabase::~TestDatabase() {
  if (kind_ == Kind::SQLite) return;
  try {
    open(admin_url_)
        ->execute(kind_ == Kind::PostgreSQL ? "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"
                                            : "DROP DATABASE IF EXISTS " + name_);
  } catch (const std::exception&) {
  }
}

std::vector<std::string> TestDatabase::query(const std::string& sql) const {
  auto db = open(url_);
  std::vector<std::string> out;
  for (const auto& row : query_rows(*db, sql, "NULL")) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + row[i];
    out.push_back(line);
  }
  return out;
}

void TestDatabase::execute(const std::string& sql) const { open(url_)->execute(sql); }

std::vector<std::string> TestDatabase::tables() const {
  switch (kind_) {
    case Kind::SQLite:
      if (!boost::filesystem::exists(sqlite_file_)) return {};
      return query(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
          "ORDER BY name");
    case Kind::PostgreSQL:
      return query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema NOT IN "
          "('pg_catalog', 'information_schema') ORDER BY table_name");
    case Kind::MySQL:
      return query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
          "ORDER BY table_name");
  }
  return {};
}

bool TestDatabase::has_table(const std::string& name) const {
  for (const auto& t : tables())
    if (t == name) return true;
  return false;
}

}  // namespace mig::e2e
