#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mig {

// What the caller asked for is wrong: a bad option, target, URL or
// configuration value. Nothing has been changed. (The CLI exits 2.)
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request whose options do not fit together or hold a bad value. The
// text names options as {name}, the library's own names (a field of the
// options struct, or an operation); what() shows them as `name`, and
// spelled() lets a caller say them its own way (the CLI: its flags). A
// value the caller gave goes in through literal(), which doubles its braces.
class OptionError : public UsageError {
 public:
  explicit OptionError(std::string text)
      : UsageError(spelled_as(text, [](const std::string& name) { return "`" + name + "`"; })),
        text_(std::move(text)) {}
  static std::string literal(const std::string& value) {
    std::string out;
    for (char c : value) out += c == '{' ? std::string("{{") : std::string(1, c);
    return out;
  }
  template <typename Spell>
  std::string spelled(Spell spell) const {
    return spelled_as(text_, spell);
  }

 private:
  template <typename Spell>
  static std::string spelled_as(const std::string& text, Spell spell) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '{') {
        out += text[i];
      } else if (i + 1 < text.size() && text[i + 1] == '{') {
        out += '{';
        ++i;
      } else {
        size_t end = text.find('}', i);
        if (end == std::string::npos) end = text.size();
        out += spell(text.substr(i + 1, end - i - 1));
        i = end;
      }
    }
    return out;
  }
  std::string text_;
};

// A target the operation cannot reach in its direction: an upgrade to -1,
// a downgrade to +1, or a downgrade to a revision that is not applied (nor
// below one that is). `other()` is the operation that would go there
// (upgrade or downgrade), `revision()` the revision to upgrade to when one
// is named; `summary()` is what() without the closing hint.
class WrongDirectionError : public UsageError {
 public:
  WrongDirectionError(std::string summary, std::string other, std::string revision = {})
      : UsageError(summary + (revision.empty() ? "; that is " + with_article(other)
                                               : " (applying it is " + with_article(other) +
                                                     " to " + revision + ")")),
        summary_(std::move(summary)),
        other_(std::move(other)),
        revision_(std::move(revision)) {}
  const std::string& summary() const { return summary_; }
  const std::string& other() const { return other_; }
  const std::string& revision() const { return revision_; }

 private:
  static std::string with_article(const std::string& operation) {
    return (operation == "upgrade" ? "an " : "a ") + operation;
  }
  std::string summary_, other_, revision_;
};

// The operation could not be carried out: a malformed revision file, a
// database error, a refused downgrade. (The CLI exits 1.)
class OperationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An operation stopped because the flag given to Project::set_interrupt
// was set; what it made for itself (scratch databases) is gone.
class InterruptedError : public OperationError {
 public:
  using OperationError::OperationError;
};

// An OperationError that points at a place in an input file.
class FileError : public OperationError {
 public:
  FileError(const std::string& path, int line, const std::string& message)
      : OperationError(path + ":" + std::to_string(line) + ": " + message),
        path_(path),
        line_(line) {}
  const std::string& path() const { return path_; }
  int line() const { return line_; }

 private:
  std::string path_;
  int line_;
};

// A revision (or seed file) failed while it ran. what() is the whole
// account; the parts are here for programs (and for the CLI, which words
// its advice in its own commands). Where it stopped outside a transaction
// it is half_applied(): nothing else runs until that is settled (upgrade or
// downgrade with `resume`, or Project::resolve).
class StepError : public OperationError {
 public:
  struct Details {
    std::string revision;  // or the seed file's name
    std::string action;    // upgrade, downgrade, seed
    std::string path;      // the file
    int statement = 0;     // the failing one, 1-based; 0: while recording it
    int statements = 0;    // how many the section has
    int line = 0;          // the failing statement's line in the file
    std::string sql;       // the failing statement
    std::string error;     // the database's own message
    bool half_applied = false;
    int resume_at = 0;          // half applied: the statement a resume runs first
    bool batches_done = false;  // half applied: batches of that statement committed
    // The message in parts: what failed (with the statement and the error),
    // the state it left, and what became of the run's earlier revisions.
    std::string summary, account, earlier;
  };
  StepError(const std::string& message, Details details)
      : OperationError(message), details_(std::move(details)) {}
  const Details& details() const { return details_; }
  bool half_applied() const { return details_.half_applied; }

 private:
  Details details_;
};

// A half-applied revision is in the way; nothing was changed.
class HalfAppliedError : public OperationError {
 public:
  enum class Reason {
    NotResumed,      // settle it first: resume, or resolve
    OtherDirection,  // it can only be resumed in its own direction
    FileGone,        // its file is gone, so it cannot be resumed
    FileChanged,     // the statements that ran are no longer in the file
    Stamping,        // a stamp would paper over it
  };
  // `description`: where it stopped, one line; the message adds what to do.
  HalfAppliedError(const std::string& message, std::string description, std::string revision,
                   std::string direction, Reason reason)
      : OperationError(message),
        description_(std::move(description)),
        revision_(std::move(revision)),
        direction_(std::move(direction)),
        reason_(reason) {}
  const std::string& description() const { return description_; }
  const std::string& revision() const { return revision_; }
  const std::string& direction() const { return direction_; }  // upgrade, downgrade
  Reason reason() const { return reason_; }

 private:
  std::string description_, revision_, direction_;
  Reason reason_;
};

// Applied revisions whose files changed since: nothing was run on top of
// them. Restore the files, or accept an edit with Project::rehash.
class EditedRevisionError : public OperationError {
 public:
  // `listing`: a line per revision, id, path and both checksums.
  EditedRevisionError(std::vector<std::string> revisions, std::string listing)
      : OperationError("applied revision(s) changed since they were applied:" + listing +
                       "\n  restore the file(s), or accept the edit by rehashing " +
                       (revisions.empty() ? std::string() : revisions.front())),
        revisions_(std::move(revisions)),
        listing_(std::move(listing)) {}
  const std::vector<std::string>& revisions() const { return revisions_; }
  const std::string& listing() const { return listing_; }

 private:
  std::vector<std::string> revisions_;
  std::string listing_;
};

// A seed file's `-- mig:requires` revision is not applied: no seed ran.
class SeedRequirementError : public OperationError {
 public:
  // `revision_text`: "ID (message)" of a known revision, empty for an
  // unknown id (the message then names the seed file's line).
  SeedRequirementError(const std::string& message, std::string seed, std::string revision,
                       std::string revision_text)
      : OperationError(message),
        seed_(std::move(seed)),
        revision_(std::move(revision)),
        revision_text_(std::move(revision_text)) {}
  const std::string& seed() const { return seed_; }
  const std::string& revision() const { return revision_; }
  const std::string& revision_text() const { return revision_text_; }

 private:
  std::string seed_, revision_, revision_text_;
};

// Writing a script from the database's state (no FROM:TO given), the
// state could not be read.
class StateUnreadableError : public OperationError {
 public:
  using OperationError::OperationError;
};

}  // namespace mig
