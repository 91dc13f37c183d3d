// The video accuracy test (fixed seed): a small corpus made with the ffmpeg command (slideshows,
// pans and zooms of the image corpus's photographs, captions, FFmpeg's test sources; half with a
// music track) is deduplicated and registered; every transformation of the originals
// (re-encoding at 240p to 1080p, frame-rate changes, letterbox, pillarbox, a logo, clips) must
// find its original at the right position at a minimum recall per transformation, nothing may
// match a wrong video, and unregistered videos must match nothing. The ffmpeg command is
// required: without it the test fails, saying so. bench/fingerprint/video_harness.cc runs the
// same evaluation on a larger corpus.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "fingerprint/testing/video_evaluation.h"

namespace rightchain::fingerprint {
namespace {

namespace fs = std::filesystem;

TEST(VideoAccuracyTest, CopiesMatchTheirOriginalAtTheirPositionAndNothingElse) {
  const Status ffmpeg = testing::CheckFfmpeg();
  ASSERT_TRUE(ffmpeg.ok()) << ffmpeg.message();
  std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-video-accuracy-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path directory = pattern;

  testing::VideoEvaluationOptions options;
  options.corpus.seed = 20261122;
  options.originals = 8;
  options.negatives = 4;
  options.corpus.long_count = options.originals + options.negatives;
  options.corpus.count = options.corpus.long_count + 100;
  options.corpus.seconds = 16;
  options.corpus.short_seconds = 3;
  options.corpus.parallel = 2;
  options.max_heavy_copies = 2;
  Result<testing::VideoEvaluation> evaluation = testing::EvaluateVideo(options, directory);
  std::error_code ignored;
  fs::remove_all(directory, ignored);
  ASSERT_TRUE(evaluation.ok()) << evaluation.status().message();

  std::printf(
      "corpus: %zu generated, %zu duplicates and %zu without detail dropped, %zu registered (%zu frames)\n",
      evaluation->generated, evaluation->dropped_duplicates, evaluation->dropped_unindexable,
      evaluation->registered, evaluation->frames);
  std::printf("hashing: %.1fx real time per core; generation %.1f s, copies %.1f s\n",
              evaluation->hashing_speed(), evaluation->generation_seconds, evaluation->copying_seconds);
  EXPECT_GE(evaluation->registered, 100u);
  for (const testing::TransformationResult& result : evaluation->transformations) {
    std::printf("%-16s recall %.3f (%zu/%zu, %zu at a wrong position), false matches %zu\n",
                result.name.c_str(), result.recall(), result.found, result.queries, result.wrong_position,
                result.false_matches);
    EXPECT_GT(result.queries, 0u) << result.name;
    EXPECT_GE(result.recall(), result.min_recall) << result.name;
    for (const std::string& id : result.missed) std::printf("  missed %s\n", id.c_str());
    EXPECT_EQ(result.false_matches, 0u) << result.name;
  }
  EXPECT_EQ(evaluation->negatives, options.negatives);
  EXPECT_EQ(evaluation->negative_false_matches, 0u);
}

}  // namespace
}  // namespace rightchain::fingerprint
