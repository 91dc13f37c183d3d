#include "exec/record_payloads.h"

#include <array>
#include <set>

#include "codec/reader.h"
#include "codec/transaction.h"
#include "codec/utf8.h"
#include "codec/writer.h"
#include "crypto/domain.h"

namespace rightchain::exec {
namespace {

// Structural bound of every variable-size field: the payload itself. The documented, smaller
// limits are checked by the Validate functions.
constexpr std::size_t kWireLimit = codec::kMaxPayloadSize;
constexpr std::string_view kKeyProofDomainType = "rightchain/key-proof";

constexpr std::array<IdentityAttribute, 3> kAttributes = {
    IdentityAttribute::kName, IdentityAttribute::kIdNumber, IdentityAttribute::kOrganisationCode};
constexpr std::array<WorkKind, 5> kWorkKinds = {WorkKind::kText, WorkKind::kImage, WorkKind::kAudio,
                                                WorkKind::kVideo, WorkKind::kOther};
constexpr std::array<TimeStampHash, 4> kTimeStampHashes = {TimeStampHash::kSha256, TimeStampHash::kSha384,
                                                           TimeStampHash::kSha512, TimeStampHash::kSm3};
constexpr std::array<EndorsementKind, 2> kEndorsementKinds = {EndorsementKind::kCopyrightAuthentication,
                                                              EndorsementKind::kRegistrationNumber};

codec::Writer StartPayload() {
  codec::Writer writer;
  writer.WriteVersion(kPayloadVersion);
  return writer;
}

Status ExpectPayloadVersion(codec::Reader& reader, std::string_view object) {
  static constexpr std::array<std::uint8_t, 1> kVersions = {kPayloadVersion};
  return reader.ReadVersion(std::string(object) + ".version", kVersions).status();
}

Result<std::string> ReadString(codec::Reader& reader, std::string_view field) {
  RC_ASSIGN_OR_RETURN(const std::string_view text, reader.ReadText(field, kWireLimit));
  return std::string(text);
}

Result<Bytes> ReadByteString(codec::Reader& reader, std::string_view field) {
  RC_ASSIGN_OR_RETURN(const ByteView bytes, reader.ReadBytes(field, kWireLimit));
  return Bytes(bytes.begin(), bytes.end());
}

void WriteNewKey(codec::Writer& writer, const NewKey& key) {
  writer.WriteBytes(key.public_key, codec::kMaxPublicKeySize);
  writer.WriteBytes(key.proof, codec::kTransactionSignatureSize);
}

Result<NewKey> ReadNewKey(codec::Reader& reader) {
  NewKey key;
  RC_ASSIGN_OR_RETURN(const ByteView public_key,
                      reader.ReadBytes("new_key.public_key", codec::kMaxPublicKeySize));
  key.public_key.assign(public_key.begin(), public_key.end());
  RC_ASSIGN_OR_RETURN(const ByteView proof,
                      reader.ReadBytes("new_key.proof", codec::kTransactionSignatureSize));
  key.proof.assign(proof.begin(), proof.end());
  return key;
}

void WriteOptionalU32(codec::Writer& writer, const std::optional<std::uint32_t>& value) {
  writer.WriteOptional(value, [](codec::Writer& out, std::uint32_t v) { out.WriteU32(v); });
}

Result<std::optional<std::uint32_t>> ReadOptionalU32(codec::Reader& reader, std::string_view field) {
  return reader.ReadOptional<std::uint32_t>(field, [field](codec::Reader& in) { return in.ReadU32(field); });
}

bool TooLarge(std::string_view text, std::size_t limit) {
  return text.size() > limit;
}

}  // namespace

// --- names ----------------------------------------------------------------------------------

std::string_view IdentityAttributeName(IdentityAttribute attribute) {
  switch (attribute) {
    case IdentityAttribute::kName: return "name";
    case IdentityAttribute::kIdNumber: return "id-number";
    case IdentityAttribute::kOrganisationCode: return "organisation-code";
  }
  return "unknown";
}

Result<IdentityAttribute> ParseIdentityAttribute(std::string_view name) {
  for (const IdentityAttribute attribute : kAttributes) {
    if (IdentityAttributeName(attribute) == name) return attribute;
  }
  return Status::InvalidArgument("unknown identity attribute '" + std::string(name) +
                                 "' (expected name, id-number or organisation-code)");
}

std::string_view WorkKindName(WorkKind kind) {
  switch (kind) {
    case WorkKind::kText: return "text";
    case WorkKind::kImage: return "image";
    case WorkKind::kAudio: return "audio";
    case WorkKind::kVideo: return "video";
    case WorkKind::kOther: return "other";
  }
  return "unknown";
}

Result<WorkKind> ParseWorkKind(std::string_view name) {
  for (const WorkKind kind : kWorkKinds) {
    if (WorkKindName(kind) == name) return kind;
  }
  return Status::InvalidArgument("unknown work kind '" + std::string(name) +
                                 "' (expected text, image, audio, video or other)");
}

std::string_view EndorsementKindName(EndorsementKind kind) {
  switch (kind) {
    case EndorsementKind::kCopyrightAuthentication: return "copyright-authentication";
    case EndorsementKind::kRegistrationNumber: return "registration-number";
  }
  return "unknown";
}

Result<EndorsementKind> ParseEndorsementKind(std::string_view name) {
  for (const EndorsementKind kind : kEndorsementKinds) {
    if (EndorsementKindName(kind) == name) return kind;
  }
  return Status::InvalidArgument("unknown endorsement kind '" + std::string(name) +
                                 "' (expected copyright-authentication or registration-number)");
}

Bytes KeyProofMessage(std::string_view chain_id, const AccountId& account, ByteView new_public_key) {
  codec::Writer writer;
  writer.WriteDomainTag(kKeyProofDomainType);
  writer.WriteText(chain_id, codec::kMaxChainIdSize);
  writer.WriteFixed(account);
  writer.WriteBytes(new_public_key, codec::kMaxPublicKeySize);
  return std::move(writer).Take();
}

Bytes IdentityCommitmentMessage(const AccountId& subject, IdentityAttribute attribute,
                                std::string_view value) {
  codec::Writer writer;
  writer.WriteDomainTag("rightchain/identity-attribute");
  writer.WriteFixed(subject);
  writer.WriteEnum(attribute);
  writer.WriteText(value, kWireLimit);
  return std::move(writer).Take();
}

// --- accounts -------------------------------------------------------------------------------

Bytes EncodePayload(const CreateAccountPayload& payload) {
  codec::Writer writer = StartPayload();
  writer.WriteU16(payload.kinds);
  writer.WriteText(payload.label, kWireLimit);
  WriteNewKey(writer, payload.new_key);
  return std::move(writer).Take();
}

Result<CreateAccountPayload> DecodeCreateAccountPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "create_account"));
  CreateAccountPayload payload;
  RC_ASSIGN_OR_RETURN(payload.kinds, reader.ReadU16("create_account.kinds"));
  RC_ASSIGN_OR_RETURN(payload.label, ReadString(reader, "create_account.label"));
  RC_ASSIGN_OR_RETURN(payload.new_key, ReadNewKey(reader));
  RC_RETURN_IF_ERROR(reader.Finish("create_account"));
  return payload;
}

Bytes EncodePayload(const ChangeKindsPayload& payload) {
  codec::Writer writer = StartPayload();
  writer.WriteFixed(payload.account);
  writer.WriteU16(payload.kinds);
  return std::move(writer).Take();
}

Result<ChangeKindsPayload> DecodeChangeKindsPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "change_kinds"));
  ChangeKindsPayload payload;
  RC_ASSIGN_OR_RETURN(payload.account, reader.ReadArray<crypto::kKeyIdSize>("change_kinds.account"));
  RC_ASSIGN_OR_RETURN(payload.kinds, reader.ReadU16("change_kinds.kinds"));
  RC_RETURN_IF_ERROR(reader.Finish("change_kinds"));
  return payload;
}

Bytes EncodePayload(const AttestIdentityPayload& payload) {
  codec::Writer writer = StartPayload();
  writer.WriteFixed(payload.subject);
  writer.WriteEnum(payload.attribute);
  writer.WriteFixed(payload.commitment);
  return std::move(writer).Take();
}

Result<AttestIdentityPayload> DecodeAttestIdentityPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "attest_identity"));
  AttestIdentityPayload payload;
  RC_ASSIGN_OR_RETURN(payload.subject, reader.ReadArray<crypto::kKeyIdSize>("attest_identity.subject"));
  RC_ASSIGN_OR_RETURN(payload.attribute,
                      reader.ReadEnum<IdentityAttribute>("attest_identity.attribute", kAttributes));
  RC_ASSIGN_OR_RETURN(payload.commitment,
                      reader.ReadArray<crypto::kDigestSize>("attest_identity.commitment"));
  RC_RETURN_IF_ERROR(reader.Finish("attest_identity"));
  return payload;
}

Bytes EncodePayload(const RotateKeyPayload& payload) {
  codec::Writer writer = StartPayload();
  WriteNewKey(writer, payload.new_key);
  return std::move(writer).Take();
}

Result<RotateKeyPayload> DecodeRotateKeyPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "rotate_key"));
  RotateKeyPayload payload;
  RC_ASSIGN_OR_RETURN(payload.new_key, ReadNewKey(reader));
  RC_RETURN_IF_ERROR(reader.Finish("rotate_key"));
  return payload;
}

Bytes EncodePayload(const RevokeKeyPayload& payload) {
  codec::Writer writer = StartPayload();
  writer.WriteFixed(payload.subject);
  return std::move(writer).Take();
}

Result<RevokeKeyPayload> DecodeRevokeKeyPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "revoke_key"));
  RevokeKeyPayload payload;
  RC_ASSIGN_OR_RETURN(payload.subject, reader.ReadArray<crypto::kKeyIdSize>("revoke_key.subject"));
  RC_RETURN_IF_ERROR(reader.Finish("revoke_key"));
  return payload;
}

Bytes EncodePayload(const RecoverKeyPayload& payload) {
  codec::Writer writer = StartPayload();
  writer.WriteFixed(payload.subject);
  WriteNewKey(writer, payload.new_key);
  return std::move(writer).Take();
}

Result<RecoverKeyPayload> DecodeRecoverKeyPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "recover_key"));
  RecoverKeyPayload payload;
  RC_ASSIGN_OR_RETURN(payload.subject, reader.ReadArray<crypto::kKeyIdSize>("recover_key.subject"));
  RC_ASSIGN_OR_RETURN(payload.new_key, ReadNewKey(reader));
  RC_RETURN_IF_ERROR(reader.Finish("recover_key"));
  return payload;
}

// --- works ----------------------------------------------------------------------------------

Bytes EncodePayload(const WorkDescription& work) {
  codec::Writer writer = StartPayload();
  writer.WriteText(work.title, kWireLimit);
  writer.WriteEnum(work.kind);
  writer.WriteFixed(work.content_hash);
  writer.WriteOptional(work.fingerprint, [](codec::Writer& out, const Fingerprint& fingerprint) {
    out.WriteU16(fingerprint.algorithm);
    out.WriteBytes(fingerprint.value, kWireLimit);
  });
  writer.WriteSequence(work.authors, kWireLimit, [](codec::Writer& out, const std::string& author) {
    out.WriteText(author, kWireLimit);
  });
  writer.WriteSequence(work.owners, kWireLimit, [](codec::Writer& out, const Owner& owner) {
    out.WriteFixed(owner.account);
    out.WriteU16(owner.share_basis_points);
  });
  writer.WriteU64(work.claimed_creation_time_milliseconds);
  writer.WriteText(work.where, kWireLimit);
  writer.WriteText(work.storage_pointer, kWireLimit);
  return std::move(writer).Take();
}

Result<WorkDescription> DecodeWorkDescription(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "work"));
  WorkDescription work;
  RC_ASSIGN_OR_RETURN(work.title, ReadString(reader, "work.title"));
  RC_ASSIGN_OR_RETURN(work.kind, reader.ReadEnum<WorkKind>("work.kind", kWorkKinds));
  RC_ASSIGN_OR_RETURN(work.content_hash, reader.ReadArray<crypto::kDigestSize>("work.content_hash"));
  RC_ASSIGN_OR_RETURN(
      work.fingerprint,
      reader.ReadOptional<Fingerprint>("work.fingerprint", [](codec::Reader& in) -> Result<Fingerprint> {
        Fingerprint fingerprint;
        RC_ASSIGN_OR_RETURN(fingerprint.algorithm, in.ReadU16("work.fingerprint.algorithm"));
        RC_ASSIGN_OR_RETURN(fingerprint.value, ReadByteString(in, "work.fingerprint.value"));
        return fingerprint;
      }));
  RC_ASSIGN_OR_RETURN(work.authors,
                      reader.ReadSequence<std::string>("work.authors", kWireLimit, 4, [](codec::Reader& in) {
                        return ReadString(in, "work.author");
                      }));
  RC_ASSIGN_OR_RETURN(
      work.owners,
      reader.ReadSequence<Owner>(
          "work.owners", kWireLimit, crypto::kKeyIdSize + 2, [](codec::Reader& in) -> Result<Owner> {
            Owner owner;
            RC_ASSIGN_OR_RETURN(owner.account, in.ReadArray<crypto::kKeyIdSize>("work.owner"));
            RC_ASSIGN_OR_RETURN(owner.share_basis_points, in.ReadU16("work.owner.share"));
            return owner;
          }));
  RC_ASSIGN_OR_RETURN(work.claimed_creation_time_milliseconds, reader.ReadU64("work.claimed_creation_time"));
  RC_ASSIGN_OR_RETURN(work.where, ReadString(reader, "work.where"));
  RC_ASSIGN_OR_RETURN(work.storage_pointer, ReadString(reader, "work.storage_pointer"));
  RC_RETURN_IF_ERROR(reader.Finish("work"));
  return work;
}

Bytes EncodePayload(const IndexedBatchPayload& batch) {
  codec::Writer writer(1 + 32 + 4 + batch.content_hashes.size() * crypto::kDigestSize + 4 +
                       batch.label.size());
  writer.WriteVersion(kPayloadVersion);
  writer.WriteFixed(batch.records_root);
  writer.WriteSequence(batch.content_hashes, kWireLimit,
                       [](codec::Writer& out, const crypto::Digest& hash) { out.WriteFixed(hash); });
  writer.WriteText(batch.label, kWireLimit);
  return std::move(writer).Take();
}

Result<IndexedBatchPayload> DecodeIndexedBatchPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "indexed_batch"));
  IndexedBatchPayload batch;
  RC_ASSIGN_OR_RETURN(batch.records_root,
                      reader.ReadArray<crypto::kDigestSize>("indexed_batch.records_root"));
  RC_ASSIGN_OR_RETURN(
      batch.content_hashes,
      reader.ReadSequence<crypto::Digest>(
          "indexed_batch.content_hashes", kWireLimit, crypto::kDigestSize,
          [](codec::Reader& in) { return in.ReadArray<crypto::kDigestSize>("indexed_batch.content_hash"); }));
  RC_ASSIGN_OR_RETURN(batch.label, ReadString(reader, "indexed_batch.label"));
  RC_RETURN_IF_ERROR(reader.Finish("indexed_batch"));
  return batch;
}

Bytes EncodePayload(const AnchorBatchPayload& batch) {
  codec::Writer writer = StartPayload();
  writer.WriteFixed(batch.records_root);
  writer.WriteU32(batch.item_count);
  writer.WriteText(batch.label, kWireLimit);
  return std::move(writer).Take();
}

Result<AnchorBatchPayload> DecodeAnchorBatchPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "anchor_batch"));
  AnchorBatchPayload batch;
  RC_ASSIGN_OR_RETURN(batch.records_root, reader.ReadArray<crypto::kDigestSize>("anchor_batch.records_root"));
  RC_ASSIGN_OR_RETURN(batch.item_count, reader.ReadU32("anchor_batch.item_count"));
  RC_ASSIGN_OR_RETURN(batch.label, ReadString(reader, "anchor_batch.label"));
  RC_RETURN_IF_ERROR(reader.Finish("anchor_batch"));
  return batch;
}

Bytes EncodePayload(const EndorsePayload& endorsement) {
  codec::Writer writer = StartPayload();
  writer.WriteU64(endorsement.record_id);
  WriteOptionalU32(writer, endorsement.item);
  writer.WriteEnum(endorsement.kind);
  writer.WriteText(endorsement.text, kWireLimit);
  return std::move(writer).Take();
}

Result<EndorsePayload> DecodeEndorsePayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "endorse"));
  EndorsePayload endorsement;
  RC_ASSIGN_OR_RETURN(endorsement.record_id, reader.ReadU64("endorse.record_id"));
  RC_ASSIGN_OR_RETURN(endorsement.item, ReadOptionalU32(reader, "endorse.item"));
  RC_ASSIGN_OR_RETURN(endorsement.kind, reader.ReadEnum<EndorsementKind>("endorse.kind", kEndorsementKinds));
  RC_ASSIGN_OR_RETURN(endorsement.text, ReadString(reader, "endorse.text"));
  RC_RETURN_IF_ERROR(reader.Finish("endorse"));
  return endorsement;
}

Bytes EncodePayload(const EvidencePayload& evidence) {
  codec::Writer writer = StartPayload();
  writer.WriteFixed(evidence.manifest_hash);
  writer.WriteText(evidence.target_url, kWireLimit);
  writer.WriteU64(evidence.capture_time_milliseconds);
  writer.WriteOptional(evidence.related_record_id,
                       [](codec::Writer& out, std::uint64_t id) { out.WriteU64(id); });
  WriteOptionalU32(writer, evidence.related_item);
  writer.WriteText(evidence.note, kWireLimit);
  return std::move(writer).Take();
}

Result<EvidencePayload> DecodeEvidencePayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "evidence"));
  EvidencePayload evidence;
  RC_ASSIGN_OR_RETURN(evidence.manifest_hash,
                      reader.ReadArray<crypto::kDigestSize>("evidence.manifest_hash"));
  RC_ASSIGN_OR_RETURN(evidence.target_url, ReadString(reader, "evidence.target_url"));
  RC_ASSIGN_OR_RETURN(evidence.capture_time_milliseconds, reader.ReadU64("evidence.capture_time"));
  RC_ASSIGN_OR_RETURN(evidence.related_record_id,
                      reader.ReadOptional<std::uint64_t>("evidence.related_record_id", [](codec::Reader& in) {
                        return in.ReadU64("evidence.related_record_id");
                      }));
  RC_ASSIGN_OR_RETURN(evidence.related_item, ReadOptionalU32(reader, "evidence.related_item"));
  RC_ASSIGN_OR_RETURN(evidence.note, ReadString(reader, "evidence.note"));
  RC_RETURN_IF_ERROR(reader.Finish("evidence"));
  return evidence;
}

std::string_view TimeStampHashName(TimeStampHash hash) {
  switch (hash) {
    case TimeStampHash::kSha256: return "sha256";
    case TimeStampHash::kSha384: return "sha384";
    case TimeStampHash::kSha512: return "sha512";
    case TimeStampHash::kSm3: return "sm3";
  }
  return "unknown";
}

Result<TimeStampHash> ParseTimeStampHash(std::string_view name) {
  for (const TimeStampHash hash : kTimeStampHashes) {
    if (TimeStampHashName(hash) == name) return hash;
  }
  return Status::InvalidArgument("unknown time-stamp hash \"" + std::string(name) +
                                 "\" (expected sha256, sha384, sha512 or sm3)");
}

std::size_t TimeStampDigestSize(TimeStampHash hash) {
  switch (hash) {
    case TimeStampHash::kSha256: return 32;
    case TimeStampHash::kSha384: return 48;
    case TimeStampHash::kSha512: return 64;
    case TimeStampHash::kSm3: return 32;
  }
  RC_UNREACHABLE();
}

Bytes EncodePayload(const TimeStampPayload& time_stamp) {
  codec::Writer writer = StartPayload();
  writer.WriteEnum(time_stamp.hash);
  writer.WriteBytes(time_stamp.digest, kMaxTimeStampDigestSize);
  return std::move(writer).Take();
}

Result<TimeStampPayload> DecodeTimeStampPayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectPayloadVersion(reader, "time_stamp"));
  TimeStampPayload time_stamp;
  RC_ASSIGN_OR_RETURN(time_stamp.hash, reader.ReadEnum<TimeStampHash>("time_stamp.hash", kTimeStampHashes));
  RC_ASSIGN_OR_RETURN(const ByteView digest, reader.ReadBytes("time_stamp.digest", kMaxTimeStampDigestSize));
  time_stamp.digest.assign(digest.begin(), digest.end());
  RC_RETURN_IF_ERROR(reader.Finish("time_stamp"));
  return time_stamp;
}

// --- validation -----------------------------------------------------------------------------

ReceiptStatus ValidateWorkDescription(const WorkDescription& work, std::int64_t block_time_milliseconds) {
  if (TooLarge(work.title, kMaxTitleSize) || TooLarge(work.where, kMaxUrlSize) ||
      TooLarge(work.storage_pointer, kMaxStoragePointerSize) || work.authors.size() > kMaxAuthors ||
      work.owners.size() > kMaxOwners ||
      (work.fingerprint.has_value() && work.fingerprint->value.size() > kMaxFingerprintSize)) {
    return ReceiptStatus::kFieldTooLarge;
  }
  for (const std::string& author : work.authors) {
    if (TooLarge(author, kMaxAuthorNameSize)) return ReceiptStatus::kFieldTooLarge;
    if (author.empty()) return ReceiptStatus::kInvalidField;
  }
  if (work.title.empty()) return ReceiptStatus::kInvalidField;
  if (work.fingerprint.has_value() && work.fingerprint->value.empty()) return ReceiptStatus::kInvalidField;
  if (static_cast<std::int64_t>(work.claimed_creation_time_milliseconds) < 0 ||
      static_cast<std::int64_t>(work.claimed_creation_time_milliseconds) >
          block_time_milliseconds + kMaxClaimedTimeAheadMilliseconds) {
    return ReceiptStatus::kInvalidField;
  }
  if (work.owners.empty()) return ReceiptStatus::kBadShares;
  std::set<AccountId> owners;
  std::uint32_t total = 0;
  for (const Owner& owner : work.owners) {
    if (owner.share_basis_points == 0 || !owners.insert(owner.account).second)
      return ReceiptStatus::kBadShares;
    total += owner.share_basis_points;
  }
  if (total != kTotalShareBasisPoints) return ReceiptStatus::kBadShares;
  return ReceiptStatus::kOk;
}

ReceiptStatus ValidateIndexedBatch(const IndexedBatchPayload& batch) {
  if (batch.content_hashes.size() > kMaxIndexedBatchItems || TooLarge(batch.label, kMaxBatchLabelSize))
    return ReceiptStatus::kFieldTooLarge;
  if (batch.content_hashes.empty()) return ReceiptStatus::kInvalidField;
  return ReceiptStatus::kOk;
}

ReceiptStatus ValidateAnchorBatch(const AnchorBatchPayload& batch) {
  if (batch.item_count > kMaxAnchorBatchItems || TooLarge(batch.label, kMaxBatchLabelSize))
    return ReceiptStatus::kFieldTooLarge;
  if (batch.item_count == 0) return ReceiptStatus::kInvalidField;
  return ReceiptStatus::kOk;
}

ReceiptStatus ValidateEndorsement(const EndorsePayload& endorsement) {
  if (TooLarge(endorsement.text, kMaxEndorsementTextSize)) return ReceiptStatus::kFieldTooLarge;
  if (endorsement.kind == EndorsementKind::kRegistrationNumber && endorsement.text.empty())
    return ReceiptStatus::kInvalidField;
  return ReceiptStatus::kOk;
}

ReceiptStatus ValidateEvidence(const EvidencePayload& evidence) {
  if (TooLarge(evidence.target_url, kMaxUrlSize) || TooLarge(evidence.note, kMaxEvidenceNoteSize))
    return ReceiptStatus::kFieldTooLarge;
  if (evidence.target_url.empty()) return ReceiptStatus::kInvalidField;
  if (evidence.related_item.has_value() && !evidence.related_record_id.has_value())
    return ReceiptStatus::kInvalidField;
  return ReceiptStatus::kOk;
}

ReceiptStatus ValidateTimeStamp(const TimeStampPayload& time_stamp) {
  if (time_stamp.digest.size() != TimeStampDigestSize(time_stamp.hash)) return ReceiptStatus::kInvalidField;
  return ReceiptStatus::kOk;
}

}  // namespace rightchain::exec
