#include "consensus/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <queue>
#include <string>

#include "consensus/messages.h"

namespace rightchain::consensus {
namespace {

constexpr std::string_view kChain = "rightchain-test";

std::vector<Validator> Validators(int count) {
  std::vector<Validator> validators;
  for (int i = 0; i < count; ++i) validators.push_back(Validator{ToBytes("v" + std::to_string(i)), 1, 0});
  return validators;
}

BlockHash HashOf(std::uint8_t tag) {
  BlockHash hash{};
  hash[0] = tag;
  return hash;
}

EngineConfig TestConfig() {
  EngineConfig config;
  config.chain_id = std::string(kChain);
  return config;
}

// One engine under test (validator 3 of 4, proposer of round 3 at height 1); the test plays the others.
class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : set_(ValidatorSet::Create(Validators(4)).value()) {
    for (int i = 0; i < 4; ++i)
      signers_.push_back(std::make_unique<FakeSigner>(ToBytes("v" + std::to_string(i))));
  }

  std::unique_ptr<Engine> MakeEngine(std::optional<DurableState> durable = std::nullopt, int index = 3,
                                     EngineConfig config = TestConfig()) {
    EngineStart start;
    start.height = 1;
    start.validators = set_;
    start.next_validators = set_.NextHeight();
    start.last_block_time = 0;
    start.durable = std::move(durable);
    return std::make_unique<Engine>(config, signers_[index].get(), &verifier_, std::move(start));
  }

  Vote MakeVote(VoteType type, Round round, std::optional<BlockHash> hash, ValidatorIndex validator) {
    Vote vote{type, 1, round, hash, validator, {}};
    vote.signature = FakeSignature(set_.at(validator).public_key, VoteSignBytes(kChain, vote));
    return vote;
  }

  Proposal MakeProposal(Round round, Round pol_round, BlockHash hash, TimeMilliseconds time) {
    Proposal proposal{1, round, pol_round, hash, time, set_.ProposerForRound(round), {}};
    proposal.signature =
        FakeSignature(set_.at(proposal.proposer).public_key, ProposalSignBytes(kChain, proposal));
    return proposal;
  }

  // Takes the Ready, answering every validation request as valid.
  Ready Drain(Engine& engine, TimeMilliseconds now) {
    Ready all;
    while (engine.HasReady()) {
      Ready ready = engine.TakeReady();
      for (const auto& request : ready.validation_requests) {
        engine.HandleValidation(request.height, request.block_hash, request.block_time, true, {}, now);
      }
      if (ready.persist) all.persist = ready.persist;
      for (auto& message : ready.messages) all.messages.push_back(std::move(message));
      for (auto& timer : ready.timers) all.timers.push_back(timer);
      for (auto& commit : ready.commits) all.commits.push_back(std::move(commit));
      for (auto& evidence : ready.evidence) all.evidence.push_back(std::move(evidence));
      for (auto& participation : ready.participation) all.participation.push_back(participation);
      for (auto& request : ready.proposal_requests) all.proposal_requests.push_back(request);
    }
    return all;
  }

  static std::vector<Vote> VotesIn(const Ready& ready, VoteType type) {
    std::vector<Vote> votes;
    for (const auto& outbound : ready.messages) {
      if (const auto* vote = std::get_if<Vote>(&outbound.message); vote && vote->type == type)
        votes.push_back(*vote);
    }
    return votes;
  }

  // Round 0 at t = 1000..1010: value 1 is proposed and gets a polka with our own prevote, so
  // the engine precommits it and is locked on it (locked and valid round 0).
  void LockOnValueOneInRoundZero(Engine& engine) {
    EXPECT_TRUE(engine.HandleMessage(MakeProposal(0, kNoRound, HashOf(1), 1000), 1000).ok());
    EXPECT_TRUE(engine.HandleMessage(MakeVote(VoteType::kPrevote, 0, HashOf(1), 0), 1010).ok());
    EXPECT_TRUE(engine.HandleMessage(MakeVote(VoteType::kPrevote, 0, HashOf(1), 1), 1010).ok());
    Drain(engine, 1010);
  }

  // Starts round 0 at t = 1000 (after the commit wait).
  void StartRoundZero(Engine& engine) {
    engine.Start(0);
    Drain(engine, 0);
    engine.HandleTimeout(Timer{TimeoutKind::kCommitWait, 1, 0, 0}, 1000);
    Drain(engine, 1000);
  }

  ValidatorSet set_;
  std::vector<std::unique_ptr<FakeSigner>> signers_;
  FakeVerifier verifier_;
};

TEST_F(EngineTest, PrevotesTimelyValidProposalAndPersistsBeforeSending) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  ASSERT_TRUE(engine->HandleMessage(MakeProposal(0, kNoRound, HashOf(1), 1000), 1000).ok());
  // The first Ready holds the validation request only; the vote needs the validation result.
  Ready first = engine->TakeReady();
  ASSERT_EQ(first.validation_requests.size(), 1u);
  EXPECT_TRUE(VotesIn(first, VoteType::kPrevote).empty());
  engine->HandleValidation(1, HashOf(1), 1000, true, {}, 1001);
  Ready ready = engine->TakeReady();
  const auto prevotes = VotesIn(ready, VoteType::kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_EQ(prevotes[0].block_hash, HashOf(1));
  ASSERT_TRUE(ready.persist.has_value());  // the signer state travels in the same Ready, to persist first
  EXPECT_EQ(ready.persist->signer.lane(SigningLane::kConsensus).position.step,
            static_cast<std::uint8_t>(Step::kPrevote));
}

TEST_F(EngineTest, UntimelyProposalGetsNilPrevote) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  // 10 s in the past: older than now - PRECISION.
  ASSERT_TRUE(engine->HandleMessage(MakeProposal(0, kNoRound, HashOf(1), 1), 11000).ok());
  const auto prevotes = VotesIn(Drain(*engine, 11000), VoteType::kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_FALSE(prevotes[0].block_hash.has_value());
  EXPECT_EQ(engine->counters().untimely_proposals, 1u);
}

TEST_F(EngineTest, ProposalTooFarInTheFutureGetsNilPrevote) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  ASSERT_TRUE(engine->HandleMessage(MakeProposal(0, kNoRound, HashOf(1), 1000 + 60000), 1000).ok());
  const auto prevotes = VotesIn(Drain(*engine, 1000), VoteType::kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_FALSE(prevotes[0].block_hash.has_value());
}

TEST_F(EngineTest, LockedValidatorPrevotesNilForAnotherFreshValue) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  EXPECT_TRUE(engine->HandleMessage(MakeProposal(0, kNoRound, HashOf(1), 1000), 1000).ok());
  Drain(*engine, 1000);
  EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrevote, 0, HashOf(1), 0), 1010).ok());
  EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrevote, 0, HashOf(1), 1), 1010).ok());
  Ready locked = Drain(*engine, 1010);
  const auto precommits = VotesIn(locked, VoteType::kPrecommit);
  ASSERT_EQ(precommits.size(), 1u);
  EXPECT_EQ(precommits[0].block_hash, HashOf(1));
  ASSERT_TRUE(locked.persist.has_value());
  EXPECT_EQ(locked.persist->locked_round, 0);
  // Round 0 ends without a decision.
  for (ValidatorIndex v : {0u, 1u, 2u}) {
    EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrecommit, 0, std::nullopt, v), 1020).ok());
  }
  Drain(*engine, 1020);
  engine->HandleTimeout(Timer{TimeoutKind::kPrecommit, 1, 0, 0}, 2000);
  Drain(*engine, 2000);
  ASSERT_EQ(engine->round(), 1);
  // A fresh proposal of another value in round 1: locked on value 1, so prevote nil.
  EXPECT_TRUE(engine->HandleMessage(MakeProposal(1, kNoRound, HashOf(2), 2000), 2000).ok());
  const auto prevotes = VotesIn(Drain(*engine, 2000), VoteType::kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_FALSE(prevotes[0].block_hash.has_value());
}

TEST_F(EngineTest, LockIsReleasedByALaterPolka) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  LockOnValueOneInRoundZero(*engine);
  // Others saw a polka for value 2 in round 1, which we missed; round 2 re-proposes it with pol_round 1.
  for (ValidatorIndex v : {0u, 1u, 2u}) {
    EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrevote, 1, HashOf(2), v), 1100).ok());
  }
  Drain(*engine, 1100);
  EXPECT_EQ(engine->round(), 1);  // f+1 round skip
  for (ValidatorIndex v : {0u, 1u}) {
    EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrecommit, 2, std::nullopt, v), 1200).ok());
  }
  Drain(*engine, 1200);
  ASSERT_EQ(engine->round(), 2);
  EXPECT_TRUE(
      engine->HandleMessage(MakeProposal(1, kNoRound, HashOf(2), 1100), 1200).ok());  // the round-1 proposal
  EXPECT_TRUE(engine->HandleMessage(MakeProposal(2, 1, HashOf(2), 1100), 1200).ok());
  const auto prevotes = VotesIn(Drain(*engine, 1200), VoteType::kPrevote);
  ASSERT_FALSE(prevotes.empty());
  EXPECT_EQ(prevotes.back().round, 2);
  EXPECT_EQ(prevotes.back().block_hash, HashOf(2));  // locked_round 0 <= pol_round 1
}

TEST_F(EngineTest, AHeightOfManyRoundsKeepsItsLatestAndLockedRoundsMessages) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  // Locked on value 1 in round 0, then the height goes on for 150 rounds (a long partition).
  LockOnValueOneInRoundZero(*engine);
  TimeMilliseconds now = 1010;
  std::optional<DurableState> persisted;
  for (Round round = 1; round <= 150; ++round) {
    now += 100;
    for (ValidatorIndex v : {0u, 1u}) {  // f + 1 validators are in a later round: skip to it
      EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrecommit, round, std::nullopt, v), now).ok());
    }
    Ready skipped = Drain(*engine, now);
    engine->HandleTimeout(Timer{TimeoutKind::kPropose, 1, round, 0}, now);
    Ready timed_out = Drain(*engine, now);
    for (Ready* ready : {&skipped, &timed_out}) {
      if (ready->persist) persisted = ready->persist;
    }
  }
  ASSERT_EQ(engine->round(), 150);
  const std::vector<Message>& kept = engine->own_messages();
  EXPECT_EQ(kept.size(), kMaxOwnMessagesPerHeight);
  const auto has_own_vote = [&](VoteType type, Round round) {
    return std::any_of(kept.begin(), kept.end(), [&](const Message& message) {
      const auto* vote = std::get_if<Vote>(&message);
      return vote != nullptr && vote->type == type && vote->round == round;
    });
  };
  EXPECT_TRUE(has_own_vote(VoteType::kPrevote, 0));  // the locked round's polka, for a re-proposal
  EXPECT_TRUE(has_own_vote(VoteType::kPrecommit, 0));
  EXPECT_TRUE(has_own_vote(VoteType::kPrevote, 150));  // and the latest rounds
  EXPECT_FALSE(has_own_vote(VoteType::kPrevote, 50));  // the middle ones were dropped
  // The write-ahead copy holds the same bounded list, and a restart from it keeps the lock.
  ASSERT_TRUE(persisted.has_value());
  EXPECT_EQ(persisted->own_messages, kept);
  auto restarted = MakeEngine(persisted);
  restarted->Start(now);
  Drain(*restarted, now);
  EXPECT_EQ(restarted->own_messages(), kept);
}

TEST_F(EngineTest, RoundSkipNeedsMoreThanOneThird) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrevote, 5, std::nullopt, 0), 1100).ok());
  Drain(*engine, 1100);
  EXPECT_EQ(engine->round(), 0);  // one of four is not more than 1/3
  EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrecommit, 5, std::nullopt, 1), 1100).ok());
  Drain(*engine, 1100);
  EXPECT_EQ(engine->round(), 5);
}

TEST_F(EngineTest, DetectsEquivocationAndVerifiesEachVoteOnce) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  const Vote first = MakeVote(VoteType::kPrevote, 0, HashOf(1), 1);
  EXPECT_TRUE(engine->HandleMessage(first, 1000).ok());
  const std::uint64_t verified = engine->counters().signatures_verified;
  EXPECT_TRUE(engine->HandleMessage(first, 1001).ok());
  EXPECT_EQ(engine->counters().signatures_verified, verified);
  EXPECT_EQ(engine->counters().duplicate_messages_skipped, 1u);
  const Vote second = MakeVote(VoteType::kPrevote, 0, HashOf(2), 1);
  EXPECT_TRUE(engine->HandleMessage(second, 1002).ok());
  Ready ready = Drain(*engine, 1002);
  ASSERT_EQ(ready.evidence.size(), 1u);
  EXPECT_EQ(ready.evidence[0].first, first);
  EXPECT_EQ(ready.evidence[0].second, second);
  // A forged conflicting vote is not evidence.
  Vote forged = MakeVote(VoteType::kPrevote, 0, HashOf(3), 1);
  forged.signature[0] ^= 1;
  EXPECT_FALSE(engine->HandleMessage(forged, 1003).ok());
  EXPECT_TRUE(Drain(*engine, 1003).evidence.empty());
}

TEST_F(EngineTest, ReportsEachVoterOnceIncludingAPrecommitThatArrivesAfterTheDecision) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  EXPECT_TRUE(engine->HandleMessage(MakeProposal(0, kNoRound, HashOf(1), 1000), 1000).ok());
  for (ValidatorIndex v : {0u, 1u}) {
    EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrevote, 0, HashOf(1), v), 1010).ok());
    EXPECT_TRUE(engine->HandleMessage(MakeVote(VoteType::kPrecommit, 0, HashOf(1), v), 1020).ok());
  }
  Ready decided = Drain(*engine, 1020);  // with our own prevote and precommit (validator 3)
  ASSERT_EQ(decided.commits.size(), 1u);
  ASSERT_EQ(engine->height(), 2u);
  // Validator 2 was too slow for the certificate: its precommit arrives while height 2 runs.
  const Vote late = MakeVote(VoteType::kPrecommit, 0, HashOf(1), 2);
  Vote forged = late;
  forged.signature[0] ^= 1;
  EXPECT_FALSE(engine->HandleMessage(forged, 1100).ok());
  EXPECT_TRUE(Drain(*engine, 1100).participation.empty());
  EXPECT_TRUE(engine->HandleMessage(late, 1100).ok());
  Ready after = Drain(*engine, 1100);
  EXPECT_TRUE(engine->HandleMessage(late, 1101).ok());
  EXPECT_EQ(engine->counters().duplicate_messages_skipped, 1u);  // verified once
  EXPECT_TRUE(Drain(*engine, 1101).participation.empty());

  Ready all;
  for (const Ready* ready : {&decided, &after}) {
    all.participation.insert(all.participation.end(), ready->participation.begin(),
                             ready->participation.end());
  }
  std::vector<ValidatorIndex> height_one;
  for (const Participation& participation : all.participation) {
    EXPECT_EQ(participation.height, 1u);
    height_one.push_back(participation.validator);
  }
  std::sort(height_one.begin(), height_one.end());
  EXPECT_EQ(height_one, (std::vector<ValidatorIndex>{0, 1, 2, 3}));  // each once, 2 the late one
  ASSERT_FALSE(after.participation.empty());
  EXPECT_EQ(after.participation.back(), (Participation{1, 2}));
  // A precommit of two heights ago is not news.
  Vote old = late;
  old.height = 0;
  EXPECT_TRUE(engine->HandleMessage(old, 1102).ok());
  EXPECT_TRUE(Drain(*engine, 1102).participation.empty());
}

TEST_F(EngineTest, NoConflictingVoteAfterRestartFromPersistedState) {
  auto engine = MakeEngine();
  StartRoundZero(*engine);
  EXPECT_TRUE(engine->HandleMessage(MakeProposal(0, kNoRound, HashOf(1), 1000), 1000).ok());
  Ready ready = Drain(*engine, 1000);
  const auto prevotes = VotesIn(ready, VoteType::kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  ASSERT_TRUE(ready.persist.has_value());
  engine.reset();  // crash

  auto restarted = MakeEngine(ready.persist);
  restarted->Start(1500);
  Ready after = Drain(*restarted, 1500);
  // The propose timeout of round 0 fires: a fresh engine would prevote nil; this one must not.
  restarted->HandleTimeout(Timer{TimeoutKind::kPropose, 1, 0, 0}, 2000);
  Ready timeout = Drain(*restarted, 2000);
  for (const Ready* batch : {&after, &timeout}) {
    for (const Vote& vote : VotesIn(*batch, VoteType::kPrevote)) {
      if (vote.round == 0) {
        EXPECT_EQ(vote, prevotes[0]);
      }
    }
  }
  // Even a fresh engine state with only the signer state refuses to sign a nil prevote at round 0.
  DurableState signer_only;
  signer_only.height = 0;
  signer_only.signer = ready.persist->signer;
  auto amnesiac = MakeEngine(signer_only);
  amnesiac->Start(1500);
  Drain(*amnesiac, 1500);
  amnesiac->HandleTimeout(Timer{TimeoutKind::kCommitWait, 1, 0, 0}, 1600);
  Drain(*amnesiac, 1600);
  amnesiac->HandleTimeout(Timer{TimeoutKind::kPropose, 1, 0, 0}, 2600);
  EXPECT_TRUE(VotesIn(Drain(*amnesiac, 2600), VoteType::kPrevote).empty());
  EXPECT_EQ(amnesiac->counters().refused_signatures, 1u);
}

TEST_F(EngineTest, WithoutEmptyBlocksTheProposerWaitsForTransactions) {
  EngineConfig config = TestConfig();
  config.create_empty_blocks = false;
  auto engine = MakeEngine(std::nullopt, 0, config);  // validator 0 proposes round 0
  engine->Start(0);
  Drain(*engine, 0);
  engine->HandleTimeout(Timer{TimeoutKind::kCommitWait, 1, 0, 0}, 1000);
  EXPECT_TRUE(Drain(*engine, 1000).proposal_requests.empty());
  engine->HandleTransactionsAvailable(4000);
  const Ready ready = Drain(*engine, 4000);
  ASSERT_EQ(ready.proposal_requests.size(), 1u);
  EXPECT_EQ(ready.proposal_requests[0].block_time, 4000);
  EXPECT_EQ(ready.proposal_requests[0].max_block_bytes, config.max_block_bytes);
}

TEST_F(EngineTest, HeartbeatProducesABlockWithoutTransactions) {
  EngineConfig config = TestConfig();
  config.create_empty_blocks = false;
  config.heartbeat_interval_ms = 5000;
  auto engine = MakeEngine(std::nullopt, 0, config);
  engine->Start(0);
  Drain(*engine, 0);
  engine->HandleTimeout(Timer{TimeoutKind::kCommitWait, 1, 0, 0}, 1000);
  const Ready waiting = Drain(*engine, 1000);
  EXPECT_TRUE(waiting.proposal_requests.empty());
  bool heartbeat_set = false;
  for (const Timer& timer : waiting.timers) {
    if (timer.kind == TimeoutKind::kHeartbeat) {
      heartbeat_set = true;
      EXPECT_EQ(timer.delay_ms, 4000);  // last block time 0 + 5000 - now 1000
    }
  }
  EXPECT_TRUE(heartbeat_set);
  engine->HandleTimeout(Timer{TimeoutKind::kHeartbeat, 1, 0, 0}, 5000);
  EXPECT_EQ(Drain(*engine, 5000).proposal_requests.size(), 1u);
}

TEST_F(EngineTest, ProposerWaitsUntilItsClockPassesTheLastBlockTime) {
  EngineStart start;
  start.height = 1;
  start.validators = set_;
  start.next_validators = set_.NextHeight();
  start.last_block_time = 5000;  // our clock is behind the previous block's time
  Engine engine(TestConfig(), signers_[0].get(), &verifier_, start);
  engine.Start(0);
  Drain(engine, 0);
  engine.HandleTimeout(Timer{TimeoutKind::kCommitWait, 1, 0, 0}, 1000);
  const Ready ready = Drain(engine, 1000);
  EXPECT_TRUE(ready.proposal_requests.empty());
  engine.HandleTimeout(Timer{TimeoutKind::kProposerWait, 1, 0, 0}, 5001);
  const Ready later = Drain(engine, 5001);
  ASSERT_EQ(later.proposal_requests.size(), 1u);
  EXPECT_GT(later.proposal_requests[0].block_time, 5000);
}

TEST_F(EngineTest, CheckpointsShareTheSignerSafetyStateAcrossRestarts) {
  auto engine = MakeEngine();
  engine->Start(0);
  Drain(*engine, 0);
  const SignedPosition height_5{5, 0, 0};
  const Bytes checkpoint_a = ToBytes("checkpoint a");
  const Result<Bytes> first = engine->SignInLane(SigningLane::kCheckpoint, height_5, checkpoint_a);
  ASSERT_TRUE(first.ok());
  const Ready ready = engine->TakeReady();
  ASSERT_TRUE(ready.persist.has_value());  // durable before the signature is released
  EXPECT_EQ(engine->SignInLane(SigningLane::kCheckpoint, height_5, checkpoint_a).value(), first.value());
  EXPECT_EQ(engine->SignInLane(SigningLane::kCheckpoint, height_5, ToBytes("checkpoint b")).status().code(),
            ErrorCode::kPermissionDenied);

  auto restarted = MakeEngine(ready.persist);
  restarted->Start(0);
  EXPECT_EQ(
      restarted->SignInLane(SigningLane::kCheckpoint, height_5, ToBytes("checkpoint b")).status().code(),
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(restarted->SignInLane(SigningLane::kCheckpoint, SignedPosition{4, 0, 0}, ToBytes("old"))
                .status()
                .code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(restarted->SignInLane(SigningLane::kCheckpoint, SignedPosition{6, 0, 0}, ToBytes("next")).ok());
}

TEST(EngineConfigTest, RejectsOutOfRangeSettings) {
  EXPECT_TRUE(ValidateEngineConfig(TestConfig()).ok());
  EngineConfig config = TestConfig();
  config.target_block_interval_ms = 99;
  EXPECT_FALSE(ValidateEngineConfig(config).ok());
  config.target_block_interval_ms = 10001;
  EXPECT_FALSE(ValidateEngineConfig(config).ok());
  config = TestConfig();
  config.propose_timeout_ms = 0;
  EXPECT_FALSE(ValidateEngineConfig(config).ok());
  config = TestConfig();
  config.chain_id = std::string(65, 'x');
  EXPECT_FALSE(ValidateEngineConfig(config).ok());
  config = TestConfig();
  config.max_block_transactions = 0;
  EXPECT_FALSE(ValidateEngineConfig(config).ok());
}

// A tiny cluster: messages arrive after 10 ms, every block is valid.
class MiniCluster {
 public:
  explicit MiniCluster(int size, std::function<std::vector<ValidatorUpdate>(Height)> updates = nullptr)
      : updates_(std::move(updates)) {
    const ValidatorSet set = ValidatorSet::Create(Validators(size)).value();
    for (int i = 0; i < size; ++i) {
      signers_.push_back(std::make_unique<FakeSigner>(ToBytes("v" + std::to_string(i))));
      EngineStart start{1, set, set.NextHeight(), 0, std::nullopt, std::nullopt};
      engines_.push_back(std::make_unique<Engine>(TestConfig(), signers_.back().get(), &verifier_, start));
      commits_.emplace_back();
    }
    for (int i = 0; i < size; ++i) {
      engines_[i]->Start(0);
      Process(i);
    }
  }

  void RunUntil(TimeMilliseconds end) {
    while (!queue_.empty() && queue_.top().time <= end) {
      Event event = queue_.top();
      queue_.pop();
      now_ = event.time;
      event.action();
      Process(event.node);
    }
  }

  Engine& engine(int i) { return *engines_[i]; }
  const std::vector<Decision>& commits(int i) const { return commits_[i]; }

 private:
  struct Event {
    TimeMilliseconds time;
    std::uint64_t sequence;
    int node;
    std::function<void()> action;
    bool operator<(const Event& other) const {
      return std::tie(time, sequence) > std::tie(other.time, other.sequence);
    }
  };

  void Schedule(TimeMilliseconds delay, int node, std::function<void()> action) {
    queue_.push(Event{now_ + delay, sequence_++, node, std::move(action)});
  }

  void Process(int node) {
    Engine& engine = *engines_[node];
    while (engine.HasReady()) {
      Ready ready = engine.TakeReady();
      for (const auto& outbound : ready.messages) {
        const Bytes wire = EncodeMessage(outbound.message);
        for (int peer = 0; peer < static_cast<int>(engines_.size()); ++peer) {
          if (peer == node) continue;
          Schedule(10, peer, [this, peer, wire] {
            (void)engines_[peer]->HandleMessage(DecodeMessage(wire).value(), now_);
          });
        }
      }
      for (const Timer& timer : ready.timers) {
        Schedule(timer.delay_ms, node, [this, node, timer] { engines_[node]->HandleTimeout(timer, now_); });
      }
      for (const Decision& decision : ready.commits) commits_[node].push_back(decision);
      for (const auto& request : ready.proposal_requests) {
        BlockHash hash =
            crypto::Hash(crypto::HashAlgorithm::kSha256,
                         AsBytes(std::to_string(request.height) + "/" + std::to_string(request.block_time)));
        blocks_[hash] = request.height;
        Schedule(1, node, [this, node, request, hash] {
          engines_[node]->HandleProposalValue(request.height, request.round, hash, now_);
        });
      }
      for (const auto& request : ready.validation_requests) {
        Schedule(1, node, [this, node, request] {
          std::vector<ValidatorUpdate> updates;
          if (updates_) updates = updates_(request.height);
          engines_[node]->HandleValidation(request.height, request.block_hash, request.block_time,
                                           blocks_.count(request.block_hash) > 0, updates, now_);
        });
      }
    }
  }

  std::function<std::vector<ValidatorUpdate>(Height)> updates_;
  FakeVerifier verifier_;
  std::vector<std::unique_ptr<FakeSigner>> signers_;
  std::vector<std::unique_ptr<Engine>> engines_;
  std::vector<std::vector<Decision>> commits_;
  std::map<BlockHash, Height> blocks_;
  std::priority_queue<Event> queue_;
  TimeMilliseconds now_ = 0;
  std::uint64_t sequence_ = 0;
};

TEST(EngineClusterTest, FourValidatorsCommitTheSameBlocksWithVerifiableCertificates) {
  MiniCluster cluster(4);
  cluster.RunUntil(20000);
  ASSERT_GE(cluster.commits(0).size(), 5u);
  const ValidatorSet set = ValidatorSet::Create(Validators(4)).value();
  FakeVerifier verifier;
  TimeMilliseconds previous_time = 0;
  for (std::size_t h = 0; h < 5; ++h) {
    const Decision& decision = cluster.commits(0)[h];
    EXPECT_EQ(decision.height, h + 1);
    EXPECT_GT(decision.block_time, previous_time);
    previous_time = decision.block_time;
    for (int node = 1; node < 4; ++node) {
      ASSERT_GT(cluster.commits(node).size(), h);
      EXPECT_EQ(cluster.commits(node)[h].block_hash, decision.block_hash);
    }
    if (h == 0) {
      EXPECT_TRUE(VerifyCommitCertificate(kChain, decision.certificate, set, verifier).ok());
    }
  }
}

TEST(EngineClusterTest, ValidatorChangeDecidedAtHTakesEffectAtHPlusTwo) {
  MiniCluster cluster(4, [](Height height) {
    return height == 2 ? std::vector<ValidatorUpdate>{ValidatorUpdate{ToBytes("v3"), 5}}
                       : std::vector<ValidatorUpdate>{};
  });
  // Stop after height 3 commits but before height 4 can: check the sets the engine uses.
  bool saw_height_3 = false, saw_height_4 = false;
  for (TimeMilliseconds t = 100; t < 30000; t += 100) {
    cluster.RunUntil(t);
    const Engine& engine = cluster.engine(0);
    const std::int64_t power_of_v3 = engine.validators().at(3).voting_power;
    if (engine.height() == 3) {
      saw_height_3 = true;
      EXPECT_EQ(power_of_v3, 1) << "decided in 2, must not apply at 3";
      EXPECT_EQ(engine.next_validators().at(3).voting_power, 5);
    }
    if (engine.height() == 4) {
      saw_height_4 = true;
      EXPECT_EQ(power_of_v3, 5);
    }
  }
  EXPECT_TRUE(saw_height_3);
  EXPECT_TRUE(saw_height_4);
}

}  // namespace
}  // namespace rightchain::consensus
