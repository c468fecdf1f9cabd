// libFuzzer target: the revision parser and the statement splitter must turn
// any bytes into either a result or a FileError, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "errors.h"
#include "script/revision_file.h"
#include "script/sql_splitter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (auto dialect : {mig::Dialect::SQLite, mig::Dialect::PostgreSQL, mig::Dialect::MySQL}) {
    try {
      mig::Revision rev = mig::parse_revision(text, "fuzz.sql", dialect);
      for (const auto& st : rev.upgrade)
        if (st.sql.empty() || st.line < 1) __builtin_trap();
    } catch (const mig::FileError& e) {
      if (e.line() < 1) __builtin_trap();
    }
    try {
      auto chunks = mig::scan_sql(text, dialect, "fuzz.sql");
      (void)chunks;
    } catch (const mig::FileError&) {
    }
  }
  return 0;
}
