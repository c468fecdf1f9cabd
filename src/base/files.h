#pragma once

#include <sys/types.h>

namespace mig {

// What a file of this type is, for messages: "a directory", "a FIFO", "a
// device", "a socket", "a regular file", or "not a regular file".
const char* file_kind(mode_t mode);

}  // namespace mig
