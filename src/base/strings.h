#pragma once

#include <string>
#include <vector>

namespace mig {

// "a, b, c" from {"a", "b", "c"} with sep ", ".
std::string join(const std::vector<std::string>& items, const std::string& sep);

// What an errno value means ("No such file or directory"); unlike
// strerror, safe on several threads at once (strerror_r).
std::string errno_text(int err);

// ASCII case folding (SQL keywords and names; other bytes are kept).
std::string upper_ascii(std::string s);
std::string lower_ascii(std::string s);

// A duration for people: "0.4 ms", "12 ms".
std::string format_ms(double ms);

}  // namespace mig
