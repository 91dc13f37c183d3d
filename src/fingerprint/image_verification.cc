#include "fingerprint/image_verification.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "fingerprint/image_fingerprint.h"

namespace rightchain::fingerprint {
namespace {

// The largest trimmed side a thumbnail may claim (the working size, image_fingerprint.h).
constexpr std::uint16_t kMaxTrimmedSidePixels = 256;
constexpr int kMinAlignedRegionPixels = 16;
// How far (a share of the query's side) a region may reach beyond the query and be hashed
// clipped.
constexpr double kAlignedRegionSlack = 0.03;
// Below this correlation at the best whole-pixel placement, the placement is not refined.
constexpr double kMinRefinedScore = 0.5;

// The offset of a peak from its integer position, from a parabola through three values.
double ParabolaPeak(double before, double at, double after) {
  const double curvature = before - 2 * at + after;
  if (curvature >= 0) return 0;  // not a maximum
  return std::clamp(0.5 * (before - after) / curvature, -0.5, 0.5);
}

struct ScaleResult {
  double score = -2;
  double left = 0;  // in thumbnail pixels, sub-pixel
  double top = 0;
};

// The thumbnail's pixels as a CV_32F image (a copy).
cv::Mat ThumbnailPixels(const ImageThumbnail& thumbnail) {
  const cv::Mat bytes(kThumbnailSidePixels, kThumbnailSidePixels, CV_8U,
                      const_cast<std::uint8_t*>(thumbnail.pixels.data()));
  cv::Mat pixels;
  bytes.convertTo(pixels, CV_32F);
  return pixels;
}

// `image` (CV_8U) shrunk to `size` by area averaging, as CV_32F.
cv::Mat ShrinkToFloat(const cv::Mat& image, cv::Size size) {
  cv::Mat shrunk;
  cv::resize(image, shrunk, size, 0, 0, cv::INTER_AREA);
  shrunk.convertTo(shrunk, CV_32F);
  return shrunk;
}

// `image` shrunk to width x height, then placed over `within` (normalised cross-correlation at
// every whole-pixel offset): the correlations, the best one and its place.
struct Placement {
  cv::Mat scores;
  double score = 0;  // NaN or infinite for a flat image
  cv::Point place;
};
Placement PlaceShrunk(const cv::Mat& within, const cv::Mat& image, int width, int height) {
  cv::Mat shrunk;
  cv::resize(image, shrunk, cv::Size(width, height), 0, 0, cv::INTER_AREA);
  Placement placement;
  cv::matchTemplate(within, shrunk, placement.scores, cv::TM_CCOEFF_NORMED);
  cv::minMaxLoc(placement.scores, nullptr, &placement.score, nullptr, &placement.place);
  return placement;
}

ScaleResult MatchAtScale(const cv::Mat& registered, const cv::Mat& query_small, int width, int height) {
  // A named placement, not a structured binding: C++20 lets a lambda capture a binding, clang 14
  // (the fuzz build's compiler) does not.
  const Placement placement = PlaceShrunk(registered, query_small, width, height);
  const cv::Mat& scores = placement.scores;
  const double best = placement.score;
  const cv::Point& place = placement.place;
  ScaleResult result{best, static_cast<double>(place.x), static_cast<double>(place.y)};
  if (!std::isfinite(best)) return ScaleResult{};  // a flat template
  const auto at = [&scores](int row, int column) {
    return static_cast<double>(scores.at<float>(row, column));
  };
  if (place.x > 0 && place.x + 1 < scores.cols) {
    result.left += ParabolaPeak(at(place.y, place.x - 1), best, at(place.y, place.x + 1));
  }
  if (place.y > 0 && place.y + 1 < scores.rows) {
    result.top += ParabolaPeak(at(place.y - 1, place.x), best, at(place.y + 1, place.x));
  }
  return result;
}

// The correlation of the registered thumbnail with the query placed at (left, top) with size
// (width, height) (fractions of the registered image), over the thumbnail pixels the query
// covers. `query_small` is the query shrunk to about its size in thumbnail pixels.
double PlacedScore(const cv::Mat& registered, const cv::Mat& query_small, double left, double top,
                   double width, double height) {
  constexpr double kSide = kThumbnailSidePixels;
  // Thumbnail pixel centre j maps to query_small column a j + b (and likewise for rows).
  const double a = query_small.cols / (kSide * width);
  const double b = (0.5 / kSide - left) / width * query_small.cols - 0.5;
  const double c = query_small.rows / (kSide * height);
  const double d = (0.5 / kSide - top) / height * query_small.rows - 0.5;
  const int first_column = std::max(0, static_cast<int>(std::ceil(-b / a)));
  const int last_column =
      std::min(kThumbnailSidePixels - 1, static_cast<int>(std::floor((query_small.cols - 1 - b) / a)));
  const int first_row = std::max(0, static_cast<int>(std::ceil(-d / c)));
  const int last_row =
      std::min(kThumbnailSidePixels - 1, static_cast<int>(std::floor((query_small.rows - 1 - d) / c)));
  if (last_column - first_column < 8 || last_row - first_row < 8) return -2;
  // Bilinear samples of the query at the covered thumbnail pixels, and their correlation.
  double sum_r = 0, sum_q = 0, sum_rr = 0, sum_qq = 0, sum_rq = 0;
  for (int row = first_row; row <= last_row; ++row) {
    const double v = std::clamp(c * row + d, 0.0, query_small.rows - 1.0);
    const int v0 = std::min(static_cast<int>(v), std::max(0, query_small.rows - 2));
    const double fv = v - v0;
    const float* upper = query_small.ptr<float>(v0);
    const float* lower = query_small.ptr<float>(std::min(v0 + 1, query_small.rows - 1));
    const float* reference = registered.ptr<float>(row);
    for (int column = first_column; column <= last_column; ++column) {
      const double u = std::clamp(a * column + b, 0.0, query_small.cols - 1.0);
      const int u0 = std::min(static_cast<int>(u), std::max(0, query_small.cols - 2));
      const int u1 = std::min(u0 + 1, query_small.cols - 1);
      const double fu = u - u0;
      const double q =
          (1 - fv) * ((1 - fu) * upper[u0] + fu * upper[u1]) + fv * ((1 - fu) * lower[u0] + fu * lower[u1]);
      const double r = reference[column];
      sum_r += r;
      sum_q += q;
      sum_rr += r * r;
      sum_qq += q * q;
      sum_rq += r * q;
    }
  }
  const double count = static_cast<double>(last_row - first_row + 1) * (last_column - first_column + 1);
  const double variance_r = sum_rr - sum_r * sum_r / count;
  const double variance_q = sum_qq - sum_q * sum_q / count;
  if (variance_r <= 1e-6 || variance_q <= 1e-6) return -2;  // flat: nothing to align on
  return (sum_rq - sum_r * sum_q / count) / std::sqrt(variance_r * variance_q);
}

// Refines a placement by coordinate search over left, top and width (the height follows the
// aspect), in steps from half a thumbnail pixel down to a sixteenth.
ImageAlignment RefinePlacement(const cv::Mat& registered, const cv::Mat& query_twice, ImageAlignment start,
                               double height_per_width) {
  cv::Mat query_small;
  const cv::Size size(std::max(8, static_cast<int>(std::lround(start.width * kThumbnailSidePixels))),
                      std::max(8, static_cast<int>(std::lround(start.height * kThumbnailSidePixels))));
  cv::resize(query_twice, query_small, size, 0, 0, cv::INTER_AREA);
  ImageAlignment best = start;
  const auto evaluate = [&](ImageAlignment& candidate) {
    candidate.height = height_per_width * candidate.width;
    if (candidate.width < kMinCoveredSide / 2 || candidate.height < kMinCoveredSide / 2) {
      return candidate.score = -2;  // far outside the searched scales
    }
    candidate.score = PlacedScore(registered, query_small, candidate.left, candidate.top, candidate.width,
                                  candidate.height);
    return candidate.score;
  };
  evaluate(best);
  constexpr int kMaxRoundsPerStep = 6;
  for (double step = 0.5 / kThumbnailSidePixels; step >= 0.0625 / kThumbnailSidePixels; step /= 2) {
    for (int round = 0; round < kMaxRoundsPerStep; ++round) {
      bool improved = false;
      for (int parameter = 0; parameter < 3; ++parameter) {
        for (double direction : {-1.0, 1.0}) {
          ImageAlignment candidate = best;
          double& value = parameter == 0 ? candidate.left : parameter == 1 ? candidate.top : candidate.width;
          value += direction * step;
          if (evaluate(candidate) > best.score) {
            best = candidate;
            improved = true;
          }
        }
      }
      if (!improved) break;
    }
  }
  return best;
}

}  // namespace

ImageThumbnail MakeThumbnail(const cv::Mat& trimmed_luma) {
  RC_ASSERT(!trimmed_luma.empty() && trimmed_luma.channels() == 1);
  cv::Mat small;
  cv::resize(trimmed_luma, small, cv::Size(kThumbnailSidePixels, kThumbnailSidePixels), 0, 0, cv::INTER_AREA);
  cv::Mat bytes;
  small.convertTo(bytes, CV_8U);  // rounds and saturates
  ImageThumbnail thumbnail;
  thumbnail.trimmed_width =
      static_cast<std::uint16_t>(std::min<int>(trimmed_luma.cols, kMaxTrimmedSidePixels));
  thumbnail.trimmed_height =
      static_cast<std::uint16_t>(std::min<int>(trimmed_luma.rows, kMaxTrimmedSidePixels));
  thumbnail.pixels.assign(bytes.begin<std::uint8_t>(), bytes.end<std::uint8_t>());
  RC_ASSERT(thumbnail.pixels.size() == kThumbnailPixelCount);
  return thumbnail;
}

double ThumbnailDetailBits(std::span<const std::uint8_t> pixels) {
  RC_ASSERT(!pixels.empty());
  std::array<std::size_t, kDetailHistogramBins> counts{};
  constexpr int kLevelsPerBin = 256 / kDetailHistogramBins;
  for (const std::uint8_t pixel : pixels) ++counts[pixel / kLevelsPerBin];
  double bits = 0;
  const double total = static_cast<double>(pixels.size());
  for (const std::size_t count : counts) {
    if (count == 0) continue;
    const double share = static_cast<double>(count) / total;
    bits -= share * std::log2(share);
  }
  return bits;
}

Status CheckThumbnail(const ImageThumbnail& thumbnail) {
  if (thumbnail.empty()) return Status::Ok();
  if (thumbnail.pixels.size() != kThumbnailPixelCount) {
    return Status::Corruption("image thumbnail has " + std::to_string(thumbnail.pixels.size()) +
                              " pixels, not " + std::to_string(kThumbnailPixelCount));
  }
  const auto plausible = [](std::uint16_t side) { return side >= 1 && side <= kMaxTrimmedSidePixels; };
  if (!plausible(thumbnail.trimmed_width) || !plausible(thumbnail.trimmed_height)) {
    return Status::Corruption("image thumbnail claims a trimmed size of " +
                              std::to_string(thumbnail.trimmed_width) + "x" +
                              std::to_string(thumbnail.trimmed_height) + " pixels (1 to " +
                              std::to_string(kMaxTrimmedSidePixels) + " a side)");
  }
  return Status::Ok();
}

cv::Mat OrientLuma(const cv::Mat& luma, Dihedral dihedral) {
  cv::Mat out;
  switch (dihedral) {
    case Dihedral::kOriginal: return luma;
    case Dihedral::kRotate90: cv::rotate(luma, out, cv::ROTATE_90_CLOCKWISE); return out;
    case Dihedral::kRotate180: cv::rotate(luma, out, cv::ROTATE_180); return out;
    case Dihedral::kRotate270: cv::rotate(luma, out, cv::ROTATE_90_COUNTERCLOCKWISE); return out;
    case Dihedral::kFlipLeftRight: cv::flip(luma, out, 1); return out;
    case Dihedral::kFlipTopBottom: cv::flip(luma, out, 0); return out;
    case Dihedral::kTranspose: cv::transpose(luma, out); return out;
    case Dihedral::kAntiTranspose: {
      cv::Mat transposed;
      cv::transpose(luma, transposed);
      cv::rotate(transposed, out, cv::ROTATE_180);
      return out;
    }
  }
  return luma;
}

std::optional<ImageAlignment> AlignQuery(const ImageThumbnail& registered, const cv::Mat& oriented_query) {
  RC_ASSERT(registered.pixels.size() == kThumbnailPixelCount && registered.trimmed_width > 0 &&
            registered.trimmed_height > 0);
  RC_ASSERT(!oriented_query.empty() && oriented_query.type() == CV_8U);
  // The query shows width share w and height share h of the registered image at one scale s:
  // query width = s w W, query height = s h H, so h / w = (query height / H) / (query width / W).
  const double height_per_width = (static_cast<double>(oriented_query.rows) / registered.trimmed_height) /
                                  (static_cast<double>(oriented_query.cols) / registered.trimmed_width);
  const cv::Mat registered_pixels = ThumbnailPixels(registered);

  // Templates come from a copy of the query at twice the thumbnail's size (one costly shrink).
  const cv::Mat query_small =
      ShrinkToFloat(oriented_query, cv::Size(2 * kThumbnailSidePixels, 2 * kThumbnailSidePixels));
  const int min_side = static_cast<int>(std::ceil(kMinCoveredSide * kThumbnailSidePixels));
  std::vector<ScaleResult> by_width(kThumbnailSidePixels + 1);
  int best_width = 0;
  for (int width = min_side; width <= kThumbnailSidePixels; ++width) {
    const int height = static_cast<int>(std::lround(height_per_width * width));
    if (height < min_side || height > kThumbnailSidePixels) continue;
    by_width[width] = MatchAtScale(registered_pixels, query_small, width, height);
    if (best_width == 0 || by_width[width].score > by_width[best_width].score) best_width = width;
  }
  if (best_width == 0) return std::nullopt;
  const ScaleResult& best = by_width[best_width];
  // Sub-pixel scale: a parabola through the neighbouring widths' scores.
  double width = best_width;
  if (best_width > min_side && best_width < kThumbnailSidePixels && by_width[best_width - 1].score > -2 &&
      by_width[best_width + 1].score > -2) {
    width += ParabolaPeak(by_width[best_width - 1].score, best.score, by_width[best_width + 1].score);
  }
  const double height = std::min<double>(kThumbnailSidePixels, height_per_width * width);
  ImageAlignment alignment;
  alignment.left = best.left / kThumbnailSidePixels;
  alignment.top = best.top / kThumbnailSidePixels;
  alignment.width = std::min(1.0, width / kThumbnailSidePixels);
  alignment.height = std::min(1.0, height / kThumbnailSidePixels);
  alignment.score = best.score;
  // Refining a poor placement cannot make it convincing: spare the cost.
  if (best.score < kMinRefinedScore) return alignment;
  return RefinePlacement(registered_pixels, query_small, alignment, height_per_width);
}

std::optional<ImageAlignment> AlignPaddedQuery(const ImageThumbnail& registered,
                                               const cv::Mat& oriented_query) {
  RC_ASSERT(registered.pixels.size() == kThumbnailPixelCount && registered.trimmed_width > 0 &&
            registered.trimmed_height > 0);
  RC_ASSERT(!oriented_query.empty() && oriented_query.type() == CV_8U);
  // The picture fills share w of the query's width and h of its height at one scale s:
  // s W = w query width, s H = h query height, so h / w = (H / W) / (query height / query width).
  const double height_per_width =
      (static_cast<double>(registered.trimmed_height) / registered.trimmed_width) /
      (static_cast<double>(oriented_query.rows) / oriented_query.cols);
  const cv::Mat registered_pixels = ThumbnailPixels(registered);
  const cv::Mat query_small =
      ShrinkToFloat(oriented_query, cv::Size(kThumbnailSidePixels, kThumbnailSidePixels));
  const int min_side = static_cast<int>(std::ceil(kMinPaddedPictureShare * kThumbnailSidePixels));
  std::optional<ImageAlignment> best;
  for (int width = min_side; width <= kThumbnailSidePixels; ++width) {
    const int height = static_cast<int>(std::lround(height_per_width * width));
    if (height < min_side || height > kThumbnailSidePixels) continue;
    const auto [scores, score, place] = PlaceShrunk(query_small, registered_pixels, width, height);
    if (!std::isfinite(score) || (best && score <= best->score)) continue;
    // In registered fractions: the query starts `place` thumbnail pixels before the picture.
    best = ImageAlignment{.left = -place.x / static_cast<double>(width),
                          .top = -place.y / static_cast<double>(height),
                          .width = kThumbnailSidePixels / static_cast<double>(width),
                          .height = kThumbnailSidePixels / static_cast<double>(height),
                          .score = score};
  }
  return best;
}

std::optional<std::pair<ImageHash, int>> HashAlignedRegion(const cv::Mat& oriented_query,
                                                           const ImageAlignment& alignment, double left,
                                                           double top, double right, double bottom) {
  RC_ASSERT(alignment.width > 0 && alignment.height > 0);
  const auto column = [&](double share) {
    return (share - alignment.left) / alignment.width * oriented_query.cols;
  };
  const auto row = [&](double share) {
    return (share - alignment.top) / alignment.height * oriented_query.rows;
  };
  const double x0 = column(left);
  const double x1 = column(right);
  const double y0 = row(top);
  const double y1 = row(bottom);
  // Slack: a copy cut by close to 10% of a side keeps the region only just, and the placement
  // is precise to a fraction of a thumbnail pixel, not of the query's; a region reaching a
  // little beyond the query is hashed clipped.
  const double slack_columns = std::max(1.0, kAlignedRegionSlack * oriented_query.cols);
  const double slack_rows = std::max(1.0, kAlignedRegionSlack * oriented_query.rows);
  if (x0 < -slack_columns || y0 < -slack_rows || x1 > oriented_query.cols + slack_columns ||
      y1 > oriented_query.rows + slack_rows) {
    return std::nullopt;
  }
  const int first_column = std::max(0, static_cast<int>(std::lround(x0)));
  const int first_row = std::max(0, static_cast<int>(std::lround(y0)));
  const int end_column = std::min(oriented_query.cols, static_cast<int>(std::lround(x1)));
  const int end_row = std::min(oriented_query.rows, static_cast<int>(std::lround(y1)));
  if (end_column - first_column < kMinAlignedRegionPixels || end_row - first_row < kMinAlignedRegionPixels) {
    return std::nullopt;
  }
  const cv::Rect rect(first_column, first_row, end_column - first_column, end_row - first_row);
  const PdqResult result = PdqHash(LumaImageOf(oriented_query(rect)), /*all_dihedral=*/false);
  return std::pair<ImageHash, int>(result.hashes[0], result.quality);
}

cv::Mat RepairOcclusion(const ImageThumbnail& registered, const cv::Mat& oriented_query,
                        const ImageAlignment& alignment, double max_share) {
  RC_ASSERT(registered.pixels.size() == kThumbnailPixelCount && oriented_query.type() == CV_8U);
  constexpr int kSide = kThumbnailSidePixels;
  const cv::Mat reference = ThumbnailPixels(registered);
  // The query at thumbnail scale, sampled at the thumbnail pixels it covers.
  const cv::Size size(std::max(8, static_cast<int>(std::lround(alignment.width * kSide))),
                      std::max(8, static_cast<int>(std::lround(alignment.height * kSide))));
  const cv::Mat query_small = ShrinkToFloat(oriented_query, size);
  const double a = query_small.cols / (kSide * alignment.width);
  const double b = (0.5 / kSide - alignment.left) / alignment.width * query_small.cols - 0.5;
  const double c = query_small.rows / (kSide * alignment.height);
  const double d = (0.5 / kSide - alignment.top) / alignment.height * query_small.rows - 0.5;
  cv::Mat sampled(kSide, kSide, CV_32F, cv::Scalar(0));
  cv::Mat covered(kSide, kSide, CV_8U, cv::Scalar(0));
  for (int row = 0; row < kSide; ++row) {
    const double v = c * row + d;
    if (v < 0 || v > query_small.rows - 1) continue;
    for (int column = 0; column < kSide; ++column) {
      const double u = a * column + b;
      if (u < 0 || u > query_small.cols - 1) continue;
      cv::Mat patch;
      cv::getRectSubPix(query_small, cv::Size(1, 1),
                        cv::Point2f(static_cast<float>(u), static_cast<float>(v)), patch);
      sampled.at<float>(row, column) = patch.at<float>(0, 0);
      covered.at<std::uint8_t>(row, column) = 1;
    }
  }
  const int count = cv::countNonZero(covered);
  if (count < kSide * kSide / 2) return {};
  // Least-squares intensity fit reference ~ gain * query + offset over the covered pixels.
  double sum_q = 0, sum_r = 0, sum_qq = 0, sum_qr = 0;
  for (int row = 0; row < kSide; ++row) {
    for (int column = 0; column < kSide; ++column) {
      if (!covered.at<std::uint8_t>(row, column)) continue;
      const double q = sampled.at<float>(row, column);
      const double r = reference.at<float>(row, column);
      sum_q += q;
      sum_r += r;
      sum_qq += q * q;
      sum_qr += q * r;
    }
  }
  const double variance = sum_qq - sum_q * sum_q / count;
  if (variance <= 1e-6) return {};
  const double gain = (sum_qr - sum_q * sum_r / count) / variance;
  const double offset = (sum_r - gain * sum_q) / count;
  if (gain < 0.2) return {};
  std::vector<float> residuals;
  cv::Mat residual(kSide, kSide, CV_32F, cv::Scalar(0));
  for (int row = 0; row < kSide; ++row) {
    for (int column = 0; column < kSide; ++column) {
      if (!covered.at<std::uint8_t>(row, column)) continue;
      const float value = static_cast<float>(
          std::abs(reference.at<float>(row, column) - (gain * sampled.at<float>(row, column) + offset)));
      residual.at<float>(row, column) = value;
      residuals.push_back(value);
    }
  }
  std::nth_element(residuals.begin(), residuals.begin() + residuals.size() / 2, residuals.end());
  const double limit = std::max(12.0, 3 * 1.4826 * residuals[residuals.size() / 2]);
  cv::Mat occluded = (residual > limit) & (covered > 0);
  cv::dilate(occluded, occluded, cv::Mat());
  const int occluded_count = cv::countNonZero(occluded & (covered > 0));
  if (occluded_count == 0 || occluded_count > max_share * count) return {};
  // Repaint the occluded thumbnail cells of the query with the registered image's content,
  // mapped into the query's intensities.
  cv::Mat repaired = oriented_query.clone();
  for (int y = 0; y < repaired.rows; ++y) {
    const double i = (alignment.top + alignment.height * (y + 0.5) / repaired.rows) * kSide - 0.5;
    const int cell_row = std::clamp(static_cast<int>(std::lround(i)), 0, kSide - 1);
    for (int x = 0; x < repaired.cols; ++x) {
      const double j = (alignment.left + alignment.width * (x + 0.5) / repaired.cols) * kSide - 0.5;
      const int cell_column = std::clamp(static_cast<int>(std::lround(j)), 0, kSide - 1);
      if (!occluded.at<std::uint8_t>(cell_row, cell_column)) continue;
      cv::Mat patch;
      cv::getRectSubPix(reference, cv::Size(1, 1), cv::Point2f(static_cast<float>(j), static_cast<float>(i)),
                        patch);
      const double value = (patch.at<float>(0, 0) - offset) / gain;
      repaired.at<std::uint8_t>(y, x) = cv::saturate_cast<std::uint8_t>(value);
    }
  }
  return repaired;
}

}  // namespace rightchain::fingerprint
