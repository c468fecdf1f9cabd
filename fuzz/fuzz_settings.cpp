// libFuzzer target: mig.toml. Any text is either settings or a UsageError
// that names the file; nothing else may escape, crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/settings.h"
#include "errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // A fixed environment: ${HOME} expands, ${NOPE} is unset, MIG_ENV picks
  // [environments.dev] when the text has one.
  mig::EnvLookup env = [](const char* name) -> const char* {
    std::string n(name);
    if (n == "HOME") return "/home/fuzz";
    if (n == "MIG_ENV") return "dev";
    return nullptr;
  };
  for (bool with_env : {false, true}) {
    mig::Overrides o;
    if (!with_env) o.env.clear();
    try {
      mig::Settings s = mig::parse_settings(
          text, "fuzz/mig.toml", o,
          with_env ? env : [](const char*) -> const char* { return nullptr; });
      if (s.table_prefix.empty() || s.migrations_dir.empty()) __builtin_trap();
    } catch (const mig::UsageError& e) {
      std::string m = e.what();
      if (m.empty()) __builtin_trap();
    }
  }
  return 0;
}
