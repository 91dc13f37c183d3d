#include "consensus/validator_set.h"

#include <algorithm>
#include <set>

namespace rightchain::consensus {

Result<ValidatorSet> ValidatorSet::Create(std::vector<Validator> validators) {
  if (validators.empty()) return Status::InvalidArgument("validator set is empty");
  if (validators.size() > kMaxValidators) return Status::LimitExceeded("too many validators");
  std::set<Bytes> keys;
  for (const Validator& validator : validators) {
    if (validator.voting_power <= 0 || validator.voting_power > kMaxVotingPower) {
      return Status::InvalidArgument("voting power out of range");
    }
    if (validator.public_key.empty()) return Status::InvalidArgument("empty validator key");
    if (!keys.insert(validator.public_key).second) return Status::InvalidArgument("duplicate validator key");
  }
  ValidatorSet set;
  set.validators_ = std::move(validators);
  set.RecomputeTotal();
  return set;
}

const Validator& ValidatorSet::at(ValidatorIndex index) const {
  RC_ASSERT(index < validators_.size());
  return validators_[index];
}

std::optional<ValidatorIndex> ValidatorSet::IndexOf(ByteView public_key) const {
  for (std::size_t i = 0; i < validators_.size(); ++i) {
    if (std::equal(public_key.begin(), public_key.end(), validators_[i].public_key.begin(),
                   validators_[i].public_key.end())) {
      return static_cast<ValidatorIndex>(i);
    }
  }
  return std::nullopt;
}

bool ValidatorSet::IsQuorum(std::int64_t power) const {
#ifdef RIGHTCHAIN_MUTATION_QUORUM_TWO_THIRDS
  // Deliberately broken (mutation test): accepts exactly 2/3.
  return power * 3 >= total_power_ * 2;
#else
  return power * 3 > total_power_ * 2;
#endif
}

bool ValidatorSet::IsOneThirdPlus(std::int64_t power) const {
  return power * 3 > total_power_;
}

ValidatorIndex ValidatorSet::IncrementOnce() {
  RC_ASSERT(!validators_.empty());
  for (Validator& validator : validators_) validator.proposer_priority += validator.voting_power;
  std::size_t best = 0;
  for (std::size_t i = 1; i < validators_.size(); ++i) {
    if (validators_[i].proposer_priority > validators_[best].proposer_priority) best = i;
  }
  validators_[best].proposer_priority -= total_power_;
  return static_cast<ValidatorIndex>(best);
}

void ValidatorSet::CenterPriorities() {
  // Keeps priorities bounded: subtract the average (rounded toward negative infinity).
  std::int64_t sum = 0;
  for (const Validator& validator : validators_) sum += validator.proposer_priority;
  const auto count = static_cast<std::int64_t>(validators_.size());
  std::int64_t average = sum / count;
  if (sum % count != 0 && sum < 0) average -= 1;
  for (Validator& validator : validators_) validator.proposer_priority -= average;
}

void ValidatorSet::RecomputeTotal() {
  total_power_ = 0;
  for (const Validator& validator : validators_) total_power_ += validator.voting_power;
}

ValidatorIndex ValidatorSet::ProposerForRound(Round round) const {
  RC_ASSERT(round >= 0);
  ValidatorSet copy = *this;
  ValidatorIndex proposer = copy.IncrementOnce();
  for (Round r = 0; r < round; ++r) proposer = copy.IncrementOnce();
  return proposer;
}

ValidatorSet ValidatorSet::NextHeight() const {
  ValidatorSet next = *this;
  next.IncrementOnce();
  next.CenterPriorities();
  return next;
}

Result<ValidatorSet> ValidatorSet::WithUpdates(const std::vector<ValidatorUpdate>& updates) const {
  std::vector<Validator> validators = validators_;
  for (const ValidatorUpdate& update : updates) {
    if (update.voting_power < 0 || update.voting_power > kMaxVotingPower) {
      return Status::InvalidArgument("validator update power out of range");
    }
    auto found = std::find_if(validators.begin(), validators.end(),
                              [&](const Validator& v) { return v.public_key == update.public_key; });
    if (found != validators.end()) {
      if (update.voting_power == 0) {
        validators.erase(found);
      } else {
        found->voting_power = update.voting_power;
      }
    } else if (update.voting_power > 0) {
      validators.push_back(
          Validator{update.public_key, update.voting_power, -(total_power_ + total_power_ / 8)});
    }
  }
  RC_ASSIGN_OR_RETURN(ValidatorSet updated, Create(std::move(validators)));
  updated.CenterPriorities();
  return updated;
}

}  // namespace rightchain::consensus
