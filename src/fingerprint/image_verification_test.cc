#include "fingerprint/image_verification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
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

// A board: 8x6 black or white cells of 50 pixels (two grey levels, like the boards and diagrams
// of a manual), a checker pattern on its edge (so that trimming leaves it whole) and random
// cells inside.
cv::Mat Board(std::uint64_t seed) {
  constexpr int kCell = 50;
  cv::RNG rng(seed);
  cv::Mat image(6 * kCell, 8 * kCell, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int row = 0; row < 6; ++row) {
    for (int column = 0; column < 8; ++column) {
      const bool edge = row == 0 || row == 5 || column == 0 || column == 7;
      const bool black = edge ? (row + column) % 2 == 0 : rng.uniform(0, 2) == 1;
      if (black)
        cv::rectangle(image, cv::Rect(column * kCell, row * kCell, kCell, kCell), cv::Scalar(0, 0, 0),
                      cv::FILLED);
    }
  }
  return image;
}

TEST(ImageVerificationTest, DetailBitsTellPhotographsFromFlatAndTwoLevelPictures) {
  EXPECT_DOUBLE_EQ(ThumbnailDetailBits(std::vector<std::uint8_t>(kThumbnailPixelCount, 200)), 0.0);
  std::vector<std::uint8_t> halves(kThumbnailPixelCount, 0);
  std::fill(halves.begin() + kThumbnailPixelCount / 2, halves.end(), 255);
  EXPECT_DOUBLE_EQ(ThumbnailDetailBits(halves), 1.0);
  std::vector<std::uint8_t> every_level(kThumbnailPixelCount);
  for (std::size_t i = 0; i < every_level.size(); ++i) every_level[i] = static_cast<std::uint8_t>(i % 256);
  EXPECT_DOUBLE_EQ(ThumbnailDetailBits(every_level), std::log2(kDetailHistogramBins));
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    EXPECT_GE(ThumbnailDetailBits(Registered(testing::SyntheticPhoto(seed)).thumbnail.pixels), kMinDetailBits)
        << "photo " << seed;
    EXPECT_LT(ThumbnailDetailBits(Registered(Board(seed)).thumbnail.pixels), kMinDetailBits)
        << "board " << seed;
  }
}

TEST(ImageVerificationTest, ALowDetailCandidateIsAcceptedOnlyWhenItAligns) {
  ImageMatch candidate;
  candidate.hash_distance = 10;
  candidate.verified = true;
  candidate.query_detail_bits = 4.5;
  candidate.registered_detail_bits = kMinDetailBits - 0.5;
  for (const double score : {kNoAlignment, 0.5, kMinAlignmentScore - 0.01}) {
    candidate.alignment_score = score;
    EXPECT_FALSE(ImageIndex::Accepted(candidate)) << score;
  }
  candidate.alignment_score = kMinAlignmentScore;
  EXPECT_TRUE(ImageIndex::Accepted(candidate));
  candidate.verified = false;  // the verification budget ran out before it
  EXPECT_FALSE(ImageIndex::Accepted(candidate));
  candidate.hash_distance = kLowDetailHashDistance;  // close enough to need no alignment
  EXPECT_TRUE(ImageIndex::Accepted(candidate));
  candidate.hash_distance = 10;
  // Detail on both sides: close hashes are accepted as they are, unaligned or not.
  candidate.registered_detail_bits = 4.5;
  candidate.alignment_score = kNoAlignment;
  EXPECT_TRUE(ImageIndex::Accepted(candidate));
  // In the band (20-31 bits) a verified candidate that cannot be placed at all is another
  // picture; an unverified one is not vetoed.
  candidate.hash_distance = kVerifyFromDistance + 4;
  candidate.verified = true;
  EXPECT_FALSE(ImageIndex::Accepted(candidate));
  candidate.alignment_score = kMinBandScore;
  EXPECT_TRUE(ImageIndex::Accepted(candidate));
  candidate.alignment_score = kNoAlignment;
  candidate.verified = false;
  EXPECT_TRUE(ImageIndex::Accepted(candidate));
  candidate.hash_distance = 10;
  // Unknown detail (no thumbnail): the hash decides.
  candidate.query_detail_bits = -1;
  candidate.registered_detail_bits = kMinDetailBits - 0.5;
  EXPECT_TRUE(ImageIndex::Accepted(candidate));
}

TEST(ImageVerificationTest, APaddedCopyAlignsAroundThePictureAndAnUnrelatedOneDoesNot) {
  const cv::Mat photo = testing::SyntheticPhoto(9, 400, 300);
  const ImageFingerprint registered = Registered(photo);
  // A border of noise (trimming removes only plain borders): 10% of each side left and right,
  // 5% top and bottom.
  cv::Mat padded(330, 480, CV_8UC3);
  cv::randu(padded, cv::Scalar::all(0), cv::Scalar::all(256));
  photo.copyTo(padded(cv::Rect(40, 15, 400, 300)));
  const ImageFingerprint query = Query(padded);
  // As a crop it cannot be placed well; as a padded copy it can.
  const std::optional<ImageAlignment> as_crop = AlignQuery(registered.thumbnail, query.trimmed_luma);
  EXPECT_TRUE(!as_crop || as_crop->score < kMinAlignmentScore);
  const std::optional<ImageAlignment> around = AlignPaddedQuery(registered.thumbnail, query.trimmed_luma);
  ASSERT_TRUE(around.has_value());
  EXPECT_GE(around->score, 0.9);
  EXPECT_NEAR(around->left, -40.0 / 400, 0.05);
  EXPECT_NEAR(around->width, 480.0 / 400, 0.05);
  EXPECT_NEAR(around->height, 330.0 / 300, 0.05);
  const std::optional<ImageAlignment> unrelated =
      AlignPaddedQuery(registered.thumbnail, Query(testing::SyntheticPhoto(10, 480, 330)).trimmed_luma);
  EXPECT_TRUE(!unrelated || unrelated->score < kMinAlignmentScore);
  // Aspect ratios a border of at most 10% per side cannot explain: no placement.
  EXPECT_FALSE(
      AlignPaddedQuery(registered.thumbnail, Query(testing::SyntheticPhoto(9, 400, 600)).trimmed_luma));
}

TEST(ImageVerificationTest, CopiesOfRegisteredBoardsStillMatchAndNothingElse) {
  ImageIndex index;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    ASSERT_TRUE(index.AddFingerprint("board-" + std::to_string(seed), Registered(Board(seed))).ok());
    ASSERT_TRUE(
        index.AddFingerprint("photo-" + std::to_string(seed), Registered(testing::SyntheticPhoto(seed)))
            .ok());
  }
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    cv::Mat smaller;
    cv::resize(Board(seed), smaller, cv::Size(300, 225), 0, 0, cv::INTER_AREA);
    cv::Mat turned;
    cv::rotate(Board(seed), turned, cv::ROTATE_90_CLOCKWISE);
    cv::GaussianBlur(turned, turned, cv::Size(5, 5), 0);
    for (const cv::Mat& copy : {smaller, turned}) {
      const std::vector<ImageMatch> matches = index.Match(Query(copy));
      ASSERT_FALSE(matches.empty()) << seed << (&copy == &smaller ? " smaller" : " turned");
      EXPECT_EQ(matches.front().image_id, "board-" + std::to_string(seed));
      EXPECT_TRUE(matches.front().low_detail());
      for (const ImageMatch& match : matches) EXPECT_EQ(match.image_id, "board-" + std::to_string(seed));
    }
  }
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
