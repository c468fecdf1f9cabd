#pragma once

#include <string>
#include <vector>

#include "mig/dialect.h"

namespace mig {

// What differs between databases short of a connection, one definition per
// database in db/<database>/dialect.cpp: how its SQL is lexed, what cannot
// run in a transaction, the bookkeeping tables' types, how a session is put
// back, and what its own command-line client needs of a script. (The
// connection, the lock and schema inspection live in the same folders.)
struct DialectTraits {
  const char* title;  // "SQLite", "PostgreSQL", "MySQL/MariaDB"

  // Lexing.
  bool backslash_escapes;      // in '…' and "…"
  bool escape_string_prefix;   // E'…' takes backslash escapes
  bool dollar_quotes;          // $$…$$ and $tag$…$tag$
  bool nested_block_comments;  // /* /* */ */
  bool hash_comments;          // # to the end of the line
  bool executable_comments;    // /*! … */, /*M! … */, /*+ … */ are SQL
  bool psql_dump_lines;        // \restrict dropped; meta-commands, COPY FROM stdin refused

  // What makes a statement one the database refuses inside a transaction
  // (from its leading tokens, see leading_tokens), or empty.
  std::string (*outside_transaction_only)(const std::vector<std::string>& tokens);
  bool transactional_ddl;  // false: DDL commits at once (revisions run statement by statement)

  // Bookkeeping tables.
  const char* double_type;
  const char* bigint_type;
  const char* log_id_column;
  const char* table_options;  // after the column list
  const char* long_text_type;
  bool schemas;  // tables may live in a schema of their own (database.schema)

  // Undoes what a revision did to its session, before mig's own
  // statements ("" where each revision's session is fresh anyway).
  const char* session_reset;

  // Scripts (--sql).
  const char* begin_transaction;     // BEGIN / START TRANSACTION
  bool client_splits_on_semicolons;  // bodies holding ';' need DELIMITER lines
  bool literal_backslash;            // a backslash in a literal is written twice
};

const DialectTraits& traits(Dialect dialect);

// Defined in db/<database>/dialect.cpp.
extern const DialectTraits kSqliteTraits;
extern const DialectTraits kPostgresqlTraits;
extern const DialectTraits kMysqlTraits;

}  // namespace mig
