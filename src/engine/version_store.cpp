#include "engine/version_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "base/strings.h"
#include "script/checksum.h"

namespace mig {

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

VersionStore::VersionStore(Database& db, std::string prefix)
    : db_(db), prefix_(std::move(prefix)) {}

namespace {

constexpr const char* kTables[] = {"revisions", "log", "seeds", "progress", "schema"};

bool denied(const std::string& message) {
  return message.find("permission denied") != std::string::npos ||
         message.find("command denied") != std::string::npos;
}

// A role that may not read or write mig's tables gets one plain message
// (its own reading otherwise looked like an empty database, or a bare
// "permission denied" from deep inside a run).
[[noreturn]] void access_error(const std::string& what, const std::string& message) {
  throw OperationError(what + ": " + message +
                       "\n  the database user mig connects as needs SELECT on mig's tables to "
                       "read them, and INSERT, UPDATE and DELETE to migrate (and CREATE in the "
                       "schema the first time); grant those, or connect as the tables' owner");
}

}  // namespace

template <typename Read>
auto VersionStore::reading(const std::string& name, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const soci::soci_error& e) {
    if (denied(e.get_error_message()))
      access_error("cannot read mig's table " + table(name), e.get_error_message());
    throw;
  }
}

bool VersionStore::has(const char* name) {
  // Compared in upper case: a server that folds names (MySQL's
  // lower_case_table_names) answers in its own spelling.
  std::string table = prefix_ + name;
  if (!asked_) {
    asked_ = true;
    std::vector<std::string> all;
    for (const char* t : kTables) all.push_back(prefix_ + t);
    for (const auto& found : db_.existing_tables(all)) present_.insert(upper_ascii(found));
  }
  if (present_.count(upper_ascii(table))) return true;
  if (!db_.table_exists(table)) return false;
  present_.insert(upper_ascii(table));
  return true;
}

bool VersionStore::exists() { return has("revisions"); }

// Creates only what is missing: CREATE TABLE IF NOT EXISTS still needs the
// right to create in the schema, which a deploy role that only writes rows
// into tables made earlier does not have.
void VersionStore::ensure() {
  bool all = true;
  for (const char* name : kTables) all = all && has(name);
  if (all) return;
  for (const auto& ddl : bookkeeping_ddl(db_.dialect(), db_.qualified(prefix_), db_.schema())) {
    try {
      db_.execute(ddl);
    } catch (const DatabaseError& e) {
      if (denied(e.what())) access_error("cannot create mig's tables " + table("*"), e.what());
      throw;
    }
  }
}

std::vector<AppliedRevision> VersionStore::applied() {
  if (!exists()) return {};
  return reading("revisions", [&] { return read_applied(); });
}

std::vector<AppliedRevision> VersionStore::read_applied() {
  std::vector<AppliedRevision> out;
  // Fetched in bulk: row by row, SOCI's per-column bookkeeping cost more than
  // the query at 100,000 revisions.
  constexpr size_t kBatch = 1024;
  std::vector<std::string> id(kBatch), checksum(kBatch);
  std::vector<long long> seq(kBatch);
  soci::statement st =
      (db_.session().prepare << "SELECT revision, checksum, seq FROM " + table("revisions"),
       soci::into(id), soci::into(checksum), soci::into(seq));
  st.execute();
  while (st.fetch()) {
    for (size_t i = 0; i < id.size(); ++i)
      out.push_back({std::move(id[i]), std::move(checksum[i]), seq[i]});
    id.resize(kBatch);
    checksum.resize(kBatch);
    seq.resize(kBatch);
  }
  // Sorted here: SQLite sorted 100,000 rows through a temporary file.
  std::sort(out.begin(), out.end(),
            [](const AppliedRevision& a, const AppliedRevision& b) { return a.seq < b.seq; });
  return out;
}

std::vector<LogEntry> VersionStore::unsettled_steps() {
  if (!has("log")) return {};
  return reading("log", [&] { return read_unsettled_steps(); });
}

std::vector<LogEntry> VersionStore::read_unsettled_steps() {
  std::vector<LogEntry> out;
  LogEntry e;
  soci::indicator rev_ind, stmt_ind, err_ind, dur_ind;
  const std::string log = table("log");
  soci::statement st =
      // The last upgrade or downgrade of each revision, where that did not
      // succeed. Asked as "no later step of the same revision" rather than
      // through max(id) per revision: most logs hold no failure at all, and
      // grouping the whole log took SQLite 0.8 ms at 1,000 entries.
      (db_.session().prepare
           << "SELECT l.id, l.at, l.action, l.revision, l.outcome, l.statement_no, l.error, "
              "l.duration_ms FROM " +
                  log +
                  " l WHERE l.outcome <> 'ok' AND l.action IN ('upgrade', 'downgrade') "
                  "AND NOT EXISTS (SELECT 1 FROM " +
                  log +
                  " m WHERE m.id > l.id AND m.action IN ('upgrade', 'downgrade') "
                  "AND (m.revision = l.revision OR (m.revision IS NULL AND l.revision IS NULL))) "
                  "ORDER BY l.revision",
       soci::into(e.id), soci::into(e.at), soci::into(e.action), soci::into(e.revision, rev_ind),
       soci::into(e.outcome), soci::into(e.statement_no, stmt_ind), soci::into(e.error, err_ind),
       soci::into(e.duration_ms, dur_ind));
  st.execute();
  while (st.fetch()) {
    LogEntry copy = e;
    if (rev_ind != soci::i_ok) copy.revision.clear();
    if (stmt_ind != soci::i_ok) copy.statement_no = 0;
    if (err_ind != soci::i_ok) copy.error.clear();
    if (dur_ind != soci::i_ok) copy.duration_ms = 0;
    out.push_back(std::move(copy));
  }
  return out;
}

namespace {

std::string number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  return buf;
}

}  // namespace

std::string VersionStore::add_sql(const Revision& rev, double duration_ms, const std::string& at) {
  std::string parents;
  for (const auto& p : rev.parents) parents += (parents.empty() ? "" : " ") + p;
  std::string columns =
      "INSERT INTO " + table("revisions") +
      " (revision, parents, message, kind, checksum, applied_at, duration_ms, seq) ";
  std::string values = db_.quote(rev.id) + ", " + db_.quote(parents) + ", " +
                       db_.quote(rev.message) + ", " + db_.quote(to_string(rev.kind)) + ", " +
                       db_.quote(rev.checksum) + ", " + db_.quote(at.empty() ? utc_now() : at) +
                       ", " + number(duration_ms) + ", ";
  if (db_.offline())
    return columns + "SELECT " + values + "COALESCE(MAX(seq), 0) + 1 FROM " + table("revisions");
  // One query per run, not per revision: a scan per revision made long runs
  // quadratic (found by the 100,000-revision benchmark).
  if (next_seq_ == 0) {
    long long max_seq = 0;
    soci::indicator ind = soci::i_ok;
    db_.session() << "SELECT max(seq) FROM " + table("revisions"), soci::into(max_seq, ind);
    next_seq_ = ind == soci::i_ok ? max_seq + 1 : 1;
  }
  long long seq = next_seq_++;
  return columns + "VALUES (" + values + std::to_string(seq) + ")";
}

std::string VersionStore::remove_sql(const std::string& id) {
  return "DELETE FROM " + table("revisions") + " WHERE revision = " + db_.quote(id);
}

std::string VersionStore::log_sql(const LogEntry& e) {
  return "INSERT INTO " + table("log") +
         " (at, action, revision, outcome, statement_no, error, duration_ms) VALUES (" +
         db_.quote(e.at.empty() ? utc_now() : e.at) + ", " + db_.quote(e.action) + ", " +
         db_.quote(e.revision) + ", " + db_.quote(e.outcome) + ", " +
         (e.statement_no ? std::to_string(e.statement_no) : "NULL") + ", " +
         (e.error.empty() ? "NULL" : db_.quote(db_.redact(e.error))) + ", " +
         number(e.duration_ms) + ")";
}

void VersionStore::update_checksum(const std::string& id, const std::string& checksum) {
  db_.session() << "UPDATE " + table("revisions") + " SET checksum = :c WHERE revision = :r",
      soci::use(checksum), soci::use(id);
}

}  // namespace mig

namespace mig {

std::map<std::string, std::string> VersionStore::seeds() {
  if (!has("seeds")) return {};
  return reading("seeds", [&] { return read_seeds(); });
}

std::map<std::string, std::string> VersionStore::read_seeds() {
  std::map<std::string, std::string> out;
  std::string name, checksum;
  soci::statement st = (db_.session().prepare << "SELECT name, checksum FROM " + table("seeds"),
                        soci::into(name), soci::into(checksum));
  st.execute();
  while (st.fetch()) out[name] = checksum;
  return out;
}

std::string VersionStore::record_seed_sql(const std::string& name, const std::string& checksum) {
  return "DELETE FROM " + table("seeds") + " WHERE name = " + db_.quote(name) + ";\nINSERT INTO " +
         table("seeds") + " (name, checksum, applied_at) VALUES (" + db_.quote(name) + ", " +
         db_.quote(checksum) + ", " + db_.quote(utc_now()) + ")";
}

std::string VersionStore::snapshot() { return read_schema_column("snapshot"); }

std::string VersionStore::snapshot_fingerprint() { return read_schema_column("fingerprint"); }

std::string VersionStore::read_schema_column(const char* column) {
  if (!has("schema")) return {};
  return reading("schema", [&] {
    std::string value;
    soci::indicator ind = soci::i_null;
    db_.session() << "SELECT " + std::string(column) + " FROM " + table("schema") + " WHERE id = 1",
        soci::into(value, ind);
    return ind == soci::i_ok ? value : std::string();
  });
}

void VersionStore::save_snapshot(const std::string& text, const std::string& fingerprint) {
  std::string at = utc_now();
  std::string sum = sha256_hex(text);
  db_.session() << "DELETE FROM " + table("schema") + " WHERE id = 1";
  db_.session() << "INSERT INTO " + table("schema") +
                       " (id, snapshot, checksum, fingerprint, taken_at) "
                       "VALUES (1, :s, :c, :f, :a)",
      soci::use(text), soci::use(sum), soci::use(fingerprint), soci::use(at);
}

std::vector<Progress> VersionStore::progress() {
  if (!has("progress")) return {};
  return reading("progress", [&] { return read_progress(); });
}

std::vector<Progress> VersionStore::read_progress() {
  std::vector<Progress> out;
  Progress p;
  soci::indicator err_ind;
  soci::statement st =
      (db_.session().prepare << "SELECT revision, direction, statement_no, statements, state, "
                                "error, done_checksum, updated_at FROM " +
                                    table("progress") + " ORDER BY revision",
       soci::into(p.revision), soci::into(p.direction), soci::into(p.statement_no),
       soci::into(p.statements), soci::into(p.state), soci::into(p.error, err_ind),
       soci::into(p.done_checksum), soci::into(p.updated_at));
  st.execute();
  while (st.fetch()) {
    Progress copy = p;
    if (err_ind != soci::i_ok) copy.error.clear();
    out.push_back(copy);
  }
  return out;
}

void VersionStore::start_progress(const Progress& p) {
  std::string at = utc_now();
  db_.session() << "INSERT INTO " + table("progress") +
                       " (revision, direction, statement_no, statements, state, error, "
                       "done_checksum, updated_at) VALUES (:r, :d, :n, :t, :s, NULL, :c, :a)",
      soci::use(p.revision), soci::use(p.direction), soci::use(p.statement_no),
      soci::use(p.statements), soci::use(p.state), soci::use(p.done_checksum), soci::use(at);
}

std::string VersionStore::update_progress_sql(const Progress& p) {
  std::string error = db_.redact(p.error);
  return "UPDATE " + table("progress") + " SET statement_no = " + std::to_string(p.statement_no) +
         ", state = " + db_.quote(p.state) +
         ", error = " + (error.empty() ? "NULL" : db_.quote(error)) +
         ", done_checksum = " + db_.quote(p.done_checksum) +
         ", updated_at = " + db_.quote(utc_now()) + " WHERE revision = " + db_.quote(p.revision);
}

std::string VersionStore::clear_progress_sql(const std::string& revision) {
  return "DELETE FROM " + table("progress") + " WHERE revision = " + db_.quote(revision);
}

}  // namespace mig
