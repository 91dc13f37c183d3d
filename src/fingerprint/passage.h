// Passage alignment: which parts of a query text were copied from a registered text.
//
// Shared fingerprints are chained into passages: consecutive shared fingerprints whose
// positions advance together in both texts (each step at most kMaxPassageGapTokens tokens,
// and the two steps differing by at most kMaxPassageSkewTokens, which tolerates
// substitutions and small insertions and deletions) belong to one passage. Passages are reported as byte
// ranges of both original texts, with the fraction of each text they cover.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "fingerprint/text_fingerprint.h"

namespace rightchain::fingerprint {

inline constexpr std::uint32_t kMaxPassageGapTokens = 40;
inline constexpr std::uint32_t kMaxPassageSkewTokens = 3;
// A repeated gram (a refrain, a table row) can occur many times; a few occurrences suffice.
inline constexpr std::size_t kMaxOccurrencesPerHash = 8;
// A fingerprint repeated more often than this within the registered work is the work's own
// boilerplate (a sentence repeated under every option of a manual, a signature under every
// entry) and does not count: chains would hop between its occurrences.
inline constexpr std::size_t kMaxRepeatsInWork = 2;

struct ByteRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

struct Passage {
  ByteRange query;                        // in the query's original text
  ByteRange registered;                   // in the registered work's original text
  std::uint32_t query_tokens = 0;         // tokens spanned in the query
  std::uint32_t shared_fingerprints = 0;  // distinct fingerprint hashes in the passage
  // Query tokens inside the shared grams themselves (at most query_tokens): how much text the
  // two texts really have in common, as opposed to the stretch the chain spans.
  std::uint32_t shared_query_tokens = 0;
  // The largest difference between a step in the query and the same step in the registered
  // text: 0 for a verbatim copy, up to kMaxPassageSkewTokens for an edited one.
  std::uint32_t max_skew_tokens = 0;
};

struct PassageAlignment {
  std::vector<Passage> passages;          // in query order
  std::uint32_t shared_fingerprints = 0;  // distinct fingerprint hashes in the passages listed
  double query_coverage = 0;              // fraction of the query's tokens inside passages
  double registered_coverage = 0;         // fraction of the registered text's tokens inside passages
};

struct AlignmentOptions {
  // Passages with fewer shared fingerprints are dropped as chance coincidences.
  std::uint32_t min_passage_fingerprints = 2;
};

// Where each hash occurs in a query: built once per query and reused for every candidate.
class QueryPositions {
 public:
  // Entries whose hash `ignore` returns true for are left out (boilerplate).
  explicit QueryPositions(const TextFingerprint& query);
  template <typename Ignore>
  QueryPositions(const TextFingerprint& query, Ignore&& ignore) {
    positions_.reserve(query.entries.size());
    for (std::uint32_t index = 0; index < query.entries.size(); ++index) {
      if (ignore(query.entries[index].hash)) continue;
      std::vector<std::uint32_t>& occurrences = positions_[query.entries[index].hash];
      if (occurrences.size() < kMaxOccurrencesPerHash) occurrences.push_back(index);
    }
  }
  // Indexes into query.entries (at most a few per hash), or nullptr.
  const std::vector<std::uint32_t>* Find(std::uint64_t hash) const;

 private:
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> positions_;
};

PassageAlignment AlignPassages(const TextFingerprint& query, const TextFingerprint& registered,
                               const AlignmentOptions& options = {});
PassageAlignment AlignPassages(const TextFingerprint& query, const QueryPositions& query_positions,
                               const TextFingerprint& registered, const AlignmentOptions& options = {});

}  // namespace rightchain::fingerprint
