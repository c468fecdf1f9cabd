// A small service that owns its schema: at start-up it opens its migrations,
// says where the database stands, upgrades it to head, and refuses to start
// when that fails. With --check-only it changes nothing and refuses to start
// while revisions are pending (for a service that must not run DDL itself).
//
//   startup [--check-only] DATABASE_URL [MIGRATIONS_DIR]
//
// Built twice: `startup` reads MIGRATIONS_DIR (default: migrations), and
// `startup_embedded` carries its revisions in the binary (see CMakeLists.txt).
#include <mig/project.h>

#include <iostream>
#include <string>
#include <vector>

#ifdef STARTUP_EMBEDDED
std::vector<mig::EmbeddedRevision> embedded_revisions();  // generated at build time
#endif

namespace {

// The service's log: mig's progress, one line each.
struct Log : mig::Observer {
  void step_finished(const mig::StepResult& step) override {
    std::cout << "startup: " << step.action << " " << step.revision << " (" << step.message
              << ")\n";
  }
  void waiting(const std::string& what) override { std::cout << "startup: " << what << "\n"; }
  void log(Level level, const std::string& text) override {
    if (level != Level::Detail) std::cout << "startup: " << text << "\n";
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool check_only = !args.empty() && args.front() == "--check-only";
  if (check_only) args.erase(args.begin());
  if (args.empty()) {
    std::cerr << "usage: startup [--check-only] DATABASE_URL [MIGRATIONS_DIR]\n";
    return 2;
  }
  try {
    mig::Settings settings;
    settings.url = mig::parse_url(args[0], "DATABASE_URL");
    settings.lock_timeout = 120;  // several copies may start at once: wait for each other
#ifdef STARTUP_EMBEDDED
    mig::Project project(settings, embedded_revisions());
#else
    settings.migrations_dir = args.size() > 1 ? args[1] : "migrations";
    mig::Project project(settings);
#endif
    Log log;
    project.set_observer(&log);

    mig::StatusResult status = project.status();
    std::cout << "startup: database at "
              << (status.current.empty() ? std::string("base") : status.current.front()) << ", "
              << status.pending.size() << " revision(s) pending\n";
    if (check_only) {
      if (!status.up_to_date()) {
        std::cerr << "startup: refusing to start: the schema is not up to date\n";
        return 3;
      }
      std::cout << "startup: schema up to date; serving\n";
      return 0;
    }
    mig::MigrateResult result = project.upgrade();
    std::cout << "startup: " << result.steps.size() << " revision(s) applied; serving\n";
    return 0;
  } catch (const mig::StepError& e) {
    std::cerr << "startup: refusing to start: revision " << e.details().revision
              << " failed at statement " << e.details().statement << ": " << e.details().error
              << "\n";
  } catch (const std::exception& e) {
    std::cerr << "startup: refusing to start: " << e.what() << "\n";
  }
  return 1;
}
