#include "engine/seeder.h"

#include <soci/soci.h>

#include "base/clock.h"
#include "engine/migrator.h"

namespace mig {

const char* to_string(SeedState state) {
  switch (state) {
    case SeedState::New:
      return "new";
    case SeedState::Changed:
      return "changed";
    case SeedState::Applied:
      return "applied";
    case SeedState::OtherEnvironment:
      return "other environment";
  }
  return "?";
}

SeedState seed_state(const SeedFile& seed, const std::map<std::string, std::string>& recorded,
                     const std::string& environment) {
  if (!seed.runs_in(environment)) return SeedState::OtherEnvironment;
  auto it = recorded.find(seed.name);
  if (it == recorded.end()) return SeedState::New;
  return it->second == seed.checksum ? SeedState::Applied : SeedState::Changed;
}

double run_seed(Database& db, VersionStore& store, const SeedFile& seed) {
  auto start = Clock::now();
  auto ms = [&] { return ms_since(start); };
  size_t i = 0;
  db.begin_work();
  try {
    for (; i < seed.statements.size(); ++i) db.run(seed.statements[i].sql);
    // Its record commits with it; then the next seed starts afresh.
    db.commit_work(
        with_session_reset(db, store.record_seed_sql(seed.name, seed.checksum) + ";\n" +
                                   store.log_sql({0, "", "seed", seed.name, "ok", 0, "", ms()})));
    db.end_revision();
  } catch (const std::exception& e) {
    std::string error = e.what();
    if (auto* s = dynamic_cast<const soci::soci_error*>(&e)) error = s->get_error_message();
    db.rollback_work();
    long long number = i < seed.statements.size() ? static_cast<long long>(i + 1) : 0;
    store.log({0, "", "seed", seed.name, "failed", number, error, ms()});
    StepError::Details d;
    d.revision = seed.name;
    d.action = "seed";
    d.path = seed.path;
    d.statement = static_cast<int>(number);
    d.statements = static_cast<int>(seed.statements.size());
    d.error = error;
    d.summary = "seed " + seed.name + " failed";
    if (number) {
      const Statement& st = seed.statements[i];
      d.line = st.line;
      d.sql = st.sql;
      d.summary += " at statement " + std::to_string(number) + " of " +
                   std::to_string(seed.statements.size()) + " (" + seed.path + ":" +
                   std::to_string(st.line) + ")\n  statement: " + st.sql;
    }
    d.summary += "\n  error: " + error;
    d.account = "the seed was rolled back; seeds before it stay applied";
    std::string msg = d.summary + "\n  " + d.account;
    throw StepError(msg, std::move(d));
  }
  return ms();
}

}  // namespace mig
