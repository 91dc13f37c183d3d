#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace rightchain::crypto {
namespace {

std::string HashHex(HashAlgorithm algorithm, std::string_view text) {
  const Digest digest = Hash(algorithm, AsBytes(text));
  return HexEncode(digest);
}

// GB/T 32905-2016 Appendix A examples.
TEST(Sm3Test, StandardExamples) {
  EXPECT_EQ(HashHex(HashAlgorithm::kSm3, "abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd_16;
  for (int i = 0; i < 16; ++i) abcd_16 += "abcd";
  EXPECT_EQ(HashHex(HashAlgorithm::kSm3, abcd_16),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

// FIPS 180-2 examples.
TEST(Sha256Test, StandardExamples) {
  EXPECT_EQ(HashHex(HashAlgorithm::kSha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashHex(HashAlgorithm::kSha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashHex(HashAlgorithm::kSha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HasherTest, IncrementalEqualsOneShotAndResetsAfterFinish) {
  for (HashAlgorithm algorithm : {HashAlgorithm::kSha256, HashAlgorithm::kSm3}) {
    Hasher hasher(algorithm);
    hasher.Update(AsBytes("ab")).Update(AsBytes("c"));
    EXPECT_EQ(hasher.Finish(), Hash(algorithm, AsBytes("abc")));
    hasher.Update(AsBytes("abc"));
    EXPECT_EQ(hasher.Finish(), Hash(algorithm, AsBytes("abc")));
  }
}

}  // namespace
}  // namespace rightchain::crypto
