#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "pki/authority.h"
#include "pki/openssl_handles.h"
#include "pki/verify.h"

namespace rightchain::pki {
namespace {

using ::testing::HasSubstr;

class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rightchain-pki-XXXXXX").string();
    RC_ASSERT(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TemporaryDirectory() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class PkiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<CertificateAuthority> authority = CertificateAuthority::Create("Rightchain Test CA", 3650);
    ASSERT_TRUE(authority.ok()) << authority.status().ToString();
    authority_.emplace(std::move(authority).value());
  }
  IssuedCertificate IssueNode(const std::string& name, int validity_days = 365) {
    Result<IssuedCertificate> issued =
        authority_->IssueWithNewKey(NodeCertificateProfile(name, validity_days, {name + ".example"}));
    RC_ASSERT_MSG(issued.ok(), issued.status().ToString());
    return std::move(issued).value();
  }
  std::optional<CertificateAuthority> authority_;
};

TEST_F(PkiTest, AuthorityCertificateHasTheCaProfile) {
  const Certificate& certificate = authority_->certificate();
  EXPECT_TRUE(certificate.IsCertificateAuthority());
  EXPECT_EQ(certificate.SubjectCommonName(), "Rightchain Test CA");
  EXPECT_EQ(certificate.IssuerCommonName(), "Rightchain Test CA");
  X509* x509 = NativeAccess::Get(certificate);
  EXPECT_EQ(X509_get_key_usage(x509) & (KU_KEY_CERT_SIGN | KU_CRL_SIGN), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
  int basic_constraints = X509_get_ext_by_NID(x509, NID_basic_constraints, -1);
  ASSERT_GE(basic_constraints, 0);
  EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(x509, basic_constraints)), 1);
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(x509)), 256);
  std::int64_t lifetime_seconds = certificate.NotAfterUnixSeconds() - NowUnixSeconds();
  EXPECT_GT(lifetime_seconds, 3649LL * 86400);
  EXPECT_LE(lifetime_seconds, 3650LL * 86400 + 60);
  EXPECT_TRUE(VerifyCertificate(certificate, certificate).ok());
}

TEST_F(PkiTest, NodeCertificateHasTheTransportProfile) {
  IssuedCertificate node = IssueNode("node-1");
  EXPECT_EQ(node.certificate.SubjectCommonName(), "node-1");
  EXPECT_EQ(node.certificate.IssuerCommonName(), "Rightchain Test CA");
  EXPECT_FALSE(node.certificate.IsCertificateAuthority());
  EXPECT_EQ(node.certificate.SubjectAlternativeNames(),
            (std::vector<std::string>{"IP:127.0.0.1", "IP:::1", "DNS:node-1.example"}));
  X509* x509 = NativeAccess::Get(node.certificate);
  EXPECT_EQ(X509_get_extended_key_usage(x509), static_cast<std::uint32_t>(XKU_SSL_SERVER | XKU_SSL_CLIENT));
  EXPECT_TRUE(node.private_key.CheckMatches(node.certificate).ok());
  EXPECT_TRUE(VerifyCertificate(node.certificate, authority_->certificate()).ok());
  EXPECT_TRUE(node.certificate.AllowsTlsClientAndServer());
  EXPECT_FALSE(node.certificate.AllowsTimeStamping());
  EXPECT_FALSE(authority_->certificate().AllowsTlsClientAndServer());
}

TEST_F(PkiTest, SerialsAreRandomAndAtMost128Bits) {
  std::string first = IssueNode("a").certificate.SerialHex();
  std::string second = IssueNode("b").certificate.SerialHex();
  EXPECT_NE(first, second);
  EXPECT_LE(first.size(), 32u);
  EXPECT_GE(first.size(), 16u);  // fails with probability 2^-64
}

TEST_F(PkiTest, FingerprintIsSha256OfDer) {
  IssuedCertificate node = IssueNode("node-1");
  Bytes der = node.certificate.ToDer();
  Fingerprint expected{};
  SHA256(der.data(), der.size(), expected.data());
  EXPECT_EQ(node.certificate.GetFingerprint(), expected);
  EXPECT_EQ(node.certificate.FingerprintHex(), HexEncode(expected));
  EXPECT_NE(IssueNode("node-1").certificate.GetFingerprint(), expected);
}

TEST_F(PkiTest, TimeStampingProfileHasCriticalTimeStampingUsage) {
  Result<IssuedCertificate> issued =
      authority_->IssueWithNewKey(TimeStampingCertificateProfile("Rightchain TSA", 365));
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  X509* x509 = NativeAccess::Get(issued->certificate);
  EXPECT_EQ(X509_get_extended_key_usage(x509), static_cast<std::uint32_t>(XKU_TIMESTAMP));
  EXPECT_TRUE(issued->certificate.AllowsTimeStamping());
  EXPECT_FALSE(issued->certificate.AllowsTlsClientAndServer());
  int index = X509_get_ext_by_NID(x509, NID_ext_key_usage, -1);
  ASSERT_GE(index, 0);
  EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(x509, index)), 1);
}

TEST_F(PkiTest, ExtraExtensionsAreEasyAndInvalidOnesAreReported) {
  CertificateProfile profile = NodeCertificateProfile("node-1", 30);
  profile.extensions.push_back({"nsComment", "rightchain test"});
  EXPECT_TRUE(authority_->IssueWithNewKey(profile).ok());
  profile.extensions.push_back({"noSuchExtension", "x"});
  Result<IssuedCertificate> bad = authority_->IssueWithNewKey(profile);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("noSuchExtension"));
}

TEST_F(PkiTest, RejectsBadProfiles) {
  EXPECT_EQ(authority_->IssueWithNewKey(NodeCertificateProfile("", 30)).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(authority_->IssueWithNewKey(NodeCertificateProfile("n", 0)).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(authority_->IssueWithNewKey(NodeCertificateProfile(std::string(65, 'n'), 30)).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(PkiTest, CertificateFromAnotherCaIsWrongCa) {
  Result<CertificateAuthority> other = CertificateAuthority::Create("Other CA", 365);
  ASSERT_TRUE(other.ok());
  Result<IssuedCertificate> stranger = other->IssueWithNewKey(NodeCertificateProfile("stranger", 30));
  ASSERT_TRUE(stranger.ok());
  Status status = VerifyCertificate(stranger->certificate, authority_->certificate());
  EXPECT_EQ(status.code(), ErrorCode::kVerificationFailed);
  EXPECT_THAT(status.message(), HasSubstr("wrong CA"));
  // Same CA name, different key: the signature gives it away.
  Result<CertificateAuthority> impostor = CertificateAuthority::Create("Rightchain Test CA", 365);
  ASSERT_TRUE(impostor.ok());
  Result<IssuedCertificate> forged = impostor->IssueWithNewKey(NodeCertificateProfile("forged", 30));
  ASSERT_TRUE(forged.ok());
  EXPECT_FALSE(VerifyCertificate(forged->certificate, authority_->certificate()).ok());
}

TEST_F(PkiTest, ExpiredAndNotYetValid) {
  IssuedCertificate node = IssueNode("node-1", 10);
  Status expired = VerifyCertificate(node.certificate, authority_->certificate(),
                                     {.at_unix_seconds = NowUnixSeconds() + 11 * 86400});
  EXPECT_THAT(expired.message(), HasSubstr("certificate expired"));
  Status early = VerifyCertificate(node.certificate, authority_->certificate(),
                                   {.at_unix_seconds = NowUnixSeconds() - 86400});
  EXPECT_THAT(early.message(), HasSubstr("not yet valid"));
}

TEST_F(PkiTest, RevocationListRevokesBySerial) {
  IssuedCertificate kept = IssueNode("kept");
  IssuedCertificate revoked = IssueNode("revoked");
  Result<RevocationList> empty = authority_->IssueRevocationList({}, 7);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->Number(), 1u);
  EXPECT_TRUE(
      VerifyCertificate(revoked.certificate, authority_->certificate(), {.revocation_list = &*empty}).ok());

  Result<RevocationList> list = authority_->Revoke(*empty, revoked.certificate.SerialHex(), 7);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->Number(), 2u);
  EXPECT_EQ(list->RevokedSerialsHex(), std::vector<std::string>{revoked.certificate.SerialHex()});
  EXPECT_TRUE(list->IsRevoked(revoked.certificate));
  EXPECT_FALSE(list->IsRevoked(kept.certificate));
  Status status =
      VerifyCertificate(revoked.certificate, authority_->certificate(), {.revocation_list = &*list});
  EXPECT_THAT(status.message(), HasSubstr("certificate revoked"));
  EXPECT_TRUE(
      VerifyCertificate(kept.certificate, authority_->certificate(), {.revocation_list = &*list}).ok());

  // Appending keeps earlier entries and does not duplicate.
  Result<RevocationList> more = authority_->Revoke(*list, kept.certificate.SerialHex(), 7);
  ASSERT_TRUE(more.ok());
  Result<RevocationList> again = authority_->Revoke(*more, kept.certificate.SerialHex(), 7);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->RevokedSerialsHex().size(), 2u);
  EXPECT_EQ(again->Number(), 4u);
}

TEST_F(PkiTest, RevocationListFromAnotherCaIsRefused) {
  IssuedCertificate node = IssueNode("node-1");
  Result<CertificateAuthority> impostor = CertificateAuthority::Create("Rightchain Test CA", 365);
  ASSERT_TRUE(impostor.ok());
  Result<RevocationList> foreign = impostor->IssueRevocationList({}, 7);
  ASSERT_TRUE(foreign.ok());
  Status status =
      VerifyCertificate(node.certificate, authority_->certificate(), {.revocation_list = &*foreign});
  EXPECT_EQ(status.code(), ErrorCode::kVerificationFailed);
  EXPECT_THAT(status.message(), HasSubstr("revocation list"));
  EXPECT_EQ(authority_->Revoke(*foreign, "01", 7).status().code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(authority_->IssueRevocationList({"xyz"}, 7).status().code(), ErrorCode::kInvalidArgument);
}

// A node takes a new CRL only when its CRL number is higher than that of the list in force:
// a lower or equal number is an older list (or a replay) that could un-revoke a certificate.
TEST_F(PkiTest, RevocationListSupersedesOnlyWithAHigherCrlNumber) {
  Result<RevocationList> first = authority_->IssueRevocationList({}, 7, 5);
  Result<RevocationList> same_number = authority_->IssueRevocationList({"0a"}, 7, 5);
  Result<RevocationList> lower = authority_->IssueRevocationList({"0a"}, 7, 4);
  Result<RevocationList> higher = authority_->Revoke(*first, "0b", 7);
  ASSERT_TRUE(first.ok() && same_number.ok() && lower.ok() && higher.ok());
  EXPECT_EQ(higher->Number(), 6u);

  EXPECT_TRUE(higher->CheckSupersedes(*first).ok());
  const Status equal = same_number->CheckSupersedes(*first);
  EXPECT_EQ(equal.code(), ErrorCode::kVerificationFailed);
  EXPECT_THAT(equal.message(), HasSubstr("CRL number 5, not higher than 5"));
  const Status older = lower->CheckSupersedes(*first);
  EXPECT_EQ(older.code(), ErrorCode::kVerificationFailed);
  EXPECT_THAT(older.message(), HasSubstr("CRL number 4, not higher than 5"));
  EXPECT_FALSE(first->CheckSupersedes(*higher).ok());
  EXPECT_FALSE(first->CheckSupersedes(*first).ok());
  EXPECT_TRUE(first->SameAs(*first));
  EXPECT_FALSE(first->SameAs(*same_number));

  // The same list signed again without its cRLNumber extension: it cannot be ordered at all.
  internal::X509CrlPointer stripped(X509_CRL_dup(NativeAccess::Get(*higher)));
  ASSERT_TRUE(stripped);
  const int extension = X509_CRL_get_ext_by_NID(stripped.get(), NID_crl_number, -1);
  ASSERT_GE(extension, 0);
  X509_EXTENSION_free(X509_CRL_delete_ext(stripped.get(), extension));
  ASSERT_GT(X509_CRL_sign(stripped.get(), NativeAccess::Get(authority_->private_key()), EVP_sha256()), 0);
  const RevocationList unnumbered = NativeAccess::Wrap(std::move(stripped));
  EXPECT_FALSE(unnumbered.Number().has_value());
  EXPECT_TRUE(unnumbered.CheckIssuedBy(authority_->certificate()).ok());
  EXPECT_EQ(unnumbered.CheckHasNumber().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(unnumbered.CheckSupersedes(*first).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(higher->CheckSupersedes(unnumbered).ok());  // anything numbered orders after it
  // Revoking from an unnumbered list starts the numbers at 1.
  Result<RevocationList> renumbered = authority_->Revoke(unnumbered, "0c", 7);
  ASSERT_TRUE(renumbered.ok());
  EXPECT_EQ(renumbered->Number(), 1u);

  Result<CertificateAuthority> impostor = CertificateAuthority::Create("Rightchain Test CA", 365);
  ASSERT_TRUE(impostor.ok());
  Result<RevocationList> foreign = impostor->IssueRevocationList({}, 7, 9);
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(foreign->CheckIssuedBy(authority_->certificate()).code(), ErrorCode::kVerificationFailed);
  EXPECT_TRUE(foreign->CheckIssuedBy(impostor->certificate()).ok());
}

TEST_F(PkiTest, ExpiredRevocationListIsReported) {
  IssuedCertificate node = IssueNode("node-1");
  Result<RevocationList> list = authority_->IssueRevocationList({}, 1);
  ASSERT_TRUE(list.ok());
  Status status =
      VerifyCertificate(node.certificate, authority_->certificate(),
                        {.revocation_list = &*list, .at_unix_seconds = NowUnixSeconds() + 2 * 86400});
  EXPECT_THAT(status.message(), HasSubstr("revocation list expired"));
}

TEST_F(PkiTest, PemFilesRoundTripAndKeysArePrivate) {
  TemporaryDirectory directory;
  IssuedCertificate node = IssueNode("node-1");
  ASSERT_TRUE(node.certificate.SaveFile(directory.File("node.crt")).ok());
  ASSERT_TRUE(node.private_key.SaveFile(directory.File("node.key")).ok());
  struct stat key_stat {};
  ASSERT_EQ(stat(directory.File("node.key").c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600u);

  Result<Certificate> certificate = Certificate::LoadFile(directory.File("node.crt"));
  ASSERT_TRUE(certificate.ok());
  EXPECT_EQ(certificate->GetFingerprint(), node.certificate.GetFingerprint());
  Result<PrivateKey> key = PrivateKey::LoadFile(directory.File("node.key"));
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->CheckMatches(*certificate).ok());
  EXPECT_THAT(key->ToPem(), HasSubstr("-----BEGIN PRIVATE KEY-----"));

  Result<RevocationList> list = authority_->IssueRevocationList({node.certificate.SerialHex()}, 7);
  ASSERT_TRUE(list.ok());
  ASSERT_TRUE(list->SaveFile(directory.File("ca.crl")).ok());
  Result<RevocationList> loaded_list = RevocationList::LoadFile(directory.File("ca.crl"));
  ASSERT_TRUE(loaded_list.ok());
  EXPECT_TRUE(loaded_list->IsRevoked(node.certificate));

  ASSERT_TRUE(authority_->SaveFiles(directory.File("ca.crt"), directory.File("ca.key")).ok());
  Result<CertificateAuthority> loaded =
      CertificateAuthority::LoadFiles(directory.File("ca.crt"), directory.File("ca.key"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->certificate().GetFingerprint(), authority_->certificate().GetFingerprint());
}

TEST_F(PkiTest, BadFilesGiveClearErrors) {
  TemporaryDirectory directory;
  Result<Certificate> missing = Certificate::LoadFile(directory.File("missing.crt"));
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing.crt"));

  IssuedCertificate node = IssueNode("node-1");
  IssuedCertificate other = IssueNode("node-2");
  Status mismatch = other.private_key.CheckMatches(node.certificate);
  EXPECT_EQ(mismatch.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(mismatch.message(), HasSubstr("private key does not match certificate \"node-1\""));

  ASSERT_TRUE(node.private_key.SaveFile(directory.File("key-as-cert.crt")).ok());
  Result<Certificate> not_a_certificate = Certificate::LoadFile(directory.File("key-as-cert.crt"));
  EXPECT_EQ(not_a_certificate.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Certificate::FromPem("garbage").ok());
  EXPECT_FALSE(Certificate::FromDer(ToBytes("garbage")).ok());
  EXPECT_FALSE(PrivateKey::FromPem(node.certificate.ToPem()).ok());

  Result<CertificateAuthority> not_a_ca = CertificateAuthority::FromParts(node.certificate, node.private_key);
  EXPECT_THAT(not_a_ca.status().message(), HasSubstr("not a CA certificate"));
  Result<CertificateAuthority> wrong_key =
      CertificateAuthority::FromParts(authority_->certificate(), node.private_key);
  EXPECT_THAT(wrong_key.status().message(), HasSubstr("does not match"));
}

TEST_F(PkiTest, IssuesFromCertificateRequest) {
  Result<PrivateKey> key = PrivateKey::GenerateP256();
  ASSERT_TRUE(key.ok());
  Result<CertificateRequest> request = CertificateRequest::Create(*key, "node-7");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  Result<CertificateRequest> parsed = CertificateRequest::FromPem(request->ToPem());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->SubjectCommonName(), "node-7");
  Result<Certificate> certificate =
      authority_->IssueFromRequest(*parsed, NodeCertificateProfile("node-7", 30));
  ASSERT_TRUE(certificate.ok()) << certificate.status().ToString();
  EXPECT_TRUE(key->CheckMatches(*certificate).ok());
  EXPECT_TRUE(VerifyCertificate(*certificate, authority_->certificate()).ok());
}

}  // namespace
}  // namespace rightchain::pki
