#include "db/backend_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mig {
namespace {

using OpenFunction = Database* (*)(const DatabaseUrl&, const ConnectOptions&);

std::string executable_dir() {
  std::vector<char> buf(4096);
  ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return ".";
  std::string path(buf.data(), static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// The directory of the file that holds this code: the executable when mig
// is linked in statically, libmig.so when it is a shared library.
std::string library_dir() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&library_dir), &info) == 0 || !info.dli_fname) return {};
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// Beside the executable and beside libmig (a build directory), then where
// `cmake --install` put them from there, then where this build installs
// them.
std::vector<std::string> module_dirs(const std::string& configured) {
  if (!configured.empty()) return {configured};
  std::vector<std::string> out;
  auto add = [&out](const std::string& spelled) {
    std::string dir = std::filesystem::path(spelled).lexically_normal().string();
    if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (std::find(out.begin(), out.end(), dir) == out.end()) out.push_back(dir);
  };
  for (const std::string& dir : {executable_dir(), library_dir()}) {
    if (dir.empty()) continue;
    add(dir);
    add(dir + "/../lib/mig");
#ifdef MIG_MODULE_DIR_FROM_BIN
    add(dir + "/" MIG_MODULE_DIR_FROM_BIN);  // bin/../lib/<multiarch>/mig
#endif
    add(dir + "/mig");
  }
#ifdef MIG_INSTALLED_MODULE_DIR
  add(MIG_INSTALLED_MODULE_DIR);
#endif
  return out;
}

struct Found {
  std::string path;
  void* handle = nullptr;
  std::string tried;  // each place looked and why it was not used
};

// The module NAME that has SYMBOL (by default mig_open_NAME).
Found find(const char* name, const std::string& configured, std::string symbol = {}) {
  std::string file = std::string("mig_") + name + ".so";
  if (symbol.empty()) symbol = std::string("mig_open_") + name;
  Found out;
  for (const auto& dir : module_dirs(configured)) {
    std::string path = dir + "/" + file;
    if (::access(path.c_str(), F_OK) != 0) {
      out.tried += "\n  " + path + ": not found";
      continue;
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      out.tried += "\n  " + path + ": " + ::dlerror();
      continue;
    }
    if (::dlsym(handle, symbol.c_str())) {
      out.path = path;
      out.handle = handle;
      return out;
    }
    out.tried += "\n  " + path + ": has no " + symbol;
    ::dlclose(handle);
  }
  return out;
}

// SYMBOL from the module NAME, loaded once per process and directory
// (projects on several threads may connect at once); throws OperationError
// saying where it looked and what the loader said.
void* load(const char* name, const char* title, const std::string& configured,
           const std::string& symbol) {
  static std::mutex mutex;
  static std::map<std::string, void*> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  void*& slot = loaded[std::string(name) + "\n" + symbol + "\n" + configured];
  if (slot) return slot;
  Found found = find(name, configured, symbol);
  if (found.handle) return slot = ::dlsym(found.handle, symbol.c_str());
  throw OperationError(std::string(title) + " support is not installed: cannot load mig_" + name +
                       ".so (looked for beside the mig binary and where it installs modules, "
                       "as below; MIG_MODULE_DIR or the module_dir setting names the place)" +
                       found.tried);
}

}  // namespace

std::string backend_module_path(const char* name, const std::string& configured) {
  Found found = find(name, configured);
  return found.path;  // (a module loaded once stays loaded, as open_with_module keeps it)
}

std::unique_ptr<Database> open_with_module(const char* name, const char* title,
                                           const DatabaseUrl& url, const ConnectOptions& options) {
  auto open = reinterpret_cast<OpenFunction>(
      load(name, title, options.module_dir, std::string("mig_open_") + name));
  return std::unique_ptr<Database>(open(url, options));
}

PostgresqlParser postgresql_parser(const std::string& module_dir) {
  return reinterpret_cast<PostgresqlParser>(
      load("postgresql", "PostgreSQL", module_dir, "mig_parse_postgresql"));
}

}  // namespace mig
