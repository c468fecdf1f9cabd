#pragma once

#include <string>
#include <vector>

namespace mig {

// A desired schema's text with its `-- mig:renamed-from OLD` markers read
// and taken out. A marker at the end of a CREATE TABLE line says the table
// was OLD; at the end of a column's line, that the column was OLD.
struct MarkedSchema {
  std::string text;  // the same lines, markers blanked out
  // As DiffOptions::renames: the tables' first ("OLD=NEW"), then the
  // columns' under their tables' new names ("TABLE.OLD=NEW").
  std::vector<std::string> renames;
  std::vector<int> lines;  // where each rename's marker is
};

// Throws FileError naming `file` and the line of a marker that names no old
// name or stands on a line of its own or outside a CREATE TABLE.
// `fold_case`: names written without quotes are lower-cased (PostgreSQL).
MarkedSchema read_renamed_from(const std::string& text, const std::string& file,
                               bool fold_case = false);

}  // namespace mig
