#include "db/backend_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
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

std::vector<std::string> module_dirs() {
  if (const char* dir = std::getenv("MIG_MODULE_DIR"); dir && *dir) return {dir};
  std::string exe = executable_dir();
  return {exe, exe + "/../lib/mig"};
}

// Loads the module once per process; throws OperationError saying where it
// looked and what the loader said.
OpenFunction load(const char* name, const char* title) {
  std::string file = std::string("mig_") + name + ".so";
  std::string symbol = std::string("mig_open_") + name;
  std::string tried;
  for (const auto& dir : module_dirs()) {
    std::string path = dir + "/" + file;
    if (::access(path.c_str(), F_OK) != 0) {
      tried += "\n  " + path + ": not found";
      continue;
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      tried += "\n  " + path + ": " + ::dlerror();
      continue;
    }
    if (void* fn = ::dlsym(handle, symbol.c_str())) return reinterpret_cast<OpenFunction>(fn);
    tried += "\n  " + path + ": has no " + symbol;
    ::dlclose(handle);
  }
  throw OperationError(std::string(title) + " support is not installed: cannot load " + file +
                       " (it belongs beside the mig binary or in ../lib/mig; MIG_MODULE_DIR "
                       "overrides both)" +
                       tried);
}

}  // namespace

std::unique_ptr<Database> open_with_module(const char* name, const char* title,
                                           const DatabaseUrl& url, const ConnectOptions& options) {
  static std::map<std::string, OpenFunction> loaded;
  OpenFunction& open = loaded[name];
  if (!open) open = load(name, title);
  return std::unique_ptr<Database>(open(url, options));
}

}  // namespace mig
