#include "consensus/signer_safety.h"

#include <gtest/gtest.h>

namespace rightchain::consensus {
namespace {

SignedPosition At(Height height, Round round, Step step) {
  return {height, round, static_cast<std::uint8_t>(step)};
}

TEST(SignerSafetyTest, AllowsOnlyForwardPositions) {
  SignerSafetyState state;
  const Bytes a = ToBytes("a"), b = ToBytes("b");
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(1, 0, Step::kPrevote), a), SignDecision::kSignNew);
  state.Record(SigningLane::kConsensus, At(1, 0, Step::kPrevote), a, ToBytes("sig-a"));
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(1, 0, Step::kPrevote), a), SignDecision::kReuse);
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(1, 0, Step::kPrevote), b), SignDecision::kRefuse);
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(1, 0, Step::kPropose), b), SignDecision::kRefuse);
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(0, 9, Step::kPrecommit), b), SignDecision::kRefuse);
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(1, 0, Step::kPrecommit), b), SignDecision::kSignNew);
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(1, 1, Step::kPropose), b), SignDecision::kSignNew);
  EXPECT_EQ(state.Check(SigningLane::kConsensus, At(2, 0, Step::kPropose), b), SignDecision::kSignNew);
}

TEST(SignerSafetyTest, CheckpointLaneForbidsTwoCheckpointsAtOneHeight) {
  SignerSafetyState state;
  state.Record(SigningLane::kConsensus, At(9, 3, Step::kPrecommit), ToBytes("vote"), ToBytes("s"));
  const SignedPosition checkpoint{5, 0, 0};
  EXPECT_EQ(state.Check(SigningLane::kCheckpoint, checkpoint, ToBytes("cp-1")), SignDecision::kSignNew);
  state.Record(SigningLane::kCheckpoint, checkpoint, ToBytes("cp-1"), ToBytes("s1"));
  EXPECT_EQ(state.Check(SigningLane::kCheckpoint, checkpoint, ToBytes("cp-2")), SignDecision::kRefuse);
  EXPECT_EQ(state.Check(SigningLane::kCheckpoint, checkpoint, ToBytes("cp-1")), SignDecision::kReuse);
  EXPECT_EQ(state.Check(SigningLane::kCheckpoint, SignedPosition{6, 0, 0}, ToBytes("cp-2")),
            SignDecision::kSignNew);
}

}  // namespace
}  // namespace rightchain::consensus
