#include "fingerprint/passage.h"

#include <algorithm>
#include <unordered_map>

#include "base/assert.h"

namespace rightchain::fingerprint {
namespace {

struct Chain {
  std::uint32_t last_query_token = 0;
  std::uint32_t last_registered_token = 0;
  std::uint32_t max_skew = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> members;  // (query entry, registered entry)
};

// Tokens covered by the union of [begin, end) intervals.
std::uint64_t CoveredTokens(std::vector<std::pair<std::uint32_t, std::uint32_t>> intervals) {
  if (intervals.empty()) return 0;
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
  return covered + (current_end - current_begin);
}

// Fraction of `token_count` tokens covered by the union of [begin, end) intervals.
double Coverage(std::vector<std::pair<std::uint32_t, std::uint32_t>> intervals, std::uint32_t token_count) {
  if (token_count == 0) return 0;
  return std::min(1.0, static_cast<double>(CoveredTokens(std::move(intervals))) / token_count);
}

}  // namespace

QueryPositions::QueryPositions(const TextFingerprint& query)
    : QueryPositions(query, [](std::uint64_t) { return false; }) {}

const std::vector<std::uint32_t>* QueryPositions::Find(std::uint64_t hash) const {
  auto found = positions_.find(hash);
  return found == positions_.end() ? nullptr : &found->second;
}

PassageAlignment AlignPassages(const TextFingerprint& query, const TextFingerprint& registered,
                               const AlignmentOptions& options) {
  return AlignPassages(query, QueryPositions(query), registered, options);
}

PassageAlignment AlignPassages(const TextFingerprint& query, const QueryPositions& query_positions,
                               const TextFingerprint& registered, const AlignmentOptions& options) {
  // Hashes repeated too often within the work.
  std::vector<std::uint64_t> sorted_hashes;
  sorted_hashes.reserve(registered.entries.size());
  for (const TextFingerprintEntry& entry : registered.entries) sorted_hashes.push_back(entry.hash);
  std::sort(sorted_hashes.begin(), sorted_hashes.end());
  auto repeated_in_work = [&](std::uint64_t hash) {
    auto range = std::equal_range(sorted_hashes.begin(), sorted_hashes.end(), hash);
    return static_cast<std::size_t>(range.second - range.first) > kMaxRepeatsInWork;
  };

  // Shared grams as (query entry, registered entry), in query order.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> shared;
  for (std::uint32_t registered_index = 0; registered_index < registered.entries.size(); ++registered_index) {
    const std::vector<std::uint32_t>* occurrences =
        query_positions.Find(registered.entries[registered_index].hash);
    if (occurrences == nullptr || repeated_in_work(registered.entries[registered_index].hash)) continue;
    for (std::uint32_t query_index : *occurrences) shared.emplace_back(query_index, registered_index);
  }
  std::sort(shared.begin(), shared.end());

  // Each chain grows forward in the query; a match joins the open chain whose last member is
  // closest, else starts a new chain. Chains that can no longer grow (the query has moved more
  // than the gap past them) are closed, so each match is compared with a handful of chains.
  std::vector<Chain> chains;
  std::vector<Chain> open;
  for (const auto& [query_index, registered_index] : shared) {
    const TextFingerprintEntry& query_entry = query.entries[query_index];
    const TextFingerprintEntry& registered_entry = registered.entries[registered_index];
    for (std::size_t index = 0; index < open.size();) {
      if (query_entry.token_begin > open[index].last_query_token + kMaxPassageGapTokens) {
        chains.push_back(std::move(open[index]));
        if (index + 1 != open.size()) open[index] = std::move(open.back());
        open.pop_back();
      } else {
        ++index;
      }
    }
    Chain* best = nullptr;
    std::uint32_t best_distance = UINT32_MAX;
    std::uint32_t best_skew = 0;
    for (Chain& chain : open) {
      if (query_entry.token_begin <= chain.last_query_token ||
          registered_entry.token_begin <= chain.last_registered_token) {
        continue;
      }
      const std::uint32_t query_step = query_entry.token_begin - chain.last_query_token;
      const std::uint32_t registered_step = registered_entry.token_begin - chain.last_registered_token;
      const std::uint32_t skew =
          query_step > registered_step ? query_step - registered_step : registered_step - query_step;
      if (query_step > kMaxPassageGapTokens || registered_step > kMaxPassageGapTokens ||
          skew > kMaxPassageSkewTokens) {
        continue;
      }
      const std::uint32_t distance = query_step + registered_step;
      if (distance < best_distance) {
        best_distance = distance;
        best = &chain;
        best_skew = skew;
      }
    }
    if (best == nullptr) {
      open.emplace_back();
      best = &open.back();
      best_skew = 0;
    }
    best->max_skew = std::max(best->max_skew, best_skew);
    best->last_query_token = query_entry.token_begin;
    best->last_registered_token = registered_entry.token_begin;
    best->members.emplace_back(query_index, registered_index);
  }
  for (Chain& chain : open) chains.push_back(std::move(chain));

  PassageAlignment alignment;
  // Repetitive texts (refrains, tables) repeat grams: count distinct hashes, not matches.
  std::vector<std::uint64_t> all_hashes;
  std::vector<std::uint64_t> chain_hashes;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> query_intervals;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> registered_intervals;
  for (const Chain& chain : chains) {
    if (chain.members.size() < options.min_passage_fingerprints) continue;
    chain_hashes.clear();
    for (const auto& member : chain.members) chain_hashes.push_back(registered.entries[member.second].hash);
    std::sort(chain_hashes.begin(), chain_hashes.end());
    chain_hashes.erase(std::unique(chain_hashes.begin(), chain_hashes.end()), chain_hashes.end());
    if (chain_hashes.size() < options.min_passage_fingerprints) continue;
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
    passage.shared_fingerprints = static_cast<std::uint32_t>(chain_hashes.size());
    passage.max_skew_tokens = chain.max_skew;
    {
      std::vector<std::pair<std::uint32_t, std::uint32_t>> gram_intervals;
      gram_intervals.reserve(chain.members.size());
      for (const auto& member : chain.members) {
        gram_intervals.emplace_back(query.entries[member.first].token_begin,
                                    query.entries[member.first].token_end);
      }
      passage.shared_query_tokens = static_cast<std::uint32_t>(CoveredTokens(std::move(gram_intervals)));
    }
    all_hashes.insert(all_hashes.end(), chain_hashes.begin(), chain_hashes.end());
    query_intervals.emplace_back(query_token_begin, query_token_end);
    registered_intervals.emplace_back(registered_token_begin, registered_token_end);
    alignment.passages.push_back(passage);
  }
  std::sort(all_hashes.begin(), all_hashes.end());
  alignment.shared_fingerprints =
      static_cast<std::uint32_t>(std::unique(all_hashes.begin(), all_hashes.end()) - all_hashes.begin());
  std::sort(alignment.passages.begin(), alignment.passages.end(),
            [](const Passage& a, const Passage& b) { return a.query.begin < b.query.begin; });
  alignment.query_coverage = Coverage(std::move(query_intervals), query.token_count);
  alignment.registered_coverage = Coverage(std::move(registered_intervals), registered.token_count);
  return alignment;
}

}  // namespace rightchain::fingerprint
