#include "merkle/merkle_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "merkle/memory_log_storage.h"
#include "merkle/naive_tree_for_test.h"
#include "merkle/proof.h"
#include "merkle/tree_hash.h"

namespace rightchain::merkle {
namespace {

std::string SuiteName(const ::testing::TestParamInfo<HashAlgorithm>& suite) {
  return std::string(crypto::HashAlgorithmName(suite.param));
}

using testing::NaiveTree;

// Wraps a storage and counts what the log asks of it.
class CountingLogStorage final : public LogStorage {
 public:
  explicit CountingLogStorage(LogStorage& inner) : inner_(inner) {}

  Result<std::uint64_t> ReadSize() const override { return inner_.ReadSize(); }
  Status ReadNodes(std::span<const NodeId> ids, std::span<Digest> hashes) const override {
    node_reads += ids.size();
    ++read_calls;
    if (fail_reads) return Status::IoError("injected read failure");
    return inner_.ReadNodes(ids, hashes);
  }
  Status Apply(const LogWriteBatch& batch) override { return inner_.Apply(batch); }

  void ResetCounts() {
    node_reads = 0;
    read_calls = 0;
  }

  mutable std::uint64_t node_reads = 0;
  mutable std::uint64_t read_calls = 0;
  bool fail_reads = false;

 private:
  LogStorage& inner_;
};

Bytes LeafData(std::uint64_t index) {
  // Leaves of varied lengths, including empty ones.
  Bytes data = ToBytes("entry " + std::to_string(index));
  data.resize(index % 7 == 0 ? 0 : data.size() + index % 13, static_cast<std::uint8_t>(index));
  return data;
}

MerkleLog OpenLog(HashAlgorithm algorithm, LogStorage& storage) {
  auto log = MerkleLog::Open(algorithm, storage);
  RC_ASSERT_MSG(log.ok(), log.status().ToString());
  return std::move(log).value();
}

// Appends leaves [log.size(), log.size() + count) as data, mirrored into `naive` if given.
void AppendLeaves(MerkleLog& log, std::uint64_t count, NaiveTree* naive = nullptr) {
  std::vector<Bytes> leaves;
  for (std::uint64_t i = 0; i < count; ++i) leaves.push_back(LeafData(log.size() + i));
  std::vector<ByteView> views(leaves.begin(), leaves.end());
  auto batch = log.PrepareAppendData(views);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  const Status committed = log.Commit(*batch);
  ASSERT_TRUE(committed.ok()) << committed.ToString();
  if (naive != nullptr) {
    for (const Bytes& leaf : leaves) naive->AppendLeafData(leaf);
  }
}

// Sizes where the tree's shape changes: around powers of two, plus the ends.
std::vector<std::uint64_t> InterestingSizes(std::uint64_t max_size) {
  std::vector<std::uint64_t> candidates = {1, 2, 3, max_size - 1, max_size};
  for (std::uint64_t power = 2; power <= max_size; power *= 2) {
    candidates.insert(candidates.end(), {power - 1, power, power + 1});
  }
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t size : candidates) {
    if (size >= 1 && size <= max_size) sizes.push_back(size);
  }
  return sizes;
}

class MerkleLogRandomizedTest : public ::testing::TestWithParam<HashAlgorithm> {};

// Compares the log with the RFC's recursive definitions: roots at every size, and sampled proofs.
TEST_P(MerkleLogRandomizedTest, MatchesNaiveTree) {
  const HashAlgorithm algorithm = GetParam();
  // SM3 is slower in OpenSSL; its run is shorter, the SHA-256 run reaches the full 10,000 leaves.
  const std::uint64_t max_size = algorithm == HashAlgorithm::kSha256 ? 10'000 : 2'500;
  const int samples = algorithm == HashAlgorithm::kSha256 ? 2'000 : 500;
  std::mt19937_64 random(0x6d65726b6c65);  // fixed seed: failures reproduce
  auto uniform = [&random](std::uint64_t low, std::uint64_t high) {
    return std::uniform_int_distribution<std::uint64_t>(low, high)(random);
  };

  MemoryLogStorage storage;
  MerkleLog log = OpenLog(algorithm, storage);
  NaiveTree naive(algorithm);
  EXPECT_EQ(log.Root(), naive.Root(0));
  // Batches of 1, a few, and many leaves, in random order.
  while (log.size() < max_size) {
    const std::uint64_t largest_batch = std::array<std::uint64_t, 4>{1, 7, 100, 1000}[uniform(0, 3)];
    const std::uint64_t count = std::min(uniform(1, largest_batch), max_size - log.size());
    ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, count, &naive));
    ASSERT_EQ(log.Root(), naive.Root(log.size())) << "after append to size " << log.size();
  }

  for (std::uint64_t size = 0; size <= max_size; ++size) {
    const auto root = log.RootAt(size);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    ASSERT_EQ(*root, naive.Root(size)) << "size " << size;
  }

  std::vector<std::pair<std::uint64_t, std::uint64_t>> inclusion_cases;    // (index, size)
  std::vector<std::pair<std::uint64_t, std::uint64_t>> consistency_cases;  // (size1, size2)
  for (std::uint64_t size : InterestingSizes(max_size)) {
    for (std::uint64_t index : {std::uint64_t{0}, size / 2, size - 1})
      inclusion_cases.emplace_back(index, size);
    for (std::uint64_t size1 : InterestingSizes(size)) consistency_cases.emplace_back(size1, size);
  }
  for (int i = 0; i < samples; ++i) {
    const std::uint64_t size = uniform(1, max_size);
    inclusion_cases.emplace_back(uniform(0, size - 1), size);
    consistency_cases.emplace_back(uniform(1, size), size);
  }

  for (const auto& [index, size] : inclusion_cases) {
    const auto proof = log.InclusionProof(index, size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    ASSERT_EQ(*proof, naive.InclusionProof(index, size)) << "leaf " << index << " size " << size;
    const Status verified = VerifyInclusion(algorithm, index, size, LeafHash(algorithm, LeafData(index)),
                                            *proof, naive.Root(size));
    ASSERT_TRUE(verified.ok()) << "leaf " << index << " size " << size << ": " << verified.ToString();
  }
  for (const auto& [size1, size2] : consistency_cases) {
    const auto proof = log.ConsistencyProof(size1, size2);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    ASSERT_EQ(*proof, naive.ConsistencyProof(size1, size2)) << size1 << " -> " << size2;
    const Status verified =
        VerifyConsistency(algorithm, size1, size2, *proof, naive.Root(size1), naive.Root(size2));
    ASSERT_TRUE(verified.ok()) << size1 << " -> " << size2 << ": " << verified.ToString();
  }

  // A log reopened from the same storage is the same log.
  const MerkleLog reopened = OpenLog(algorithm, storage);
  EXPECT_EQ(reopened.size(), log.size());
  EXPECT_EQ(reopened.Root(), log.Root());
  const auto reopened_proof = reopened.InclusionProof(max_size / 3, max_size);
  ASSERT_TRUE(reopened_proof.ok());
  EXPECT_EQ(*reopened_proof, naive.InclusionProof(max_size / 3, max_size));
}

TEST_P(MerkleLogRandomizedTest, EveryProofOfSmallTreesMatchesNaiveTree) {
  const HashAlgorithm algorithm = GetParam();
  constexpr std::uint64_t kMaxSize = 64;
  MemoryLogStorage storage;
  MerkleLog log = OpenLog(algorithm, storage);
  NaiveTree naive(algorithm);
  ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, kMaxSize, &naive));
  for (std::uint64_t size = 1; size <= kMaxSize; ++size) {
    for (std::uint64_t index = 0; index < size; ++index) {
      const auto proof = log.InclusionProof(index, size);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, naive.InclusionProof(index, size)) << "leaf " << index << " size " << size;
    }
    for (std::uint64_t size1 = 1; size1 <= size; ++size1) {
      const auto proof = log.ConsistencyProof(size1, size);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, naive.ConsistencyProof(size1, size)) << size1 << " -> " << size;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothSuites, MerkleLogRandomizedTest,
                         ::testing::Values(HashAlgorithm::kSha256, HashAlgorithm::kSm3), SuiteName);

TEST(MerkleLogReadsTest, RootsAndProofsReadLogarithmicallyManyNodes) {
  constexpr std::uint64_t kSize = 70'001;
  MemoryLogStorage memory;
  CountingLogStorage storage(memory);
  MerkleLog log = OpenLog(HashAlgorithm::kSha256, storage);
  while (log.size() < kSize)
    ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, std::min<std::uint64_t>(1000, kSize - log.size())));
  EXPECT_EQ(storage.node_reads, 0u) << "appending must not read storage";

  // A recomputation from leaves would read up to 70,001 nodes; the bound allows 2 per level.
  auto bound = [](std::uint64_t size) { return 2 * static_cast<std::uint64_t>(std::bit_width(size)) + 2; };
  std::mt19937_64 random(42);
  std::uint64_t most_reads = 0;
  for (int i = 0; i < 300; ++i) {
    const std::uint64_t size = std::uniform_int_distribution<std::uint64_t>(1, kSize)(random);
    const std::uint64_t other = std::uniform_int_distribution<std::uint64_t>(1, size)(random);

    storage.ResetCounts();
    ASSERT_TRUE(log.RootAt(size).ok());
    EXPECT_LE(storage.node_reads, static_cast<std::uint64_t>(std::popcount(size))) << "RootAt " << size;
    EXPECT_LE(storage.read_calls, 1u);

    storage.ResetCounts();
    ASSERT_TRUE(log.InclusionProof(other - 1, size).ok());
    EXPECT_LE(storage.node_reads, bound(size)) << "InclusionProof " << other - 1 << " " << size;
    EXPECT_LE(storage.read_calls, 1u);
    most_reads = std::max(most_reads, storage.node_reads);

    storage.ResetCounts();
    ASSERT_TRUE(log.ConsistencyProof(other, size).ok());
    EXPECT_LE(storage.node_reads, bound(size)) << "ConsistencyProof " << other << " " << size;
    EXPECT_LE(storage.read_calls, 1u);
    most_reads = std::max(most_reads, storage.node_reads);
  }
  EXPECT_GT(most_reads, 0u) << "proofs of past sizes come from storage";

  storage.ResetCounts();
  EXPECT_EQ(log.Root(), log.RootAt(kSize).value());
  EXPECT_EQ(storage.node_reads, 0u) << "the current root comes from memory";

  storage.ResetCounts();
  const MerkleLog reopened = OpenLog(HashAlgorithm::kSha256, storage);
  EXPECT_EQ(storage.node_reads, static_cast<std::uint64_t>(std::popcount(kSize)));
  EXPECT_EQ(reopened.Root(), log.Root());
}

TEST(MerkleLogTest, BatchHoldsEveryCompletedSubtree) {
  MemoryLogStorage storage;
  MerkleLog log = OpenLog(HashAlgorithm::kSha256, storage);
  NaiveTree naive(HashAlgorithm::kSha256);
  ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, 3, &naive));
  const Bytes leaf = LeafData(3);
  naive.AppendLeafData(leaf);
  const Digest leaf_hash = LeafHash(HashAlgorithm::kSha256, leaf);
  const auto batch = log.PrepareAppend(std::span(&leaf_hash, 1));
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->old_size, 3u);
  EXPECT_EQ(batch->new_size, 4u);
  // The fourth leaf completes the subtrees [3, 4), [2, 4) and [0, 4).
  ASSERT_EQ(batch->nodes.size(), 3u);
  EXPECT_EQ(batch->nodes[0].id, (NodeId{.level = 0, .index = 3}));
  EXPECT_EQ(batch->nodes[0].hash, leaf_hash);
  EXPECT_EQ(batch->nodes[1].id, (NodeId{.level = 1, .index = 1}));
  EXPECT_EQ(batch->nodes[1].hash, NodeHash(HashAlgorithm::kSha256, naive.InclusionProof(3, 4)[0], leaf_hash));
  EXPECT_EQ(batch->nodes[2].id, (NodeId{.level = 2, .index = 0}));
  EXPECT_EQ(batch->nodes[2].hash, naive.Root(4));
}

TEST(MerkleLogTest, PrepareChangesNothingAndStaleBatchesAreRejected) {
  MemoryLogStorage storage;
  MerkleLog log = OpenLog(HashAlgorithm::kSha256, storage);
  ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, 5));
  const Digest root_at_five = log.Root();
  const Digest first = LeafHash(HashAlgorithm::kSha256, AsBytes("first"));
  const Digest second = LeafHash(HashAlgorithm::kSha256, AsBytes("second"));
  const auto first_batch = log.PrepareAppend(std::span(&first, 1));
  const auto second_batch = log.PrepareAppend(std::span(&second, 1));
  ASSERT_TRUE(first_batch.ok() && second_batch.ok());
  EXPECT_EQ(log.size(), 5u);
  EXPECT_EQ(log.Root(), root_at_five);
  EXPECT_EQ(storage.ReadSize().value(), 5u);

  ASSERT_TRUE(log.Commit(*first_batch).ok());
  const Digest root_at_six = log.Root();
  const Status stale = log.Commit(*second_batch);
  EXPECT_EQ(stale.code(), ErrorCode::kInvalidArgument) << stale.ToString();
  EXPECT_EQ(log.size(), 6u);
  EXPECT_EQ(log.Root(), root_at_six);
  EXPECT_EQ(storage.ReadSize().value(), 6u);
  const auto proof = log.InclusionProof(5, 6);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyInclusion(HashAlgorithm::kSha256, 5, 6, first, *proof, root_at_six).ok());
}

TEST(MerkleLogTest, AdoptsABatchTheCallerWroteItself) {
  MemoryLogStorage storage;
  MerkleLog log = OpenLog(HashAlgorithm::kSm3, storage);
  ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, 10));
  std::vector<Digest> leaf_hashes;
  for (std::uint64_t i = 10; i < 17; ++i) leaf_hashes.push_back(LeafHash(HashAlgorithm::kSm3, LeafData(i)));
  const auto batch = log.PrepareAppend(leaf_hashes);
  ASSERT_TRUE(batch.ok());

  const Status too_early = log.AdoptCommitted(*batch);
  EXPECT_EQ(too_early.code(), ErrorCode::kInvalidArgument) << too_early.ToString();
  EXPECT_EQ(log.size(), 10u);

  ASSERT_TRUE(storage.Apply(*batch).ok());  // as the node will, in its own atomic write
  ASSERT_TRUE(log.AdoptCommitted(*batch).ok());
  EXPECT_EQ(log.size(), 17u);
  EXPECT_EQ(log.Root(), OpenLog(HashAlgorithm::kSm3, storage).Root());
  EXPECT_EQ(log.Root(), log.RootAt(17).value());
}

TEST(MerkleLogTest, EmptyAppendIsANoOp) {
  MemoryLogStorage storage;
  MerkleLog log = OpenLog(HashAlgorithm::kSha256, storage);
  ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, 3));
  const Digest root = log.Root();
  const auto batch = log.PrepareAppend({});
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->nodes.empty());
  ASSERT_TRUE(log.Commit(*batch).ok());
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(log.Root(), root);
}

TEST(MerkleLogTest, OutOfRangeRequestsAreStatusErrors) {
  MemoryLogStorage storage;
  MerkleLog log = OpenLog(HashAlgorithm::kSha256, storage);
  EXPECT_EQ(log.Root(), EmptyRoot(HashAlgorithm::kSha256));
  EXPECT_EQ(log.RootAt(0).value(), EmptyRoot(HashAlgorithm::kSha256));
  EXPECT_EQ(log.InclusionProof(0, 0).status().code(), ErrorCode::kInvalidArgument);
  ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, 10));
  EXPECT_EQ(log.RootAt(11).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log.InclusionProof(10, 10).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log.InclusionProof(0, 11).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log.ConsistencyProof(0, 5).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log.ConsistencyProof(6, 5).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log.ConsistencyProof(5, 11).status().code(), ErrorCode::kInvalidArgument);
  const auto same_size = log.ConsistencyProof(7, 7);
  ASSERT_TRUE(same_size.ok());
  EXPECT_TRUE(same_size->empty());
}

TEST(MerkleLogTest, RejectsAppendsBeyondTheLimit) {
  MemoryLogStorage storage;
  MerkleLog log = OpenLog(HashAlgorithm::kSha256, storage);
  const std::vector<Digest> too_many(MerkleLog::kMaxLeavesPerAppend + 1);
  EXPECT_EQ(log.PrepareAppend(too_many).status().code(), ErrorCode::kLimitExceeded);
}

TEST(MerkleLogTest, StorageErrorsAreReturned) {
  MemoryLogStorage memory;
  CountingLogStorage storage(memory);
  MerkleLog log = OpenLog(HashAlgorithm::kSha256, storage);
  ASSERT_NO_FATAL_FAILURE(AppendLeaves(log, 100));
  storage.fail_reads = true;
  EXPECT_EQ(log.RootAt(50).status().code(), ErrorCode::kIoError);
  EXPECT_EQ(log.InclusionProof(3, 100).status().code(), ErrorCode::kIoError);
  EXPECT_EQ(log.ConsistencyProof(3, 100).status().code(), ErrorCode::kIoError);
  EXPECT_EQ(MerkleLog::Open(HashAlgorithm::kSha256, storage).status().code(), ErrorCode::kIoError);
}

TEST(MerkleLogTest, OpeningStorageThatLacksNodesFails) {
  MemoryLogStorage storage;
  ASSERT_TRUE(storage.Apply(LogWriteBatch{.old_size = 0, .new_size = 5, .nodes = {}}).ok());
  const auto log = MerkleLog::Open(HashAlgorithm::kSha256, storage);
  EXPECT_EQ(log.status().code(), ErrorCode::kNotFound) << log.status().ToString();
}

}  // namespace
}  // namespace rightchain::merkle
