#pragma once

namespace mig {

// The kinds of database mig works with. One type for everything that
// differs between them: URLs, SQL lexing, bookkeeping DDL, connections.
enum class Dialect { SQLite, PostgreSQL, MySQL };

// "sqlite", "postgresql", "mysql".
const char* to_string(Dialect dialect);

}  // namespace mig
