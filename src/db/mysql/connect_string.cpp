// How a URL becomes a connection string for SOCI's MySQL backend.
#include "db/database.h"

namespace mig {

std::string mysql_connect_string(const DatabaseUrl& url) {
  // SOCI's MySQL backend refuses any other key with "Malformed connection
  // string.", which does not say which one.
  static const char* const known[] = {"charset",      "sslca",           "sslcert",
                                      "sslkey",       "local_infile",    "reconnect",
                                      "read_timeout", "connect_timeout", "write_timeout"};
  for (const auto& param : url.params) {
    bool ok = false;
    for (const char* k : known) ok = ok || param.first == k;
    if (!ok)
      throw UsageError("database URL option '" + param.first +
                       "' is not one MySQL/MariaDB connections take (charset, sslca, sslcert, "
                       "sslkey, local_infile, reconnect, connect_timeout, read_timeout, "
                       "write_timeout)");
  }
  bool socket = !url.host.empty() && url.host.front() == '/';
  return connection_string(
      {{socket ? "unix_socket" : "host", socket || !url.host.empty() ? url.host : "localhost"},
       {"port", url.port ? std::to_string(url.port) : ""},
       {"dbname", url.database},
       {"user", url.user},
       {"password", url.password}},
      url);
}

}  // namespace mig
