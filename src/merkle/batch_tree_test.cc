#include "merkle/batch_tree.h"

#include <gtest/gtest.h>

#include "merkle/naive_tree_for_test.h"
#include "merkle/proof.h"

namespace rightchain::merkle {
namespace {

Bytes LeafData(std::uint64_t i) {
  return ToBytes("record " + std::to_string(i));
}

TEST(BatchTreeTest, RootAndEveryProofMatchTheRfcDefinitionForEverySizeUpTo70) {
  for (const HashAlgorithm algorithm : {HashAlgorithm::kSha256, HashAlgorithm::kSm3}) {
    for (std::uint64_t size = 1; size <= 70; ++size) {
      std::vector<Bytes> leaves;
      testing::NaiveTree naive(algorithm);
      for (std::uint64_t i = 0; i < size; ++i) {
        leaves.push_back(LeafData(i));
        naive.AppendLeafData(leaves.back());
      }
      const auto tree = BatchTree::FromLeafData(algorithm, leaves);
      ASSERT_TRUE(tree.ok());
      ASSERT_EQ(tree->root(), naive.Root(size)) << size;
      for (std::uint64_t i = 0; i < size; ++i) {
        const std::vector<Digest> proof = tree->InclusionProof(i);
        EXPECT_EQ(proof, naive.InclusionProof(i, size)) << i << " of " << size;
        EXPECT_TRUE(
            VerifyInclusion(algorithm, i, size, LeafHash(algorithm, leaves[i]), proof, tree->root()).ok());
      }
    }
  }
}

TEST(BatchTreeTest, AProofDoesNotVerifyAnotherLeafOrRoot) {
  std::vector<Bytes> leaves;
  for (int i = 0; i < 1000; ++i) leaves.push_back(LeafData(i));
  const auto tree = BatchTree::FromLeafData(HashAlgorithm::kSha256, leaves).value();
  const std::vector<Digest> proof = tree.InclusionProof(417);
  EXPECT_FALSE(VerifyInclusion(HashAlgorithm::kSha256, 417, 1000,
                               LeafHash(HashAlgorithm::kSha256, leaves[418]), proof, tree.root())
                   .ok());
  EXPECT_FALSE(VerifyInclusion(HashAlgorithm::kSha256, 418, 1000,
                               LeafHash(HashAlgorithm::kSha256, leaves[417]), proof, tree.root())
                   .ok());
}

TEST(BatchTreeTest, RejectsEmptyAndOversizedBatches) {
  EXPECT_FALSE(BatchTree::FromLeafHashes(HashAlgorithm::kSha256, {}).ok());
  EXPECT_EQ(BatchTree::FromLeafHashes(HashAlgorithm::kSha256, std::vector<Digest>(BatchTree::kMaxLeaves + 1))
                .status()
                .code(),
            ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace rightchain::merkle
