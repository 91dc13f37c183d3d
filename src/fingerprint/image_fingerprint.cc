#include "fingerprint/image_fingerprint.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace rightchain::fingerprint {
namespace {

bool StartsWith(ByteView content, std::string_view prefix) {
  return content.size() >= prefix.size() && AsText(content.first(prefix.size())) == prefix;
}

// The decoders read their pixel limits from the environment once, on first use; set them (and
// silence their warnings about corrupt data, which become our Status) before any decoding.
void ConfigureDecodersOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    const std::string pixels = std::to_string(kMaxImagePixels);
    const std::string side = std::to_string(kMaxImageSidePixels);
    ::setenv("OPENCV_IO_MAX_IMAGE_PIXELS", pixels.c_str(), /*overwrite=*/1);
    ::setenv("OPENCV_IO_MAX_IMAGE_WIDTH", side.c_str(), 1);
    ::setenv("OPENCV_IO_MAX_IMAGE_HEIGHT", side.c_str(), 1);
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  });
}

// Shrinks to at most kHashingSidePixels a side (area averaging) and converts to float luminance
// Y = 0.299 R + 0.587 G + 0.114 B.
cv::Mat HashingLuma(const cv::Mat& image) {
  cv::Mat source = image;
  const int longer = std::max(image.cols, image.rows);
  if (longer > kHashingSidePixels) {
    const double scale = static_cast<double>(kHashingSidePixels) / longer;
    const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * scale))),
                        std::max(1, static_cast<int>(std::lround(image.rows * scale))));
    cv::resize(image, source, size, 0, 0, cv::INTER_AREA);
  }
  cv::Mat luma;
  if (source.channels() == 1) {
    source.convertTo(luma, CV_32F);
    return luma;
  }
  cv::Mat bgr;
  if (source.channels() == 4) {
    cv::cvtColor(source, bgr, cv::COLOR_BGRA2BGR);
  } else {
    bgr = source;
  }
  cv::Mat bgr_float;
  bgr.convertTo(bgr_float, CV_32F);
  const cv::Matx13f weights(0.114f, 0.587f, 0.299f);  // B, G, R
  cv::transform(bgr_float, luma, weights);
  return luma;
}

cv::Rect RegionRect(const cv::Rect& base, const ImageRegion& region) {
  const int left = base.x + static_cast<int>(std::lround(region.left * base.width));
  const int top = base.y + static_cast<int>(std::lround(region.top * base.height));
  const int right = base.x + static_cast<int>(std::lround(region.right * base.width));
  const int bottom = base.y + static_cast<int>(std::lround(region.bottom * base.height));
  return {left, top, std::max(1, right - left), std::max(1, bottom - top)};
}

}  // namespace

std::string_view RecogniseImage(ByteView content) {
  if (StartsWith(content, "\x89PNG\r\n\x1a\n")) return "PNG";
  if (StartsWith(content, "\xff\xd8\xff")) return "JPEG";
  if (StartsWith(content, "RIFF") && content.size() >= 12 && AsText(content.subspan(8, 4)) == "WEBP") {
    return "WebP";
  }
  if (StartsWith(content, "BM")) return "BMP";
  if (StartsWith(content, std::string_view("II*\0", 4)) ||
      StartsWith(content, std::string_view("MM\0*", 4))) {
    return "TIFF";
  }
  if (content.size() >= 3 && content[0] == 'P' && content[1] >= '1' && content[1] <= '6' &&
      (content[2] == '\n' || content[2] == ' ' || content[2] == '\r' || content[2] == '\t')) {
    return "PNM";
  }
  return {};
}

Result<cv::Mat> DecodeImage(ByteView content) {
  if (content.size() > kMaxImageFileSizeBytes) {
    return Status::LimitExceeded("image data is " + std::to_string(content.size()) +
                                 " bytes, more than the limit of " + std::to_string(kMaxImageFileSizeBytes));
  }
  const std::string_view format = RecogniseImage(content);
  if (format.empty()) {
    return Status::InvalidArgument("unsupported content: not a PNG, JPEG, WebP, BMP, TIFF or PNM image");
  }
  ConfigureDecodersOnce();
  cv::Mat decoded;
  try {
    // The bytes are only read: wrapping them without a copy is safe.
    const cv::Mat encoded(1, static_cast<int>(content.size()), CV_8U,
                          const_cast<std::uint8_t*>(content.data()));
    decoded = cv::imdecode(encoded, cv::IMREAD_COLOR);
  } catch (const cv::Exception& error) {
    return Status::InvalidArgument("cannot decode " + std::string(format) + " image: " + error.what());
  } catch (const std::bad_alloc&) {
    return Status::LimitExceeded("not enough memory to decode the " + std::string(format) + " image");
  }
  if (decoded.empty()) {
    return Status::InvalidArgument("cannot decode " + std::string(format) +
                                   " image: corrupt or truncated data, or larger than " +
                                   std::to_string(kMaxImagePixels) + " pixels");
  }
  if (static_cast<std::uint64_t>(decoded.cols) * decoded.rows > kMaxImagePixels) {
    return Status::LimitExceeded("image has more than " + std::to_string(kMaxImagePixels) + " pixels");
  }
  return decoded;
}

namespace {

// One round of trimming inside `area` of `luma`.
cv::Rect TrimOnce(const cv::Mat& luma, const cv::Rect& area, float max_deviation, float max_mean_difference) {
  const cv::Mat image = luma(area);
  auto line_stats = [&](bool is_row, int index) {
    const cv::Mat line = is_row ? image.row(index) : image.col(index);
    cv::Scalar mean;
    cv::Scalar deviation;
    cv::meanStdDev(line, mean, deviation);
    return std::pair<float, float>(static_cast<float>(mean[0]), static_cast<float>(deviation[0]));
  };
  // How many lines from one edge are uniform and like the outermost line.
  auto uniform_run = [&](bool is_row, int first, int step, int limit) {
    const auto [edge_mean, edge_deviation] = line_stats(is_row, first);
    if (edge_deviation > max_deviation) return 0;
    int count = 0;
    for (int index = first; count < limit; index += step, ++count) {
      const auto [mean, deviation] = line_stats(is_row, index);
      if (deviation > max_deviation || std::abs(mean - edge_mean) > max_mean_difference) break;
    }
    return count >= (is_row ? image.rows : image.cols) * kTrimMinFraction ? count : 0;
  };
  const int row_limit = static_cast<int>(luma.rows * kTrimMaxFraction);
  const int column_limit = static_cast<int>(luma.cols * kTrimMaxFraction);
  const int top = uniform_run(true, 0, 1, row_limit);
  const int bottom = uniform_run(true, image.rows - 1, -1, row_limit);
  const int left = uniform_run(false, 0, 1, column_limit);
  const int right = uniform_run(false, image.cols - 1, -1, column_limit);
  return {area.x + left, area.y + top, std::max(0, image.cols - left - right),
          std::max(0, image.rows - top - bottom)};
}

}  // namespace

cv::Rect TrimBorder(const cv::Mat& luma) {
  RC_ASSERT(luma.type() == CV_32F);
  cv::Scalar mean;
  cv::Scalar deviation;
  cv::meanStdDev(luma, mean, deviation);
  const float max_deviation =
      kTrimLineDeviationShare * static_cast<float>(deviation[0]) + kTrimDeviationFloor;
  const float max_mean_difference = kTrimMeanShare * static_cast<float>(deviation[0]) + kTrimDeviationFloor;
  cv::Rect area(0, 0, luma.cols, luma.rows);
  for (int round = 0; round < kTrimRounds; ++round) {
    const cv::Rect trimmed = TrimOnce(luma, area, max_deviation, max_mean_difference);
    if (trimmed.width < kMinImageSidePixels || trimmed.height < kMinImageSidePixels || trimmed == area) break;
    area = trimmed;
  }
  return area;
}

Result<ImageFingerprint> FingerprintImage(const cv::Mat& image, ImageHashing hashing) {
  if (image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    return Status::InvalidArgument("unsupported pixel format (want 8-bit grey, BGR or BGRA)");
  }
  if (image.cols < kMinImageSidePixels || image.rows < kMinImageSidePixels) {
    return Status::InvalidArgument("image is " + std::to_string(image.cols) + "x" +
                                   std::to_string(image.rows) + " pixels, smaller than " +
                                   std::to_string(kMinImageSidePixels) + " a side: too small to fingerprint");
  }
  ImageFingerprint fingerprint;
  fingerprint.width = image.cols;
  fingerprint.height = image.rows;
  try {
    const cv::Mat luma = HashingLuma(image);
    const cv::Rect trimmed = TrimBorder(luma);
    if (trimmed.width < kMinImageSidePixels || trimmed.height < kMinImageSidePixels) {
      return Status::InvalidArgument("image is almost uniform: nothing left to fingerprint after its border");
    }
    const double scale_x = static_cast<double>(image.cols) / luma.cols;
    const double scale_y = static_cast<double>(image.rows) / luma.rows;
    fingerprint.trimmed = cv::Rect(static_cast<int>(std::lround(trimmed.x * scale_x)),
                                   static_cast<int>(std::lround(trimmed.y * scale_y)),
                                   static_cast<int>(std::lround(trimmed.width * scale_x)),
                                   static_cast<int>(std::lround(trimmed.height * scale_y)));
    auto add_region = [&](std::uint8_t region_index, bool query) {
      const cv::Rect whole(0, 0, luma.cols, luma.rows);
      if (region_index == kUntrimmedRegion && trimmed == whole) return;  // the same as "whole"
      const cv::Rect base = region_index == kUntrimmedRegion ? whole : trimmed;
      const cv::Rect rect = RegionRect(base, kImageRegions[region_index]) & whole;
      if (rect.width < 1 || rect.height < 1) return;
      const PdqResult result = PdqHash(LumaImageOf(luma(rect)), /*all_dihedral=*/query);
      for (int dihedral = 0; dihedral < (query ? kDihedralCount : 1); ++dihedral) {
        fingerprint.hashes.push_back(RegionHash{result.hashes[dihedral], region_index,
                                                static_cast<std::uint8_t>(dihedral),
                                                static_cast<std::uint8_t>(result.quality)});
      }
    };
    const bool query = hashing != ImageHashing::kRegistration;
    add_region(kWholeRegion, query);
    // Without detail in the whole image, the other regions are not worth hashing: the image can
    // be neither registered nor matched (kMinImageQuality).
    if (fingerprint.hashes.front().quality >= (query ? kMinQueryQuality : kMinImageQuality)) {
      const bool registration = hashing != ImageHashing::kQuery;
      if (registration && fingerprint.hashes.front().quality >= kMinImageQuality) {
        fingerprint.thumbnail = MakeThumbnail(luma(trimmed));
      }
      if (query) luma(trimmed).convertTo(fingerprint.trimmed_luma, CV_8U);
      for (std::uint8_t region = 1; region < kImageRegions.size(); ++region) {
        const bool queried = query && IsQueryRegion(region);
        if (queried || registration) add_region(region, queried);
      }
    }
  } catch (const cv::Exception& error) {
    return Status::InvalidArgument(std::string("cannot process the image: ") + error.what());
  }
  RC_ASSERT(!fingerprint.hashes.empty() && fingerprint.hashes.front().region == kWholeRegion);
  return fingerprint;
}

LumaImage LumaImageOf(const cv::Mat& luminance) {
  RC_ASSERT(luminance.channels() == 1);
  cv::Mat floats = luminance;
  if (luminance.depth() != CV_32F) luminance.convertTo(floats, CV_32F);
  LumaImage image;
  image.width = floats.cols;
  image.height = floats.rows;
  image.pixels.resize(static_cast<std::size_t>(floats.cols) * floats.rows);
  for (int row = 0; row < floats.rows; ++row) {
    const float* line = floats.ptr<float>(row);
    std::copy(line, line + floats.cols,
              image.pixels.begin() + static_cast<std::ptrdiff_t>(row) * floats.cols);
  }
  return image;
}

bool IsQueryRegion(std::uint8_t region) {
  return std::find(kQueryRegions.begin(), kQueryRegions.end(), region) != kQueryRegions.end();
}

Result<ImageFingerprint> FingerprintImageBytes(ByteView content, ImageHashing hashing) {
  RC_ASSIGN_OR_RETURN(cv::Mat image, DecodeImage(content));
  return FingerprintImage(image, hashing);
}

}  // namespace rightchain::fingerprint
