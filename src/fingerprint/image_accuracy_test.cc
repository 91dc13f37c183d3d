// The fixed-seed image accuracy test: originals from the Debian-package image corpus, every copy
// transformation of each, queried against an index with a few thousand distractors. Asserts
// minimum recall per transformation and no false match at the match distance.
#include <gtest/gtest.h>

#include <cstdio>

#include "fingerprint/testing/image_evaluation.h"

namespace rightchain::fingerprint::testing {
namespace {

// Floors sit a few points under the recall measured with this seed (docs/fingerprint.md), so the
// test catches regressions without flaking on package-version drift in the corpus. Crops are
// matched through geometric verification (image_verification.h).
double MinimumRecall(ImageTransformation transformation) {
  switch (transformation) {
    case ImageTransformation::kCrop: return 0.90;
    case ImageTransformation::kCropSides: return 0.87;
    case ImageTransformation::kPadding: return 0.95;
    case ImageTransformation::kOverlay: return 0.88;
    default: return 0.95;
  }
}

TEST(ImageAccuracyTest, RecallPerTransformationWithoutFalseMatches) {
  ImageCorpusOptions options;  // fixed seed
  options.originals = 120;
  options.negatives = 100;
  options.distractors = 1500;
  Result<ImageCorpus> corpus = BuildImageCorpus(options);
  ASSERT_TRUE(corpus.ok()) << "cannot build the image corpus: " << corpus.status().ToString();

  Result<ImageEvaluationReport> report = EvaluateImages(*corpus, options.seed);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->outcomes.size(), kAllImageTransformations.size());
  for (const auto& [transformation, outcome] : report->outcomes) {
    std::printf("%-20s recall %5.1f%% (%zu of %zu; hashes alone %5.1f%%)\n",
                std::string(ImageTransformationName(transformation)).c_str(), 100 * outcome.MatchRecall(),
                outcome.matched, outcome.queries, 100 * outcome.Recall(kImageMatchDistance));
    EXPECT_EQ(outcome.queries, options.originals);
    EXPECT_GE(outcome.MatchRecall(), MinimumRecall(transformation))
        << ImageTransformationName(transformation) << ": " << outcome.matched << " of " << outcome.queries;
    EXPECT_EQ(outcome.false_matched, 0u) << ImageTransformationName(transformation);
  }
  for (const std::string& example : report->false_match_examples)
    std::printf("false match: %s\n", example.c_str());
  EXPECT_EQ(report->negatives.queries, options.negatives);
  EXPECT_EQ(report->negatives.false_matched, 0u);
}

}  // namespace
}  // namespace rightchain::fingerprint::testing
