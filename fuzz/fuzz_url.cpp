// libFuzzer target: database URL parsing. Any text is either a URL or a
// UsageError, and a password given in the user-info part never shows up in
// the error, in redacted() or in describe().
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "config/url.h"
#include "errors.h"

namespace {

// The fuzz input splits at its first NUL into a password and the rest of a
// URL; the password is written unencoded, the way users get it wrong.
void check_password_stays_hidden(const std::string& password, const std::string& rest) {
  static const char* const schemes[] = {"postgresql://app:", "mysql://app:", "mariadb://app:"};
  for (const char* scheme : schemes) {
    std::string url = std::string(scheme) + password + "@" + rest;
    // Text the password shares with the rest of the URL (or the scheme) may
    // rightly be printed as that other part, and words such as "mysql" or
    // "port '5" belong to mig's own messages: only passwords like real ones
    // (six or more letters and digits, with some of / ? # !) are checked.
    bool letters = false, digits = false, other = false;
    for (char c : password) {
      letters = letters || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      digits = digits || (c >= '0' && c <= '9');
      other = other || !(std::isalnum(static_cast<unsigned char>(c)) || std::strchr("/?#!", c));
    }
    bool distinct = password.size() >= 6 && letters && digits && !other &&
                    rest.find(password) == std::string::npos &&
                    std::string(scheme).find(password) == std::string::npos;
    try {
      mig::DatabaseUrl u = mig::parse_url(url, "fuzz");
      if (distinct && (u.redacted().find(password) != std::string::npos ||
                       u.describe().find(password) != std::string::npos))
        __builtin_trap();
    } catch (const mig::UsageError& e) {
      if (distinct && std::string(e.what()).find(password) != std::string::npos) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    mig::DatabaseUrl u = mig::parse_url(text, "fuzz");
    (void)u.redacted();
    (void)u.describe();
  } catch (const mig::UsageError&) {
  }
  size_t nul = text.find('\0');
  if (nul != std::string::npos)
    check_password_stays_hidden(text.substr(0, nul), text.substr(nul + 1));
  return 0;
}
