// The validator schedule against the consensus engine's own rule (changes decided at h take
// effect at h + 2) and against a replay from the chain's validator-set records.
#include "node/validator_schedule.h"

#include <gtest/gtest.h>

#include "exec/exec_test_util.h"

namespace rightchain::node {
namespace {

using exec::testing::MakeKey;

Bytes KeyOf(std::uint8_t seed) {
  const crypto::PublicKey key = MakeKey(crypto::SuiteId::kStd, seed).public_key();
  return Bytes(key.raw().begin(), key.raw().end());
}

exec::Genesis FourValidators() {
  exec::Genesis genesis;
  genesis.chain_id = "schedule-test";
  genesis.suite = crypto::SuiteId::kStd;
  for (std::uint8_t i = 0; i < 4; ++i) {
    genesis.members.push_back({"node-" + std::to_string(i),
                               i == 0 ? exec::NodeRole::kRegulatorConsensus : exec::NodeRole::kConsensus,
                               KeyOf(static_cast<std::uint8_t>(10 + i)), 10});
  }
  genesis.members.push_back({"observer", exec::NodeRole::kObserver, KeyOf(20), 0});
  return genesis;
}

// State holding validator-set records, as governance writes them.
class RecordState : public exec::StateReader {
 public:
  void Add(const exec::ValidatorSetRecord& record) {
    exec::StateChanges changes;
    exec::StoreValidatorSetRecord(changes, record);
    for (const auto& [key, value] : changes.entries()) entries_[key] = *value;
  }
  Result<std::optional<Bytes>> Get(ByteView key) const override {
    const auto found = entries_.find(Bytes(key.begin(), key.end()));
    if (found == entries_.end()) return std::optional<Bytes>();
    return std::optional<Bytes>(found->second);
  }
  Status Scan(ByteView, ByteView, const std::function<bool(ByteView, ByteView)>&) const override {
    return Status::Ok();
  }

 private:
  std::map<Bytes, Bytes> entries_;
};

TEST(CanonicalValidatorUpdatesTest, LastChangeWinsNoOpsDropAndKeysSort) {
  const exec::Genesis genesis = FourValidators();
  const consensus::ValidatorSet set = GenesisValidatorSet(genesis).value();
  const Bytes newcomer = KeyOf(30);
  const std::vector<exec::ValidatorChange> changes = {
      {newcomer, 5}, {KeyOf(11), 0}, {newcomer, 7}, {KeyOf(12), 20}, {KeyOf(12), 10}};
  const auto updates = CanonicalValidatorUpdates(set, changes);
  // node-2's change ends where it began: dropped. The rest, once each, sorted by key.
  std::vector<consensus::ValidatorUpdate> expected = {{newcomer, 7}, {KeyOf(11), 0}};
  std::sort(expected.begin(), expected.end(),
            [](const auto& a, const auto& b) { return a.public_key < b.public_key; });
  EXPECT_EQ(updates, expected);
}

TEST(ValidatorScheduleTest, ChangesTakeEffectTwoHeightsLaterAndReplayFromRecordsAgrees) {
  const exec::Genesis genesis = FourValidators();
  ValidatorSchedule live = ValidatorSchedule::Replay(genesis, RecordState(), 1).value();
  EXPECT_EQ(live.validators().size(), 4u);  // the observer has no vote
  const Bytes newcomer = KeyOf(30);
  // Height 5 admits a fifth validator; height 9 removes node-1.
  RecordState state;
  exec::ValidatorSetRecord record = exec::GenesisValidatorSetRecord(genesis);
  for (std::uint64_t height = 1; height <= 12; ++height) {
    std::vector<exec::ValidatorChange> changes;
    if (height == 5 || height == 9) {
      exec::ValidatorSetRecord next = record;
      next.sequence += 1;
      next.previous_hash = exec::ValidatorSetRecordHash(crypto::HashAlgorithm::kSha256, record);
      next.decided_height = height;
      next.effective_height = height + 2;
      if (height == 5) {
        next.members.push_back({"node-new", exec::NodeRole::kConsensus, newcomer, 10});
        changes.push_back({newcomer, 10});
      } else {
        std::erase_if(next.members, [](const exec::Member& member) { return member.name == "node-1"; });
        changes.push_back({KeyOf(11), 0});
      }
      record = next;
      state.Add(record);
    }
    ASSERT_TRUE(live.Advance(CanonicalValidatorUpdates(live.next_validators(), changes)).ok());
    // A node started now replays exactly the same sets, priorities included.
    const ValidatorSchedule replayed = ValidatorSchedule::Replay(genesis, state, height + 1).value();
    EXPECT_EQ(replayed.validators(), live.validators()) << "height " << height + 1;
    EXPECT_EQ(replayed.next_validators(), live.next_validators()) << "height " << height + 1;
  }
  EXPECT_EQ(live.ValidatorsAt(6).size(), 4u);
  EXPECT_EQ(live.ValidatorsAt(7).size(), 5u);  // decided at 5, effective at 7
  EXPECT_TRUE(live.ValidatorsAt(7).IndexOf(newcomer).has_value());
  EXPECT_TRUE(live.ValidatorsAt(10).IndexOf(KeyOf(11)).has_value());
  EXPECT_FALSE(live.ValidatorsAt(11).IndexOf(KeyOf(11)).has_value());  // decided at 9
  EXPECT_EQ(live.ValidatorsAt(13).size(), 4u);
  // A change that would leave nobody is refused and changes nothing.
  std::vector<consensus::ValidatorUpdate> everyone;
  for (const auto& validator : live.next_validators().validators())
    everyone.push_back({validator.public_key, 0});
  const consensus::ValidatorSet before = live.next_validators();
  EXPECT_FALSE(live.Advance(everyone).ok());
  EXPECT_EQ(live.next_validators(), before);
}

}  // namespace
}  // namespace rightchain::node
