// `ca issue` and `ca revoke` on a network folder (no processes): what lands on disk, and the
// validator guard.
#include "cli/ca_commands.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>

#include "cli/cli_test_util.h"
#include "cli/network.h"
#include "cli/node_join.h"
#include "pki/authority.h"
#include "pki/certificate.h"
#include "pki/private_key.h"
#include "pki/revocation_list.h"
#include "pki/verify.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;

class CaCommandsTest : public testing::ScratchDirectoryTest {
 protected:
  void SetUp() override {
    ScratchDirectoryTest::SetUp();
    network_ = scratch_ / "net";
    NetInitOptions init;
    init.directory = network_;
    init.suite = crypto::SuiteId::kStd;
    init.validators = 4;
    init.observers = 1;
    std::ostringstream out;
    ASSERT_TRUE(InitNetwork(init, out).ok());
  }

  pki::Certificate CertificateOf(const std::string& node) {
    auto certificate = pki::Certificate::LoadFile((network_ / node / "transport.crt").string());
    RC_ASSERT(certificate.ok());
    return *certificate;
  }
  pki::RevocationList List() {
    auto list = pki::RevocationList::LoadFile((network_ / "ca.crl").string());
    RC_ASSERT(list.ok());
    return *list;
  }

  fs::path network_;
};

TEST_F(CaCommandsTest, IssuesATransportCertificateOfTheNetworksCa) {
  std::ostringstream out;
  ASSERT_TRUE(IssueMemberCertificate({network_, "museum", {}, false}, out).ok());
  const fs::path folder = network_ / "members" / "museum";
  auto certificate = pki::Certificate::LoadFile((folder / "transport.crt").string());
  ASSERT_TRUE(certificate.ok()) << certificate.status().ToString();
  EXPECT_EQ(certificate->SubjectCommonName(), "museum");
  EXPECT_TRUE(certificate->AllowsTlsClientAndServer());
  auto authority = pki::Certificate::LoadFile((network_ / "ca.crt").string());
  ASSERT_TRUE(authority.ok());
  EXPECT_TRUE(pki::VerifyCertificate(*certificate, *authority).ok());
  auto key = pki::PrivateKey::LoadFile((folder / "transport.key").string());
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->CheckMatches(*certificate).ok());
  struct stat info {};
  ASSERT_EQ(stat((folder / "transport.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  // No silent replacement; bad names are refused.
  EXPECT_EQ(IssueMemberCertificate({network_, "museum", {}, false}, out).code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(IssueMemberCertificate({network_, "museum", {}, true}, out).ok());
  EXPECT_EQ(IssueMemberCertificate({network_, "../escape", {}, false}, out).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(IssueMemberCertificate({network_, "library", scratch_ / "elsewhere", false}, out).ok());
  EXPECT_TRUE(fs::exists(scratch_ / "elsewhere" / "transport.crt"));
}

TEST_F(CaCommandsTest, RevokesAnObserverAndGuardsValidators) {
  // `net init` wrote the empty list every node needs: signed by the CA, CRL number 1.
  auto authority = pki::Certificate::LoadFile((network_ / "ca.crt").string());
  ASSERT_TRUE(authority.ok());
  EXPECT_TRUE(List().CheckIssuedBy(*authority).ok());
  EXPECT_TRUE(List().RevokedSerialsHex().empty());
  EXPECT_EQ(List().Number(), 1u);

  std::ostringstream out;
  std::ostringstream warnings;
  ASSERT_TRUE(RevokeMemberCertificate({network_, "node-4", {}, false}, out, warnings).ok());
  EXPECT_TRUE(warnings.str().empty()) << warnings.str();
  EXPECT_TRUE(List().IsRevoked(CertificateOf("node-4")));
  EXPECT_EQ(List().Number(), 2u);  // each list the CA issues is numbered higher
  // Idempotent: a second revoke changes nothing.
  ASSERT_TRUE(RevokeMemberCertificate({network_, "node-4", {}, false}, out, warnings).ok());
  EXPECT_EQ(List().Number(), 2u);

  // A validator: warned and refused without --force, the CRL untouched.
  const Status refused = RevokeMemberCertificate({network_, "node-2", {}, false}, out, warnings);
  EXPECT_EQ(refused.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("without --force"), std::string::npos) << refused.ToString();
  EXPECT_NE(warnings.str().find("lowers the quorum's margin"), std::string::npos) << warnings.str();
  EXPECT_FALSE(List().IsRevoked(CertificateOf("node-2")));

  warnings.str("");
  ASSERT_TRUE(RevokeMemberCertificate({network_, "node-2", {}, true}, out, warnings).ok());
  EXPECT_NE(warnings.str().find("lowers the quorum's margin"), std::string::npos);
  EXPECT_TRUE(List().IsRevoked(CertificateOf("node-2")));
  EXPECT_TRUE(List().IsRevoked(CertificateOf("node-4")));
  EXPECT_EQ(List().Number(), 3u);

  // A second validator gone leaves 20 of 40: no quorum, and the warning says so.
  warnings.str("");
  ASSERT_TRUE(RevokeMemberCertificate({network_, "node-1", {}, true}, out, warnings).ok());
  EXPECT_NE(warnings.str().find("stops committing"), std::string::npos) << warnings.str();

  // Unknown members and certificates of another holder are errors.
  EXPECT_EQ(RevokeMemberCertificate({network_, "nobody", {}, false}, out, warnings).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(RevokeMemberCertificate({network_, "node-3", network_ / "node-0" / "transport.crt", true}, out,
                                    warnings)
                .code(),
            ErrorCode::kInvalidArgument);
}

// A joining node needs the consortium's CRL as it needs the CA certificate: the CA's, numbered.
// Both are checked before the member is asked for anything.
TEST_F(CaCommandsTest, NodeJoinRefusesAMissingOrForeignRevocationList) {
  std::ostringstream out;
  NodeJoinOptions join;
  join.directory = scratch_ / "joining";
  join.from_url = "http://127.0.0.1:1";  // never reached
  join.name = "newcomer";
  join.ca_file = network_ / "ca.crt";
  join.crl_file = scratch_ / "absent.crl";
  Status refused = JoinNode(join, out);
  EXPECT_EQ(refused.code(), ErrorCode::kNotFound);
  EXPECT_NE(refused.message().find((scratch_ / "absent.crl").string() + " does not exist"), std::string::npos)
      << refused.ToString();

  auto other = pki::CertificateAuthority::Create("Other CA", 30);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->IssueRevocationList({}, 30)->SaveFile((scratch_ / "foreign.crl").string()).ok());
  join.crl_file = scratch_ / "foreign.crl";
  refused = JoinNode(join, out);
  EXPECT_EQ(refused.code(), ErrorCode::kVerificationFailed) << refused.ToString();
  EXPECT_FALSE(fs::exists(scratch_ / "joining" / "node.toml"));
}

}  // namespace
}  // namespace rightchain::cli
