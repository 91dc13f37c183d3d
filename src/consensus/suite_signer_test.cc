#include "consensus/suite_signer.h"

#include <gtest/gtest.h>

#include <string>

#include "consensus/commit_certificate.h"
#include "consensus/messages.h"
#include "crypto/hash.h"

namespace rightchain::consensus {
namespace {

class SuiteSignerTest : public ::testing::TestWithParam<crypto::SignatureScheme> {
 protected:
  SuiteSigner MakeSigner(int index) {
    const crypto::Digest secret =
        crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes("suite signer test " + std::to_string(index)));
    return SuiteSigner(crypto::PrivateKey::FromRaw(GetParam(), secret).value());
  }
};

TEST_P(SuiteSignerTest, CommitCertificateWithRealSignaturesVerifies) {
  std::vector<SuiteSigner> signers;
  std::vector<Validator> validators;
  for (int i = 0; i < 4; ++i) {
    signers.push_back(MakeSigner(i));
    validators.push_back(Validator{signers.back().public_key(), 1, 0});
  }
  const ValidatorSet set = ValidatorSet::Create(validators).value();
  SuiteVerifier verifier(GetParam());
  CommitCertificate certificate{3, 1, BlockHash{}, {}};
  certificate.block_hash[5] = 9;
  for (ValidatorIndex i = 0; i < 3; ++i) {
    Vote vote{VoteType::kPrecommit, 3, 1, certificate.block_hash, i, {}};
    vote.signature = signers[i].Sign(VoteSignBytes("chain", vote)).value();
    certificate.precommits.push_back(vote);
  }
  EXPECT_TRUE(VerifyCommitCertificate("chain", certificate, set, verifier).ok());
  certificate.precommits[1].signature[10] ^= 1;
  EXPECT_FALSE(VerifyCommitCertificate("chain", certificate, set, verifier).ok());
  // A key that does not parse never verifies.
  EXPECT_FALSE(verifier.Verify(AsBytes("not a key"), VoteSignBytes("chain", certificate.precommits[0]),
                               certificate.precommits[0].signature));
}

INSTANTIATE_TEST_SUITE_P(Suites, SuiteSignerTest,
                         ::testing::Values(crypto::SignatureScheme::kSm2, crypto::SignatureScheme::kEd25519),
                         [](const ::testing::TestParamInfo<crypto::SignatureScheme>& param_info) {
                           return std::string(param_info.param == crypto::SignatureScheme::kSm2 ? "Sm2"
                                                                                                : "Ed25519");
                         });

}  // namespace
}  // namespace rightchain::consensus
