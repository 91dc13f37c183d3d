#include "node/trust_file.h"

#include <cstdio>

#include "exec/governance_state.h"
#include "exec/record_store.h"
#include "ledger/block.h"
#include "proofs/signed_note.h"

namespace rightchain::node {
namespace {

// The signers of a checkpoint note, with the keys the chain's members hold (for reading only: the
// verifier takes keys from the trust file).
std::vector<proofs::BundleSigner> SignersOf(const std::string& note_text, const ChainReadContext& context) {
  std::vector<proofs::BundleSigner> signers;
  const Result<proofs::SignedNote> note = proofs::ParseSignedNote(note_text);
  if (!note.ok()) return signers;
  const exec::Genesis& genesis = context.genesis;
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis.suite).signature;
  for (const proofs::NoteSignature& signature : note->signatures) {
    for (const TableMember& member : context.members.members()) {
      if (proofs::CheckpointKeyName(genesis.chain_id, member.name) != signature.key_name) continue;
      const Result<crypto::PublicKey> key = crypto::PublicKey::FromRaw(scheme, member.consensus_public_key);
      if (!key.ok() || proofs::NoteKeyId(signature.key_name, *key) != signature.key_id) continue;
      char key_id[9];
      std::snprintf(key_id, sizeof(key_id), "%08x", signature.key_id);
      signers.push_back({signature.key_name, member.consensus_public_key, key_id});
    }
  }
  return signers;
}

}  // namespace

Result<proofs::Bundle> BundleOf(const ChainReadContext& context, std::uint64_t id,
                                std::optional<std::uint32_t> item) {
  const ledger::ChainView& store = context.chain;
  RC_ASSIGN_OR_RETURN(const std::optional<exec::Record> record, exec::LoadRecord(store.state(), id));
  if (!record.has_value()) return Status::NotFound("no record " + std::to_string(id));
  const bool batch =
      record->type == exec::RecordType::kIndexedBatch || record->type == exec::RecordType::kAnchorBatch;
  if (record->type == exec::RecordType::kAttestation) {
    return Status::InvalidArgument(
        "identity attestations are checked with the attesting authority, not by bundle");
  }
  if (batch != item.has_value()) {
    return Status::InvalidArgument(batch ? "a batch's bundle is per item: add ?item=N"
                                         : "only a batch has items");
  }
  RC_ASSIGN_OR_RETURN(const std::optional<ledger::TransactionLocation> location,
                      store.FindTransaction(record->transaction_id));
  if (!location.has_value()) return Status::Corruption("the record's transaction is not in the log");
  RC_ASSIGN_OR_RETURN(const std::optional<ledger::Block> block, store.BlockAt(location->height));
  if (!block.has_value()) return Status::Corruption("the record's block is missing");
  RC_ASSIGN_OR_RETURN(const std::optional<std::string> checkpoint,
                      NodeCore::CheckpointAt(store, location->height));
  if (!checkpoint.has_value()) {
    return Status::NotFound("this node holds no final checkpoint of height " +
                            std::to_string(location->height) + " yet; ask another node or retry");
  }
  proofs::Bundle bundle;
  bundle.chain_id = context.genesis.chain_id;
  bundle.suite = context.genesis.suite;
  bundle.record_id = id;
  bundle.item = item;
  if (!batch) bundle.record = record->body;
  RC_ASSIGN_OR_RETURN(const ledger::LogLeaf leaf, store.LeafAt(location->log_index));
  bundle.log_leaf = ledger::EncodeLogLeaf(leaf);
  bundle.log_index = location->log_index;
  RC_ASSIGN_OR_RETURN(bundle.inclusion_proof,
                      store.log().InclusionProof(location->log_index, block->header.log_size));
  bundle.block_header = ledger::EncodeBlockHeader(block->header);
  bundle.checkpoint = *checkpoint;
  bundle.signers = SignersOf(*checkpoint, context);
  RC_ASSIGN_OR_RETURN(bundle.validator_sets,
                      ValidatorSetProofs(store, context.genesis, /*available_only=*/true));
  return bundle;
}

Result<proofs::Bundle> BundleOf(const NodeCore& core, std::uint64_t id, std::optional<std::uint32_t> item) {
  const std::shared_ptr<const ledger::ChainView> view = core.store().View();
  return BundleOf(ChainReadContext{*view, core.genesis(), core.members()}, id, item);
}

Result<std::vector<proofs::ValidatorSetProof>> ValidatorSetProofs(const ledger::ChainView& store,
                                                                  const exec::Genesis& genesis,
                                                                  bool available_only) {
  std::vector<proofs::ValidatorSetProof> proofs;
  RC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> latest,
                      exec::LatestValidatorSetSequence(store.state()));
  const crypto::HashAlgorithm hash = crypto::GetSuite(genesis.suite).hash;
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
                        NodeCore::CheckpointAt(store, record->decided_height));
    if (!checkpoint.has_value()) {
      if (available_only) break;
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
  const std::shared_ptr<const ledger::ChainView> view = core.store().View();
  RC_ASSIGN_OR_RETURN(const std::vector<proofs::ValidatorSetProof> validator_sets,
                      ValidatorSetProofs(*view, core.genesis()));
  return proofs::MakeTrustFile(core.genesis(), validator_sets);
}

}  // namespace rightchain::node
