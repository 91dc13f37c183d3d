// Video fingerprint harness: generates a deduplicated video corpus with the ffmpeg command
// (slideshows, pans and zooms of the image corpus's photographs, captions, FFmpeg's test
// sources; every other video with a music track), registers originals and distractors, makes
// every transformation of the originals, and prints a Markdown report: recall per
// transformation, false matches, hashing speed as a multiple of real time, query time.
// Everything generated goes to a scratch directory that is removed at the end.
//
//   fingerprint_video_harness [--originals N] [--negatives N] [--distractors N] [--seconds S]
//                             [--distractor-seconds S] [--heavy N] [--parallel N] [--seed S]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "fingerprint/testing/video_evaluation.h"
#include "harness_common.h"

namespace {

using namespace rightchain;
using namespace rightchain::fingerprint;
using namespace rightchain::fingerprint::testing;
namespace fs = std::filesystem;

}  // namespace

int main(int argc, char** argv) {
  VideoEvaluationOptions options;
  options.originals = 30;
  options.negatives = 20;
  options.max_heavy_copies = 10;
  std::size_t distractors = 1000;
  options.corpus.seconds = 40;
  options.corpus.short_seconds = 6;
  options.corpus.parallel = 2;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string flag = argv[index];
    const char* value = argv[index + 1];
    if (flag == "--originals") {
      options.originals = std::strtoull(value, nullptr, 10);
    } else if (flag == "--negatives") {
      options.negatives = std::strtoull(value, nullptr, 10);
    } else if (flag == "--distractors") {
      distractors = std::strtoull(value, nullptr, 10);
    } else if (flag == "--seconds") {
      options.corpus.seconds = std::strtod(value, nullptr);
    } else if (flag == "--distractor-seconds") {
      options.corpus.short_seconds = std::strtod(value, nullptr);
    } else if (flag == "--heavy") {
      options.max_heavy_copies = std::strtoull(value, nullptr, 10);
    } else if (flag == "--parallel") {
      options.corpus.parallel = std::atoi(value);
    } else if (flag == "--seed") {
      options.corpus.seed = std::strtoull(value, nullptr, 10);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  options.corpus.long_count = options.originals + options.negatives;
  options.corpus.count = options.corpus.long_count + distractors;

  std::optional<harness::ScratchDirectory> scratch =
      harness::ScratchDirectory::Create("rightchain-video-harness");
  if (!scratch) {
    std::fprintf(stderr, "cannot create a scratch directory\n");
    return 1;
  }
  Result<VideoEvaluation> evaluation = EvaluateVideo(options, scratch->path());
  scratch.reset();
  if (!evaluation.ok()) {
    std::fprintf(stderr, "%s\n", evaluation.status().ToString().c_str());
    return 1;
  }

  std::printf("## Video fingerprint harness\n\n");
  std::printf(
      "Corpus (seed %llu): %zu videos generated (%zu originals and %zu negatives of %.0f s, %zu "
      "distractors of %.0f s, %dx%d at %d fps), %zu dropped as duplicates, %zu without detail; "
      "%zu registered (%zu frame hashes).\n\n",
      static_cast<unsigned long long>(options.corpus.seed), evaluation->generated, options.originals,
      options.negatives, options.corpus.seconds, distractors, options.corpus.short_seconds,
      kCorpusWidthPixels, kCorpusHeightPixels, kCorpusFramesPerSecond, evaluation->dropped_duplicates,
      evaluation->dropped_unindexable, evaluation->registered, evaluation->frames);
  std::printf(
      "| transformation | queries | recall | wrong position | false matches | mean query ms | hashing × real "
      "time |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  std::size_t false_matches = evaluation->negative_false_matches;
  for (const TransformationResult& result : evaluation->transformations) {
    false_matches += result.false_matches;
    std::printf(
        "| %s | %zu | %.3f | %zu | %zu | %.2f | %.0f |\n", result.name.c_str(), result.queries,
        result.recall(), result.wrong_position, result.false_matches,
        result.queries == 0 ? 0.0 : 1000.0 * result.query_seconds / static_cast<double>(result.queries),
        result.hashing_speed());
  }
  std::printf("\nUnregistered videos: %zu, matches: %zu. False matches in all: %zu.\n", evaluation->negatives,
              evaluation->negative_false_matches, false_matches);
  std::printf(
      "Hashing (decode, sample, crop, hash, audio): %.0f s of video in %.1f s of one core: %.1fx real "
      "time per core.\n",
      evaluation->video_seconds_hashed, evaluation->hashing_seconds, evaluation->hashing_speed());
  std::printf("Generation %.0f s, copies %.0f s (wall, %d ffmpeg processes at a time).\n",
              evaluation->generation_seconds, evaluation->copying_seconds, options.corpus.parallel);
  for (const TransformationResult& result : evaluation->transformations) {
    for (const std::string& id : result.missed) {
      std::printf("missed: %s of %s\n", result.name.c_str(), id.c_str());
    }
    for (const std::string& detail : result.false_match_details) {
      std::printf("false match: %s of %s\n", result.name.c_str(), detail.c_str());
    }
  }
  return 0;
}
