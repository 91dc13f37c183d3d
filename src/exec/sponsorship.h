// Sponsorship of new accounts (docs/records.md, "Accounts"): a platform or an authority signs
// the creation of an account for someone else's key and answers for it, within a quota of
// kMaxSponsoredAccountsPerDay per day of block time, so that nobody creates accounts (and with
// them the right to write records) for free.
#pragma once

#include <cstdint>

#include "exec/account.h"
#include "exec/state.h"

namespace rightchain::exec {

// Platforms and authorities sponsor accounts.
bool MaySponsor(const Account& account);

// The UTC day (since the Unix epoch) of a block time; quotas count per day.
std::uint64_t QuotaDay(std::int64_t time_milliseconds);

// "sponsored/" ‖ sponsor account id [32] ‖ day u64 → accounts created that day u32.
Bytes SponsoredCountStateKey(const AccountId& sponsor, std::uint64_t day);
Result<std::uint32_t> LoadSponsoredCount(const StateReader& state, const AccountId& sponsor,
                                         std::uint64_t day);
void PutSponsoredCount(StateChanges& changes, const AccountId& sponsor, std::uint64_t day,
                       std::uint32_t count);

}  // namespace rightchain::exec
