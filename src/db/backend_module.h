#pragma once

#include <memory>

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
// running executable, then ../lib/mig beside it (the installed layout), then
// the same two beside the shared mig library when mig is one.
std::unique_ptr<Database> open_with_module(const char* name, const char* title,
                                           const DatabaseUrl& url, const ConnectOptions& options);

}  // namespace mig

// The modules' entry points, looked up by name with dlsym().
extern "C" mig::Database* mig_open_postgresql(const mig::DatabaseUrl& url,
                                              const mig::ConnectOptions& options);
extern "C" mig::Database* mig_open_mysql(const mig::DatabaseUrl& url,
                                         const mig::ConnectOptions& options);
