#include "consensus/validator_set.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rightchain::consensus {
namespace {

ValidatorSet MakeSet(const std::vector<std::int64_t>& powers) {
  std::vector<Validator> validators;
  for (std::size_t i = 0; i < powers.size(); ++i) {
    validators.push_back(Validator{ToBytes("validator-" + std::to_string(i)), powers[i], 0});
  }
  return ValidatorSet::Create(std::move(validators)).value();
}

TEST(ValidatorSetTest, QuorumIsStrictlyMoreThanTwoThirds) {
  const ValidatorSet three = MakeSet({1, 1, 1});
  EXPECT_FALSE(three.IsQuorum(2));  // exactly 2/3 is not enough
  EXPECT_TRUE(three.IsQuorum(3));
  const ValidatorSet four = MakeSet({1, 1, 1, 1});
  EXPECT_FALSE(four.IsQuorum(2));
  EXPECT_TRUE(four.IsQuorum(3));
  const ValidatorSet six = MakeSet({1, 1, 1, 1, 1, 1});
  EXPECT_FALSE(six.IsQuorum(4));  // 4/6 = 2/3 exactly
  EXPECT_TRUE(six.IsQuorum(5));
}

TEST(ValidatorSetTest, OneThirdPlusIsStrictlyMoreThanOneThird) {
  const ValidatorSet six = MakeSet({1, 1, 1, 1, 1, 1});
  EXPECT_FALSE(six.IsOneThirdPlus(2));
  EXPECT_TRUE(six.IsOneThirdPlus(3));
  const ValidatorSet four = MakeSet({1, 1, 1, 1});
  EXPECT_FALSE(four.IsOneThirdPlus(1));
  EXPECT_TRUE(four.IsOneThirdPlus(2));
}

TEST(ValidatorSetTest, EqualPowersRotateRoundRobin) {
  const ValidatorSet set = MakeSet({10, 10, 10, 10});
  std::vector<ValidatorIndex> proposers;
  for (Round round = 0; round < 8; ++round) proposers.push_back(set.ProposerForRound(round));
  EXPECT_EQ(proposers, (std::vector<ValidatorIndex>{0, 1, 2, 3, 0, 1, 2, 3}));
}

TEST(ValidatorSetTest, RotationIsProportionalToPower) {
  ValidatorSet set = MakeSet({1, 2, 3, 4});
  std::map<ValidatorIndex, int> counts;
  for (int height = 0; height < 1000; ++height) {
    counts[set.ProposerForRound(0)] += 1;
    set = set.NextHeight();
  }
  EXPECT_EQ(counts[0], 100);
  EXPECT_EQ(counts[1], 200);
  EXPECT_EQ(counts[2], 300);
  EXPECT_EQ(counts[3], 400);
}

TEST(ValidatorSetTest, RotationIsDeterministic) {
  ValidatorSet a = MakeSet({5, 1, 7, 3, 2});
  ValidatorSet b = MakeSet({5, 1, 7, 3, 2});
  for (int height = 0; height < 50; ++height) {
    for (Round round = 0; round < 5; ++round) EXPECT_EQ(a.ProposerForRound(round), b.ProposerForRound(round));
    a = a.NextHeight();
    b = b.NextHeight();
    EXPECT_EQ(a, b);
  }
}

TEST(ValidatorSetTest, RejectsBadSets) {
  EXPECT_FALSE(ValidatorSet::Create({}).ok());
  EXPECT_FALSE(ValidatorSet::Create({Validator{ToBytes("a"), 0, 0}}).ok());
  EXPECT_FALSE(ValidatorSet::Create({Validator{ToBytes("a"), 1, 0}, Validator{ToBytes("a"), 1, 0}}).ok());
}

TEST(ValidatorSetTest, UpdatesAddChangeAndRemove) {
  const ValidatorSet set = MakeSet({1, 1, 1});
  const ValidatorSet updated =
      set.WithUpdates({ValidatorUpdate{ToBytes("validator-0"), 0}, ValidatorUpdate{ToBytes("validator-1"), 5},
                       ValidatorUpdate{ToBytes("newcomer"), 2}})
          .value();
  ASSERT_EQ(updated.size(), 3u);
  EXPECT_FALSE(updated.IndexOf(AsBytes("validator-0")).has_value());
  EXPECT_EQ(updated.at(*updated.IndexOf(AsBytes("validator-1"))).voting_power, 5);
  EXPECT_EQ(updated.total_power(), 8);
  // Removing everyone is refused.
  EXPECT_FALSE(MakeSet({1}).WithUpdates({ValidatorUpdate{ToBytes("validator-0"), 0}}).ok());
}

}  // namespace
}  // namespace rightchain::consensus
