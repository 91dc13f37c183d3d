#include "crypto/suite.h"

#include <gtest/gtest.h>

namespace rightchain::crypto {
namespace {

TEST(SuiteTest, SmSuiteIsSm3Sm2Sm4Gcm) {
  const Suite& suite = GetSuite(SuiteId::kSm);
  EXPECT_EQ(suite.id, SuiteId::kSm);
  EXPECT_EQ(suite.name, "sm");
  EXPECT_EQ(suite.hash, HashAlgorithm::kSm3);
  EXPECT_EQ(suite.signature, SignatureScheme::kSm2);
  EXPECT_EQ(suite.cipher, CipherAlgorithm::kSm4Gcm);
}

TEST(SuiteTest, StdSuiteIsSha256Ed25519Aes256Gcm) {
  const Suite& suite = GetSuite(SuiteId::kStd);
  EXPECT_EQ(suite.id, SuiteId::kStd);
  EXPECT_EQ(suite.name, "std");
  EXPECT_EQ(suite.hash, HashAlgorithm::kSha256);
  EXPECT_EQ(suite.signature, SignatureScheme::kEd25519);
  EXPECT_EQ(suite.cipher, CipherAlgorithm::kAes256Gcm);
}

TEST(SuiteTest, ParsesNamesExactly) {
  EXPECT_EQ(ParseSuiteName("sm").value(), SuiteId::kSm);
  EXPECT_EQ(ParseSuiteName("std").value(), SuiteId::kStd);
  for (std::string_view bad : {"", "SM", "Std", "sm ", "gm", "std\n"}) {
    const Result<SuiteId> parsed = ParseSuiteName(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument);
  }
  for (SuiteId id : {SuiteId::kSm, SuiteId::kStd}) EXPECT_EQ(ParseSuiteName(SuiteName(id)).value(), id);
}

TEST(SuiteTest, WireBytesAreStableAndUnknownOnesRejected) {
  EXPECT_EQ(SuiteIdFromByte(1).value(), SuiteId::kSm);
  EXPECT_EQ(SuiteIdFromByte(2).value(), SuiteId::kStd);
  EXPECT_EQ(SignatureSchemeFromByte(1).value(), SignatureScheme::kEd25519);
  EXPECT_EQ(SignatureSchemeFromByte(2).value(), SignatureScheme::kSm2);
  EXPECT_EQ(CipherAlgorithmFromByte(1).value(), CipherAlgorithm::kAes256Gcm);
  EXPECT_EQ(CipherAlgorithmFromByte(2).value(), CipherAlgorithm::kSm4Gcm);
  for (std::uint8_t bad : {0, 3, 255}) {
    EXPECT_EQ(SuiteIdFromByte(bad).status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(SignatureSchemeFromByte(bad).status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(CipherAlgorithmFromByte(bad).status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(SuiteTest, Names) {
  EXPECT_EQ(SignatureSchemeName(SignatureScheme::kEd25519), "ed25519");
  EXPECT_EQ(SignatureSchemeName(SignatureScheme::kSm2), "sm2");
  EXPECT_EQ(CipherAlgorithmName(CipherAlgorithm::kAes256Gcm), "aes-256-gcm");
  EXPECT_EQ(CipherAlgorithmName(CipherAlgorithm::kSm4Gcm), "sm4-gcm");
  EXPECT_EQ(SchemeHashAlgorithm(SignatureScheme::kEd25519), HashAlgorithm::kSha256);
  EXPECT_EQ(SchemeHashAlgorithm(SignatureScheme::kSm2), HashAlgorithm::kSm3);
}

}  // namespace
}  // namespace rightchain::crypto
