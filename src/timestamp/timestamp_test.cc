// RFC 3161 end to end: requests parsed and made, replies granted and refused, checked by our client
// and by the independent `openssl ts` tool (required: these tests fail without it).
#include <gtest/gtest.h>

#include <variant>

#include "base/file.h"
#include "cli/cli_test_util.h"
#include "crypto/hash.h"
#include "pki/authority.h"
#include "timestamp/chain_position.h"
#include "timestamp/time_stamp_authority.h"
#include "timestamp/time_stamp_reply.h"
#include "timestamp/time_stamp_request.h"

namespace rightchain::timestamp {
namespace {

using cli::testing::RunCommand;
using cli::testing::RunResult;

constexpr std::string_view kData = "a poem registered on the chain\n";

Bytes Sha256Of(std::string_view text) {
  const crypto::Digest digest = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes(std::string(text)));
  return Bytes(digest.begin(), digest.end());
}

TimeStampFacts Facts() {
  TimeStampFacts facts;
  facts.time_milliseconds = 1'795'000'000'120;  // 2026-11-18T11:06:40.12Z
  facts.position.chain_id = "rightchain-test";
  facts.position.height = 4321;
  facts.position.transaction_id.fill(0xab);
  facts.position.log_index = 98765;
  facts.position.record_id = 17;
  return facts;
}

class TimeStampTest : public cli::testing::ScratchDirectoryTest {
 protected:
  void SetUp() override {
    ScratchDirectoryTest::SetUp();
    ca_ = std::move(pki::CertificateAuthority::Create("test consortium CA", 30)).value();
    pki::IssuedCertificate issued =
        std::move(ca_->IssueWithNewKey(pki::TimeStampingCertificateProfile("node-0 TSA", 30))).value();
    authority_ = std::move(TimeStampAuthority::Create(issued.certificate, issued.private_key)).value();
  }

  TimeStampRequest Request() const {
    TimeStampRequest request;
    request.hash = exec::TimeStampHash::kSha256;
    request.digest = Sha256Of(kData);
    request.nonce = {0x1c, 0x2d, 0x3e, 0x4f, 0x50, 0x61, 0x72, 0x83};
    request.certificate_requested = true;
    return request;
  }

  RunResult Shell(const std::string& command) {
    return RunCommand("cd " + scratch_.string() + " &&", command, scratch_);
  }

  std::optional<pki::CertificateAuthority> ca_;
  std::optional<TimeStampAuthority> authority_;
};

TEST_F(TimeStampTest, RequestsRoundTripAndBadOnesAreRefusedWithTheirReason) {
  TimeStampRequest request = Request();
  request.policy = std::string(kTimeStampPolicyOid);
  const Bytes der = EncodeTimeStampRequest(request).value();
  const auto parsed = ParseTimeStampRequest(der);
  ASSERT_TRUE(std::holds_alternative<TimeStampRequest>(parsed));
  EXPECT_EQ(std::get<TimeStampRequest>(parsed), request);

  const auto failure = [](ByteView bytes) {
    const auto result = ParseTimeStampRequest(bytes);
    return std::holds_alternative<Refusal>(result) ? std::get<Refusal>(result).failure
                                                   : FailureInfo::kSystemFailure;
  };
  EXPECT_EQ(failure(ToBytes("not a request")), FailureInfo::kBadDataFormat);
  EXPECT_EQ(failure(ByteView(der).first(der.size() - 1)), FailureInfo::kBadDataFormat);
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_EQ(failure(trailing), FailureInfo::kBadDataFormat);
  EXPECT_EQ(failure(Bytes(kMaxRequestSize + 1, 0x30)), FailureInfo::kBadDataFormat);

  // SHA-1 is not accepted: made by the openssl tool, so the request is a standard one.
  ASSERT_TRUE(WriteFile(scratch_ / "data.txt", kData, 0644).ok());
  ASSERT_EQ(Shell("openssl ts -query -data data.txt -sha1 -out sha1.tsq").exit_code, 0);
  const Bytes sha1 = ToBytes(ReadFile(scratch_ / "sha1.tsq", 4096).value());
  EXPECT_EQ(failure(sha1), FailureInfo::kBadAlgorithm);

  request.digest.pop_back();
  EXPECT_FALSE(EncodeTimeStampRequest(request).ok());
  request = Request();
  request.policy = "1.2.3.4";
  EXPECT_EQ(authority_->Check(request)->failure, FailureInfo::kUnacceptedPolicy);
}

TEST_F(TimeStampTest, AGrantedReplyVerifiesAndCarriesTheChainTimeAndPosition) {
  const TimeStampRequest request = Request();
  const Bytes reply = authority_->Grant(request, Facts()).value();
  const Result<CheckedTimeStamp> checked = CheckTimeStampReply(reply, request, ca_->certificate());
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_EQ(checked->time_milliseconds, Facts().time_milliseconds);
  EXPECT_EQ(checked->policy, kTimeStampPolicyOid);
  EXPECT_EQ(checked->authority_name, "node-0 TSA");
  ASSERT_TRUE(checked->position.has_value());
  EXPECT_EQ(*checked->position, Facts().position);
  EXPECT_EQ(checked->serial_hex.size(), 32u);

  // Serial numbers are fresh for every token.
  const Bytes again = authority_->Grant(request, Facts()).value();
  EXPECT_NE(CheckTimeStampReply(again, request, ca_->certificate())->serial_hex, checked->serial_hex);
}

TEST_F(TimeStampTest, AReplyForAnotherDigestNonceOrAuthorityOrAlteredIsRejected) {
  const TimeStampRequest request = Request();
  const Bytes reply = authority_->Grant(request, Facts()).value();

  TimeStampRequest other = request;
  other.digest = Sha256Of("another file");
  EXPECT_FALSE(CheckTimeStampReply(reply, other, ca_->certificate()).ok());
  other = request;
  other.nonce.back() ^= 1;
  EXPECT_FALSE(CheckTimeStampReply(reply, other, ca_->certificate()).ok());

  const pki::CertificateAuthority stranger =
      std::move(pki::CertificateAuthority::Create("another CA", 30)).value();
  EXPECT_FALSE(CheckTimeStampReply(reply, request, stranger.certificate()).ok());

  // Any altered byte: the reply no longer verifies, or it still says exactly the same. (CMS leaves
  // a few encodings outside the signature, such as the digest algorithm's NULL parameters, which
  // OpenSSL reads leniently; what the token asserts cannot change.)
  const CheckedTimeStamp original = CheckTimeStampReply(reply, request, ca_->certificate()).value();
  std::size_t rejected = 0;
  for (std::size_t index = 0; index < reply.size(); ++index) {
    Bytes altered = reply;
    altered[index] ^= 0x01;
    const Result<CheckedTimeStamp> checked = CheckTimeStampReply(altered, request, ca_->certificate());
    if (!checked.ok()) {
      ++rejected;
      continue;
    }
    EXPECT_EQ(checked->time_milliseconds, original.time_milliseconds) << "byte " << index;
    EXPECT_EQ(checked->serial_hex, original.serial_hex) << "byte " << index;
    EXPECT_EQ(checked->position, original.position) << "byte " << index;
    EXPECT_EQ(checked->authority_name, original.authority_name) << "byte " << index;
  }
  EXPECT_GE(rejected * 50, reply.size() * 49);  // all but a handful of unsigned encoding bytes
}

TEST_F(TimeStampTest, ARefusalNamesItsReasonToTheClient) {
  const Bytes reply =
      TimeStampAuthority::Refuse({FailureInfo::kTimeNotAvailable, "the chain is not committing"}).value();
  const Result<CheckedTimeStamp> checked = CheckTimeStampReply(reply, Request(), ca_->certificate());
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.status().message().find("the chain is not committing"), std::string::npos);
}

TEST_F(TimeStampTest, OnlyATimeStampingCertificateMakesAnAuthority) {
  pki::IssuedCertificate node =
      std::move(ca_->IssueWithNewKey(pki::NodeCertificateProfile("node-0", 30))).value();
  EXPECT_FALSE(TimeStampAuthority::Create(node.certificate, node.private_key).ok());
  pki::IssuedCertificate tsa =
      std::move(ca_->IssueWithNewKey(pki::TimeStampingCertificateProfile("tsa", 30))).value();
  EXPECT_FALSE(TimeStampAuthority::Create(tsa.certificate, node.private_key).ok());  // key mismatch
}

TEST(ChainPositionTest, RoundTripsAndRejectsMalformedEncodings) {
  const ChainPosition position = Facts().position;
  const Bytes der = EncodeChainPosition(position).value();
  EXPECT_EQ(DecodeChainPosition(der).value(), position);
  EXPECT_FALSE(DecodeChainPosition(ByteView(der).first(der.size() - 1)).ok());
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_FALSE(DecodeChainPosition(trailing).ok());
  EXPECT_FALSE(DecodeChainPosition(ToBytes("garbage")).ok());
  ChainPosition no_chain = position;
  no_chain.chain_id.clear();
  EXPECT_FALSE(EncodeChainPosition(no_chain).ok());
}

// The independent check: openssl makes the request and verifies our reply, for SHA-256 and SM3.
TEST_F(TimeStampTest, OpenSslVerifiesOurRepliesToItsRequests) {
  ASSERT_TRUE(WriteFile(scratch_ / "data.txt", kData, 0644).ok());
  ASSERT_TRUE(ca_->certificate().SaveFile((scratch_ / "ca.pem").string()).ok());
  for (const std::string digest : {"sha256", "sm3", "sha512"}) {
    SCOPED_TRACE(digest);
    const std::string query = digest + ".tsq";
    const std::string reply_file = digest + ".tsr";
    ASSERT_EQ(Shell("openssl ts -query -data data.txt -" + digest + " -cert -out " + query).exit_code, 0);
    const auto parsed = ParseTimeStampRequest(ToBytes(ReadFile(scratch_ / query, 4096).value()));
    ASSERT_TRUE(std::holds_alternative<TimeStampRequest>(parsed));
    const Bytes reply = authority_->Grant(std::get<TimeStampRequest>(parsed), Facts()).value();
    ASSERT_TRUE(WriteFile(scratch_ / reply_file, std::string(reply.begin(), reply.end()), 0644).ok());

    const RunResult verified =
        Shell("openssl ts -verify -data data.txt -in " + reply_file + " -CAfile ca.pem");
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("Verification: OK"), std::string::npos) << verified.out;
    const RunResult text = Shell("openssl ts -reply -in " + reply_file + " -text");
    EXPECT_NE(text.out.find("Policy OID: " + std::string(kTimeStampPolicyOid)), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("Time stamp: Nov 18 11:06:40.12 2026 GMT"), std::string::npos) << text.out;

    // Another file's data does not verify against the reply.
    ASSERT_TRUE(WriteFile(scratch_ / "other.txt", "not the poem", 0644).ok());
    EXPECT_NE(Shell("openssl ts -verify -data other.txt -in " + reply_file + " -CAfile ca.pem").exit_code, 0);
  }
}

}  // namespace
}  // namespace rightchain::timestamp
