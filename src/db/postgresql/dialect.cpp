// PostgreSQL as a dialect: see db/dialect_traits.h.
#include <algorithm>

#include "db/dialect_traits.h"

namespace mig {
namespace {

bool contains(const std::vector<std::string>& words, const char* word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// What PostgreSQL refuses to run inside a transaction block.
std::string outside_transaction_only(const std::vector<std::string>& w) {
  if (w.empty()) return {};
  auto at = [&](size_t i) { return i < w.size() ? w[i] : std::string(); };
  if (w[0] == "VACUUM") return "VACUUM";
  if (w[0] == "CREATE" && (at(1) == "INDEX" || (at(1) == "UNIQUE" && at(2) == "INDEX")) &&
      contains(w, "CONCURRENTLY"))
    return "CREATE INDEX CONCURRENTLY";
  if (w[0] == "DROP" && at(1) == "INDEX" && at(2) == "CONCURRENTLY")
    return "DROP INDEX CONCURRENTLY";
  if (w[0] == "REINDEX") {
    if (contains(w, "CONCURRENTLY")) return "REINDEX CONCURRENTLY";
    for (const char* what : {"SCHEMA", "DATABASE", "SYSTEM"})
      if (contains(w, what)) return std::string("REINDEX ") + what;
  }
  for (const char* what : {"DATABASE", "TABLESPACE"})
    if ((w[0] == "CREATE" || w[0] == "DROP") && at(1) == what) return w[0] + " " + what;
  if (w[0] == "ALTER" && at(1) == "SYSTEM") return "ALTER SYSTEM";
  if (w[0] == "ALTER" && at(1) == "DATABASE" && contains(w, "TABLESPACE"))
    return "ALTER DATABASE ... SET TABLESPACE";
  if (w[0] == "DISCARD" && at(1) == "ALL") return "DISCARD ALL";
  return {};
}

}  // namespace

extern const DialectTraits kPostgresqlTraits = {
    "PostgreSQL",
    /*backslash_escapes=*/false,
    /*escape_string_prefix=*/true,
    /*dollar_quotes=*/true,
    /*nested_block_comments=*/true,
    /*hash_comments=*/false,
    /*executable_comments=*/false,
    /*psql_dump_lines=*/true,
    outside_transaction_only,
    /*transactional_ddl=*/true,
    "DOUBLE PRECISION",
    "BIGINT",
    "id BIGSERIAL PRIMARY KEY",
    "",
    "TEXT",
    /*schemas=*/true,
    // RESET ALL leaves the role and session user alone, and DISCARD ALL
    // would also drop the run's advisory lock; so each part on its own.
    // mig's own setting comes back last.
    "RESET SESSION AUTHORIZATION;\nRESET ROLE;\nRESET ALL;\nDISCARD TEMP;\n"
    "SET client_min_messages = warning",
    "BEGIN",
    /*client_splits_on_semicolons=*/false,
    /*literal_backslash=*/false,
};

}  // namespace mig
