#include "fingerprint/image_verification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "fingerprint/image_fingerprint.h"
#include "fingerprint/image_index.h"
#include "fingerprint/testing/synthetic_image.h"

namespace rightchain::fingerprint {
namespace {

constexpr std::size_t kCentre80 = 1;

// `image` with shares cut from each end of its width and height.
cv::Mat Cut(const cv::Mat& image, double left, double top, double right, double bottom) {
  const int x0 = static_cast<int>(std::lround(left * image.cols));
  const int y0 = static_cast<int>(std::lround(top * image.rows));
  const int x1 = image.cols - static_cast<int>(std::lround(right * image.cols));
  const int y1 = image.rows - static_cast<int>(std::lround(bottom * image.rows));
  return image(cv::Rect(x0, y0, x1 - x0, y1 - y0)).clone();
}

ImageFingerprint Registered(const cv::Mat& image) {
  Result<ImageFingerprint> fingerprint = FingerprintImage(image, ImageHashing::kRegistration);
  RC_ASSERT(fingerprint.ok());
  return std::move(*fingerprint);
}

ImageFingerprint Query(const cv::Mat& image) {
  Result<ImageFingerprint> fingerprint = FingerprintImage(image, ImageHashing::kQuery);
  RC_ASSERT(fingerprint.ok());
  return std::move(*fingerprint);
}

const ImageHash& RegionHashOf(const ImageFingerprint& fingerprint, std::size_t region) {
  for (const RegionHash& hash : fingerprint.hashes) {
    if (hash.region == region) return hash.hash;
  }
  RC_ASSERT(false);
  return fingerprint.hashes.front().hash;
}

TEST(ImageVerificationTest, RegistrationKeepsAThumbnailAndQueriesTheirTrimmedLuminance) {
  const ImageFingerprint registered = Registered(testing::SyntheticPhoto(1));
  ASSERT_EQ(registered.thumbnail.pixels.size(), kThumbnailPixelCount);
  // The working size: 400x300 shrunk to 256 pixels on the longer side.
  EXPECT_EQ(registered.thumbnail.trimmed_width, 256);
  EXPECT_EQ(registered.thumbnail.trimmed_height, 192);
  EXPECT_TRUE(registered.trimmed_luma.empty());
  const ImageFingerprint query = Query(testing::SyntheticPhoto(1));
  EXPECT_TRUE(query.thumbnail.empty());
  EXPECT_EQ(query.trimmed_luma.size(), cv::Size(256, 192));
  EXPECT_EQ(query.trimmed_luma.type(), CV_8U);
}

TEST(ImageVerificationTest, OrientingTheLuminanceMatchesTheHashOfEachOrientation) {
  const ImageFingerprint query = Query(testing::SyntheticPhoto(4));
  const cv::Mat luma = query.trimmed_luma;
  cv::Mat floats;
  luma.convertTo(floats, CV_32F);
  LumaImage image{floats.cols, floats.rows, std::vector<float>(floats.begin<float>(), floats.end<float>())};
  const PdqResult all = PdqHash(image);
  for (int dihedral = 0; dihedral < kDihedralCount; ++dihedral) {
    cv::Mat oriented;
    OrientLuma(luma, static_cast<Dihedral>(dihedral)).convertTo(oriented, CV_32F);
    LumaImage turned{oriented.cols, oriented.rows,
                     std::vector<float>(oriented.begin<float>(), oriented.end<float>())};
    EXPECT_LE(HammingDistance(PdqHash(turned, false).hashes[0], all.hashes[dihedral]), 8)
        << DihedralName(static_cast<Dihedral>(dihedral));
  }
}

TEST(ImageVerificationTest, ACroppedCopyAlignsAndItsAlignedRegionHashesClose) {
  const cv::Mat photo = testing::SyntheticPhoto(5, 480, 360);
  const ImageFingerprint registered = Registered(photo);
  const ImageFingerprint query = Query(Cut(photo, 0.08, 0.02, 0.0, 0.05));
  const std::optional<ImageAlignment> alignment = AlignQuery(registered.thumbnail, query.trimmed_luma);
  ASSERT_TRUE(alignment.has_value());
  EXPECT_GT(alignment->score, 0.9);
  EXPECT_NEAR(alignment->left, 0.08, 0.02);
  EXPECT_NEAR(alignment->top, 0.02, 0.02);
  EXPECT_NEAR(alignment->width, 0.92, 0.02);
  EXPECT_NEAR(alignment->height, 0.93, 0.02);
  const auto aligned = HashAlignedRegion(query.trimmed_luma, *alignment, 0.1, 0.1, 0.9, 0.9);
  ASSERT_TRUE(aligned.has_value());
  EXPECT_LE(HammingDistance(aligned->first, RegionHashOf(registered, kCentre80)), kImageMatchDistance);
}

TEST(ImageVerificationTest, TheIndexMatchesCroppedCopiesButNotUnrelatedImages) {
  ImageIndex index;
  for (std::uint64_t seed = 10; seed < 30; ++seed) {
    ASSERT_TRUE(
        index.AddFingerprint("photo-" + std::to_string(seed), Registered(testing::SyntheticPhoto(seed)))
            .ok());
  }
  int cropped_found = 0;
  for (std::uint64_t seed = 10; seed < 30; ++seed) {
    const cv::Mat photo = testing::SyntheticPhoto(seed);
    const std::vector<ImageMatch> matches = index.Match(Query(Cut(photo, 0.06, 0.0, 0.02, 0.07)));
    for (const ImageMatch& match : matches) {
      EXPECT_EQ(match.image_id, "photo-" + std::to_string(seed)) << "a false match";
      EXPECT_LE(match.distance, kImageMatchDistance);
    }
    cropped_found += !matches.empty();
  }
  EXPECT_GE(cropped_found, 18);  // of 20
  for (std::uint64_t seed = 100; seed < 120; ++seed) {
    EXPECT_THAT(index.Match(Query(testing::SyntheticPhoto(seed))), ::testing::IsEmpty()) << seed;
  }
}

TEST(ImageVerificationTest, AnUnrelatedImageOrAMirrorInTheWrongOrientationDoesNotVerify) {
  const cv::Mat photo = testing::SyntheticPhoto(6, 480, 360);
  const ImageFingerprint registered = Registered(photo);
  const ImageHash& centre = RegionHashOf(registered, kCentre80);
  const auto aligned_distance = [&](const cv::Mat& oriented_query) {
    const std::optional<ImageAlignment> alignment = AlignQuery(registered.thumbnail, oriented_query);
    if (!alignment) return 256;
    const auto aligned = HashAlignedRegion(oriented_query, *alignment, 0.1, 0.1, 0.9, 0.9);
    return aligned ? HammingDistance(aligned->first, centre) : 256;
  };
  const ImageFingerprint unrelated = Query(testing::SyntheticPhoto(7, 480, 360));
  EXPECT_GT(aligned_distance(unrelated.trimmed_luma), kImageMatchDistance);
  // A mirrored crop, verified in the orientation it was not turned back from.
  cv::Mat mirrored;
  cv::flip(Cut(photo, 0.05, 0.05, 0.0, 0.0), mirrored, 1);
  const ImageFingerprint query = Query(mirrored);
  EXPECT_GT(aligned_distance(query.trimmed_luma), kImageMatchDistance);
  // Turned back, it verifies.
  EXPECT_LE(aligned_distance(OrientLuma(query.trimmed_luma, Dihedral::kFlipLeftRight)), kImageMatchDistance);
}

TEST(ImageVerificationTest, RepairingAnOverlayBringsTheAlignedHashBackButNotForAnUnrelatedImage) {
  const cv::Mat photo = testing::SyntheticPhoto(9, 480, 360);
  const ImageFingerprint registered = Registered(photo);
  const ImageHash& centre = RegionHashOf(registered, kCentre80);
  cv::Mat overlaid = photo.clone();
  cv::putText(overlaid, "COPYRIGHT", cv::Point(90, 200), cv::FONT_HERSHEY_SIMPLEX, 2.2,
              cv::Scalar(255, 255, 255), 6, cv::LINE_AA);
  const ImageFingerprint query = Query(overlaid);
  const std::optional<ImageAlignment> alignment = AlignQuery(registered.thumbnail, query.trimmed_luma);
  ASSERT_TRUE(alignment.has_value());
  const auto plain = HashAlignedRegion(query.trimmed_luma, *alignment, 0.1, 0.1, 0.9, 0.9);
  ASSERT_TRUE(plain.has_value());
  const cv::Mat repaired =
      RepairOcclusion(registered.thumbnail, query.trimmed_luma, *alignment, kMaxOccludedShare);
  ASSERT_FALSE(repaired.empty());
  const auto fixed = HashAlignedRegion(repaired, *alignment, 0.1, 0.1, 0.9, 0.9);
  ASSERT_TRUE(fixed.has_value());
  EXPECT_LE(HammingDistance(fixed->first, centre), kRepairedMatchDistance);
  EXPECT_LT(HammingDistance(fixed->first, centre), HammingDistance(plain->first, centre));

  const ImageFingerprint unrelated = Query(testing::SyntheticPhoto(10, 480, 360));
  const std::optional<ImageAlignment> elsewhere = AlignQuery(registered.thumbnail, unrelated.trimmed_luma);
  ASSERT_TRUE(elsewhere.has_value());
  const cv::Mat not_repaired =
      RepairOcclusion(registered.thumbnail, unrelated.trimmed_luma, *elsewhere, kMaxOccludedShare);
  if (!not_repaired.empty()) {
    const auto hashed = HashAlignedRegion(not_repaired, *elsewhere, 0.1, 0.1, 0.9, 0.9);
    EXPECT_TRUE(!hashed || HammingDistance(hashed->first, centre) > kImageMatchDistance);
  }
}

TEST(ImageVerificationTest, ThumbnailsSurviveSavingAndDamagedOnesAreRefused) {
  ImageIndex index;
  const ImageFingerprint registered = Registered(testing::SyntheticPhoto(8));
  ASSERT_TRUE(index.AddFingerprint("a", registered).ok());
  const Bytes bytes = index.Serialize();
  Result<ImageIndex> loaded = ImageIndex::Deserialize(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->Serialize(), bytes);

  // Header (28 bytes), id length and id (5), hash count (1), the hashes, then the thumbnail.
  const std::size_t hash_count = registered.hashes.size();
  const std::size_t flag = 28 + 5 + 1 + 34 * hash_count;
  ASSERT_EQ(bytes.size(), flag + 1 + 4 + kThumbnailPixelCount + 4);
  ASSERT_EQ(bytes[flag], 1);
  const auto damaged = [&](std::size_t offset, std::uint8_t value) {
    Bytes copy = bytes;
    copy[offset] = value;
    return ImageIndex::Deserialize(copy, /*verify_checksum=*/false).status();
  };
  EXPECT_THAT(damaged(flag, 2).message(), ::testing::HasSubstr("thumbnail flag"));
  const Status zero_width = [&] {
    Bytes copy = bytes;
    copy[flag + 1] = 0;
    copy[flag + 2] = 0;
    return ImageIndex::Deserialize(copy, false).status();
  }();
  EXPECT_EQ(zero_width.code(), ErrorCode::kCorruption);
  EXPECT_THAT(zero_width.message(), ::testing::HasSubstr("trimmed size"));
  EXPECT_THAT(damaged(flag + 4, 0xFF).message(), ::testing::HasSubstr("trimmed size"));  // 65,xxx pixels
  // Without a thumbnail the pixels become trailing bytes; truncated inside the thumbnail.
  EXPECT_EQ(damaged(flag, 0).code(), ErrorCode::kCorruption);
  for (std::size_t cut : {flag + 1, flag + 3, flag + 500, bytes.size() - 5}) {
    EXPECT_EQ(ImageIndex::Deserialize(ByteView(bytes).first(cut), false).status().code(),
              ErrorCode::kCorruption)
        << cut;
  }
  // A file of the first format (no thumbnails) is refused, naming its version.
  Bytes old = bytes;
  old[4] = 1;
  const Status refused = ImageIndex::Deserialize(old, false).status();
  EXPECT_EQ(refused.code(), ErrorCode::kCorruption);
  EXPECT_THAT(refused.message(), ::testing::HasSubstr("format version 1"));
  EXPECT_THAT(refused.message(), ::testing::HasSubstr("register the images again"));
}

TEST(ImageVerificationTest, AddRefusesAMalformedThumbnail) {
  ImageIndex index;
  ImageThumbnail thumbnail{100, 100, std::vector<std::uint8_t>(10)};
  const Status status = index.Add("x", std::vector{IndexedImageHash{ImageHash{}, 0, 80}}, thumbnail);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(index.size(), 0u);
}

}  // namespace
}  // namespace rightchain::fingerprint
