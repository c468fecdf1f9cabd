#include "config/url.h"

#include <cctype>

#include "errors.h"

namespace mig {

std::string percent_decode(const std::string& s, const std::string& origin) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
      throw UsageError(origin + ": malformed %-escape in database URL");
    out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

namespace {

DatabaseUrl parse_sqlite(const std::string& rest, const std::string& origin) {
  DatabaseUrl url;
  url.dialect = Dialect::SQLite;
  url.scheme = "sqlite";
  if (rest == ":memory:") {
    url.path = ":memory:";
  } else if (rest.compare(0, 3, "///") == 0) {
    url.path = rest.substr(2);  // keep the leading '/'
  } else if (rest.compare(0, 2, "//") == 0) {
    throw UsageError(origin + ": SQLite URLs are sqlite:relative/file.db or sqlite:///abs/file.db");
  } else {
    url.path = rest;
  }
  if (url.path.empty() || url.path == "/")
    throw UsageError(origin + ": SQLite URL has no file name");
  return url;
}

DatabaseUrl parse_server(Dialect dialect, const std::string& scheme, const std::string& rest,
                         const std::string& origin) {
  DatabaseUrl url;
  url.dialect = dialect;
  url.scheme = scheme;
  if (rest.compare(0, 2, "//") != 0)
    throw UsageError(origin + ": expected " + scheme + "://user:password@host:port/database");
  std::string s = rest.substr(2);
  // The user-info part (user:password@) ends at the last '@' before the
  // path or query. An '@' after that means the password holds a '/' or '?'
  // of its own, unencoded: any split of such a URL would take a piece of the
  // password for a host, port or database and print it, so none is tried.
  size_t path_or_query = s.find_first_of("/?");
  if (path_or_query != std::string::npos && s.find('@', path_or_query) != std::string::npos)
    throw UsageError(origin + ": cannot read the database URL: an '@' follows the host part. " +
                     "If the password holds '/', '?' or '#', write them %2F, %3F and %23; an " +
                     "'@' in a database name or option is written %40");

  size_t q = s.find('?');
  if (q != std::string::npos) {
    std::string query = s.substr(q + 1);
    s = s.substr(0, q);
    size_t start = 0;
    while (start <= query.size()) {
      size_t amp = query.find('&', start);
      std::string item = query.substr(start, amp == std::string::npos ? amp : amp - start);
      if (!item.empty()) {
        size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
          throw UsageError(origin + ": URL query option '" + item.substr(0, eq) +
                           "' needs name=value");
        url.params.emplace_back(percent_decode(item.substr(0, eq), origin),
                                percent_decode(item.substr(eq + 1), origin));
      }
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }

  size_t slash = s.find('/');
  std::string authority = s.substr(0, slash);
  if (slash != std::string::npos) url.database = percent_decode(s.substr(slash + 1), origin);

  size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    size_t colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon), origin);
    if (colon != std::string::npos)
      url.password = percent_decode(userinfo.substr(colon + 1), origin);
  }

  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) throw UsageError(origin + ": unclosed '[' in URL host");
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') throw UsageError(origin + ": malformed host in URL");
      port = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.rfind(':');
    url.host = percent_decode(authority.substr(0, colon), origin);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (!port.empty()) {
    bool digits = port.size() <= 5;
    for (char c : port) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    int value = digits ? std::stoi(port) : 0;
    // A port that is not a number is not shown: `user:password` without
    // its '@host' reads as host:port, and that "port" is the password.
    if (value < 1 || value > 65535)
      throw UsageError(origin + ": invalid port in database URL" +
                       (digits ? " ('" + port + "'; ports are 1-65535)"
                               : " (not a number; if that is user:password, the @host part "
                                 "is missing)"));
    url.port = value;
  }
  return url;
}

}  // namespace

DatabaseUrl parse_url(const std::string& text, const std::string& origin) {
  size_t colon = text.find(':');
  if (text.empty()) throw UsageError(origin + ": empty database URL");
  if (colon == std::string::npos || colon == 0)
    throw UsageError(origin + ": not a database URL (expected sqlite:, postgresql:// or mysql://)");
  std::string scheme = text.substr(0, colon);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string rest = text.substr(colon + 1);
  if (scheme == "sqlite" || scheme == "sqlite3") return parse_sqlite(rest, origin);
  if (scheme == "postgresql" || scheme == "postgres")
    return parse_server(Dialect::PostgreSQL, scheme, rest, origin);
  if (scheme == "mysql" || scheme == "mariadb")
    return parse_server(Dialect::MySQL, scheme, rest, origin);
  bool printable = scheme.size() <= 20;
  for (char c : scheme) printable = printable && std::isalnum(static_cast<unsigned char>(c));
  throw UsageError(origin + ": unknown database URL scheme '" +
                   (printable ? scheme : std::string("?")) +
                   "' (use sqlite:, postgresql:// or mysql://)");
}

std::string DatabaseUrl::redacted() const {
  if (dialect == Dialect::SQLite) return "sqlite:" + (path.front() == '/' ? "//" + path : path);
  std::string out = scheme + "://";
  if (!user.empty()) out += user + (password.empty() ? "" : ":***") + "@";
  bool v6 = host.find(':') != std::string::npos;
  std::string shown;
  for (char c : host) shown += c == '/' ? std::string("%2F") : std::string(1, c);
  out += v6 ? "[" + host + "]" : shown;
  if (port) out += ":" + std::to_string(port);
  out += "/" + database;
  char sep = '?';
  for (const auto& [k, v] : params) {
    bool secret = k == "password" || k == "passwd" || k == "sslpassword";
    out += sep + k + "=" + (secret ? "***" : v);
    sep = '&';
  }
  return out;
}

std::string DatabaseUrl::describe() const {
  if (dialect == Dialect::SQLite)
    return is_memory() ? "in-memory SQLite database" : "SQLite file '" + path + "'";
  std::string where = host.empty() ? "localhost" : host;
  if (port) where += ":" + std::to_string(port);
  return std::string(to_string(dialect)) + " database '" + database + "' on host '" + where + "'";
}

}  // namespace mig
