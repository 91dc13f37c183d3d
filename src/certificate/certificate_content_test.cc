// The certificate's fields from real verified bundles (proofs::testing::TestChain): what a judge
// reads must be what the verifier proved.
#include "certificate/certificate_content.h"

#include <gtest/gtest.h>

#include "base/bytes.h"
#include "crypto/hash.h"
#include "ledger/block.h"
#include "proofs/testing/test_chain.h"

namespace rightchain::certificate {
namespace {

using proofs::testing::TestChain;

const std::string kPoem = "床前明月光，疑是地上霜。\n";
const std::string kTitle = "静夜思 Quiet Night Thought";

class CertificateContentTest : public ::testing::TestWithParam<crypto::SuiteId> {
 protected:
  CertificateContentTest() : chain_(GetParam(), kTitle, kPoem), trust_(chain_.trust()) {}

  Result<CertificateContent> Build(const proofs::Bundle& bundle, const proofs::Verification& verification,
                                   std::optional<std::vector<std::string>> endorsements = std::nullopt) {
    json_ = proofs::EncodeBundleJson(bundle);
    CertificateInputs inputs;
    inputs.bundle = &bundle;
    inputs.verification = &verification;
    inputs.bundle_json = json_;
    inputs.trust_file = chain_.trust_file();
    inputs.verification_url =
        VerificationUrl("https://node.example/verify", bundle.record_id, bundle.item, bundle.chain_id);
    inputs.endorsements = std::move(endorsements);
    return BuildCertificateContent(inputs);
  }

  static std::string Value(const CertificateContent& content, std::string_view key) {
    const Field* field = content.Find(key);
    EXPECT_NE(field, nullptr) << key;
    return field == nullptr ? "" : field->value;
  }

  TestChain chain_;
  proofs::TrustAnchor trust_;
  std::string json_;
};

TEST_P(CertificateContentTest, AWorkShowsWhatTheVerifierProved) {
  const proofs::Bundle& bundle = chain_.work_bundle();
  const proofs::Verification verification = proofs::VerifyBundle(bundle, trust_, AsBytes(kPoem));
  ASSERT_TRUE(verification.ok()) << verification.message;
  const Result<CertificateContent> content = Build(bundle, verification);
  ASSERT_TRUE(content.ok()) << content.status().ToString();

  EXPECT_EQ(content->heading_zh, "电子数据存证证书");
  EXPECT_EQ(content->heading_en, "Electronic Data Deposit Certificate");
  EXPECT_EQ(Value(*content, "work_title"), kTitle);
  EXPECT_EQ(Value(*content, "work_kind"), "text");
  EXPECT_EQ(Value(*content, "registration_id"), "2");
  EXPECT_EQ(Value(*content, "content_hash"), HexEncode(crypto::Hash(chain_.hash(), AsBytes(kPoem))));
  EXPECT_EQ(Value(*content, "hash_algorithm"), GetParam() == crypto::SuiteId::kStd ? "SHA-256" : "SM3");
  EXPECT_EQ(Value(*content, "owners"),
            "60.00%  " + HexEncode(chain_.alice()) + "\n40.00%  " + HexEncode(chain_.platform()));
  EXPECT_EQ(Value(*content, "authors"), "李白");
  // kTestBlockTimeMilliseconds (1,800,000,000,000) + height 3.
  EXPECT_EQ(Value(*content, "trusted_time"), "2027-01-15T08:00:00.003Z");
  EXPECT_EQ(Value(*content, "claimed_time"), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(Value(*content, "chain_id"), "proofs-test");
  EXPECT_EQ(Value(*content, "suite"), crypto::SuiteName(GetParam()));
  EXPECT_EQ(Value(*content, "genesis_hash"), HexEncode(trust_.genesis_hash));
  EXPECT_EQ(Value(*content, "block_height"), "3");
  EXPECT_EQ(Value(*content, "block_hash"), HexEncode(ledger::BlockHash(chain_.hash(), chain_.header())));
  EXPECT_EQ(Value(*content, "transaction_id"), HexEncode(verification.record.transaction_id));
  EXPECT_EQ(Value(*content, "log_index"), std::to_string(bundle.log_index));
  EXPECT_EQ(Value(*content, "log_size"), std::to_string(chain_.header().log_size));
  EXPECT_EQ(Value(*content, "signers"), "node-0, node-1, node-2");
  EXPECT_EQ(Value(*content, "voting_power"), "30 / 40 (75.00%)");
  EXPECT_EQ(Value(*content, "endorsements"), "证明包中无背书记录 / none recorded in bundle");
  EXPECT_EQ(Value(*content, "trust_file_sha256"), HexEncode(trust_.file_hash));
  EXPECT_EQ(Value(*content, "bundle_sha256"),
            HexEncode(crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(json_))));
  EXPECT_EQ(content->verification_url, "https://node.example/verify?record=2&chain=proofs-test");
  EXPECT_EQ(Value(*content, "verification_url"), content->verification_url);
  EXPECT_EQ(content->attachment_name, "rightchain-bundle-2.json");
  EXPECT_EQ(content->attachment, json_);
  EXPECT_NE(content->how_to_verify_en[2].find("rightchain verify --bundle rightchain-bundle-2.json"),
            std::string::npos);
}

TEST_P(CertificateContentTest, APriorRegistrationOfTheSameContentIsShownAsAConflict) {
  const proofs::Verification verification = proofs::VerifyBundle(chain_.work_bundle(), trust_, std::nullopt);
  ASSERT_TRUE(verification.ok()) << verification.message;
  const Result<CertificateContent> content = Build(chain_.work_bundle(), verification);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  const std::string conflicts = Value(*content, "conflicts");
  EXPECT_NE(conflicts.find("record 1 at 2027-01-15T08:00:00.002Z"), std::string::npos) << conflicts;
  EXPECT_EQ(conflicts.find("none"), std::string::npos) << conflicts;
}

TEST_P(CertificateContentTest, ABatchItemShowsItsItemAndNoConflict) {
  const proofs::Bundle& bundle = chain_.batch_item_bundle();
  const proofs::Verification verification = proofs::VerifyBundle(bundle, trust_, std::nullopt);
  ASSERT_TRUE(verification.ok()) << verification.message;
  const Result<CertificateContent> content = Build(bundle, verification, std::vector<std::string>{});
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(Value(*content, "work_title"), "item 1");
  EXPECT_TRUE(Value(*content, "registration_id").starts_with("3:1")) << Value(*content, "registration_id");
  EXPECT_EQ(Value(*content, "record_type"), "indexed-batch item");
  EXPECT_EQ(Value(*content, "content_hash"), HexEncode(chain_.batch_item().content_hash));
  EXPECT_TRUE(Value(*content, "conflicts").starts_with("无")) << Value(*content, "conflicts");
  EXPECT_EQ(Value(*content, "endorsements"), "节点未报告背书 / none reported by the node");
  EXPECT_EQ(content->verification_url, "https://node.example/verify?record=3&item=1&chain=proofs-test");
  EXPECT_EQ(content->attachment_name, "rightchain-bundle-3-item-1.json");
}

TEST_P(CertificateContentTest, EndorsementsTheNodeReportedAreListedAsNotProven) {
  const proofs::Verification verification = proofs::VerifyBundle(chain_.work_bundle(), trust_, std::nullopt);
  const Result<CertificateContent> content = Build(
      chain_.work_bundle(), verification, std::vector<std::string>{"record 9: registration-number X-1"});
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  const std::string endorsements = Value(*content, "endorsements");
  EXPECT_TRUE(endorsements.starts_with("record 9: registration-number X-1\n")) << endorsements;
  EXPECT_NE(endorsements.find("not covered by the bundle"), std::string::npos);
}

TEST_P(CertificateContentTest, AnUnverifiedBundleGetsNoCertificate) {
  proofs::Bundle tampered = chain_.work_bundle();
  tampered.record.back() ^= 1;
  const proofs::Verification verification = proofs::VerifyBundle(tampered, trust_, std::nullopt);
  ASSERT_FALSE(verification.ok());
  const Result<CertificateContent> content = Build(tampered, verification);
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), ErrorCode::kVerificationFailed);
  EXPECT_NE(content.status().message().find("record"), std::string::npos) << content.status().message();
}

INSTANTIATE_TEST_SUITE_P(Suites, CertificateContentTest,
                         ::testing::Values(crypto::SuiteId::kStd, crypto::SuiteId::kSm),
                         [](const auto& suite_info) {
                           return std::string(crypto::SuiteName(suite_info.param));
                         });

TEST(VerificationUrlTest, AppendsTheQueryAndEncodesTheChainId) {
  EXPECT_EQ(VerificationUrl("http://127.0.0.1:8600/verify", 7, std::nullopt, "rightchain-local"),
            "http://127.0.0.1:8600/verify?record=7&chain=rightchain-local");
  EXPECT_EQ(VerificationUrl("https://x.example/check?lang=zh", 7, 2, "a b/c"),
            "https://x.example/check?lang=zh&record=7&item=2&chain=a%20b%2Fc");
}

}  // namespace
}  // namespace rightchain::certificate
