#include "node/validator_schedule.h"

#include <algorithm>
#include <map>

namespace rightchain::node {
namespace {

std::int64_t PowerIn(const consensus::ValidatorSet& set, ByteView public_key) {
  const std::optional<consensus::ValidatorIndex> index = set.IndexOf(public_key);
  return index.has_value() ? set.at(*index).voting_power : 0;
}

// Members with a vote, by key: what a validator-set record says the validators are.
std::map<Bytes, std::int64_t> VotingPowers(const std::vector<exec::Member>& members) {
  std::map<Bytes, std::int64_t> powers;
  for (const exec::Member& member : members) {
    if (member.voting_power > 0) powers[member.public_key] = static_cast<std::int64_t>(member.voting_power);
  }
  return powers;
}

// The changes between two records' validators, in canonical form (sorted by key).
std::vector<consensus::ValidatorUpdate> RecordDifference(const std::map<Bytes, std::int64_t>& before,
                                                         const std::map<Bytes, std::int64_t>& after) {
  std::vector<consensus::ValidatorUpdate> updates;
  for (const auto& [key, power] : before) {
    if (!after.contains(key)) updates.push_back({key, 0});
  }
  for (const auto& [key, power] : after) {
    const auto previous = before.find(key);
    if (previous == before.end() || previous->second != power) updates.push_back({key, power});
  }
  std::sort(updates.begin(), updates.end(),
            [](const auto& left, const auto& right) { return left.public_key < right.public_key; });
  return updates;
}

}  // namespace

std::vector<consensus::ValidatorUpdate> CanonicalValidatorUpdates(
    const consensus::ValidatorSet& before, std::span<const exec::ValidatorChange> changes) {
  std::map<Bytes, std::int64_t> last;  // sorted by key; later changes replace earlier ones
  for (const exec::ValidatorChange& change : changes) {
    last[change.public_key] = static_cast<std::int64_t>(
        std::min<std::uint64_t>(change.voting_power, consensus::kMaxVotingPower + 1));
  }
  std::vector<consensus::ValidatorUpdate> updates;
  for (auto& [key, power] : last) {
    if (PowerIn(before, key) != power) updates.push_back({key, power});
  }
  return updates;
}

Result<consensus::ValidatorSet> GenesisValidatorSet(const exec::Genesis& genesis) {
  std::vector<consensus::Validator> validators;
  for (const exec::GenesisMember& member : genesis.members) {
    if (member.role == exec::NodeRole::kObserver || member.voting_power == 0) continue;
    validators.push_back({member.consensus_public_key, static_cast<std::int64_t>(member.voting_power), 0});
  }
  return consensus::ValidatorSet::Create(std::move(validators));
}

Result<ValidatorSchedule> ValidatorSchedule::Replay(const exec::Genesis& genesis,
                                                    const exec::StateReader& state,
                                                    std::uint64_t next_height) {
  RC_ASSERT(next_height >= 1);
  ValidatorSchedule schedule;
  RC_ASSIGN_OR_RETURN(schedule.validators_, GenesisValidatorSet(genesis));
  schedule.next_validators_ = schedule.validators_.NextHeight();
  schedule.NoteEpoch(1, schedule.validators_);

  // The updates each deciding height made, from the records (two proposals executed by one block
  // count as one change: from the set before the first to the set after the last).
  std::map<std::uint64_t, std::vector<consensus::ValidatorUpdate>> updates_by_height;
  RC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> latest, exec::LatestValidatorSetSequence(state));
  std::map<Bytes, std::int64_t> before = VotingPowers(exec::GenesisValidatorSetRecord(genesis).members);
  std::map<Bytes, std::int64_t> before_height = before;
  std::uint64_t current_height = 0;
  for (std::uint64_t sequence = 1; latest.has_value() && sequence <= *latest; ++sequence) {
    RC_ASSIGN_OR_RETURN(const std::optional<exec::ValidatorSetRecord> record,
                        exec::LoadValidatorSetRecord(state, sequence));
    if (!record.has_value())
      return Status::Corruption("validator-set record " + std::to_string(sequence) + " is missing");
    if (record->decided_height < current_height)
      return Status::Corruption("validator-set records are not in height order");
    if (record->decided_height != current_height) before_height = before;
    current_height = record->decided_height;
    before = VotingPowers(record->members);
    updates_by_height[current_height] = RecordDifference(before_height, before);
  }

  for (std::uint64_t height = 1; height < next_height; ++height) {
    const auto updates = updates_by_height.find(height);
    RC_RETURN_IF_ERROR(schedule.Advance(
        updates == updates_by_height.end() ? std::vector<consensus::ValidatorUpdate>{} : updates->second));
  }
  RC_ASSERT(schedule.height_ == next_height);
  return schedule;
}

Status ValidatorSchedule::Advance(const std::vector<consensus::ValidatorUpdate>& updates) {
  // As the engine does at each commit: the next height's set becomes current, and the decided
  // changes shape the one after it. An empty change list leaves a (centred) set as it is.
  consensus::ValidatorSet after_updates = next_validators_;
  if (!updates.empty()) {
    RC_ASSIGN_OR_RETURN(after_updates, next_validators_.WithUpdates(updates));
  }
  validators_ = std::move(next_validators_);
  next_validators_ = after_updates.NextHeight();
  height_ += 1;
  NoteEpoch(height_ + 1, next_validators_);
  return Status::Ok();
}

void ValidatorSchedule::NoteEpoch(std::uint64_t first_height, const consensus::ValidatorSet& validators) {
  const auto same_members = [](const consensus::ValidatorSet& left, const consensus::ValidatorSet& right) {
    if (left.size() != right.size()) return false;
    for (std::size_t i = 0; i < left.size(); ++i) {
      if (left.validators()[i].public_key != right.validators()[i].public_key ||
          left.validators()[i].voting_power != right.validators()[i].voting_power) {
        return false;
      }
    }
    return true;
  };
  if (!epochs_.empty() && same_members(epochs_.back().validators, validators)) return;
  RC_ASSERT(epochs_.empty() || epochs_.back().first_height < first_height);
  epochs_.push_back({first_height, validators});
}

const consensus::ValidatorSet& ValidatorSchedule::ValidatorsAt(std::uint64_t height) const {
  RC_ASSERT(height >= 1 && height <= height_ + 1);
  const auto after =
      std::upper_bound(epochs_.begin(), epochs_.end(), height,
                       [](std::uint64_t h, const Epoch& epoch) { return h < epoch.first_height; });
  RC_ASSERT(after != epochs_.begin());
  return std::prev(after)->validators;
}

}  // namespace rightchain::node
