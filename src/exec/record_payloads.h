// What the copyright-record transactions carry: one payload type per transaction kind, each with a
// canonical encoding (docs/records.md gives every layout byte for byte).
//
// Decoding checks the structure (lengths, counts, enums) against the payload's size only; the
// documented field limits are checked by the Validate functions, so that an oversized field gets
// the receipt status field_too_large rather than malformed_payload. Clients call the same
// functions before they sign.
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
#include "exec/receipt.h"

namespace rightchain::exec {

inline constexpr std::uint8_t kPayloadVersion = 1;

// Field limits (bytes or counts).
inline constexpr std::size_t kMaxTitleSize = 512;
inline constexpr std::size_t kMaxAuthors = 32;
inline constexpr std::size_t kMaxAuthorNameSize = 128;
inline constexpr std::size_t kMaxOwners = 32;
inline constexpr std::size_t kMaxUrlSize = 2048;
inline constexpr std::size_t kMaxStoragePointerSize = 1024;
inline constexpr std::size_t kMaxFingerprintSize = 4096;
inline constexpr std::size_t kMaxIndexedBatchItems = 10'000;
inline constexpr std::uint32_t kMaxAnchorBatchItems = 1'000'000;
inline constexpr std::size_t kMaxBatchLabelSize = 512;
inline constexpr std::size_t kMaxEndorsementTextSize = 256;
inline constexpr std::size_t kMaxEvidenceNoteSize = 1024;
inline constexpr std::uint16_t kTotalShareBasisPoints = 10'000;
// A claimed creation time may lie at most this far after the block's time (clock skew).
inline constexpr std::int64_t kMaxClaimedTimeAheadMilliseconds = 24 * 60 * 60 * 1000;

// --- accounts -------------------------------------------------------------------------------

// A new key with its proof of possession: its signature over KeyProofMessage.
struct NewKey {
  Bytes public_key;  // raw key of the chain's scheme
  Bytes proof;       // 64-byte signature
  friend bool operator==(const NewKey&, const NewKey&) = default;
};
// DomainTag("rightchain/key-proof") ‖ chain id text ‖ account id [32] ‖ new public key bytes.
Bytes KeyProofMessage(std::string_view chain_id, const AccountId& account, ByteView new_public_key);

// Signed by the sponsor (a platform or an authority) for the holder of `new_key`, whose proof of
// possession names the new account (its id is the new key's id).
struct CreateAccountPayload {
  AccountKinds kinds = kPersonKind;  // only person and/or organisation may be declared
  std::string label;
  NewKey new_key;
  friend bool operator==(const CreateAccountPayload&, const CreateAccountPayload&) = default;
};
// Accounts one sponsor may create per day of block time (UTC days since the epoch).
inline constexpr std::uint32_t kMaxSponsoredAccountsPerDay = 1000;
inline constexpr std::int64_t kMillisecondsPerDay = 24 * 60 * 60 * 1000;

// Grant (kind 17) or withdraw (kind 18) account kinds.
struct ChangeKindsPayload {
  AccountId account{};
  AccountKinds kinds = 0;
  friend bool operator==(const ChangeKindsPayload&, const ChangeKindsPayload&) = default;
};

enum class IdentityAttribute : std::uint8_t {
  kName = 1,
  kIdNumber = 2,
  kOrganisationCode = 3,
};
std::string_view IdentityAttributeName(IdentityAttribute attribute);  // "name", "id-number", …
Result<IdentityAttribute> ParseIdentityAttribute(std::string_view name);

// An authority attests an attribute of an account: the commitment is HMAC(authority's secret,
// attribute value) with the suite's hash, never the value itself.
// What the authority's HMAC covers: DomainTag("rightchain/identity-attribute") ‖ subject [32] ‖
// attribute u8 ‖ value text. Binding the subject stops one commitment being reused for another.
Bytes IdentityCommitmentMessage(const AccountId& subject, IdentityAttribute attribute,
                                std::string_view value);

struct AttestIdentityPayload {
  AccountId subject{};
  IdentityAttribute attribute = IdentityAttribute::kName;
  crypto::Digest commitment{};
  friend bool operator==(const AttestIdentityPayload&, const AttestIdentityPayload&) = default;
};

struct RotateKeyPayload {  // signed by the account's current key
  NewKey new_key;
  friend bool operator==(const RotateKeyPayload&, const RotateKeyPayload&) = default;
};
struct RevokeKeyPayload {  // signed by an authority that attested the account
  AccountId subject{};
  friend bool operator==(const RevokeKeyPayload&, const RevokeKeyPayload&) = default;
};
struct RecoverKeyPayload {  // signed by an authority that attested the account
  AccountId subject{};
  NewKey new_key;
  friend bool operator==(const RecoverKeyPayload&, const RecoverKeyPayload&) = default;
};

// --- works ----------------------------------------------------------------------------------

enum class WorkKind : std::uint8_t { kText = 1, kImage = 2, kAudio = 3, kVideo = 4, kOther = 5 };
std::string_view WorkKindName(WorkKind kind);  // "text", "image", …
Result<WorkKind> ParseWorkKind(std::string_view name);

struct Fingerprint {
  std::uint16_t algorithm = 0;  // the fingerprint engine's algorithm id
  Bytes value;
  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};

struct Owner {
  AccountId account{};
  std::uint16_t share_basis_points = 0;  // 1/100 of a percent; owners' shares sum to 10,000
  friend bool operator==(const Owner&, const Owner&) = default;
};

// The full record of a work: the payload of a single registration, and each leaf of a batch.
struct WorkDescription {
  std::string title;
  WorkKind kind = WorkKind::kOther;
  crypto::Digest content_hash{};  // the suite's hash of the file
  std::optional<Fingerprint> fingerprint;
  std::vector<std::string> authors;  // names as credited (pen names allowed)
  std::vector<Owner> owners;
  std::uint64_t claimed_creation_time_milliseconds = 0;  // the author's claim; the block time is trusted
  std::string where;                                     // publication URL or platform
  std::string storage_pointer;                           // optional off-chain location, empty if none
  friend bool operator==(const WorkDescription&, const WorkDescription&) = default;
};

struct IndexedBatchPayload {
  crypto::Digest records_root{};               // RFC 6962 root over the items' WorkDescription encodings
  std::vector<crypto::Digest> content_hashes;  // item i's content hash, 1..10,000 items
  std::string label;
  friend bool operator==(const IndexedBatchPayload&, const IndexedBatchPayload&) = default;
};

struct AnchorBatchPayload {
  crypto::Digest records_root{};  // RFC 6962 root over the items' WorkDescription encodings
  std::uint32_t item_count = 0;   // 1..1,000,000
  std::string label;
  friend bool operator==(const AnchorBatchPayload&, const AnchorBatchPayload&) = default;
};

enum class EndorsementKind : std::uint8_t { kCopyrightAuthentication = 1, kRegistrationNumber = 2 };
std::string_view EndorsementKindName(EndorsementKind kind);
Result<EndorsementKind> ParseEndorsementKind(std::string_view name);

struct EndorsePayload {
  std::uint64_t record_id = 0;
  std::optional<std::uint32_t> item;  // for an item of an indexed batch
  EndorsementKind kind = EndorsementKind::kCopyrightAuthentication;
  std::string text;  // e.g. the office's registration number
  friend bool operator==(const EndorsePayload&, const EndorsePayload&) = default;
};

struct EvidencePayload {
  crypto::Digest manifest_hash{};  // hash of the capture manifest (WARC, screenshot, hashes)
  std::string target_url;
  std::uint64_t capture_time_milliseconds = 0;
  std::optional<std::uint64_t> related_record_id;
  std::optional<std::uint32_t> related_item;  // only with related_record_id, for a batch item
  std::string note;
  friend bool operator==(const EvidencePayload&, const EvidencePayload&) = default;
};

// --- time-stamps ----------------------------------------------------------------------------

// The hash algorithms an RFC 3161 time-stamp request may name (docs/proofs.md, "Time-stamps").
enum class TimeStampHash : std::uint8_t { kSha256 = 1, kSha384 = 2, kSha512 = 3, kSm3 = 4 };
inline constexpr std::size_t kMaxTimeStampDigestSize = 64;
std::string_view TimeStampHashName(TimeStampHash hash);  // "sha256", "sha384", "sha512", "sm3"
Result<TimeStampHash> ParseTimeStampHash(std::string_view name);
std::size_t TimeStampDigestSize(TimeStampHash hash);  // 32, 48, 64, 32

// A hash fixed in time (kind 37): the first time-stamp of a (hash, digest) pair creates a record;
// later ones find it (receipt status already_time_stamped, naming the first record).
struct TimeStampPayload {
  TimeStampHash hash = TimeStampHash::kSha256;
  Bytes digest;  // TimeStampDigestSize(hash) bytes
  friend bool operator==(const TimeStampPayload&, const TimeStampPayload&) = default;
};

// Encodings: kPayloadVersion, then the fields in declaration order (docs/records.md).
Bytes EncodePayload(const CreateAccountPayload& payload);
Bytes EncodePayload(const ChangeKindsPayload& payload);
Bytes EncodePayload(const AttestIdentityPayload& payload);
Bytes EncodePayload(const RotateKeyPayload& payload);
Bytes EncodePayload(const RevokeKeyPayload& payload);
Bytes EncodePayload(const RecoverKeyPayload& payload);
Bytes EncodePayload(const WorkDescription& payload);
Bytes EncodePayload(const IndexedBatchPayload& payload);
Bytes EncodePayload(const AnchorBatchPayload& payload);
Bytes EncodePayload(const EndorsePayload& payload);
Bytes EncodePayload(const EvidencePayload& payload);
Bytes EncodePayload(const TimeStampPayload& payload);

Result<CreateAccountPayload> DecodeCreateAccountPayload(ByteView encoding);
Result<ChangeKindsPayload> DecodeChangeKindsPayload(ByteView encoding);
Result<AttestIdentityPayload> DecodeAttestIdentityPayload(ByteView encoding);
Result<RotateKeyPayload> DecodeRotateKeyPayload(ByteView encoding);
Result<RevokeKeyPayload> DecodeRevokeKeyPayload(ByteView encoding);
Result<RecoverKeyPayload> DecodeRecoverKeyPayload(ByteView encoding);
Result<WorkDescription> DecodeWorkDescription(ByteView encoding);
Result<IndexedBatchPayload> DecodeIndexedBatchPayload(ByteView encoding);
Result<AnchorBatchPayload> DecodeAnchorBatchPayload(ByteView encoding);
Result<EndorsePayload> DecodeEndorsePayload(ByteView encoding);
Result<EvidencePayload> DecodeEvidencePayload(ByteView encoding);
Result<TimeStampPayload> DecodeTimeStampPayload(ByteView encoding);

// Field checks that need no state: kOk, or the receipt status the chain would give.
// `block_time_milliseconds` bounds the claimed creation time.
ReceiptStatus ValidateWorkDescription(const WorkDescription& work, std::int64_t block_time_milliseconds);
ReceiptStatus ValidateIndexedBatch(const IndexedBatchPayload& batch);
ReceiptStatus ValidateAnchorBatch(const AnchorBatchPayload& batch);
ReceiptStatus ValidateEndorsement(const EndorsePayload& endorsement);
ReceiptStatus ValidateEvidence(const EvidencePayload& evidence);
ReceiptStatus ValidateTimeStamp(const TimeStampPayload& time_stamp);

}  // namespace rightchain::exec
