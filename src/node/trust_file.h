// The trust file a node serves (GET /v1/trust, docs/proofs.md "The trust file"): genesis and
// every validator-set record since, each with the proof that it was decided on chain.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "node/node_core.h"
#include "proofs/trust.h"

namespace rightchain::node {

// Each validator-set record after genesis with its proof (docs/proofs.md, "The trust file"): the
// deciding transaction's log leaf, found among the deciding block's transactions by the record its
// receipt carries, its inclusion proof and the block's final checkpoint.
Result<std::vector<proofs::ValidatorSetProof>> ValidatorSetProofs(const NodeCore& core);

// The whole trust file, as MakeTrustFile writes it.
Result<std::string> TrustFileOf(const NodeCore& core);

}  // namespace rightchain::node
