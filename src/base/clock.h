#pragma once

#include <chrono>

namespace mig {

// Durations are measured on the monotonic clock, in milliseconds.
using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace mig
