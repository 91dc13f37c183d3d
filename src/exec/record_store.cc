#include "exec/record_store.h"

#include <array>

#include "base/assert.h"
#include "codec/reader.h"
#include "codec/transaction.h"
#include "codec/writer.h"
#include "exec/receipt.h"
#include "exec/state_keys.h"

namespace rightchain::exec {
namespace {

constexpr std::string_view kRecordPrefix = "record/";
constexpr std::string_view kNextRecordIdKey = "record-next-id";
constexpr std::string_view kHashPrefix = "hash/";
constexpr std::string_view kOwnerPrefix = "owner/";
constexpr std::string_view kLinkPrefix = "link/";
constexpr std::string_view kAttestationPrefix = "attestation/";
constexpr std::string_view kTimeStampPrefix = "timestamp/";
constexpr std::string_view kRecordDomainType = "rightchain/record";
constexpr std::string_view kRecordResultDomainType = "rightchain/record-result";
constexpr std::string_view kAccountResultDomainType = "rightchain/account-result";
constexpr std::uint8_t kRecordVersion = 1;
constexpr std::array<std::uint8_t, 1> kRecordVersions = {kRecordVersion};
// hash index value: registrant [32] ‖ time u64
constexpr std::size_t kHashIndexValueSize = crypto::kKeyIdSize + 8;
// A conflict's encoding: item u32, prior record id u64, prior item u32, prior time u64.
constexpr std::size_t kConflictEncodedSize = 4 + 8 + 4 + 8;
constexpr std::size_t kMaxConflicts = (kMaxReceiptResultSize - 64) / kConflictEncodedSize;
static_assert(kMaxConflicts >= 10'000, "an indexed batch's every item can conflict");

constexpr std::array<RecordType, 7> kRecordTypes = {
    RecordType::kWork,     RecordType::kIndexedBatch, RecordType::kAnchorBatch, RecordType::kEndorsement,
    RecordType::kEvidence, RecordType::kAttestation,  RecordType::kTimeStamp};

Bytes RecordKey(std::uint64_t id) {
  Bytes key = StateKeyPrefix(kRecordPrefix);
  AppendU64(key, id);
  return key;
}

// timestamp/ ‖ hash algorithm u8 ‖ digest: the digest's length follows from the algorithm.
Bytes TimeStampKey(std::uint8_t hash_algorithm, ByteView digest) {
  Bytes key = StateKeyPrefix(kTimeStampPrefix);
  key.push_back(hash_algorithm);
  key.insert(key.end(), digest.begin(), digest.end());
  return key;
}

Bytes HashPrefix(const crypto::Digest& content_hash) {
  Bytes key = StateKeyPrefix(kHashPrefix);
  AppendArray(key, content_hash);
  return key;
}

Bytes OwnerPrefix(const AccountId& owner) {
  Bytes key = StateKeyPrefix(kOwnerPrefix);
  AppendArray(key, owner);
  return key;
}

Bytes LinkPrefix(std::uint64_t target) {
  Bytes key = StateKeyPrefix(kLinkPrefix);
  AppendU64(key, target);
  return key;
}

Bytes AttestationPrefix(const AccountId& subject, const AccountId& authority) {
  Bytes key = StateKeyPrefix(kAttestationPrefix);
  AppendArray(key, subject);
  AppendArray(key, authority);
  return key;
}

// Record ids stored as the last 8 bytes of index keys.
Result<std::vector<std::uint64_t>> ScanTrailingIds(const StateReader& state, const Bytes& prefix,
                                                   std::uint64_t after_id, std::size_t limit) {
  Bytes begin = prefix;
  AppendU64(begin, after_id + 1);
  std::vector<std::uint64_t> ids;
  Status malformed;
  if (limit == 0 || after_id == UINT64_MAX) return ids;
  RC_RETURN_IF_ERROR(state.Scan(begin, PrefixEnd(prefix), [&](ByteView key, ByteView) {
    if (key.size() != prefix.size() + 8) {
      malformed = Status::Corruption("index key has the wrong size");
      return false;
    }
    ids.push_back(ReadU64At(key, prefix.size()));
    return ids.size() < limit;
  }));
  RC_RETURN_IF_ERROR(malformed);
  return ids;
}

void WriteConflict(codec::Writer& writer, const Conflict& conflict) {
  writer.WriteU32(conflict.item);
  writer.WriteU64(conflict.prior_record_id);
  writer.WriteU32(conflict.prior_item);
  writer.WriteU64(static_cast<std::uint64_t>(conflict.prior_time_milliseconds));
}

Result<Conflict> ReadConflict(codec::Reader& reader) {
  Conflict conflict;
  RC_ASSIGN_OR_RETURN(conflict.item, reader.ReadU32("conflict.item"));
  RC_ASSIGN_OR_RETURN(conflict.prior_record_id, reader.ReadU64("conflict.prior_record_id"));
  RC_ASSIGN_OR_RETURN(conflict.prior_item, reader.ReadU32("conflict.prior_item"));
  RC_ASSIGN_OR_RETURN(const std::uint64_t time, reader.ReadU64("conflict.prior_time"));
  conflict.prior_time_milliseconds = static_cast<std::int64_t>(time);
  return conflict;
}

}  // namespace

std::string_view RecordTypeName(RecordType type) {
  switch (type) {
    case RecordType::kWork: return "work";
    case RecordType::kIndexedBatch: return "indexed-batch";
    case RecordType::kAnchorBatch: return "anchor-batch";
    case RecordType::kEndorsement: return "endorsement";
    case RecordType::kEvidence: return "evidence";
    case RecordType::kAttestation: return "attestation";
    case RecordType::kTimeStamp: return "time-stamp";
  }
  return "unknown";
}

Bytes EncodeRecord(const Record& record) {
  codec::Writer writer(128 + record.body.size());
  writer.WriteDomainTag(kRecordDomainType);
  writer.WriteVersion(kRecordVersion);
  writer.WriteU64(record.id);
  writer.WriteEnum(record.type);
  writer.WriteFixed(record.transaction_id);
  writer.WriteU64(record.height);
  writer.WriteU32(record.index_in_block);
  writer.WriteU64(static_cast<std::uint64_t>(record.time_milliseconds));
  writer.WriteFixed(record.registrant);
  writer.WriteFixed(record.signing_key);
  writer.WriteBytes(record.body, codec::kMaxPayloadSize);
  return std::move(writer).Take();
}

Result<Record> DecodeRecord(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("record", kRecordDomainType));
  RC_RETURN_IF_ERROR(reader.ReadVersion("record.version", kRecordVersions).status());
  Record record;
  RC_ASSIGN_OR_RETURN(record.id, reader.ReadU64("record.id"));
  RC_ASSIGN_OR_RETURN(record.type, reader.ReadEnum<RecordType>("record.type", kRecordTypes));
  RC_ASSIGN_OR_RETURN(record.transaction_id, reader.ReadArray<crypto::kDigestSize>("record.transaction_id"));
  RC_ASSIGN_OR_RETURN(record.height, reader.ReadU64("record.height"));
  RC_ASSIGN_OR_RETURN(record.index_in_block, reader.ReadU32("record.index_in_block"));
  RC_ASSIGN_OR_RETURN(const std::uint64_t time, reader.ReadU64("record.time"));
  record.time_milliseconds = static_cast<std::int64_t>(time);
  RC_ASSIGN_OR_RETURN(record.registrant, reader.ReadArray<crypto::kKeyIdSize>("record.registrant"));
  RC_ASSIGN_OR_RETURN(record.signing_key, reader.ReadArray<crypto::kKeyIdSize>("record.signing_key"));
  RC_ASSIGN_OR_RETURN(const ByteView body, reader.ReadBytes("record.body", codec::kMaxPayloadSize));
  record.body.assign(body.begin(), body.end());
  RC_RETURN_IF_ERROR(reader.Finish("record"));
  return record;
}

Bytes EncodeRecordResult(const RecordResult& result) {
  codec::Writer writer(64 + result.conflicts.size() * kConflictEncodedSize);
  writer.WriteDomainTag(kRecordResultDomainType);
  writer.WriteVersion(kRecordVersion);
  writer.WriteU64(result.record_id);
  writer.WriteSequence(result.conflicts, kMaxConflicts, WriteConflict);
  RC_ASSERT(writer.size() <= kMaxReceiptResultSize);
  return std::move(writer).Take();
}

Result<RecordResult> DecodeRecordResult(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("record_result", kRecordResultDomainType));
  RC_RETURN_IF_ERROR(reader.ReadVersion("record_result.version", kRecordVersions).status());
  RecordResult result;
  RC_ASSIGN_OR_RETURN(result.record_id, reader.ReadU64("record_result.record_id"));
  RC_ASSIGN_OR_RETURN(result.conflicts,
                      reader.ReadSequence<Conflict>("record_result.conflicts", kMaxConflicts,
                                                    kConflictEncodedSize, ReadConflict));
  RC_RETURN_IF_ERROR(reader.Finish("record_result"));
  return result;
}

Bytes EncodeAccountResult(const AccountResult& result) {
  codec::Writer writer;
  writer.WriteDomainTag(kAccountResultDomainType);
  writer.WriteVersion(kRecordVersion);
  writer.WriteFixed(result.account);
  writer.WriteU16(result.kinds);
  writer.WriteOptional(result.current_key,
                       [](codec::Writer& out, const crypto::KeyId& key) { out.WriteFixed(key); });
  return std::move(writer).Take();
}

Result<AccountResult> DecodeAccountResult(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("account_result", kAccountResultDomainType));
  RC_RETURN_IF_ERROR(reader.ReadVersion("account_result.version", kRecordVersions).status());
  AccountResult result;
  RC_ASSIGN_OR_RETURN(result.account, reader.ReadArray<crypto::kKeyIdSize>("account_result.account"));
  RC_ASSIGN_OR_RETURN(result.kinds, reader.ReadU16("account_result.kinds"));
  RC_ASSIGN_OR_RETURN(result.current_key,
                      reader.ReadOptional<crypto::KeyId>("account_result.current_key", [](codec::Reader& in) {
                        return in.ReadArray<crypto::kKeyIdSize>("account_result.current_key");
                      }));
  RC_RETURN_IF_ERROR(reader.Finish("account_result"));
  return result;
}

Result<std::uint64_t> AllocateRecordId(const StateReader& state, StateChanges& changes) {
  return AllocateSequentialId(state, changes, kNextRecordIdKey);
}

void StoreRecord(StateChanges& changes, const Record& record) {
  RC_ASSERT(record.id >= 1);
  changes.Put(RecordKey(record.id), EncodeRecord(record));
}

void IndexContentHash(StateChanges& changes, const crypto::Digest& content_hash, const RegisteredItem& item) {
  Bytes key = HashPrefix(content_hash);
  AppendU64(key, item.record_id);
  AppendU32(key, item.item);
  Bytes value;
  AppendArray(value, item.registrant);
  AppendU64(value, static_cast<std::uint64_t>(item.time_milliseconds));
  changes.Put(std::move(key), std::move(value));
}

void IndexOwner(StateChanges& changes, const AccountId& owner, std::uint64_t record_id) {
  Bytes key = OwnerPrefix(owner);
  AppendU64(key, record_id);
  changes.Put(std::move(key), Bytes());
}

void IndexLink(StateChanges& changes, std::uint64_t target_record_id, std::uint64_t linked_record_id) {
  Bytes key = LinkPrefix(target_record_id);
  AppendU64(key, linked_record_id);
  changes.Put(std::move(key), Bytes());
}

void IndexAttestation(StateChanges& changes, const AccountId& subject, const AccountId& authority,
                      std::uint8_t attribute, std::uint64_t record_id) {
  Bytes key = AttestationPrefix(subject, authority);
  key.push_back(attribute);
  Bytes value;
  AppendU64(value, record_id);
  changes.Put(std::move(key), std::move(value));
}

void IndexTimeStamp(StateChanges& changes, std::uint8_t hash_algorithm, ByteView digest,
                    std::uint64_t record_id) {
  Bytes value;
  AppendU64(value, record_id);
  changes.Put(TimeStampKey(hash_algorithm, digest), std::move(value));
}

Result<std::optional<Record>> LoadRecord(const StateReader& state, std::uint64_t id) {
  return LoadDecoded<Record>(state, RecordKey(id), DecodeRecord, "record");
}

namespace {

// Visits the hash index entries of `content_hash` in registration order.
Status ScanContentHash(const StateReader& state, const crypto::Digest& content_hash,
                       const std::function<bool(const RegisteredItem&)>& visit) {
  const Bytes prefix = HashPrefix(content_hash);
  Status malformed;
  RC_RETURN_IF_ERROR(state.Scan(prefix, PrefixEnd(prefix), [&](ByteView key, ByteView value) {
    if (key.size() != prefix.size() + 12 || value.size() != kHashIndexValueSize) {
      malformed = Status::Corruption("content hash index entry has the wrong size");
      return false;
    }
    RegisteredItem item;
    item.record_id = ReadU64At(key, prefix.size());
    item.item = ReadU32At(key, prefix.size() + 8);
    std::copy_n(value.begin(), crypto::kKeyIdSize, item.registrant.begin());
    item.time_milliseconds = static_cast<std::int64_t>(ReadU64At(value, crypto::kKeyIdSize));
    return visit(item);
  }));
  return malformed;
}

}  // namespace

Result<std::vector<RegisteredItem>> FindByContentHash(const StateReader& state,
                                                      const crypto::Digest& content_hash, std::size_t limit) {
  std::vector<RegisteredItem> items;
  if (limit == 0) return items;
  RC_RETURN_IF_ERROR(ScanContentHash(state, content_hash, [&](const RegisteredItem& item) {
    items.push_back(item);
    return items.size() < limit;
  }));
  return items;
}

Result<std::optional<RegisteredItem>> FindPriorByOther(const StateReader& state,
                                                       const crypto::Digest& content_hash,
                                                       const AccountId& registrant) {
  // Bounded: one account's own re-registrations of a hash are skipped, at most this many.
  constexpr std::size_t kMaxEntriesExamined = 1024;
  std::optional<RegisteredItem> prior;
  std::size_t examined = 0;
  RC_RETURN_IF_ERROR(ScanContentHash(state, content_hash, [&](const RegisteredItem& item) {
    if (item.registrant != registrant) {
      prior = item;
      return false;
    }
    return ++examined < kMaxEntriesExamined;
  }));
  return prior;
}

Result<std::vector<std::uint64_t>> FindByOwner(const StateReader& state, const AccountId& owner,
                                               std::uint64_t after_id, std::size_t limit) {
  return ScanTrailingIds(state, OwnerPrefix(owner), after_id, limit);
}

Result<std::vector<std::uint64_t>> FindLinks(const StateReader& state, std::uint64_t target,
                                             std::size_t limit) {
  return ScanTrailingIds(state, LinkPrefix(target), 0, limit);
}

Result<bool> HasAttestation(const StateReader& state, const AccountId& subject, const AccountId& authority) {
  const Bytes prefix = AttestationPrefix(subject, authority);
  bool found = false;
  RC_RETURN_IF_ERROR(state.Scan(prefix, PrefixEnd(prefix), [&](ByteView, ByteView) {
    found = true;
    return false;
  }));
  return found;
}

Result<std::optional<std::uint64_t>> FindTimeStamp(const StateReader& state, std::uint8_t hash_algorithm,
                                                   ByteView digest) {
  const auto decode = [](ByteView value) -> Result<std::uint64_t> {
    if (value.size() != 8) return Status::Corruption("time-stamp index value is not 8 bytes");
    return ReadU64At(value, 0);
  };
  return LoadDecoded<std::uint64_t>(state, TimeStampKey(hash_algorithm, digest), decode, "time-stamp index");
}

}  // namespace rightchain::exec
