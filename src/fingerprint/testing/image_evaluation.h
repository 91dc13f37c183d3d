// The image accuracy experiment shared by the CI test and the benchmark harness: index the
// corpus's originals and distractors, query every transformation of every original and the
// held-out negatives, and count recall and false matches. Queries search a wider radius than
// the match distance so that one run gives recall and false matches at every threshold.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "base/status.h"
#include "fingerprint/image_index.h"
#include "fingerprint/testing/image_corpus.h"
#include "fingerprint/testing/transform.h"

namespace rightchain::fingerprint::testing {

enum class ImageTransformation : std::uint8_t {
  kResize,  // 0.25x to 2x, area or cubic interpolation
  kJpeg,    // re-encoded at quality 30 to 95
  kGreyscale,
  kBrightnessContrast,  // each by up to +-30%
  kBlur,                // Gaussian, sigma 1 to 2.5
  kFlip,                // left-right or top-bottom
  kRotate,              // 90, 180 or 270 degrees
  kCrop,                // up to 10% of the area cut off (2% to 10%), split at random between the
                        // two dimensions and between the two ends of each
  kCropSides,           // harsher: 5% to 10% of each side length cut (10% to 19% of the area)
  kPadding,             // 5% to 10% of each side length added, a uniform colour
  kOverlay,             // a line of text covering 5% to 10% of the area
};
inline constexpr std::array kAllImageTransformations = {
    ImageTransformation::kResize,    ImageTransformation::kJpeg,
    ImageTransformation::kGreyscale, ImageTransformation::kBrightnessContrast,
    ImageTransformation::kBlur,      ImageTransformation::kFlip,
    ImageTransformation::kRotate,    ImageTransformation::kCrop,
    ImageTransformation::kCropSides, ImageTransformation::kPadding,
    ImageTransformation::kOverlay};
std::string_view ImageTransformationName(ImageTransformation transformation);
// Mild transformations (target recall 97%) as opposed to crop, padding and overlay (85%).
bool IsMildTransformation(ImageTransformation transformation);

cv::Mat TransformImage(const cv::Mat& image, ImageTransformation transformation, Random& random);

inline constexpr int kEvaluationRadius = 47;  // kMaxImageSearchDistance

// Ground truth for a match of another item, independent of the matcher (which compares 32x32
// thumbnails and PDQ hashes): the two share a picture when a large part of the smaller one
// (all of it, its centre or a corner, 3/4 of each side: at least 56% of its area), in any of
// the 8 dihedral orientations, correlates with some region of the larger one at
// kMinSharedPictureCorrelation or more (normalised cross-correlation, the smaller one's shorter
// side at kSharedPictureSidePixels, scales from 1/4x to 4x in steps of 5%), and that part has
// texture (standard deviation of at least kMinSharedPictureStddev grey levels), so that two
// flat images do not share a picture, and its detail (what a blur of sigma 4 removes) correlates
// at kMinSharedDetailCorrelation or more in the same place, so that one strong edge (a photo's
// dark background) does not make unrelated pictures share. Such a match is a real copy of shared content (two
// screenshots of one photograph, tiles of one picture shipped twice), not a false match.
// The same picture with marks drawn over part of it (feature points, match lines, a caption:
// the manual ships such results beside the photograph) correlates less as a whole; when the
// best place correlates at kMinMarkedPictureCorrelation or more, the pixels that agree after an
// intensity fit (residual within max(6, 3 robust deviations) grey levels) are looked at alone:
// at least kMinUnmarkedShare of the part, correlating at kMinSharedPictureCorrelation or more,
// texture and detail held to the same floors over them.
inline constexpr double kMinSharedPictureCorrelation = 0.9;
inline constexpr double kMinMarkedPictureCorrelation = 0.6;
inline constexpr double kMinUnmarkedShare = 0.85;
// Texture across the part, not along one edge: of a kTextureGrid x kTextureGrid grid over it,
// at least kMinTexturedCells cells vary (a standard deviation of at least kMinCellDeviation grey
// levels over their unmarked pixels) in both images. Even a smooth photograph (the inside of a
// fundus) varies in every cell; black blocks on white are flat away from their few edges, and
// two such graphics agree at one corner without sharing a picture. The rule is conservative: two
// overlapping tiles of one dark drawing (red lines on black, flat in half the cells) do not share
// by it either, so a match between them counts as false.
inline constexpr int kTextureGrid = 4;
inline constexpr int kMinTexturedCells = 12;
inline constexpr double kMinCellDeviation = 1;
inline constexpr int kSharedPictureSidePixels = 96;
inline constexpr double kMinSharedPictureStddev = 4;
inline constexpr double kMinSharedDetailCorrelation = 0.6;
// What the shared part agreed by, when SharesPicture says yes.
struct SharedPictureEvidence {
  double correlation = 0;
  double detail_correlation = 0;
  double scale = 0;     // pixels of the larger per pixel of the smaller
  int orientation = 0;  // 0..7: bit 2 transposed, bits 0-1 flipped left-right / top-bottom
  double unmarked_share = 1;  // the share of the part's pixels that agreed (< 1: marks drawn over)
  int textured_cells = 0;     // of kTextureGrid x kTextureGrid
};
// Either image: 8-bit, 1, 3 or 4 channels.
bool SharesPicture(const cv::Mat& a, const cv::Mat& b, SharedPictureEvidence* evidence = nullptr);

struct ImageOutcome {
  std::size_t queries = 0;
  std::size_t failed = 0;  // the transformed image could not be fingerprinted
  // Two-stage matching (ImageIndex::Match, what users get): queries whose original matched,
  // and queries with any other image matched.
  std::size_t matched = 0;
  std::size_t false_matched = 0;           // another item matched that shares no picture
  std::size_t shared_picture_matched = 0;  // another item matched that shares the picture
  // Hashes alone (an exact search to kEvaluationRadius), per threshold t (index t,
  // 0..kEvaluationRadius): queries whose original was within t, and queries with any other
  // image within t.
  std::array<std::size_t, kEvaluationRadius + 1> recalled_within{};
  std::array<std::size_t, kEvaluationRadius + 1> false_within{};
  double Recall(int threshold) const {
    return queries == 0 ? 0 : static_cast<double>(recalled_within[threshold]) / queries;
  }
  double MatchRecall() const { return queries == 0 ? 0 : static_cast<double>(matched) / queries; }
};

struct ImageEvaluationReport {
  std::map<ImageTransformation, ImageOutcome> outcomes;
  ImageOutcome negatives;  // held-out items queried as they are: every match is false
  std::size_t indexed_images = 0;
  std::size_t indexed_hashes = 0;
  std::size_t index_memory_bytes = 0;
  std::vector<double> fingerprint_milliseconds;                 // per query: transform excluded
  std::vector<double> search_milliseconds;                      // per query: Match, both stages
  std::vector<double> candidate_search_milliseconds;            // per query: the first stage
  std::vector<double> verification_milliseconds;                // per query: the second stage
  std::vector<double> verification_milliseconds_per_candidate;  // per query that verified any
  std::size_t verified_candidates = 0;
  std::size_t matched_queries_with_false_match = 0;     // all queries, two-stage
  std::size_t matched_queries_with_shared_picture = 0;  // all queries, two-stage
  std::size_t shared_picture_matches = 0;               // matches, not queries
  std::size_t false_matches = 0;                        // matches, not queries
  static constexpr int kUnclassified = -1;
  static constexpr int kFalseMatch = 0;
  static constexpr int kSharedPicture = 1;
  // Every candidate (with whether Match accepts it), for calibrating the verification thresholds.
  struct Candidate {
    std::size_t query = 0;  // the query's number
    bool true_match = false;
    std::string transformation;  // or "negative"
    int hash_distance = 0;
    double alignment_score = -1;
    int aligned_distance = -1;
    int query_quality = 0;
    int registered_quality = 0;
    double query_detail_bits = -1;
    double registered_detail_bits = -1;
    // Another item accepted or within kImageMatchDistance: whether it shares the query's picture.
    int other_item = kUnclassified;
    bool accepted = false;
  };
  std::vector<Candidate> candidates;
  // All queries (transformed and negatives) with a false match within t, for the rate.
  std::array<std::size_t, kEvaluationRadius + 1> false_queries_within{};
  std::size_t total_queries = 0;
  // The false matches of two-stage matching, for inspection: "<query> (<transformation>) ~
  // <matched id> at <distance> (hash <hash distance>, score <alignment score>)".
  std::vector<std::string> false_match_examples;
  // The matches of another item that shares the query's picture (SharesPicture), same format.
  std::vector<std::string> shared_picture_examples;
};

Result<ImageEvaluationReport> EvaluateImages(const ImageCorpus& corpus, std::uint64_t seed);

}  // namespace rightchain::fingerprint::testing
