#pragma once

#include <string>
#include <vector>

#include "mig/url.h"

namespace mig {

// The one place that keeps passwords out of text: everything mig prints and
// every error it stores in the database passes through apply(). It masks the
// passwords of the URLs it was given wherever they appear (a driver or
// server message may quote one), except a password that equals the URL's
// user, host or database name: those are printed anyway, so masking that
// text would only hide the names (user, password and database all `shop`
// still reads "database 'shop'").
class Redactor {
 public:
  // The URL's password and password-like query options are secrets; its
  // user, host and database are public.
  void add_url(const DatabaseUrl& url);
  void add_secret(const std::string& secret);
  void add_public(const std::string& text);

  std::string apply(std::string text) const;
  bool empty() const { return secrets_.empty(); }

 private:
  std::vector<std::string> secrets_;  // each as written and as JSON escapes it
  std::vector<std::string> public_;
};

}  // namespace mig
