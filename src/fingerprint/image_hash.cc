#include "fingerprint/image_hash.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>

namespace rightchain::fingerprint {
namespace {

constexpr int kDownsampledSize = 64;
constexpr int kDctSize = 16;
// Two X,Y passes of box filters make a tent filter (Jarosz 2001). Each pass's window is half
// of what one output pixel covers, 1/128 of the side, rounded up.
constexpr int kJaroszPasses = 2;
constexpr int kJaroszWindowDivisor = 2 * kDownsampledSize;
// The quality heuristic of the PDQ document: gradients quantised to 0..100 per step, summed,
// divided by 90 and capped at 100.
constexpr int kQualityGradientScale = 100;
constexpr int kQualityDivisor = 90;

using Dct16 = std::array<std::array<float, kDctSize>, kDctSize>;

// PDQ's window, made odd so that each output is centred on its input pixel: with even windows
// the reference filter leans half a pixel per pass, and a mirrored image then hashes several
// bits away from the mirrored hash.
int JaroszWindowSize(int dimension) {
  return ((dimension + kJaroszWindowDivisor - 1) / kJaroszWindowDivisor) | 1;
}

// Linear interpolation of the filtered image at the centre of output cell `index` of 64 (PDQ
// takes the nearest pixel below the centre instead, which is again not mirror-symmetric).
struct Sample {
  int low;
  int high;
  float high_weight;
};
Sample CellCentre(int index, int dimension) {
  const double centre = (index + 0.5) * dimension / kDownsampledSize - 0.5;
  const int low = std::clamp(static_cast<int>(std::floor(centre)), 0, dimension - 1);
  const int high = std::min(low + 1, dimension - 1);
  return {low, high, static_cast<float>(std::clamp(centre - low, 0.0, 1.0))};
}

// Centred running mean of `window` samples (clipped at the ends) of `count` values spaced by
// `stride`, from `in` to `out`. Single precision is ample for sums of at most a few hundred
// values of 0..255.
void BoxFilter1d(const float* in, float* out, int count, int stride, int window) {
  const int before = (window - 1) / 2;
  const int after = window / 2;
  const float full_scale = 1.0f / static_cast<float>(window);
  float sum = 0;
  int high = 0;  // one past the last index in the sum
  for (; high < std::min(count, after); ++high) sum += in[static_cast<std::size_t>(high) * stride];
  for (int index = 0; index < count; ++index) {
    if (index + after < count) sum += in[static_cast<std::size_t>(index + after) * stride];
    if (index - before - 1 >= 0) sum -= in[static_cast<std::size_t>(index - before - 1) * stride];
    const int low = std::max(0, index - before);
    const int end = std::min(count, index + after + 1);
    const int taken = end - low;
    out[static_cast<std::size_t>(index) * stride] =
        taken == window ? sum * full_scale : sum / static_cast<float>(taken);
  }
}

// Tent-filters `image` in place (with `scratch` of the same size), then samples 64x64 pixels.
std::array<std::array<float, kDownsampledSize>, kDownsampledSize> Downsample(std::vector<float> pixels,
                                                                             int width, int height) {
  std::vector<float> scratch(pixels.size());
  const int row_window = JaroszWindowSize(width);
  const int column_window = JaroszWindowSize(height);
  for (int pass = 0; pass < kJaroszPasses; ++pass) {
    for (int row = 0; row < height; ++row) {
      const std::size_t offset = static_cast<std::size_t>(row) * width;
      BoxFilter1d(pixels.data() + offset, scratch.data() + offset, width, 1, row_window);
    }
    for (int column = 0; column < width; ++column) {
      BoxFilter1d(scratch.data() + column, pixels.data() + column, height, width, column_window);
    }
  }
  std::array<std::array<float, kDownsampledSize>, kDownsampledSize> out{};
  auto at = [&](int row, int column) { return pixels[static_cast<std::size_t>(row) * width + column]; };
  for (int row = 0; row < kDownsampledSize; ++row) {
    const Sample y = CellCentre(row, height);
    for (int column = 0; column < kDownsampledSize; ++column) {
      const Sample x = CellCentre(column, width);
      const float top = at(y.low, x.low) + x.high_weight * (at(y.low, x.high) - at(y.low, x.low));
      const float bottom = at(y.high, x.low) + x.high_weight * (at(y.high, x.high) - at(y.high, x.low));
      out[row][column] = top + y.high_weight * (bottom - top);
    }
  }
  return out;
}

int Quality(const std::array<std::array<float, kDownsampledSize>, kDownsampledSize>& buffer) {
  long gradient_sum = 0;
  for (int row = 0; row < kDownsampledSize; ++row) {
    for (int column = 0; column < kDownsampledSize; ++column) {
      if (row + 1 < kDownsampledSize) {
        gradient_sum += std::abs(
            static_cast<int>((buffer[row][column] - buffer[row + 1][column]) * kQualityGradientScale / 255));
      }
      if (column + 1 < kDownsampledSize) {
        gradient_sum += std::abs(
            static_cast<int>((buffer[row][column] - buffer[row][column + 1]) * kQualityGradientScale / 255));
      }
    }
  }
  return static_cast<int>(std::min<long>(gradient_sum / kQualityDivisor, kPdqQualityMax));
}

// D[u][x] = sqrt(2/64) cos(pi (u + 1) (2x + 1) / 128): DCT-II rows 1..16 (the constant row 0
// is skipped: it carries only the mean brightness).
const std::array<std::array<float, kDownsampledSize>, kDctSize>& DctMatrix() {
  static const auto matrix = [] {
    std::array<std::array<float, kDownsampledSize>, kDctSize> d{};
    const double scale = std::sqrt(2.0 / kDownsampledSize);
    for (int u = 0; u < kDctSize; ++u) {
      for (int x = 0; x < kDownsampledSize; ++x) {
        d[u][x] = static_cast<float>(
            scale * std::cos(std::numbers::pi / (2.0 * kDownsampledSize) * (u + 1) * (2 * x + 1)));
      }
    }
    return d;
  }();
  return matrix;
}

// B = D A D^T: B[u][v] is vertical frequency u + 1 and horizontal frequency v + 1.
Dct16 Dct64To16(const std::array<std::array<float, kDownsampledSize>, kDownsampledSize>& a) {
  const auto& d = DctMatrix();
  std::array<std::array<float, kDownsampledSize>, kDctSize> t{};  // D A
  for (int u = 0; u < kDctSize; ++u) {
    for (int k = 0; k < kDownsampledSize; ++k) {
      const float weight = d[u][k];
      for (int x = 0; x < kDownsampledSize; ++x) t[u][x] += weight * a[k][x];
    }
  }
  Dct16 b{};
  for (int u = 0; u < kDctSize; ++u) {
    for (int v = 0; v < kDctSize; ++v) {
      float sum = 0;
      for (int k = 0; k < kDownsampledSize; ++k) sum += t[u][k] * d[v][k];
      b[u][v] = sum;
    }
  }
  return b;
}

// Mirroring the image left-right maps cos(pi (v+1)(2x+1)/128) at x to 63 - x, which is the
// same cosine times (-1)^(v+1); top-bottom likewise for u; transposing the image transposes B.
// Rotations and diagonal mirrors are compositions of those.
Dct16 DihedralOfDct(const Dct16& b, Dihedral dihedral) {
  auto sign = [](int frequency_index) {
    return (frequency_index & 1) ? 1.0f : -1.0f;  // (-1)^(i+1)
  };
  Dct16 out{};
  for (int u = 0; u < kDctSize; ++u) {
    for (int v = 0; v < kDctSize; ++v) {
      float value = 0;
      switch (dihedral) {
        case Dihedral::kOriginal: value = b[u][v]; break;
        case Dihedral::kFlipLeftRight: value = sign(v) * b[u][v]; break;
        case Dihedral::kFlipTopBottom: value = sign(u) * b[u][v]; break;
        case Dihedral::kRotate180: value = sign(u) * sign(v) * b[u][v]; break;
        case Dihedral::kTranspose: value = b[v][u]; break;
        case Dihedral::kRotate90: value = sign(v) * b[v][u]; break;   // transpose, then left-right
        case Dihedral::kRotate270: value = sign(u) * b[v][u]; break;  // transpose, then top-bottom
        case Dihedral::kAntiTranspose: value = sign(u) * sign(v) * b[v][u]; break;
      }
      out[u][v] = value;
    }
  }
  return out;
}

ImageHash BitsAboveMedian(const Dct16& b) {
  std::array<float, kDctSize * kDctSize> values{};
  for (int u = 0; u < kDctSize; ++u) {
    for (int v = 0; v < kDctSize; ++v) values[u * kDctSize + v] = b[u][v];
  }
  // The lower median: exactly half of 256 distinct values lie above it.
  std::nth_element(values.begin(), values.begin() + values.size() / 2 - 1, values.end());
  const float median = values[values.size() / 2 - 1];
  ImageHash hash;
  for (int u = 0; u < kDctSize; ++u) {
    for (int v = 0; v < kDctSize; ++v) {
      if (b[u][v] > median) hash.SetBit(u * kDctSize + v);
    }
  }
  return hash;
}

int HexDigitValue(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

}  // namespace

std::string ImageHashToHex(const ImageHash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(64, '0');
  for (int nibble = 0; nibble < 64; ++nibble) {  // nibble 0 is the least significant
    const int value = static_cast<int>((hash.words[nibble / 16] >> (4 * (nibble % 16))) & 0xF);
    hex[63 - nibble] = kDigits[value];
  }
  return hex;
}

Result<ImageHash> ImageHashFromHex(std::string_view hex) {
  if (hex.size() != 64) {
    return Status::InvalidArgument("an image hash has 64 hex digits, not " + std::to_string(hex.size()));
  }
  ImageHash hash;
  for (int nibble = 0; nibble < 64; ++nibble) {
    const int value = HexDigitValue(hex[63 - nibble]);
    if (value < 0) return Status::InvalidArgument("an image hash holds only hex digits");
    hash.words[nibble / 16] |= std::uint64_t(value) << (4 * (nibble % 16));
  }
  return hash;
}

std::string_view DihedralName(Dihedral dihedral) {
  switch (dihedral) {
    case Dihedral::kOriginal: return "original";
    case Dihedral::kRotate90: return "rotate90";
    case Dihedral::kRotate180: return "rotate180";
    case Dihedral::kRotate270: return "rotate270";
    case Dihedral::kFlipLeftRight: return "flip_left_right";
    case Dihedral::kFlipTopBottom: return "flip_top_bottom";
    case Dihedral::kTranspose: return "transpose";
    case Dihedral::kAntiTranspose: return "anti_transpose";
  }
  return "unknown";
}

PdqResult PdqHash(const LumaImage& image, bool all_dihedral) {
  RC_ASSERT(image.width > 0 && image.height > 0);
  RC_ASSERT(image.pixels.size() == static_cast<std::size_t>(image.width) * image.height);
  const auto downsampled = Downsample(image.pixels, image.width, image.height);
  const Dct16 dct = Dct64To16(downsampled);
  PdqResult result;
  result.quality = Quality(downsampled);
  result.hashes[0] = BitsAboveMedian(dct);
  if (all_dihedral) {
    for (int dihedral = 1; dihedral < kDihedralCount; ++dihedral) {
      result.hashes[dihedral] = BitsAboveMedian(DihedralOfDct(dct, static_cast<Dihedral>(dihedral)));
    }
  }
  return result;
}

}  // namespace rightchain::fingerprint
