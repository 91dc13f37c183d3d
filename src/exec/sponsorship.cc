#include "exec/sponsorship.h"

#include "exec/record_payloads.h"
#include "exec/state_keys.h"

namespace rightchain::exec {

bool MaySponsor(const Account& account) {
  return (account.kinds & (kPlatformKind | kAuthorityKinds)) != 0;
}

std::uint64_t QuotaDay(std::int64_t time_milliseconds) {
  return time_milliseconds <= 0 ? 0 : static_cast<std::uint64_t>(time_milliseconds / kMillisecondsPerDay);
}

Bytes SponsoredCountStateKey(const AccountId& sponsor, std::uint64_t day) {
  Bytes key = StateKeyPrefix("sponsored/");
  AppendArray(key, sponsor);
  AppendU64(key, day);
  return key;
}

Result<std::uint32_t> LoadSponsoredCount(const StateReader& state, const AccountId& sponsor,
                                         std::uint64_t day) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> value, state.Get(SponsoredCountStateKey(sponsor, day)));
  if (!value.has_value()) return 0u;
  if (value->size() != 4) return Status::Corruption("sponsored-account count has the wrong size");
  return ReadU32At(*value, 0);
}

void PutSponsoredCount(StateChanges& changes, const AccountId& sponsor, std::uint64_t day,
                       std::uint32_t count) {
  Bytes value;
  AppendU32(value, count);
  changes.Put(SponsoredCountStateKey(sponsor, day), std::move(value));
}

}  // namespace rightchain::exec
