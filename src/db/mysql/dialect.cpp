// MySQL and MariaDB as a dialect: see db/dialect_traits.h.
#include "db/dialect_traits.h"

namespace mig {
namespace {

// Every statement runs outside a transaction on MySQL anyway.
std::string outside_transaction_only(const std::vector<std::string>&) { return {}; }

}  // namespace

extern const DialectTraits kMysqlTraits = {
    "MySQL/MariaDB",
    /*backslash_escapes=*/true,
    /*escape_string_prefix=*/false,
    /*dollar_quotes=*/false,
    /*nested_block_comments=*/false,
    /*hash_comments=*/true,
    /*executable_comments=*/true,
    /*psql_dump_lines=*/false,
    outside_transaction_only,
    /*transactional_ddl=*/false,
    "DOUBLE",
    "BIGINT",
    "id BIGINT AUTO_INCREMENT PRIMARY KEY",
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    "MEDIUMTEXT",
    /*schemas=*/false,
    "",  // each revision runs on a work connection that is reset afterwards
    "START TRANSACTION",
    /*client_splits_on_semicolons=*/true,
    /*literal_backslash=*/true,
};

}  // namespace mig
