// Geometric verification of image candidates: the second stage of image matching.
//
// A cropped copy's PDQ hashes land a little beyond the match distance (a shift of a few percent
// moves many of the 16x16 frequency bits), so the index proposes candidates within a wider
// distance, and each is verified here. Every registered image keeps a small thumbnail of its
// trimmed luminance (kThumbnailSidePixels a side whatever its aspect, plus the trimmed size for
// the aspect). A query keeps its own trimmed luminance. Verification turns the query into the
// candidate's orientation, finds where it lies in the thumbnail (normalised cross-correlation
// over the scales a crop of up to kMinCoveredSide of a side allows, sub-pixel peak), then
// hashes the part of the query that corresponds to a registered region (`centre80`) and
// compares that hash with the registered one at the usual match distance. A false candidate
// must then pass both a correlation and a PDQ comparison of an aligned region.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <opencv2/core.hpp>

#include "base/status.h"
#include "fingerprint/image_hash.h"

namespace rightchain::fingerprint {

inline constexpr int kThumbnailSidePixels = 32;
inline constexpr std::size_t kThumbnailPixelCount =
    static_cast<std::size_t>(kThumbnailSidePixels) * kThumbnailSidePixels;
// A query is looked for as a part of the registered image covering at least this share of
// each side (a crop of up to 25% of a side), and at most all of it.
inline constexpr double kMinCoveredSide = 0.75;

// What a registered image keeps for verification.
struct ImageThumbnail {
  std::uint16_t trimmed_width = 0;  // the trimmed image's size in working pixels (its aspect)
  std::uint16_t trimmed_height = 0;
  std::vector<std::uint8_t> pixels;  // kThumbnailPixelCount, row-major; empty when there is none

  bool empty() const { return pixels.empty(); }
  friend bool operator==(const ImageThumbnail&, const ImageThumbnail&) = default;
};

// The thumbnail of a trimmed luminance image (CV_32F or CV_8U, at least 1x1).
ImageThumbnail MakeThumbnail(const cv::Mat& trimmed_luma);
// How much a picture varies, from its thumbnail: the Shannon entropy, in bits, of its grey
// levels in kDetailHistogramBins bins (0 for a flat picture, 1 for two equal levels, at most
// log2 of the bin count). Photographs spread over many levels; drawings, boards, screenshots and
// dark corners gather on a few, and their PDQ hashes are close to unrelated pictures of the same
// kind more often (docs/fingerprint.md, "Low-detail pictures").
inline constexpr int kDetailHistogramBins = 32;
double ThumbnailDetailBits(std::span<const std::uint8_t> pixels);

// kCorruption unless `thumbnail` is empty or has the right pixel count and a plausible size
// (parsed from index files).
Status CheckThumbnail(const ImageThumbnail& thumbnail);

// `luma` after dihedral transformation `dihedral` (the same meaning as PdqResult::hashes).
cv::Mat OrientLuma(const cv::Mat& luma, Dihedral dihedral);

// Where a query lies in a registered image, as fractions of the registered trimmed image.
struct ImageAlignment {
  double left = 0;
  double top = 0;
  double width = 1;
  double height = 1;
  double score = -1;  // normalised cross-correlation at the best place, -1..1
};

// Finds the part of the registered image that `oriented_query` (the query's trimmed luminance,
// CV_8U, already in the registered orientation) shows. nullopt when the aspect ratios are too
// different for a crop of at most 1 - kMinCoveredSide of each side.
std::optional<ImageAlignment> AlignQuery(const ImageThumbnail& registered, const cv::Mat& oriented_query);

// A padded copy shows all of the registered picture inside a border: up to 10% of a side on
// each end leaves the picture at least kMinPaddedPictureShare of each side.
inline constexpr double kMinPaddedPictureShare = 0.8;

// Finds the registered picture inside `oriented_query` (as AlignQuery, the other way round), at
// the coarse thumbnail scale, for a copy with a border that trimming did not remove. The
// alignment's left/top are then negative and width/height above 1 (the query reaches beyond the
// registered picture). nullopt when the aspect ratios differ too much for such a border or
// either picture is flat.
std::optional<ImageAlignment> AlignPaddedQuery(const ImageThumbnail& registered,
                                               const cv::Mat& oriented_query);

// The PDQ hash (and quality) of the part of `oriented_query` that shows the registered region
// (left, top, right, bottom as fractions of the registered trimmed image) under `alignment`;
// nullopt when that part reaches outside the query by more than 3% of a side (less is clipped)
// or is too small.
std::optional<std::pair<ImageHash, int>> HashAlignedRegion(const cv::Mat& oriented_query,
                                                           const ImageAlignment& alignment, double left,
                                                           double top, double right, double bottom);

// For a copy with a local occlusion (a text overlay): the thumbnail cells where the aligned
// query departs from the registered thumbnail (after an intensity fit) are repainted in
// `oriented_query` from the thumbnail. Empty when nothing, or more than `max_share` of the
// covered cells, departs, or the fit is poor.
cv::Mat RepairOcclusion(const ImageThumbnail& registered, const cv::Mat& oriented_query,
                        const ImageAlignment& alignment, double max_share);

}  // namespace rightchain::fingerprint
