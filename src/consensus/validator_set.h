// The validators of one height, their voting powers, the quorum arithmetic and the weighted
// round-robin proposer rotation (CometBFT's proposer-priority algorithm).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "consensus/types.h"

namespace rightchain::consensus {

inline constexpr std::int64_t kMaxVotingPower = std::int64_t{1} << 40;

struct Validator {
  Bytes public_key;
  std::int64_t voting_power = 0;
  std::int64_t proposer_priority = 0;
  friend bool operator==(const Validator&, const Validator&) = default;
};

// A change decided in a block: set a validator's power (0 removes it; a new key adds it).
struct ValidatorUpdate {
  Bytes public_key;
  std::int64_t voting_power = 0;
  friend bool operator==(const ValidatorUpdate&, const ValidatorUpdate&) = default;
};

class ValidatorSet {
 public:
  ValidatorSet() = default;
  // Validators keep the given order (indices in votes refer to it); priorities start at zero
  // unless given. Fails on empty sets, duplicate keys, or powers out of (0, kMaxVotingPower].
  static Result<ValidatorSet> Create(std::vector<Validator> validators);

  std::size_t size() const { return validators_.size(); }
  const Validator& at(ValidatorIndex index) const;
  const std::vector<Validator>& validators() const { return validators_; }
  std::int64_t total_power() const { return total_power_; }
  std::optional<ValidatorIndex> IndexOf(ByteView public_key) const;

  // Strictly more than 2/3 of the total power (never "at least").
  bool IsQuorum(std::int64_t power) const;
  // Strictly more than 1/3: at least one honest validator is among them (f+1 in Algorithm 1).
  bool IsOneThirdPlus(std::int64_t power) const;

  // The proposer of `round` at this set's height: the priorities advanced `round` more times.
  ValidatorIndex ProposerForRound(Round round) const;

  // The set of the next height: the priorities advanced once (CometBFT's IncrementProposerPriority(1)).
  ValidatorSet NextHeight() const;

  // Applies updates (in order); new validators start at priority -1.125 * total power as in
  // CometBFT, so that joining does not make a validator propose at once. Fails if the result is
  // empty or invalid.
  Result<ValidatorSet> WithUpdates(const std::vector<ValidatorUpdate>& updates) const;

  friend bool operator==(const ValidatorSet&, const ValidatorSet&) = default;

 private:
  // One step of the rotation: every priority grows by its power, the highest (ties: lowest index)
  // proposes and drops by the total power. Returns the chosen proposer.
  ValidatorIndex IncrementOnce();
  void CenterPriorities();
  void RecomputeTotal();

  std::vector<Validator> validators_;
  std::int64_t total_power_ = 0;
};

}  // namespace rightchain::consensus
