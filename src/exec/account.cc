#include "exec/account.h"

#include <array>

#include "base/assert.h"
#include "codec/reader.h"
#include "codec/transaction.h"
#include "codec/writer.h"
#include "exec/state_keys.h"

namespace rightchain::exec {
namespace {

constexpr std::string_view kAccountPrefix = "account/";
constexpr std::string_view kKeyPrefix = "key/";
constexpr std::string_view kAccountKeyPrefix = "account-key/";
constexpr std::string_view kAccountDomainType = "rightchain/account";
constexpr std::string_view kAccountKeyDomainType = "rightchain/account-key";
constexpr std::uint8_t kAccountVersion = 1;

struct KindName {
  AccountKind kind;
  std::string_view name;
};
constexpr std::array<KindName, 8> kKindNames = {{
    {kPersonKind, "person"},
    {kOrganisationKind, "organisation"},
    {kPlatformKind, "platform"},
    {kCourtKind, "court"},
    {kNotaryKind, "notary"},
    {kCopyrightOfficeKind, "copyright-office"},
    {kRegulatorKind, "regulator"},
    {kReviewerKind, "reviewer"},
}};

constexpr std::array<KeyStatus, 3> kKeyStatuses = {KeyStatus::kCurrent, KeyStatus::kRotated,
                                                   KeyStatus::kRevoked};

Result<crypto::KeyId> KeyIdOf(crypto::SignatureScheme scheme, ByteView public_key) {
  return crypto::ComputeKeyId(scheme, public_key);
}

}  // namespace

std::string AccountKindsToString(AccountKinds kinds) {
  std::string text;
  for (const KindName& entry : kKindNames) {
    if ((kinds & entry.kind) == 0) continue;
    if (!text.empty()) text += ',';
    text += entry.name;
  }
  return text;
}

Result<AccountKinds> ParseAccountKinds(std::string_view names) {
  AccountKinds kinds = 0;
  while (!names.empty()) {
    const std::size_t comma = names.find(',');
    const std::string_view name = names.substr(0, comma);
    bool known = false;
    for (const KindName& entry : kKindNames) {
      if (entry.name == name) {
        kinds |= entry.kind;
        known = true;
      }
    }
    if (!known) {
      return Status::InvalidArgument("unknown account kind '" + std::string(name) +
                                     "' (expected person, organisation, platform, court, notary, "
                                     "copyright-office, regulator, reviewer)");
    }
    names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
  }
  if (kinds == 0) return Status::InvalidArgument("no account kind given");
  return kinds;
}

std::string_view KeyStatusName(KeyStatus status) {
  switch (status) {
    case KeyStatus::kCurrent: return "current";
    case KeyStatus::kRotated: return "rotated";
    case KeyStatus::kRevoked: return "revoked";
  }
  return "unknown";
}

Bytes EncodeAccount(const Account& account) {
  codec::Writer writer;
  writer.WriteDomainTag(kAccountDomainType);
  writer.WriteVersion(kAccountVersion);
  writer.WriteFixed(account.id);
  writer.WriteU16(account.kinds);
  writer.WriteText(account.label, kMaxAccountLabelSize);
  writer.WriteOptional(account.current_key,
                       [](codec::Writer& out, const crypto::KeyId& key) { out.WriteFixed(key); });
  writer.WriteU32(account.key_count);
  writer.WriteU64(account.created_height);
  return std::move(writer).Take();
}

Result<Account> DecodeAccount(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("account", kAccountDomainType));
  static constexpr std::array<std::uint8_t, 1> kVersions = {kAccountVersion};
  RC_RETURN_IF_ERROR(reader.ReadVersion("account.version", kVersions).status());
  Account account;
  RC_ASSIGN_OR_RETURN(account.id, reader.ReadArray<crypto::kKeyIdSize>("account.id"));
  RC_ASSIGN_OR_RETURN(account.kinds, reader.ReadU16("account.kinds"));
  RC_ASSIGN_OR_RETURN(const std::string_view label, reader.ReadText("account.label", kMaxAccountLabelSize));
  account.label = std::string(label);
  RC_ASSIGN_OR_RETURN(account.current_key,
                      reader.ReadOptional<crypto::KeyId>("account.current_key", [](codec::Reader& in) {
                        return in.ReadArray<crypto::kKeyIdSize>("account.current_key");
                      }));
  RC_ASSIGN_OR_RETURN(account.key_count, reader.ReadU32("account.key_count"));
  RC_ASSIGN_OR_RETURN(account.created_height, reader.ReadU64("account.created_height"));
  RC_RETURN_IF_ERROR(reader.Finish("account"));
  return account;
}

Bytes EncodeAccountKey(const AccountKey& key) {
  codec::Writer writer;
  writer.WriteDomainTag(kAccountKeyDomainType);
  writer.WriteVersion(kAccountVersion);
  writer.WriteFixed(key.account);
  writer.WriteEnum(key.scheme);
  writer.WriteBytes(key.public_key, codec::kMaxPublicKeySize);
  writer.WriteEnum(key.status);
  writer.WriteU64(key.from_height);
  writer.WriteU64(key.until_height);
  return std::move(writer).Take();
}

Result<AccountKey> DecodeAccountKey(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("account_key", kAccountKeyDomainType));
  static constexpr std::array<std::uint8_t, 1> kVersions = {kAccountVersion};
  RC_RETURN_IF_ERROR(reader.ReadVersion("account_key.version", kVersions).status());
  AccountKey key;
  RC_ASSIGN_OR_RETURN(key.account, reader.ReadArray<crypto::kKeyIdSize>("account_key.account"));
  RC_ASSIGN_OR_RETURN(const std::uint8_t scheme, reader.ReadU8("account_key.scheme"));
  RC_ASSIGN_OR_RETURN(key.scheme, crypto::SignatureSchemeFromByte(scheme));
  RC_ASSIGN_OR_RETURN(const ByteView public_key,
                      reader.ReadBytes("account_key.public_key", codec::kMaxPublicKeySize));
  key.public_key.assign(public_key.begin(), public_key.end());
  RC_ASSIGN_OR_RETURN(key.status, reader.ReadEnum<KeyStatus>("account_key.status", kKeyStatuses));
  RC_ASSIGN_OR_RETURN(key.from_height, reader.ReadU64("account_key.from_height"));
  RC_ASSIGN_OR_RETURN(key.until_height, reader.ReadU64("account_key.until_height"));
  RC_RETURN_IF_ERROR(reader.Finish("account_key"));
  return key;
}

Bytes AccountStateKey(const AccountId& id) {
  Bytes key = StateKeyPrefix(kAccountPrefix);
  AppendArray(key, id);
  return key;
}

Bytes KeyStateKey(const crypto::KeyId& key_id) {
  Bytes key = StateKeyPrefix(kKeyPrefix);
  AppendArray(key, key_id);
  return key;
}

Bytes AccountKeyHistoryStateKey(const AccountId& id, std::uint32_t index) {
  Bytes key = StateKeyPrefix(kAccountKeyPrefix);
  AppendArray(key, id);
  AppendU32(key, index);
  return key;
}

Result<std::optional<Account>> LoadAccount(const StateReader& state, const AccountId& id) {
  return LoadDecoded<Account>(state, AccountStateKey(id), DecodeAccount, "account");
}

Result<std::optional<AccountKey>> LoadAccountKey(const StateReader& state, const crypto::KeyId& key_id) {
  return LoadDecoded<AccountKey>(state, KeyStateKey(key_id), DecodeAccountKey, "account key");
}

Result<std::vector<AccountKey>> LoadKeyHistory(const StateReader& state, const Account& account) {
  std::vector<AccountKey> history;
  const std::uint32_t count = std::min<std::uint32_t>(account.key_count, kMaxKeyHistory);
  for (std::uint32_t index = 0; index < count; ++index) {
    RC_ASSIGN_OR_RETURN(const std::optional<Bytes> key_id,
                        state.Get(AccountKeyHistoryStateKey(account.id, index)));
    if (!key_id.has_value() || key_id->size() != crypto::kKeyIdSize)
      return Status::Corruption("account key history has a gap");
    crypto::KeyId id;
    std::copy(key_id->begin(), key_id->end(), id.begin());
    RC_ASSIGN_OR_RETURN(const std::optional<AccountKey> key, LoadAccountKey(state, id));
    if (!key.has_value()) return Status::Corruption("account key history names a missing key");
    history.push_back(*key);
  }
  return history;
}

namespace {

void AddKey(StateChanges& changes, Account& account, crypto::SignatureScheme scheme, ByteView public_key,
            std::uint64_t height) {
  const Result<crypto::KeyId> key_id = KeyIdOf(scheme, public_key);
  RC_ASSERT(key_id.ok());  // callers pass keys that decoded as keys of the scheme
  AccountKey key;
  key.account = account.id;
  key.scheme = scheme;
  key.public_key.assign(public_key.begin(), public_key.end());
  key.status = KeyStatus::kCurrent;
  key.from_height = height;
  changes.Put(KeyStateKey(*key_id), EncodeAccountKey(key));
  changes.Put(AccountKeyHistoryStateKey(account.id, account.key_count),
              Bytes(key_id->begin(), key_id->end()));
  account.key_count += 1;
  account.current_key = *key_id;
}

void EndKey(StateChanges& changes, AccountKey key, KeyStatus ending_status, std::uint64_t height) {
  RC_ASSERT(key.status == KeyStatus::kCurrent);
  RC_ASSERT(ending_status != KeyStatus::kCurrent);
  const Result<crypto::KeyId> key_id = KeyIdOf(key.scheme, key.public_key);
  RC_ASSERT(key_id.ok());
  key.status = ending_status;
  key.until_height = height;
  changes.Put(KeyStateKey(*key_id), EncodeAccountKey(key));
}

}  // namespace

Account CreateAccount(StateChanges& changes, crypto::SignatureScheme scheme, ByteView public_key,
                      AccountKinds kinds, std::string label, std::uint64_t height) {
  const Result<crypto::KeyId> key_id = KeyIdOf(scheme, public_key);
  RC_ASSERT(key_id.ok());
  Account account;
  account.id = *key_id;
  account.kinds = kinds;
  account.label = std::move(label);
  account.created_height = height;
  AddKey(changes, account, scheme, public_key, height);
  changes.Put(AccountStateKey(account.id), EncodeAccount(account));
  return account;
}

void ReplaceAccountKey(StateChanges& changes, Account& account, std::optional<AccountKey> current_key,
                       KeyStatus ending_status, crypto::SignatureScheme scheme, ByteView new_public_key,
                       std::uint64_t height) {
  RC_ASSERT(current_key.has_value() == account.current_key.has_value());
  if (current_key.has_value()) EndKey(changes, *current_key, ending_status, height);
  AddKey(changes, account, scheme, new_public_key, height);
  changes.Put(AccountStateKey(account.id), EncodeAccount(account));
}

void RevokeAccountKey(StateChanges& changes, Account& account, AccountKey current_key, std::uint64_t height) {
  RC_ASSERT(account.current_key.has_value());
  EndKey(changes, std::move(current_key), KeyStatus::kRevoked, height);
  account.current_key.reset();
  changes.Put(AccountStateKey(account.id), EncodeAccount(account));
}

}  // namespace rightchain::exec
