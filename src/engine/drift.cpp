#include "engine/drift.h"

#include "db/schema.h"

namespace mig {

std::string save_snapshot(Database& db, VersionStore& store, const std::string& prefix) {
  try {
    std::string fingerprint = db.schema_fingerprint(prefix);
    std::string version = db.schema_version();
    if (!version.empty()) fingerprint += "@" + version;
    store.save_snapshot(inspect_schema(db, prefix).text(), fingerprint);
    return {};
  } catch (const std::exception& e) {
    return std::string("could not record the schema snapshot: ") + e.what();
  }
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
