#include "merkle/proof.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "merkle/naive_tree_for_test.h"
#include "merkle/tree_hash.h"

namespace rightchain::merkle {
namespace {

std::string SuiteName(const ::testing::TestParamInfo<HashAlgorithm>& suite) {
  return std::string(crypto::HashAlgorithmName(suite.param));
}

using testing::NaiveTree;

constexpr std::uint64_t kMaxSize = std::numeric_limits<std::uint64_t>::max();

Digest Filled(std::uint8_t byte) {
  Digest digest;
  digest.fill(byte);
  return digest;
}

class ProofTest : public ::testing::TestWithParam<HashAlgorithm> {
 protected:
  void SetUp() override {
    for (int i = 0; i < kLeafCount; ++i) tree_.AppendLeafData(AsBytes("leaf " + std::to_string(i)));
  }
  HashAlgorithm algorithm() const { return GetParam(); }
  Digest Leaf(std::uint64_t index) { return LeafHash(algorithm(), AsBytes("leaf " + std::to_string(index))); }

  static constexpr int kLeafCount = 37;
  NaiveTree tree_{GetParam()};
};

TEST_P(ProofTest, InclusionAcceptsCorrectProofsAndRejectsEveryAlteration) {
  for (std::uint64_t size = 1; size <= kLeafCount; ++size) {
    const Digest root = tree_.Root(size);
    for (std::uint64_t index = 0; index < size; ++index) {
      const std::vector<Digest> proof = tree_.InclusionProof(index, size);
      const Status verified = VerifyInclusion(algorithm(), index, size, Leaf(index), proof, root);
      ASSERT_TRUE(verified.ok()) << index << "/" << size << ": " << verified.ToString();
      const auto computed = RootFromInclusionProof(algorithm(), index, size, Leaf(index), proof);
      ASSERT_TRUE(computed.ok());
      EXPECT_EQ(*computed, root);

      EXPECT_FALSE(VerifyInclusion(algorithm(), index, size, Leaf(index + 1), proof, root).ok());
      EXPECT_FALSE(VerifyInclusion(algorithm(), index, size, Leaf(index), proof, tree_.Root(size - 1)).ok());
      for (std::size_t position = 0; position < proof.size(); ++position) {
        std::vector<Digest> altered = proof;
        altered[position][position % crypto::kDigestSize] ^= 0x01;
        const Status status = VerifyInclusion(algorithm(), index, size, Leaf(index), altered, root);
        EXPECT_EQ(status.code(), ErrorCode::kVerificationFailed)
            << index << "/" << size << " at " << position;
      }
      // The proof fixes the leaf's position: for any other index it has the wrong length or leads
      // elsewhere. (It does not fix the size: the path of leaf 0 is the same in trees of 3 and 4
      // leaves. The root, signed with its size, binds the size.)
      for (std::uint64_t other = 0; other < size; ++other) {
        if (other == index) continue;
        EXPECT_FALSE(VerifyInclusion(algorithm(), other, size, Leaf(index), proof, root).ok());
      }
    }
  }
}

TEST_P(ProofTest, InclusionRejectsProofsOfTheWrongLength) {
  const std::uint64_t index = 5;
  const std::uint64_t size = 23;
  const std::vector<Digest> proof = tree_.InclusionProof(index, size);
  std::vector<Digest> longer = proof;
  longer.push_back(Filled(7));
  std::vector<Digest> shorter(proof.begin(), proof.end() - 1);
  std::vector<Digest> leading = proof;
  leading.insert(leading.begin(), Filled(7));
  for (const auto& wrong : {longer, shorter, leading}) {
    const Status status = VerifyInclusion(algorithm(), index, size, Leaf(index), wrong, tree_.Root(size));
    EXPECT_EQ(status.code(), ErrorCode::kVerificationFailed);
    EXPECT_NE(status.message().find("must have " + std::to_string(proof.size()) + " hashes"),
              std::string::npos)
        << status.message();
  }
}

TEST_P(ProofTest, InclusionRejectsIndexOutsideTheTree) {
  const Digest leaf = Leaf(0);
  EXPECT_EQ(VerifyInclusion(algorithm(), 0, 0, leaf, {}, EmptyRoot(algorithm())).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(algorithm(), 3, 3, leaf, {}, leaf).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(algorithm(), kMaxSize, kMaxSize, leaf, {}, leaf).code(),
            ErrorCode::kInvalidArgument);
}

TEST_P(ProofTest, InclusionRejectsOverlongProofBeforeHashing) {
  const std::vector<Digest> proof(kMaxInclusionProofHashes + 1, Filled(1));
  const Status status = VerifyInclusion(algorithm(), 0, kMaxSize, Leaf(0), proof, Filled(2));
  EXPECT_EQ(status.code(), ErrorCode::kLimitExceeded) << status.ToString();
}

TEST_P(ProofTest, InclusionAtTheLargestTreeSizes) {
  // Leaf 0 of a tree of 2^64 - 1 leaves: 64 levels, every sibling on the right.
  std::vector<Digest> proof;
  for (int level = 0; level < 64; ++level) proof.push_back(Filled(static_cast<std::uint8_t>(level)));
  Digest expected = Leaf(0);
  for (const Digest& sibling : proof) expected = NodeHash(algorithm(), expected, sibling);
  const auto root = RootFromInclusionProof(algorithm(), 0, kMaxSize, Leaf(0), proof);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, expected);

  // The last leaf, 2^64 - 2: it is the tree's lone rightmost leaf, so its 63 siblings are all on the left.
  proof.pop_back();
  expected = Leaf(0);
  for (const Digest& sibling : proof) expected = NodeHash(algorithm(), sibling, expected);
  const auto last_root = RootFromInclusionProof(algorithm(), kMaxSize - 1, kMaxSize, Leaf(0), proof);
  ASSERT_TRUE(last_root.ok()) << last_root.status().ToString();
  EXPECT_EQ(*last_root, expected);
}

TEST_P(ProofTest, ConsistencyAcceptsCorrectProofsAndRejectsEveryAlteration) {
  for (std::uint64_t size2 = 1; size2 <= kLeafCount; ++size2) {
    const Digest root2 = tree_.Root(size2);
    for (std::uint64_t size1 = 1; size1 <= size2; ++size1) {
      const Digest root1 = tree_.Root(size1);
      const std::vector<Digest> proof = tree_.ConsistencyProof(size1, size2);
      const Status verified = VerifyConsistency(algorithm(), size1, size2, proof, root1, root2);
      ASSERT_TRUE(verified.ok()) << size1 << " -> " << size2 << ": " << verified.ToString();

      if (root1 != root2) {
        EXPECT_FALSE(VerifyConsistency(algorithm(), size1, size2, proof, root2, root1).ok());
      }
      EXPECT_FALSE(VerifyConsistency(algorithm(), size1, size2, proof, Filled(9), root2).ok());
      EXPECT_FALSE(VerifyConsistency(algorithm(), size1, size2, proof, root1, Filled(9)).ok());
      for (std::size_t position = 0; position < proof.size(); ++position) {
        std::vector<Digest> altered = proof;
        altered[position][0] ^= 0x80;
        EXPECT_FALSE(VerifyConsistency(algorithm(), size1, size2, altered, root1, root2).ok())
            << size1 << " -> " << size2 << " at " << position;
      }
      std::vector<Digest> longer = proof;
      longer.push_back(root2);
      EXPECT_FALSE(VerifyConsistency(algorithm(), size1, size2, longer, root1, root2).ok());
      if (!proof.empty()) {
        const std::vector<Digest> shorter(proof.begin(), proof.end() - 1);
        EXPECT_FALSE(VerifyConsistency(algorithm(), size1, size2, shorter, root1, root2).ok());
      }
      // (Like an inclusion proof, a consistency proof need not fix the sizes: the proof from 1 to 3
      // leaves has the shape of the one from 1 to 4. Signed tree heads bind each root to its size.)
    }
  }
}

TEST_P(ProofTest, ConsistencyEdgeCases) {
  const Digest root = tree_.Root(5);
  // Equal sizes: an empty proof and equal roots, nothing else.
  EXPECT_TRUE(VerifyConsistency(algorithm(), 5, 5, {}, root, root).ok());
  EXPECT_EQ(VerifyConsistency(algorithm(), 5, 5, {}, root, Filled(1)).code(), ErrorCode::kVerificationFailed);
  const std::vector<Digest> one_hash = {root};
  EXPECT_EQ(VerifyConsistency(algorithm(), 5, 5, one_hash, root, root).code(),
            ErrorCode::kVerificationFailed);
  // Size 0 is rejected, whatever the proof and roots.
  const Digest empty = EmptyRoot(algorithm());
  EXPECT_EQ(VerifyConsistency(algorithm(), 0, 0, {}, empty, empty).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(algorithm(), 0, 5, {}, empty, root).code(), ErrorCode::kInvalidArgument);
  // Shrinking trees.
  EXPECT_EQ(VerifyConsistency(algorithm(), 6, 5, {}, root, root).code(), ErrorCode::kInvalidArgument);
  // Different sizes need a proof.
  const Status empty_proof = VerifyConsistency(algorithm(), 4, 5, {}, tree_.Root(4), root);
  EXPECT_EQ(empty_proof.code(), ErrorCode::kVerificationFailed);
  // Overlong proofs are rejected before any hashing.
  const std::vector<Digest> overlong(kMaxConsistencyProofHashes + 1, root);
  EXPECT_EQ(VerifyConsistency(algorithm(), 1, kMaxSize, overlong, root, root).code(),
            ErrorCode::kLimitExceeded);
}

TEST_P(ProofTest, ConsistencyAtTheLargestTreeSizes) {
  // The tree of 2^64 - 1 leaves is the perfect tree of 2^63 leaves joined with the rest, so the proof
  // from 2^63 is the one hash of the rest.
  const Digest old_root = Filled(1);
  const Digest rest = Filled(2);
  const std::uint64_t half = std::uint64_t{1} << 63;
  const Digest new_root = NodeHash(algorithm(), old_root, rest);
  const std::vector<Digest> proof = {rest};
  const Status verified = VerifyConsistency(algorithm(), half, kMaxSize, proof, old_root, new_root);
  EXPECT_TRUE(verified.ok()) << verified.ToString();
  EXPECT_FALSE(VerifyConsistency(algorithm(), half, kMaxSize, proof, old_root, rest).ok());
  // From 2^64 - 2 leaves the proof runs along the whole right border: it must not overflow.
  const std::vector<Digest> long_proof(127, rest);
  EXPECT_FALSE(VerifyConsistency(algorithm(), kMaxSize - 1, kMaxSize, long_proof, old_root, new_root).ok());
}

INSTANTIATE_TEST_SUITE_P(BothSuites, ProofTest,
                         ::testing::Values(HashAlgorithm::kSha256, HashAlgorithm::kSm3), SuiteName);

}  // namespace
}  // namespace rightchain::merkle
