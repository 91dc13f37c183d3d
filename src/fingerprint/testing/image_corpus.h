// A reproducible image corpus for the fingerprint accuracy test and benchmark, built from the
// pictures Debian packages ship: the wallpapers of gnome-backgrounds and desktop-base, the
// sample images of python3-skimage, and the sample pictures and the photographs (JPEG) of the
// manual in opencv-doc.
// Every picture of at least kMinCorpusSidePixels a side is an item, and large pictures are also
// cut into non-overlapping tiles of several sizes. Items are deduplicated as they come: an item
// whose query fingerprint comes within the match distance plus kDeduplicationMarginBits of one
// already kept (either way, hashes or verified alignment) is dropped, so no two kept items are
// within match distance of each other even after a transformation moves a hash by a few bits;
// items of too little detail (quality below kMinImageQuality) are dropped too.
//
// Kept items are dealt, with the seed, into originals (pixels kept, at most
// kMaxOriginalSidePixels a side, for transforming), held-out negatives and distractors (their
// fingerprints only), until the sizes asked for are reached.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "base/status.h"
#include "fingerprint/image_fingerprint.h"

namespace rightchain::fingerprint::testing {

inline constexpr int kMinCorpusSidePixels = 128;
inline constexpr int kMaxOriginalSidePixels = 768;
inline constexpr int kMinOriginalSidePixels = 256;
inline constexpr std::array<int, 5> kTileSidesPixels = {512, 384, 256, 192, 128};
inline constexpr int kDeduplicationMarginBits = 8;
// And a verified alignment counts from this much below the matcher's kMinAlignmentScore.
inline constexpr double kDeduplicationAlignmentSlack = 0.1;

struct ImageItem {
  std::string id;                // "<source file>" or "<source file>#tile<side>@<x>,<y>"
  ImageFingerprint fingerprint;  // registration and query hashes (ImageHashing::kBoth)
  cv::Mat pixels;                // originals only
};

struct ImageCorpusOptions {
  std::uint64_t seed = 20261122;
  std::size_t originals = 200;
  std::size_t negatives = 200;
  std::size_t distractors = 3000;
};

struct ImageCorpus {
  std::vector<ImageItem> originals;
  std::vector<ImageItem> negatives;
  std::vector<ImageItem> distractors;
  std::size_t source_files = 0;        // pictures decoded
  std::size_t candidates = 0;          // items considered
  std::size_t dropped_duplicates = 0;  // within match distance of a kept item
  std::size_t dropped_low_quality = 0;
};

// The directories searched, and the packages that fill them (for error messages and docs).
std::vector<std::string> ImageSourceDirectories();
// Every picture file under ImageSourceDirectories(), sorted (the video corpus uses them too).
std::vector<std::string> PictureFiles();
inline constexpr std::string_view kImageCorpusPackages =
    "gnome-backgrounds desktop-base python3-skimage opencv-doc";

// The pixels of a corpus item, decoded again from its id ("<file>" or
// "<file>#tile<side>@<x>,<y>"; 8-bit BGR, at the source's resolution, not shrunk), so that
// ground-truth checks need not keep every item's pixels in memory.
Result<cv::Mat> DecodeItemPixels(std::string_view id);

// kUnavailable, naming the packages, when the pictures are missing or too few items survive.
Result<ImageCorpus> BuildImageCorpus(const ImageCorpusOptions& options);

}  // namespace rightchain::fingerprint::testing
