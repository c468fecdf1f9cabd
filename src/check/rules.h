#pragma once

#include <string>
#include <vector>

#include "mig/results.h"

namespace mig {

// The rules of `mig check`, each with a stable code (CheckRule, in
// mig/results.h). A leaf: mig.toml's [check.rules] is validated against it.
const std::vector<CheckRule>& check_rules();

// The rule of a code, or nullptr.
const CheckRule* find_check_rule(const std::string& code);

// Whether NAME is a group of rules ("destructive", …).
bool is_check_group(const std::string& name);

// Whether KIND is an object kind [check.naming] takes a pattern for.
bool is_naming_kind(const std::string& kind);

// Whether VALUE is a level [check.rules] may set: "error", "warning" or "off".
bool is_check_level(const std::string& value);

// A finding of rule CODE with its group's fields filled in.
Finding make_finding(const std::string& code, const std::string& path, int line,
                     const std::string& revision, const std::string& message);

}  // namespace mig
