#include "engine/drift.h"

#include "db/schema.h"

namespace mig {

std::string save_snapshot(Database& db, VersionStore& store, const std::string& prefix,
                          const SchemaChanges* changes) {
  try {
    std::string fingerprint, text;
    // SQLite: the objects whose catalog rows the run changed are read again
    // (the catalog it began with is what the snapshot was taken of).
    if (changes && changes->known && changes->catalog) {
      if (auto now = db.schema_catalog(prefix)) {
        fingerprint = catalog_fingerprint(*now);
        try {
          text = refresh_schema(db, prefix, store.snapshot(), *changes, *now);
        } catch (const std::exception&) {
          text.clear();  // read in full below
        }
      }
    }
    if (fingerprint.empty()) fingerprint = db.schema_fingerprint(prefix);
    std::string version = db.schema_version();
    // MySQL: only the objects the run named are read again when the
    // database counted exactly the run's own DDL since it began: a
    // statement someone else ran meanwhile could have changed any object.
    if (text.empty() && changes && changes->known && !changes->catalog &&
        db.schema_changes_between(changes->start_version, version) == changes->ddl_statements) {
      try {
        text = refresh_schema(db, prefix, store.snapshot(), *changes);
      } catch (const std::exception&) {
        text.clear();  // read in full below
      }
    }
    if (text.empty()) text = inspect_schema(db, prefix).text();
    // A version that moved while the schema was read proves nothing of it.
    if (!version.empty() && db.schema_version_matches(version)) fingerprint += "@" + version;
    store.save_snapshot(text, fingerprint);
    return {};
  } catch (const std::exception& e) {
    return std::string("could not record the schema snapshot: ") + e.what();
  }
}

SchemaChanges run_changes(Database& db, VersionStore& store, const std::string& prefix) {
  SchemaChanges changes;
  changes.known = false;
  if (!can_refresh_schema(db.dialect())) return changes;
  try {
    std::string recorded = store.snapshot_fingerprint();
    size_t at = recorded.find('@');
    // SQLite: the catalog now, if its digest is the recorded one.
    if (auto catalog = db.schema_catalog(prefix)) {
      if (!recorded.empty() && catalog_fingerprint(*catalog) == recorded.substr(0, at)) {
        changes.catalog = std::move(catalog);
        changes.known = true;
      }
      return changes;
    }
    if (at == std::string::npos) return changes;
    changes.start_version = db.schema_version();
    changes.known = db.schema_changes_between(recorded.substr(at + 1), changes.start_version) == 0;
  } catch (const std::exception&) {
    changes.known = false;
  }
  return changes;
}

std::string schema_drift(Database& db, VersionStore& store, const std::string& prefix) {
  std::string recorded_fingerprint = store.snapshot_fingerprint();
  if (size_t at = recorded_fingerprint.find('@'); at != std::string::npos) {
    if (db.schema_version_matches(recorded_fingerprint.substr(at + 1))) return {};
    recorded_fingerprint.resize(at);
  }
  std::string fingerprint = db.schema_fingerprint(prefix);
  if (!fingerprint.empty() && fingerprint == recorded_fingerprint) return {};
  std::string recorded = store.snapshot();
  if (recorded.empty()) return {};
  std::string live = inspect_schema(db, prefix).text();
  return live == recorded ? std::string() : diff_schemas(recorded, live);
}

}  // namespace mig
