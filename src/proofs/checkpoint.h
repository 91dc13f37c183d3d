// Checkpoints of the global log (c2sp.org/tlog-checkpoint): the body a validator signs for each
// committed block, as a signed note (signed_note.h).
//
//   <origin: the chain id>\n
//   <log size in decimal>\n
//   <base64 of the log root>\n
//   height <block height in decimal>\n
//   block-hash <block hash, 64 lowercase hex digits>\n
//
// The first three lines are the C2SP checkpoint; the two extension lines bind it to the block
// whose header carries that log size and root, so a checkpoint also names a block of the chain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/hash.h"

namespace rightchain::proofs {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  crypto::Digest root{};
  std::uint64_t height = 0;
  crypto::Digest block_hash{};
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// Asserts a valid origin (1..64 characters of [a-z0-9._-], the chain id rule).
std::string CheckpointBody(const Checkpoint& checkpoint);
// Strict: exactly the five lines above, canonical decimal (no sign, no leading zeros) and base64.
Result<Checkpoint> ParseCheckpointBody(std::string_view text);

}  // namespace rightchain::proofs
