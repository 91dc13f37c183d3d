#include "fingerprint/testing/image_evaluation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace rightchain::fingerprint::testing {
namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int Side(double fraction, int length) {
  return static_cast<int>(std::lround(fraction * length));
}

cv::Mat Resize(const cv::Mat& image, Random& random) {
  // Half the queries shrink (0.25x to 1x), half enlarge (1x to 2x); never below 32 pixels.
  const double scale = random.Chance(0.5) ? random.Between(0.25, 1.0) : random.Between(1.0, 2.0);
  const cv::Size size(std::max(32, Side(scale, image.cols)), std::max(32, Side(scale, image.rows)));
  cv::Mat out;
  cv::resize(image, out, size, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  return out;
}

cv::Mat Jpeg(const cv::Mat& image, Random& random) {
  std::vector<std::uint8_t> encoded;
  cv::imencode(".jpg", image, encoded, {cv::IMWRITE_JPEG_QUALITY, static_cast<int>(30 + random.Below(66))});
  return cv::imdecode(encoded, cv::IMREAD_COLOR);
}

// Cuts `width_cut` and `height_cut` (fractions of each side), each split at random between the
// two ends.
cv::Mat CutSides(const cv::Mat& image, double width_cut, double height_cut, Random& random) {
  const double left_share = random.Between(0, 1);
  const double top_share = random.Between(0, 1);
  const int left = Side(width_cut * left_share, image.cols);
  const int top = Side(height_cut * top_share, image.rows);
  const int width = image.cols - Side(width_cut, image.cols);
  const int height = image.rows - Side(height_cut, image.rows);
  return image(cv::Rect(left, top, width, height)).clone();
}

cv::Mat CropArea(const cv::Mat& image, Random& random) {
  const double kept_area = 1 - random.Between(0.02, 0.10);
  const double kept_width = random.Between(kept_area, 1.0);
  return CutSides(image, 1 - kept_width, 1 - kept_area / kept_width, random);
}

cv::Mat Pad(const cv::Mat& image, Random& random) {
  const int width_added = Side(random.Between(0.05, 0.10), image.cols);
  const int height_added = Side(random.Between(0.05, 0.10), image.rows);
  const int left = static_cast<int>(random.Below(width_added + 1));
  const int top = static_cast<int>(random.Below(height_added + 1));
  static const cv::Scalar kColours[] = {{0, 0, 0}, {255, 255, 255}, {128, 128, 128}, {40, 90, 200}};
  const cv::Scalar colour = kColours[random.Below(std::size(kColours))];
  cv::Mat out;
  cv::copyMakeBorder(image, out, top, height_added - top, left, width_added - left, cv::BORDER_CONSTANT,
                     colour);
  return out;
}

cv::Mat Overlay(const cv::Mat& image, Random& random) {
  static const char* kTexts[] = {"COPYRIGHT 2026", "www.example.com", "SAMPLE", "(c) Rightchain",
                                 "reposted by user123"};
  const std::string text = kTexts[random.Below(std::size(kTexts))];
  const int font = cv::FONT_HERSHEY_SIMPLEX;
  const double target_area = random.Between(0.05, 0.10) * image.cols * image.rows;
  int baseline = 0;
  const cv::Size unit = cv::getTextSize(text, font, 1.0, 2, &baseline);
  // Text area grows with the square of the scale; keep it inside the image width.
  double scale = std::sqrt(target_area / (static_cast<double>(unit.width) * (unit.height + baseline)));
  scale = std::min(scale, 0.95 * image.cols / unit.width);
  const int thickness = std::max(1, static_cast<int>(scale * 2));
  const cv::Size size = cv::getTextSize(text, font, scale, thickness, &baseline);
  const int x = static_cast<int>(random.Below(std::max(1, image.cols - size.width)));
  const int y =
      size.height + static_cast<int>(random.Below(std::max(1, image.rows - size.height - baseline)));
  cv::Mat out = image.clone();
  const cv::Scalar colour = random.Chance(0.5) ? cv::Scalar(255, 255, 255) : cv::Scalar(0, 0, 255);
  cv::putText(out, text, cv::Point(x, y), font, scale, colour, thickness, cv::LINE_AA);
  return out;
}

// The plain hash search (the first stage alone, exact to kEvaluationRadius).
std::vector<ImageMatch> HashOnlySearch(const ImageIndex& index, const ImageFingerprint& fingerprint) {
  std::vector<RegionHash> query;
  for (const RegionHash& hash : fingerprint.hashes) {
    if (hash.quality >= kMinQueryQuality && IsQueryRegion(hash.region)) query.push_back(hash);
  }
  return index.Search(query, kEvaluationRadius);
}

cv::Mat GreyFloat(const cv::Mat& image) {
  RC_ASSERT(image.depth() == CV_8U);
  cv::Mat grey;
  if (image.channels() == 3) {
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, grey, cv::COLOR_BGRA2GRAY);
  } else {
    grey = image;
  }
  cv::Mat out;
  grey.convertTo(out, CV_32F);
  return out;
}

// One of the 8 dihedral orientations: transposed or not, then mirrored in none, one or both axes.
cv::Mat Dihedral(const cv::Mat& image, int orientation) {
  cv::Mat turned = image;
  if (orientation & 4) {
    turned = cv::Mat();  // never in place: a square `image` would be transposed itself
    cv::transpose(image, turned);
  }
  static constexpr int kFlipCodes[] = {0, 1, 0, -1};  // none, left-right, top-bottom, both
  if ((orientation & 3) == 0) return turned.clone();
  cv::Mat out;  // a new matrix: flipping in place would change `image` through a shared header
  cv::flip(turned, out, kFlipCodes[orientation & 3]);
  return out;
}

// Resized by `scale` and lightly blurred, so that resampling differences do not lower the
// correlation of the same picture.
cv::Mat Resampled(const cv::Mat& image, double scale) {
  cv::Mat out;
  const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * scale))),
                      std::max(1, static_cast<int>(std::lround(image.rows * scale))));
  cv::resize(image, out, size, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::GaussianBlur(out, out, cv::Size(0, 0), 1.0);
  return out;
}

// The detail of an image: what a wide blur removes. One strong edge (a dark background beside a
// bright disc) correlates with many unrelated pictures; detail does not.
cv::Mat Detail(const cv::Mat& image) {
  cv::Mat smooth;
  cv::GaussianBlur(image, smooth, cv::Size(0, 0), 4.0);
  return image - smooth;
}

// The normalised correlation of two images of one size over the pixels of `mask`, and their
// standard deviations there.
struct MaskedStatistics {
  double correlation = 0;
  double mean_a = 0;
  double mean_b = 0;
  double deviation_a = 0;
  double deviation_b = 0;
};
MaskedStatistics MaskedCorrelation(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  cv::Scalar mean_a, deviation_a, mean_b, deviation_b;
  cv::meanStdDev(a, mean_a, deviation_a, mask);
  cv::meanStdDev(b, mean_b, deviation_b, mask);
  const cv::Mat product = a.mul(b);
  const double covariance = cv::mean(product, mask)[0] - mean_a[0] * mean_b[0];
  MaskedStatistics statistics{0, mean_a[0], mean_b[0], deviation_a[0], deviation_b[0]};
  if (deviation_a[0] > 1e-6 && deviation_b[0] > 1e-6)
    statistics.correlation = covariance / (deviation_a[0] * deviation_b[0]);
  return statistics;
}

// The pixels of `region` that agree with `piece` after a least-squares intensity fit (gain and
// offset): the residual within max(6, 3 robust standard deviations) grey levels. Marks drawn
// over one of them depart by far more.
cv::Mat AgreeingPixels(const cv::Mat& region, const cv::Mat& piece) {
  const cv::Mat all(piece.size(), CV_8U, cv::Scalar(1));
  const MaskedStatistics statistics = MaskedCorrelation(piece, region, all);
  if (statistics.deviation_a <= 1e-6) return cv::Mat(piece.size(), CV_8U, cv::Scalar(0));
  const double gain = statistics.correlation * statistics.deviation_b / statistics.deviation_a;
  const double offset = statistics.mean_b - gain * statistics.mean_a;
  cv::Mat residual = cv::abs(region - (piece * gain + offset));
  std::vector<float> values(residual.begin<float>(), residual.end<float>());
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  const double limit = std::max(6.0, 3 * 1.4826 * values[values.size() / 2]);
  return residual <= limit;
}

// How many cells of a kTextureGrid x kTextureGrid grid over two aligned images vary in both (see
// kMinTexturedCells).
int TexturedCells(const cv::Mat& a, const cv::Mat& b, const cv::Mat& unmarked) {
  int textured = 0;
  for (int row = 0; row < kTextureGrid; ++row) {
    for (int column = 0; column < kTextureGrid; ++column) {
      const cv::Rect cell(column * a.cols / kTextureGrid, row * a.rows / kTextureGrid, a.cols / kTextureGrid,
                          a.rows / kTextureGrid);
      if (cv::countNonZero(unmarked(cell)) < cell.area() / 2) continue;
      cv::Scalar mean, deviation_a, deviation_b;
      cv::meanStdDev(a(cell), mean, deviation_a, unmarked(cell));
      cv::meanStdDev(b(cell), mean, deviation_b, unmarked(cell));
      if (deviation_a[0] >= kMinCellDeviation && deviation_b[0] >= kMinCellDeviation) ++textured;
    }
  }
  return textured;
}

double StandardDeviation(const cv::Mat& image) {
  cv::Scalar mean;
  cv::Scalar deviation;
  cv::meanStdDev(image, mean, deviation);
  return deviation[0];
}

// The parts of the smaller image tried: all of it, then its centre and corners 3/4 of each side.
constexpr std::array<std::array<double, 4>, 6> kSharedParts = {{
    {0, 0, 1, 1},
    {0.125, 0.125, 0.75, 0.75},
    {0, 0, 0.75, 0.75},
    {0.25, 0, 0.75, 0.75},
    {0, 0.25, 0.75, 0.75},
    {0.25, 0.25, 0.75, 0.75},
}};
constexpr double kSharedPictureMinScale = 0.25;  // pixels of the larger per pixel of the smaller
constexpr double kSharedPictureMaxScale = 4.0;
constexpr double kSharedPictureScaleStep = 1.05;
constexpr int kMaxSharedSearchSidePixels = 640;  // the larger one, resampled, at most this long

}  // namespace

bool SharesPicture(const cv::Mat& a, const cv::Mat& b, SharedPictureEvidence* evidence) {
  if (a.empty() || b.empty()) return false;
  const bool a_smaller = static_cast<double>(a.cols) * a.rows <= static_cast<double>(b.cols) * b.rows;
  const cv::Mat smaller = GreyFloat(a_smaller ? a : b);
  const cv::Mat larger = GreyFloat(a_smaller ? b : a);
  const int smaller_side = std::min(smaller.cols, smaller.rows);
  const double working_scale = std::min(1.0, static_cast<double>(kSharedPictureSidePixels) / smaller_side);
  const cv::Mat template_source = Resampled(smaller, working_scale);
  // The parts of the smaller one, in every orientation, that have texture.
  struct Piece {
    cv::Mat pixels;
    cv::Mat detail;
    int orientation = 0;
  };
  std::vector<Piece> templates;
  for (int orientation = 0; orientation < 8; ++orientation) {
    const cv::Mat oriented = Dihedral(template_source, orientation);
    const cv::Mat oriented_detail = Detail(oriented);
    for (const auto& part : kSharedParts) {
      const cv::Rect rect(
          static_cast<int>(part[0] * oriented.cols), static_cast<int>(part[1] * oriented.rows),
          static_cast<int>(part[2] * oriented.cols), static_cast<int>(part[3] * oriented.rows));
      if (rect.width < 8 || rect.height < 8) continue;
      cv::Mat piece = oriented(rect).clone();
      if (StandardDeviation(piece) >= kMinSharedPictureStddev) {
        templates.push_back(Piece{std::move(piece), oriented_detail(rect).clone(), orientation});
      }
    }
  }
  if (templates.empty()) return false;
  // Scales nearest 1 first: most shared pictures are at similar resolutions.
  std::vector<double> scales;
  for (double scale = 1; scale <= kSharedPictureMaxScale; scale *= kSharedPictureScaleStep)
    scales.push_back(scale);
  for (double scale = 1 / kSharedPictureScaleStep; scale >= kSharedPictureMinScale;
       scale /= kSharedPictureScaleStep)
    scales.push_back(scale);
  std::sort(scales.begin(), scales.end(),
            [](double x, double y) { return std::abs(std::log(x)) < std::abs(std::log(y)); });
  for (double scale : scales) {
    // `scale` pixels of the larger per pixel of the smaller: resample the larger to the
    // template's resolution.
    const double larger_scale = working_scale / scale;
    if (std::max(larger.cols, larger.rows) * larger_scale > kMaxSharedSearchSidePixels) continue;
    const cv::Mat search = Resampled(larger, larger_scale);
    const cv::Mat search_detail = Detail(search);
    for (const auto& [piece, piece_detail, orientation] : templates) {
      if (piece.cols > search.cols || piece.rows > search.rows) continue;
      cv::Mat correlation;
      cv::matchTemplate(search, piece, correlation, cv::TM_CCOEFF_NORMED);
      double best = 0;
      cv::Point where;
      cv::minMaxLoc(correlation, nullptr, &best, nullptr, &where);
      if (best < kMinMarkedPictureCorrelation) continue;
      const cv::Rect region(where, piece.size());
      // Below the correlation floor, only the pixels no mark covers may share (see the header).
      cv::Mat unmarked(piece.size(), CV_8U, cv::Scalar(255));
      if (best < kMinSharedPictureCorrelation) {
        unmarked = AgreeingPixels(search(region), piece);
        if (cv::countNonZero(unmarked) < kMinUnmarkedShare * piece.total()) continue;
      }
      const MaskedStatistics shapes = MaskedCorrelation(search(region), piece, unmarked);
      if (best < kMinSharedPictureCorrelation) {  // the unmarked pixels must correlate by themselves
        if (shapes.correlation < kMinSharedPictureCorrelation) continue;
        best = shapes.correlation;
      }
      // The larger's region must have texture too (a flat region correlates unreliably), and the
      // detail must agree as well as the shapes.
      if (shapes.deviation_a < kMinSharedPictureStddev || shapes.deviation_b < kMinSharedPictureStddev)
        continue;
      const double detail_correlation =
          MaskedCorrelation(search_detail(region), piece_detail, unmarked).correlation;
      if (detail_correlation < kMinSharedDetailCorrelation) continue;
      const int textured_cells = TexturedCells(search(region), piece, unmarked);
      if (textured_cells < kMinTexturedCells) continue;
      if (evidence != nullptr) {
        const double share = static_cast<double>(cv::countNonZero(unmarked)) / piece.total();
        *evidence =
            SharedPictureEvidence{best, detail_correlation, scale, orientation, share, textured_cells};
      }
      return true;
    }
  }
  return false;
}

std::string_view ImageTransformationName(ImageTransformation transformation) {
  switch (transformation) {
    case ImageTransformation::kResize: return "resize";
    case ImageTransformation::kJpeg: return "jpeg";
    case ImageTransformation::kGreyscale: return "greyscale";
    case ImageTransformation::kBrightnessContrast: return "brightness_contrast";
    case ImageTransformation::kBlur: return "blur";
    case ImageTransformation::kFlip: return "flip";
    case ImageTransformation::kRotate: return "rotate";
    case ImageTransformation::kCrop: return "crop";
    case ImageTransformation::kCropSides: return "crop_sides";
    case ImageTransformation::kPadding: return "padding";
    case ImageTransformation::kOverlay: return "overlay";
  }
  return "unknown";
}

bool IsMildTransformation(ImageTransformation transformation) {
  return transformation != ImageTransformation::kCrop && transformation != ImageTransformation::kCropSides &&
         transformation != ImageTransformation::kPadding && transformation != ImageTransformation::kOverlay;
}

cv::Mat TransformImage(const cv::Mat& image, ImageTransformation transformation, Random& random) {
  cv::Mat out;
  switch (transformation) {
    case ImageTransformation::kResize: return Resize(image, random);
    case ImageTransformation::kJpeg: return Jpeg(image, random);
    case ImageTransformation::kGreyscale: cv::cvtColor(image, out, cv::COLOR_BGR2GRAY); return out;
    case ImageTransformation::kBrightnessContrast: {
      const double contrast = random.Between(0.7, 1.3);
      const double brightness = random.Between(-0.3, 0.3) * 255 * 0.5;  // +-30% of mid-grey
      image.convertTo(out, -1, contrast, brightness + 128 * (1 - contrast));
      return out;
    }
    case ImageTransformation::kBlur: {
      cv::GaussianBlur(image, out, cv::Size(0, 0), random.Between(1.0, 2.5));
      return out;
    }
    case ImageTransformation::kFlip: cv::flip(image, out, random.Chance(0.5) ? 1 : 0); return out;
    case ImageTransformation::kRotate: {
      static const cv::RotateFlags kTurns[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180,
                                               cv::ROTATE_90_COUNTERCLOCKWISE};
      cv::rotate(image, out, kTurns[random.Below(3)]);
      return out;
    }
    case ImageTransformation::kCrop: return CropArea(image, random);
    case ImageTransformation::kCropSides:
      return CutSides(image, random.Between(0.05, 0.10), random.Between(0.05, 0.10), random);
    case ImageTransformation::kPadding: return Pad(image, random);
    case ImageTransformation::kOverlay: return Overlay(image, random);
  }
  return image;
}

Result<ImageEvaluationReport> EvaluateImages(const ImageCorpus& corpus, std::uint64_t seed) {
  ImageEvaluationReport report;
  ImageIndex index;
  for (const std::vector<ImageItem>* items : {&corpus.originals, &corpus.distractors}) {
    for (const ImageItem& item : *items) RC_RETURN_IF_ERROR(index.AddFingerprint(item.id, item.fingerprint));
  }
  index.Compact();
  report.indexed_images = index.size();
  report.indexed_hashes = index.entry_count();
  report.index_memory_bytes = index.MemoryUsageBytes();

  // Records one query: the hash-only distances (`matches`, an exact search) of `expected_id`
  // (if any) and of others, and the two-stage candidates.
  // `query_id`: the item whose pixels the query shows (its original, or the negative itself),
  // decoded again only when another item is matched, to tell a shared picture from a false match.
  auto record = [&](ImageOutcome& outcome, const std::vector<ImageMatch>& matches,
                    const std::vector<ImageMatch>& candidates, const std::string& expected_id,
                    const std::string& query_id, const std::string& what, std::string_view transformation) {
    ++outcome.queries;
    ++report.total_queries;
    int expected = kEvaluationRadius + 1;
    int other = kEvaluationRadius + 1;
    for (const ImageMatch& match : matches) {
      if (match.image_id == expected_id) {
        expected = std::min(expected, match.distance);
      } else {
        other = std::min(other, match.distance);
      }
    }
    bool matched = false;
    bool false_matched = false;
    bool shared_picture_matched = false;
    cv::Mat query_pixels;
    for (const ImageMatch& candidate : candidates) {
      const bool true_match = candidate.image_id == expected_id;
      const bool accepted = ImageIndex::Accepted(candidate);
      report.candidates.push_back(ImageEvaluationReport::Candidate{
          report.total_queries, true_match, std::string(transformation), candidate.hash_distance,
          candidate.alignment_score, candidate.aligned_distance, candidate.query_quality,
          candidate.registered_quality, candidate.query_detail_bits, candidate.registered_detail_bits,
          ImageEvaluationReport::kUnclassified, accepted});
      if (true_match) {
        matched |= accepted;
        continue;
      }
      // Another item: told shared or false when accepted, and (for calibration) within the match
      // distance even when refused.
      if (!accepted && candidate.hash_distance > kImageMatchDistance) continue;
      if (query_pixels.empty()) {
        Result<cv::Mat> decoded = DecodeItemPixels(query_id);
        if (decoded.ok()) query_pixels = std::move(*decoded);
      }
      Result<cv::Mat> matched_pixels = DecodeItemPixels(candidate.image_id);
      SharedPictureEvidence evidence;
      const bool shared = matched_pixels.ok() && SharesPicture(query_pixels, *matched_pixels, &evidence);
      report.candidates.back().other_item =
          shared ? ImageEvaluationReport::kSharedPicture : ImageEvaluationReport::kFalseMatch;
      if (!accepted) continue;
      std::string example = what + " ~ " + candidate.image_id + " at " +
                            std::to_string(candidate.hash_distance) + " (score " +
                            std::to_string(candidate.alignment_score) + ", aligned " +
                            std::to_string(candidate.aligned_distance) + ")";
      if (shared) {
        char pixels[160];
        std::snprintf(pixels, sizeof pixels,
                      "; pixels: correlation %.3f, detail %.3f, scale %.2f, orientation %d, unmarked %.2f, "
                      "textured cells %d",
                      evidence.correlation, evidence.detail_correlation, evidence.scale, evidence.orientation,
                      evidence.unmarked_share, evidence.textured_cells);
        example += pixels;
        shared_picture_matched = true;
        ++report.shared_picture_matches;
        report.shared_picture_examples.push_back(example);
      } else {
        false_matched = true;
        ++report.false_matches;
        report.false_match_examples.push_back(example);
      }
    }
    outcome.matched += matched;
    outcome.false_matched += false_matched;
    outcome.shared_picture_matched += shared_picture_matched;
    report.matched_queries_with_false_match += false_matched;
    report.matched_queries_with_shared_picture += shared_picture_matched;
    for (int threshold = 0; threshold <= kEvaluationRadius; ++threshold) {
      outcome.recalled_within[threshold] += expected <= threshold;
      outcome.false_within[threshold] += other <= threshold;
      report.false_queries_within[threshold] += other <= threshold;
    }
  };

  Random random(seed ^ 0x1a5e);
  for (const ImageItem& original : corpus.originals) {
    for (ImageTransformation transformation : kAllImageTransformations) {
      ImageOutcome& outcome = report.outcomes[transformation];
      const cv::Mat copy = TransformImage(original.pixels, transformation, random);
      const auto start = Clock::now();
      Result<ImageFingerprint> query = FingerprintImage(copy, ImageHashing::kQuery);
      report.fingerprint_milliseconds.push_back(MillisecondsSince(start));
      const std::string_view name = ImageTransformationName(transformation);
      if (!query.ok()) {
        ++outcome.failed;
        record(outcome, {}, {}, original.id, original.id, "", name);
        continue;
      }
      const auto search_start = Clock::now();
      ImageMatchCosts costs;
      const std::vector<ImageMatch> candidates = index.Candidates(*query, &costs);
      report.search_milliseconds.push_back(MillisecondsSince(search_start));
      report.candidate_search_milliseconds.push_back(costs.search_milliseconds);
      report.verification_milliseconds.push_back(costs.verification_milliseconds);
      if (costs.verified > 0) {
        report.verification_milliseconds_per_candidate.push_back(costs.verification_milliseconds /
                                                                 static_cast<double>(costs.verified));
      }
      report.verified_candidates += costs.verified;
      record(outcome, HashOnlySearch(index, *query), candidates, original.id, original.id,
             original.id + " (" + std::string(name) + ")", name);
    }
  }
  for (const ImageItem& negative : corpus.negatives) {
    record(report.negatives, HashOnlySearch(index, negative.fingerprint),
           index.Candidates(negative.fingerprint), "", negative.id, negative.id + " (negative)", "negative");
  }
  return report;
}

}  // namespace rightchain::fingerprint::testing
