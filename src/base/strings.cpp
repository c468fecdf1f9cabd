#include "base/strings.h"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace mig {

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

namespace {

// strerror_r comes in two kinds: glibc's (returns the text) and POSIX's
// (fills the buffer, returns 0).
[[maybe_unused]] std::string message_of(const char* text, const char*) { return text; }
[[maybe_unused]] std::string message_of(int failed, const char* buffer) {
  return failed ? std::string("error ") : std::string(buffer);
}

}  // namespace

std::string errno_text(int err) {
  char buffer[256] = "";
  std::string text = message_of(::strerror_r(err, buffer, sizeof buffer), buffer);
  return text == "error " ? text + std::to_string(err) : text;
}

std::string upper_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string format_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
  return buf;
}

}  // namespace mig
