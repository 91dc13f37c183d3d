// Receipt: what the chain decided about one transaction. It is part of the transaction's log leaf,
// so a proof shows the decision (status, assigned ids, conflict flags), not only the submission.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "codec/reader.h"
#include "codec/writer.h"
#include "crypto/hash.h"

namespace rightchain::exec {

// Wire values are stable: append new codes, never renumber.
enum class ReceiptStatus : std::uint16_t {
  kOk = 0,
  kWrongChain = 1,        // chain_id is another chain's
  kWrongScheme = 2,       // the sender's key is not of the chain's suite
  kExpired = 3,           // expiry_height is below the block's height
  kExpiryTooFar = 4,      // expiry_height is beyond the allowed window
  kBadSignature = 5,      // the signature does not verify
  kNonceReused = 6,       // another transaction of this sender used this nonce
  kDuplicate = 7,         // this very transaction was committed before (it keeps its first receipt)
  kUnknownKind = 8,       // no handler for the transaction kind
  kMalformedPayload = 9,  // the payload does not decode
  kPayloadTooLarge = 10,  // the payload exceeds the kind's limit
  // Copyright records (docs/records.md).
  kUnknownAccount = 11,      // the sender, or an account the payload names, has no account
  kAccountExists = 12,       // the key or account is already registered
  kMissingRole = 13,         // the sender's account lacks the kind this transaction needs
  kBadShares = 14,           // owners' shares are not positive, unique and summing to 10,000
  kFieldTooLarge = 15,       // a field exceeds its documented limit
  kKeyNotCurrent = 16,       // the sender's key was rotated away or revoked
  kUnknownRecord = 17,       // the payload refers to a record (or batch item) that does not exist
  kInvalidField = 18,        // a field is empty, out of range or inconsistent
  kNoAttestation = 19,       // the authority holds no identity attestation of the account
  kBadKeyProof = 20,         // the new key's proof of possession does not verify
  kAlreadyTimeStamped = 21,  // the digest was time-stamped before: the result names that record
  // Governance (docs/governance.md).
  kNotAMember = 22,       // the signer is not a voting member of the consortium
  kUnknownProposal = 23,  // no proposal has this id
  kProposalClosed = 24,   // the proposal was executed or has expired
  kAlreadyApproved = 25,  // this member approved the proposal before
  // Quotas (docs/records.md, "Accounts").
  kQuotaExceeded = 26,  // the sponsor created its day's quota of accounts
};
inline constexpr std::uint16_t kMaxReceiptStatus = 26;

// Stable snake_case name, as the node API reports it ("nonce_reused").
std::string_view ReceiptStatusName(ReceiptStatus status);

inline constexpr std::string_view kReceiptDomainType = "rightchain/receipt";
inline constexpr std::uint8_t kReceiptVersion = 1;
// An indexed batch reports each of its up to 10,000 items that conflict (24 bytes each).
inline constexpr std::size_t kMaxReceiptResultSize = 256 * 1024;

struct Receipt {
  crypto::Digest transaction_id{};
  std::uint64_t height = 0;
  std::uint32_t index_in_block = 0;
  ReceiptStatus status = ReceiptStatus::kOk;
  Bytes result;  // kind-specific output (an assigned record id, conflicts), at most kMaxReceiptResultSize

  bool ok() const { return status == ReceiptStatus::kOk; }
  friend bool operator==(const Receipt&, const Receipt&) = default;
};

// Layout: tag "rightchain/receipt", version u8 = 1, transaction_id [32], height u64,
// index_in_block u32, status u16, result bytes(≤ 262,144).
Bytes EncodeReceipt(const Receipt& receipt);
Result<Receipt> DecodeReceipt(ByteView encoding);
// For objects that embed a receipt whole (a log leaf): one receipt at the current position.
void WriteReceipt(codec::Writer& writer, const Receipt& receipt);
Result<Receipt> ReadReceipt(codec::Reader& reader);
inline constexpr std::size_t kMinReceiptEncodedSize = 2 + kReceiptDomainType.size() + 1 + 32 + 8 + 4 + 2 + 4;

}  // namespace rightchain::exec
