// The video accuracy run shared by the accuracy test and the benchmark harness: generate the
// corpus (video_corpus.h), fingerprint it, deduplicate it (a video matching one kept before it is
// dropped, so no two kept videos match each other), register originals and distractors, make
// every transformation of the originals, and match each copy and each unregistered video.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"
#include "fingerprint/testing/video_corpus.h"

namespace rightchain::fingerprint::testing {

struct VideoEvaluationOptions {
  VideoCorpusOptions corpus;           // corpus.long_count = originals + negatives
  std::size_t originals = 12;          // registered and transformed
  std::size_t negatives = 8;           // held out: must match nothing
  std::size_t max_heavy_copies = 100;  // originals copied at 480p or more (slow to make)
  double position_tolerance_seconds = 2.0;
};

struct TransformationResult {
  std::string name;
  double min_recall = 0;
  std::size_t queries = 0;
  std::size_t found = 0;            // the original was the best match, at the right position
  std::size_t wrong_position = 0;   // the original was the best match, elsewhere
  std::size_t false_matches = 0;    // matches of other videos
  double query_seconds = 0;         // matching time (index search only), summed
  std::vector<std::string> missed;  // ids of the originals not found
  std::vector<std::string> false_match_details;
  double video_seconds = 0;    // of the copies
  double hashing_seconds = 0;  // fingerprinting the copies, summed over threads
  double hashing_speed() const { return hashing_seconds > 0 ? video_seconds / hashing_seconds : 0; }
  double recall() const {
    return queries == 0 ? 0 : static_cast<double>(found) / static_cast<double>(queries);
  }
};

struct VideoEvaluation {
  std::size_t generated = 0;
  std::size_t dropped_duplicates = 0;
  std::size_t dropped_unindexable = 0;
  std::size_t registered = 0;  // originals + distractors in the index
  std::size_t frames = 0;      // kept frame hashes in the index
  std::vector<TransformationResult> transformations;
  std::size_t negatives = 0;
  std::size_t negative_false_matches = 0;
  double video_seconds_hashed = 0;
  double hashing_seconds = 0;  // fingerprinting time (decoding, hashing, audio), summed over threads
  double generation_seconds = 0;
  double copying_seconds = 0;
  double hashing_speed() const { return hashing_seconds > 0 ? video_seconds_hashed / hashing_seconds : 0; }
};

// Everything is written under `directory` (which must exist).
Result<VideoEvaluation> EvaluateVideo(const VideoEvaluationOptions& options,
                                      const std::filesystem::path& directory);

}  // namespace rightchain::fingerprint::testing
