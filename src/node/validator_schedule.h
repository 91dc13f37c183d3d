// ValidatorSchedule: which validators vote at which height. Governance changes the set by
// transaction (docs/governance.md); the changes a block decides at height h take effect at h + 2.
// The schedule replays the sets from genesis and the chain's validator-set records once, then
// moves forward one committed height at a time exactly as the consensus engine does, so both
// always agree on the set (and on the proposer priorities) of the height being decided.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "consensus/validator_set.h"
#include "exec/executor.h"
#include "exec/genesis.h"
#include "exec/governance_state.h"
#include "exec/state.h"

namespace rightchain::node {

// The one form of a block's validator changes that every node hands to its engine: the last change
// of each key wins, changes that leave a key's power as `before` has it are dropped, and the rest
// are sorted by public key. `before` is the set the changes apply to (the next height's).
std::vector<consensus::ValidatorUpdate> CanonicalValidatorUpdates(
    const consensus::ValidatorSet& before, std::span<const exec::ValidatorChange> changes);

// The genesis validators, in genesis order (observers excluded).
Result<consensus::ValidatorSet> GenesisValidatorSet(const exec::Genesis& genesis);

class ValidatorSchedule {
 public:
  // The schedule at `next_height` (the height consensus decides next), replayed from genesis
  // through the validator-set records in `state` (the committed state of height next_height - 1).
  static Result<ValidatorSchedule> Replay(const exec::Genesis& genesis, const exec::StateReader& state,
                                          std::uint64_t next_height);

  std::uint64_t height() const { return height_; }
  const consensus::ValidatorSet& validators() const { return validators_; }            // of height()
  const consensus::ValidatorSet& next_validators() const { return next_validators_; }  // of height() + 1

  // Height height() was committed with these changes (CanonicalValidatorUpdates against
  // next_validators()). Fails, changing nothing, if they would leave no validator.
  Status Advance(const std::vector<consensus::ValidatorUpdate>& updates);

  // The validators (keys, powers and order; the proposer priorities are not kept) of any height
  // from 1 to height() + 1.
  const consensus::ValidatorSet& ValidatorsAt(std::uint64_t height) const;

 private:
  // A stretch of heights with one set of validators, from `first_height` until the next epoch.
  struct Epoch {
    std::uint64_t first_height = 1;
    consensus::ValidatorSet validators;
  };
  void NoteEpoch(std::uint64_t first_height, const consensus::ValidatorSet& validators);

  std::uint64_t height_ = 1;
  consensus::ValidatorSet validators_;
  consensus::ValidatorSet next_validators_;
  std::vector<Epoch> epochs_;  // ascending first_height; one per change of the set (bounded by governance)
};

}  // namespace rightchain::node
