#include "db/dialect_traits.h"

namespace mig {

const DialectTraits& traits(Dialect dialect) {
  switch (dialect) {
    case Dialect::PostgreSQL:
      return kPostgresqlTraits;
    case Dialect::MySQL:
      return kMysqlTraits;
    case Dialect::SQLite:
      break;
  }
  return kSqliteTraits;
}

const char* to_string(Dialect dialect) {
  switch (dialect) {
    case Dialect::SQLite:
      return "sqlite";
    case Dialect::PostgreSQL:
      return "postgresql";
    case Dialect::MySQL:
      return "mysql";
  }
  return "?";
}

}  // namespace mig
