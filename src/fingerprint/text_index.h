// An inverted index of winnowed text fingerprints: fingerprint hash -> documents.
//
// Layout (chosen for memory per item, see docs/fingerprint.md): postings are 64-bit words
// (top 40 bits of the fingerprint hash, then a 24-bit document slot) in one sorted array,
// plus a small hash map of recent additions merged into the array in batches. Each document
// keeps its own fingerprint entries for passage verification. Removal frees the document's
// entries at once and marks its slot dead; dead postings are skipped by queries and dropped
// by Compact() (run automatically when they pass a quarter of all postings).
//
// Match: query fingerprints vote for documents, the best-voted candidates are verified by
// passage alignment, and those meeting MatchOptions are returned. Hashes found in many
// documents (more than StopDocumentFrequency()) are boilerplate — licence lines, signatures,
// file lists — and neither vote nor count in passages: a copy is recognised by what is
// distinctive in the work.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/passage.h"
#include "fingerprint/text_fingerprint.h"

namespace rightchain::fingerprint {

inline constexpr std::size_t kMaxIndexedDocuments = (1u << 24) - 1;
inline constexpr std::size_t kMaxDocumentIdSizeBytes = 1024;
// A hash in more documents than max(kMinStopDocumentFrequency, size / kStopDocumentDivisor)
// is ignored by Match.
inline constexpr std::size_t kMinStopDocumentFrequency = 16;
inline constexpr std::size_t kStopDocumentDivisor = 10000;
inline constexpr std::string_view kTextIndexFileName = "text_index.rcfi";

struct MatchOptions {
  // How many of the best-voted candidates are verified.
  std::size_t max_candidates = 32;
  // A candidate needs this many shared fingerprints before it is verified.
  std::uint32_t min_votes = 3;
  // A verified candidate is a match when its longest passage holds this many distinct shared
  // fingerprints (a copied run of about 28 CJK characters or 16 words at least) ...
  std::uint32_t min_longest_passage_fingerprints = 4;
  // ... or when all its passages together hold this many and cover this share of the query
  // or of the registered text (copies cut into short pieces, such as reordered sentences; the
  // coverage keeps scattered boilerplate lines shared by many texts from adding up).
  std::uint32_t min_shared_fingerprints = 10;
  double min_coverage_for_shared = 0.3;
  // ... or when the query is mostly a verbatim copy: a passage whose steps agree exactly in
  // both texts holds this many and the passages cover this share of the query. A verbatim
  // excerpt of 200 characters holds only 5 to 8 registered fingerprints (winnowing keeps about
  // 2 in 7 word grams), so a short but whole copy can fall under the first rule; a
  // 3-fingerprint passage inside a longer text covers too little of it to pass this one, and
  // template phrasing ("The new name of the <object>." in two reference pages) is not exact.
  std::uint32_t min_short_copy_fingerprints = 3;
  double min_query_coverage_for_short_copy = 0.5;
  AlignmentOptions alignment;
};

struct TextMatch {
  std::string document_id;
  std::uint32_t votes = 0;  // shared fingerprint hashes found through the index
  PassageAlignment alignment;
};

class TextIndex {
 public:
  TextIndex() = default;
  TextIndex(TextIndex&&) = default;
  TextIndex& operator=(TextIndex&&) = default;

  // kAlreadyExists for a known id, kInvalidArgument for an empty or over-long id,
  // kLimitExceeded past kMaxIndexedDocuments.
  Status Add(std::string_view document_id, TextFingerprint fingerprint);
  // kNotFound for an unknown id.
  Status Remove(std::string_view document_id);
  bool Contains(std::string_view document_id) const;
  std::size_t size() const { return id_to_slot_.size(); }
  std::size_t StopDocumentFrequency() const {
    return std::max(kMinStopDocumentFrequency, size() / kStopDocumentDivisor);
  }

  // Best matches first (most shared fingerprints in passages). The query should keep all its
  // grams (FingerprintQueryText); a winnowed one works with somewhat lower recall.
  std::vector<TextMatch> Match(const TextFingerprint& query, const MatchOptions& options = {}) const;
  // The verified candidates before the acceptance thresholds (for calibration and diagnostics).
  std::vector<TextMatch> Candidates(const TextFingerprint& query, const MatchOptions& options = {}) const;
  // Whether a verified candidate meets the thresholds of `options`.
  static bool Accept(const TextMatch& candidate, const MatchOptions& options);

  // Folds pending additions into the sorted postings and drops removed documents' postings.
  void Compact();

  // Approximate heap bytes held (postings, entries, ids, maps).
  std::size_t MemoryUsageBytes() const;

  // The index file format: "RCFI" magic, format version, algorithm version, counts, each
  // document (id, sizes, SimHash, entries), the sorted postings, then a CRC-32 of all
  // preceding bytes. Parsing checks the checksum first (unless told not to: only fuzzing
  // does, to reach the parser), then every length, range and ordering.
  Bytes Serialize() const;
  static Result<TextIndex> Deserialize(ByteView bytes, bool verify_checksum = true);

  // Writes `directory`/text_index.rcfi atomically (temporary file, fsync, rename).
  Status Save(const std::filesystem::path& directory) const;
  static Result<TextIndex> Load(const std::filesystem::path& directory);

 private:
  struct Document {
    std::string id;  // empty when removed
    TextFingerprint fingerprint;
  };

  void AddPostings(std::uint32_t slot, const TextFingerprint& fingerprint);
  void MergePending();
  void RebuildDirectory();
  // The part of sorted_postings_ that can hold `key`, from the directory.
  std::pair<std::size_t, std::size_t> BucketRange(std::uint64_t key) const;
  template <typename Visitor>
  void ForEachPosting(std::uint64_t hash, Visitor&& visit) const;
  std::size_t CountPostings(std::uint64_t hash) const;

  std::vector<Document> documents_;  // by slot
  std::unordered_map<std::string, std::uint32_t> id_to_slot_;
  std::vector<std::uint64_t> sorted_postings_;  // (hash key << 24) | slot, ascending
  // Directory over sorted_postings_ by the top directory_bits_ bits of a posting: bucket b
  // spans [directory_[b], directory_[b + 1]), so a lookup is one or two cache misses instead
  // of a binary search over the whole array. Rebuilt whenever the array changes.
  std::vector<std::uint64_t> directory_;
  int directory_bits_ = 0;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> pending_postings_;  // hash key -> slots
  std::size_t pending_posting_count_ = 0;
  std::size_t dead_posting_count_ = 0;
};

}  // namespace rightchain::fingerprint
