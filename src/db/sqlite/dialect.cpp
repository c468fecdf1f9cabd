// SQLite as a dialect: see db/dialect_traits.h.
#include <algorithm>

#include "db/dialect_traits.h"

namespace mig {
namespace {

// VACUUM cannot run inside a transaction (and mig keeps a run in one).
std::string outside_transaction_only(const std::vector<std::string>& w) {
  return !w.empty() && w[0] == "VACUUM" ? "VACUUM" : "";
}

}  // namespace

extern const DialectTraits kSqliteTraits = {
    "SQLite",
    /*backslash_escapes=*/false,
    /*escape_string_prefix=*/false,
    /*dollar_quotes=*/false,
    /*nested_block_comments=*/false,
    /*hash_comments=*/false,
    /*executable_comments=*/false,
    /*psql_dump_lines=*/false,
    outside_transaction_only,
    /*transactional_ddl=*/true,
    "REAL",
    "INTEGER",
    "id INTEGER PRIMARY KEY AUTOINCREMENT",
    "",
    "TEXT",
    /*schemas=*/false,
    "",
    "BEGIN",
    /*client_splits_on_semicolons=*/false,
    /*literal_backslash=*/false,
};

}  // namespace mig
