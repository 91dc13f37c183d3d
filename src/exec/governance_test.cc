// Governance on both suites: proposals, approvals above 2/3 with the regulators' veto, every
// action and refusal, the validator changes a block reports, and the chain of validator-set records.
#include "exec/governance.h"

#include <gtest/gtest.h>

#include "exec/exec_test_util.h"
#include "exec/governance_payloads.h"
#include "exec/governance_state.h"

namespace rightchain::exec {
namespace {

using testing::MakeKey;
using testing::MakeSignedTransaction;

constexpr std::string_view kChain = "governance-test";
constexpr std::uint64_t kPower = 10;

Bytes Raw(const crypto::PrivateKey& key) {
  const ByteView raw = key.public_key().raw();
  return Bytes(raw.begin(), raw.end());
}

class GovernanceTest : public ::testing::TestWithParam<crypto::SuiteId> {
 protected:
  // node-0 regulator-consensus, node-1..3 consensus (power 10 each), node-4 observer.
  GovernanceTest() {
    for (std::uint8_t i = 0; i < 5; ++i)
      members_.push_back(MakeKey(suite(), static_cast<std::uint8_t>(100 + i)));
    genesis_.chain_id = std::string(kChain);
    genesis_.suite = suite();
    for (std::size_t i = 0; i < members_.size(); ++i) {
      const NodeRole role = i == 0  ? NodeRole::kRegulatorConsensus
                            : i < 4 ? NodeRole::kConsensus
                                    : NodeRole::kObserver;
      genesis_.members.push_back({"node-" + std::to_string(i), role, Raw(members_[i]), i < 4 ? kPower : 0});
    }
    executor_.emplace(MakeStandardExecutor(genesis_));
    Run({});  // height 1 applies the genesis state
  }

  crypto::SuiteId suite() const { return GetParam(); }
  crypto::KeyId IdOf(std::size_t member) const { return members_[member].public_key().key_id(); }

  BlockExecution Run(const std::vector<codec::SignedTransaction>& transactions) {
    const BlockContext block{kChain, suite(), ++height_,
                             1'790'000'000'000 + static_cast<std::int64_t>(height_)};
    std::vector<TransactionToExecute> inputs;
    for (const auto& transaction : transactions) inputs.push_back({&transaction, false});
    Result<BlockExecution> execution = executor_->ExecuteBlock(block, state_, inputs);
    EXPECT_TRUE(execution.ok()) << execution.status().ToString();
    state_.Apply(execution->changes);
    return std::move(execution).value();
  }

  // One transaction in its own block: its receipt, and the block's validator changes in `changes`.
  Receipt Submit(const crypto::PrivateKey& key, TransactionKind kind, Bytes payload,
                 std::vector<ValidatorChange>* changes = nullptr) {
    BlockExecution execution =
        Run({MakeSignedTransaction(key, std::string(kChain), ++nonce_, height_ + 100,
                                   static_cast<std::uint16_t>(kind), std::move(payload))});
    if (changes != nullptr) *changes = execution.validator_changes;
    return execution.receipts.front();
  }

  ProposePayload Proposal(ProposalAction action) const {
    return ProposePayload{std::move(action), height_ + 50};
  }

  GovernanceResult Propose(std::size_t member, ProposalAction action) {
    const Receipt receipt =
        Submit(members_[member], TransactionKind::kPropose, EncodePayload(Proposal(action)));
    EXPECT_EQ(receipt.status, ReceiptStatus::kOk) << ReceiptStatusName(receipt.status);
    const Result<GovernanceResult> result = DecodeGovernanceResult(receipt.result);
    return result.ok() ? *result : GovernanceResult{};
  }

  ReceiptStatus ProposeStatus(std::size_t member, ProposalAction action) {
    return Submit(members_[member], TransactionKind::kPropose, EncodePayload(Proposal(std::move(action))))
        .status;
  }

  GovernanceResult Approve(std::size_t member, std::uint64_t id,
                           std::vector<ValidatorChange>* changes = nullptr) {
    const Receipt receipt =
        Submit(members_[member], TransactionKind::kApprove, EncodePayload(ApprovePayload{id}), changes);
    EXPECT_EQ(receipt.status, ReceiptStatus::kOk) << ReceiptStatusName(receipt.status);
    const Result<GovernanceResult> result = DecodeGovernanceResult(receipt.result);
    return result.ok() ? *result : GovernanceResult{};
  }

  ReceiptStatus ApproveStatus(std::size_t member, std::uint64_t id) {
    return Submit(members_[member], TransactionKind::kApprove, EncodePayload(ApprovePayload{id})).status;
  }

  ValidatorSetRecord Record(std::uint64_t sequence) {
    return LoadValidatorSetRecord(state_, sequence).value().value_or(ValidatorSetRecord{});
  }

  Genesis genesis_;
  std::vector<crypto::PrivateKey> members_;
  std::optional<Executor> executor_;
  MemoryState state_;
  std::uint64_t height_ = 0;
  std::uint64_t nonce_ = 0;
};

TEST_P(GovernanceTest, GenesisMembersAndTheFirstValidatorSetRecordAreInState) {
  const std::vector<Member> members = LoadMembers(state_).value();
  ASSERT_EQ(members.size(), 5u);
  EXPECT_EQ(members[0].name, "node-0");
  EXPECT_EQ(members[0].role, NodeRole::kRegulatorConsensus);
  EXPECT_EQ(members[4].voting_power, 0u);
  EXPECT_EQ(LatestValidatorSetSequence(state_).value(), 0u);
  EXPECT_EQ(Record(0), GenesisValidatorSetRecord(genesis_));
  const Bytes encoded = EncodeValidatorSetRecord(Record(0));
  EXPECT_EQ(DecodeValidatorSetRecord(encoded).value(), Record(0));
}

TEST_P(GovernanceTest, AValidatorIsAdmittedWhenMoreThanTwoThirdsApproveIncludingARegulator) {
  const crypto::PrivateKey newcomer = MakeKey(suite(), 150);
  const AddMember add{"node-5", NodeRole::kConsensus, Raw(newcomer), kPower};
  const GovernanceResult proposed = Propose(1, add);
  EXPECT_EQ(proposed.status, ProposalStatus::kOpen);
  EXPECT_EQ(proposed.approving_power, kPower);  // proposing is approving
  EXPECT_EQ(proposed.total_power, 4 * kPower);
  EXPECT_EQ(Approve(2, proposed.proposal_id).approving_power, 2 * kPower);
  // 30 of 40 is above 2/3, but no regulator-consensus member approved: the veto holds it.
  const GovernanceResult without_regulator = Approve(3, proposed.proposal_id);
  EXPECT_EQ(without_regulator.status, ProposalStatus::kOpen);
  EXPECT_EQ(without_regulator.approving_power, 3 * kPower);

  std::vector<ValidatorChange> changes;
  const std::uint64_t decided_height = height_ + 1;
  const GovernanceResult executed = Approve(0, proposed.proposal_id, &changes);
  EXPECT_EQ(executed.status, ProposalStatus::kExecuted);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (ValidatorChange{Raw(newcomer), kPower}));
  ASSERT_TRUE(LoadMember(state_, newcomer.public_key().key_id()).value().has_value());

  // The new record, in the receipt and in state, chains to the genesis record.
  const ValidatorSetRecord record = DecodeValidatorSetRecord(executed.validator_set_record).value();
  EXPECT_EQ(record, Record(1));
  EXPECT_EQ(record.sequence, 1u);
  EXPECT_EQ(record.previous_hash, ValidatorSetRecordHash(crypto::GetSuite(suite()).hash, Record(0)));
  EXPECT_EQ(record.decided_height, decided_height);
  EXPECT_EQ(record.effective_height, decided_height + 2);
  EXPECT_EQ(record.proposal_id, proposed.proposal_id);
  ASSERT_EQ(record.members.size(), 6u);
  EXPECT_EQ(record.members[5].name, "node-5");

  EXPECT_EQ(ApproveStatus(1, proposed.proposal_id), ReceiptStatus::kProposalClosed);
  // The newcomer votes from now on: its power counts in the next proposal's total.
  EXPECT_EQ(Propose(1, ChangeRole{IdOf(4), NodeRole::kConsensus, 5}).total_power, 5 * kPower);
}

TEST_P(GovernanceTest, RemovalRoleChangesAndParametersEachAppendARecord) {
  const Bytes evidence = ToBytes("duplicate votes at height 7");
  const std::uint64_t removal = Propose(0, RemoveMember{IdOf(3), evidence}).proposal_id;
  std::vector<ValidatorChange> changes;
  EXPECT_EQ(Approve(1, removal).status, ProposalStatus::kOpen);  // 20 of 40
  EXPECT_EQ(Approve(2, removal, &changes).status, ProposalStatus::kExecuted);
  EXPECT_EQ(changes, (std::vector<ValidatorChange>{{Raw(members_[3]), 0}}));
  EXPECT_FALSE(LoadMember(state_, IdOf(3)).value().has_value());
  EXPECT_EQ(ProposeStatus(3, ChangeParameters{}), ReceiptStatus::kNotAMember);  // no longer a member

  // The observer becomes a validator: now 30 power before, the three approve.
  const std::uint64_t promotion = Propose(0, ChangeRole{IdOf(4), NodeRole::kConsensus, 5}).proposal_id;
  EXPECT_EQ(Approve(1, promotion).status, ProposalStatus::kOpen);  // 20 of 30 is exactly 2/3: not more
  EXPECT_EQ(Approve(2, promotion, &changes).status, ProposalStatus::kExecuted);
  EXPECT_EQ(changes, (std::vector<ValidatorChange>{{Raw(members_[4]), 5}}));
  EXPECT_EQ(LoadMember(state_, IdOf(4)).value()->role, NodeRole::kConsensus);

  const ChangeParameters parameters{2000, 1500, 1500, 1500, 8u << 20, 20'000};
  const std::uint64_t tuning = Propose(0, parameters).proposal_id;
  Approve(1, tuning);
  EXPECT_EQ(Approve(2, tuning, &changes).status, ProposalStatus::kExecuted);
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ(LoadChangedParameters(state_).value(), parameters);

  // Three changes, three records, each naming its predecessor's hash.
  const crypto::HashAlgorithm hash = crypto::GetSuite(suite()).hash;
  ASSERT_EQ(LatestValidatorSetSequence(state_).value(), 3u);
  for (std::uint64_t sequence = 1; sequence <= 3; ++sequence) {
    EXPECT_EQ(Record(sequence).previous_hash, ValidatorSetRecordHash(hash, Record(sequence - 1)));
  }
  EXPECT_EQ(Record(1).members.size(), 4u);
  EXPECT_EQ(Record(3).members, Record(2).members);  // parameters do not change the set
}

TEST_P(GovernanceTest, EveryRefusalHasItsStatus) {
  const crypto::PrivateKey stranger = MakeKey(suite(), 160);
  const AddMember add{"node-5", NodeRole::kConsensus, Raw(MakeKey(suite(), 150)), kPower};
  EXPECT_EQ(Submit(stranger, TransactionKind::kPropose, EncodePayload(Proposal(add))).status,
            ReceiptStatus::kNotAMember);
  EXPECT_EQ(ProposeStatus(4, add), ReceiptStatus::kNotAMember);  // observers do not vote

  const auto invalid = [&](ProposalAction action) { return ProposeStatus(1, std::move(action)); };
  EXPECT_EQ(invalid(AddMember{"Node 5", NodeRole::kConsensus, add.public_key, kPower}),
            ReceiptStatus::kInvalidField);
  EXPECT_EQ(invalid(AddMember{"node-1", NodeRole::kConsensus, add.public_key, kPower}),
            ReceiptStatus::kInvalidField);
  EXPECT_EQ(invalid(AddMember{"node-5", NodeRole::kConsensus, Raw(members_[2]), kPower}),
            ReceiptStatus::kInvalidField);
  EXPECT_EQ(invalid(AddMember{"node-5", NodeRole::kObserver, add.public_key, 1}),
            ReceiptStatus::kInvalidField);
  EXPECT_EQ(invalid(AddMember{"node-5", NodeRole::kConsensus, add.public_key, 0}),
            ReceiptStatus::kInvalidField);
  EXPECT_EQ(invalid(AddMember{"node-5", NodeRole::kConsensus, Bytes(7, 1), kPower}),
            ReceiptStatus::kInvalidField);
  crypto::KeyId unknown{};
  unknown.fill(7);
  EXPECT_EQ(invalid(RemoveMember{unknown, {}}), ReceiptStatus::kInvalidField);
  EXPECT_EQ(invalid(ChangeRole{IdOf(4), NodeRole::kObserver, 3}), ReceiptStatus::kInvalidField);
  EXPECT_EQ(invalid(ChangeParameters{50, 1000, 1000, 1000, 1u << 20, 100}), ReceiptStatus::kInvalidField);
  EXPECT_EQ(
      Submit(members_[1], TransactionKind::kPropose, EncodePayload(ProposePayload{add, height_})).status,
      ReceiptStatus::kInvalidField);  // expires before the block that would include it
  EXPECT_EQ(Submit(members_[1], TransactionKind::kPropose,
                   EncodePayload(ProposePayload{add, height_ + 2 + kMaxProposalLifetimeHeights}))
                .status,
            ReceiptStatus::kInvalidField);
  Bytes malformed = EncodePayload(Proposal(add));
  malformed.push_back(0);
  EXPECT_EQ(Submit(members_[1], TransactionKind::kPropose, malformed).status,
            ReceiptStatus::kMalformedPayload);

  EXPECT_EQ(ApproveStatus(1, 999), ReceiptStatus::kUnknownProposal);
  const std::uint64_t id = Propose(1, add).proposal_id;
  EXPECT_EQ(ApproveStatus(1, id), ReceiptStatus::kAlreadyApproved);
  EXPECT_EQ(ApproveStatus(4, id), ReceiptStatus::kNotAMember);
  // Past its expiry height a proposal takes no approvals.
  const std::uint64_t short_lived =
      DecodeGovernanceResult(
          Submit(members_[1], TransactionKind::kPropose,
                 EncodePayload(ProposePayload{ChangeRole{IdOf(4), NodeRole::kConsensus, 1}, height_ + 2}))
              .result)
          .value()
          .proposal_id;
  Run({});
  Run({});
  EXPECT_EQ(ApproveStatus(0, short_lived), ReceiptStatus::kProposalClosed);
}

TEST(GovernancePayloadsTest, RoundTripStrictly) {
  crypto::KeyId member{};
  member.fill(3);
  for (const ProposalAction& action : std::vector<ProposalAction>{
           AddMember{"node-9", NodeRole::kObserver, Bytes(32, 1), 0},
           RemoveMember{member, ToBytes("evidence")}, ChangeRole{member, NodeRole::kRegulatorConsensus, 7},
           ChangeParameters{1, 2, 3, 4, 5, 6}}) {
    const ProposePayload payload{action, 42};
    const Bytes encoded = EncodePayload(payload);
    EXPECT_EQ(DecodeProposePayload(encoded).value(), payload) << ProposalActionName(action);
    Bytes trailing = encoded;
    trailing.push_back(0);
    EXPECT_FALSE(DecodeProposePayload(trailing).ok());
    EXPECT_FALSE(DecodeProposePayload(ByteView(encoded).first(encoded.size() - 1)).ok());
  }
  EXPECT_EQ(DecodeApprovePayload(EncodePayload(ApprovePayload{5})).value().proposal_id, 5u);
}

INSTANTIATE_TEST_SUITE_P(Suites, GovernanceTest,
                         ::testing::Values(crypto::SuiteId::kStd, crypto::SuiteId::kSm),
                         [](const auto& suite_info) {
                           return std::string(crypto::SuiteName(suite_info.param));
                         });

}  // namespace
}  // namespace rightchain::exec
