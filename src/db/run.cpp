#include "db/run.h"

namespace mig {

Run::Run(Database& db, const Database::WaitNotice& notice) : db_(db) { db_.acquire_lock(notice); }

Run::~Run() {
  if (!open_) return;
  try {
    db_.release_lock();
  } catch (const std::exception&) {
    // The connection is going: the database drops its lock with it.
  }
}

void Run::commit() {
  leave_transaction();
  return_to_transaction();
}

void Run::leave_transaction() { db_.suspend_transaction(); }
void Run::return_to_transaction() { db_.resume_transaction(); }

void Run::finish() {
  open_ = false;
  db_.release_lock();
}

}  // namespace mig
