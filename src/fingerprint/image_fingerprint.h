// Image fingerprints: decoding (OpenCV, with size limits), border trimming, and PDQ hashes of the
// whole trimmed image and of a few sub-regions, so that crops, padding and overlays still match.
//
// A registered image keeps the hashes of every region in its own orientation; a query hashes
// kQueryRegions in all eight dihedral orientations (computed from the DCT, see image_hash.h).
// A query matches a registered image when any query hash is within kImageMatchDistance bits of
// any of its registered hashes, registered hashes of quality kMinImageQuality or more and query
// hashes of kMinQueryQuality or more (blurring or flattening the contrast of a copy lowers its
// quality: a registered work already has the detail that makes a match reliable).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/image_hash.h"
#include "fingerprint/image_verification.h"

namespace rightchain::fingerprint {

// Version 2 of the image algorithm: changing a constant or region below changes fingerprints.
// Version 1 registered the PDQ hashes only; version 2 also registers a verification thumbnail
// (image_verification.h) and matches in two stages.
inline constexpr std::string_view kImageAlgorithmName = "rightchain-image-pdq-verify-v2";
inline constexpr std::uint32_t kImageAlgorithmVersion = 2;

// Decoding limits: checked on the encoded size before decoding, and on the header's pixel
// count by the decoder itself (so a small file claiming a huge image allocates nothing).
inline constexpr std::size_t kMaxImageFileSizeBytes = 64u << 20;
inline constexpr std::uint64_t kMaxImagePixels = 100'000'000;
inline constexpr int kMaxImageSidePixels = 1 << 16;
// Smaller images carry too little to hash (and a 64x64 sampling of them is mostly repetition).
inline constexpr int kMinImageSidePixels = 16;
// The working size: larger images are first shrunk so their longer side is this (area
// averaging), as the reference pipeline does at 512; 256 still gives 4x4 pixels per 64x64
// sample and a quarter of the pixels to filter.
inline constexpr int kHashingSidePixels = 256;

// Thresholds, calibrated on the benchmark corpus (docs/fingerprint.md).
inline constexpr int kMinImageQuality = 50;
inline constexpr int kMinQueryQuality = 35;
inline constexpr int kImageMatchDistance = 31;

// Border trimming: a border line (row or column) is removed while its luminance standard
// deviation is at most kTrimLineDeviationShare of the whole image's (plus kTrimDeviationFloor)
// and its mean within kTrimMeanShare of the image's deviation of the outermost line's, up to
// kTrimMaxFraction of the side from each edge. The limits scale with the image's contrast, so
// that a contrast change does not change what is trimmed. Runs shorter than kTrimMinFraction of
// the side are left (a line of dark frame is content). Trimming repeats kTrimRounds times:
// padding around a picture that has a uniform band of another colour comes off first.
inline constexpr float kTrimLineDeviationShare = 0.04f;
inline constexpr float kTrimDeviationFloor = 0.5f;
inline constexpr float kTrimMeanShare = 0.1f;
inline constexpr double kTrimMaxFraction = 0.25;
inline constexpr double kTrimMinFraction = 0.01;
inline constexpr int kTrimRounds = 2;

// A region of the trimmed image, as fractions of its width and height.
struct ImageRegion {
  std::string_view name;
  double left = 0;
  double top = 0;
  double right = 1;
  double bottom = 1;
};
// The crops: each side cut by 0 or 7.5% (or 3.75% on both ends), so that any cut of 5 to 10%
// of a side, however split between its ends, is within about 4% of one registered crop.
inline constexpr std::array kImageRegions = {
    ImageRegion{"whole", 0.0, 0.0, 1.0, 1.0},
    ImageRegion{"centre80", 0.1, 0.1, 0.9, 0.9},
    ImageRegion{"crop_top_left", 0.075, 0.075, 1.0, 1.0},
    ImageRegion{"crop_top", 0.0375, 0.075, 0.9625, 1.0},
    ImageRegion{"crop_top_right", 0.0, 0.075, 0.925, 1.0},
    ImageRegion{"crop_left", 0.075, 0.0375, 1.0, 0.9625},
    ImageRegion{"crop_centre", 0.0375, 0.0375, 0.9625, 0.9625},
    ImageRegion{"crop_right", 0.0, 0.0375, 0.925, 0.9625},
    ImageRegion{"crop_bottom_left", 0.075, 0.0, 1.0, 0.925},
    ImageRegion{"crop_bottom", 0.0375, 0.0, 0.9625, 0.925},
    ImageRegion{"crop_bottom_right", 0.0, 0.0, 0.925, 0.925},
    // The whole image before trimming (hashed only when trimming removed something): a copy
    // whose uniform band became more or less uniform (saturation, blur) trims differently.
    ImageRegion{"untrimmed", 0.0, 0.0, 1.0, 1.0},
};
inline constexpr std::uint8_t kUntrimmedRegion = 11;
inline constexpr std::size_t kWholeRegion = 0;
// Registration hashes every region; queries these (indices into kImageRegions).
inline constexpr std::array<std::uint8_t, 3> kQueryRegions = {0, 1, kUntrimmedRegion};

struct RegionHash {
  ImageHash hash;
  std::uint8_t region = 0;    // index into kImageRegions
  std::uint8_t dihedral = 0;  // Dihedral
  std::uint8_t quality = 0;   // 0..100
};

struct ImageFingerprint {
  int width = 0;  // decoded size
  int height = 0;
  cv::Rect trimmed;                // the kept part, in decoded pixels
  std::vector<RegionHash> hashes;  // whole image first
  // Registration (when the image has the quality to be registered): what verification
  // compares a candidate query against.
  ImageThumbnail thumbnail;
  // Query (when it has the quality to match): its trimmed luminance, CV_8U at the working size,
  // in its own orientation, for verifying candidates (image_verification.h).
  cv::Mat trimmed_luma;
  int quality() const { return hashes.empty() ? 0 : hashes.front().quality; }
  const ImageHash& whole() const { return hashes.front().hash; }
};

enum class ImageHashing : std::uint8_t {
  kRegistration,  // every region, original orientation
  kQuery,         // kQueryRegions, all eight orientations
  kBoth,          // both of the above in one pass (for building corpora)
};

bool IsQueryRegion(std::uint8_t region);

// A one-channel luminance image (of any depth) as the hash's input.
LumaImage LumaImageOf(const cv::Mat& luminance);

// Whether the bytes start like an image format this module decodes (PNG, JPEG, WebP, BMP,
// TIFF, PNM); the name of the format, or empty.
std::string_view RecogniseImage(ByteView content);

// Decodes to 8-bit BGR. kLimitExceeded over the limits above, kInvalidArgument for corrupt,
// truncated or unsupported data (never an exception or a crash).
Result<cv::Mat> DecodeImage(ByteView content);

// Fingerprints a decoded 8-bit image (1, 3 or 4 channels). When the whole image's quality is
// below kMinImageQuality only its whole hashes are computed (it can be neither registered nor
// matched). kInvalidArgument when smaller than
// kMinImageSidePixels a side (before or after trimming).
Result<ImageFingerprint> FingerprintImage(const cv::Mat& image, ImageHashing hashing);
Result<ImageFingerprint> FingerprintImageBytes(ByteView content, ImageHashing hashing);

// The part of `luma` left after removing near-uniform border lines (exposed for tests).
cv::Rect TrimBorder(const cv::Mat& luma);

}  // namespace rightchain::fingerprint
