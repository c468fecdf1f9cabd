#include "check/changes.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace mig {
namespace {

using json = nlohmann::json;

const json& none() {
  static const json empty = json::object();
  return empty;
}

// j[key], or an empty object: libpg_query leaves out fields at their
// default (false, 0, empty).
const json& at(const json& j, const char* key) {
  if (!j.is_object()) return none();
  auto it = j.find(key);
  return it == j.end() ? none() : *it;
}

std::string text(const json& j, const char* key) {
  const json& v = at(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

bool flag(const json& j, const char* key) {
  const json& v = at(j, key);
  return v.is_boolean() && v.get<bool>();
}

// A String node's text.
std::string string_node(const json& node) { return text(at(node, "String"), "sval"); }

void relation(const json& range_var, Change& c) {
  c.schema = text(range_var, "schemaname");
  c.table = text(range_var, "relname");
  c.temporary = text(range_var, "relpersistence") == "t";
}

// "varchar(20)", "int4", "numeric(10,2)", "text[]".
std::string type_name(const json& tn) {
  const json& names = at(tn, "names");
  std::string out = names.is_array() && !names.empty() ? string_node(names.back()) : "";
  const json& mods = at(tn, "typmods");
  if (mods.is_array() && !mods.empty()) {
    std::string list;
    for (const auto& m : mods) {
      const json& ival = at(at(at(m, "A_Const"), "ival"), "ival");
      list += (list.empty() ? "" : ",") +
              (ival.is_number() ? std::to_string(ival.get<long>()) : std::string("0"));
    }
    out += "(" + list + ")";
  }
  if (at(tn, "arrayBounds").is_array()) out += "[]";
  return out;
}

bool volatile_call(const json& expr) {
  static const char* kVolatile[] = {
      "random",           "gen_random_uuid",    "clock_timestamp",  "timeofday",   "nextval",
      "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "txid_current"};
  const json& call = at(expr, "FuncCall");
  const json& names = at(call, "funcname");
  if (names.is_array() && !names.empty()) {
    std::string name = string_node(names.back());
    if (std::any_of(std::begin(kVolatile), std::end(kVolatile),
                    [&](const char* v) { return name == v; }))
      return true;
  }
  // A cast or an expression around one: look inside.
  if (expr.is_object())
    for (const auto& [key, value] : expr.items())
      if ((value.is_object() || value.is_array()) && volatile_call(value)) return true;
  if (expr.is_array())
    for (const auto& v : expr)
      if (volatile_call(v)) return true;
  return false;
}

ColumnSpec column_def(const json& def) {
  ColumnSpec col;
  col.name = text(def, "colname");
  col.type = type_name(at(def, "typeName"));
  if (col.type == "serial" || col.type == "bigserial" || col.type == "smallserial" ||
      col.type == "serial2" || col.type == "serial4" || col.type == "serial8")
    col.has_default = col.volatile_default = col.not_null = true;
  const json& constraints = at(def, "constraints");
  if (constraints.is_array())
    for (const auto& node : constraints) {
      const json& k = at(node, "Constraint");
      std::string type = text(k, "contype");
      if (type == "CONSTR_NOTNULL") col.not_null = true;
      if (type == "CONSTR_PRIMARY") col.primary_key = col.not_null = true;
      if (type == "CONSTR_DEFAULT") {
        col.has_default = true;
        col.volatile_default = col.volatile_default || volatile_call(at(k, "raw_expr"));
      }
      if (type == "CONSTR_IDENTITY" || type == "CONSTR_GENERATED")
        col.has_default = col.volatile_default = true;
    }
  return col;
}

std::vector<std::string> names_of(const json& list) {
  std::vector<std::string> out;
  if (list.is_array())
    for (const auto& n : list) out.push_back(string_node(n));
  return out;
}

// The parenthesised condition after CHECK, from the constraint's place in
// SQL: "(a > 0)" gives "a > 0". Quotes and nested parentheses are skipped
// over; "" when it cannot be found.
std::string check_condition(const std::string& sql, size_t from) {
  // The keyword CHECK followed by "(", not a name that holds the word; then
  // the tokens up to the matching ")" (quotes are single tokens).
  from = std::min(from, sql.size());
  auto tokens = sql_tokens(std::string_view(sql).substr(from));
  for (size_t k = 0; k + 1 < tokens.size(); ++k) {
    if (tokens[k].upper != "CHECK" || tokens[k + 1].text != "(") continue;
    int depth = 0;
    for (size_t n = k + 1; n < tokens.size(); ++n) {
      if (tokens[n].text == "(") ++depth;
      if (tokens[n].text == ")" && --depth == 0)
        return sql.substr(from + tokens[k + 1].end, tokens[n].begin - tokens[k + 1].end);
    }
    return "";
  }
  return "";
}

std::string constraint_kind(const std::string& contype) {
  if (contype == "CONSTR_PRIMARY") return "primary key";
  if (contype == "CONSTR_UNIQUE") return "unique";
  if (contype == "CONSTR_CHECK") return "check";
  if (contype == "CONSTR_FOREIGN") return "foreign key";
  if (contype == "CONSTR_EXCLUSION") return "exclude";
  return "";
}

void alter_table(const json& stmt, Change base, const std::string& sql, std::vector<Change>& out) {
  if (text(stmt, "objtype") != "OBJECT_TABLE") return;
  relation(at(stmt, "relation"), base);
  base.temporary = false;
  const json& cmds = at(stmt, "cmds");
  if (!cmds.is_array()) return;
  for (const auto& node : cmds) {
    const json& cmd = at(node, "AlterTableCmd");
    std::string sub = text(cmd, "subtype");
    Change c = base;
    if (sub == "AT_AddColumn") {
      c.kind = Change::Kind::AddColumn;
      c.columns.push_back(column_def(at(at(cmd, "def"), "ColumnDef")));
      c.column = c.columns.back().name;
    } else if (sub == "AT_DropColumn") {
      c.kind = Change::Kind::DropColumn;
      c.column = text(cmd, "name");
    } else if (sub == "AT_AlterColumnType") {
      c.kind = Change::Kind::AlterType;
      c.column = text(cmd, "name");
      c.type = type_name(at(at(at(cmd, "def"), "ColumnDef"), "typeName"));
    } else if (sub == "AT_SetNotNull") {
      c.kind = Change::Kind::SetNotNull;
      c.column = text(cmd, "name");
    } else if (sub == "AT_AddConstraint") {
      const json& k = at(at(cmd, "def"), "Constraint");
      c.kind = Change::Kind::AddConstraint;
      c.constraint = constraint_kind(text(k, "contype"));
      c.not_valid = flag(k, "skip_validation");
      c.using_index = !text(k, "indexname").empty();
      c.name = text(k, "conname");
      if (c.constraint.empty()) continue;
      if (c.constraint == "foreign key") {
        c.keys = names_of(at(k, "fk_attrs"));
        c.ref_schema = text(at(k, "pktable"), "schemaname");
        c.ref_table = text(at(k, "pktable"), "relname");
        c.ref_keys = names_of(at(k, "pk_attrs"));
        c.unprobed = text(k, "fk_matchtype") == "f";  // MATCH FULL
      } else if (c.constraint == "check") {
        const json& loc = at(k, "location");
        c.check = check_condition(sql, loc.is_number() ? loc.get<size_t>() : 0);
        std::string expr = at(k, "raw_expr").dump();
        c.unprobed = c.check.empty() || expr.find("\"SubLink\"") != std::string::npos ||
                     expr.find("\"FuncCall\"") != std::string::npos ||
                     c.check.find(';') != std::string::npos;
      } else {
        c.keys = names_of(at(k, "keys"));
        c.unprobed = flag(k, "nulls_not_distinct");
      }
    } else if (sub == "AT_ValidateConstraint") {
      c.kind = Change::Kind::ValidateConstraint;
      c.new_name = text(cmd, "name");
    } else {
      continue;
    }
    out.push_back(c);
  }
}

void one_statement(const std::string& type, const json& stmt, const Change& base,
                   const std::string& sql, std::vector<Change>& out) {
  Change c = base;
  if (type == "DropStmt") {
    std::string what = text(stmt, "removeType");
    const json& objects = at(stmt, "objects");
    if (!objects.is_array()) return;
    for (const auto& object : objects) {
      Change d = base;
      if (what == "OBJECT_SCHEMA") {
        d.kind = Change::Kind::DropSchema;
        d.table = string_node(object);
      } else if (what == "OBJECT_TABLE" || what == "OBJECT_INDEX") {
        d.kind = what == "OBJECT_TABLE" ? Change::Kind::DropTable : Change::Kind::DropIndex;
        d.concurrently = flag(stmt, "concurrent");
        const json& items = at(at(object, "List"), "items");
        if (!items.is_array() || items.empty()) continue;
        d.table = string_node(items.back());
        if (items.size() > 1) d.schema = string_node(items[items.size() - 2]);
      } else {
        return;
      }
      out.push_back(d);
    }
  } else if (type == "DropdbStmt") {
    c.kind = Change::Kind::DropDatabase;
    c.table = text(stmt, "dbname");
    out.push_back(c);
  } else if (type == "TruncateStmt") {
    const json& relations = at(stmt, "relations");
    if (!relations.is_array()) return;
    for (const auto& r : relations) {
      Change t = base;
      t.kind = Change::Kind::Truncate;
      relation(at(r, "RangeVar"), t);
      out.push_back(t);
    }
  } else if (type == "DeleteStmt" || type == "UpdateStmt" || type == "InsertStmt") {
    bool all = type != "InsertStmt" && at(stmt, "whereClause").empty();
    c.kind = !all                   ? Change::Kind::Write
             : type == "DeleteStmt" ? Change::Kind::DeleteAll
                                    : Change::Kind::UpdateAll;
    relation(at(stmt, "relation"), c);
    out.push_back(c);
  } else if (type == "CreateStmt") {
    c.kind = Change::Kind::CreateTable;
    relation(at(stmt, "relation"), c);
    c.if_not_exists = flag(stmt, "if_not_exists");
    // A partition or a child table takes its keys from its parent.
    c.has_primary_key = !at(stmt, "partbound").empty() || !at(stmt, "inhRelations").empty();
    const json& elements = at(stmt, "tableElts");
    if (elements.is_array())
      for (const auto& e : elements) {
        if (e.contains("ColumnDef")) {
          c.columns.push_back(column_def(e["ColumnDef"]));
          c.has_primary_key = c.has_primary_key || c.columns.back().primary_key;
          const json& constraints = at(e["ColumnDef"], "constraints");
          if (constraints.is_array())
            for (const auto& k : constraints) {
              const json& con = at(k, "Constraint");
              std::string kind = constraint_kind(text(con, "contype"));
              if (!text(con, "conname").empty()) c.named.emplace_back(kind, text(con, "conname"));
              if (kind == "primary key" || kind == "unique" || kind == "foreign key")
                c.table_keys.push_back({kind, {c.columns.back().name}});
            }
        } else if (e.contains("TableLikeClause")) {
          c.has_primary_key = true;  // whatever the table it copies has
        } else {
          const json& con = at(e, "Constraint");
          std::string kind = constraint_kind(text(con, "contype"));
          if (kind == "primary key") c.has_primary_key = true;
          if (!text(con, "conname").empty()) c.named.emplace_back(kind, text(con, "conname"));
          if (kind == "primary key" || kind == "unique")
            c.table_keys.push_back({kind, names_of(at(con, "keys"))});
          if (kind == "foreign key") c.table_keys.push_back({kind, names_of(at(con, "fk_attrs"))});
        }
      }
    out.push_back(c);
  } else if (type == "CreateTableAsStmt") {
    if (text(stmt, "objtype") != "OBJECT_TABLE") return;
    c.kind = Change::Kind::CreateTable;
    relation(at(at(stmt, "into"), "rel"), c);
    c.if_not_exists = flag(stmt, "if_not_exists");
    c.as_query = true;
    out.push_back(c);
  } else if (type == "IndexStmt") {
    c.kind = Change::Kind::CreateIndex;
    relation(at(stmt, "relation"), c);
    c.temporary = false;
    c.unique = flag(stmt, "unique");
    c.concurrently = flag(stmt, "concurrent");
    c.if_not_exists = flag(stmt, "if_not_exists");
    c.partial = !at(stmt, "whereClause").empty();
    c.name = text(stmt, "idxname");
    c.unprobed = flag(stmt, "nulls_not_distinct");
    const json& params = at(stmt, "indexParams");
    if (params.is_array())
      for (const auto& p : params) {
        std::string name = text(at(p, "IndexElem"), "name");
        if (name.empty()) {  // an expression
          c.keys.clear();
          break;
        }
        c.keys.push_back(name);
      }
    out.push_back(c);
  } else if (type == "AlterTableStmt") {
    alter_table(stmt, base, sql, out);
  } else if (type == "RenameStmt") {
    std::string what = text(stmt, "renameType");
    if (what != "OBJECT_TABLE" && what != "OBJECT_COLUMN") return;
    if (what == "OBJECT_COLUMN" && text(stmt, "relationType") != "OBJECT_TABLE") return;
    c.kind = what == "OBJECT_TABLE" ? Change::Kind::RenameTable : Change::Kind::RenameColumn;
    relation(at(stmt, "relation"), c);
    c.temporary = false;
    c.column = text(stmt, "subname");
    c.new_name = text(stmt, "newname");
    out.push_back(c);
  } else if (type == "VariableSetStmt") {
    if (text(stmt, "name") != "lock_timeout") return;
    c.kind = Change::Kind::SetLockTimeout;
    // SET lock_timeout = 0, TO DEFAULT, RESET: none again.
    c.clears = text(stmt, "kind") != "VAR_SET_VALUE";
    const json& args = at(stmt, "args");
    if (args.is_array() && args.size() == 1) {
      const json& value = at(args[0], "A_Const");
      const json& ival = at(at(value, "ival"), "ival");
      std::string sval = text(at(value, "sval"), "sval");
      if ((value.contains("ival") && (!ival.is_number() || ival.get<long>() == 0)) || sval == "0")
        c.clears = true;
    }
    out.push_back(c);
  } else if (type == "TransactionStmt") {
    std::string kind = text(stmt, "kind");
    if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START")
      c.kind = Change::Kind::Begin;
    else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK")
      c.kind = Change::Kind::Commit;
    else
      return;
    out.push_back(c);
  }
}

}  // namespace

namespace {

// A name token without its quotes ("x", `x`, [x] is three tokens: not here).
std::string unquoted(const SqlToken& t) {
  if (t.text.size() >= 2 && t.text[0] == '[' && t.text.back() == ']')  // SQLite's [name]
    return t.text.substr(1, t.text.size() - 2);
  if (t.text.size() < 2 || (t.text[0] != '"' && t.text[0] != '`')) return t.text;
  char q = t.text[0];
  std::string out;
  for (size_t k = 1; k + 1 < t.text.size(); ++k) {
    out += t.text[k];
    if (t.text[k] == q && t.text[k + 1] == q) ++k;  // "" inside: one "
  }
  return out;
}

bool is_name(const SqlToken& t) {
  char c = t.text.empty() ? '\0' : t.text[0];
  return c == '"' || c == '`' || c == '[' || c == '_' ||
         std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}

struct Tokens {
  const std::vector<SqlToken>& t;
  size_t i = 0;
  bool at(const char* word) const { return i < t.size() && t[i].upper == word; }
  bool take(const char* word) {
    if (!at(word)) return false;
    ++i;
    return true;
  }
  // [schema.]name into c.schema, c.table; false when there is none.
  bool relation(std::string& schema, std::string& table) {
    if (i >= t.size() || !is_name(t[i])) return false;
    table = unquoted(t[i++]);
    if (i + 1 < t.size() && t[i].text == "." && is_name(t[i + 1])) {
      schema = table;
      table = unquoted(t[i + 1]);
      i += 2;
    }
    return true;
  }
  // The index one past the ')' closing the '(' at I (or the end).
  size_t closing(size_t open) const {
    int depth = 0;
    for (size_t k = open; k < t.size(); ++k) {
      if (t[k].text == "(") ++depth;
      if (t[k].text == ")" && --depth == 0) return k + 1;
    }
    return t.size();
  }
  // "(a, b DESC)" at i: the plain column names, or empty when one is an
  // expression or a prefix; i moves past it.
  std::vector<std::string> columns() {
    std::vector<std::string> out;
    if (!at("(")) return out;
    size_t end = closing(i);
    bool plain = true;
    std::vector<SqlToken> item;
    for (size_t k = i + 1; k + 1 <= end; ++k) {
      bool last = k + 1 == end;
      if (last || t[k].text == ",") {
        // name [ASC|DESC]
        if (item.empty() || !is_name(item[0]) ||
            (item.size() > 1 &&
             !(item.size() == 2 && (item[1].upper == "ASC" || item[1].upper == "DESC"))))
          plain = false;
        else
          out.push_back(unquoted(item[0]));
        item.clear();
      } else {
        item.push_back(t[k]);
      }
    }
    i = end;
    if (!plain) out.clear();
    return out;
  }
};

// The clauses of ALTER TABLE: token ranges split at top-level commas.
std::vector<std::pair<size_t, size_t>> clauses(const std::vector<SqlToken>& t, size_t from) {
  std::vector<std::pair<size_t, size_t>> out;
  int depth = 0;
  size_t start = from;
  for (size_t k = from; k < t.size(); ++k) {
    if (t[k].text == "(") ++depth;
    if (t[k].text == ")") --depth;
    if (depth == 0 && t[k].text == ",") {
      out.emplace_back(start, k);
      start = k + 1;
    }
  }
  if (start < t.size()) out.emplace_back(start, t.size());
  return out;
}

bool has_word(const std::vector<SqlToken>& t, size_t from, size_t to, const char* word) {
  for (size_t k = from; k < to; ++k)
    if (t[k].upper == word) return true;
  return false;
}

// One ADD … clause of ALTER TABLE, tokens [from, to).
void add_clause(const std::vector<SqlToken>& all, size_t from, size_t to, const std::string& sql,
                Change c, std::vector<Change>& out) {
  std::vector<SqlToken> t(all.begin() + static_cast<long>(from),
                          all.begin() + static_cast<long>(to));
  Tokens r{t};
  if (!r.take("ADD")) return;
  if (r.take("CONSTRAINT") && r.i < t.size() && is_name(t[r.i]) && t[r.i].upper != "UNIQUE" &&
      t[r.i].upper != "PRIMARY" && t[r.i].upper != "FOREIGN" && t[r.i].upper != "CHECK")
    c.name = unquoted(t[r.i++]);
  auto skip_index_name = [&] {
    if (r.at("INDEX") || r.at("KEY")) ++r.i;
    if (r.i < t.size() && is_name(t[r.i]) && !r.at("USING")) ++r.i;
    if (r.take("USING")) ++r.i;
  };
  c.kind = Change::Kind::AddConstraint;
  if (r.take("UNIQUE")) {
    c.constraint = "unique";
    skip_index_name();
    c.keys = r.columns();
  } else if (r.take("PRIMARY")) {
    r.take("KEY");
    c.constraint = "primary key";
    if (r.take("USING")) ++r.i;
    c.keys = r.columns();
  } else if (r.take("FOREIGN")) {
    r.take("KEY");
    c.constraint = "foreign key";
    if (r.i < t.size() && is_name(t[r.i])) ++r.i;  // MySQL's index name
    c.keys = r.columns();
    if (!r.take("REFERENCES") || !r.relation(c.ref_schema, c.ref_table)) return;
    c.ref_keys = r.columns();
  } else if (r.at("CHECK")) {
    c.constraint = "check";
    size_t open = r.i + 1;
    if (open < t.size() && t[open].text == "(") {
      size_t end = r.closing(open);
      if (end <= t.size() && end - 1 > open)
        c.check = sql.substr(t[open].end, t[end - 1].begin - t[open].end);
      // MySQL's NOT ENFORCED checks no row.
      if (end + 1 < t.size() && t[end].upper == "NOT" && t[end + 1].upper == "ENFORCED")
        c.not_valid = true;
    }
    // Only a condition of names, numbers, strings and operators is
    // counted: the splitter's tokens do not see MySQL's # comments or
    // backslash escapes, and a call or a subquery would run.
    c.unprobed = c.check.empty();
    for (const char* risky : {";", "/*", "#", "--", "\\"})
      if (c.check.find(risky) != std::string::npos) c.unprobed = true;
    auto words = sql_tokens(c.check);
    for (size_t k = 0; k < words.size(); ++k)
      if (words[k].upper == "SELECT" ||
          (k + 1 < words.size() && is_name(words[k]) && words[k + 1].text == "("))
        c.unprobed = true;
  } else if (r.at("INDEX") || r.at("KEY") || r.at("FULLTEXT") || r.at("SPATIAL") ||
             r.at("PARTITION")) {
    return;
  } else {
    r.take("COLUMN");
    if (r.take("IF")) r.i += 2;  // IF NOT EXISTS
    if (r.i >= t.size() || !is_name(t[r.i])) return;
    c.kind = Change::Kind::AddColumn;
    ColumnSpec col;
    col.name = unquoted(t[r.i++]);
    for (size_t k = r.i; k < t.size(); ++k) {
      const std::string& w = t[k].upper;
      if (w == "NOT" && k + 1 < t.size() && t[k + 1].upper == "NULL") col.not_null = true;
      if (w == "PRIMARY") col.primary_key = col.not_null = true;
      if (w == "DEFAULT" || w == "AUTO_INCREMENT" || w == "GENERATED" || w == "AS")
        col.has_default = true;
    }
    c.column = col.name;
    c.columns.push_back(col);
  }
  out.push_back(c);
}

// The columns (names only) and named constraints of CREATE TABLE's
// parenthesised list at OPEN.
void table_elements(const std::vector<SqlToken>& t, size_t open, Change& c) {
  Tokens r{t, open};
  size_t end = r.closing(open);
  if (end > t.size() || end < open + 2) return;
  std::vector<SqlToken> inner(t.begin() + static_cast<long>(open) + 1,
                              t.begin() + static_cast<long>(end) - 1);
  static const char* kNotColumns[] = {"PRIMARY",  "UNIQUE",  "FOREIGN", "CHECK", "KEY",   "INDEX",
                                      "FULLTEXT", "SPATIAL", "EXCLUDE", "LIKE",  "PERIOD"};
  for (const auto& [from, to] : clauses(inner, 0)) {
    if (from >= to) continue;
    const SqlToken& first = inner[from];
    size_t at_kind = from;
    if (first.upper == "CONSTRAINT") {
      if (from + 2 >= to || !is_name(inner[from + 1])) continue;
      std::string kind = lower_ascii(inner[from + 2].upper);
      if (kind == "primary") kind = "primary key";
      if (kind == "foreign") kind = "foreign key";
      c.named.emplace_back(kind, unquoted(inner[from + 1]));
      at_kind = from + 2;
    }
    // PRIMARY KEY (…), UNIQUE [KEY|INDEX] [name] (…), FOREIGN KEY [name]
    // (…), MySQL's KEY|INDEX [name] (…): the first parenthesised list.
    const std::string& w = inner[at_kind].upper;
    std::string kind = w == "PRIMARY"                                    ? "primary key"
                       : w == "UNIQUE"                                   ? "unique"
                       : w == "FOREIGN"                                  ? "foreign key"
                       : (w == "KEY" || w == "INDEX") && at_kind == from ? "index"
                                                                         : "";
    if (!kind.empty()) {
      std::vector<SqlToken> clause(inner.begin() + static_cast<long>(at_kind),
                                   inner.begin() + static_cast<long>(to));
      Tokens part{clause};
      while (part.i < clause.size() && !part.at("(")) ++part.i;
      c.table_keys.push_back({kind, part.columns()});
      continue;
    }
    if (first.upper == "CONSTRAINT") continue;
    if (!is_name(first) || std::any_of(std::begin(kNotColumns), std::end(kNotColumns),
                                       [&](const char* k) { return first.upper == k; }))
      continue;
    ColumnSpec col;
    col.name = unquoted(first);
    for (size_t k = from + 1; k < to; ++k) {
      const std::string& u = inner[k].upper;
      if (u == "PRIMARY" || u == "UNIQUE" || u == "REFERENCES")
        c.table_keys.push_back({u == "PRIMARY"  ? "primary key"
                                : u == "UNIQUE" ? "unique"
                                                : "foreign key",
                                {col.name}});
      // A column's own named constraint: CONSTRAINT name CHECK (...)
      if (inner[k].upper == "CONSTRAINT" && k + 2 < to && is_name(inner[k + 1])) {
        std::string kind = lower_ascii(inner[k + 2].upper);
        if (kind == "references") kind = "foreign key";
        if (kind == "primary") kind = "primary key";
        c.named.emplace_back(kind, unquoted(inner[k + 1]));
      }
    }
    c.columns.push_back(col);
  }
}

}  // namespace

namespace {

// The tokens of SQL, a SQLite name in brackets ([my table]) as one.
std::vector<SqlToken> name_tokens(const std::string& sql) {
  std::vector<SqlToken> t = sql_tokens(sql);
  std::vector<SqlToken> out;
  for (size_t k = 0; k < t.size(); ++k) {
    size_t close = k + 1;
    if (t[k].text == "[")
      while (close < t.size() && t[close].text != "]") ++close;
    if (t[k].text != "[" || close >= t.size() || close == k + 1) {
      out.push_back(t[k]);
      continue;
    }
    SqlToken name = t[k];
    name.end = t[close].end;
    name.text = name.upper = sql.substr(name.begin, name.end - name.begin);
    out.push_back(name);
    k = close;
  }
  return out;
}

}  // namespace

std::vector<Change> token_changes(const Statement& statement) {
  std::vector<Change> out;
  const std::string& sql = statement.sql;
  std::vector<SqlToken> t = name_tokens(sql);
  Tokens r{t};
  Change c;
  c.line = statement.line;
  if (r.take("CREATE")) {
    bool unique = r.take("UNIQUE");
    if (r.take("INDEX")) {
      c.kind = Change::Kind::CreateIndex;
      c.unique = unique;
      if (r.take("IF")) {
        r.i += 2;
        c.if_not_exists = true;
      }
      if (r.i < t.size() && !r.at("ON") && is_name(t[r.i])) c.name = unquoted(t[r.i]);
      while (r.i < t.size() && !r.at("ON")) ++r.i;  // MySQL's USING
      if (!r.take("ON") || !r.relation(c.schema, c.table)) return out;
      c.keys = r.columns();
      c.partial = has_word(t, r.i, t.size(), "WHERE");
      out.push_back(c);
      return out;
    }
    if (unique) return out;
    c.temporary = r.take("TEMP") || r.take("TEMPORARY");
    if (!r.take("TABLE")) return out;
    if (r.take("IF")) {
      r.i += 2;
      c.if_not_exists = true;
    }
    if (!r.relation(c.schema, c.table)) return out;
    c.kind = Change::Kind::CreateTable;
    c.as_query = !r.at("(") || has_word(t, r.closing(r.i), t.size(), "AS") ||
                 has_word(t, r.closing(r.i), t.size(), "SELECT");
    for (size_t k = r.i; k + 1 < t.size(); ++k)
      if (t[k].upper == "PRIMARY" && t[k + 1].upper == "KEY") c.has_primary_key = true;
    if (!c.as_query) table_elements(t, r.i, c);
    out.push_back(c);
    return out;
  }
  // INSERT [OR …] INTO t, REPLACE INTO t, UPDATE [OR …] t, DELETE FROM t:
  // the rows of t change.
  if (r.at("INSERT") || r.at("REPLACE") || r.at("UPDATE") || r.at("DELETE")) {
    bool update = r.at("UPDATE");
    ++r.i;
    while (r.i < t.size() &&
           (r.at("OR") || r.at("LOW_PRIORITY") || r.at("IGNORE") || r.at("DELAYED") ||
            r.at("QUICK") || r.at("ROLLBACK") || r.at("ABORT") || r.at("FAIL") || r.at("REPLACE")))
      ++r.i;
    if (!update && !r.take("INTO") && !r.take("FROM")) return out;
    c.kind = Change::Kind::Write;
    if (r.relation(c.schema, c.table)) out.push_back(c);
    return out;
  }
  if (r.take("DROP")) {  // DROP TABLE [IF EXISTS] a, b (not MySQL's DROP TEMPORARY TABLE)
    if (!r.take("TABLE")) return out;
    if (r.take("IF")) r.take("EXISTS");
    for (const auto& [from, to] : clauses(t, r.i)) {
      Tokens part{t, from};
      Change n = c;
      n.kind = Change::Kind::DropTable;
      if (part.relation(n.schema, n.table) && part.i <= to) out.push_back(n);
    }
    return out;
  }
  if (r.take("RENAME")) {  // MySQL: RENAME TABLE a TO b, c TO d
    if (!r.take("TABLE")) return out;
    for (const auto& [from, to] : clauses(t, r.i)) {
      Tokens part{t, from};
      Change n = c;
      n.kind = Change::Kind::RenameTable;
      if (!part.relation(n.schema, n.table) || !part.take("TO")) continue;
      std::string schema;
      if (part.relation(schema, n.new_name) && part.i <= to) out.push_back(n);
    }
    return out;
  }
  if (!r.take("ALTER") || !r.take("TABLE")) return out;
  r.take("ONLY");
  if (r.take("IF")) r.i += 1;  // IF EXISTS
  if (!r.relation(c.schema, c.table)) return out;
  for (const auto& [from, to] : clauses(t, r.i)) {
    Tokens part{t, from};
    if (part.at("ADD")) {
      add_clause(t, from, to, sql, c, out);
    } else if (part.take("RENAME")) {
      Change n = c;
      if (part.at("INDEX") || part.at("KEY")) continue;  // MySQL: RENAME INDEX a TO b
      if (part.take("TO") || part.take("AS") ||
          (part.i < to && !part.at("COLUMN") &&
           (part.i + 1 >= to || t[part.i + 1].upper != "TO"))) {  // MySQL: RENAME new
        std::string schema;
        n.kind = Change::Kind::RenameTable;
        if (part.relation(schema, n.new_name)) out.push_back(n);
      } else {
        part.take("COLUMN");
        if (part.i + 2 >= t.size() || t[part.i + 1].upper != "TO") continue;
        n.kind = Change::Kind::RenameColumn;
        n.column = unquoted(t[part.i]);
        n.new_name = unquoted(t[part.i + 2]);
        out.push_back(n);
      }
    } else if (part.take("DROP")) {  // DROP [COLUMN] [IF EXISTS] c; not a key or constraint
      bool column = part.take("COLUMN");
      static const char* kNotColumns[] = {"CONSTRAINT", "INDEX",  "KEY",       "PRIMARY",
                                          "FOREIGN",    "CHECK",  "PARTITION", "SYSTEM",
                                          "UNIQUE",     "PERIOD", "DEFAULT"};
      if (!column && std::any_of(std::begin(kNotColumns), std::end(kNotColumns),
                                 [&](const char* word) { return part.at(word); }))
        continue;
      if (part.take("IF")) part.take("EXISTS");
      if (part.i >= to || !is_name(t[part.i])) continue;
      Change n = c;
      n.kind = Change::Kind::DropColumn;
      n.column = unquoted(t[part.i]);
      out.push_back(n);
    } else if (part.take("CHANGE")) {  // MySQL: CHANGE [COLUMN] old new type
      part.take("COLUMN");
      if (part.i + 1 >= to) continue;
      Change n = c;
      n.kind = Change::Kind::RenameColumn;
      n.column = unquoted(t[part.i]);
      n.new_name = unquoted(t[part.i + 1]);
      if (lower_ascii(n.column) != lower_ascii(n.new_name)) out.push_back(n);
    }
  }
  return out;
}

std::optional<ColumnSpec> inspected_column(const std::string& text) {
  if (text.rfind("column ", 0) != 0) return std::nullopt;
  // MySQL's EXTRA, after the rest: not part of the type.
  std::string line = text;
  for (bool again = true; again;) {
    again = false;
    for (const char* extra :
         {" auto_increment", " on update current_timestamp()", " on update current_timestamp",
          " default_generated", " virtual generated", " stored generated", " invisible"}) {
      std::string e = extra;
      if (line.size() > e.size() && line.compare(line.size() - e.size(), e.size(), e) == 0) {
        line.erase(line.size() - e.size());
        again = true;
      }
    }
  }
  ColumnSpec col;
  size_t name_end = line.find(' ', 7);
  col.name = line.substr(7, name_end == std::string::npos ? std::string::npos : name_end - 7);
  std::string rest = name_end == std::string::npos ? "" : line.substr(name_end + 1);
  size_t def = rest.find(" default ");
  if (def == std::string::npos && rest.rfind("default ", 0) == 0) def = 0;
  if (def != std::string::npos) {
    col.has_default = true;
    rest.erase(def);
  }
  const std::string not_null = "not null";
  if (rest.size() >= not_null.size() &&
      rest.compare(rest.size() - not_null.size(), not_null.size(), not_null) == 0) {
    col.not_null = true;
    rest.erase(rest.size() - not_null.size());
  }
  while (!rest.empty() && rest.back() == ' ') rest.pop_back();
  col.type = rest;
  return col;
}

namespace {

// A type as family, rank in its family and its numbers: "varchar(20)" is
// {"string", 1, {20}}.
struct TypeShape {
  std::string family;
  int rank = 0;
  std::vector<long> args;
  bool is_unsigned = false;
};

TypeShape shape_of(std::string type) {
  TypeShape t;
  t.is_unsigned = type.find("unsigned") != std::string::npos;
  size_t open = type.find('(');
  if (open != std::string::npos) {
    size_t close = type.find(')', open);
    std::string list =
        type.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    for (size_t at = 0; at <= list.size();) {
      size_t comma = list.find(',', at);
      std::string n = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
      try {
        t.args.push_back(std::stol(n));
      } catch (const std::exception&) {
      }
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
    type = type.substr(0, open) + (close == std::string::npos ? "" : type.substr(close + 1));
  }
  std::string base = type.substr(0, type.find(' '));
  if (type.rfind("character varying", 0) == 0) base = "varchar";
  if (type.rfind("double precision", 0) == 0) base = "double";
  static const std::vector<std::pair<const char*, std::pair<const char*, int>>> kFamilies = {
      {"tinyint", {"integer", 1}},   {"int1", {"integer", 1}},      {"smallint", {"integer", 2}},
      {"int2", {"integer", 2}},      {"mediumint", {"integer", 3}}, {"int", {"integer", 4}},
      {"integer", {"integer", 4}},   {"int4", {"integer", 4}},      {"bigint", {"integer", 5}},
      {"int8", {"integer", 5}},      {"real", {"float", 1}},        {"float4", {"float", 1}},
      {"float", {"float", 1}},       {"double", {"float", 2}},      {"float8", {"float", 2}},
      {"char", {"string", 1}},       {"character", {"string", 1}},  {"bpchar", {"string", 1}},
      {"varchar", {"string", 1}},    {"tinytext", {"string", 2}},   {"text", {"string", 3}},
      {"mediumtext", {"string", 4}}, {"longtext", {"string", 5}},   {"clob", {"string", 5}},
      {"numeric", {"numeric", 1}},   {"decimal", {"numeric", 1}},
  };
  t.family = base;
  for (const auto& [name, family] : kFamilies)
    if (base == name) {
      t.family = family.first;
      t.rank = family.second;
    }
  // Integers' display widths ("int(11)") say nothing of their range.
  if (t.family == "integer") t.args.clear();
  return t;
}

}  // namespace

namespace {
std::vector<std::string> members(const std::string& type);
}  // namespace

bool narrows(const std::string& from, const std::string& to) {
  if (from == to) return false;
  TypeShape a = shape_of(from), b = shape_of(to);
  if (a.is_unsigned != b.is_unsigned) return true;
  if (a.family != b.family) return true;
  if (a.family == "enum" || a.family == "set") {  // every member kept?
    auto old = members(from), now = members(to);
    for (const auto& m : old)
      if (std::find(now.begin(), now.end(), m) == now.end()) return true;
    return false;
  }
  if (a.rank != b.rank) return b.rank < a.rank;
  if (a.family == "string") {  // char(n), varchar(n): no length is no limit
    if (b.args.empty()) return false;
    return a.args.empty() || b.args[0] < a.args[0];
  }
  if (a.family == "numeric") {
    if (b.args.empty()) return false;
    if (a.args.empty()) return true;
    long a_scale = a.args.size() > 1 ? a.args[1] : 0, b_scale = b.args.size() > 1 ? b.args[1] : 0;
    return b_scale < a_scale || b.args[0] - b_scale < a.args[0] - a_scale;
  }
  // The same type with another length or precision: narrower if smaller.
  if (a.args.empty() || b.args.empty()) return a.args.empty() && !b.args.empty();
  return b.args[0] < a.args[0];
}

std::string sqlite_affinity(const std::string& type) {
  std::string t = lower_ascii(type);
  if (t.find("int") != std::string::npos) return "integer";
  if (t.find("char") != std::string::npos || t.find("clob") != std::string::npos ||
      t.find("text") != std::string::npos)
    return "text";
  if (t.empty() || t.find("blob") != std::string::npos) return "blob";
  if (t.find("real") != std::string::npos || t.find("floa") != std::string::npos ||
      t.find("doub") != std::string::npos)
    return "real";
  return "numeric";
}

namespace {

// The members of "enum('a','b')" as written, quotes and all.
std::vector<std::string> members(const std::string& type) {
  std::vector<std::string> out;
  size_t open = type.find('(');
  if (open == std::string::npos) return out;
  std::string item;
  bool quoted = false;
  for (size_t k = open + 1; k < type.size(); ++k) {
    char c = type[k];
    if (c == '\'') quoted = !quoted;
    if (!quoted && (c == ',' || c == ')')) {
      out.push_back(item);
      item.clear();
      if (c == ')') break;
      continue;
    }
    item += c;
  }
  return out;
}

}  // namespace

bool mysql_copies(const std::string& from, const std::string& to) {
  if (from == to) return false;
  std::string a = from.substr(0, from.find('(')), b = to.substr(0, to.find('('));
  if (a != b) return true;
  if (a == "enum" || a == "set") {
    auto old = members(from), now = members(to);
    if (now.size() < old.size() || !std::equal(old.begin(), old.end(), now.begin())) return true;
    // The storage grows past a byte: ENUM at 256 members, SET every 8.
    if (a == "enum") return old.size() <= 255 && now.size() > 255;
    return (old.size() + 7) / 8 != (now.size() + 7) / 8;
  }
  if (a == "varchar") {
    TypeShape x = shape_of(from), y = shape_of(to);
    if (x.args.empty() || y.args.empty() || y.args[0] < x.args[0]) return true;
    return x.args[0] <= 63 && y.args[0] > 63;
  }
  return true;
}

int line_at(const Statement& statement, int offset) {
  const std::string& sql = statement.sql;
  size_t end = std::min(sql.size(), static_cast<size_t>(std::max(offset, 0)));
  return statement.line + static_cast<int>(std::count(sql.begin(), sql.begin() + end, '\n'));
}

std::vector<Change> postgresql_changes(const std::string& tree, const Statement& statement) {
  std::vector<Change> out;
  json parsed = json::parse(tree, nullptr, false);
  const json& stmts = at(parsed, "stmts");
  if (!stmts.is_array()) return out;
  for (const auto& s : stmts) {
    const json& loc = at(s, "stmt_location");
    int offset = loc.is_number() ? loc.get<int>() : 0;
    // The location is where the text after the previous statement starts.
    const std::string& sql = statement.sql;
    size_t first = sql.find_first_not_of(" \t\r\n", static_cast<size_t>(offset));
    Change base;
    base.line = line_at(statement, first == std::string::npos ? offset : static_cast<int>(first));
    const json& node = at(s, "stmt");
    if (!node.is_object() || node.empty()) continue;
    one_statement(node.begin().key(), node.begin().value(), base, statement.sql, out);
  }
  return out;
}

}  // namespace mig
