// Merkle log costs: append rate into memory storage (batches of 1 and of 1000 leaves), and proof
// generation and verification in a log of 10^6 leaves, for both suites' hashes.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "merkle/memory_log_storage.h"
#include "merkle/merkle_log.h"
#include "merkle/proof.h"
#include "merkle/tree_hash.h"

namespace rightchain::merkle {
namespace {

constexpr std::uint64_t kLargeLogSize = 1'000'000;
constexpr std::size_t kLeafBytes = 128;  // about a transaction digest plus its receipt
constexpr int kPrecomputedQueries = 1024;

HashAlgorithm AlgorithmOf(const benchmark::State& state) {
  return static_cast<HashAlgorithm>(state.range(0));
}

void Label(benchmark::State& state) {
  state.SetLabel(std::string(crypto::HashAlgorithmName(AlgorithmOf(state))));
}

Digest SampleLeafHash(HashAlgorithm algorithm, std::uint64_t index) {
  Bytes leaf(kLeafBytes, static_cast<std::uint8_t>(index));
  for (int byte = 0; byte < 8; ++byte) leaf[byte] = static_cast<std::uint8_t>(index >> (8 * byte));
  return LeafHash(algorithm, leaf);
}

// Leaf data in, committed to memory storage: leaf hashing, node hashing and node writes.
void BM_Append(benchmark::State& state) {
  const HashAlgorithm algorithm = AlgorithmOf(state);
  const auto batch_leaves = static_cast<std::size_t>(state.range(1));
  std::vector<Bytes> leaves(batch_leaves, Bytes(kLeafBytes, 0x5a));
  const std::vector<ByteView> views(leaves.begin(), leaves.end());
  MemoryLogStorage storage;
  MerkleLog log = MerkleLog::Open(algorithm, storage).value();
  for (auto _ : state) {
    const LogWriteBatch batch = log.PrepareAppendData(views).value();
    const Status committed = log.Commit(batch);
    if (!committed.ok()) state.SkipWithError(committed.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch_leaves));
  Label(state);
}

// One log of 10^6 leaves per hash algorithm, built on first use and shared by the benchmarks.
struct LargeLog {
  MemoryLogStorage storage;
  std::unique_ptr<MerkleLog> log;
};

const MerkleLog& LargeLogFor(HashAlgorithm algorithm) {
  static std::map<HashAlgorithm, std::unique_ptr<LargeLog>> logs;
  std::unique_ptr<LargeLog>& entry = logs[algorithm];
  if (entry == nullptr) {
    entry = std::make_unique<LargeLog>();
    entry->log = std::make_unique<MerkleLog>(MerkleLog::Open(algorithm, entry->storage).value());
    constexpr std::uint64_t kBuildBatch = 1 << 16;
    std::vector<Digest> leaf_hashes;
    while (entry->log->size() < kLargeLogSize) {
      leaf_hashes.clear();
      const std::uint64_t first = entry->log->size();
      for (std::uint64_t i = first; i < std::min(first + kBuildBatch, kLargeLogSize); ++i) {
        leaf_hashes.push_back(SampleLeafHash(algorithm, i));
      }
      RC_ASSERT(entry->log->Commit(entry->log->PrepareAppend(leaf_hashes).value()).ok());
    }
  }
  return *entry->log;
}

std::uint64_t RandomBelow(std::mt19937_64& random, std::uint64_t bound) {
  return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(random);
}

void BM_InclusionProof(benchmark::State& state) {
  const MerkleLog& log = LargeLogFor(AlgorithmOf(state));
  std::mt19937_64 random(1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(log.InclusionProof(RandomBelow(random, kLargeLogSize), kLargeLogSize).value());
  }
  state.SetItemsProcessed(state.iterations());
  Label(state);
}

void BM_VerifyInclusion(benchmark::State& state) {
  const HashAlgorithm algorithm = AlgorithmOf(state);
  const MerkleLog& log = LargeLogFor(algorithm);
  struct Query {
    std::uint64_t index;
    std::vector<Digest> proof;
  };
  std::vector<Query> queries;
  std::mt19937_64 random(2);
  for (int i = 0; i < kPrecomputedQueries; ++i) {
    const std::uint64_t index = RandomBelow(random, kLargeLogSize);
    queries.push_back({index, log.InclusionProof(index, kLargeLogSize).value()});
  }
  std::size_t next = 0;
  for (auto _ : state) {
    const Query& query = queries[next++ % queries.size()];
    const Status verified = VerifyInclusion(algorithm, query.index, kLargeLogSize,
                                            SampleLeafHash(algorithm, query.index), query.proof, log.Root());
    if (!verified.ok()) state.SkipWithError(verified.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(crypto::HashAlgorithmName(algorithm)) + " (includes one leaf hash)");
}

void BM_ConsistencyProof(benchmark::State& state) {
  const MerkleLog& log = LargeLogFor(AlgorithmOf(state));
  std::mt19937_64 random(3);
  for (auto _ : state) {
    const std::uint64_t size1 = 1 + RandomBelow(random, kLargeLogSize);
    benchmark::DoNotOptimize(log.ConsistencyProof(size1, kLargeLogSize).value());
  }
  state.SetItemsProcessed(state.iterations());
  Label(state);
}

void BM_VerifyConsistency(benchmark::State& state) {
  const HashAlgorithm algorithm = AlgorithmOf(state);
  const MerkleLog& log = LargeLogFor(algorithm);
  struct Query {
    std::uint64_t size1;
    Digest root1;
    std::vector<Digest> proof;
  };
  std::vector<Query> queries;
  std::mt19937_64 random(4);
  for (int i = 0; i < kPrecomputedQueries; ++i) {
    const std::uint64_t size1 = 1 + RandomBelow(random, kLargeLogSize);
    queries.push_back({size1, log.RootAt(size1).value(), log.ConsistencyProof(size1, kLargeLogSize).value()});
  }
  std::size_t next = 0;
  for (auto _ : state) {
    const Query& query = queries[next++ % queries.size()];
    const Status verified =
        VerifyConsistency(algorithm, query.size1, kLargeLogSize, query.proof, query.root1, log.Root());
    if (!verified.ok()) state.SkipWithError(verified.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  Label(state);
}

// The root at a past size: one read per one bit of the size.
void BM_RootAt(benchmark::State& state) {
  const MerkleLog& log = LargeLogFor(AlgorithmOf(state));
  std::mt19937_64 random(5);
  for (auto _ : state) benchmark::DoNotOptimize(log.RootAt(RandomBelow(random, kLargeLogSize)).value());
  state.SetItemsProcessed(state.iterations());
  Label(state);
}

constexpr auto kSha256 = static_cast<std::int64_t>(HashAlgorithm::kSha256);
constexpr auto kSm3 = static_cast<std::int64_t>(HashAlgorithm::kSm3);

BENCHMARK(BM_Append)->ArgsProduct({{kSha256, kSm3}, {1, 1000}});
BENCHMARK(BM_InclusionProof)->Arg(kSha256)->Arg(kSm3);
BENCHMARK(BM_VerifyInclusion)->Arg(kSha256)->Arg(kSm3);
BENCHMARK(BM_ConsistencyProof)->Arg(kSha256)->Arg(kSm3);
BENCHMARK(BM_VerifyConsistency)->Arg(kSha256)->Arg(kSm3);
BENCHMARK(BM_RootAt)->Arg(kSha256)->Arg(kSm3);

}  // namespace
}  // namespace rightchain::merkle
