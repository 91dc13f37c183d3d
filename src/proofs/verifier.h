// The offline verifier of proof bundles (docs/proofs.md, "Verification"): given a bundle, the
// trust anchor, and optionally the registered file, it checks every link from the file to
// signatures by more than 2/3 of the trusted voting power, and names exactly which check failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "exec/record_payloads.h"
#include "exec/record_store.h"
#include "proofs/bundle.h"
#include "proofs/trust.h"

namespace rightchain::proofs {

// Which check failed. Stable snake_case names (CheckName) for tools and tests.
enum class Check {
  kNone,                  // every check passed
  kBundle,                // the bundle is malformed (a field does not decode)
  kUnknownTrustAnchor,    // the trust file is not this chain's, or does not decode
  kWrongChain,            // the bundle or its checkpoint is of another chain
  kUnknownSigner,         // the bundle names a signer key that the trust anchor does not hold
  kTooFewSignatures,      // valid signatures of trusted validators hold no more than 2/3 of the power
  kCheckpoint,            // the checkpoint does not name the bundle's block and log
  kInclusionProof,        // the log leaf is not in the checkpoint's log
  kRecord,                // the log leaf's transaction and receipt do not commit to this record
  kBatchProof,            // the batch item is not in the batch's records root
  kContentHash,           // the file's hash is not the registered content hash
  kConsistencyProof,      // the newer checkpoint does not extend the block's log
  kValidatorSet,          // a validator-set record the bundle carries does not follow, or forks one held
  kReplacedValidatorSet,  // the checkpoint is signed by a set that a held record replaced before its height
  kGenesisHash,           // the trust file's genesis is not the pinned one
};
std::string_view CheckName(Check check);

struct VerifiedRecord {
  std::uint64_t record_id = 0;
  std::optional<std::uint32_t> item;
  std::string type;     // "work", "indexed-batch item", "anchor-batch item", "evidence", …
  bool indexed = true;  // false for anchor-only batch items: the chain never saw them
  std::optional<exec::WorkDescription> work;
  crypto::Digest transaction_id{};
  crypto::KeyId signing_key{};  // the key that signed the transaction (its account is in the record)
  std::uint64_t height = 0;
  std::int64_t block_time_milliseconds = 0;  // the trusted time
  std::uint64_t log_index = 0;
  std::uint64_t log_size = 0;
  std::vector<std::string> signers;  // key names of the valid signatures
  std::uint64_t signed_voting_power = 0;
  std::uint64_t total_voting_power = 0;
  std::vector<exec::Conflict> conflicts;        // prior registrations of the same content by others
  std::optional<std::uint64_t> newer_log_size;  // when a newer checkpoint was also verified
  crypto::Digest genesis_hash{};                // of the trust anchor's genesis it was verified against
  std::uint64_t validator_set = 0;              // the sequence of the set that signed (0: genesis's)
  std::size_t followed_validator_sets = 0;      // records the bundle carried beyond the trust file
};

struct Verification {
  Check failed = Check::kNone;
  std::string message;  // what failed, in words
  VerifiedRecord record;
  bool ok() const { return failed == Check::kNone; }
};

// The trust anchor is extended, for this verification only, by the validator-set records the
// bundle carries (FollowValidatorSets); to keep them, follow them into the anchor first.
Verification VerifyBundle(const Bundle& bundle, const TrustAnchor& trust, std::optional<ByteView> file);

// Checks the anchor's genesis hash against one the user pinned (the genesis hash a certificate
// prints): a trust file is self-certifying, so only a pinned hash ties it to the chain meant.
Verification CheckPinnedGenesis(const TrustAnchor& trust, const crypto::Digest& pinned_genesis_hash);

}  // namespace rightchain::proofs
