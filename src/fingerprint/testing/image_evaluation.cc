#include "fingerprint/testing/image_evaluation.h"

#include <algorithm>
#include <chrono>
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

}  // namespace

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
  auto record = [&](ImageOutcome& outcome, const std::vector<ImageMatch>& matches,
                    const std::vector<ImageMatch>& candidates, const std::string& expected_id,
                    const std::string& what, std::string_view transformation) {
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
    for (const ImageMatch& candidate : candidates) {
      const bool true_match = candidate.image_id == expected_id;
      if (candidate.hash_distance >= kVerifyFromDistance) {
        report.candidates.push_back(ImageEvaluationReport::Candidate{
            report.total_queries, true_match, std::string(transformation), candidate.hash_distance,
            candidate.alignment_score, candidate.aligned_distance});
      }
      if (!ImageIndex::Accepted(candidate)) continue;
      if (true_match) {
        matched = true;
      } else {
        false_matched = true;
        report.false_match_examples.push_back(what + " ~ " + candidate.image_id + " at " +
                                              std::to_string(candidate.hash_distance) + " (score " +
                                              std::to_string(candidate.alignment_score) + ", aligned " +
                                              std::to_string(candidate.aligned_distance) + ")");
      }
    }
    outcome.matched += matched;
    outcome.false_matched += false_matched;
    report.matched_queries_with_false_match += false_matched;
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
        record(outcome, {}, {}, original.id, "", name);
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
      record(outcome, HashOnlySearch(index, *query), candidates, original.id,
             original.id + " (" + std::string(name) + ")", name);
    }
  }
  for (const ImageItem& negative : corpus.negatives) {
    record(report.negatives, HashOnlySearch(index, negative.fingerprint),
           index.Candidates(negative.fingerprint), "", negative.id + " (negative)", "negative");
  }
  return report;
}

}  // namespace rightchain::fingerprint::testing
