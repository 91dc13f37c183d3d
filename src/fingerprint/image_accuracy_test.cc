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
// far below the 85% target (docs/fingerprint.md): the test guards what exists.
double MinimumRecall(ImageTransformation transformation) {
  switch (transformation) {
    case ImageTransformation::kCrop: return 0.28;
    case ImageTransformation::kCropSides: return 0.25;
    case ImageTransformation::kPadding: return 0.92;
    case ImageTransformation::kOverlay: return 0.82;
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
    std::printf("%-20s recall %5.1f%% (%zu of %zu)\n",
                std::string(ImageTransformationName(transformation)).c_str(),
                100 * outcome.Recall(kImageMatchDistance), outcome.recalled_within[kImageMatchDistance],
                outcome.queries);
    EXPECT_EQ(outcome.queries, options.originals);
    EXPECT_GE(outcome.Recall(kImageMatchDistance), MinimumRecall(transformation))
        << ImageTransformationName(transformation) << ": " << outcome.recalled_within[kImageMatchDistance]
        << " of " << outcome.queries;
    EXPECT_EQ(outcome.false_within[kImageMatchDistance], 0u) << ImageTransformationName(transformation);
  }
  EXPECT_EQ(report->negatives.queries, options.negatives);
  EXPECT_EQ(report->negatives.false_within[kImageMatchDistance], 0u);
}

}  // namespace
}  // namespace rightchain::fingerprint::testing
