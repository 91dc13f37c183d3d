// Mempool: transactions waiting for a block. A transaction is checked on entry (size, chain,
// scheme, expiry, the sender's account and role, signature, replay against committed state,
// per-account rate), so a verified
// signature is not verified again at execution. Bounded by count and bytes; when full it says so.
// Deterministic and free of I/O: time and state come in as arguments. Not thread-safe: the node
// serialises calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "codec/transaction.h"
#include "crypto/public_key.h"
#include "crypto/public_key_cache.h"
#include "crypto/suite.h"
#include "exec/state.h"

namespace rightchain::mempool {

struct MempoolLimits {
  std::size_t max_transactions = 100'000;
  std::size_t max_bytes = 256u << 20;
  std::size_t max_transaction_bytes = codec::kMaxSignedTransactionEncodedSize;
  // Per sender: a token bucket of `account_burst` transactions refilled at `account_rate_per_second`.
  std::uint32_t account_rate_per_second = 1000;
  std::uint32_t account_burst = 5000;
  std::uint64_t max_expiry_window_heights = 100'000;  // as exec::ExecutionLimits
};

// Why a transaction was refused, with a stable code for the API.
enum class RejectionCode {
  kMalformed,  // does not decode or breaks a field rule
  kTooLarge,   // over max_transaction_bytes
  kWrongChain,
  kWrongScheme,
  kExpired,  // expiry height already passed
  kExpiryTooFar,
  kBadSignature,
  kAlreadyPending,  // the same transaction is already waiting
  kAlreadyCommitted,
  kNonceReused,  // another transaction of this sender used the nonce (pending or committed)
  kRateLimited,
  kFull,
  // Refused by the admission rules (exec/admission.h): execution would reject it for a reason
  // committed state already shows, and its rejected receipt would be stored by every member.
  kUnknownAccount,  // the sender's key belongs to no account
  kKeyNotCurrent,   // the sender's key was rotated away or revoked
  kMissingRole,     // the sender's account lacks the kind this transaction needs
  kNotAMember,      // a governance transaction not signed by a voting member
  kUnknownKind,
  kAccountExists,  // an account creation for a key that already has one
  kQuotaExceeded,  // an account creation from a sponsor past its day's quota
};
std::string_view RejectionCodeName(RejectionCode code);  // "bad_signature", "mempool_full", …

struct Rejection {
  RejectionCode code;
  std::string message;
};

struct PendingTransaction {
  codec::SignedTransaction transaction;
  crypto::Digest id{};
  crypto::KeyId sender{};
  std::size_t encoded_size = 0;
  std::int64_t received_milliseconds = 0;
};

class Mempool {
 public:
  Mempool(std::string chain_id, crypto::SuiteId suite, MempoolLimits limits = {});

  // Checks and admits a transaction; returns its id or why it was refused (including what
  // execution would refuse for a reason `committed` already shows: exec/admission.h). `next_height` is the
  // height of the next block; `committed` is the committed state (for replay checks).
  // `signature_verified`: the caller already checked the signature (the node's API threads do, so
  // that the core thread does not), and it is not checked again.
  std::variant<crypto::Digest, Rejection> Add(codec::SignedTransaction transaction, std::size_t encoded_size,
                                              std::uint64_t next_height, std::int64_t now_milliseconds,
                                              const exec::StateReader& committed,
                                              bool signature_verified = false);

  // Transactions for the next block, oldest first, within the byte and count limits, skipping
  // those that expire before `next_height`.
  std::vector<const PendingTransaction*> Reap(std::size_t max_bytes, std::size_t max_count,
                                              std::uint64_t next_height) const;

  // Drops transactions a committed block included (by id) and any pending transaction whose
  // (sender, nonce) the block used: such a transaction could only fail now.
  struct SenderNonce {
    crypto::KeyId sender{};
    std::uint64_t nonce = 0;
  };
  void RemoveCommitted(std::span<const crypto::Digest> ids, std::span<const SenderNonce> used_nonces = {});
  // Drops transactions that can no longer be included at `next_height`; returns their ids so the
  // node can tell their submitters they expired.
  std::vector<crypto::Digest> RemoveExpired(std::uint64_t next_height);

  const PendingTransaction* Find(const crypto::Digest& id) const;
  std::size_t size() const { return by_id_.size(); }
  std::size_t size_bytes() const { return bytes_; }
  std::size_t rate_bucket_count() const { return buckets_.size(); }  // senders with a rate bucket

 private:
  struct DigestHash {
    std::size_t operator()(const crypto::Digest& digest) const;
  };
  struct TokenBucket {
    double tokens = 0;
    std::int64_t updated_milliseconds = 0;
  };
  std::optional<Rejection> CheckRules(const codec::SignedTransaction& transaction, std::size_t encoded_size,
                                      std::uint64_t next_height) const;
  bool TakeToken(const crypto::KeyId& sender, std::int64_t now_milliseconds);
  // Drops buckets that have refilled to the burst: they say no more than an absent one.
  void PruneIdleBuckets(std::int64_t now_milliseconds);
  void Erase(const crypto::Digest& id);

  std::string chain_id_;
  crypto::SuiteId suite_;
  MempoolLimits limits_;
  std::unordered_map<crypto::Digest, PendingTransaction, DigestHash> by_id_;
  std::deque<crypto::Digest> arrival_order_;  // may hold ids already removed (skipped lazily)
  std::map<std::pair<crypto::KeyId, std::uint64_t>, crypto::Digest> by_sender_nonce_;
  // Pending ids by expiry height: RemoveExpired, run at every tick, takes only the expired
  // ones from the front; scanning the whole pool instead took about 5 % of the nodes' CPU time
  // with a backlog (a profile at 3,000 transactions/s offered to 4 validators).
  std::set<std::pair<std::uint64_t, crypto::Digest>> by_expiry_;
  std::map<crypto::KeyId, TokenBucket> buckets_;
  std::size_t prune_buckets_at_ = kMinBucketsBeforePruning;  // pruned when buckets_ reaches it
  static constexpr std::size_t kMinBucketsBeforePruning = 1024;
  std::size_t bytes_ = 0;
  // Senders' keys parsed for signature checks: a sender usually signs many transactions.
  static constexpr std::size_t kCachedSenderKeys = 4096;
  crypto::PublicKeyCache sender_keys_{kCachedSenderKeys};
};

}  // namespace rightchain::mempool
