// Governance of the consortium (docs/governance.md): members propose and approve changes of the
// member set (admit or remove a validator or observer, change a role) and of the chain
// parameters. A proposal takes effect in the block whose approval brings the approving members'
// voting power above 2/3 of the current total, with at least one regulator-consensus member among
// them when the set has one (the regulators' veto); validator changes reach consensus two heights
// later. Every change appends a validator-set record to the chain of records from genesis.
#pragma once

#include "exec/executor.h"

namespace rightchain::exec {

// Registers kinds 48 (propose) and 49 (approve).
void RegisterGovernanceKinds(Executor& executor);

// Whether `key_id` is the consensus key of a member with voting power (who alone may propose and
// approve).
Result<bool> IsVotingMember(crypto::SuiteId suite, const StateReader& state, const crypto::KeyId& key_id);

}  // namespace rightchain::exec
