#include "fingerprint/passage.h"

#include <algorithm>
#include <unordered_map>

#include "base/assert.h"

namespace rightchain::fingerprint {
namespace {

// A repeated gram (a refrain, a table row) can occur many times; a few occurrences suffice.
constexpr std::size_t kMaxOccurrencesPerHash = 8;

struct Chain {
  std::uint32_t last_query_token = 0;
  std::uint32_t last_registered_token = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> members;  // (query entry, registered entry)
};

// Fraction of `token_count` tokens covered by the union of [begin, end) intervals.
double Coverage(std::vector<std::pair<std::uint32_t, std::uint32_t>> intervals, std::uint32_t token_count) {
  if (token_count == 0 || intervals.empty()) return 0;
  std::sort(intervals.begin(), intervals.end());
  std::uint64_t covered = 0;
  std::uint32_t current_begin = intervals[0].first;
  std::uint32_t current_end = intervals[0].second;
  for (const auto& [begin, end] : intervals) {
    if (begin > current_end) {
      covered += current_end - current_begin;
      current_begin = begin;
      current_end = end;
    } else {
      current_end = std::max(current_end, end);
    }
  }
  covered += current_end - current_begin;
  return std::min(1.0, static_cast<double>(covered) / token_count);
}

}  // namespace

PassageAlignment AlignPassages(const TextFingerprint& query, const TextFingerprint& registered,
                               const AlignmentOptions& options) {
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> registered_by_hash;
  registered_by_hash.reserve(registered.entries.size());
  for (std::uint32_t index = 0; index < registered.entries.size(); ++index) {
    std::vector<std::uint32_t>& occurrences = registered_by_hash[registered.entries[index].hash];
    if (occurrences.size() < kMaxOccurrencesPerHash) occurrences.push_back(index);
  }

  // Query entries are in token order, so each chain grows forward in the query; a match joins
  // the chain whose last member is closest, else starts a new chain.
  std::vector<Chain> chains;
  for (std::uint32_t query_index = 0; query_index < query.entries.size(); ++query_index) {
    const TextFingerprintEntry& query_entry = query.entries[query_index];
    auto found = registered_by_hash.find(query_entry.hash);
    if (found == registered_by_hash.end()) continue;
    for (std::uint32_t registered_index : found->second) {
      const TextFingerprintEntry& registered_entry = registered.entries[registered_index];
      Chain* best = nullptr;
      std::uint32_t best_distance = UINT32_MAX;
      for (Chain& chain : chains) {
        if (query_entry.token_begin <= chain.last_query_token ||
            registered_entry.token_begin <= chain.last_registered_token) {
          continue;
        }
        const std::uint32_t query_step = query_entry.token_begin - chain.last_query_token;
        const std::uint32_t registered_step = registered_entry.token_begin - chain.last_registered_token;
        const std::uint32_t skew = query_step > registered_step ? query_step - registered_step
                                                                : registered_step - query_step;
        if (query_step > kMaxPassageGapTokens || registered_step > kMaxPassageGapTokens ||
            skew > kMaxPassageGapTokens) {
          continue;
        }
        const std::uint32_t distance = query_step + registered_step;
        if (distance < best_distance) {
          best_distance = distance;
          best = &chain;
        }
      }
      if (best == nullptr) {
        chains.emplace_back();
        best = &chains.back();
      }
      best->last_query_token = query_entry.token_begin;
      best->last_registered_token = registered_entry.token_begin;
      best->members.emplace_back(query_index, registered_index);
    }
  }

  PassageAlignment alignment;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> query_intervals;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> registered_intervals;
  for (const Chain& chain : chains) {
    if (chain.members.size() < options.min_passage_fingerprints) continue;
    Passage passage;
    passage.query = {UINT32_MAX, 0};
    passage.registered = {UINT32_MAX, 0};
    std::uint32_t query_token_begin = UINT32_MAX;
    std::uint32_t query_token_end = 0;
    std::uint32_t registered_token_begin = UINT32_MAX;
    std::uint32_t registered_token_end = 0;
    for (const auto& [query_index, registered_index] : chain.members) {
      const TextFingerprintEntry& q = query.entries[query_index];
      const TextFingerprintEntry& r = registered.entries[registered_index];
      passage.query.begin = std::min(passage.query.begin, q.byte_begin);
      passage.query.end = std::max(passage.query.end, q.byte_end);
      passage.registered.begin = std::min(passage.registered.begin, r.byte_begin);
      passage.registered.end = std::max(passage.registered.end, r.byte_end);
      query_token_begin = std::min(query_token_begin, q.token_begin);
      query_token_end = std::max(query_token_end, q.token_end);
      registered_token_begin = std::min(registered_token_begin, r.token_begin);
      registered_token_end = std::max(registered_token_end, r.token_end);
    }
    passage.query_tokens = query_token_end - query_token_begin;
    passage.shared_fingerprints = static_cast<std::uint32_t>(chain.members.size());
    alignment.shared_fingerprints += passage.shared_fingerprints;
    query_intervals.emplace_back(query_token_begin, query_token_end);
    registered_intervals.emplace_back(registered_token_begin, registered_token_end);
    alignment.passages.push_back(passage);
  }
  std::sort(alignment.passages.begin(), alignment.passages.end(),
            [](const Passage& a, const Passage& b) { return a.query.begin < b.query.begin; });
  alignment.query_coverage = Coverage(std::move(query_intervals), query.token_count);
  alignment.registered_coverage = Coverage(std::move(registered_intervals), registered.token_count);
  return alignment;
}

}  // namespace rightchain::fingerprint
