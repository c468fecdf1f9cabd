#pragma once

#include <memory>
#include <string>

#include "db/database.h"

namespace mig {

// PostgreSQL and MySQL/MariaDB live in modules loaded on first use
// (mig_postgresql.so, mig_mysql.so): libpq and libmariadb bring Kerberos,
// LDAP and GnuTLS with them, and loading those cost every SQLite command
// several milliseconds before it did anything.
//
// A module exports `extern "C" mig::Database* mig_open_NAME(const
// mig::DatabaseUrl&, const mig::ConnectOptions&)`; it uses mig's own code
// from the executable that loads it.
//
// Where modules are looked for: options.module_dir alone when it is set
// (the CLI sets it from $MIG_MODULE_DIR); otherwise the directory of the
// running executable, then ../lib/mig beside it and the module directory of
// this build's install layout relative to its bin directory (for Debian's
// lib/<multiarch>/mig, also when the package is unpacked elsewhere), then the
// same beside the shared mig library when mig is one, then the directory
// this build installs them in.
std::unique_ptr<Database> open_with_module(const char* name, const char* title,
                                           const DatabaseUrl& url, const ConnectOptions& options);

// The file the module NAME is loaded from (looked for as above, and loaded),
// or "" when none loads: what `mig --version --json` reports.
std::string backend_module_path(const char* name, const std::string& configured);

// PostgreSQL's own parser, from the PostgreSQL module (see
// mig_parse_postgresql below); throws OperationError, as open_with_module
// does, when the module does not load.
using PostgresqlParser = bool (*)(const std::string& sql, std::string& out, int& error_at);
PostgresqlParser postgresql_parser(const std::string& module_dir);

}  // namespace mig

// The modules' entry points, looked up by name with dlsym().
extern "C" mig::Database* mig_open_postgresql(const mig::DatabaseUrl& url,
                                              const mig::ConnectOptions& options);
// The parse tree of SQL as libpg_query's JSON in `out` (true), or the
// parser's message in `out` and the 0-based offset it points at in
// `error_at` (false).
extern "C" bool mig_parse_postgresql(const std::string& sql, std::string& out, int& error_at);
extern "C" mig::Database* mig_open_mysql(const mig::DatabaseUrl& url,
                                         const mig::ConnectOptions& options);
