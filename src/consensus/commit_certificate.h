// A commit certificate: precommits for one block at one (height, round) from more than 2/3 of the
// voting power of that height's validator set. The canonical certificate of height h is the one
// carried in block h+1 (its "last commit"); until then a node keeps the one it assembled.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "consensus/signer.h"
#include "consensus/types.h"
#include "consensus/validator_set.h"

namespace rightchain::consensus {

struct CommitCertificate {
  Height height = 0;
  Round round = 0;
  BlockHash block_hash{};
  std::vector<Vote> precommits;  // sorted by validator index, one per validator
  friend bool operator==(const CommitCertificate&, const CommitCertificate&) = default;
};

// Checks that every precommit is for (height, round, block_hash), from a distinct member of
// `validators`, correctly signed, and that together they hold more than 2/3 of the power.
Status VerifyCommitCertificate(std::string_view chain_id, const CommitCertificate& certificate,
                               const ValidatorSet& validators, const SignatureVerifier& verifier);

}  // namespace rightchain::consensus
