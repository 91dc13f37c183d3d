// Records in state: every copyright record (work, batch, endorsement, evidence, identity
// attestation) gets the next record id and is stored with who signed it and when; indexes find
// works by content hash and by owner, and what links to a record (docs/records.md, "State").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"
#include "exec/account.h"
#include "exec/state.h"

namespace rightchain::exec {

// Wire values are stable.
enum class RecordType : std::uint8_t {
  kWork = 1,          // body: WorkDescription
  kIndexedBatch = 2,  // body: IndexedBatchPayload
  kAnchorBatch = 3,   // body: AnchorBatchPayload
  kEndorsement = 4,   // body: EndorsePayload
  kEvidence = 5,      // body: EvidencePayload
  kAttestation = 6,   // body: AttestIdentityPayload
  kTimeStamp = 7,     // body: TimeStampPayload
};
std::string_view RecordTypeName(RecordType type);  // "work", "indexed-batch", …

struct Record {
  std::uint64_t id = 0;
  RecordType type = RecordType::kWork;
  crypto::Digest transaction_id{};
  std::uint64_t height = 0;
  std::uint32_t index_in_block = 0;
  std::int64_t time_milliseconds = 0;  // the block's consensus time: the trusted time of the record
  AccountId registrant{};              // the account that signed it
  crypto::KeyId signing_key{};         // the key that signed it (stays visible after rotation)
  Bytes body;                          // the transaction's payload, as signed
  friend bool operator==(const Record&, const Record&) = default;
};

Bytes EncodeRecord(const Record& record);
Result<Record> DecodeRecord(ByteView encoding);

// A registered item: a single registration (item 0) or item `item` of an indexed batch.
struct RegisteredItem {
  std::uint64_t record_id = 0;
  std::uint32_t item = 0;
  AccountId registrant{};
  std::int64_t time_milliseconds = 0;
  friend bool operator==(const RegisteredItem&, const RegisteredItem&) = default;
};

// A registration of content that was registered before by another account: accepted, and the
// prior registration is named in the receipt, in queries and in proofs.
struct Conflict {
  std::uint32_t item = 0;  // which item of this registration (0 for a single one)
  std::uint64_t prior_record_id = 0;
  std::uint32_t prior_item = 0;
  std::int64_t prior_time_milliseconds = 0;
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

// The receipt result of every record transaction: the assigned id and the conflicts found.
struct RecordResult {
  std::uint64_t record_id = 0;
  std::vector<Conflict> conflicts;
  friend bool operator==(const RecordResult&, const RecordResult&) = default;
};
Bytes EncodeRecordResult(const RecordResult& result);
Result<RecordResult> DecodeRecordResult(ByteView encoding);

// The receipt result of account transactions.
struct AccountResult {
  AccountId account{};
  AccountKinds kinds = 0;
  std::optional<crypto::KeyId> current_key;
  friend bool operator==(const AccountResult&, const AccountResult&) = default;
};
Bytes EncodeAccountResult(const AccountResult& result);
Result<AccountResult> DecodeAccountResult(ByteView encoding);

// --- writing (execution) ----------------------------------------------------------------------

// Takes the next record id (ids start at 1 and never repeat).
Result<std::uint64_t> AllocateRecordId(const StateReader& state, StateChanges& changes);
void StoreRecord(StateChanges& changes, const Record& record);
void IndexContentHash(StateChanges& changes, const crypto::Digest& content_hash, const RegisteredItem& item);
void IndexOwner(StateChanges& changes, const AccountId& owner, std::uint64_t record_id);
void IndexLink(StateChanges& changes, std::uint64_t target_record_id, std::uint64_t linked_record_id);
// The time-stamp index: (hash algorithm, digest) → the record that first time-stamped it.
void IndexTimeStamp(StateChanges& changes, std::uint8_t hash_algorithm, ByteView digest,
                    std::uint64_t record_id);
void IndexAttestation(StateChanges& changes, const AccountId& subject, const AccountId& authority,
                      std::uint8_t attribute, std::uint64_t record_id);

// --- reading (execution and queries) ----------------------------------------------------------

Result<std::optional<Record>> LoadRecord(const StateReader& state, std::uint64_t id);
// Registrations of `content_hash`, oldest first, at most `limit`.
Result<std::vector<RegisteredItem>> FindByContentHash(const StateReader& state,
                                                      const crypto::Digest& content_hash, std::size_t limit);
// The first registration of `content_hash` by an account other than `registrant`, if any.
Result<std::optional<RegisteredItem>> FindPriorByOther(const StateReader& state,
                                                       const crypto::Digest& content_hash,
                                                       const AccountId& registrant);
// Record ids that name `owner` (or that it registered as a batch), ascending, after `after_id`.
Result<std::vector<std::uint64_t>> FindByOwner(const StateReader& state, const AccountId& owner,
                                               std::uint64_t after_id, std::size_t limit);
// Record ids that link to `target` (endorsements and evidence), ascending.
Result<std::vector<std::uint64_t>> FindLinks(const StateReader& state, std::uint64_t target,
                                             std::size_t limit);
// The record that first time-stamped `digest` under `hash_algorithm`, if any.
Result<std::optional<std::uint64_t>> FindTimeStamp(const StateReader& state, std::uint8_t hash_algorithm,
                                                   ByteView digest);
// Whether `authority` attested any identity attribute of `subject`.
Result<bool> HasAttestation(const StateReader& state, const AccountId& subject, const AccountId& authority);

}  // namespace rightchain::exec
