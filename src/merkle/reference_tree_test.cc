// The RFC 6962 reference tree: golden roots at every size, and the proofs of RFC 6962 §2.1.3's worked
// examples (its 7-leaf tree, whose nodes the figures name a..l).
#include <gtest/gtest.h>

#include <optional>

#include "merkle/memory_log_storage.h"
#include "merkle/merkle_log.h"
#include "merkle/naive_tree_for_test.h"
#include "merkle/proof.h"
#include "merkle/reference_tree_for_test.h"
#include "merkle/tree_hash.h"

namespace rightchain::merkle {
namespace {

using testing::DigestFromHex;
using testing::kReferenceRootsHex;
using testing::NaiveTree;
using testing::ReferenceLeaves;

constexpr HashAlgorithm kSha256 = HashAlgorithm::kSha256;

// The published 8-hex-digit prefixes of the roots, to catch a typo in the golden table.
constexpr std::array<std::string_view, 9> kPublishedRootPrefixes = {"e3b0c442", "6e340b9c", "fac54203",
                                                                    "aeb6bcfe", "d37ee418", "4e3bbb1f",
                                                                    "76e67dad", "ddb89be4", "5dc9da79"};

Digest ReferenceRoot(std::size_t size) {
  return DigestFromHex(kReferenceRootsHex[size]);
}

class ReferenceTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = MerkleLog::Open(kSha256, storage_);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_.emplace(std::move(log).value());
    std::vector<ByteView> views;
    for (const Bytes& leaf : leaves_) {
      views.emplace_back(leaf);
      naive_.AppendLeafData(leaf);
    }
    auto batch = log_->PrepareAppendData(views);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    ASSERT_TRUE(log_->Commit(*batch).ok());
  }

  std::vector<Bytes> leaves_ = ReferenceLeaves();
  MemoryLogStorage storage_;
  std::optional<MerkleLog> log_;
  NaiveTree naive_{kSha256};
};

TEST_F(ReferenceTreeTest, GoldenRootsMatchPublishedPrefixes) {
  for (std::size_t size = 0; size < kReferenceRootsHex.size(); ++size) {
    EXPECT_EQ(kReferenceRootsHex[size].substr(0, 8), kPublishedRootPrefixes[size]) << "size " << size;
  }
}

TEST_F(ReferenceTreeTest, RootsAtEverySizeMatchGoldenValues) {
  for (std::uint64_t size = 0; size <= 8; ++size) {
    EXPECT_EQ(naive_.Root(size), ReferenceRoot(size)) << "naive, size " << size;
    const auto root = log_->RootAt(size);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    EXPECT_EQ(*root, ReferenceRoot(size)) << "log, size " << size;
  }
  EXPECT_EQ(log_->Root(), ReferenceRoot(8));
}

TEST(ReferenceTreeGrowthTest, RootAfterEachSingleAppendMatchesGoldenValue) {
  MemoryLogStorage storage;
  auto log = MerkleLog::Open(kSha256, storage);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->Root(), ReferenceRoot(0));
  const std::vector<Bytes> leaves = ReferenceLeaves();
  for (std::size_t size = 1; size <= leaves.size(); ++size) {
    const ByteView leaf = leaves[size - 1];
    auto batch = log->PrepareAppendData(std::span(&leaf, 1));
    ASSERT_TRUE(batch.ok());
    ASSERT_TRUE(log->Commit(*batch).ok());
    EXPECT_EQ(log->size(), size);
    EXPECT_EQ(log->Root(), ReferenceRoot(size)) << "size " << size;
  }
}

// RFC 6962 §2.1.3, the tree of the first 7 leaves d0..d6:
//   a..f, and d6's leaf, are leaf hashes; g = (a,b), h = (c,d), i = (e,f), j = d6's leaf;
//   k = (g,h), l = (i,j); root = (k,l).
struct Rfc6962Nodes {
  Digest a, b, c, d, e, f, j, g, h, i, k, l;
};

Rfc6962Nodes NodesOfFigure(const std::vector<Bytes>& leaves) {
  Rfc6962Nodes n;
  n.a = LeafHash(kSha256, leaves[0]);
  n.b = LeafHash(kSha256, leaves[1]);
  n.c = LeafHash(kSha256, leaves[2]);
  n.d = LeafHash(kSha256, leaves[3]);
  n.e = LeafHash(kSha256, leaves[4]);
  n.f = LeafHash(kSha256, leaves[5]);
  n.j = LeafHash(kSha256, leaves[6]);
  n.g = NodeHash(kSha256, n.a, n.b);
  n.h = NodeHash(kSha256, n.c, n.d);
  n.i = NodeHash(kSha256, n.e, n.f);
  n.k = NodeHash(kSha256, n.g, n.h);
  n.l = NodeHash(kSha256, n.i, n.j);
  return n;
}

TEST_F(ReferenceTreeTest, Rfc6962AuditPathExamples) {
  const Rfc6962Nodes n = NodesOfFigure(leaves_);
  ASSERT_EQ(NodeHash(kSha256, n.k, n.l), ReferenceRoot(7));
  const std::vector<std::pair<std::uint64_t, std::vector<Digest>>> examples = {
      {0, {n.b, n.h, n.l}},  // "The audit path for d0 is [b, h, l]."
      {3, {n.c, n.g, n.l}},  // "The audit path for d3 is [c, g, l]."
      {4, {n.f, n.j, n.k}},  // "The audit path for d4 is [f, j, k]."
      {6, {n.i, n.k}},       // "The audit path for d6 is [i, k]."
  };
  for (const auto& [index, expected] : examples) {
    const auto proof = log_->InclusionProof(index, 7);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, expected) << "leaf " << index;
    EXPECT_EQ(naive_.InclusionProof(index, 7), expected) << "leaf " << index;
    const Status verified =
        VerifyInclusion(kSha256, index, 7, LeafHash(kSha256, leaves_[index]), expected, ReferenceRoot(7));
    EXPECT_TRUE(verified.ok()) << verified.ToString();
  }
}

TEST_F(ReferenceTreeTest, Rfc6962ConsistencyProofExamples) {
  const Rfc6962Nodes n = NodesOfFigure(leaves_);
  const std::vector<std::pair<std::uint64_t, std::vector<Digest>>> examples = {
      {3, {n.c, n.d, n.g, n.l}},  // "PROOF(3, D[7]) = [c, d, g, l]"
      {4, {n.l}},                 // "PROOF(4, D[7]) = [l]"
      {6, {n.i, n.j, n.k}},       // "PROOF(6, D[7]) = [i, j, k]"
  };
  for (const auto& [size1, expected] : examples) {
    const auto proof = log_->ConsistencyProof(size1, 7);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, expected) << "from size " << size1;
    EXPECT_EQ(naive_.ConsistencyProof(size1, 7), expected) << "from size " << size1;
    const Status verified =
        VerifyConsistency(kSha256, size1, 7, expected, ReferenceRoot(size1), ReferenceRoot(7));
    EXPECT_TRUE(verified.ok()) << verified.ToString();
  }
}

TEST_F(ReferenceTreeTest, EveryProofOfTheEightLeafTreeVerifiesAgainstGoldenRoots) {
  for (std::uint64_t size = 1; size <= 8; ++size) {
    for (std::uint64_t index = 0; index < size; ++index) {
      const auto proof = log_->InclusionProof(index, size);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(*proof, naive_.InclusionProof(index, size));
      const Status verified = VerifyInclusion(kSha256, index, size, LeafHash(kSha256, leaves_[index]), *proof,
                                              ReferenceRoot(size));
      EXPECT_TRUE(verified.ok()) << "leaf " << index << " size " << size << ": " << verified.ToString();
    }
    for (std::uint64_t size1 = 1; size1 <= size; ++size1) {
      const auto proof = log_->ConsistencyProof(size1, size);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(*proof, naive_.ConsistencyProof(size1, size));
      const Status verified =
          VerifyConsistency(kSha256, size1, size, *proof, ReferenceRoot(size1), ReferenceRoot(size));
      EXPECT_TRUE(verified.ok()) << size1 << " -> " << size << ": " << verified.ToString();
    }
  }
}

}  // namespace
}  // namespace rightchain::merkle
