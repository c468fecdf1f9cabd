#include "cli/context.h"

#include <boost/filesystem.hpp>
#include <cstdlib>

#include "cli/observer.h"
#include "script/parse_cache.h"

namespace mig {

void load_context(Context& ctx) {
  Verbosity v = ctx.global.quiet     ? Verbosity::Quiet
                : ctx.global.verbose ? Verbosity::Verbose
                                     : Verbosity::Normal;
  ctx.out = std::make_unique<Output>(v, ctx.global.json, ctx.redactor);
  Overrides o;
  o.config_path = ctx.global.config;
  o.config_given = ctx.global.config_given;
  o.url = ctx.global.url;
  o.url_given = ctx.global.url_given;
  o.env = ctx.global.env;
  // Every URL mig was given holds a secret, also one a higher-precedence
  // URL overrides: a message may still quote it.
  const char* given[] = {std::getenv("DATABASE_URL"), o.url.c_str()};
  for (const char* url : given) {
    if (!url || !*url) continue;
    try {
      ctx.redactor->add_url(parse_url(url, "URL"));
    } catch (const UsageError&) {
    }
  }
  auto getenv = [](const char* name) { return std::getenv(name); };
  ctx.settings = load_settings(o, getenv);
  ctx.redactor->add_url(ctx.settings.url);
  for (const auto& warning : ctx.settings.warnings) ctx.out->warn(warning);
  if (ctx.global.wait < 0) throw UsageError("--wait: SECONDS must not be negative");
  ctx.settings.wait_seconds = ctx.global.wait;
  ctx.settings.cache_dir = ParseCache::user_cache_dir(getenv);
  if (const char* dir = std::getenv("MIG_MODULE_DIR"); dir && *dir) ctx.settings.module_dir = dir;
  boost::system::error_code no_temp;                            // (then verify uses /tmp)
  auto temp = boost::filesystem::temp_directory_path(no_temp);  // TMPDIR and the like
  if (!no_temp) ctx.settings.temp_dir = temp.string();
  ctx.project = std::make_unique<Project>(ctx.settings);
  for (const char* url : given) {
    if (!url || !*url) continue;
    try {
      ctx.project->mask(parse_url(url, "URL"));
    } catch (const UsageError&) {
    }
  }
  ctx.observer = std::make_unique<CliObserver>(*ctx.out);
  ctx.project->set_observer(ctx.observer.get());
}

}  // namespace mig
