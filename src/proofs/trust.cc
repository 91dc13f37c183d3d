#include "proofs/trust.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/assert.h"
#include "exec/executor.h"
#include "exec/governance_state.h"
#include "ledger/block.h"
#include "merkle/proof.h"
#include "merkle/tree_hash.h"
#include "proofs/checkpoint.h"

namespace rightchain::proofs {
namespace {

using Json = nlohmann::json;

Result<std::string> StringField(const Json& json, std::string_view name) {
  const auto found = json.find(std::string(name));
  if (found == json.end() || !found->is_string()) {
    return Status::InvalidArgument("trust file: \"" + std::string(name) + "\" must be a string");
  }
  return found->get<std::string>();
}

// The voting members of a validator-set record, as checkpoint signers.
Result<TrustedValidatorSet> SetFromRecord(const exec::ValidatorSetRecord& record,
                                          const exec::Genesis& genesis) {
  TrustedValidatorSet set;
  set.sequence = record.sequence;
  set.first_height = record.effective_height;
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis.suite).signature;
  for (const exec::Member& member : record.members) {
    if (member.voting_power == 0) continue;
    RC_ASSIGN_OR_RETURN(const crypto::PublicKey key, crypto::PublicKey::FromRaw(scheme, member.public_key));
    set.validators.push_back({CheckpointKeyName(genesis.chain_id, member.name), key, member.voting_power});
    set.total_voting_power += member.voting_power;
  }
  if (set.validators.empty()) return Status::InvalidArgument("the record leaves no validator");
  return set;
}

// Record n + 1 follows from record n, was decided by the leaf's transaction, and the leaf is in the
// log of the deciding block's checkpoint, signed by more than 2/3 of the validators of that height.
Status CheckValidatorSetProof(const TrustAnchor& anchor, const exec::ValidatorSetRecord& previous,
                              const ValidatorSetProof& proof, exec::ValidatorSetRecord& record) {
  const exec::Genesis& genesis = anchor.genesis;
  const crypto::HashAlgorithm hash = crypto::GetSuite(genesis.suite).hash;
  RC_ASSIGN_OR_RETURN(record, exec::DecodeValidatorSetRecord(proof.record));
  if (record.sequence != previous.sequence + 1 ||
      record.previous_hash != exec::ValidatorSetRecordHash(hash, previous)) {
    return Status::VerificationFailed("it does not follow record " + std::to_string(previous.sequence));
  }
  if (record.decided_height < previous.decided_height || record.decided_height == 0 ||
      record.effective_height != record.decided_height + 2) {
    return Status::VerificationFailed("its heights are out of order");
  }
  RC_ASSIGN_OR_RETURN(const ledger::LogLeaf leaf, ledger::DecodeLogLeaf(proof.log_leaf));
  const codec::Transaction& transaction = leaf.transaction.transaction;
  const bool governance = transaction.kind == static_cast<std::uint16_t>(exec::TransactionKind::kPropose) ||
                          transaction.kind == static_cast<std::uint16_t>(exec::TransactionKind::kApprove);
  if (transaction.chain_id != genesis.chain_id || !governance || !leaf.receipt.ok() ||
      leaf.receipt.height != record.decided_height) {
    return Status::VerificationFailed(
        "the log leaf is not a successful governance transaction of its height");
  }
  RC_ASSIGN_OR_RETURN(const exec::GovernanceResult result, exec::DecodeGovernanceResult(leaf.receipt.result));
  if (result.validator_set_record != proof.record) {
    return Status::VerificationFailed("the transaction's receipt does not carry this record");
  }
  RC_ASSIGN_OR_RETURN(const SignedNote note, ParseSignedNote(proof.checkpoint));
  RC_ASSIGN_OR_RETURN(const Checkpoint checkpoint, ParseCheckpointBody(note.text));
  if (checkpoint.origin != genesis.chain_id || checkpoint.height != record.decided_height) {
    return Status::VerificationFailed("the checkpoint is not of the deciding block");
  }
  const TrustedValidatorSet& signers = anchor.ValidatorsAt(checkpoint.height);
  RC_ASSIGN_OR_RETURN(const std::vector<std::size_t> signed_by, VerifyNote(note, TrustedNoteKeys(signers)));
  std::uint64_t power = 0;
  for (const std::size_t index : signed_by) power += signers.validators[index].voting_power;
  if (3 * power <= 2 * signers.total_voting_power) {
    return Status::VerificationFailed("its checkpoint's signatures hold " + std::to_string(power) + " of " +
                                      std::to_string(signers.total_voting_power) + " voting power");
  }
  if (proof.log_index >= checkpoint.size)
    return Status::VerificationFailed("the log index is beyond the log");
  const Status included =
      merkle::VerifyInclusion(hash, proof.log_index, checkpoint.size, merkle::LeafHash(hash, proof.log_leaf),
                              proof.inclusion_proof, checkpoint.root);
  if (!included.ok()) return included.WithContext("inclusion proof");
  return Status::Ok();
}

Result<ValidatorSetProof> ParseValidatorSetProof(const Json& json) {
  if (!json.is_object()) return Status::InvalidArgument("an entry is not an object");
  ValidatorSetProof proof;
  RC_ASSIGN_OR_RETURN(const std::string record, StringField(json, "record"));
  RC_ASSIGN_OR_RETURN(proof.record, HexDecode(record));
  RC_ASSIGN_OR_RETURN(const std::string leaf, StringField(json, "log_leaf"));
  RC_ASSIGN_OR_RETURN(proof.log_leaf, HexDecode(leaf));
  RC_ASSIGN_OR_RETURN(proof.checkpoint, StringField(json, "checkpoint"));
  const auto index = json.find("log_index");
  if (index == json.end() || !index->is_number_unsigned()) {
    return Status::InvalidArgument("\"log_index\" must be a number");
  }
  proof.log_index = index->get<std::uint64_t>();
  const auto path = json.find("inclusion_proof");
  if (path == json.end() || !path->is_array() || path->size() > 64) {
    return Status::InvalidArgument("\"inclusion_proof\" must be an array of at most 64 hashes");
  }
  for (const Json& node : *path) {
    if (!node.is_string()) return Status::InvalidArgument("an inclusion proof hash is not a string");
    RC_ASSIGN_OR_RETURN(const Bytes bytes, HexDecode(node.get<std::string>()));
    if (bytes.size() != crypto::kDigestSize)
      return Status::InvalidArgument("an inclusion proof hash is not 32 bytes");
    crypto::Digest digest{};
    std::copy(bytes.begin(), bytes.end(), digest.begin());
    proof.inclusion_proof.push_back(digest);
  }
  return proof;
}

}  // namespace

const TrustedValidatorSet& TrustAnchor::ValidatorsAt(std::uint64_t height) const {
  RC_ASSERT(!validator_sets.empty());
  // Records are in sequence order and their effective heights never decrease.
  const TrustedValidatorSet* found = &validator_sets.front();
  for (const TrustedValidatorSet& set : validator_sets) {
    if (set.first_height <= height) found = &set;
  }
  return *found;
}

std::string CheckpointKeyName(std::string_view chain_id, std::string_view member_name) {
  return std::string(chain_id) + "/" + std::string(member_name);
}

std::string MakeTrustFile(const exec::Genesis& genesis,
                          const std::vector<ValidatorSetProof>& validator_sets) {
  Json json{{"format", std::string(kTrustFormat)},
            {"chain_id", genesis.chain_id},
            {"suite", std::string(crypto::SuiteName(genesis.suite))},
            {"genesis_hash", HexEncode(exec::GenesisHash(genesis))},
            {"genesis", HexEncode(exec::EncodeGenesis(genesis))}};
  // Without changes the file is exactly what it was before governance existed.
  if (!validator_sets.empty()) {
    Json sets = Json::array();
    for (const ValidatorSetProof& proof : validator_sets) {
      Json path = Json::array();
      for (const crypto::Digest& node : proof.inclusion_proof) path.push_back(HexEncode(node));
      sets.push_back(Json{{"record", HexEncode(proof.record)},
                          {"log_index", proof.log_index},
                          {"log_leaf", HexEncode(proof.log_leaf)},
                          {"inclusion_proof", path},
                          {"checkpoint", proof.checkpoint}});
    }
    json["validator_sets"] = sets;
  }
  return json.dump(2) + "\n";
}

std::string MakeTrustFile(const TrustAnchor& anchor) {
  return MakeTrustFile(anchor.genesis, anchor.proofs);
}

TrustAnchor TrustAnchorFromGenesis(const exec::Genesis& genesis) {
  RC_ASSERT(exec::ValidateGenesis(genesis).ok());
  TrustAnchor anchor;
  anchor.genesis = genesis;
  anchor.genesis_hash = exec::GenesisHash(genesis);
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis.suite).signature;
  for (const exec::GenesisMember& member : genesis.members) {
    if (member.voting_power == 0) continue;
    Result<crypto::PublicKey> key = crypto::PublicKey::FromRaw(scheme, member.consensus_public_key);
    RC_ASSERT(key.ok());  // ValidateGenesis checked every key
    anchor.validators.push_back(
        {CheckpointKeyName(genesis.chain_id, member.name), *key, member.voting_power});
    anchor.total_voting_power += member.voting_power;
  }
  anchor.validator_sets.push_back({0, 1, anchor.validators, anchor.total_voting_power});
  anchor.latest_record = exec::GenesisValidatorSetRecord(genesis);
  const std::string file = MakeTrustFile(genesis);
  anchor.file_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(file));
  return anchor;
}

Result<TrustAnchor> ParseTrustFile(std::string_view text) {
  if (text.size() > kMaxTrustFileSize) return Status::LimitExceeded("a trust file is at most 4 MiB");
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return Status::InvalidArgument("the trust file is not a JSON object");
  RC_ASSIGN_OR_RETURN(const std::string format, StringField(json, "format"));
  if (format != kTrustFormat) return Status::InvalidArgument("unknown trust file format '" + format + "'");
  RC_ASSIGN_OR_RETURN(const std::string genesis_hex, StringField(json, "genesis"));
  RC_ASSIGN_OR_RETURN(const Bytes genesis_bytes, HexDecode(genesis_hex));
  Result<exec::Genesis> genesis = exec::DecodeGenesis(genesis_bytes);
  if (!genesis.ok()) return genesis.status().WithContext("trust file genesis");
  RC_ASSIGN_OR_RETURN(const std::string chain_id, StringField(json, "chain_id"));
  RC_ASSIGN_OR_RETURN(const std::string suite, StringField(json, "suite"));
  RC_ASSIGN_OR_RETURN(const std::string genesis_hash, StringField(json, "genesis_hash"));
  if (chain_id != genesis->chain_id || suite != crypto::SuiteName(genesis->suite) ||
      genesis_hash != HexEncode(exec::GenesisHash(*genesis))) {
    return Status::InvalidArgument(
        "the trust file's chain id, suite or genesis hash disagree with its genesis");
  }
  TrustAnchor anchor = TrustAnchorFromGenesis(*genesis);
  anchor.file_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(text));
  const auto sets = json.find("validator_sets");
  if (sets == json.end()) return anchor;
  if (!sets->is_array() || sets->size() > kMaxTrustedValidatorSets) {
    return Status::InvalidArgument("trust file: \"validator_sets\" must be an array of at most " +
                                   std::to_string(kMaxTrustedValidatorSets) + " entries");
  }
  std::vector<ValidatorSetProof> proofs;
  for (std::size_t i = 0; i < sets->size(); ++i) {
    Result<ValidatorSetProof> proof = ParseValidatorSetProof((*sets)[i]);
    if (!proof.ok())
      return proof.status().WithContext("trust file: validator-set record " + std::to_string(i + 1));
    proofs.push_back(std::move(proof).value());
  }
  const Result<std::size_t> followed = FollowValidatorSets(anchor, proofs);
  if (!followed.ok()) return followed.status().WithContext("trust file");
  if (*followed != proofs.size())
    return Status::InvalidArgument("trust file: a validator-set record is listed twice");
  return anchor;
}

Result<std::size_t> FollowValidatorSets(TrustAnchor& anchor, const std::vector<ValidatorSetProof>& proofs) {
  if (anchor.proofs.size() + proofs.size() > kMaxTrustedValidatorSets) {
    return Status::LimitExceeded("more than " + std::to_string(kMaxTrustedValidatorSets) +
                                 " validator-set records");
  }
  TrustAnchor extended = anchor;
  std::size_t followed = 0;
  for (const ValidatorSetProof& proof : proofs) {
    RC_ASSIGN_OR_RETURN(const exec::ValidatorSetRecord record, exec::DecodeValidatorSetRecord(proof.record));
    const std::string which = "validator-set record " + std::to_string(record.sequence);
    if (record.sequence >= 1 && record.sequence <= extended.proofs.size()) {
      // Held already: only the identical record is the chain's; another is a fork.
      if (extended.proofs[record.sequence - 1].record != proof.record) {
        return Status::VerificationFailed(
            which +
            " differs from the one already held: the set it follows was replaced, and a record "
            "signed by that set after its replacement is a fork");
      }
      continue;
    }
    exec::ValidatorSetRecord checked;
    if (const Status status = CheckValidatorSetProof(extended, extended.latest_record, proof, checked);
        !status.ok()) {
      return status.WithContext(which);
    }
    Result<TrustedValidatorSet> set = SetFromRecord(checked, extended.genesis);
    if (!set.ok()) return set.status().WithContext(which);
    extended.validator_sets.push_back(std::move(set).value());
    extended.proofs.push_back(proof);
    extended.latest_record = std::move(checked);
    ++followed;
  }
  anchor = std::move(extended);
  return followed;
}

std::vector<NoteKey> TrustedNoteKeys(const TrustedValidatorSet& set) {
  std::vector<NoteKey> keys;
  for (const TrustedValidator& validator : set.validators)
    keys.push_back({validator.key_name, validator.key});
  return keys;
}

std::vector<NoteKey> TrustedNoteKeys(const TrustAnchor& anchor) {
  std::vector<NoteKey> keys;
  for (const TrustedValidator& validator : anchor.validators)
    keys.push_back({validator.key_name, validator.key});
  return keys;
}

}  // namespace rightchain::proofs
