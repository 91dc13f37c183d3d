#include "node/trust_file.h"

#include "exec/governance_state.h"
#include "ledger/block.h"

namespace rightchain::node {

Result<std::vector<proofs::ValidatorSetProof>> ValidatorSetProofs(const NodeCore& core) {
  const ledger::ChainStore& store = core.store();
  std::vector<proofs::ValidatorSetProof> proofs;
  RC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> latest,
                      exec::LatestValidatorSetSequence(store.state()));
  const crypto::HashAlgorithm hash = crypto::GetSuite(core.genesis().suite).hash;
  for (std::uint64_t sequence = 1; latest.has_value() && sequence <= *latest; ++sequence) {
    RC_ASSIGN_OR_RETURN(const std::optional<exec::ValidatorSetRecord> record,
                        exec::LoadValidatorSetRecord(store.state(), sequence));
    if (!record.has_value())
      return Status::Corruption("validator-set record " + std::to_string(sequence) + " is missing");
    proofs::ValidatorSetProof proof;
    proof.record = exec::EncodeValidatorSetRecord(*record);
    RC_ASSIGN_OR_RETURN(const std::optional<ledger::Block> block, store.BlockAt(record->decided_height));
    if (!block.has_value())
      return Status::Corruption("the deciding block of a validator-set record is missing");
    RC_ASSIGN_OR_RETURN(const std::optional<std::string> checkpoint,
                        core.CheckpointAt(record->decided_height));
    if (!checkpoint.has_value()) {
      return Status::NotFound("this node holds no final checkpoint of height " +
                              std::to_string(record->decided_height) + " yet; ask another node or retry");
    }
    proof.checkpoint = *checkpoint;
    bool found = false;
    for (const codec::SignedTransaction& transaction : block->transactions) {
      RC_ASSIGN_OR_RETURN(const std::optional<ledger::TransactionLocation> location,
                          store.FindTransaction(codec::TransactionId(hash, transaction.transaction)));
      if (!location.has_value()) continue;
      RC_ASSIGN_OR_RETURN(const ledger::LogLeaf leaf, store.LeafAt(location->log_index));
      const Result<exec::GovernanceResult> result = exec::DecodeGovernanceResult(leaf.receipt.result);
      if (!leaf.receipt.ok() || !result.ok() || result->validator_set_record != proof.record) continue;
      proof.log_leaf = ledger::EncodeLogLeaf(leaf);
      proof.log_index = location->log_index;
      RC_ASSIGN_OR_RETURN(proof.inclusion_proof,
                          store.log().InclusionProof(location->log_index, block->header.log_size));
      found = true;
      break;
    }
    if (!found)
      return Status::Corruption("no transaction of its block decided validator-set record " +
                                std::to_string(sequence));
    proofs.push_back(std::move(proof));
  }
  return proofs;
}

Result<std::string> TrustFileOf(const NodeCore& core) {
  RC_ASSIGN_OR_RETURN(const std::vector<proofs::ValidatorSetProof> validator_sets, ValidatorSetProofs(core));
  return proofs::MakeTrustFile(core.genesis(), validator_sets);
}

}  // namespace rightchain::node
