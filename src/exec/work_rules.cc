// Rules of the work transactions: single registration, indexed and anchor-only batches,
// endorsement and evidence (docs/records.md, "Works").
#include "base/assert.h"
#include "exec/record_payloads.h"
#include "exec/record_rules.h"

namespace rightchain::exec::rules {
namespace {

TransactionOutcome RecordOutcome(RecordResult result, StateChanges changes) {
  TransactionOutcome outcome;
  outcome.result = EncodeRecordResult(result);
  outcome.changes = std::move(changes);
  return outcome;
}

// Platforms register on their users' behalf; authorities on anyone's; everyone else only works
// they own a share of.
bool MayRegisterFor(const Account& sender, const WorkDescription& work) {
  if (HasAnyKind(sender, kPlatformKind | kAuthorityKinds)) return true;
  for (const Owner& owner : work.owners) {
    if (owner.account == sender.id) return true;
  }
  return false;
}

// The record (and item) that an endorsement or piece of evidence refers to, if it exists: a
// work, or a batch (optionally one of its items).
Result<bool> RegistrationExists(const StateReader& state, std::uint64_t record_id,
                                const std::optional<std::uint32_t>& item) {
  RC_ASSIGN_OR_RETURN(const std::optional<Record> record, LoadRecord(state, record_id));
  if (!record.has_value()) return false;
  switch (record->type) {
    case RecordType::kWork: return !item.has_value();
    case RecordType::kIndexedBatch: {
      if (!item.has_value()) return true;
      const Result<IndexedBatchPayload> batch = DecodeIndexedBatchPayload(record->body);
      if (!batch.ok()) return Status::Corruption("stored indexed batch does not decode");
      return *item < batch->content_hashes.size();
    }
    case RecordType::kAnchorBatch: {
      if (!item.has_value()) return true;
      const Result<AnchorBatchPayload> batch = DecodeAnchorBatchPayload(record->body);
      if (!batch.ok()) return Status::Corruption("stored anchor batch does not decode");
      return *item < batch->item_count;
    }
    case RecordType::kEndorsement:
    case RecordType::kEvidence:
    case RecordType::kAttestation:
    case RecordType::kTimeStamp: return false;
  }
  return false;
}

// Indexes the item's content hash, noting a conflict when another account registered it first.
Status IndexItem(const StateReader& state, StateChanges& changes, const Record& record, std::uint32_t item,
                 const crypto::Digest& content_hash, std::vector<Conflict>& conflicts) {
  RC_ASSIGN_OR_RETURN(const std::optional<RegisteredItem> prior,
                      FindPriorByOther(state, content_hash, record.registrant));
  if (prior.has_value()) conflicts.push_back({item, prior->record_id, prior->item, prior->time_milliseconds});
  IndexContentHash(changes, content_hash, {record.id, item, record.registrant, record.time_milliseconds});
  return Status::Ok();
}

}  // namespace

Result<Record> NewRecord(const TransactionContext& context, const StateReader& state, StateChanges& changes,
                         const SenderAccount& sender, RecordType type,
                         const codec::Transaction& transaction) {
  Record record;
  RC_ASSIGN_OR_RETURN(record.id, AllocateRecordId(OverlayState(state, changes), changes));
  record.type = type;
  record.transaction_id = context.transaction_id;
  record.height = context.block.height;
  record.index_in_block = context.index_in_block;
  record.time_milliseconds = context.block.time_milliseconds;
  record.registrant = sender.account.id;
  record.signing_key = context.sender;
  record.body = transaction.payload;
  StoreRecord(changes, record);
  return record;
}

Result<TransactionOutcome> RegisterWorkRule(const TransactionContext& context, const StateReader& state,
                                            const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<WorkDescription> work = DecodeWorkDescription(transaction.payload);
  if (!work.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  const ReceiptStatus valid = ValidateWorkDescription(*work, context.block.time_milliseconds);
  if (valid != ReceiptStatus::kOk) return Reject(valid);
  for (const Owner& owner : work->owners) {
    RC_ASSIGN_OR_RETURN(const std::optional<Account> account, LoadAccount(state, owner.account));
    if (!account.has_value()) return Reject(ReceiptStatus::kUnknownAccount);
  }
  if (!MayRegisterFor(sender.account, *work)) return Reject(ReceiptStatus::kMissingRole);

  StateChanges changes;
  RC_ASSIGN_OR_RETURN(const Record record,
                      NewRecord(context, state, changes, sender, RecordType::kWork, transaction));
  RecordResult result{record.id, {}};
  RC_RETURN_IF_ERROR(IndexItem(state, changes, record, 0, work->content_hash, result.conflicts));
  // Owners find the work under their account; so does a platform or authority that registered it.
  for (const Owner& owner : work->owners) IndexOwner(changes, owner.account, record.id);
  IndexOwner(changes, sender.account.id, record.id);
  return RecordOutcome(std::move(result), std::move(changes));
}

Result<TransactionOutcome> IndexedBatchRule(const TransactionContext& context, const StateReader& state,
                                            const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<IndexedBatchPayload> batch = DecodeIndexedBatchPayload(transaction.payload);
  if (!batch.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  const ReceiptStatus valid = ValidateIndexedBatch(*batch);
  if (valid != ReceiptStatus::kOk) return Reject(valid);
  if (!HasAnyKind(sender.account, kPlatformKind)) return Reject(ReceiptStatus::kMissingRole);

  StateChanges changes;
  RC_ASSIGN_OR_RETURN(const Record record,
                      NewRecord(context, state, changes, sender, RecordType::kIndexedBatch, transaction));
  RecordResult result{record.id, {}};
  for (std::uint32_t item = 0; item < batch->content_hashes.size(); ++item) {
    RC_RETURN_IF_ERROR(
        IndexItem(state, changes, record, item, batch->content_hashes[item], result.conflicts));
  }
  IndexOwner(changes, sender.account.id, record.id);
  return RecordOutcome(std::move(result), std::move(changes));
}

Result<TransactionOutcome> AnchorBatchRule(const TransactionContext& context, const StateReader& state,
                                           const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<AnchorBatchPayload> batch = DecodeAnchorBatchPayload(transaction.payload);
  if (!batch.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  const ReceiptStatus valid = ValidateAnchorBatch(*batch);
  if (valid != ReceiptStatus::kOk) return Reject(valid);
  if (!HasAnyKind(sender.account, kPlatformKind)) return Reject(ReceiptStatus::kMissingRole);

  StateChanges changes;
  RC_ASSIGN_OR_RETURN(const Record record,
                      NewRecord(context, state, changes, sender, RecordType::kAnchorBatch, transaction));
  IndexOwner(changes, sender.account.id, record.id);
  return RecordOutcome({record.id, {}}, std::move(changes));
}

Result<TransactionOutcome> EndorseRule(const TransactionContext& context, const StateReader& state,
                                       const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<EndorsePayload> endorsement = DecodeEndorsePayload(transaction.payload);
  if (!endorsement.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  const ReceiptStatus valid = ValidateEndorsement(*endorsement);
  if (valid != ReceiptStatus::kOk) return Reject(valid);
  if (!HasAnyKind(sender.account, kAuthorityKinds)) return Reject(ReceiptStatus::kMissingRole);
  RC_ASSIGN_OR_RETURN(const bool exists,
                      RegistrationExists(state, endorsement->record_id, endorsement->item));
  if (!exists) return Reject(ReceiptStatus::kUnknownRecord);

  StateChanges changes;
  RC_ASSIGN_OR_RETURN(const Record record,
                      NewRecord(context, state, changes, sender, RecordType::kEndorsement, transaction));
  IndexLink(changes, endorsement->record_id, record.id);
  return RecordOutcome({record.id, {}}, std::move(changes));
}

Result<TransactionOutcome> EvidenceRule(const TransactionContext& context, const StateReader& state,
                                        const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<EvidencePayload> evidence = DecodeEvidencePayload(transaction.payload);
  if (!evidence.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  const ReceiptStatus valid = ValidateEvidence(*evidence);
  if (valid != ReceiptStatus::kOk) return Reject(valid);
  if (evidence->related_record_id.has_value()) {
    RC_ASSIGN_OR_RETURN(const bool exists,
                        RegistrationExists(state, *evidence->related_record_id, evidence->related_item));
    if (!exists) return Reject(ReceiptStatus::kUnknownRecord);
  }

  StateChanges changes;
  RC_ASSIGN_OR_RETURN(const Record record,
                      NewRecord(context, state, changes, sender, RecordType::kEvidence, transaction));
  if (evidence->related_record_id.has_value()) IndexLink(changes, *evidence->related_record_id, record.id);
  IndexOwner(changes, sender.account.id, record.id);
  return RecordOutcome({record.id, {}}, std::move(changes));
}

// Any account may fix a digest in time (the node's time-stamping authority signs with its own
// account). Only the first time-stamp of a digest makes a record: its block time is the time the
// digest is proven to have existed, and a later request is answered with it.
Result<TransactionOutcome> TimeStampRule(const TransactionContext& context, const StateReader& state,
                                         const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<TimeStampPayload> time_stamp = DecodeTimeStampPayload(transaction.payload);
  if (!time_stamp.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  const ReceiptStatus valid = ValidateTimeStamp(*time_stamp);
  if (valid != ReceiptStatus::kOk) return Reject(valid);
  const auto hash = static_cast<std::uint8_t>(time_stamp->hash);
  RC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> existing,
                      FindTimeStamp(state, hash, time_stamp->digest));
  if (existing.has_value()) {
    TransactionOutcome outcome = Reject(ReceiptStatus::kAlreadyTimeStamped);
    outcome.result = EncodeRecordResult({*existing, {}});
    return outcome;
  }

  StateChanges changes;
  RC_ASSIGN_OR_RETURN(const Record record,
                      NewRecord(context, state, changes, sender, RecordType::kTimeStamp, transaction));
  IndexTimeStamp(changes, hash, time_stamp->digest, record.id);
  IndexOwner(changes, sender.account.id, record.id);
  return RecordOutcome({record.id, {}}, std::move(changes));
}

}  // namespace rightchain::exec::rules
