#include "db/schema.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "base/strings.h"
#include "db/schema_builder.h"

namespace mig {

std::vector<std::vector<std::string>> schema_rows(Database& db, const std::string& sql) {
  return query_rows(db, sql);
}

std::string squash(const std::string& s) {
  std::string out;
  bool gap = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      gap = !out.empty();
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

std::string lower(std::string s) { return lower_ascii(std::move(s)); }

std::string column_line(const std::string& name, const std::string& type, bool not_null,
                        const std::string& def) {
  std::string line = "column " + name + " " + lower(squash(type));
  if (not_null) line += " not null";
  if (!def.empty()) line += " default " + squash(def);
  return line;
}

void SchemaBuilder::add(const std::string& kind, const std::string& name, const std::string& line,
                        bool ordered) {
  auto& o = objects_[{kind_rank(kind), name}];
  o.kind = kind;
  o.name = name;
  if (!line.empty()) (ordered ? o.ordered : o.lines).push_back(line);
}

Schema SchemaBuilder::build() {
  Schema s;
  for (auto& [key, o] : objects_) {
    std::sort(o.lines.begin(), o.lines.end());
    SchemaObject out{o.kind, o.name, o.ordered};
    out.lines.insert(out.lines.end(), o.lines.begin(), o.lines.end());
    s.objects.push_back(std::move(out));
  }
  return s;
}

std::string Schema::text() const {
  std::ostringstream out;
  for (const auto& o : objects) {
    out << o.kind << " " << o.name << "\n";
    for (const auto& l : o.lines) out << "  " << l << "\n";
  }
  return out.str();
}

std::vector<SchemaObject> parse_schema(const std::string& text) {
  std::vector<SchemaObject> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  ", 0) == 0 && !out.empty()) {
      out.back().lines.push_back(line.substr(2));
    } else {
      size_t space = line.find(' ');
      if (space == std::string::npos) continue;
      out.push_back({line.substr(0, space), line.substr(space + 1), {}});
    }
  }
  return out;
}

std::string replace_objects(std::vector<SchemaObject> recorded,
                            const std::function<bool(const SchemaObject&)>& stale, Schema fresh) {
  Schema merged;
  for (auto& o : recorded)
    if (!stale(o)) merged.objects.push_back(std::move(o));
  for (auto& o : fresh.objects) merged.objects.push_back(std::move(o));
  std::stable_sort(merged.objects.begin(), merged.objects.end(),
                   [&](const SchemaObject& a, const SchemaObject& b) {
                     return std::make_pair(SchemaBuilder::kind_rank(a.kind), a.name) <
                            std::make_pair(SchemaBuilder::kind_rank(b.kind), b.name);
                   });
  return merged.text();
}

Schema inspect_schema(Database& db, const std::string& prefix) {
  SchemaBuilder b(prefix);
  switch (db.dialect()) {
    case Dialect::SQLite:
      return inspect_sqlite(db, b);
    case Dialect::PostgreSQL:
      return inspect_postgresql(db, b);
    case Dialect::MySQL:
      return inspect_mysql(db, b);
  }
  return {};
}

void SchemaChanges::note(Dialect dialect, const std::string& sql) {
  if (catalog) return;
  if (dialect == Dialect::MySQL)
    note_mysql_changes(sql, *this);
  else
    known = false;
}

bool can_refresh_schema(Dialect dialect) {
  return dialect == Dialect::MySQL || dialect == Dialect::SQLite;
}

std::string refresh_schema(Database& db, const std::string& prefix, const std::string& recorded,
                           const SchemaChanges& changes) {
  return db.dialect() == Dialect::MySQL ? refresh_mysql(db, prefix, recorded, changes)
                                        : std::string();
}

std::string refresh_schema(Database& db, const std::string& prefix, const std::string& recorded,
                           const SchemaChanges& changes,
                           const std::vector<Database::CatalogEntry>& now) {
  if (!changes.known || !changes.catalog) return {};
  return refresh_sqlite(db, prefix, recorded, *changes.catalog, now);
}

std::string diff_schemas(const std::string& before, const std::string& after) {
  auto split = [](const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  };
  auto a = split(before), b = split(after);
  // Longest common subsequence over lines; schemas are small.
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::string out, header, shown;
  auto note = [&](const std::string& sign, const std::string& line) {
    if (line.rfind("  ", 0) == 0 && header != shown) {
      out += "  " + header + "\n";
      shown = header;
    }
    if (line.rfind("  ", 0) != 0) shown = line;
    out += sign + " " + line + "\n";
  };
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      if (a[i].rfind("  ", 0) != 0) header = a[i];
      ++i, ++j;
    } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      if (b[j].rfind("  ", 0) != 0) header = b[j];
      note("+", b[j++]);
    } else {
      if (a[i].rfind("  ", 0) != 0) header = a[i];
      note("-", a[i++]);
    }
  }
  return out;
}

}  // namespace mig
