// Accounts: who may write copyright records (docs/records.md, "Accounts").
//
// An account is a public key of the chain's suite. Its id is the key id of the first key it held
// and never changes when the key is rotated or recovered, so records keep pointing at the same
// account; each record also names the key that signed it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/public_key.h"
#include "crypto/suite.h"
#include "exec/state.h"

namespace rightchain::exec {

using AccountId = crypto::KeyId;

// Account kinds, a bit set (wire u16). Wire values are stable.
enum AccountKind : std::uint16_t {
  kPersonKind = 1 << 0,
  kOrganisationKind = 1 << 1,
  kPlatformKind = 1 << 2,
  kCourtKind = 1 << 3,
  kNotaryKind = 1 << 4,
  kCopyrightOfficeKind = 1 << 5,
  kRegulatorKind = 1 << 6,
  kReviewerKind = 1 << 7,
};
using AccountKinds = std::uint16_t;
inline constexpr AccountKinds kAllAccountKinds = 0xFF;
inline constexpr AccountKinds kAuthorityKinds =
    kCourtKind | kNotaryKind | kCopyrightOfficeKind | kRegulatorKind;
// The kinds anyone may declare for their own new account; every other kind is granted.
inline constexpr AccountKinds kSelfDeclaredKinds = kPersonKind | kOrganisationKind;

// "person,platform": names in bit order. Unknown bits are not named.
std::string AccountKindsToString(AccountKinds kinds);
// Comma-separated names ("court,notary"); "authority" is not a kind of its own.
Result<AccountKinds> ParseAccountKinds(std::string_view names);

enum class KeyStatus : std::uint8_t {
  kCurrent = 1,  // signs for its account now
  kRotated = 2,  // replaced by the account holder: records it signed before stay valid
  kRevoked = 3,  // withdrawn by an authority (lost or stolen key)
};
std::string_view KeyStatusName(KeyStatus status);

inline constexpr std::size_t kMaxAccountLabelSize = 128;

struct Account {
  AccountId id{};
  AccountKinds kinds = 0;
  std::string label;                         // public; real-name attributes are never stored in clear
  std::optional<crypto::KeyId> current_key;  // none after a revocation, until a recovery
  std::uint32_t key_count = 0;               // keys ever held: entries 0 .. key_count-1 of the history
  std::uint64_t created_height = 0;          // 0 for genesis accounts
  friend bool operator==(const Account&, const Account&) = default;
};

// One key an account holds or held.
struct AccountKey {
  AccountId account{};
  crypto::SignatureScheme scheme = crypto::SignatureScheme::kEd25519;
  Bytes public_key;
  KeyStatus status = KeyStatus::kCurrent;
  std::uint64_t from_height = 0;
  std::uint64_t until_height = 0;  // 0 while current
  friend bool operator==(const AccountKey&, const AccountKey&) = default;
};

Bytes EncodeAccount(const Account& account);
Result<Account> DecodeAccount(ByteView encoding);
Bytes EncodeAccountKey(const AccountKey& key);
Result<AccountKey> DecodeAccountKey(ByteView encoding);

// State keys (docs/records.md):
//   "account/" ‖ account id [32]                  → Account
//   "key/" ‖ key id [32]                          → AccountKey
//   "account-key/" ‖ account id [32] ‖ index u32  → key id [32]   (the account's key history)
Bytes AccountStateKey(const AccountId& id);
Bytes KeyStateKey(const crypto::KeyId& key_id);
Bytes AccountKeyHistoryStateKey(const AccountId& id, std::uint32_t index);

Result<std::optional<Account>> LoadAccount(const StateReader& state, const AccountId& id);
Result<std::optional<AccountKey>> LoadAccountKey(const StateReader& state, const crypto::KeyId& key_id);
// Every key the account has held, oldest first (at most kMaxKeyHistory).
inline constexpr std::size_t kMaxKeyHistory = 1024;
Result<std::vector<AccountKey>> LoadKeyHistory(const StateReader& state, const Account& account);

// Writes a new account whose first key is `public_key` (its key id is the account id).
Account CreateAccount(StateChanges& changes, crypto::SignatureScheme scheme, ByteView public_key,
                      AccountKinds kinds, std::string label, std::uint64_t height);
// Ends the account's current key (if any) with `ending_status`, then makes `public_key` current.
// The caller has checked that the new key belongs to no account.
void ReplaceAccountKey(StateChanges& changes, Account& account, std::optional<AccountKey> current_key,
                       KeyStatus ending_status, crypto::SignatureScheme scheme, ByteView new_public_key,
                       std::uint64_t height);
// Ends the account's current key with kRevoked; the account has no key until a recovery.
void RevokeAccountKey(StateChanges& changes, Account& account, AccountKey current_key, std::uint64_t height);

}  // namespace rightchain::exec
