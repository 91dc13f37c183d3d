#include "fingerprint/image_fingerprint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "fingerprint/testing/synthetic_image.h"

namespace rightchain::fingerprint {
namespace {

Bytes Encode(const cv::Mat& image, const std::string& extension, std::vector<int> parameters = {}) {
  std::vector<std::uint8_t> encoded;
  EXPECT_TRUE(cv::imencode(extension, image, encoded, parameters));
  return Bytes(encoded.begin(), encoded.end());
}

int WholeDistance(const ImageFingerprint& a, const ImageFingerprint& b) {
  return HammingDistance(a.whole(), b.whole());
}

TEST(ImageFingerprintTest, DecodesCommonFormatsAndAJpegCopyStaysClose) {
  const cv::Mat photo = testing::SyntheticPhoto(1);
  Result<ImageFingerprint> png = FingerprintImageBytes(Encode(photo, ".png"), ImageHashing::kRegistration);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_EQ(png->width, 400);
  EXPECT_EQ(png->height, 300);
  EXPECT_GE(png->quality(), kMinImageQuality);
  // Nothing to trim: the untrimmed region would repeat the whole image and is left out.
  EXPECT_EQ(png->trimmed, cv::Rect(0, 0, 400, 300));
  EXPECT_EQ(png->hashes.size(), kImageRegions.size() - 1);
  Result<ImageFingerprint> jpeg = FingerprintImageBytes(Encode(photo, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 40}),
                                                        ImageHashing::kRegistration);
  ASSERT_TRUE(jpeg.ok()) << jpeg.status().ToString();
  EXPECT_LE(WholeDistance(*png, *jpeg), 16);
  Result<ImageFingerprint> other =
      FingerprintImageBytes(Encode(testing::SyntheticPhoto(2), ".webp"), ImageHashing::kRegistration);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_GT(WholeDistance(*png, *other), kImageMatchDistance);
}

TEST(ImageFingerprintTest, QueriesCarryEveryOrientationOfEachQueryRegion) {
  Result<ImageFingerprint> query = FingerprintImage(testing::SyntheticPhoto(3), ImageHashing::kQuery);
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->hashes.size(), (kQueryRegions.size() - 1) * kDihedralCount);
  Result<ImageFingerprint> turned = FingerprintImage(
      [] {
        cv::Mat rotated;
        cv::rotate(testing::SyntheticPhoto(3), rotated, cv::ROTATE_90_CLOCKWISE);
        return rotated;
      }(),
      ImageHashing::kRegistration);
  ASSERT_TRUE(turned.ok());
  int best = 256;
  for (const RegionHash& hash : query->hashes) {
    if (hash.region == kWholeRegion) best = std::min(best, HammingDistance(hash.hash, turned->whole()));
  }
  EXPECT_LE(best, 12);
}

TEST(ImageFingerprintTest, UniformPaddingIsTrimmedBeforeHashing) {
  const cv::Mat photo = testing::SyntheticPhoto(4);
  cv::Mat padded;
  cv::copyMakeBorder(photo, padded, 30, 10, 0, 40, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
  Result<ImageFingerprint> original = FingerprintImage(photo, ImageHashing::kRegistration);
  Result<ImageFingerprint> copy = FingerprintImage(padded, ImageHashing::kRegistration);
  ASSERT_TRUE(original.ok() && copy.ok());
  // Trimming works on the image shrunk to kHashingSidePixels: exact within a pixel or two.
  EXPECT_NEAR(copy->trimmed.x, 0, 2);
  EXPECT_NEAR(copy->trimmed.y, 30, 2);
  EXPECT_NEAR(copy->trimmed.width, 400, 3);
  EXPECT_NEAR(copy->trimmed.height, 300, 3);
  EXPECT_LE(WholeDistance(*original, *copy), 10);
}

TEST(ImageFingerprintTest, RefusesCorruptTruncatedUnsupportedAndOversizedImagesClearly) {
  const Bytes png = Encode(testing::SyntheticPhoto(5), ".png");
  const Bytes jpeg = Encode(testing::SyntheticPhoto(5), ".jpg");
  struct Case {
    std::string name;
    Bytes bytes;
    ErrorCode code;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back(
      {"text", Bytes{'h', 'e', 'l', 'l', 'o'}, ErrorCode::kInvalidArgument, "unsupported content"});
  cases.push_back(
      {"gif", Bytes{'G', 'I', 'F', '8', '9', 'a', 0, 0}, ErrorCode::kInvalidArgument, "unsupported content"});
  cases.push_back({"png header only", Bytes(png.begin(), png.begin() + 40), ErrorCode::kInvalidArgument,
                   "cannot decode PNG"});
  cases.push_back({"jpeg header only", Bytes(jpeg.begin(), jpeg.begin() + 100), ErrorCode::kInvalidArgument,
                   "cannot decode JPEG"});
  Bytes garbage_png = png;
  for (std::size_t index = 60; index < garbage_png.size(); index += 7) garbage_png[index] ^= 0x5a;
  cases.push_back({"damaged png", garbage_png, ErrorCode::kInvalidArgument, "cannot decode PNG"});
  // A 54-byte BMP header claiming 20000 x 20000 pixels (400 megapixels) and no pixel data.
  Bytes huge_bmp(54, 0);
  const auto put32 = [&](std::size_t offset, std::uint32_t value) {
    for (int byte = 0; byte < 4; ++byte)
      huge_bmp[offset + byte] = static_cast<std::uint8_t>(value >> (8 * byte));
  };
  huge_bmp[0] = 'B';
  huge_bmp[1] = 'M';
  put32(2, 54);
  put32(10, 54);
  put32(14, 40);
  put32(18, 20000);
  put32(22, 20000);
  huge_bmp[26] = 1;
  huge_bmp[28] = 24;
  cases.push_back({"huge bmp", huge_bmp, ErrorCode::kInvalidArgument, "larger than 100000000 pixels"});
  for (const Case& test_case : cases) {
    Result<ImageFingerprint> result = FingerprintImageBytes(test_case.bytes, ImageHashing::kQuery);
    ASSERT_FALSE(result.ok()) << test_case.name;
    EXPECT_EQ(result.status().code(), test_case.code) << test_case.name << ": " << result.status().ToString();
    EXPECT_THAT(result.status().message(), ::testing::HasSubstr(test_case.message)) << test_case.name;
  }
  Bytes too_large(kMaxImageFileSizeBytes + 1, 0);
  too_large[0] = 0x89;
  EXPECT_EQ(DecodeImage(too_large).status().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(
      FingerprintImage(cv::Mat(8, 8, CV_8UC3, cv::Scalar::all(9)), ImageHashing::kQuery).status().code(),
      ErrorCode::kInvalidArgument);
  // A flat image hashes, with quality 0: the index refuses it (image_index_test).
  Result<ImageFingerprint> flat =
      FingerprintImage(cv::Mat(100, 100, CV_8UC3, cv::Scalar::all(9)), ImageHashing::kQuery);
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->quality(), 0);
}

}  // namespace
}  // namespace rightchain::fingerprint
