#include "cli/advice.h"

#include "mig/errors.h"

namespace mig {
namespace {

std::string step_message(const StepError& e) {
  const auto& d = e.details();
  if (!d.half_applied) return e.what();
  return d.summary + "\n  " + d.account + "\n    fix the file" +
         (d.batches_done ? " (or raise --max-batches)" : "") + ", then run `mig " + d.action +
         " --resume` to " + (d.batches_done ? "go on with" : "re-run") + " statement " +
         std::to_string(d.resume_at) +
         " and carry on; or\n    finish or undo it by hand, then run `mig resolve " + d.revision +
         " --completed` (or --reverted)" + d.earlier;
}

std::string half_applied_message(const HalfAppliedError& e) {
  using Reason = HalfAppliedError::Reason;
  switch (e.reason()) {
    case Reason::NotResumed:
      return e.description() + "\n  fix the file and run `mig " + e.direction() +
             " --resume`, or settle it by hand and run `mig resolve " + e.revision() +
             " --completed` (or --reverted)";
    case Reason::OtherDirection:
      return e.description() + "\n  --resume continues it with `mig " + e.direction() +
             " --resume`, not with " + (e.direction() == "upgrade" ? "downgrade" : "upgrade");
    case Reason::Stamping:
      return e.description() + "\n  settle it with `mig resolve` before stamping";
    case Reason::FileGone:
    case Reason::FileChanged:
      break;
  }
  return e.what();
}

// An option of the library as the command line spells it.
std::string flag(const std::string& name) {
  if (name == "parents") return "--parent";
  if (name == "template_name") return "--template";
  if (name == "script") return "--sql";
  if (name == "scratch_url") return "--url";
  if (name == "renames") return "--rename";
  if (name == "dev_url") return "--dev-url";
  std::string out = "--" + name;
  for (char& c : out)
    if (c == '_') c = '-';
  return out;
}

}  // namespace

std::string cli_message(const std::exception& error) {
  if (auto* e = dynamic_cast<const WrongDirectionError*>(&error))
    return e->summary() + (e->revision().empty() ? "; use mig " + e->other()
                                                 : " (to apply it, use mig " + e->other() + " " +
                                                       e->revision() + ")");
  if (auto* e = dynamic_cast<const OptionError*>(&error)) return e->spelled(flag);
  if (auto* e = dynamic_cast<const StepError*>(&error)) return step_message(*e);
  if (auto* e = dynamic_cast<const HalfAppliedError*>(&error)) return half_applied_message(*e);
  if (auto* e = dynamic_cast<const EditedRevisionError*>(&error))
    return "applied revision(s) changed since they were applied:" + e->listing() +
           "\n  restore the file(s), or accept the change with `mig rehash " +
           (e->revisions().empty() ? std::string() : e->revisions().front()) + "`";
  if (auto* e = dynamic_cast<const SeedRequirementError*>(&error); e && !e->revision_text().empty())
    return "seed " + e->seed() + " requires revision " + e->revision_text() +
           ", which is not applied yet; run `mig upgrade` first; no seed was run";
  return error.what();
}

}  // namespace mig
