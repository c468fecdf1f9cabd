#pragma once

#include <string>

namespace mig {

// Passwords the process knows about. Everything mig prints passes through
// redact_secrets(), so a driver message that quotes a password cannot leak it.
void add_secret(const std::string& secret);
std::string redact_secrets(std::string text);

}  // namespace mig
