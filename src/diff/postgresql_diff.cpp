// PostgreSQL's schema from its catalog, and the statements between two schemas.
#include "diff/postgresql_diff.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "errors.h"

namespace mig {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Objects that belong to an extension are the extension's: left out.
std::string not_extension_owned(const std::string& oid, const std::string& catalog) {
  return " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = " + oid +
         " AND e.classid = '" + catalog + "'::regclass AND e.deptype = 'e')";
}

const char* kInSchema = " n.nspname = current_schema() ";

// Every occurrence of the current schema's qualification taken out of a
// definition the server wrote (outside quoted text).
std::string unqualified(const std::string& def, const std::string& schema) {
  std::string qual = schema + ".", out;
  char quote = 0;
  for (size_t i = 0; i < def.size(); ++i) {
    char c = def[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'') {
      quote = c;
    } else if (def.compare(i, qual.size(), qual) == 0 &&
               (i == 0 || !(std::isalnum(static_cast<unsigned char>(def[i - 1])) ||
                            def[i - 1] == '_' || def[i - 1] == '"' || def[i - 1] == '.'))) {
      i += qual.size() - 1;
      continue;
    }
    out += c;
  }
  return out;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == ';' || s.back() == '\t'))
    s.pop_back();
  size_t start = s.find_first_not_of(" \n\t");
  return start == std::string::npos ? std::string() : s.substr(start);
}

// A name as it is stored, from quote_ident's form.
std::string unquoted(const std::string& quoted) {
  if (quoted.size() < 2 || quoted.front() != '"') return quoted;
  std::string raw;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    raw += quoted[i];
    if (quoted[i] == '"' && quoted[i + 1] == '"') ++i;
  }
  return raw;
}

// A name mig makes up for a moment ("mig_old_mood"), always quoted.
std::string temporary_name(const std::string& prefix, const std::string& quoted) {
  std::string raw = unquoted(quoted);
  std::string out = "\"" + prefix;
  for (char c : raw) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// How PostgreSQL's quote_ident writes a name the user typed unquoted.
std::string as_identifier(const std::string& raw) {
  bool plain = !raw.empty() && (std::islower(static_cast<unsigned char>(raw[0])) || raw[0] == '_');
  for (char c : raw)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      plain = false;
  if (plain) return raw;
  std::string out = "\"";
  for (char c : raw) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

template <typename T>
std::map<std::string, const T*> by_name(const std::vector<T>& items) {
  std::map<std::string, const T*> out;
  for (const auto& i : items) out[i.name] = &i;
  return out;
}

}  // namespace

PgSchema read_postgresql_schema(Database& db, const std::string& prefix) {
  PgSchema s;
  auto rows = [&](const std::string& sql) { return query_rows(db, sql); };
  auto ours = [&](const std::string& raw) { return raw.compare(0, prefix.size(), prefix) == 0; };
  const std::string schema = rows("SELECT quote_ident(current_schema())").at(0).at(0);
  auto local = [&](const std::string& def) { return unqualified(def, schema); };
  const std::string from_class =
      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" +
      std::string(kInSchema) + not_extension_owned("c.oid", "pg_class");

  for (auto& r : rows("SELECT quote_ident(extname) FROM pg_extension WHERE extname <> 'plpgsql' "
                      "ORDER BY 1"))
    s.extensions.push_back(r[0]);

  for (auto& r : rows("SELECT quote_ident(t.typname), quote_literal(e.enumlabel), "
                      "coalesce(quote_literal(obj_description(t.oid, 'pg_type')), '') "
                      "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                      "JOIN pg_enum e ON e.enumtypid = t.oid WHERE" +
                      std::string(kInSchema) + not_extension_owned("t.oid", "pg_type") +
                      " ORDER BY t.typname, e.enumsortorder")) {
    if (s.enums.empty() || s.enums.back().name != r[0]) s.enums.push_back({r[0], r[2], {}});
    s.enums.back().labels.push_back(r[1]);
  }
  for (auto& r : rows("SELECT t.typtype::text, quote_ident(t.typname) FROM pg_type t "
                      "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE" +
                      std::string(kInSchema) + not_extension_owned("t.oid", "pg_type") +
                      " AND (t.typtype IN ('d', 'r') OR (t.typtype = 'c' AND "
                      "(SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')) ORDER BY 2"))
    s.unsupported.push_back(std::string(r[0] == "d"   ? "domain "
                                        : r[0] == "r" ? "range type "
                                                      : "composite type ") +
                            r[1]);

  // Sequences: those of identity columns are the columns'.
  for (auto& r :
       rows("SELECT c.relname, quote_ident(c.relname), format('AS %s START WITH %s INCREMENT BY %s "
            "MINVALUE %s MAXVALUE %s CACHE %s%s', format_type(q.seqtypid, NULL), q.seqstart, "
            "q.seqincrement, q.seqmin, q.seqmax, q.seqcache, CASE WHEN q.seqcycle THEN ' CYCLE' "
            "ELSE ' NO CYCLE' END), coalesce((SELECT t.relname || ' ' || quote_ident(t.relname) || "
            "'.' || quote_ident(a.attname) FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
            "WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = "
            "'pg_class'::regclass AND d.deptype = 'a'), ''), "
            "coalesce(quote_literal(obj_description(c.oid, 'pg_class')), '') "
            "FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" +
            std::string(kInSchema) + not_extension_owned("c.oid", "pg_class") +
            " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i') "
            "ORDER BY 1")) {
    std::string owner = r[3];
    size_t space = owner.find(' ');
    if (ours(r[0]) || (space != std::string::npos && ours(owner.substr(0, space)))) continue;
    s.sequences.push_back(
        {r[1], r[2], space == std::string::npos ? "" : owner.substr(space + 1), r[4]});
  }

  // Tables, views and what cannot be expressed among relations.
  std::map<std::string, size_t> table_at;
  for (auto& r :
       rows("SELECT c.relname, quote_ident(c.relname), c.relkind::text, c.relpersistence::text, "
            "coalesce(quote_literal(obj_description(c.oid, 'pg_class')), ''), "
            "CASE WHEN c.relispartition OR EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid "
            "= c.oid) THEN 1 ELSE 0 END, CASE WHEN c.relrowsecurity THEN 1 ELSE 0 END, "
            "coalesce(array_to_string(c.reloptions, ', '), ''), "
            "CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END" +
            from_class + " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1")) {
    if (ours(r[0])) continue;
    const std::string& kind = r[2];
    if (kind == "p") {
      s.unsupported.push_back("partitioned table " + r[1]);
    } else if (kind == "f") {
      s.unsupported.push_back("foreign table " + r[1]);
    } else if (r[5] == "1") {
      s.unsupported.push_back("inherited table or partition " + r[1]);
    } else if (kind == "r") {
      if (r[6] == "1") s.unsupported.push_back("row level security on " + r[1]);
      table_at[r[1]] = s.tables.size();
      PgTable t;
      t.name = r[1];
      t.comment = r[4];
      t.unlogged = r[3] == "u";
      s.tables.push_back(t);
    } else {
      s.views.push_back({r[1], trimmed(local(r[8])), r[7], r[4], kind == "m", {}});
    }
  }

  for (auto& r :
       rows("SELECT quote_ident(c.relname), quote_ident(a.attname), "
            "format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 1 ELSE 0 END, "
            "coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity::text, "
            "a.attgenerated::text, CASE WHEN a.attcollation <> 0 AND a.attcollation <> "
            "ty.typcollation THEN (SELECT quote_ident(collname) FROM pg_collation WHERE oid = "
            "a.attcollation) ELSE '' END, coalesce(quote_literal(col_description(c.oid, "
            "a.attnum)), ''), CASE WHEN a.attidentity <> '' THEN (SELECT format('START WITH %s "
            "INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s', q.seqstart, q.seqincrement, "
            "q.seqmin, q.seqmax, q.seqcache, CASE WHEN q.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' "
            "END) FROM pg_sequence q WHERE q.seqrelid = "
            "pg_get_serial_sequence(quote_ident(n.nspname) "
            "|| '.' || quote_ident(c.relname), a.attname)::regclass) ELSE '' END "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type ty ON ty.oid = a.atttypid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE" +
            std::string(kInSchema) +
            "AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, "
            "a.attnum")) {
    auto at = table_at.find(r[0]);
    if (at == table_at.end()) continue;
    PgColumn c;
    c.name = r[1];
    c.type = local(r[2]);
    c.not_null = r[3] == "1";
    (r[6] == "s" ? c.generated : c.default_expr) = local(r[4]);
    c.identity = r[5].empty() ? 0 : r[5][0];
    c.collation = r[7];
    c.comment = r[8];
    c.identity_seq = r[9];
    s.tables[at->second].columns.push_back(c);
  }

  for (auto& r : rows("SELECT quote_ident(c.relname), quote_ident(k.conname), k.contype::text, "
                      "pg_get_constraintdef(k.oid), "
                      "coalesce(quote_literal(obj_description(k.oid, 'pg_constraint')), ''), "
                      "coalesce((SELECT quote_ident(relname) FROM pg_class WHERE oid = "
                      "k.confrelid), ''), CASE WHEN k.convalidated THEN 0 ELSE 1 END "
                      "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" +
                      std::string(kInSchema) + "ORDER BY c.relname, k.conname")) {
    auto at = table_at.find(r[0]);
    if (at == table_at.end()) continue;
    if (r[2] == "t") {
      s.unsupported.push_back("constraint trigger " + r[1] + " on " + r[0]);
      continue;
    }
    PgConstraint k;
    k.name = r[1];
    k.type = r[2].empty() ? 0 : r[2][0];
    k.def = local(r[3]);
    k.comment = r[4];
    k.references = r[5];
    k.deferred_create = r[6] == "1";
    s.tables[at->second].constraints.push_back(k);
  }

  std::set<std::string> views;
  for (const auto& v : s.views) views.insert(v.name);
  for (auto& r :
       rows("SELECT quote_ident(t.relname), quote_ident(i.relname), pg_get_indexdef(i.oid), "
            "coalesce(quote_literal(obj_description(i.oid, 'pg_class')), '') FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE" +
            std::string(kInSchema) +
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND "
            "k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')) ORDER BY 2")) {
    if (!table_at.count(r[0]) && !views.count(r[0])) continue;
    s.indexes.push_back({r[1], r[0], local(r[2]), r[3]});
  }

  std::map<std::string, PgView*> view_at;
  for (auto& v : s.views) view_at[v.name] = &v;
  for (auto& r : rows("SELECT DISTINCT quote_ident(v.relname), quote_ident(r.relname) "
                      "FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid "
                      "JOIN pg_class v ON v.oid = w.ev_class "
                      "JOIN pg_class r ON r.oid = d.refobjid "
                      "JOIN pg_namespace n ON n.oid = v.relnamespace "
                      "WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = "
                      "'pg_class'::regclass AND r.oid <> v.oid AND" +
                      std::string(kInSchema) + "ORDER BY 1, 2"))
    if (auto v = view_at.find(r[0]); v != view_at.end()) v->second->depends_on.push_back(r[1]);

  for (auto& r :
       rows("SELECT quote_ident(p.proname) || '(' || "
            "pg_get_function_identity_arguments(p.oid) || ')', p.prokind::text, "
            "CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END, "
            "coalesce(quote_literal(obj_description(p.oid, 'pg_proc')), ''), "
            "quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ')' "
            "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE" +
            std::string(kInSchema) + not_extension_owned("p.oid", "pg_proc") + " ORDER BY 1")) {
    if (r[1] != "f" && r[1] != "p") {
      s.unsupported.push_back((r[1] == "a" ? "aggregate " : "window function ") + r[0]);
      continue;
    }
    // pg_get_functiondef qualifies the function's own name, whatever the path.
    std::string def = trimmed(r[2]);
    for (const char* word : {"FUNCTION ", "PROCEDURE "}) {
      std::string head = std::string("CREATE OR REPLACE ") + word + schema + ".";
      if (def.compare(0, head.size(), head) == 0)
        def = std::string("CREATE OR REPLACE ") + word + def.substr(head.size());
    }
    s.functions.push_back({r[0], def, r[3], r[1] == "p", r[4]});
  }

  for (auto& r : rows("SELECT quote_ident(c.relname), quote_ident(g.tgname), "
                      "pg_get_triggerdef(g.oid), "
                      "coalesce(quote_literal(obj_description(g.oid, 'pg_trigger')), '') "
                      "FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" +
                      std::string(kInSchema) + "AND NOT g.tgisinternal ORDER BY 1, 2")) {
    if (!table_at.count(r[0]) && !views.count(r[0])) continue;
    s.triggers.push_back({r[1], r[0], local(r[2]), r[3]});
  }

  for (auto& r : rows("SELECT quote_ident(p.polname), quote_ident(c.relname) FROM pg_policy p "
                      "JOIN pg_class c ON c.oid = p.polrelid "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" +
                      std::string(kInSchema) + "ORDER BY 2, 1"))
    s.unsupported.push_back("policy " + r[0] + " on " + r[1]);
  for (auto& r : rows("SELECT quote_ident(w.rulename), quote_ident(c.relname) FROM pg_rewrite w "
                      "JOIN pg_class c ON c.oid = w.ev_class "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" +
                      std::string(kInSchema) + "AND w.rulename <> '_RETURN' ORDER BY 2, 1"))
    s.unsupported.push_back("rule " + r[0] + " on " + r[1]);
  // Other schemas are other projects' or a dump's: mig diff reads one.
  for (auto& r : rows("SELECT quote_ident(n.nspname) FROM pg_namespace n WHERE n.nspname <> "
                      "current_schema() AND n.nspname <> 'information_schema' AND n.nspname NOT "
                      "LIKE 'pg\\_%' AND (EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = "
                      "n.oid AND c.relname NOT LIKE " +
                      db.quote(prefix + "%") +
                      ") OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid" +
                      not_extension_owned("p.oid", "pg_proc") + ")) ORDER BY 1"))
    s.unsupported.push_back("schema " + r[0]);
  return s;
}

namespace {

std::string column_text(const PgColumn& c) {
  std::string out = c.name + " " + c.type;
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  if (!c.generated.empty()) out += " GENERATED ALWAYS AS (" + c.generated + ") STORED";
  if (!c.default_expr.empty()) out += " DEFAULT " + c.default_expr;
  if (c.identity)
    out += std::string(" GENERATED ") + (c.identity == 'a' ? "ALWAYS" : "BY DEFAULT") +
           " AS IDENTITY (" + c.identity_seq + ")";
  if (c.not_null) out += " NOT NULL";
  return out;
}

std::string commented(const std::string& comment) {
  return comment.empty() ? std::string() : " comment " + comment;
}

}  // namespace

std::string postgresql_definitions_text(const PgSchema& s) {
  std::vector<std::string> lines;
  for (const auto& e : s.extensions) lines.push_back("extension " + e);
  for (const auto& e : s.enums) {
    std::string l = "enum " + e.name + " (";
    for (size_t i = 0; i < e.labels.size(); ++i) l += (i ? ", " : "") + e.labels[i];
    lines.push_back(l + ")" + commented(e.comment));
  }
  for (const auto& q : s.sequences)
    lines.push_back("sequence " + q.name + " " + q.options +
                    (q.owned_by.empty() ? "" : " owned by " + q.owned_by) + commented(q.comment));
  for (const auto& t : s.tables) {
    lines.push_back("table " + t.name + (t.unlogged ? " unlogged" : "") + commented(t.comment));
    for (const auto& c : t.columns)
      lines.push_back("table " + t.name + " column " + column_text(c) + commented(c.comment));
    for (const auto& k : t.constraints)
      lines.push_back("table " + t.name + " constraint " + k.name + " " + k.def +
                      commented(k.comment));
  }
  for (const auto& i : s.indexes) lines.push_back("index " + i.def + commented(i.comment));
  for (const auto& v : s.views)
    lines.push_back(std::string(v.materialized ? "materialized view " : "view ") + v.name +
                    (v.options.empty() ? "" : " with (" + v.options + ")") + " as " + v.query +
                    commented(v.comment));
  for (const auto& f : s.functions) lines.push_back("function " + f.def + commented(f.comment));
  for (const auto& t : s.triggers) lines.push_back("trigger " + t.def + commented(t.comment));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::pair<std::string, std::string> postgresql_rename(const PgSchema& from,
                                                      const std::string& spec) {
  auto table = [&](const std::string& name) {
    return std::find_if(from.tables.begin(), from.tables.end(),
                        [&](const PgTable& x) { return x.name == as_identifier(name); });
  };
  return rename_statements(
      spec, as_identifier, [&](const std::string& t) { return table(t) != from.tables.end(); },
      [&](const std::string& t, const std::string& c) {
        const auto& columns = table(t)->columns;
        return std::any_of(columns.begin(), columns.end(),
                           [&](const PgColumn& x) { return x.name == as_identifier(c); });
      });
}

namespace {

// Integer and text types that hold every value of the type they replace.
bool widens(const std::string& from, const std::string& to) {
  static const std::vector<std::string> ints = {"smallint", "integer", "bigint", "numeric"};
  auto rank = [&](const std::string& t) {
    return std::find(ints.begin(), ints.end(), t) - ints.begin();
  };
  if (rank(from) < 3 && rank(to) < 4 && rank(from) <= rank(to)) return true;
  auto length = [](const std::string& t, const std::string& base) -> long {
    if (t.compare(0, base.size() + 1, base + "(") != 0) return -1;
    return std::atol(t.c_str() + base.size() + 1);
  };
  for (const char* base : {"character varying", "character", "bit varying"}) {
    long a = length(from, base);
    if (a < 0) continue;
    long b = length(to, base);
    if (b >= a) return std::string(base) != "character" || b == a;
  }
  bool texty = from == "text" || from.compare(0, 17, "character varying") == 0 ||
               from == "character varying";
  return texty && (to == "text" || to == "character varying");
}

// Views in the order they can be made: each after the views it reads.
std::vector<const PgView*> view_order(const std::vector<PgView>& views,
                                      const std::set<std::string>& wanted) {
  std::map<std::string, const PgView*> named;
  for (const auto& v : views) named[v.name] = &v;
  std::vector<const PgView*> out;
  std::set<std::string> placed;
  std::function<void(const PgView*)> place = [&](const PgView* v) {
    if (!placed.insert(v->name).second) return;
    for (const auto& d : v->depends_on)
      if (auto it = named.find(d); it != named.end()) place(it->second);
    if (wanted.count(v->name)) out.push_back(v);
  };
  for (const auto& v : views) place(&v);
  return out;
}

class Planner {
 public:
  Planner(const PgSchema& from, const PgSchema& to) : a_(from), b_(to) {}

  SchemaChange plan() {
    auto ta = by_name(a_.tables), tb = by_name(b_.tables);
    auto ea = by_name(a_.enums), eb = by_name(b_.enums);
    auto qa = by_name(a_.sequences), qb = by_name(b_.sequences);

    // Extensions and types first: what the tables use.
    for (const auto& x : b_.extensions)
      if (!contains(a_.extensions, x)) emit("CREATE EXTENSION IF NOT EXISTS " + x + " CASCADE");
    std::set<std::string> remade_enums;
    for (const auto& [name, e] : eb) {
      auto old = ea.find(name);
      if (old == ea.end()) {
        emit("CREATE TYPE " + name + " AS ENUM (" + join(e->labels) + ")");
      } else if (old->second->labels != e->labels) {
        if (extends(old->second->labels, e->labels)) {
          add_enum_values(name, old->second->labels, e->labels);
        } else {
          for (const auto& l : old->second->labels)
            if (!contains(e->labels, l))
              c_.destructive.push_back("enum " + name + " loses the value " + l);
          emit("ALTER TYPE " + name + " RENAME TO " + temporary_name("mig_old_", name));
          emit("CREATE TYPE " + name + " AS ENUM (" + join(e->labels) + ")");
          remade_enums.insert(name);
          remade_enums_.insert(name);
        }
      }
    }
    for (const auto& [name, q] : qb) {
      auto old = qa.find(name);
      if (old == qa.end())
        emit("CREATE SEQUENCE " + name + " " + q->options);
      else if (old->second->options != q->options)
        emit("ALTER SEQUENCE " + name + " " + q->options);
    }
    // Functions before the tables whose defaults, checks and triggers call
    // them; their bodies are checked when they run, not now.
    bool functions_made = false;
    auto fa = signatures(a_), fb = signatures(b_);
    std::vector<std::string> new_tables, old_tables;
    for (const auto& t : b_.tables)
      if (!ta.count(t.name)) new_tables.push_back(t.name);
    for (const auto& t : a_.tables)
      if (!tb.count(t.name)) old_tables.push_back(t.name);
    std::vector<const PgFunction*> late_functions;
    std::vector<std::pair<const PgFunction*, const PgFunction*>> remade_functions;
    for (const auto& [sig, f] : fb) {
      auto old = fa.find(sig);
      if (old != fa.end() && old->second->def == f->def) continue;
      if (!functions_made) emit("SET check_function_bodies = false");
      functions_made = true;
      if (old != fa.end() && head(old->second->def) != head(f->def)) {
        // CREATE OR REPLACE cannot change a result or an argument's name:
        // dropped and made again, once what uses it is out of the way.
        remade_functions.push_back({old->second, f});
        remade_functions_.insert(sig);
      } else if (uses_row_type(*f, new_tables)) {
        late_functions.push_back(f);
      } else {
        emit(f->def);
      }
    }

    // What each table's columns go through decides which views must go.
    std::set<std::string> touched;
    for (const auto& [name, t] : ta) {
      auto now = tb.find(name);
      if (now == tb.end() || columns_touched(*t, *now->second, remade_enums)) touched.insert(name);
    }
    std::set<std::string> views_dropped = dropped_views(touched);
    std::set<std::string> views_made;
    for (const auto& v : b_.views) {
      bool existed = std::any_of(a_.views.begin(), a_.views.end(),
                                 [&](const PgView& x) { return x.name == v.name; });
      if (!existed || views_dropped.count(v.name)) views_made.insert(v.name);
    }
    // Relations whose indexes, triggers and comments go and come with them.
    std::set<std::string> gone = views_dropped, made = views_made;
    for (const auto& [name, t] : ta)
      if (!tb.count(name)) gone.insert(name);
    for (const auto& [name, t] : tb)
      if (!ta.count(name)) made.insert(name);

    auto calls_remade = [&](const PgTrigger& t) {
      for (const auto& [old, f] : remade_functions)
        if (t.def.find("EXECUTE FUNCTION " + old->signature.substr(0, old->signature.find('(')) +
                       "(") != std::string::npos)
          return true;
      return false;
    };
    for (const auto& t : a_.triggers)
      if (!gone.count(t.table) && (!has_same(b_.triggers, t) || calls_remade(t)))
        emit("DROP TRIGGER " + t.name + " ON " + t.table);
    for (const auto& [old, f] : remade_functions) {
      drop_function(*old);
      if (uses_row_type(*f, new_tables))
        late_functions.push_back(f);
      else
        emit(f->def);
    }
    auto order = view_order(a_.views, views_dropped);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      emit(std::string((*it)->materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ") +
           (*it)->name);
    // Foreign keys before the keys and tables they point at (those of a
    // table that goes too, when they point at one that stays).
    for (const auto& [name, t] : ta) {
      for (const auto& k : t->constraints) {
        if (k.type != 'f') continue;
        bool goes = tb.count(name) ? !same_constraint(*tb[name], k)
                                   : tb.count(k.references) > 0 && k.references != name;
        if (goes) drop_constraint(name, k);
      }
    }
    for (const auto& [name, t] : ta) {
      if (!tb.count(name)) continue;
      for (const auto& k : t->constraints)
        if (k.type != 'f' && !same_constraint(*tb[name], k)) drop_constraint(name, k);
    }
    for (const auto& i : a_.indexes)
      if (!gone.count(i.table) && !has_same(b_.indexes, i)) emit("DROP INDEX " + i.name);
    std::vector<std::string> dropped_tables;
    for (const auto& [name, t] : ta)
      if (!tb.count(name)) {
        dropped_tables.push_back(name);
        c_.destructive.push_back("table " + name + " is dropped");
      }
    // Functions of a going table's row type go before it; the rest last.
    for (const auto& [sig, f] : fa)
      if (!fb.count(sig) && uses_row_type(*f, old_tables)) drop_function(*f);
    if (!dropped_tables.empty()) emit("DROP TABLE " + join(dropped_tables));

    for (const auto& [name, t] : ta)
      if (auto now = tb.find(name); now != tb.end()) alter_table(*t, *now->second, remade_enums);
    for (const auto& name : remade_enums) emit("DROP TYPE " + temporary_name("mig_old_", name));

    // Keys of tables already there before the new tables whose foreign
    // keys may need them; the new tables' own after them.
    auto keys_and_indexes = [&](bool new_tables) {
      for (const auto& [name, t] : tb) {
        auto old = ta.find(name);
        if ((old == ta.end()) != new_tables) continue;
        for (const auto& k : t->constraints) {
          bool is_new = old == ta.end() ? k.deferred_create : !same_constraint(*old->second, k);
          if (k.type != 'f' && is_new) add_constraint(name, k);
        }
      }
      for (const auto& i : b_.indexes) {
        bool table_made = made.count(i.table) && tb.count(i.table);
        if (table_made != new_tables) continue;
        if (table_made || (!made.count(i.table) && !has_same(a_.indexes, i))) emit(i.def);
      }
    };
    keys_and_indexes(false);
    create_tables(ta);
    keys_and_indexes(true);
    // Functions that take or give a new table's rows once it is there.
    for (const auto* f : late_functions) emit(f->def);
    for (const auto& [name, t] : tb) {
      auto old = ta.find(name);
      for (const auto& k : t->constraints) {
        if (k.type != 'f') continue;
        bool is_new = old == ta.end() ? deferred_keys_.count(name + " " + k.name) > 0
                                      : !same_constraint(*old->second, k);
        if (is_new) add_constraint(name, k);
      }
    }
    for (const auto& [name, q] : qb) {
      auto old = qa.find(name);
      std::string before = old == qa.end() ? "" : old->second->owned_by;
      if (q->owned_by != before)
        emit("ALTER SEQUENCE " + name + " OWNED BY " +
             (q->owned_by.empty() ? "NONE" : q->owned_by));
    }
    for (const auto* v : view_order(b_.views, views_made)) {
      emit(std::string(v->materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ") + v->name +
           (v->options.empty() ? "" : " WITH (" + v->options + ")") + " AS " + v->query);
      for (const auto& i : b_.indexes)
        if (i.table == v->name) emit(i.def);
    }
    for (const auto& t : b_.triggers)
      if (made.count(t.table) || !has_same(a_.triggers, t) || calls_remade(t)) emit(t.def);

    for (const auto& [sig, f] : fa)
      if (!fb.count(sig) && !uses_row_type(*f, old_tables)) drop_function(*f);
    for (const auto& [name, q] : qa)
      if (!qb.count(name)) emit("DROP SEQUENCE IF EXISTS " + name);
    for (const auto& [name, e] : ea)
      if (!eb.count(name)) emit("DROP TYPE " + name);
    comments(ta, tb, ea, eb, qa, qb, fa, fb, made);
    // In one statement: one extension may need another.
    std::vector<std::string> extensions_dropped;
    for (const auto& x : a_.extensions)
      if (!contains(b_.extensions, x)) extensions_dropped.push_back(x);
    if (!extensions_dropped.empty()) emit("DROP EXTENSION " + join(extensions_dropped));
    return c_;
  }

 private:
  void emit(const std::string& sql) { c_.statements.push_back(sql); }
  // The type of an array's elements ("mood" for "mood[]"), else the type.
  static std::string element(std::string type) {
    while (type.size() > 2 && type.compare(type.size() - 2, 2, "[]") == 0)
      type.resize(type.size() - 2);
    return type;
  }
  void drop_function(const PgFunction& f) {
    emit(std::string(f.procedure ? "DROP PROCEDURE " : "DROP FUNCTION ") + f.signature);
  }
  // A function's definition up to its body: name, arguments and result.
  static std::string head(const std::string& def) {
    return def.substr(0, std::min({def.find(" AS "), def.find("\nAS "), def.find("\n LANGUAGE ")}));
  }

  // Whether a function's arguments or result name one of `tables` (its
  // row type), which must then be there when it is made.
  static bool uses_row_type(const PgFunction& f, const std::vector<std::string>& tables) {
    size_t body = std::min(f.def.find(" AS "), f.def.find("\nAS "));
    size_t begin = f.def.find("BEGIN ATOMIC");
    std::string head = f.def.substr(0, std::min(body, begin));
    if (begin != std::string::npos) head = f.def;  // (a body parsed when made)
    for (const auto& t : tables) {
      for (size_t at = head.find(t); at != std::string::npos; at = head.find(t, at + 1)) {
        auto word = [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '"';
        };
        bool starts = at == 0 || !word(head[at - 1]);
        bool ends = at + t.size() >= head.size() || !word(head[at + t.size()]);
        if (starts && ends) return true;
      }
    }
    return false;
  }

  static bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out;
  }
  template <typename T>
  static bool has_same(const std::vector<T>& items, const T& x) {
    return std::any_of(items.begin(), items.end(),
                       [&](const T& y) { return y.name == x.name && y.def == x.def; });
  }
  static std::map<std::string, const PgFunction*> signatures(const PgSchema& s) {
    std::map<std::string, const PgFunction*> out;
    for (const auto& f : s.functions) out[f.key.empty() ? f.signature : f.key] = &f;
    return out;
  }
  static bool same_constraint(const PgTable& t, const PgConstraint& k) {
    return std::any_of(t.constraints.begin(), t.constraints.end(),
                       [&](const PgConstraint& x) { return x.name == k.name && x.def == k.def; });
  }
  // `to` keeps `from`'s labels in their order: values can be added in place.
  static bool extends(const std::vector<std::string>& from, const std::vector<std::string>& to) {
    if (from.empty()) return false;
    size_t j = 0;
    for (const auto& l : to)
      if (j < from.size() && l == from[j]) ++j;
    return j == from.size();
  }
  void add_enum_values(const std::string& name, const std::vector<std::string>& from,
                       const std::vector<std::string>& to) {
    // Each value after the one before it (there by then), the first before
    // the first value already there.
    auto first_old =
        std::find_if(to.begin(), to.end(), [&](const std::string& l) { return contains(from, l); });
    for (size_t i = 0; i < to.size(); ++i) {
      if (contains(from, to[i])) continue;
      emit("ALTER TYPE " + name + " ADD VALUE " + to[i] +
           (i == 0 ? " BEFORE " + *first_old : " AFTER " + to[i - 1]));
    }
    // A value added in a transaction cannot be used before it commits.
    c_.outside_transaction = true;
  }

  bool columns_touched(const PgTable& a, const PgTable& b, const std::set<std::string>& enums) {
    for (const auto& c : a.columns) {
      auto n = std::find_if(b.columns.begin(), b.columns.end(),
                            [&](const PgColumn& x) { return x.name == c.name; });
      if (n == b.columns.end() || n->type != c.type || n->collation != c.collation ||
          n->generated != c.generated || enums.count(element(c.type)))
        return true;
    }
    return false;
  }

  std::set<std::string> dropped_views(const std::set<std::string>& touched) {
    std::set<std::string> out;
    for (const auto& v : a_.views) {
      auto now = std::find_if(b_.views.begin(), b_.views.end(),
                              [&](const PgView& x) { return x.name == v.name; });
      if (now == b_.views.end() || now->query != v.query || now->options != v.options ||
          now->materialized != v.materialized)
        out.insert(v.name);
    }
    for (bool more = true; more;) {
      more = false;
      for (const auto& v : a_.views) {
        if (out.count(v.name)) continue;
        for (const auto& d : v.depends_on)
          if (touched.count(d) || out.count(d)) {
            out.insert(v.name);
            more = true;
            break;
          }
      }
    }
    return out;
  }

  void drop_constraint(const std::string& table, const PgConstraint& k) {
    emit("ALTER TABLE " + table + " DROP CONSTRAINT " + k.name);
  }
  void add_constraint(const std::string& table, const PgConstraint& k) {
    emit("ALTER TABLE " + table + " ADD CONSTRAINT " + k.name + " " + k.def);
  }

  void alter_table(const PgTable& a, const PgTable& b, const std::set<std::string>& enums) {
    std::string t = "ALTER TABLE " + b.name + " ";
    if (a.unlogged != b.unlogged) emit(t + (b.unlogged ? "SET UNLOGGED" : "SET LOGGED"));
    std::map<std::string, const PgColumn*> now;
    for (const auto& c : b.columns) now[c.name] = &c;
    for (const auto& c : a.columns) {
      auto n = now.find(c.name);
      bool remade = n != now.end() && n->second->generated != c.generated &&
                    !(n->second->generated.empty() && !c.generated.empty());
      if (n == now.end() || remade) {
        emit(t + "DROP COLUMN " + c.name);
        if (c.generated.empty() && !remade)
          c_.destructive.push_back("column " + b.name + "." + c.name + " is dropped");
      }
    }
    for (const auto& c : b.columns) {
      auto old = std::find_if(a.columns.begin(), a.columns.end(),
                              [&](const PgColumn& x) { return x.name == c.name; });
      bool remade = old != a.columns.end() && old->generated != c.generated &&
                    !(c.generated.empty() && !old->generated.empty());
      if (old == a.columns.end() || remade) {
        emit(t + "ADD COLUMN " + column_text(c));
        if (remade && old->generated.empty())
          c_.destructive.push_back("column " + b.name + "." + c.name +
                                   " is made again as a generated column");
        continue;
      }
      alter_column(b.name, *old, c, enums.count(element(old->type)) > 0);
    }
  }

  void alter_column(const std::string& table, const PgColumn& a, const PgColumn& b,
                    bool enum_remade) {
    std::string col = "ALTER TABLE " + table + " ALTER COLUMN " + b.name + " ";
    std::string what = "column " + table + "." + b.name;
    if (!a.generated.empty() && b.generated.empty()) emit(col + "DROP EXPRESSION");
    bool retype = a.type != b.type || a.collation != b.collation || enum_remade;
    if (a.identity && !b.identity) emit(col + "DROP IDENTITY");
    // A default stands in the way of a type change and of a new identity.
    std::string default_before = a.default_expr;
    if (!default_before.empty() && (retype || (b.identity && !a.identity))) {
      emit(col + "DROP DEFAULT");
      default_before.clear();
    }
    if (retype) {
      bool array = b.type.size() > 2 && b.type.compare(b.type.size() - 2, 2, "[]") == 0;
      std::string using_expr = enum_remade ? b.name + (array ? "::text[]::" : "::text::") + b.type
                               : a.type == b.type ? b.name
                                                  : b.name + "::" + b.type;
      emit(col + "TYPE " + b.type + (b.collation.empty() ? "" : " COLLATE " + b.collation) +
           " USING " + using_expr);
      if (a.type != b.type && !widens(a.type, b.type))
        c_.destructive.push_back(what + " changes type from " + a.type + " to " + b.type);
    }
    if (b.default_expr != default_before) {
      if (b.default_expr.empty()) {
        emit(col + "DROP DEFAULT");
        if (b.not_null && !b.identity) c_.destructive.push_back(what + " loses its default");
      } else {
        emit(col + "SET DEFAULT " + b.default_expr);
      }
    }
    if (a.not_null != b.not_null && !(b.identity && !a.identity))
      emit(col + (b.not_null ? "SET NOT NULL" : "DROP NOT NULL"));
    if (b.identity && !a.identity) {
      if (!a.not_null) emit(col + "SET NOT NULL");
      emit(col + "ADD GENERATED " + (b.identity == 'a' ? "ALWAYS" : "BY DEFAULT") +
           " AS IDENTITY (" + b.identity_seq + ")");
      // The rows already there keep their values: the counter starts past them.
      emit("SELECT setval(pg_get_serial_sequence(" + literal(table) + ", " +
           literal(unquoted(b.name)) + "), max(" + b.name + ")) FROM " + table + " HAVING max(" +
           b.name + ") IS NOT NULL");
    } else if (a.identity && b.identity) {
      if (a.identity != b.identity)
        emit(col + "SET GENERATED " + (b.identity == 'a' ? "ALWAYS" : "BY DEFAULT"));
      if (a.identity_seq != b.identity_seq) emit(col + identity_options(b.identity_seq));
    }
  }

  // "SET START WITH 1 SET INCREMENT BY 1 …" from "START WITH 1 INCREMENT BY 1 …".
  static std::string identity_options(const std::string& options) {
    std::istringstream in(options);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) {
      const std::string& w = words[i];
      bool starts = w == "START" || w == "INCREMENT" || w == "MINVALUE" || w == "MAXVALUE" ||
                    w == "CACHE" ||
                    (w == "NO" && i + 1 < words.size() && words[i + 1] == "CYCLE") ||
                    (w == "CYCLE" && (i == 0 || words[i - 1] != "NO"));
      out += (out.empty() ? "" : " ") + std::string(starts ? "SET " : "") + w;
    }
    return out;
  }

  static std::string literal(const std::string& name) {
    std::string out = "'";
    for (char c : name) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }

  // New tables in the order their foreign keys allow; a key to a table
  // made later (a cycle) is added once both are there.
  void create_tables(const std::map<std::string, const PgTable*>& ta) {
    std::vector<const PgTable*> pending;
    for (const auto& t : b_.tables)
      if (!ta.count(t.name)) pending.push_back(&t);
    std::set<std::string> ready;
    for (const auto& [name, t] : ta) ready.insert(name);
    while (!pending.empty()) {
      auto next = std::find_if(pending.begin(), pending.end(), [&](const PgTable* t) {
        return std::all_of(
            t->constraints.begin(), t->constraints.end(), [&](const PgConstraint& k) {
              return k.type != 'f' || k.references == t->name || ready.count(k.references);
            });
      });
      if (next == pending.end()) next = pending.begin();  // a cycle: its keys come later
      const PgTable& t = **next;
      std::string body;
      for (const auto& c : t.columns) body += (body.empty() ? "" : ",\n  ") + column_text(c);
      for (const auto& k : t.constraints) {
        bool later = k.deferred_create ||
                     (k.type == 'f' && k.references != t.name && !ready.count(k.references));
        if (later) {
          if (k.type == 'f') deferred_keys_.insert(t.name + " " + k.name);
          continue;
        }
        body += (body.empty() ? "" : ",\n  ") + std::string("CONSTRAINT ") + k.name + " " + k.def;
      }
      emit(std::string("CREATE ") + (t.unlogged ? "UNLOGGED " : "") + "TABLE " + t.name + " (\n  " +
           body + "\n)");
      ready.insert(t.name);
      pending.erase(next);
    }
  }

  template <typename A, typename B, typename F, typename G>
  void comments(const A& ta, const A& tb, const B& ea, const B& eb, const F& qa, const F& qb,
                const G& fa, const G& fb, const std::set<std::string>& made) {
    auto note = [&](const std::string& target, const std::string& before,
                    const std::string& after) {
      if (before != after) emit("COMMENT ON " + target + " IS " + (after.empty() ? "NULL" : after));
    };
    for (const auto& [name, e] : eb) {
      auto old = ea.find(name);
      note("TYPE " + name, old == ea.end() || remade_enums_.count(name) ? "" : old->second->comment,
           e->comment);
    }
    for (const auto& [name, q] : qb) {
      auto old = qa.find(name);
      note("SEQUENCE " + name, old == qa.end() ? "" : old->second->comment, q->comment);
    }
    for (const auto& [name, t] : tb) {
      auto old = ta.find(name);
      const PgTable* o = old == ta.end() ? nullptr : old->second;
      note("TABLE " + name, o ? o->comment : "", t->comment);
      for (const auto& c : t->columns) {
        std::string before;
        if (o)
          for (const auto& x : o->columns)
            if (x.name == c.name && x.generated == c.generated) before = x.comment;
        note("COLUMN " + name + "." + c.name, before, c.comment);
      }
      for (const auto& k : t->constraints) {
        std::string before;
        if (o)
          for (const auto& x : o->constraints)
            if (x.name == k.name && x.def == k.def) before = x.comment;
        note("CONSTRAINT " + k.name + " ON " + name, before, k.comment);
      }
    }
    for (const auto& i : b_.indexes) {
      std::string before;
      if (!made.count(i.table))
        for (const auto& x : a_.indexes)
          if (x.name == i.name && x.def == i.def) before = x.comment;
      note("INDEX " + i.name, before, i.comment);
    }
    for (const auto& v : b_.views) {
      std::string before;
      if (!made.count(v.name))
        for (const auto& x : a_.views)
          if (x.name == v.name) before = x.comment;
      note(std::string(v.materialized ? "MATERIALIZED VIEW " : "VIEW ") + v.name, before,
           v.comment);
    }
    for (const auto& [sig, f] : fb) {
      auto old = fa.find(sig);
      note(std::string(f->procedure ? "PROCEDURE " : "FUNCTION ") + f->signature,
           old == fa.end() || remade_functions_.count(sig) ? "" : old->second->comment, f->comment);
    }
    for (const auto& t : b_.triggers) {
      std::string before;
      if (!made.count(t.table))
        for (const auto& x : a_.triggers)
          if (x.name == t.name && x.table == t.table && x.def == t.def) before = x.comment;
      note("TRIGGER " + t.name + " ON " + t.table, before, t.comment);
    }
  }

  const PgSchema& a_;
  const PgSchema& b_;
  SchemaChange c_;
  std::set<std::string> deferred_keys_;
  std::set<std::string> remade_enums_;      // (made anew: their comments too)
  std::set<std::string> remade_functions_;  // likewise
};

}  // namespace

SchemaChange plan_postgresql_change(const PgSchema& from, const PgSchema& to) {
  return Planner(from, to).plan();
}

}  // namespace mig
