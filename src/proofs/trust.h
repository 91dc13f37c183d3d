// The trust anchor: what a verifier believes before it looks at any proof. It is the consortium's
// genesis (and, with governance, the chain of signed validator-set records after it), published
// as a trust file. A verifier never trusts keys that a bundle carries by themselves: every
// checkpoint signer must be a validator of the trust anchor.
//
// Trust file (JSON, docs/proofs.md):
//   {"format": "rightchain-trust/1", "chain_id": "…", "suite": "sm"|"std",
//    "genesis_hash": "<hex>", "genesis": "<hex of the canonical genesis encoding>",
//    "validator_sets": [{"record": "<hex>", "log_index": N, "log_leaf": "<hex>",
//                        "inclusion_proof": ["<hex>", …], "checkpoint": "<signed note>"}, …]}
// Each validator-set record after genesis comes with the log leaf of the transaction that decided
// it (its receipt carries the record), that leaf's inclusion proof, and the deciding block's
// checkpoint signed by more than 2/3 of the validators before the change: a verifier holding
// genesis follows the chain to the current set. "validator_sets" may be absent (no change yet).
// Its hash, printed on every certificate, is the SHA-256 of the file's bytes (`sha256sum`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/hash.h"
#include "crypto/public_key.h"
#include "exec/genesis.h"
#include "exec/governance_state.h"
#include "proofs/signed_note.h"

namespace rightchain::proofs {

inline constexpr std::string_view kTrustFormat = "rightchain-trust/1";
inline constexpr std::size_t kMaxTrustFileSize = 4u << 20;

struct TrustedValidator {
  std::string key_name;  // "<chain id>/<member name>": the name its checkpoint signatures carry
  crypto::PublicKey key;
  std::uint64_t voting_power = 0;
};

// The validators from one height on, as a validator-set record (or genesis) names them.
struct TrustedValidatorSet {
  std::uint64_t sequence = 0;                // of the validator-set record; 0: genesis
  std::uint64_t first_height = 1;            // the record's effective height
  std::vector<TrustedValidator> validators;  // voting members only
  std::uint64_t total_voting_power = 0;
};

// One validator-set record with what proves it was decided on chain.
struct ValidatorSetProof {
  Bytes record;  // exec::EncodeValidatorSetRecord
  std::uint64_t log_index = 0;
  Bytes log_leaf;  // the deciding transaction and its receipt
  std::vector<crypto::Digest> inclusion_proof;
  std::string checkpoint;  // the deciding block's co-signed checkpoint (signed note)
  friend bool operator==(const ValidatorSetProof&, const ValidatorSetProof&) = default;
};

struct TrustAnchor {
  exec::Genesis genesis;
  crypto::Digest genesis_hash{};
  std::vector<TrustedValidator> validators;         // genesis's voting members
  std::uint64_t total_voting_power = 0;             // genesis's
  std::vector<TrustedValidatorSet> validator_sets;  // [0] genesis, then each proven record
  std::vector<ValidatorSetProof> proofs;            // the records after genesis, in order, as proven
  exec::ValidatorSetRecord latest_record;           // the last one followed (genesis's member set first)
  crypto::Digest file_hash{};                       // SHA-256 of the trust file

  // The validators that sign checkpoints of `height` (the latest set in effect there).
  const TrustedValidatorSet& ValidatorsAt(std::uint64_t height) const;
};

// The name a member signs checkpoints with.
std::string CheckpointKeyName(std::string_view chain_id, std::string_view member_name);

// At most this many validator-set records in a trust file.
inline constexpr std::size_t kMaxTrustedValidatorSets = 10'000;

std::string MakeTrustFile(const exec::Genesis& genesis,
                          const std::vector<ValidatorSetProof>& validator_sets = {});
// The trust file of everything the anchor holds (after FollowValidatorSets: a newer file).
std::string MakeTrustFile(const TrustAnchor& anchor);
// Strict: the format, the genesis decoding and its hash must agree, and every validator-set
// record must follow from the one before it (sequence, previous hash), be the result of the leaf,
// the leaf be in the checkpoint's log, and the checkpoint be of the deciding height with
// signatures of more than 2/3 of the previous set's power. The error names the record at fault.
Result<TrustAnchor> ParseTrustFile(std::string_view text);
TrustAnchor TrustAnchorFromGenesis(const exec::Genesis& genesis);

// Follows validator-set records beyond those the anchor holds (a bundle carries them for a
// verifier whose trust file is older than the bundle), each checked as ParseTrustFile checks
// its records. A record of a sequence the anchor holds already must be that record byte for byte:
// a different one is a fork signed by a set that was replaced, and is refused. Returns how many
// records were new; on error the anchor is unchanged.
Result<std::size_t> FollowValidatorSets(TrustAnchor& anchor, const std::vector<ValidatorSetProof>& proofs);

// Validators as note verification keys, in the set's order.
std::vector<NoteKey> TrustedNoteKeys(const TrustedValidatorSet& set);
std::vector<NoteKey> TrustedNoteKeys(const TrustAnchor& anchor);  // genesis's

}  // namespace rightchain::proofs
