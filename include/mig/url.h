#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mig/dialect.h"

namespace mig {

// A parsed database URL. The password is kept for connecting and never
// printed: use redacted() in every message.
struct DatabaseUrl {
  Dialect dialect = Dialect::SQLite;
  std::string scheme;
  std::string path;  // SQLite: file path or ":memory:"
  std::string user;
  std::string password;
  std::string host;  // may be a unix socket directory
  int port = 0;
  std::string database;
  std::vector<std::pair<std::string, std::string>> params;

  bool is_memory() const { return dialect == Dialect::SQLite && path == ":memory:"; }
  std::string redacted() const;
  // "database 'app' on host 'db:5432'" or "SQLite file 'var/mig.db'".
  std::string describe() const;
};

// Parses sqlite:rel.db, sqlite:///abs.db, sqlite::memory:,
// postgresql://user:pass@host:port/db?k=v (postgres://), mysql://… (mariadb://).
// `origin` names where the URL came from in errors (e.g. "--url"); the URL
// itself is never echoed. Throws UsageError.
DatabaseUrl parse_url(const std::string& url, const std::string& origin);

// Removes %XX escapes. Throws UsageError on a malformed escape.
std::string percent_decode(const std::string& s, const std::string& origin);

}  // namespace mig
