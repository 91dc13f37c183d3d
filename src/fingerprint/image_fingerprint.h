// Image fingerprints: decoding (OpenCV, with size limits), border trimming, and PDQ hashes of the
// whole trimmed image and of a few sub-regions, so that crops, padding and overlays still match.
//
// A registered image keeps the hashes of kIndexedRegions in its own orientation; a query hashes
// kQueryRegions in all eight dihedral orientations (computed from the DCT, see image_hash.h).
// A query matches a registered image when any query hash is within kImageMatchDistance bits of
// any of its registered hashes, both of quality kMinImageQuality or more.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/image_hash.h"

namespace rightchain::fingerprint {

// Version 1 of the image algorithm: changing a constant or region below changes fingerprints.
inline constexpr std::string_view kImageAlgorithmName = "rightchain-image-pdq-v1";
inline constexpr std::uint32_t kImageAlgorithmVersion = 1;

// Decoding limits: checked on the encoded size before decoding, and on the header's pixel
// count by the decoder itself (so a small file claiming a huge image allocates nothing).
inline constexpr std::size_t kMaxImageFileSizeBytes = 64u << 20;
inline constexpr std::uint64_t kMaxImagePixels = 100'000'000;
inline constexpr int kMaxImageSidePixels = 1 << 16;
// Smaller images carry too little to hash (and a 64x64 sampling of them is mostly repetition).
inline constexpr int kMinImageSidePixels = 16;
// PDQ's working size: larger images are first shrunk so their longer side is this (area
// averaging), as the reference pipeline does; it bounds hashing time whatever the input.
inline constexpr int kHashingSidePixels = 512;

// Thresholds, calibrated on the benchmark corpus (docs/fingerprint.md).
inline constexpr int kMinImageQuality = 50;
inline constexpr int kImageMatchDistance = 31;

// Border trimming: a border line (row or column) is removed while its luminance standard
// deviation is at most kTrimMaxLineDeviation and its mean is within kTrimMaxMeanDifference of
// the outermost line's, up to kTrimMaxFraction of the side from each edge.
inline constexpr float kTrimMaxLineDeviation = 4.0f;
inline constexpr float kTrimMaxMeanDifference = 10.0f;
inline constexpr double kTrimMaxFraction = 0.25;

// A region of the trimmed image, as fractions of its width and height.
struct ImageRegion {
  std::string_view name;
  double left = 0;
  double top = 0;
  double right = 1;
  double bottom = 1;
};
inline constexpr std::array kImageRegions = {
    ImageRegion{"whole", 0.0, 0.0, 1.0, 1.0},    ImageRegion{"centre80", 0.1, 0.1, 0.9, 0.9},
    ImageRegion{"left90", 0.0, 0.05, 0.9, 0.95}, ImageRegion{"right90", 0.1, 0.05, 1.0, 0.95},
    ImageRegion{"top90", 0.05, 0.0, 0.95, 0.9},  ImageRegion{"bottom90", 0.05, 0.1, 0.95, 1.0},
};
inline constexpr std::size_t kWholeRegion = 0;
// Which regions registration and queries hash (indices into kImageRegions).
inline constexpr std::array<std::uint8_t, 6> kIndexedRegions = {0, 1, 2, 3, 4, 5};
inline constexpr std::array<std::uint8_t, 2> kQueryRegions = {0, 1};

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
  int quality() const { return hashes.empty() ? 0 : hashes.front().quality; }
  const ImageHash& whole() const { return hashes.front().hash; }
};

enum class ImageHashing : std::uint8_t {
  kRegistration,  // kIndexedRegions, original orientation
  kQuery,         // kQueryRegions, all eight orientations
};

// Whether the bytes start like an image format this module decodes (PNG, JPEG, WebP, BMP,
// TIFF, PNM); the name of the format, or empty.
std::string_view RecogniseImage(ByteView content);

// Decodes to 8-bit BGR. kLimitExceeded over the limits above, kInvalidArgument for corrupt,
// truncated or unsupported data (never an exception or a crash).
Result<cv::Mat> DecodeImage(ByteView content);

// Fingerprints a decoded 8-bit image (1, 3 or 4 channels). kInvalidArgument when smaller than
// kMinImageSidePixels a side (before or after trimming).
Result<ImageFingerprint> FingerprintImage(const cv::Mat& image, ImageHashing hashing);
Result<ImageFingerprint> FingerprintImageBytes(ByteView content, ImageHashing hashing);

// The part of `luma` left after removing near-uniform border lines (exposed for tests).
cv::Rect TrimBorder(const cv::Mat& luma);

}  // namespace rightchain::fingerprint
