// A proof bundle: everything needed to check one record offline (docs/proofs.md, with its JSON
// Schema). For a registration, a batch item or an evidence record it carries
//   - the record: a WorkDescription (a work or a batch item) or the payload of another record;
//   - for a batch item, the item's inclusion proof in the batch's records root;
//   - the log leaf (the signed transaction and the chain's receipt), its index in the global log
//     and its inclusion proof;
//   - the header of the block that committed it, and that block's checkpoint co-signed by the
//     validators (a C2SP signed note whose block-hash line names the header);
//   - the signers' public keys with their key ids, for reading only: the verifier takes keys from
//     the trust file and refuses a bundle naming a key the trust file does not hold;
//   - optionally a newer co-signed checkpoint and the consistency proof from the block's log to it;
//   - from format 2 on, the chain's validator-set records with their proofs (as the trust file
//     carries them), so that a verifier whose trust file is older follows them to the set that
//     signed the checkpoint, and learns which sets were replaced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"
#include "crypto/suite.h"
#include "proofs/trust.h"

namespace rightchain::proofs {

// Format 1 has no validator-set records; a bundle that carries some is format 2 (a format-1
// verifier refuses it rather than skip what it does not know).
inline constexpr std::string_view kBundleFormat = "rightchain-bundle/1";
inline constexpr std::string_view kBundleFormatWithValidatorSets = "rightchain-bundle/2";
inline constexpr std::size_t kMaxBundleSize = 8u << 20;
inline constexpr std::size_t kMaxProofHashes = 64;
inline constexpr std::size_t kMaxBundleSigners = 256;

struct BatchItemProof {
  std::uint64_t leaf_index = 0;  // the item's index in the batch
  std::uint64_t tree_size = 0;   // the batch's item count
  std::vector<crypto::Digest> inclusion_proof;
  friend bool operator==(const BatchItemProof&, const BatchItemProof&) = default;
};

struct BundleSigner {
  std::string name;
  Bytes public_key;
  std::string key_id;  // 8 hex digits: the note key id
  friend bool operator==(const BundleSigner&, const BundleSigner&) = default;
};

struct NewerCheckpoint {
  std::string checkpoint;  // a signed note
  std::vector<crypto::Digest> consistency_proof;
  friend bool operator==(const NewerCheckpoint&, const NewerCheckpoint&) = default;
};

struct Bundle {
  std::string chain_id;
  crypto::SuiteId suite = crypto::SuiteId::kStd;
  std::uint64_t record_id = 0;
  std::optional<std::uint32_t> item;  // a batch item
  Bytes record;
  std::optional<BatchItemProof> batch_proof;
  Bytes log_leaf;
  std::uint64_t log_index = 0;
  std::vector<crypto::Digest> inclusion_proof;
  Bytes block_header;
  std::string checkpoint;
  std::vector<BundleSigner> signers;
  std::optional<NewerCheckpoint> newer;
  std::vector<ValidatorSetProof> validator_sets;  // records 1, 2, … (or from any held one on)
  friend bool operator==(const Bundle&, const Bundle&) = default;
};

std::string EncodeBundleJson(const Bundle& bundle);
// Strict: every required field present with its type, hex and sizes checked, no unknown fields.
Result<Bundle> ParseBundleJson(std::string_view text);

}  // namespace rightchain::proofs
