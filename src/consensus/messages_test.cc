#include "consensus/messages.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/domain.h"

namespace rightchain::consensus {
namespace {

Vote SampleVote() {
  Vote vote;
  vote.type = VoteType::kPrecommit;
  vote.height = 42;
  vote.round = 3;
  vote.block_hash = BlockHash{};
  (*vote.block_hash)[0] = 0xab;
  vote.validator = 7;
  vote.signature = Bytes(64, 0x11);
  return vote;
}

Proposal SampleProposal() {
  Proposal proposal;
  proposal.height = 9;
  proposal.round = 2;
  proposal.pol_round = 1;
  proposal.block_hash[31] = 0x5a;
  proposal.block_time = 1'700'000'000'123;
  proposal.proposer = 1;
  proposal.signature = Bytes(64, 0x22);
  return proposal;
}

TEST(MessagesTest, VoteRoundTrips) {
  const Vote vote = SampleVote();
  const Message decoded = DecodeMessage(EncodeMessage(vote)).value();
  EXPECT_EQ(std::get<Vote>(decoded), vote);
  Vote nil_vote = vote;
  nil_vote.block_hash.reset();
  EXPECT_EQ(std::get<Vote>(DecodeMessage(EncodeMessage(nil_vote)).value()), nil_vote);
}

TEST(MessagesTest, ProposalRoundTrips) {
  const Proposal proposal = SampleProposal();
  EXPECT_EQ(std::get<Proposal>(DecodeMessage(EncodeMessage(proposal)).value()), proposal);
  Proposal fresh = proposal;
  fresh.pol_round = kNoRound;
  EXPECT_EQ(std::get<Proposal>(DecodeMessage(EncodeMessage(fresh)).value()), fresh);
}

TEST(MessagesTest, SignBytesAreDomainTaggedAndBoundToChain) {
  const Bytes vote_bytes = VoteSignBytes("chain-a", SampleVote());
  const Bytes vote_tag = crypto::DomainTag(kVoteDomain);
  EXPECT_TRUE(std::equal(vote_tag.begin(), vote_tag.end(), vote_bytes.begin()));
  EXPECT_EQ(crypto::ParseDomainTag(vote_bytes).value(), 2 + kVoteDomain.size());
  EXPECT_NE(vote_bytes, VoteSignBytes("chain-b", SampleVote()));
  const Bytes proposal_bytes = ProposalSignBytes("chain-a", SampleProposal());
  const Bytes proposal_tag = crypto::DomainTag(kProposalDomain);
  EXPECT_TRUE(std::equal(proposal_tag.begin(), proposal_tag.end(), proposal_bytes.begin()));
  // The signature is not part of what is signed.
  Vote other_signature = SampleVote();
  other_signature.signature = Bytes(64, 0x99);
  EXPECT_EQ(vote_bytes, VoteSignBytes("chain-a", other_signature));
  // Prevote and precommit differ.
  Vote prevote = SampleVote();
  prevote.type = VoteType::kPrevote;
  EXPECT_NE(vote_bytes, VoteSignBytes("chain-a", prevote));
}

TEST(MessagesTest, RejectsMalformedBytes) {
  Bytes encoded = EncodeMessage(SampleVote());
  Bytes trailing = encoded;
  trailing.push_back(0);
  EXPECT_FALSE(DecodeMessage(trailing).ok());
  for (std::size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_FALSE(DecodeMessage(ByteView(encoded.data(), size)).ok()) << size;
  }
  Bytes bad_kind = encoded;
  bad_kind[0] = 9;
  EXPECT_FALSE(DecodeMessage(bad_kind).ok());
  Bytes bad_type = encoded;
  bad_type[1] = 3;
  EXPECT_FALSE(DecodeMessage(bad_type).ok());
  Proposal bad_pol = SampleProposal();
  bad_pol.pol_round = bad_pol.round;
  EXPECT_FALSE(DecodeMessage(EncodeMessage(bad_pol)).ok());
  EXPECT_FALSE(DecodeMessage(Bytes(kMaxMessageSize + 1, 1)).ok());
}

TEST(MessagesTest, GarbageNeverCrashes) {
  std::uint64_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    Bytes garbage(static_cast<std::size_t>(i % 200));
    for (auto& byte : garbage) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      byte = static_cast<std::uint8_t>(state >> 56);
    }
    if (!garbage.empty()) garbage[0] = static_cast<std::uint8_t>(1 + i % 2);
    (void)DecodeMessage(garbage);
  }
}

}  // namespace
}  // namespace rightchain::consensus
