// A PDQ-equivalent 256-bit perceptual image hash, implemented from the published algorithm
// (Facebook's "PDQ" hashing document, 2017): luminance, two passes of Jarosz box filters
// (a tent filter) and decimation to 64x64, the 16x16 lowest non-constant DCT frequencies, one
// bit per frequency above their median, and a 0..100 quality score from the 64x64 gradients.
//
// The eight dihedral variants (rotations and flips) come from the 16x16 DCT itself: a flip
// negates every other frequency and a transposition transposes the matrix, so a query can
// match a turned or mirrored copy without being decoded and hashed eight times.
//
// Two deliberate departures from the reference make the hash mirror-symmetric: box windows are
// odd (centred), and the 64x64 samples are interpolated at the cell centres. A mirrored or
// turned image then hashes to the matching dihedral variant within a few bits even when small;
// hashes stay comparable with reference PDQ hashes within a few bits, not bit for bit.
//
// This file is pure computation on a luminance buffer; decoding lives in image_fingerprint.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rightchain::fingerprint {

// Hash bits: bit k (k = 16 * row + column of the DCT frequency) is bit k % 64 of word k / 64.
// The hex form is the 256-bit number, most significant digit first (as PDQ prints hashes).
struct ImageHash {
  std::array<std::uint64_t, 4> words{};

  bool Bit(int index) const { return (words[index >> 6] >> (index & 63)) & 1; }
  void SetBit(int index) { words[index >> 6] |= std::uint64_t{1} << (index & 63); }
  friend bool operator==(const ImageHash&, const ImageHash&) = default;
};

inline int HammingDistance(const ImageHash& a, const ImageHash& b) {
  return std::popcount(a.words[0] ^ b.words[0]) + std::popcount(a.words[1] ^ b.words[1]) +
         std::popcount(a.words[2] ^ b.words[2]) + std::popcount(a.words[3] ^ b.words[3]);
}

std::string ImageHashToHex(const ImageHash& hash);  // 64 lower-case hex digits
Result<ImageHash> ImageHashFromHex(std::string_view hex);

// The dihedral group of the square, in PDQ's order.
enum class Dihedral : std::uint8_t {
  kOriginal = 0,
  kRotate90,  // a quarter turn clockwise
  kRotate180,
  kRotate270,
  kFlipLeftRight,
  kFlipTopBottom,
  kTranspose,      // mirror on the main diagonal
  kAntiTranspose,  // mirror on the other diagonal
};
inline constexpr int kDihedralCount = 8;
std::string_view DihedralName(Dihedral dihedral);

inline constexpr int kPdqQualityMax = 100;

struct PdqResult {
  // hashes[d]: the hash of the image after dihedral transformation d (hashes[0] is the image's).
  std::array<ImageHash, kDihedralCount> hashes{};
  int quality = 0;  // 0..100: how much gradient (detail) the 64x64 image has
};

// A luminance image (0..255, row-major). Callers shrink large images first (image_fingerprint
// uses kHashingSidePixels): the cost is linear in the pixels.
struct LumaImage {
  int width = 0;
  int height = 0;
  std::vector<float> pixels;  // width * height

  float At(int row, int column) const { return pixels[static_cast<std::size_t>(row) * width + column]; }
};

// Hashes a luminance image of at least 1x1 pixels (RC_ASSERTed: callers check sizes first).
// `all_dihedral` false computes only hashes[0].
PdqResult PdqHash(const LumaImage& image, bool all_dihedral = true);

}  // namespace rightchain::fingerprint
