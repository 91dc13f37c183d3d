#include "merkle/tree_hash.h"

#include <gtest/gtest.h>

#include "merkle/reference_tree_for_test.h"

namespace rightchain::merkle {
namespace {

using testing::DigestFromHex;
using testing::kReferenceRootsHex;

// SM3 values from `openssl dgst -sm3`: of the empty string, of 0x00, and of
// 0x01 ‖ SM3(0x00) ‖ SM3(0x00 0x00) (the root of the first two reference leaves).
constexpr std::string_view kSm3EmptyRootHex =
    "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b";
constexpr std::string_view kSm3EmptyLeafHashHex =
    "2daef60e7a0b8f5e024c81cd2ab3109f2b4f155cf83adeb2ae5532f74a157fdf";
constexpr std::string_view kSm3TwoLeafRootHex =
    "0b990fe0c7ad70f1bf1a1262f2c7908ea48146b14253a6db99f2917ab1f5cc4d";

TEST(TreeHashTest, EmptyRootIsHashOfEmptyString) {
  EXPECT_EQ(EmptyRoot(HashAlgorithm::kSha256), DigestFromHex(kReferenceRootsHex[0]));
  EXPECT_EQ(EmptyRoot(HashAlgorithm::kSm3), DigestFromHex(kSm3EmptyRootHex));
}

TEST(TreeHashTest, LeafHashPrefixesZeroByte) {
  // The one-leaf tree's root is its leaf hash: H(0x00 ‖ "").
  EXPECT_EQ(LeafHash(HashAlgorithm::kSha256, ByteView()), DigestFromHex(kReferenceRootsHex[1]));
  EXPECT_EQ(LeafHash(HashAlgorithm::kSm3, ByteView()), DigestFromHex(kSm3EmptyLeafHashHex));
}

TEST(TreeHashTest, NodeHashPrefixesOneByteAndConcatenatesChildren) {
  const Bytes second_leaf = {0x00};
  for (const auto& [algorithm, expected_hex] : {std::pair{HashAlgorithm::kSha256, kReferenceRootsHex[2]},
                                                std::pair{HashAlgorithm::kSm3, kSm3TwoLeafRootHex}}) {
    const Digest left = LeafHash(algorithm, ByteView());
    const Digest right = LeafHash(algorithm, second_leaf);
    EXPECT_EQ(NodeHash(algorithm, left, right), DigestFromHex(expected_hex)) << HashAlgorithmName(algorithm);
    EXPECT_NE(NodeHash(algorithm, right, left), NodeHash(algorithm, left, right));
  }
}

TEST(TreeHashTest, LeafAndNodeHashesAreDomainSeparated) {
  // A 64-byte leaf that looks like two child hashes must not hash like the interior node.
  const Digest left = LeafHash(HashAlgorithm::kSha256, AsBytes("left"));
  const Digest right = LeafHash(HashAlgorithm::kSha256, AsBytes("right"));
  Bytes concatenated(left.begin(), left.end());
  concatenated.insert(concatenated.end(), right.begin(), right.end());
  EXPECT_NE(LeafHash(HashAlgorithm::kSha256, concatenated), NodeHash(HashAlgorithm::kSha256, left, right));
}

}  // namespace
}  // namespace rightchain::merkle
