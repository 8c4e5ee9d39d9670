// The records and the store role of following by e-mail (issue 18): a visitor's address
// follows a dataset or an agency once the address confirmed it (double opt-in), and every
// follow request is logged for the limits per address and per client. The rules are the web
// layer's (web/follow.h); the store only keeps rows.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/transactions.h"

namespace odp {

// One address following one dataset or agency.
struct FollowRecord {
  std::string id;         // random
  std::string email;      // lower case
  std::string kind;       // "dataset" or "organization"
  std::string target_id;  // the dataset's or the organization's id
  std::string lang;       // "vi" or "en": the language the visitor asked in (links in mails)
  // SHA-256 of the secret in the newest confirmation link; "" when none was sent yet, and once
  // confirmed. The secret itself is only ever in the e-mail.
  std::string confirm_hash;
  Micros confirm_expires = 0;
  // The secret of the one-click unsubscribe link in every mail. Kept as it is: it can only end
  // this one follow, and every notification must carry it.
  std::string unsubscribe_token;
  Micros created = 0;
  Micros confirmed = 0;  // 0 until the address confirmed
  // Changes of the target up to this time were mailed (or predate the follow).
  Micros last_seen = 0;
};

// One follow request as the limits count it.
struct FollowRequestRecord {
  std::string id;
  std::string email;   // lower case
  std::string client;  // the client's address (http/client_address.h)
  Micros at = 0;
};

namespace store {

// Follows and the log of follow requests. Every method is one statement (or one transaction);
// several servers may call them at once.
class FollowStore : public virtual Transactions {
 public:
  // kAlreadyExists when (email, kind, target_id) is taken.
  virtual Status InsertFollow(const FollowRecord& f) = 0;
  virtual Result<FollowRecord> GetFollow(const std::string& id) = 0;
  // kNotFound when the address does not follow the target.
  virtual Result<FollowRecord> FindFollow(const std::string& email, const std::string& kind,
                                          const std::string& target_id) = 0;
  virtual Result<FollowRecord> FindFollowByConfirmHash(const std::string& confirm_hash) = 0;
  virtual Result<FollowRecord> FindFollowByUnsubscribeToken(const std::string& token) = 0;
  // A new confirmation link for an unconfirmed follow (the older one stops working);
  // kNotFound when it is gone or already confirmed.
  virtual Status SetFollowConfirmation(const std::string& id, const std::string& confirm_hash,
                                       Micros expires) = 0;
  // Confirms the follow whose newest link has `confirm_hash`, when that link has not expired
  // at `now`: sets `confirmed`, clears the hash (single use) and starts `last_seen` at
  // `last_seen`. kNotFound otherwise.
  virtual Status ConfirmFollow(const std::string& confirm_hash, Micros now, Micros last_seen) = 0;
  // Moves `last_seen` from `from` to `to`; false when another server moved it first.
  virtual Result<bool> AdvanceFollow(const std::string& id, Micros from, Micros to) = 0;
  virtual Status DeleteFollow(const std::string& id) = 0;
  // Every confirmed follow, oldest first.
  virtual Result<std::vector<FollowRecord>> ListConfirmedFollows() = 0;
  // Removes the follows never confirmed that were created before `before`; returns how many.
  virtual Result<int> DeleteUnconfirmedFollows(Micros before) = 0;

  // Logs a follow request and forgets those older than `forget_before`.
  virtual Status InsertFollowRequest(const FollowRequestRecord& r, Micros forget_before) = 0;
  // Requests logged since `since` for the address, and for the client.
  virtual Result<int> CountFollowRequestsByEmail(const std::string& email, Micros since) = 0;
  virtual Result<int> CountFollowRequestsByClient(const std::string& client, Micros since) = 0;

 protected:
  ~FollowStore() = default;
};

}  // namespace store
}  // namespace odp
