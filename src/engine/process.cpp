#include "engine/process.h"

#include "base/sha256.h"
#include "db/sqlite/sqlite_database.h"

namespace mig {

void configure_mig_process() {
  configure_sqlite_for_this_process();
  skip_openssl_config_for_this_process();
}

}  // namespace mig
