// Transactions: the virtual base of every role of the store (store/store.h, store/job_store.h),
// so that a Store has one Transaction(fn) whichever role it is reached through. Transactions that
// span roles, and how services are wired for them, are described at the top of store/store.h.
#pragma once

#include <functional>

#include "base/status.h"

namespace odp::store {

class Transactions {
 public:
  // Runs `fn` in one transaction: committed when it returns OK, rolled back otherwise.
  // Calls on any role of this store from inside `fn` (same thread) join the transaction.
  virtual Status Transaction(const std::function<Status()>& fn) = 0;

 protected:
  // A role is never owned or deleted through itself, only through the Store behind it.
  ~Transactions() = default;
};

}  // namespace odp::store
