#pragma once

#include <string>
#include <string_view>

namespace mig {

// For a process that is mig and nothing else, before the first checksum:
// the system's openssl.cnf can only select providers and policies, mig's
// checksums must come out the same everywhere, and reading it was half of
// the first checksum's 0.9 ms. OpenSSL's initialisation is the whole
// process's, so the library never does this.
void skip_openssl_config_for_this_process();

// Lower-case hex SHA-256 of `data` (OpenSSL's).
std::string sha256_hex(std::string_view data);

}  // namespace mig
