#include "fingerprint/testing/image_corpus.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <unordered_map>
#include <opencv2/imgproc.hpp>

#include "fingerprint/image_index.h"
#include "fingerprint/media_fingerprint.h"
#include "fingerprint/testing/transform.h"

namespace rightchain::fingerprint::testing {
namespace {

namespace fs = std::filesystem;

std::string LowerExtension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// Pictures, not drawings: the HTML manual of opencv-doc holds thousands of generated class
// diagrams and screenshots (PNG) besides its photographs (JPEG), so only its JPEGs are taken;
// its sample data and every other package's pictures are taken whatever their format.
bool IsPictureFile(const fs::path& path) {
  const std::string extension = LowerExtension(path);
  if (path.string().find("/opencv-doc/opencv4/html/") != std::string::npos) {
    // Not the numbered tutorial screenshots ("01_overview_single.jpg" ...): most are of the cvv
    // debugging GUI, which shows one photograph in several panels with different lines drawn
    // over it, so their tiles are copies of each other with an overlay: pairs the matcher
    // rightly finds, and no photographs (the corpus wants photographs and distinct items).
    const std::string name = path.filename().string();
    if (name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) &&
        std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '_') {
      return false;
    }
    return extension == ".jpg" || extension == ".jpeg";
  }
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".webp" ||
         extension == ".tif" || extension == ".tiff" || extension == ".bmp";
}

cv::Mat Shrink(const cv::Mat& image, int max_side) {
  const int longer = std::max(image.cols, image.rows);
  if (longer <= max_side) return image.clone();
  const double scale = static_cast<double>(max_side) / longer;
  cv::Mat out;
  cv::resize(image, out,
             cv::Size(std::max(1, static_cast<int>(image.cols * scale)),
                      std::max(1, static_cast<int>(image.rows * scale))),
             0, 0, cv::INTER_AREA);
  return out;
}

// The whole picture and its tiles, named.
std::vector<std::pair<std::string, cv::Mat>> Items(const std::string& name, const cv::Mat& picture) {
  std::vector<std::pair<std::string, cv::Mat>> items;
  if (std::min(picture.cols, picture.rows) < kMinCorpusSidePixels) return items;
  items.emplace_back(name, picture);
  for (int side : kTileSidesPixels) {
    if (std::min(picture.cols, picture.rows) < 2 * side) continue;
    for (int y = 0; y + side <= picture.rows; y += side) {
      for (int x = 0; x + side <= picture.cols; x += side) {
        items.emplace_back(
            name + "#tile" + std::to_string(side) + "@" + std::to_string(x) + "," + std::to_string(y),
            picture(cv::Rect(x, y, side, side)));
      }
    }
  }
  return items;
}

Status AddQueries(ImageIndex& index, const std::string& id, const ImageFingerprint& fingerprint) {
  std::vector<IndexedImageHash> hashes;
  for (const RegionHash& hash : fingerprint.hashes) {
    // The quality the matcher queries with (lower than a registration's): a query sub-region
    // of little detail matches too, and deduplication must see every match the harness will.
    if (IsQueryRegion(hash.region) && hash.quality >= kMinQueryQuality) {
      hashes.push_back(IndexedImageHash{hash.hash, hash.region, hash.quality});
    }
  }
  return hashes.empty() ? Status::Ok() : index.Add(id, hashes);
}

// The query half of a kBoth fingerprint: its query hashes and trimmed luminance.
ImageFingerprint QueryPart(const ImageFingerprint& fingerprint) {
  ImageFingerprint query;
  query.trimmed_luma = fingerprint.trimmed_luma;
  for (const RegionHash& hash : fingerprint.hashes) {
    if (IsQueryRegion(hash.region)) query.hashes.push_back(hash);
  }
  return query;
}

// Whether a candidate (ImageIndex::Candidates) is near enough to count as the same picture for
// the corpus: what the matcher accepts, widened by kDeduplicationMarginBits. Transformations
// move a hash by a few bits, so two items exactly at the edge of the match distance would match
// once one of them is re-encoded or blurred (two mirror-image corners of one photograph did:
// the matcher accepts flips on purpose); the corpus must hold items the matcher can tell apart
// after any transformation it is tested with.
bool NearDuplicate(const ImageMatch& candidate) {
  constexpr int kDistance = kImageMatchDistance + kDeduplicationMarginBits;
  if (candidate.hash_distance <= kDistance) return true;
  return candidate.verified && candidate.alignment_score >= kMinAlignmentScore - kDeduplicationAlignmentSlack &&
         candidate.aligned_distance >= 0 && candidate.aligned_distance <= kDistance;
}

bool AnyNearDuplicate(const std::vector<ImageMatch>& candidates) {
  return std::any_of(candidates.begin(), candidates.end(), NearDuplicate);
}

// Whether a kept item, as a query, matches the registration of `fingerprint` (two-stage): the
// kept queries' hashes near the registration's propose, and an index of the item alone decides.
bool MatchesKeptQueries(const ImageIndex& kept_queries,
                        const std::unordered_map<std::string, ImageFingerprint>& kept_query_fingerprints,
                        const ImageFingerprint& fingerprint) {
  ImageFingerprint registration;
  for (const RegionHash& hash : fingerprint.hashes) {
    if (hash.dihedral == 0 && hash.quality >= kMinImageQuality) {
      registration.hashes.push_back(RegionHash{hash.hash, 0, 0, hash.quality});  // as a query region
    }
  }
  const std::vector<ImageMatch> candidates = kept_queries.Candidates(registration);
  if (candidates.empty()) return false;
  ImageIndex item;
  if (!item.AddFingerprint("item", fingerprint).ok()) return false;
  for (const ImageMatch& candidate : candidates) {
    if (NearDuplicate(candidate)) return true;
    if (AnyNearDuplicate(item.Candidates(kept_query_fingerprints.at(candidate.image_id)))) return true;
  }
  return false;
}

bool Complete(const ImageCorpus& corpus, const ImageCorpusOptions& options) {
  return corpus.originals.size() >= options.originals && corpus.negatives.size() >= options.negatives &&
         corpus.distractors.size() >= options.distractors;
}

}  // namespace

std::vector<std::string> PictureFiles() {
  std::vector<std::string> files;
  for (const std::string& root : ImageSourceDirectories()) {
    std::error_code error;
    if (!fs::is_directory(root, error)) continue;
    for (auto it =
             fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      std::error_code entry_error;
      if (it->is_regular_file(entry_error) && IsPictureFile(it->path())) files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> ImageSourceDirectories() {
  return {"/usr/share/backgrounds", "/usr/share/desktop-base", "/usr/lib/python3/dist-packages/skimage/data",
          "/usr/share/doc/opencv-doc"};
}

Result<cv::Mat> DecodeItemPixels(std::string_view id) {
  const std::size_t tile_mark = id.rfind("#tile");
  const std::string file(id.substr(0, tile_mark));
  RC_ASSIGN_OR_RETURN(Bytes bytes, ReadFileBytes(file, kMaxImageFileSizeBytes));
  RC_ASSIGN_OR_RETURN(cv::Mat picture, DecodeImage(bytes));
  if (tile_mark == std::string_view::npos) return picture;
  int side = 0;
  int x = 0;
  int y = 0;
  const std::string tile(id.substr(tile_mark));
  if (std::sscanf(tile.c_str(), "#tile%d@%d,%d", &side, &x, &y) != 3 || side <= 0 || x < 0 || y < 0 ||
      x + side > picture.cols || y + side > picture.rows) {
    return Status::InvalidArgument("not a tile of its picture: " + std::string(id));
  }
  return picture(cv::Rect(x, y, side, side)).clone();
}

Result<ImageCorpus> BuildImageCorpus(const ImageCorpusOptions& options) {
  std::vector<std::string> files = PictureFiles();
  if (files.empty()) {
    return Status::Unavailable("no pictures found for the image corpus: install " +
                               std::string(kImageCorpusPackages) + " (scripts/install-deps does)");
  }
  // A seeded order, so that a small corpus still draws from every package.
  Random random(options.seed);
  for (std::size_t index = files.size(); index > 1; --index)
    std::swap(files[index - 1], files[random.Below(index)]);

  ImageCorpus corpus;
  ImageIndex kept;          // every kept item's registration hashes
  ImageIndex kept_queries;  // and its query hashes
  std::unordered_map<std::string, ImageFingerprint> kept_query_fingerprints;  // for verifying those
  const std::size_t wanted = options.originals + options.negatives + options.distractors;
  for (const std::string& file : files) {
    if (Complete(corpus, options)) break;
    Result<Bytes> bytes = ReadFileBytes(file, kMaxImageFileSizeBytes);
    if (!bytes.ok()) continue;
    Result<cv::Mat> picture = DecodeImage(*bytes);
    if (!picture.ok())
      continue;  // a few shipped files are not decodable (SVG in disguise, 16-bit TIFF stacks)
    ++corpus.source_files;
    // Originals are photographs (the JPEG files): PDQ is designed for photos, and the rendered
    // wallpapers' repetitive patterns (truchet tiles, pixel grids) serve as distractors.
    const std::string extension = LowerExtension(file);
    const bool photograph = extension == ".jpg" || extension == ".jpeg";
    // Originals are at least kMinOriginalSidePixels a side: shrunk to a quarter they still have
    // the 64 pixels a side that the hash samples.
    for (auto& [id, pixels] : Items(file, *picture)) {
      if (Complete(corpus, options)) break;
      ++corpus.candidates;
      Result<ImageFingerprint> fingerprint = FingerprintImage(pixels, ImageHashing::kBoth);
      if (!fingerprint.ok() || fingerprint->quality() < kMinImageQuality) {
        ++corpus.dropped_low_quality;
        continue;
      }
      // Both ways, with two-stage matching: the item as a query against kept registrations, and
      // kept items as queries against the item's registration (a tile may contain a kept item's
      // region, or the other way round; the packages also ship the same picture cropped, and
      // wallpapers whose tiles repeat).
      if (AnyNearDuplicate(kept.Candidates(*fingerprint)) ||
          MatchesKeptQueries(kept_queries, kept_query_fingerprints, *fingerprint)) {
        ++corpus.dropped_duplicates;
        continue;
      }
      RC_RETURN_IF_ERROR(kept.AddFingerprint(id, *fingerprint));
      RC_RETURN_IF_ERROR(AddQueries(kept_queries, id, *fingerprint));
      kept_query_fingerprints.emplace(id, QueryPart(*fingerprint));
      // Deal: originals and negatives at the rate that fills them alongside the distractors.
      ImageItem item{id, std::move(*fingerprint), {}};
      const double draw = random.Between(0, 1);
      // Photographs of 256 pixels or more are a minority of the items: 40% become originals.
      const double original_share = 0.4;
      const double negative_share = static_cast<double>(options.negatives) / wanted;
      const bool can_be_original = photograph && std::min(pixels.cols, pixels.rows) >= kMinOriginalSidePixels;
      if (can_be_original && draw < original_share && corpus.originals.size() < options.originals) {
        item.pixels = Shrink(pixels, kMaxOriginalSidePixels);
        item.fingerprint.trimmed_luma.release();
        corpus.originals.push_back(std::move(item));
      } else if (draw < original_share + negative_share && corpus.negatives.size() < options.negatives) {
        corpus.negatives.push_back(std::move(item));
      } else if (corpus.distractors.size() < options.distractors) {
        item.fingerprint.trimmed_luma.release();  // only queries need it
        corpus.distractors.push_back(std::move(item));
      } else if (can_be_original && corpus.originals.size() < options.originals) {
        item.pixels = Shrink(pixels, kMaxOriginalSidePixels);
        item.fingerprint.trimmed_luma.release();
        corpus.originals.push_back(std::move(item));
      } else if (corpus.negatives.size() < options.negatives) {
        corpus.negatives.push_back(std::move(item));
      }
    }
  }
  if (corpus.originals.size() < options.originals || corpus.distractors.size() < options.distractors) {
    return Status::Unavailable("the image corpus has only " + std::to_string(corpus.originals.size()) +
                               " originals and " + std::to_string(corpus.distractors.size()) +
                               " distractors after deduplication; are " + std::string(kImageCorpusPackages) +
                               " installed?");
  }
  return corpus;
}

}  // namespace rightchain::fingerprint::testing
