#include "engine/migrator.h"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "base/clock.h"
#include "db/run.h"
#include "script/checksum.h"

namespace mig {
namespace {

// A revision loaded without its SQL text (RevisionText::Summary) would run
// empty statements and be recorded as applied: refuse it outright.
const std::vector<Statement>& statements(const Revision& rev, Direction d) {
  if (rev.sql_dropped)
    throw std::logic_error("revision " + rev.id + " was loaded without its SQL and cannot run");
  return d == Direction::Up ? rev.upgrade : rev.downgrade;
}

std::string error_text(const std::exception& e) {
  if (auto* s = dynamic_cast<const soci::soci_error*>(&e)) return s->get_error_message();
  return e.what();
}

}  // namespace

Migrator::Migrator(Database& db, VersionStore& store, const RevisionGraph& graph,
                   Reporter& reporter)
    : db_(db), store_(store), graph_(graph), reporter_(reporter) {}

void Migrator::run(const Plan& plan, Run* run) {
  run_ = run;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& step = plan.steps[i];
    const Revision& rev = graph_.at(step.revision);
    if (stop_ && *stop_)
      throw InterruptedError("stopped before " + std::string(action_name(step.direction)) + " of " +
                             rev.id + ": " + std::to_string(i) + " of " +
                             std::to_string(plan.steps.size()) + " revision(s) done");
    if (skip_data_ && rev.kind == RevisionKind::Data && step.direction == Direction::Up) {
      store_.log({0, "", "upgrade", rev.id, "skipped", 0, "--schema-only", 0});
      reporter_.skipped(rev);
    } else {
      reporter_.step_started(rev, step.direction);
      if (rev.runs_in_transaction(step.direction == Direction::Up) && db_.transactional_ddl() &&
          !rev.has_batches())
        run_step(step, i);
      else
        run_tracked(step, i);
    }
  }
}

void Migrator::run_step(const Step& step, size_t done) {
  const Revision& rev = graph_.at(step.revision);
  const auto& sts = statements(rev, step.direction);
  auto start = Clock::now();
  size_t i = 0;
  double ms = 0;
  db_.begin_work();
  try {
    for (; i < sts.size(); ++i) {
      reporter_.statement(rev, i + 1, sts[i]);
      note(sts[i]);
      db_.run(sts[i].sql);
    }
    ms = ms_since(start);
    db_.commit_work(bookkeeping(step, rev, ms));
    db_.end_revision();
  } catch (const std::exception& e) {
    std::string error = error_text(e);
    double failed_ms = ms_since(start);
    bool kept = db_.rollback_work();
    StepError::Details d;
    d.account = std::string(action_name(step.direction)) + " of " + rev.id +
                " was rolled back; nothing of it was applied";
    if (!kept)
      d.account += "; the database also rolled back the " + std::to_string(done) +
                   " earlier revision(s) of this run";
    else if (done)
      d.account +=
          "; the " + std::to_string(done) + " earlier revision(s) of this run stay applied";
    fail(step, i < sts.size() ? i + 1 : 0, error, std::move(d), failed_ms);
  }
  // Told once the step is committed, outside the try: whatever the host
  // does with it cannot turn a committed step into a rolled-back one.
  reporter_.step_done(rev, step.direction, ms);
}

// What records a finished step (after `first`, if any): its revisions row
// and its log entry, all after whatever puts the session back as the run
// found it, which a revision may have left unable to write them (a role
// change, a read-only default).
std::string Migrator::bookkeeping(const Step& step, const Revision& rev, double ms,
                                  const std::string& first) {
  return with_session_reset(
      db_,
      (first.empty() ? "" : first + ";\n") +
          (step.direction == Direction::Up ? store_.add_sql(rev, ms) : store_.remove_sql(rev.id)) +
          ";\n" + store_.log_sql({0, "", action_name(step.direction), rev.id, "ok", 0, "", ms}));
}

std::string with_session_reset(Database& db, const std::string& sql) {
  std::string reset = db.end_of_revision_sql();
  return reset.empty() ? sql : reset + ";\n" + sql;
}

void Migrator::resume(const std::string& revision, long long statement_no) {
  resume_revision_ = revision;
  resume_statement_ = statement_no;
}

std::string done_checksum(const std::vector<Statement>& statements, size_t count) {
  return statements_checksum(std::vector<Statement>(
      statements.begin(), statements.begin() + std::min(count, statements.size())));
}

// One tracked step under way: its progress row and how far it got.
struct Migrator::Tracking {
  Tracking(const Step& s, const Revision& r, const std::vector<Statement>& statements)
      : step(s), rev(r), sts(statements), p{r.id,    action_name(s.direction),
                                            0,       static_cast<long long>(statements.size()),
                                            "ready", "",
                                            "",      ""} {}

  const Step& step;
  const Revision& rev;
  const std::vector<Statement>& sts;
  // The progress row: statement k is "ready" (statements before it took
  // effect, it did not) or "running" (it may or may not have taken effect).
  Progress p;
  bool recorded = false;   // the progress row is there
  bool suspended = false;  // the step runs outside the run transaction
  size_t k = 1;            // the statement running
  // The first statement of a transaction the revision opened itself
  // (START TRANSACTION, or SET autocommit = 0) and has not committed: a
  // crash takes back everything from there, so the record stays there.
  size_t uncommitted = 0;
  BatchCount batched;  // of the statement running, when it is a batch
  Clock::time_point start = Clock::now();

  void record(VersionStore& store, size_t at, const char* state) {
    p.statement_no = static_cast<long long>(at);
    p.done_checksum = done_checksum(sts, at - 1);
    p.state = state;
    if (recorded)
      store.update_progress(p);
    else
      store.start_progress(p);
    recorded = true;
  }
};

// Outside a transaction (MySQL, `-- mig:transaction off`, a statement that
// cannot run in one, batched backfills): statements run one by one in
// autocommit mode and each one's number is recorded before it runs, so a
// failure or a crash leaves an exact account of how far it got.
void Migrator::run_tracked(const Step& step, size_t done) {
  const Revision& rev = graph_.at(step.revision);
  const auto& sts = statements(rev, step.direction);
  Tracking t(step, rev, sts);
  bool resuming = rev.id == resume_revision_;
  size_t first = resuming ? static_cast<size_t>(resume_statement_) : 1;
  t.recorded = resuming;  // --resume: the row is there
  // SQLite's run transaction is left too (the run keeps its lock file), so
  // batches commit one by one there as on the other databases.
  t.suspended =
      run_ && (!rev.runs_in_transaction(step.direction == Direction::Up) || rev.has_batches());
  if (t.suspended) run_->leave_transaction();
  t.k = first;
  try {
    if (first > sts.size()) t.record(store_, first, "ready");  // resumed after its last statement
    for (; t.k <= sts.size(); ++t.k) run_tracked_statement(t);
    if (t.uncommitted != 0) {
      t.k = t.uncommitted;  // reported at the statement where that transaction began
      throw OperationError(
          "the revision ends inside a transaction it opened itself (START TRANSACTION, or SET "
          "autocommit = 0) without a COMMIT, so its statements from " +
          std::to_string(t.uncommitted) +
          " on were rolled back, as the database's own client would; add the COMMIT");
    }
  } catch (const std::exception& e) {
    fail_tracked(t, done, e);
  }
  if (t.suspended) run_->return_to_transaction();
  double ms = ms_since(t.start);
  db_.begin_step();
  db_.commit_step(bookkeeping(step, rev, ms, store_.clear_progress_sql(rev.id)));
  db_.end_revision();
  reporter_.step_done(rev, step.direction, ms);
}

// A `-- mig:statement` block may hold anything after its first statement.
void Migrator::note(const Statement& st) {
  if (!changes_) return;
  if (st.raw)
    changes_->known = false;
  else
    changes_->note(db_.dialect(), st.sql);
}

void Migrator::run_tracked_statement(Tracking& t) {
  const Statement& st = t.sts[t.k - 1];
  t.batched = {};
  // A statement that commits together with its progress record is never
  // left in doubt by a crash (DML on InnoDB, on MySQL).
  bool atomic = !st.batch && !st.raw && db_.atomic(st.sql);
  if (t.uncommitted == 0) t.record(store_, t.k, atomic ? "ready" : "running");
  reporter_.statement(t.rev, t.k, st);
  note(st);
  if (st.batch) {
    run_batches(t.rev, t.k, st, t.batched);
  } else if (atomic) {
    db_.begin_work();
    try {
      db_.run(st.sql);
    } catch (...) {
      db_.rollback_work();
      throw;
    }
    Progress next = t.p;
    next.statement_no = static_cast<long long>(t.k + 1);
    next.done_checksum = done_checksum(t.sts, t.k);
    db_.commit_work(store_.update_progress_sql(next));
    t.p = next;
  } else {
    db_.run(st.sql);
    bool open = db_.work_in_transaction();
    if (open && t.uncommitted == 0) t.uncommitted = t.k;
    if (!open) t.uncommitted = 0;
  }
}

// What of statement k took effect although it failed ("" when nothing did).
std::string Migrator::partial_work(const Tracking& t, size_t failed) {
  // Batches that committed before the failure are work done: the
  // statement is part way, and that is what the record must say.
  if (t.batched.batches > 0)
    return "statement " + std::to_string(t.k) + " had committed " +
           std::to_string(t.batched.batches) + " batch(es) changing " +
           std::to_string(t.batched.rows) + " row(s) when it stopped";
  // A `-- mig:statement` block is sent as it is: what it held before the
  // part that failed may have taken effect.
  if (failed <= t.sts.size() && t.sts[failed - 1].raw)
    return "statement " + std::to_string(failed) +
           " is a -- mig:statement block, and its statements before the one that failed "
           "may have taken effect";
  return "";
}

void Migrator::fail_tracked(Tracking& t, size_t done, const std::exception& e) {
  // The statement that failed is reported; the record goes back to where
  // the revision's own open transaction began, which is rolled back.
  size_t failed = t.k;
  std::string error = error_text(e);
  if (t.uncommitted != 0) {
    try {
      db_.rollback_work();
    } catch (const std::exception&) {  // the connection is gone: so is the transaction
    }
    if (t.uncommitted < t.k)
      error += " (statements " + std::to_string(t.uncommitted) + "-" + std::to_string(t.k) +
               " ran inside the revision's own transaction, which is rolled back)";
    t.k = t.uncommitted;
  }
  std::string partial = partial_work(t, failed);
  std::string full = partial.empty() ? error : error + " (" + partial + ")";
  StepError::Details d;
  const std::string& id = t.rev.id;
  if (t.k == 1 && partial.empty()) {
    if (t.recorded) store_.clear_progress(id);
    d.account = std::string(action_name(t.step.direction)) + " of " + id +
                " stopped at its first statement; nothing of it was applied";
  } else {
    t.p.error = full;
    t.record(store_, t.k, "failed");
    std::string took = t.k == 1 ? ""
                                : "statements 1-" + std::to_string(t.k - 1) + " of " + id +
                                      " took effect and stay (they ran outside a "
                                      "transaction); ";
    if (t.batched.batches > 0)
      took += partial + "; those batches stay; ";
    else if (!partial.empty())
      took += partial + "; ";
    d.account =
        took + id + " is recorded as half applied and mig will not go on until it is resolved:";
    d.half_applied = true;
    d.resume_at = static_cast<int>(t.k);
    d.batches_done = t.batched.batches > 0;
  }
  if (done) d.earlier = "\n  the " + std::to_string(done) + " earlier revision(s) of this run stay";
  if (t.suspended) run_->return_to_transaction();
  fail(t.step, failed <= t.sts.size() ? failed : 0, full, std::move(d), ms_since(t.start));
}

// Runs one statement again and again, each run its own unit of work, until it
// changes no rows; batches already committed stay when a later one fails,
// and `count` says how many there were.
void Migrator::run_batches(const Revision& rev, size_t number, const Statement& st,
                           BatchCount& count) {
  auto start = Clock::now();
  for (;;) {
    if (count.batches >= max_batches_)
      throw OperationError("still changing rows after " + std::to_string(count.batches) +
                           " batches (--max-batches); does its WHERE clause leave out the rows "
                           "already done?");
    db_.begin_work();
    long long changed = 0;
    try {
      changed = db_.run(st.sql);
    } catch (...) {
      db_.rollback_work();
      throw;
    }
    db_.commit_work();
    ++count.batches;
    count.rows += changed;
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    reporter_.batch_progress(rev, number, count.batches, count.rows, seconds, changed == 0);
    if (changed == 0) return;
  }
}

std::string half_applied_advice(const StepError::Details& d) {
  return "\n    fix the file" + std::string(d.batches_done ? " (or allow more batches)" : "") +
         " and resume it at statement " + std::to_string(d.resume_at) +
         "; or finish or undo it by hand and resolve it as completed (or reverted)";
}

void Migrator::fail(const Step& step, size_t statement, const std::string& error,
                    StepError::Details details, double ms) {
  const Revision& rev = graph_.at(step.revision);
  const auto& sts = statements(rev, step.direction);
  store_.log({0, "", action_name(step.direction), rev.id, "failed",
              static_cast<long long>(statement), error, ms});
  details.revision = rev.id;
  details.action = action_name(step.direction);
  details.path = rev.path;
  details.statement = static_cast<int>(statement);
  details.statements = static_cast<int>(sts.size());
  details.error = error;
  std::string msg = std::string(action_name(step.direction)) + " " + rev.id + " failed";
  if (statement > 0) {
    const Statement& st = sts[statement - 1];
    details.line = st.line;
    details.sql = st.sql.size() > 2000 ? st.sql.substr(0, 2000) + " ..." : st.sql;
    msg += " at statement " + std::to_string(statement) + " of " + std::to_string(sts.size()) +
           " (" + rev.path + ":" + std::to_string(st.line) + ")\n  statement: " + details.sql;
  } else {
    msg += " while recording it (" + rev.path + ")";
  }
  details.summary = msg + "\n  error: " + error;
  std::string text = details.summary + "\n  " + details.account +
                     (details.half_applied ? half_applied_advice(details) : "") + details.earlier;
  throw StepError(text, std::move(details));
}

void Migrator::stamp(const AppliedSet& from, const AppliedSet& to) {
  db_.begin_step();
  const auto& order = graph_.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    if (from[*it] && !to[*it]) {
      store_.remove(graph_.at(*it).id);
      store_.log({0, "", "unstamp", graph_.at(*it).id, "ok", 0, "", 0});
    }
  }
  for (int r : order) {
    if (!from[r] && to[r]) {
      store_.add(graph_.at(r), 0);
      store_.log({0, "", "stamp", graph_.at(r).id, "ok", 0, "", 0});
    }
  }
  db_.commit_step();
}

}  // namespace mig
