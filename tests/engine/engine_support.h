#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "../test_support.h"
#include "config/url.h"
#include "db/database.h"
#include "engine/migrator.h"
#include "engine/version_store.h"
#include "script/revision_file.h"

namespace mig::testing {

// A revision as its file would hold it, parsed by mig's own parser.
inline Revision revision(const std::string& id, const std::string& parent,
                         const std::string& upgrade, const std::string& downgrade = "",
                         const std::string& header = "") {
  std::string text = "-- mig:revision " + id + "\n";
  if (!parent.empty()) text += "-- mig:parent " + parent + "\n";
  text += "-- mig:message revision " + id + "\n" + header + "\n-- mig:upgrade\n" + upgrade + "\n";
  if (!downgrade.empty()) text += "\n-- mig:downgrade\n" + downgrade + "\n";
  return parse_revision(text, id + ".sql", Dialect::SQLite);
}

class Quiet : public Reporter {
 public:
  void statement(const Revision&, size_t, const Statement&) override {}
  void step_done(const Revision&, Direction, double) override {}
  void batch_progress(const Revision&, size_t, long long, long long batches, double,
                      bool) override {
    last_batches = batches;
  }
  void skipped(const Revision&) override {}
  long long last_batches = 0;
};

// A real SQLite file with mig's bookkeeping tables in it.
class SqliteFile {
 public:
  SqliteFile() {
    url = parse_url("sqlite://" + dir / "app.db", "test");
    db = Database::open(url, ConnectOptions{});
    store = std::make_unique<VersionStore>(*db, "mig_");
    store->ensure();
  }
  long long count(const std::string& sql) {
    long long n = 0;
    db->session() << sql, soci::into(n);
    return n;
  }
  std::vector<std::string> applied_ids() {
    std::vector<std::string> ids;
    for (const auto& a : store->applied()) ids.push_back(a.id);
    return ids;
  }
  TempDir dir;
  DatabaseUrl url;
  std::unique_ptr<Database> db;
  std::unique_ptr<VersionStore> store;
};

}  // namespace mig::testing
