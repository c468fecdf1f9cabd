#include "script/checksum.h"

namespace mig {

std::string statements_checksum(const std::vector<Statement>& statements) {
  size_t size = 0;
  for (const auto& st : statements) size += st.normalized.size() + 2;
  std::string joined;
  joined.reserve(size);
  for (const auto& st : statements) {
    joined += st.normalized;
    joined += ";\n";
  }
  return sha256_hex(joined);
}

}  // namespace mig
