// The trust anchor: what a verifier believes before it looks at any proof. It is the consortium's
// genesis (and, with governance, the chain of signed validator-set records after it), published
// as a trust file. A verifier never trusts keys that a bundle carries by themselves: every
// checkpoint signer must be a validator of the trust anchor.
//
// Trust file (JSON, docs/proofs.md):
//   {"format": "rightchain-trust/1", "chain_id": "…", "suite": "sm"|"std",
//    "genesis_hash": "<hex>", "genesis": "<hex of the canonical genesis encoding>"}
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
#include "proofs/signed_note.h"

namespace rightchain::proofs {

inline constexpr std::string_view kTrustFormat = "rightchain-trust/1";
inline constexpr std::size_t kMaxTrustFileSize = 4u << 20;

struct TrustedValidator {
  std::string key_name;  // "<chain id>/<member name>": the name its checkpoint signatures carry
  crypto::PublicKey key;
  std::uint64_t voting_power = 0;
};

struct TrustAnchor {
  exec::Genesis genesis;
  crypto::Digest genesis_hash{};
  std::vector<TrustedValidator> validators;  // voting members only
  std::uint64_t total_voting_power = 0;
  crypto::Digest file_hash{};  // SHA-256 of the trust file
};

// The name a member signs checkpoints with.
std::string CheckpointKeyName(std::string_view chain_id, std::string_view member_name);

std::string MakeTrustFile(const exec::Genesis& genesis);
// Strict: the format, the genesis decoding and its hash must agree.
Result<TrustAnchor> ParseTrustFile(std::string_view text);
TrustAnchor TrustAnchorFromGenesis(const exec::Genesis& genesis);

// The trusted validators as note verification keys, in the anchor's order.
std::vector<NoteKey> TrustedNoteKeys(const TrustAnchor& anchor);

}  // namespace rightchain::proofs
