#pragma once

#include <string>

#include "db/database.h"
#include "engine/version_store.h"

namespace mig {

// Remembers the schema mig leaves behind, so `status` can tell drift. The
// fingerprint is stored as "FINGERPRINT@VERSION" where the database keeps a
// schema version (see Database::schema_version), else as FINGERPRINT: SQLite
// has both, PostgreSQL a fingerprint only, MySQL a version only ("@VERSION").
// The column holds 64 characters on PostgreSQL and MySQL (SQLite keeps the
// whole text whatever the column's length).
// Returns a warning when the snapshot could not be taken, else empty.
std::string save_snapshot(Database& db, VersionStore& store, const std::string& prefix);

// Drift: how the live schema differs from the snapshot mig last recorded
// (empty when they agree or there is no snapshot yet). Cheapest proof first:
// the same schema version, then the same fingerprint, then the same text.
std::string schema_drift(Database& db, VersionStore& store, const std::string& prefix);

}  // namespace mig
