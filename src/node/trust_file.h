// The trust file a node serves (GET /v1/trust, docs/proofs.md "The trust file"): genesis and
// every validator-set record since, each with the proof that it was decided on chain; and a
// record's proof bundle (GET /v1/bundles/{id}), which carries the same records.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/node_core.h"
#include "proofs/bundle.h"
#include "proofs/trust.h"

namespace rightchain::node {

// Each validator-set record after genesis with its proof (docs/proofs.md, "The trust file"): the
// deciding transaction's log leaf, found among the deciding block's transactions by the record its
// receipt carries, its inclusion proof and the block's final checkpoint. With `available_only`,
// the records up to the first whose deciding block has no final checkpoint here yet (a bundle
// needs no record decided after its own block, and should not fail for one); otherwise that is
// an error (a trust file is complete or not served).
Result<std::vector<proofs::ValidatorSetProof>> ValidatorSetProofs(const ledger::ChainView& chain,
                                                                  const exec::Genesis& genesis,
                                                                  bool available_only = false);

// The whole trust file, as MakeTrustFile writes it.
Result<std::string> TrustFileOf(const NodeCore& core);

// Everything the node holds for the bundle of record `id` (an item's record and batch proof come
// from the platform that registered the batch: `rightchain bundle --batch-proof`), with every
// validator-set record the node can prove, so that a verifier with an older trust file follows
// them to the set that signed the bundle's checkpoint and learns which sets were replaced.
// What a bundle is read from: one consistent view of the chain (any thread may read it), the
// genesis and the members (for the signers' names).
struct ChainReadContext {
  const ledger::ChainView& chain;
  const exec::Genesis& genesis;
  const MemberTable& members;
};
Result<proofs::Bundle> BundleOf(const ChainReadContext& context, std::uint64_t id,
                                std::optional<std::uint32_t> item);
// The same, from the view of the core's latest commit (core thread).
Result<proofs::Bundle> BundleOf(const NodeCore& core, std::uint64_t id, std::optional<std::uint32_t> item);

}  // namespace rightchain::node
