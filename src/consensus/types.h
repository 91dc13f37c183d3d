// Basic consensus types: heights, rounds, block identities, votes and proposals.
//
// Blocks are opaque to the engine: it sees a 32-byte block hash and the block time that the
// proposer chose (proposer-based timestamps). The host builds, stores and validates blocks.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <variant>

#include "base/bytes.h"
#include "crypto/hash.h"

namespace rightchain::consensus {

using Height = std::uint64_t;
using Round = std::int32_t;             // -1 means "no round" (nil lockedRound / validRound / POL round)
using ValidatorIndex = std::uint32_t;   // position in the validator set of the message's height
using TimeMilliseconds = std::int64_t;  // milliseconds since the Unix epoch (or the simulation start)
using BlockHash = crypto::Digest;

inline constexpr Round kNoRound = -1;
// Bounds on what we accept from the network (never allocate or loop on an unchecked value).
inline constexpr Round kMaxRound = 1 << 20;
inline constexpr std::size_t kMaxSignatureSize = 128;
inline constexpr std::size_t kMaxValidators = 1024;

enum class VoteType : std::uint8_t {
  kPrevote = 1,
  kPrecommit = 2,
};

// The steps of one round, in order; signer safety compares (height, round, step) lexicographically.
enum class Step : std::uint8_t {
  kPropose = 1,
  kPrevote = 2,
  kPrecommit = 3,
};

inline Step StepOf(VoteType type) {
  return type == VoteType::kPrevote ? Step::kPrevote : Step::kPrecommit;
}

struct Vote {
  VoteType type = VoteType::kPrevote;
  Height height = 0;
  Round round = 0;
  std::optional<BlockHash> block_hash;  // nullopt = a vote for nil
  ValidatorIndex validator = 0;
  Bytes signature;

  friend bool operator==(const Vote&, const Vote&) = default;
};

struct Proposal {
  Height height = 0;
  Round round = 0;
  Round pol_round = kNoRound;  // validRound of the proposer (Algorithm 1's vr), -1 if fresh
  BlockHash block_hash{};
  TimeMilliseconds block_time = 0;  // proposer-based timestamp; equals the block header's time
  ValidatorIndex proposer = 0;
  Bytes signature;

  friend bool operator==(const Proposal&, const Proposal&) = default;
};

using Message = std::variant<Proposal, Vote>;

// Two validly signed, conflicting votes from one validator for one (height, round, type).
struct DuplicateVoteEvidence {
  Vote first;
  Vote second;
  friend bool operator==(const DuplicateVoteEvidence&, const DuplicateVoteEvidence&) = default;
};

}  // namespace rightchain::consensus
