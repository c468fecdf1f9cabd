#pragma once

namespace mig {

// Settings that belong to the whole process (SQLite's threading mode and
// memory statistics, OpenSSL's configuration), made by the mig executable
// for speed before it does anything. The library never makes them: in an
// application's process they are the application's to choose.
void configure_mig_process();

}  // namespace mig
