// PostgreSQL's own parser (Debian's libpg_query, linked in statically), in
// the PostgreSQL module so that only a command that lints PostgreSQL SQL
// maps it.
#include <pg_query.h>

#include <string>

#include "db/backend_module.h"

extern "C" bool mig_parse_postgresql(const std::string& sql, std::string& out, int& error_at) {
  PgQueryParseResult result = pg_query_parse(sql.c_str());
  bool ok = result.error == nullptr;
  if (ok) {
    out = result.parse_tree ? result.parse_tree : "";
    error_at = -1;
  } else {
    out = result.error->message ? result.error->message : "syntax error";
    // cursorpos counts characters from 1; the caller wants a byte offset.
    int chars = result.error->cursorpos > 0 ? result.error->cursorpos - 1 : 0;
    size_t at = 0;
    for (int n = 0; at < sql.size() && n < chars; ++n) {
      ++at;
      while (at < sql.size() && (static_cast<unsigned char>(sql[at]) & 0xC0) == 0x80) ++at;
    }
    error_at = static_cast<int>(at);
  }
  pg_query_free_parse_result(result);
  return ok;
}
