#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/observer.h"
#include "cli/output.h"
#include "mig/project.h"
#include "mig/settings.h"
#include "secrets.h"

namespace mig {

struct GlobalOptions {
  std::string config = "mig.toml";
  bool config_given = false;
  std::string url;
  bool url_given = false;
  std::string env;
  bool verbose = false;
  bool quiet = false;
  bool json = false;
  int wait = 0;
  // --group NAME and what goes with it.
  std::string group;
  std::vector<std::string> targets;  // --target PATTERN
  int jobs = 0;                      // -j N; 0: default_jobs()
  std::string on_error = "stop";     // --on-error stop|continue
  bool group_options_given = false;  // --target, -j or --on-error was used
};

// What every command starts from: the options, where output goes, the
// merged settings and the project they describe.
struct Context {
  GlobalOptions global;
  Settings settings;
  // Knows every password mig was given; the output masks with it.
  std::shared_ptr<Redactor> redactor = std::make_shared<Redactor>();
  std::unique_ptr<Output> out;
  std::unique_ptr<CliObserver> observer;
  std::unique_ptr<Project> project;
};

// Reads the environment and mig.toml (the only place the CLI's process
// environment is read); call once before running a command.
void load_context(Context& ctx);

}  // namespace mig
