#include "mempool/mempool.h"

#include <algorithm>
#include <cstring>

#include "exec/admission.h"
#include "exec/executor.h"

namespace rightchain::mempool {
namespace {

Rejection AdmissionRejection(exec::ReceiptStatus status, std::uint16_t kind) {
  const std::string kind_text = "a transaction of kind " + std::to_string(kind);
  switch (status) {
    case exec::ReceiptStatus::kUnknownAccount:
      return {RejectionCode::kUnknownAccount, "the sender's key belongs to no account; create one first"};
    case exec::ReceiptStatus::kKeyNotCurrent:
      return {RejectionCode::kKeyNotCurrent, "the sender's key was rotated away or revoked"};
    case exec::ReceiptStatus::kMissingRole:
      return {RejectionCode::kMissingRole, "the sender's account may not send " + kind_text};
    case exec::ReceiptStatus::kNotAMember:
      return {RejectionCode::kNotAMember, "governance transactions are signed by a voting member"};
    case exec::ReceiptStatus::kAccountExists:
      return {RejectionCode::kAccountExists, "the key already belongs to an account"};
    case exec::ReceiptStatus::kQuotaExceeded:
      return {RejectionCode::kQuotaExceeded, "the sponsor created its quota of accounts for today"};
    default: return {RejectionCode::kUnknownKind, "this chain has no " + kind_text};
  }
}

}  // namespace

std::string_view RejectionCodeName(RejectionCode code) {
  switch (code) {
    case RejectionCode::kMalformed: return "malformed";
    case RejectionCode::kTooLarge: return "too_large";
    case RejectionCode::kWrongChain: return "wrong_chain";
    case RejectionCode::kWrongScheme: return "wrong_scheme";
    case RejectionCode::kExpired: return "expired";
    case RejectionCode::kExpiryTooFar: return "expiry_too_far";
    case RejectionCode::kBadSignature: return "bad_signature";
    case RejectionCode::kAlreadyPending: return "already_pending";
    case RejectionCode::kAlreadyCommitted: return "already_committed";
    case RejectionCode::kNonceReused: return "nonce_reused";
    case RejectionCode::kRateLimited: return "rate_limited";
    case RejectionCode::kFull: return "mempool_full";
    case RejectionCode::kUnknownAccount: return "unknown_account";
    case RejectionCode::kKeyNotCurrent: return "key_not_current";
    case RejectionCode::kMissingRole: return "missing_role";
    case RejectionCode::kNotAMember: return "not_a_member";
    case RejectionCode::kUnknownKind: return "unknown_kind";
    case RejectionCode::kAccountExists: return "account_exists";
    case RejectionCode::kQuotaExceeded: return "quota_exceeded";
  }
  return "unknown";
}

std::size_t Mempool::DigestHash::operator()(const crypto::Digest& digest) const {
  std::size_t value = 0;
  std::memcpy(&value, digest.data(), sizeof value);  // a hash's bytes are already uniform
  return value;
}

Mempool::Mempool(std::string chain_id, crypto::SuiteId suite, MempoolLimits limits)
    : chain_id_(std::move(chain_id)), suite_(suite), limits_(limits) {}

std::optional<Rejection> Mempool::CheckRules(const codec::SignedTransaction& signed_transaction,
                                             std::size_t encoded_size, std::uint64_t next_height) const {
  const codec::Transaction& transaction = signed_transaction.transaction;
  if (encoded_size > limits_.max_transaction_bytes) {
    return Rejection{RejectionCode::kTooLarge, "transaction of " + std::to_string(encoded_size) +
                                                   " bytes exceeds " +
                                                   std::to_string(limits_.max_transaction_bytes)};
  }
  if (const Status valid = codec::ValidateSignedTransaction(signed_transaction); !valid.ok()) {
    return Rejection{RejectionCode::kMalformed, valid.message()};
  }
  if (transaction.chain_id != chain_id_) {
    return Rejection{RejectionCode::kWrongChain,
                     "transaction is for chain '" + transaction.chain_id + "', this is '" + chain_id_ + "'"};
  }
  if (transaction.sender_scheme != crypto::GetSuite(suite_).signature) {
    return Rejection{RejectionCode::kWrongScheme, "sender key is not of this chain's signature scheme"};
  }
  if (transaction.expiry_height < next_height) {
    return Rejection{RejectionCode::kExpired, "expiry height " + std::to_string(transaction.expiry_height) +
                                                  " is below the next height " + std::to_string(next_height)};
  }
  if (transaction.expiry_height - next_height > limits_.max_expiry_window_heights) {
    return Rejection{
        RejectionCode::kExpiryTooFar,
        "expiry height is more than " + std::to_string(limits_.max_expiry_window_heights) + " heights ahead"};
  }
  return std::nullopt;
}

void Mempool::PruneIdleBuckets(std::int64_t now_milliseconds) {
  std::erase_if(buckets_, [&](const auto& entry) {
    const TokenBucket& bucket = entry.second;
    const double elapsed_milliseconds =
        static_cast<double>(std::max<std::int64_t>(0, now_milliseconds - bucket.updated_milliseconds));
    return bucket.tokens + elapsed_milliseconds * limits_.account_rate_per_second / 1000.0 >=
           limits_.account_burst;
  });
  // Amortised: the next sweep waits until the map has doubled, so each bucket pays a constant.
  prune_buckets_at_ = std::max(kMinBucketsBeforePruning, 2 * buckets_.size());
}

bool Mempool::TakeToken(const crypto::KeyId& sender, std::int64_t now_milliseconds) {
  if (buckets_.size() >= prune_buckets_at_ && !buckets_.contains(sender)) PruneIdleBuckets(now_milliseconds);
  auto [bucket, created] = buckets_.try_emplace(sender);
  if (created) {
    bucket->second.tokens = limits_.account_burst;
    bucket->second.updated_milliseconds = now_milliseconds;
  }
  const std::int64_t elapsed =
      std::max<std::int64_t>(0, now_milliseconds - bucket->second.updated_milliseconds);
  bucket->second.tokens = std::min<double>(
      limits_.account_burst, bucket->second.tokens + elapsed * limits_.account_rate_per_second / 1000.0);
  bucket->second.updated_milliseconds = now_milliseconds;
  if (bucket->second.tokens < 1) return false;
  bucket->second.tokens -= 1;
  return true;
}

std::variant<crypto::Digest, Rejection> Mempool::Add(codec::SignedTransaction signed_transaction,
                                                     std::size_t encoded_size, std::uint64_t next_height,
                                                     std::int64_t now_milliseconds,
                                                     const exec::StateReader& committed,
                                                     bool signature_verified) {
  if (auto rejection = CheckRules(signed_transaction, encoded_size, next_height)) return *rejection;
  const codec::Transaction& transaction = signed_transaction.transaction;
  const crypto::Digest id = codec::TransactionId(crypto::GetSuite(suite_).hash, transaction);
  if (by_id_.count(id) != 0)
    return Rejection{RejectionCode::kAlreadyPending, "transaction is already pending"};
  // The key id is a hash of the raw key; parsing the key (an OpenSSL object, the larger cost of
  // admitting a transaction whose signature was already checked) waits for the signature check.
  const Result<crypto::KeyId> sender_id =
      crypto::ComputeKeyId(transaction.sender_scheme, transaction.sender_public_key);
  if (!sender_id.ok()) return Rejection{RejectionCode::kBadSignature, sender_id.status().message()};
  const crypto::KeyId& sender = *sender_id;
  // What execution would refuse for a reason committed state already shows (a few reads).
  const Result<exec::ReceiptStatus> admission =
      exec::AdmissionStatus(suite_, committed, transaction, sender, now_milliseconds);
  if (!admission.ok())
    return Rejection{RejectionCode::kMalformed, "cannot read state: " + admission.status().message()};
  if (*admission != exec::ReceiptStatus::kOk) return AdmissionRejection(*admission, transaction.kind);

  // Replay: a committed record of this (sender, nonce) means a duplicate or a reuse.
  const Result<std::optional<Bytes>> used = committed.Get(exec::NonceKey(sender, transaction.nonce));
  if (!used.ok())
    return Rejection{RejectionCode::kMalformed, "cannot read state: " + used.status().message()};
  if (used->has_value()) {
    const Bytes& record = **used;
    const bool same =
        record.size() == 8 + crypto::kDigestSize && std::equal(id.begin(), id.end(), record.begin() + 8);
    if (same) return Rejection{RejectionCode::kAlreadyCommitted, "transaction is already committed"};
    return Rejection{RejectionCode::kNonceReused,
                     "nonce " + std::to_string(transaction.nonce) + " is already used"};
  }
  if (by_sender_nonce_.count({sender, transaction.nonce}) != 0) {
    return Rejection{RejectionCode::kNonceReused,
                     "another pending transaction uses nonce " + std::to_string(transaction.nonce)};
  }
  if (by_id_.size() >= limits_.max_transactions || bytes_ + encoded_size > limits_.max_bytes) {
    return Rejection{RejectionCode::kFull, "mempool is full (" + std::to_string(by_id_.size()) +
                                               " transactions, " + std::to_string(bytes_) +
                                               " bytes); try again later"};
  }
  // The signature last: it is the expensive check.
#ifdef RIGHTCHAIN_BENCH_UNSIGNED
  signature_verified = true;  // the ordering-path benchmark build (CMakeLists.txt)
#endif
  if (!signature_verified) {
    const Result<crypto::PublicKey> sender_key =
        sender_keys_.Get(transaction.sender_scheme, transaction.sender_public_key);
    if (!sender_key.ok()) return Rejection{RejectionCode::kBadSignature, sender_key.status().message()};
    if (const Status verified =
            sender_key->Verify(codec::TransactionSigningBytes(transaction), signed_transaction.signature);
        !verified.ok()) {
      return Rejection{RejectionCode::kBadSignature, verified.message()};
    }
  }
  if (!TakeToken(sender, now_milliseconds)) {
    return Rejection{RejectionCode::kRateLimited, "this account sends faster than " +
                                                      std::to_string(limits_.account_rate_per_second) +
                                                      " transactions per second"};
  }
  by_sender_nonce_[{sender, transaction.nonce}] = id;
  by_expiry_.emplace(transaction.expiry_height, id);
  arrival_order_.push_back(id);
  bytes_ += encoded_size;
  by_id_.emplace(
      id, PendingTransaction{std::move(signed_transaction), id, sender, encoded_size, now_milliseconds});
  return id;
}

std::vector<const PendingTransaction*> Mempool::Reap(std::size_t max_bytes, std::size_t max_count,
                                                     std::uint64_t next_height) const {
  std::vector<const PendingTransaction*> reaped;
  std::size_t bytes = 0;
  for (const crypto::Digest& id : arrival_order_) {
    if (reaped.size() >= max_count) break;
    const auto found = by_id_.find(id);
    if (found == by_id_.end()) continue;
    const PendingTransaction& pending = found->second;
    if (pending.transaction.transaction.expiry_height < next_height) continue;
    if (bytes + pending.encoded_size > max_bytes) break;
    bytes += pending.encoded_size;
    reaped.push_back(&pending);
  }
  return reaped;
}

void Mempool::Erase(const crypto::Digest& id) {
  const auto found = by_id_.find(id);
  if (found == by_id_.end()) return;
  by_sender_nonce_.erase({found->second.sender, found->second.transaction.transaction.nonce});
  by_expiry_.erase({found->second.transaction.transaction.expiry_height, id});
  bytes_ -= found->second.encoded_size;
  by_id_.erase(found);
}

void Mempool::RemoveCommitted(std::span<const crypto::Digest> ids, std::span<const SenderNonce> used_nonces) {
  for (const crypto::Digest& id : ids) Erase(id);
  for (const SenderNonce& used : used_nonces) {
    const auto found = by_sender_nonce_.find({used.sender, used.nonce});
    if (found != by_sender_nonce_.end()) Erase(crypto::Digest(found->second));
  }
  // Compact the arrival queue's front so it does not grow without bound.
  while (!arrival_order_.empty() && by_id_.count(arrival_order_.front()) == 0) arrival_order_.pop_front();
  if (arrival_order_.size() > 2 * by_id_.size() + 1024) {
    std::deque<crypto::Digest> compacted;
    for (const crypto::Digest& id : arrival_order_) {
      if (by_id_.count(id) != 0) compacted.push_back(id);
    }
    arrival_order_.swap(compacted);
  }
}

std::vector<crypto::Digest> Mempool::RemoveExpired(std::uint64_t next_height) {
  std::vector<crypto::Digest> expired;
  for (auto entry = by_expiry_.begin(); entry != by_expiry_.end() && entry->first < next_height; ++entry)
    expired.push_back(entry->second);
  std::sort(expired.begin(), expired.end());  // deterministic order for callers
  RemoveCommitted(expired);
  RC_ASSERT(by_expiry_.size() == by_id_.size());
  return expired;
}

const PendingTransaction* Mempool::Find(const crypto::Digest& id) const {
  const auto found = by_id_.find(id);
  return found == by_id_.end() ? nullptr : &found->second;
}

}  // namespace rightchain::mempool
