// How a URL becomes a libpq connection string.
#include "db/database.h"

namespace mig {

std::string postgresql_conninfo(const DatabaseUrl& url) {
  return connection_string({{"host", url.host},
                            {"port", url.port ? std::to_string(url.port) : ""},
                            {"dbname", url.database},
                            {"user", url.user},
                            {"password", url.password}},
                           url);
}

}  // namespace mig
