// The accuracy experiment shared by the CI test and the benchmark harness: build deduplicated
// corpora, index originals and distractors, query every transformation of every original, and
// count recall and false matches.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "fingerprint/testing/corpus.h"
#include "fingerprint/testing/transform.h"
#include "fingerprint/text_index.h"

namespace rightchain::fingerprint::testing {

struct EvaluationOptions {
  std::uint64_t seed = 20261122;
  std::size_t originals_per_language = 150;
  std::size_t distractors_per_language = 1500;
  std::size_t filler_per_language = 100;  // held out: inserted sentences, hosts, negatives
  std::size_t article_characters = 2000;
  // Articles loaded per language, as a multiple of those needed (deduplication drops many).
  std::size_t load_factor = 2;
  // Each transformation is applied this many times to each original (fresh random choices),
  // so rates are measured over originals x transformations x rounds queries.
  std::size_t rounds = 1;
  MatchOptions match;
};

// A match of another indexed work is shared text, not a false match, when one of its passages
// has a verbatim run of at least this weight in common with the query (normalised tokens, words
// weighing 2 and CJK characters 1: 10 words or 20 CJK characters, the length winnowing is
// guaranteed to catch): the query really contains that work's text (a licence paragraph, a
// sentence two manuals share, a quotation), so reporting it is right.
inline constexpr std::uint32_t kMinSharedRunWeight = 20;

struct Outcome {
  std::size_t queries = 0;
  std::size_t recalled = 0;       // the original was among the matches
  std::size_t false_matches = 0;  // matches of another work sharing no verbatim run with the query
  std::size_t queries_with_false_match = 0;
  std::size_t shared_text_matches = 0;  // matches of another work whose text the query contains
  std::size_t queries_with_shared_text_match = 0;
  std::size_t simhash_recalled = 0;  // SimHash within 3 bits of the original's (for comparison)
  double Recall() const { return queries == 0 ? 0 : static_cast<double>(recalled) / queries; }
};

struct Corpus {
  std::vector<Article> originals;
  std::vector<Article> distractors;
  std::vector<Article> filler;
  std::size_t loaded_before_deduplication = 0;
  // Articles per source ("<language>/<first two path components>"): loaded, and kept in
  // originals, filler and distractors after deduplication.
  std::map<std::string, std::pair<std::size_t, std::size_t>> per_source;
};

// "<language>/<first two path components>" of an article id, e.g. "en/doc/python3.11".
std::string SourceKey(std::string_view article_id);

struct EvaluationReport {
  // Keyed by "<language>/<transformation>".
  std::map<std::string, Outcome> outcomes;
  Outcome negatives;  // held-out articles queried as they are: any match is false
  std::size_t indexed_documents = 0;
  std::vector<double> query_milliseconds;  // every query, in order
};

// Loads both languages, deduplicates them together, and splits each language (shuffled with the
// seed) into originals, filler and distractors. kUnavailable when packages are missing, or when
// too few articles survive for the sizes asked.
Result<Corpus> BuildCorpus(const EvaluationOptions& options);

// The weight of the longest run of normalised tokens `a` and `b` have in common (words 2, CJK
// characters 1).
std::uint32_t LongestSharedRunWeight(std::string_view a, std::string_view b);

// Indexes corpus.originals and corpus.distractors, then queries.
Result<EvaluationReport> Evaluate(const Corpus& corpus, const EvaluationOptions& options);

}  // namespace rightchain::fingerprint::testing
