#include "exec/genesis.h"

#include <gtest/gtest.h>

#include "exec/exec_test_util.h"

namespace rightchain::exec {
namespace {

Genesis MakeGenesis(crypto::SuiteId suite) {
  Genesis genesis;
  genesis.chain_id = "rightchain-test";
  genesis.suite = suite;
  genesis.genesis_time_milliseconds = 1'790'000'000'000;
  const char* names[] = {"court", "notary", "bureau", "media", "watcher"};
  for (int i = 0; i < 5; ++i) {
    GenesisMember member;
    member.name = names[i];
    member.role = i == 0   ? NodeRole::kRegulatorConsensus
                  : i == 4 ? NodeRole::kObserver
                           : NodeRole::kConsensus;
    const crypto::PrivateKey key = testing::MakeKey(suite, static_cast<std::uint8_t>(i + 1));
    const ByteView raw = key.public_key().raw();
    member.consensus_public_key.assign(raw.begin(), raw.end());
    member.voting_power = i == 4 ? 0 : 10;
    genesis.members.push_back(member);
  }
  const crypto::PrivateKey regulator = testing::MakeKey(suite, 50);
  const ByteView raw = regulator.public_key().raw();
  genesis.accounts.push_back({"Copyright regulator", 1 << 6, Bytes(raw.begin(), raw.end())});
  return genesis;
}

TEST(GenesisTest, RoundTripsForBothSuites) {
  for (const auto suite : {crypto::SuiteId::kSm, crypto::SuiteId::kStd}) {
    const Genesis genesis = MakeGenesis(suite);
    ASSERT_TRUE(ValidateGenesis(genesis).ok()) << ValidateGenesis(genesis).ToString();
    const Bytes encoding = EncodeGenesis(genesis);
    const auto decoded = DecodeGenesis(encoding);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, genesis);
    EXPECT_EQ(GenesisHash(*decoded), crypto::Hash(crypto::GetSuite(suite).hash, encoding));
  }
}

TEST(GenesisTest, ValidationNamesTheProblem) {
  const Genesis valid = MakeGenesis(crypto::SuiteId::kStd);
  struct Case {
    const char* expected;
    std::function<void(Genesis&)> mutate;
  };
  const Case cases[] = {
      {"chain_id", [](Genesis& g) { g.chain_id = "Upper Case"; }},
      {"duplicate name", [](Genesis& g) { g.members[1].name = g.members[0].name; }},
      {"duplicate key",
       [](Genesis& g) { g.members[1].consensus_public_key = g.members[0].consensus_public_key; }},
      {"not a valid ed25519", [](Genesis& g) { g.members[0].consensus_public_key = Bytes(65, 4); }},
      {"observers have no voting power", [](Genesis& g) { g.members[4].voting_power = 1; }},
      {"voting power", [](Genesis& g) { g.members[0].voting_power = 0; }},
      {"no voting member", [](Genesis& g) { g.members = {g.members[4]}; }},
      {"target_block_interval", [](Genesis& g) { g.parameters.target_block_interval_milliseconds = 50; }},
      {"max_block_bytes", [](Genesis& g) { g.parameters.max_block_bytes = 10; }},
      {"label", [](Genesis& g) { g.accounts[0].label.clear(); }},
      {"kinds", [](Genesis& g) { g.accounts[0].kinds = 0x100; }},
      {"accounts[Copyright regulator]: key", [](Genesis& g) { g.accounts[0].public_key = Bytes(3, 1); }},
      {"duplicate key", [](Genesis& g) { g.accounts.push_back(g.accounts[0]); }},
  };
  for (const Case& test_case : cases) {
    Genesis genesis = valid;
    test_case.mutate(genesis);
    const Status status = ValidateGenesis(genesis);
    EXPECT_FALSE(status.ok()) << test_case.expected;
    EXPECT_NE(status.message().find(test_case.expected), std::string::npos) << status.ToString();
  }
}

TEST(GenesisTest, DecodingRejectsTruncationTrailingBytesAndInvalidContent) {
  const Bytes encoding = EncodeGenesis(MakeGenesis(crypto::SuiteId::kSm));
  for (std::size_t size = 0; size < encoding.size(); size += 7) {
    EXPECT_FALSE(DecodeGenesis(ByteView(encoding).first(size)).ok()) << size;
  }
  Bytes trailing = encoding;
  trailing.push_back(0);
  EXPECT_FALSE(DecodeGenesis(trailing).ok());
  Bytes wrong_suite = encoding;
  // After tag (2 + 18), version (1), chain id (4 + 15): the suite byte.
  wrong_suite[2 + 18 + 1 + 4 + 15] = 9;
  EXPECT_FALSE(DecodeGenesis(wrong_suite).ok());
}

TEST(NodeRoleTest, NamesRoundTrip) {
  for (const auto role : {NodeRole::kRegulatorConsensus, NodeRole::kConsensus, NodeRole::kObserver}) {
    EXPECT_EQ(*ParseNodeRole(NodeRoleName(role)), role);
  }
  EXPECT_FALSE(ParseNodeRole("king").ok());
}

}  // namespace
}  // namespace rightchain::exec
