#include "secrets.h"

#include <vector>

namespace mig {
namespace {

std::vector<std::string>& secrets() {
  static std::vector<std::string> list;
  return list;
}

}  // namespace

void add_secret(const std::string& secret) {
  if (secret.size() >= 3) secrets().push_back(secret);
}

std::string redact_secrets(std::string text) {
  for (const auto& s : secrets()) {
    for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 3))
      text.replace(at, s.size(), "***");
  }
  return text;
}

}  // namespace mig
