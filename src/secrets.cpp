#include "secrets.h"

#include <algorithm>
#include <cstdio>

namespace mig {
namespace {

// How a JSON encoder writes `text` inside a string: a password holding a
// quote or a backslash appears in `--json` output only in this form.
std::string json_escaped(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void Redactor::add_url(const DatabaseUrl& url) {
  add_secret(url.password);
  for (const auto& [key, value] : url.params)
    if (key.find("password") != std::string::npos || key == "passwd") add_secret(value);
  for (const auto* name : {&url.user, &url.host, &url.database}) add_public(*name);
}

void Redactor::add_secret(const std::string& secret) {
  // Two characters would mask fragments of every other word.
  if (secret.size() < 3) return;
  for (const std::string& form : {secret, json_escaped(secret)})
    if (std::find(secrets_.begin(), secrets_.end(), form) == secrets_.end())
      secrets_.push_back(form);
}

void Redactor::add_public(const std::string& text) {
  if (!text.empty()) public_.push_back(text);
}

std::string Redactor::apply(std::string text) const {
  for (const auto& s : secrets_) {
    if (std::find(public_.begin(), public_.end(), s) != public_.end()) continue;
    for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 3))
      text.replace(at, s.size(), "***");
  }
  return text;
}

}  // namespace mig
