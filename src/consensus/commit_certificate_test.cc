#include "consensus/commit_certificate.h"

#include <gtest/gtest.h>

#include <string>

#include "consensus/messages.h"

namespace rightchain::consensus {
namespace {

constexpr std::string_view kChain = "test-chain";

class CommitCertificateTest : public ::testing::Test {
 protected:
  CommitCertificateTest() {
    std::vector<Validator> validators;
    for (int i = 0; i < 3; ++i) validators.push_back(Validator{ToBytes("v" + std::to_string(i)), 1, 0});
    set_ = ValidatorSet::Create(validators).value();
    hash_[0] = 7;
  }

  Vote Precommit(ValidatorIndex validator, Round round = 0) {
    Vote vote;
    vote.type = VoteType::kPrecommit;
    vote.height = 5;
    vote.round = round;
    vote.block_hash = hash_;
    vote.validator = validator;
    vote.signature = FakeSignature(set_.at(validator).public_key, VoteSignBytes(kChain, vote));
    return vote;
  }

  CommitCertificate Certificate(std::vector<Vote> votes) {
    return CommitCertificate{5, 0, hash_, std::move(votes)};
  }

  ValidatorSet set_;
  BlockHash hash_{};
  FakeVerifier verifier_;
};

TEST_F(CommitCertificateTest, AllPrecommitsVerify) {
  EXPECT_TRUE(VerifyCommitCertificate(kChain, Certificate({Precommit(0), Precommit(1), Precommit(2)}), set_,
                                      verifier_)
                  .ok());
}

TEST_F(CommitCertificateTest, ExactlyTwoThirdsIsNotEnough) {
  EXPECT_EQ(
      VerifyCommitCertificate(kChain, Certificate({Precommit(0), Precommit(1)}), set_, verifier_).code(),
      ErrorCode::kVerificationFailed);
}

TEST_F(CommitCertificateTest, RejectsDuplicatesForgeriesAndStrayVotes) {
  EXPECT_FALSE(VerifyCommitCertificate(kChain, Certificate({Precommit(0), Precommit(0), Precommit(1)}), set_,
                                       verifier_)
                   .ok());
  Vote forged = Precommit(2);
  forged.signature[0] ^= 1;
  EXPECT_FALSE(
      VerifyCommitCertificate(kChain, Certificate({Precommit(0), Precommit(1), forged}), set_, verifier_)
          .ok());
  EXPECT_FALSE(VerifyCommitCertificate(kChain, Certificate({Precommit(0), Precommit(1), Precommit(2, 1)}),
                                       set_, verifier_)
                   .ok());
  EXPECT_FALSE(VerifyCommitCertificate("other-chain", Certificate({Precommit(0), Precommit(1), Precommit(2)}),
                                       set_, verifier_)
                   .ok());
  Vote unknown = Precommit(2);
  unknown.validator = 9;
  EXPECT_FALSE(
      VerifyCommitCertificate(kChain, Certificate({Precommit(0), Precommit(1), unknown}), set_, verifier_)
          .ok());
}

}  // namespace
}  // namespace rightchain::consensus
