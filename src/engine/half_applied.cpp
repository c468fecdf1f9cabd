#include "engine/half_applied.h"

#include "errors.h"

namespace mig {

std::string describe_half_applied(const RevisionGraph& graph, const Progress& p) {
  std::string where;
  int i = graph.find(p.revision);
  if (i >= 0) {
    const Revision& r = graph.at(i);
    const auto& sts = p.direction == "upgrade" ? r.upgrade : r.downgrade;
    where = " (" + r.path;
    if (p.statement_no >= 1 && p.statement_no <= static_cast<long long>(sts.size()))
      where += ":" + std::to_string(sts[p.statement_no - 1].line);
    where += ")";
  }
  std::string text = p.revision + " is half applied: its " + p.direction;
  std::string n = std::to_string(p.statement_no), of = std::to_string(p.statements);
  if (p.state == "failed")
    text += " failed at statement " + n + " of " + of + where + ": " + p.error;
  else if (p.state == "ready" && p.statement_no > p.statements)
    text += " was interrupted after its last statement had taken effect, before it was recorded";
  else if (p.state == "ready")
    text += " was interrupted before statement " + n + " of " + of + where +
            " took effect (the statements before it did)";
  else
    text += " was interrupted while running statement " + n + " of " + of + where +
            "; that statement ran outside a transaction (DDL, or a statement mig cannot run "
            "together with its record), so it may or may not have taken effect";
  return text;
}

void check_half_applied(VersionStore& store, const RevisionGraph& graph, Direction direction,
                        bool resume, Migrator& migrator,
                        const std::function<void(const std::string&)>& say) {
  check_half_applied(store.progress(), graph, direction, resume, migrator, say);
}

void check_half_applied(const std::vector<Progress>& progress, const RevisionGraph& graph,
                        Direction direction, bool resume, Migrator& migrator,
                        const std::function<void(const std::string&)>& say) {
  const char* verb = direction == Direction::Up ? "upgrade" : "downgrade";
  using Reason = HalfAppliedError::Reason;
  for (const Progress& p : progress) {
    std::string text = describe_half_applied(graph, p);
    auto refuse = [&](Reason reason, const std::string& why) {
      throw HalfAppliedError(text + "\n  " + why, text, p.revision, p.direction, reason);
    };
    int at = graph.find(p.revision);
    bool batch_interrupted = false;
    if (at >= 0 && p.state == "running" && p.direction == verb) {
      const auto& sts = direction == Direction::Up ? graph.at(at).upgrade : graph.at(at).downgrade;
      batch_interrupted = p.statement_no >= 1 &&
                          p.statement_no <= static_cast<long long>(sts.size()) &&
                          sts[p.statement_no - 1].batch;
    }
    if (!resume && !batch_interrupted)
      refuse(Reason::NotResumed,
             "fix the file and resume its " + p.direction +
                 ", or settle it by hand and resolve it as completed (or reverted)");
    if (p.direction != verb)
      refuse(Reason::OtherDirection, "it resumes with its " + p.direction + ", not with " + verb);
    if (at < 0) refuse(Reason::FileGone, "and its file is gone, so it cannot be resumed");
    const auto& sts = direction == Direction::Up ? graph.at(at).upgrade : graph.at(at).downgrade;
    long long last = static_cast<long long>(sts.size()) + (p.state == "ready" ? 1 : 0);
    if (p.statement_no < 1 || p.statement_no > last ||
        done_checksum(sts, p.statement_no - 1) != p.done_checksum)
      refuse(Reason::FileChanged, "cannot resume: statements 1-" +
                                      std::to_string(p.statement_no - 1) +
                                      " in the file are no longer the ones that ran");
    if (batch_interrupted)
      say("resuming interrupted batched " + p.revision + " at statement " +
          std::to_string(p.statement_no) +
          " (a run stopped during its backfill; the batches it committed stay, and the statement "
          "repeats until it changes no rows)");
    else
      say("resuming " + p.revision + " at statement " + std::to_string(p.statement_no));
    migrator.resume(p.revision, p.statement_no);
  }
}

}  // namespace mig
