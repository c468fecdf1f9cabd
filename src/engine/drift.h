#pragma once

#include <string>

#include "db/database.h"
#include "db/schema.h"
#include "engine/version_store.h"

namespace mig {

// Remembers the schema mig leaves behind, so `status` can tell drift. The
// fingerprint is stored as "FINGERPRINT@VERSION" where the database keeps a
// schema version (see Database::schema_version), else as FINGERPRINT: SQLite
// has both, PostgreSQL a fingerprint only, MySQL a version only ("@VERSION").
// The column holds 64 characters on PostgreSQL and MySQL (SQLite keeps the
// whole text whatever the column's length).
// Returns a warning when the snapshot could not be taken, else empty.
// `changes`, where given, are what the run's statements may have changed
// since the recorded snapshot (see run_changes): only those objects are then
// inspected again, where the database allows (MySQL; SQLite, where they are
// the objects whose catalog rows changed), else all of them.
std::string save_snapshot(Database& db, VersionStore& store, const std::string& prefix,
                          const SchemaChanges* changes = nullptr);

// Where a run starts: the changes it will note, known only while the recorded
// snapshot is provably the live schema and the database can take a snapshot
// of changed objects alone. MySQL: its schema version holds; a full
// inspection reads every table (about 60 ms at 1,000 tables), most of a
// `downgrade -1`. SQLite: the catalog's digest is the recorded fingerprint,
// and the catalog is kept to compare with the one after the run.
SchemaChanges run_changes(Database& db, VersionStore& store, const std::string& prefix);

// Drift: how the live schema differs from the snapshot mig last recorded
// (empty when they agree or there is no snapshot yet). Cheapest proof first:
// the same schema version, then the same fingerprint, then the same text.
std::string schema_drift(Database& db, VersionStore& store, const std::string& prefix);

}  // namespace mig
