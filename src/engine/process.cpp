#include "engine/process.h"

#include "db/sqlite/sqlite_database.h"
#include "script/checksum.h"

namespace mig {

void configure_mig_process() {
  configure_sqlite_for_this_process();
  skip_openssl_config_for_this_process();
}

}  // namespace mig
