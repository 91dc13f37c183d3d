#include "fingerprint/image_hash.h"

#include <gtest/gtest.h>

#include <random>

namespace rightchain::fingerprint {
namespace {

// A luminance image with structure at several scales (smooth, as photos are after the tent
// filter: per-pixel noise would make a one-pixel shift of the sampling grid change the hash).
LumaImage TexturedImage(std::uint32_t seed, int width, int height) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> phase(0, 6.28f);
  const float phase_x = phase(random);
  const float phase_y = phase(random);
  LumaImage image{width, height, std::vector<float>(static_cast<std::size_t>(width) * height)};
  for (int row = 0; row < height; ++row) {
    for (int column = 0; column < width; ++column) {
      const float value = 128 + 50 * std::sin(column * 0.05f + phase_x) * std::cos(row * 0.07f + phase_y) +
                          30 * std::sin((column + 2 * row) * 0.02f) +
                          20 * std::sin(column * 0.21f + phase_y) * std::sin(row * 0.17f + phase_x);
      image.pixels[static_cast<std::size_t>(row) * width + column] = std::clamp(value, 0.0f, 255.0f);
    }
  }
  return image;
}

// The image transformed by `dihedral` (as named in image_hash.h), by moving pixels.
LumaImage Transform(const LumaImage& image, Dihedral dihedral) {
  const bool swaps = dihedral == Dihedral::kRotate90 || dihedral == Dihedral::kRotate270 ||
                     dihedral == Dihedral::kTranspose || dihedral == Dihedral::kAntiTranspose;
  const int width = swaps ? image.height : image.width;
  const int height = swaps ? image.width : image.height;
  LumaImage out{width, height, std::vector<float>(image.pixels.size())};
  for (int row = 0; row < height; ++row) {
    for (int column = 0; column < width; ++column) {
      int source_row = row;
      int source_column = column;
      switch (dihedral) {
        case Dihedral::kOriginal: break;
        case Dihedral::kFlipLeftRight: source_column = width - 1 - column; break;
        case Dihedral::kFlipTopBottom: source_row = height - 1 - row; break;
        case Dihedral::kRotate180:
          source_row = height - 1 - row;
          source_column = width - 1 - column;
          break;
        case Dihedral::kTranspose:
          source_row = column;
          source_column = row;
          break;
        case Dihedral::kRotate90:  // clockwise: the left column becomes the top row
          source_row = image.height - 1 - column;
          source_column = row;
          break;
        case Dihedral::kRotate270:
          source_row = column;
          source_column = image.width - 1 - row;
          break;
        case Dihedral::kAntiTranspose:
          source_row = image.height - 1 - column;
          source_column = image.width - 1 - row;
          break;
      }
      out.pixels[static_cast<std::size_t>(row) * width + column] = image.At(source_row, source_column);
    }
  }
  return out;
}

TEST(ImageHashTest, HexRoundTripsAndRejectsBadInput) {
  ImageHash hash;
  hash.SetBit(0);
  hash.SetBit(255);
  hash.SetBit(70);
  const std::string hex = ImageHashToHex(hash);
  // Bit 255 is the top bit of the first digit, bit 0 the bottom bit of the last, bit 70 the
  // third bit of digit 17 from the right.
  std::string expected(64, '0');
  expected[0] = '8';
  expected[63 - 17] = '4';
  expected[63] = '1';
  EXPECT_EQ(hex, expected);
  Result<ImageHash> parsed = ImageHashFromHex(hex);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, hash);
  EXPECT_FALSE(ImageHashFromHex("abc").ok());
  EXPECT_FALSE(ImageHashFromHex(std::string(63, '0') + "g").ok());
}

TEST(ImageHashTest, HalfTheBitsAreSetAndDistinctImagesAreFarApart) {
  const PdqResult a = PdqHash(TexturedImage(1, 300, 200));
  const PdqResult b = PdqHash(TexturedImage(2, 300, 200));
  int ones = 0;
  for (int bit = 0; bit < 256; ++bit) ones += a.hashes[0].Bit(bit);
  EXPECT_EQ(ones, 128);
  EXPECT_GT(HammingDistance(a.hashes[0], b.hashes[0]), 64);
  EXPECT_EQ(HammingDistance(a.hashes[0], a.hashes[0]), 0);
}

TEST(ImageHashTest, QualityIsZeroForAFlatImageAndHighForATexturedOne) {
  const LumaImage flat{100, 100, std::vector<float>(100 * 100, 90.0f)};
  EXPECT_EQ(PdqHash(flat).quality, 0);
  EXPECT_GE(PdqHash(TexturedImage(3, 256, 256)).quality, 50);
}

TEST(ImageHashTest, DihedralHashesFromTheDctMatchHashingTheTransformedImage) {
  const LumaImage image = TexturedImage(4, 256, 192);
  const PdqResult result = PdqHash(image);
  for (int dihedral = 0; dihedral < kDihedralCount; ++dihedral) {
    const auto transform = static_cast<Dihedral>(dihedral);
    const PdqResult moved = PdqHash(Transform(image, transform), /*all_dihedral=*/false);
    // PDQ's sampling grid (pixel floor((i + 0.5) n / 64)) and even-sized box windows are not
    // mirror-symmetric, so a flipped image samples points a pixel or two away: a few bits differ.
    EXPECT_LE(HammingDistance(result.hashes[dihedral], moved.hashes[0]), 20) << DihedralName(transform);
    if (dihedral != 0) {
      EXPECT_GT(HammingDistance(result.hashes[dihedral], result.hashes[0]), 40) << DihedralName(transform);
    }
  }
}

TEST(ImageHashTest, ResizedImageHashesClose) {
  const LumaImage large = TexturedImage(5, 512, 384);
  LumaImage small{256, 192, std::vector<float>(256 * 192)};
  for (int row = 0; row < 192; ++row) {
    for (int column = 0; column < 256; ++column) {
      small.pixels[row * 256 + column] =
          (large.At(2 * row, 2 * column) + large.At(2 * row + 1, 2 * column) +
           large.At(2 * row, 2 * column + 1) + large.At(2 * row + 1, 2 * column + 1)) /
          4;
    }
  }
  EXPECT_LE(HammingDistance(PdqHash(large).hashes[0], PdqHash(small).hashes[0]), 16);
}

}  // namespace
}  // namespace rightchain::fingerprint
