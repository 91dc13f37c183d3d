#include "crypto/mac.h"

#include <gtest/gtest.h>

namespace rightchain::crypto {
namespace {

// RFC 4231 test case 2 uses a 4-byte key, below our minimum; test case 6 (131-byte key) and a
// 20-byte-key case are used instead.
TEST(HmacTest, Sha256MatchesRfc4231TestCase6) {
  const Bytes key(131, 0xaa);
  const Bytes message = ToBytes("Test Using Larger Than Block-Size Key - Hash Key First");
  EXPECT_EQ(HexEncode(Hmac(HashAlgorithm::kSha256, key, message).value()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacTest, Sha256MatchesRfc4231TestCase1) {
  const Bytes key(20, 0x0b);
  EXPECT_EQ(HexEncode(Hmac(HashAlgorithm::kSha256, key, ToBytes("Hi There")).value()),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacTest, Sm3DiffersFromSha256AndDependsOnKeyAndMessage) {
  const Bytes key(32, 7);
  const Digest sm3 = Hmac(HashAlgorithm::kSm3, key, ToBytes("id")).value();
  EXPECT_NE(sm3, Hmac(HashAlgorithm::kSha256, key, ToBytes("id")).value());
  EXPECT_NE(sm3, Hmac(HashAlgorithm::kSm3, Bytes(32, 8), ToBytes("id")).value());
  EXPECT_NE(sm3, Hmac(HashAlgorithm::kSm3, key, ToBytes("ie")).value());
}

TEST(HmacTest, RefusesShortKeys) {
  EXPECT_FALSE(Hmac(HashAlgorithm::kSha256, Bytes(15, 1), ToBytes("x")).ok());
}

}  // namespace
}  // namespace rightchain::crypto
