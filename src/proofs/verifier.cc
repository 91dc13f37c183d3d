#include "proofs/verifier.h"

#include "exec/executor.h"
#include "exec/record_payloads.h"
#include "ledger/block.h"
#include "merkle/proof.h"
#include "merkle/tree_hash.h"
#include "proofs/checkpoint.h"

namespace rightchain::proofs {
namespace {

struct Failure {
  Check check;
  std::string message;
};
using Step = std::optional<Failure>;

Step Fail(Check check, std::string message) {
  return Failure{check, std::move(message)};
}

// The checkpoint's valid trusted signatures and their voting power.
struct Quorum {
  Checkpoint checkpoint;
  std::vector<std::string> signers;
  std::uint64_t power = 0;
  std::uint64_t total_power = 0;    // of the validators of the checkpoint's height
  std::uint64_t validator_set = 0;  // their set's sequence
};

// Every signer the bundle names is a validator of some set the trust anchor proves.
Step CheckSigners(const Bundle& bundle, const TrustAnchor& trust) {
  for (const BundleSigner& signer : bundle.signers) {
    bool known = false;
    for (const TrustedValidatorSet& set : trust.validator_sets) {
      for (const TrustedValidator& validator : set.validators) {
        const ByteView raw = validator.key.raw();
        known = known ||
                (validator.key_name == signer.name && Bytes(raw.begin(), raw.end()) == signer.public_key);
      }
    }
    if (!known)
      return Fail(Check::kUnknownSigner, "signer " + signer.name + " is not a validator of the trust anchor");
  }
  return std::nullopt;
}

std::uint64_t SignedPower(const TrustedValidatorSet& set, const std::vector<std::size_t>& signed_by) {
  std::uint64_t power = 0;
  for (const std::size_t index : signed_by) power += set.validators[index].voting_power;
  return power;
}

// A checkpoint that the validators of its height did not sign, but a set that a held record
// replaced at or before that height did: the replaced set still signing after its replacement
// (its keys may since be lost, sold or stolen). Named so, rather than as too few signatures.
Step ReplacedSigners(const SignedNote& note, const Checkpoint& checkpoint, const TrustAnchor& trust) {
  const TrustedValidatorSet& current = trust.ValidatorsAt(checkpoint.height);
  for (std::size_t i = 0; i + 1 < trust.validator_sets.size(); ++i) {
    const TrustedValidatorSet& set = trust.validator_sets[i];
    if (set.sequence >= current.sequence) break;
    const Result<std::vector<std::size_t>> signed_by = VerifyNote(note, TrustedNoteKeys(set));
    if (!signed_by.ok() || 3 * SignedPower(set, *signed_by) <= 2 * set.total_voting_power) continue;
    return Fail(Check::kReplacedValidatorSet,
                "the checkpoint of height " + std::to_string(checkpoint.height) +
                    " is signed by validator set " + std::to_string(set.sequence) + ", which record " +
                    std::to_string(trust.validator_sets[i + 1].sequence) + " replaced from height " +
                    std::to_string(trust.validator_sets[i + 1].first_height) + "; set " +
                    std::to_string(current.sequence) + " signs that height");
  }
  return std::nullopt;
}

// Opens a co-signed checkpoint with the trusted keys; more than 2/3 of the power must have signed.
Step OpenCheckpoint(std::string_view text, const TrustAnchor& trust, Quorum& quorum) {
  const Result<SignedNote> note = ParseSignedNote(text);
  if (!note.ok())
    return Fail(Check::kCheckpoint, "the checkpoint is not a signed note: " + note.status().message());
  const Result<Checkpoint> checkpoint = ParseCheckpointBody(note->text);
  if (!checkpoint.ok()) return Fail(Check::kCheckpoint, checkpoint.status().message());
  if (checkpoint->origin != trust.genesis.chain_id) {
    return Fail(Check::kWrongChain, "the checkpoint is of chain " + checkpoint->origin);
  }
  // The validators of the checkpoint's height sign it (genesis's, or a later record's).
  const TrustedValidatorSet& validators = trust.ValidatorsAt(checkpoint->height);
  const std::vector<NoteKey> keys = TrustedNoteKeys(validators);
  const Result<std::vector<std::size_t>> signed_by = VerifyNote(*note, keys);
  if (!signed_by.ok()) return Fail(Check::kTooFewSignatures, signed_by.status().message());
  quorum.checkpoint = *checkpoint;
  quorum.validator_set = validators.sequence;
  quorum.total_power = validators.total_voting_power;
  for (const std::size_t index : *signed_by) {
    quorum.signers.push_back(validators.validators[index].key_name);
    quorum.power += validators.validators[index].voting_power;
  }
  // Strictly more than 2/3, in integers: 3 × signed > 2 × total.
  // No overflow: each power is at most 2^40 and the members at most 256.
  if (3 * quorum.power <= 2 * validators.total_voting_power) {
    if (Step replaced = ReplacedSigners(*note, *checkpoint, trust)) return replaced;
    return Fail(Check::kTooFewSignatures, std::to_string(quorum.signers.size()) + " valid signatures hold " +
                                              std::to_string(quorum.power) + " of " +
                                              std::to_string(validators.total_voting_power) +
                                              " voting power");
  }
  return std::nullopt;
}

Step CheckBlockAndLeaf(const Bundle& bundle, const Quorum& quorum, crypto::HashAlgorithm hash,
                       ledger::BlockHeader& header, VerifiedRecord& out) {
  const Result<ledger::BlockHeader> decoded = ledger::DecodeBlockHeader(bundle.block_header);
  if (!decoded.ok()) return Fail(Check::kBundle, "block header: " + decoded.status().message());
  header = *decoded;
  const Checkpoint& checkpoint = quorum.checkpoint;
  if (ledger::BlockHash(hash, header) != checkpoint.block_hash || header.height != checkpoint.height ||
      header.log_size != checkpoint.size || header.log_root != checkpoint.root ||
      header.chain_id != bundle.chain_id) {
    return Fail(Check::kCheckpoint, "the checkpoint does not name the bundle's block and its log");
  }
  if (bundle.log_index >= checkpoint.size)
    return Fail(Check::kInclusionProof, "the log index is beyond the log");
  const Status included = merkle::VerifyInclusion(hash, bundle.log_index, checkpoint.size,
                                                  merkle::LeafHash(hash, bundle.log_leaf),
                                                  bundle.inclusion_proof, checkpoint.root);
  if (!included.ok()) return Fail(Check::kInclusionProof, included.message());
  out.height = header.height;
  out.block_time_milliseconds = header.time_milliseconds;
  out.log_index = bundle.log_index;
  out.log_size = checkpoint.size;
  return std::nullopt;
}

Step CheckBatchItem(const Bundle& bundle, const crypto::Digest& records_root, std::uint64_t item_count,
                    crypto::HashAlgorithm hash) {
  if (!bundle.item.has_value() || !bundle.batch_proof.has_value()) {
    return Fail(Check::kBatchProof, "a batch item needs its item number and batch proof");
  }
  const BatchItemProof& proof = *bundle.batch_proof;
  if (proof.leaf_index != *bundle.item || proof.tree_size != item_count) {
    return Fail(Check::kBatchProof, "the batch proof is for another item or batch size");
  }
  const Status included =
      merkle::VerifyInclusion(hash, proof.leaf_index, proof.tree_size, merkle::LeafHash(hash, bundle.record),
                              proof.inclusion_proof, records_root);
  if (!included.ok()) return Fail(Check::kBatchProof, included.message());
  return std::nullopt;
}

// The leaf's transaction and receipt commit to the bundle's record.
Step CheckRecord(const Bundle& bundle, const ledger::BlockHeader& header, crypto::HashAlgorithm hash,
                 VerifiedRecord& out) {
  const Result<ledger::LogLeaf> leaf = ledger::DecodeLogLeaf(bundle.log_leaf);
  if (!leaf.ok()) return Fail(Check::kRecord, "log leaf: " + leaf.status().message());
  const codec::Transaction& transaction = leaf->transaction.transaction;
  const exec::Receipt& receipt = leaf->receipt;
  if (receipt.height != header.height || !receipt.ok()) {
    return Fail(Check::kRecord, "the receipt is not a success in the bundle's block");
  }
  const Result<exec::RecordResult> result = exec::DecodeRecordResult(receipt.result);
  if (!result.ok() || result->record_id != bundle.record_id) {
    return Fail(Check::kRecord, "the receipt assigned another record id");
  }
  out.transaction_id = receipt.transaction_id;
  const Result<crypto::KeyId> signing_key =
      crypto::ComputeKeyId(transaction.sender_scheme, transaction.sender_public_key);
  if (signing_key.ok()) out.signing_key = *signing_key;
  const std::uint32_t item = bundle.item.value_or(0);
  for (const exec::Conflict& conflict : result->conflicts) {
    if (conflict.item == item) out.conflicts.push_back(conflict);
  }
  using Kind = exec::TransactionKind;
  const auto kind = static_cast<Kind>(transaction.kind);
  if (kind == Kind::kIndexedBatch) {
    const Result<exec::IndexedBatchPayload> batch = exec::DecodeIndexedBatchPayload(transaction.payload);
    if (!batch.ok()) return Fail(Check::kRecord, "the batch transaction does not decode");
    if (Step failed = CheckBatchItem(bundle, batch->records_root, batch->content_hashes.size(), hash))
      return failed;
    const Result<exec::WorkDescription> work = exec::DecodeWorkDescription(bundle.record);
    if (!work.ok() || work->content_hash != batch->content_hashes[*bundle.item]) {
      return Fail(Check::kRecord, "the item's content hash is not the one the chain indexed");
    }
    out.type = "indexed-batch item";
    out.work = *work;
    return std::nullopt;
  }
  if (kind == Kind::kAnchorBatch) {
    const Result<exec::AnchorBatchPayload> batch = exec::DecodeAnchorBatchPayload(transaction.payload);
    if (!batch.ok()) return Fail(Check::kRecord, "the batch transaction does not decode");
    if (Step failed = CheckBatchItem(bundle, batch->records_root, batch->item_count, hash)) return failed;
    const Result<exec::WorkDescription> work = exec::DecodeWorkDescription(bundle.record);
    if (!work.ok()) return Fail(Check::kRecord, "the item's record does not decode");
    out.type = "anchor-batch item";
    out.indexed = false;
    out.work = *work;
    return std::nullopt;
  }
  if (bundle.item.has_value() || bundle.record != transaction.payload) {
    return Fail(Check::kRecord, "the record is not the transaction's payload");
  }
  if (kind == Kind::kRegisterWork) {
    const Result<exec::WorkDescription> work = exec::DecodeWorkDescription(bundle.record);
    if (!work.ok()) return Fail(Check::kRecord, "the work does not decode");
    out.type = "work";
    out.work = *work;
  } else if (kind == Kind::kEvidence) {
    out.type = "evidence";
  } else if (kind == Kind::kEndorse) {
    out.type = "endorsement";
  } else if (kind == Kind::kTimeStamp) {
    out.type = "time-stamp";
  } else {
    return Fail(Check::kRecord, "the transaction is not a record kind a bundle covers");
  }
  return std::nullopt;
}

Step CheckFile(const Bundle& bundle, crypto::HashAlgorithm hash, std::optional<ByteView> file,
               const VerifiedRecord& out) {
  if (!file.has_value()) return std::nullopt;
  const crypto::Digest digest = crypto::Hash(hash, *file);
  if (out.work.has_value()) {
    if (digest != out.work->content_hash)
      return Fail(Check::kContentHash, "the file's hash is not the registered one");
    return std::nullopt;
  }
  if (out.type == "time-stamp") {
    const Result<exec::TimeStampPayload> time_stamp = exec::DecodeTimeStampPayload(bundle.record);
    if (!time_stamp.ok()) return Fail(Check::kRecord, "the time-stamp does not decode");
    std::optional<crypto::HashAlgorithm> algorithm;
    if (time_stamp->hash == exec::TimeStampHash::kSha256) algorithm = crypto::HashAlgorithm::kSha256;
    if (time_stamp->hash == exec::TimeStampHash::kSm3) algorithm = crypto::HashAlgorithm::kSm3;
    if (!algorithm.has_value()) {
      return Fail(Check::kContentHash, "files are checked against sha256 and sm3 time-stamps here; for " +
                                           std::string(exec::TimeStampHashName(time_stamp->hash)) +
                                           " use the time-stamp token with openssl ts -verify");
    }
    const crypto::Digest file_digest = crypto::Hash(*algorithm, *file);
    if (!std::equal(file_digest.begin(), file_digest.end(), time_stamp->digest.begin(),
                    time_stamp->digest.end())) {
      return Fail(Check::kContentHash, "the file's hash is not the time-stamped digest");
    }
    return std::nullopt;
  }
  if (out.type == "evidence") {
    const Result<exec::EvidencePayload> evidence = exec::DecodeEvidencePayload(bundle.record);
    if (!evidence.ok() || digest != evidence->manifest_hash) {
      return Fail(Check::kContentHash, "the file's hash is not the evidence's manifest hash");
    }
    return std::nullopt;
  }
  // A file given for a record that commits to no file's hash is refused, never ignored: the
  // user asked for the file to be checked.
  if (out.type == "endorsement") {
    const Result<exec::EndorsePayload> endorsement = exec::DecodeEndorsePayload(bundle.record);
    std::string endorsed = "another record";
    if (endorsement.ok()) {
      endorsed = "record " + std::to_string(endorsement->record_id) +
                 (endorsement->item.has_value() ? ":" + std::to_string(*endorsement->item) : "");
    }
    return Fail(Check::kContentHash, "an endorsement holds no file's hash; it endorses " + endorsed +
                                         ": check the file against that record's bundle");
  }
  return Fail(Check::kContentHash,
              "a " + out.type + " record holds no file's hash to check the file against");
}

Step CheckNewer(const Bundle& bundle, const TrustAnchor& trust, const Quorum& quorum,
                crypto::HashAlgorithm hash, VerifiedRecord& out) {
  if (!bundle.newer.has_value()) return std::nullopt;
  Quorum newer;
  if (Step failed = OpenCheckpoint(bundle.newer->checkpoint, trust, newer)) return failed;
  const Status consistent = merkle::VerifyConsistency(hash, quorum.checkpoint.size, newer.checkpoint.size,
                                                      bundle.newer->consistency_proof, quorum.checkpoint.root,
                                                      newer.checkpoint.root);
  if (!consistent.ok()) return Fail(Check::kConsistencyProof, consistent.message());
  out.newer_log_size = newer.checkpoint.size;
  return std::nullopt;
}

Step VerifySteps(const Bundle& bundle, const TrustAnchor& held, std::optional<ByteView> file,
                 VerifiedRecord& out) {
  if (bundle.chain_id != held.genesis.chain_id || bundle.suite != held.genesis.suite) {
    return Fail(Check::kWrongChain, "the bundle is of chain " + bundle.chain_id + ", the trust anchor of " +
                                        held.genesis.chain_id);
  }
  // The records the bundle carries beyond the trust file, each proven by the set before it.
  std::optional<TrustAnchor> extended;
  if (!bundle.validator_sets.empty()) {
    extended = held;
    const Result<std::size_t> followed = FollowValidatorSets(*extended, bundle.validator_sets);
    if (!followed.ok()) return Fail(Check::kValidatorSet, followed.status().message());
    out.followed_validator_sets = *followed;
  }
  const TrustAnchor& trust = extended.has_value() ? *extended : held;
  out.genesis_hash = trust.genesis_hash;
  const crypto::HashAlgorithm hash = crypto::GetSuite(trust.genesis.suite).hash;
  out.record_id = bundle.record_id;
  out.item = bundle.item;
  if (Step failed = CheckSigners(bundle, trust)) return failed;
  Quorum quorum;
  if (Step failed = OpenCheckpoint(bundle.checkpoint, trust, quorum)) return failed;
  out.total_voting_power = quorum.total_power;
  out.signers = quorum.signers;
  out.signed_voting_power = quorum.power;
  out.validator_set = quorum.validator_set;
  ledger::BlockHeader header;
  if (Step failed = CheckBlockAndLeaf(bundle, quorum, hash, header, out)) return failed;
  if (Step failed = CheckRecord(bundle, header, hash, out)) return failed;
  if (Step failed = CheckFile(bundle, hash, file, out)) return failed;
  return CheckNewer(bundle, trust, quorum, hash, out);
}

}  // namespace

std::string_view CheckName(Check check) {
  switch (check) {
    case Check::kNone: return "ok";
    case Check::kBundle: return "bundle";
    case Check::kUnknownTrustAnchor: return "unknown_trust_anchor";
    case Check::kWrongChain: return "wrong_chain";
    case Check::kUnknownSigner: return "unknown_signer";
    case Check::kTooFewSignatures: return "too_few_signatures";
    case Check::kCheckpoint: return "checkpoint";
    case Check::kInclusionProof: return "inclusion_proof";
    case Check::kRecord: return "record";
    case Check::kBatchProof: return "batch_proof";
    case Check::kContentHash: return "content_hash";
    case Check::kConsistencyProof: return "consistency_proof";
    case Check::kValidatorSet: return "validator_set";
    case Check::kReplacedValidatorSet: return "replaced_validator_set";
    case Check::kGenesisHash: return "genesis_hash";
  }
  return "unknown";
}

Verification VerifyBundle(const Bundle& bundle, const TrustAnchor& trust, std::optional<ByteView> file) {
  Verification verification;
  if (Step failed = VerifySteps(bundle, trust, file, verification.record)) {
    verification.failed = failed->check;
    verification.message = std::move(failed->message);
  }
  return verification;
}

Verification CheckPinnedGenesis(const TrustAnchor& trust, const crypto::Digest& pinned_genesis_hash) {
  Verification verification;
  if (trust.genesis_hash != pinned_genesis_hash) {
    verification.failed = Check::kGenesisHash;
    verification.message = "the trust file's genesis hash is " + HexEncode(trust.genesis_hash) +
                           ", not the pinned " + HexEncode(pinned_genesis_hash);
  }
  return verification;
}

}  // namespace rightchain::proofs
