// `-- mig:renamed-from OLD` markers in a desired schema.
#include "diff/renamed_from.h"

#include <cctype>
#include <regex>
#include <sstream>
#include <string>

#include "errors.h"

namespace mig {
namespace {

const std::string kMarker = "-- mig:renamed-from";

// A name as written, without its quotes and without a schema before it;
// lower-cased when unquoted and `fold`.
std::string bare(std::string name, bool fold) {
  if (size_t dot = name.rfind('.'); dot != std::string::npos && dot + 1 < name.size())
    name = name.substr(dot + 1);
  bool quoted = !name.empty() && (name[0] == '"' || name[0] == '`' || name[0] == '[');
  std::string out;
  for (char c : name)
    if (c != '"' && c != '`' && c != '[' && c != ']')
      out += fold && !quoted ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
  return out;
}

// The first name on a line: quoted ("e mail", `e mail`, [e mail]) or a word.
std::string first_name(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos) return {};
  char open = line[i];
  if (open == '"' || open == '`' || open == '[') {
    size_t end = line.find(open == '[' ? ']' : open, i + 1);
    return end == std::string::npos ? std::string() : line.substr(i, end - i + 1);
  }
  size_t end = i;
  while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end])) &&
         line[end] != ',' && line[end] != '(')
    ++end;
  return line.substr(i, end - i);
}

}  // namespace

MarkedSchema read_renamed_from(const std::string& text, const std::string& file, bool fold) {
  static const std::regex create_table(
      R"(\bCREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([^\s(]+))",
      std::regex::icase);
  MarkedSchema out;
  std::vector<std::string> columns;
  std::vector<int> column_lines;
  std::string table;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::smatch m;
    bool creates = std::regex_search(line, m, create_table);
    if (creates) table = bare(m[1].str(), fold);
    size_t at = line.find(kMarker);
    if (at != std::string::npos) {
      std::string before = line.substr(0, at);
      std::istringstream rest(line.substr(at + kMarker.size()));
      std::string old;
      rest >> old;
      if (old.empty()) throw FileError(file, number, kMarker + " needs the old name");
      std::string first = first_name(before);
      if (first.empty() || first == "--")
        throw FileError(file, number,
                        kMarker + " goes at the end of the line of the table or column it renames");
      if (table.empty()) throw FileError(file, number, kMarker + " is not inside a CREATE TABLE");
      if (creates) {
        out.renames.push_back(bare(old, fold) + "=" + table);
        out.lines.push_back(number);
      } else {
        columns.push_back(table + "." + bare(old, fold) + "=" + bare(first, fold));
        column_lines.push_back(number);
      }
      line = before + std::string(line.size() - at, ' ');
    }
    out.text += line + "\n";
    if (line.find(';') != std::string::npos) table.clear();  // (the statement ends)
  }
  out.renames.insert(out.renames.end(), columns.begin(), columns.end());
  out.lines.insert(out.lines.end(), column_lines.begin(), column_lines.end());
  return out;
}

}  // namespace mig
