// Image index at 1,000,000 hashes on one thread: query latency percentiles, wall and thread CPU
// time (one hash, and a whole
// image query of 16 hashes: 2 regions x 8 orientations), memory per hash, reload time. Hashes are
// uniformly random, with one planted neighbour per query at 0 to 31 bits; every planted
// neighbour must be found (counter "recall"). The candidate stage of two-stage matching
// (ImageIndex::Candidates: the same probes, kept to kCandidateDistance) is measured alike; its
// verification needs real images and is measured by the image harness.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "fingerprint/image_index.h"

namespace {

using namespace rightchain;
using namespace rightchain::fingerprint;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kIndexedHashes = 1'000'000;
constexpr std::size_t kQueries = 2000;
constexpr int kOrientationsPerQuery = 16;

ImageHash RandomHash(std::mt19937_64& random) {
  ImageHash hash;
  for (auto& word : hash.words) word = random();
  return hash;
}

ImageHash FlipBits(ImageHash hash, int bits, std::mt19937_64& random) {
  for (int flipped = 0; flipped < bits;) {
    const auto bit = static_cast<int>(random() % 256);
    const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
    if (hash.words[bit / 64] & mask) {
      hash.words[bit / 64] &= ~mask;
      ++flipped;
    } else if (random() & 1) {
      hash.words[bit / 64] |= mask;
      ++flipped;
    }
  }
  return hash;
}

struct Fixture {
  ImageIndex index;
  std::vector<ImageHash> queries;  // queries[i] is within 31 bits of image "planted-i"
  double build_seconds = 0;
  double reload_seconds = 0;
  std::size_t file_bytes = 0;
};

const Fixture& GetFixture() {
  static const Fixture fixture = [] {
    Fixture built;
    std::mt19937_64 random(20261122);
    const auto start = Clock::now();
    for (std::size_t image = 0; image < kIndexedHashes - kQueries; ++image) {
      const IndexedImageHash hash{RandomHash(random), 0, 100};
      RC_ASSERT(built.index.Add(std::to_string(image), std::span(&hash, 1)).ok());
    }
    for (std::size_t query = 0; query < kQueries; ++query) {
      const ImageHash planted = RandomHash(random);
      const IndexedImageHash hash{planted, 0, 100};
      RC_ASSERT(built.index.Add("planted-" + std::to_string(query), std::span(&hash, 1)).ok());
      built.queries.push_back(FlipBits(planted, static_cast<int>(random() % 32), random));
    }
    built.index.Compact();
    built.build_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const Bytes bytes = built.index.Serialize();
    built.file_bytes = bytes.size();
    const auto reload_start = Clock::now();
    Result<ImageIndex> reloaded = ImageIndex::Deserialize(bytes);
    RC_ASSERT(reloaded.ok());
    built.reload_seconds = std::chrono::duration<double>(Clock::now() - reload_start).count();
    return built;
  }();
  return fixture;
}

// CPU time of the calling thread: on a shared, loaded machine wall time overstates cost.
double ThreadCpuMilliseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) * 1e-6;
}

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(fraction * values.size()))];
}

void Search(benchmark::State& state, int hashes_per_query, bool candidates = false) {
  const Fixture& fixture = GetFixture();
  std::mt19937_64 random(7);
  std::vector<double> milliseconds;
  std::vector<double> cpu_milliseconds;
  std::size_t found = 0;
  std::size_t query_index = 0;
  for (auto _ : state) {
    const std::size_t planted = query_index++ % kQueries;
    // The planted neighbour's hash, plus unrelated hashes standing in for the other orientations
    // and regions of a real query.
    std::vector<RegionHash> query;
    query.push_back(RegionHash{fixture.queries[planted], 0, 0, 100});
    for (int extra = 1; extra < hashes_per_query; ++extra)
      query.push_back(RegionHash{RandomHash(random), 0, 0, 100});
    const auto start = Clock::now();
    const double cpu_start = ThreadCpuMilliseconds();
    ImageFingerprint fingerprint;  // hashes only: nothing to verify with
    if (candidates) fingerprint.hashes = query;
    const std::vector<ImageMatch> matches =
        candidates ? fixture.index.Candidates(fingerprint) : fixture.index.Search(query, kImageMatchDistance);
    cpu_milliseconds.push_back(ThreadCpuMilliseconds() - cpu_start);
    milliseconds.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    found += std::any_of(matches.begin(), matches.end(), [&](const ImageMatch& match) {
      return match.image_id == "planted-" + std::to_string(planted);
    });
    benchmark::DoNotOptimize(matches);
  }
  state.counters["p50_ms"] = Percentile(milliseconds, 0.50);
  state.counters["p99_ms"] = Percentile(milliseconds, 0.99);
  state.counters["cpu_p50_ms"] = Percentile(cpu_milliseconds, 0.50);
  state.counters["cpu_p99_ms"] = Percentile(cpu_milliseconds, 0.99);
  state.counters["recall"] = static_cast<double>(found) / static_cast<double>(milliseconds.size());
  state.counters["hashes"] = static_cast<double>(fixture.index.entry_count());
  state.counters["bytes_per_hash"] = static_cast<double>(fixture.index.MemoryUsageBytes()) /
                                     static_cast<double>(fixture.index.entry_count());
  state.counters["file_bytes_per_hash"] =
      static_cast<double>(fixture.file_bytes) / static_cast<double>(fixture.index.entry_count());
  state.counters["build_s"] = fixture.build_seconds;
  state.counters["reload_s"] = fixture.reload_seconds;
}

// The alternative the index is measured against: comparing a query hash with every hash.
void BM_LinearScanOneHash(benchmark::State& state) {
  std::mt19937_64 random(3);
  std::vector<ImageHash> hashes(kIndexedHashes);
  for (ImageHash& hash : hashes) hash = RandomHash(random);
  const ImageHash query = RandomHash(random);
  for (auto _ : state) {
    std::size_t within = 0;
    for (const ImageHash& hash : hashes) within += HammingDistance(hash, query) <= kImageMatchDistance;
    benchmark::DoNotOptimize(within);
  }
}

void BM_ImageIndexSearchOneHash(benchmark::State& state) {
  Search(state, 1);
}
void BM_ImageIndexSearchImageQuery(benchmark::State& state) {
  Search(state, kOrientationsPerQuery);
}

BENCHMARK(BM_LinearScanOneHash)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImageIndexSearchOneHash)->Unit(benchmark::kMicrosecond)->Iterations(kQueries);
void BM_ImageIndexCandidatesImageQuery(benchmark::State& state) {
  Search(state, kOrientationsPerQuery, /*candidates=*/true);
}

BENCHMARK(BM_ImageIndexSearchImageQuery)->Unit(benchmark::kMillisecond)->Iterations(kQueries);
BENCHMARK(BM_ImageIndexCandidatesImageQuery)->Unit(benchmark::kMillisecond)->Iterations(kQueries);

}  // namespace
