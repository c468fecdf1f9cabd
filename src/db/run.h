#pragma once

#include "db/database.h"

namespace mig {

// One run against a database: the run lock from construction to the end,
// and on SQLite the run's write transaction. The only thing that ends them:
// finish() at the end of the work, or the destructor on the way out of an
// error, which undoes a revision left open and keeps what completed before
// it (the same as finish() otherwise), and leave_transaction() for a step
// that must commit as it goes. commit() makes what the run did so
// far durable while keeping the lock, before work that must not be able to
// undo it (seeds after an upgrade).
class Run {
 public:
  Run(Database& db, const Database::WaitNotice& notice);
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  void commit();
  void finish();
  // Around a step that commits as it goes (`transaction off`, batches): the
  // run's transaction is committed and left, the lock kept; then entered again.
  void leave_transaction();
  void return_to_transaction();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace mig
