#include "cli/version.h"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "db/backend_module.h"
#include "mig_build_info.h"

namespace mig {

std::string version_text() {
  return std::string("mig ") + MIG_VERSION + " (commit " + MIG_GIT_COMMIT +
         (MIG_GIT_DIRTY ? "-dirty" : "") + ")";
}

std::string version_number() { return MIG_VERSION; }

std::string build_date() { return MIG_GIT_DATE; }

std::string version_json(const std::string& module_dir) {
  nlohmann::ordered_json modules = nlohmann::ordered_json::object();
  nlohmann::ordered_json backends = nlohmann::ordered_json::array({"sqlite"});
  for (const char* name : {"postgresql", "mysql"}) {
    std::string path = backend_module_path(name, module_dir);
    if (path.empty()) {
      modules[name] = nullptr;
    } else {
      modules[name] = path;
      backends.push_back(name);
    }
  }
  nlohmann::ordered_json doc;
  doc["version"] = MIG_VERSION;
  doc["commit"] = MIG_GIT_COMMIT;
  doc["dirty"] = MIG_GIT_DIRTY != 0;
  doc["backends"] = backends;
  doc["modules"] = modules;
  doc["sqlite"] = sqlite3_libversion();
  return doc.dump(2);
}

}  // namespace mig
