// Image fingerprint harness: builds the deduplicated image corpus from the installed Debian
// packages, measures recall per transformation and false matches at every distance threshold,
// fingerprinting and search times, and index memory, and prints a Markdown report.
//
//   fingerprint_image_harness [--originals N] [--distractors N] [--negatives N] [--seed S]
//                             [--candidates FILE]   (every candidate, CSV, for calibration; other_item:
//                                                    -1 unclassified, 0 false, 1 shares the picture)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fingerprint/testing/image_evaluation.h"

namespace {

using namespace rightchain;
using namespace rightchain::fingerprint;
using namespace rightchain::fingerprint::testing;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(fraction * values.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  ImageCorpusOptions options;
  std::string candidates_file;
  options.originals = 500;
  options.negatives = 1000;
  options.distractors = 10000;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string flag = argv[index];
    if (flag == "--candidates") {
      candidates_file = argv[index + 1];
      continue;
    }
    const std::uint64_t value = std::strtoull(argv[index + 1], nullptr, 10);
    if (flag == "--originals")
      options.originals = value;
    else if (flag == "--distractors")
      options.distractors = value;
    else if (flag == "--negatives")
      options.negatives = value;
    else if (flag == "--seed")
      options.seed = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  const auto corpus_start = Clock::now();
  Result<ImageCorpus> corpus = BuildImageCorpus(options);
  if (!corpus.ok()) {
    std::fprintf(stderr, "%s\n", corpus.status().ToString().c_str());
    return 1;
  }
  const double corpus_seconds = Seconds(corpus_start);
  std::printf(
      "corpus: %zu pictures decoded, %zu candidate items, %zu dropped as near-duplicates, %zu of low "
      "quality; %zu originals, %zu negatives, %zu distractors (%.0f s)\n\n",
      corpus->source_files, corpus->candidates, corpus->dropped_duplicates, corpus->dropped_low_quality,
      corpus->originals.size(), corpus->negatives.size(), corpus->distractors.size(), corpus_seconds);

  const auto evaluation_start = Clock::now();
  Result<ImageEvaluationReport> report = EvaluateImages(*corpus, options.seed);
  if (!report.ok()) {
    std::fprintf(stderr, "%s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "evaluation: %.0f s, %zu queries, %zu images indexed (%zu hashes), index %.1f MiB (%.0f bytes per "
      "image, %.0f per hash)\n\n",
      Seconds(evaluation_start), report->total_queries, report->indexed_images, report->indexed_hashes,
      report->index_memory_bytes / 1048576.0,
      static_cast<double>(report->index_memory_bytes) / report->indexed_images,
      static_cast<double>(report->index_memory_bytes) / report->indexed_hashes);

  std::printf(
      "Two-stage matching (what `Match` returns); a match of another item is through a shared picture "
      "when the two share a picture at the pixel level (SharesPicture), false otherwise:\n\n"
      "| transformation | recall | queries with a false match | queries with a shared-picture match "
      "|\n|---|---|---|---|\n");
  for (const auto& [transformation, outcome] : report->outcomes) {
    std::printf("| %s | %.1f%% (%zu of %zu) | %zu | %zu |\n",
                std::string(ImageTransformationName(transformation)).c_str(), 100 * outcome.MatchRecall(),
                outcome.matched, outcome.queries, outcome.false_matched, outcome.shared_picture_matched);
  }
  std::printf("| negatives | | %zu of %zu | %zu |\n", report->negatives.false_matched,
              report->negatives.queries, report->negatives.shared_picture_matched);
  std::printf("| all queries | | %zu of %zu (%.1e) | %zu (%.1e) |\n\n",
              report->matched_queries_with_false_match, report->total_queries,
              static_cast<double>(report->matched_queries_with_false_match) / report->total_queries,
              report->matched_queries_with_shared_picture,
              static_cast<double>(report->matched_queries_with_shared_picture) / report->total_queries);
  std::printf("matches of another item: %zu false, %zu through a shared picture\n\n", report->false_matches,
              report->shared_picture_matches);
  std::printf("Hashes alone (exact search), recall by threshold:\n\n");
  const std::vector<int> thresholds = {20, 24, 26, 28, 29, 30, 31, 32, 34, 38};
  std::printf("| transformation |");
  for (int threshold : thresholds) std::printf(" <=%d |", threshold);
  std::printf(" failed | false matches <=%d |\n|---|", kImageMatchDistance);
  for (std::size_t column = 0; column <= thresholds.size() + 1; ++column) std::printf("---|");
  std::printf("\n");
  for (const auto& [transformation, outcome] : report->outcomes) {
    std::printf("| %s |", std::string(ImageTransformationName(transformation)).c_str());
    for (int threshold : thresholds) std::printf(" %.1f%% |", 100 * outcome.Recall(threshold));
    std::printf(" %zu | %zu |\n", outcome.failed, outcome.false_within[kImageMatchDistance]);
  }
  std::printf("| queries with a false match |");
  for (int threshold : thresholds) std::printf(" %zu |", report->false_queries_within[threshold]);
  std::printf(" of %zu |\n", report->total_queries);
  std::printf("| negatives with a match |");
  for (int threshold : thresholds) std::printf(" %zu |", report->negatives.false_within[threshold]);
  std::printf(" of %zu |\n\n", report->negatives.queries);

  for (const std::string& example : report->false_match_examples)
    std::printf("false match: %s\n", example.c_str());
  for (const std::string& example : report->shared_picture_examples)
    std::printf("shared picture: %s\n", example.c_str());
  std::printf("\nquery fingerprint (decoded image to hashes): p50 %.2f ms, p99 %.2f ms\n",
              Percentile(report->fingerprint_milliseconds, 0.5),
              Percentile(report->fingerprint_milliseconds, 0.99));
  std::printf("match, both stages (%zu images), wall: p50 %.3f ms, p99 %.3f ms\n", report->indexed_images,
              Percentile(report->search_milliseconds, 0.5), Percentile(report->search_milliseconds, 0.99));
  std::printf("first stage (candidate search), CPU: p50 %.3f ms, p99 %.3f ms\n",
              Percentile(report->candidate_search_milliseconds, 0.5),
              Percentile(report->candidate_search_milliseconds, 0.99));
  std::printf(
      "verification per query, CPU: p50 %.3f ms, p99 %.3f ms; %zu candidates verified in %zu queries\n",
      Percentile(report->verification_milliseconds, 0.5), Percentile(report->verification_milliseconds, 0.99),
      report->verified_candidates, report->verification_milliseconds.size());
  std::printf("verification per candidate (mean within a query), CPU: p50 %.3f ms, p99 %.3f ms\n",
              Percentile(report->verification_milliseconds_per_candidate, 0.5),
              Percentile(report->verification_milliseconds_per_candidate, 0.99));
  if (!candidates_file.empty()) {
    std::FILE* file = std::fopen(candidates_file.c_str(), "w");
    if (file == nullptr) {
      std::fprintf(stderr, "cannot write %s\n", candidates_file.c_str());
      return 1;
    }
    std::fprintf(
        file,
        "query,true_match,transformation,hash_distance,alignment_score,aligned_distance,query_quality,"
        "registered_quality,query_detail_bits,registered_detail_bits,other_item,accepted\n");
    for (const auto& candidate : report->candidates) {
      std::fprintf(file, "%zu,%d,%s,%d,%.4f,%d,%d,%d,%.3f,%.3f,%d,%d\n", candidate.query,
                   candidate.true_match ? 1 : 0, candidate.transformation.c_str(), candidate.hash_distance,
                   candidate.alignment_score, candidate.aligned_distance, candidate.query_quality,
                   candidate.registered_quality, candidate.query_detail_bits,
                   candidate.registered_detail_bits, candidate.other_item, candidate.accepted ? 1 : 0);
    }
    std::fclose(file);
  }
  return 0;
}
