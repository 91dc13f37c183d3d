#include "fingerprint/image_index.h"

#include "fingerprint/index_file.h"

#include <time.h>
#include <algorithm>

#include <map>
#include <numeric>

#include "base/file.h"
#include "fingerprint/binary_io.h"

namespace rightchain::fingerprint {
namespace {

constexpr std::string_view kMagic = "RCII";

// CPU time of the calling thread: on a shared machine wall time overstates a query's cost.
double ThreadCpuMilliseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) * 1e-6;
}
// Format 2 added the verification thumbnails (algorithm version 2).
constexpr std::uint32_t kFormatVersion = 2;
constexpr std::uint32_t kFirstFormatVersion = 1;
constexpr std::size_t kMinPendingBeforeRebuild = 4096;
constexpr std::size_t kEncodedHashSizeBytes = 2 + 32;
constexpr std::size_t kEncodedThumbnailSizeBytes = 2 + 2 + kThumbnailPixelCount;
constexpr std::size_t kCentre80Region = 1;
constexpr std::size_t kMaxIndexFileSizeBytes = std::size_t{16} << 30;
// How far ahead candidate hashes are prefetched while checking distances.
constexpr std::size_t kPrefetchDistance = 16;

Status CheckId(std::string_view image_id) {
  if (image_id.empty()) return Status::InvalidArgument("image id is empty");
  if (image_id.size() > kMaxImageIdSizeBytes) {
    return Status::InvalidArgument("image id is longer than " + std::to_string(kMaxImageIdSizeBytes) +
                                   " bytes");
  }
  return Status::Ok();
}

}  // namespace

Status ImageIndex::Add(std::string_view image_id, std::span<const IndexedImageHash> hashes,
                       ImageThumbnail thumbnail) {
  RC_RETURN_IF_ERROR(CheckId(image_id));
  if (const Status checked = CheckThumbnail(thumbnail); !checked.ok()) {
    return Status::InvalidArgument(std::string(checked.message()));
  }
  if (hashes.empty() || hashes.size() > kMaxHashesPerImage) {
    return Status::InvalidArgument("an image needs 1 to " + std::to_string(kMaxHashesPerImage) + " hashes");
  }
  if (Contains(image_id)) return Status::AlreadyExists("image id already indexed: " + std::string(image_id));
  if (size() >= kMaxIndexedImages || hashes_.size() + hashes.size() > UINT32_MAX) {
    return Status::LimitExceeded("image index is full");
  }
  if (images_.size() >= UINT32_MAX) Compact();
  const auto slot = static_cast<std::uint32_t>(images_.size());
  std::uint32_t thumbnail_index = kNoThumbnail;
  if (!thumbnail.empty()) {
    thumbnail_index = static_cast<std::uint32_t>(thumbnails_.size());
    thumbnails_.push_back(std::move(thumbnail));
  }
  images_.push_back(Image{std::string(image_id), static_cast<std::uint32_t>(hashes_.size()),
                          static_cast<std::uint32_t>(hashes.size()), thumbnail_index});
  id_to_slot_.emplace(std::string(image_id), slot);
  for (const IndexedImageHash& hash : hashes) {
    hashes_.push_back(hash.hash);
    entry_slot_.push_back(slot);
    entry_region_.push_back(hash.region);
    entry_quality_.push_back(hash.quality);
  }
  MaybeRebuild();
  return Status::Ok();
}

Status ImageIndex::AddFingerprint(std::string_view image_id, const ImageFingerprint& fingerprint) {
  std::vector<IndexedImageHash> hashes;
  for (const RegionHash& hash : fingerprint.hashes) {
    if (hash.quality >= kMinImageQuality && hash.dihedral == 0) {
      hashes.push_back(IndexedImageHash{hash.hash, hash.region, hash.quality});
    }
  }
  if (hashes.empty()) {
    return Status::InvalidArgument("image has too little detail to be recognised reliably (quality " +
                                   std::to_string(fingerprint.quality()) + ", at least " +
                                   std::to_string(kMinImageQuality) + " needed)");
  }
  return Add(image_id, hashes, fingerprint.thumbnail);
}

Status ImageIndex::Remove(std::string_view image_id) {
  const auto found = id_to_slot_.find(std::string(image_id));
  if (found == id_to_slot_.end()) return Status::NotFound("image id not indexed: " + std::string(image_id));
  Image& image = images_[found->second];
  dead_entry_count_ += image.entry_count;
  image.id.clear();
  if (image.thumbnail != kNoThumbnail) {
    thumbnails_[image.thumbnail].pixels = {};  // freed at once; the slot goes at compaction
    image.thumbnail = kNoThumbnail;
  }
  id_to_slot_.erase(found);
  if (dead_entry_count_ > hashes_.size() / 4) Compact();
  return Status::Ok();
}

void ImageIndex::MaybeRebuild() {
  const std::size_t pending = hashes_.size() - built_entry_count_;
  if (pending >= std::max(kMinPendingBeforeRebuild, built_entry_count_ / 4)) RebuildTables();
}

void ImageIndex::Compact() {
  std::vector<Image> images;
  std::vector<ImageHash> hashes;
  std::vector<std::uint32_t> entry_slot;
  std::vector<std::uint8_t> entry_region;
  std::vector<std::uint8_t> entry_quality;
  std::vector<ImageThumbnail> thumbnails;
  hashes.reserve(entry_count());
  id_to_slot_.clear();
  for (const Image& image : images_) {
    if (image.id.empty()) continue;
    const auto slot = static_cast<std::uint32_t>(images.size());
    std::uint32_t thumbnail_index = kNoThumbnail;
    if (image.thumbnail != kNoThumbnail) {
      thumbnail_index = static_cast<std::uint32_t>(thumbnails.size());
      thumbnails.push_back(std::move(thumbnails_[image.thumbnail]));
    }
    images.push_back(
        Image{image.id, static_cast<std::uint32_t>(hashes.size()), image.entry_count, thumbnail_index});
    id_to_slot_.emplace(image.id, slot);
    for (std::uint32_t entry = image.first_entry; entry < image.first_entry + image.entry_count; ++entry) {
      hashes.push_back(hashes_[entry]);
      entry_slot.push_back(slot);
      entry_region.push_back(entry_region_[entry]);
      entry_quality.push_back(entry_quality_[entry]);
    }
  }
  images_ = std::move(images);
  hashes_ = std::move(hashes);
  entry_slot_ = std::move(entry_slot);
  entry_region_ = std::move(entry_region);
  entry_quality_ = std::move(entry_quality);
  thumbnails_ = std::move(thumbnails);
  dead_entry_count_ = 0;
  RebuildTables();
}

void ImageIndex::RebuildTables() {
  tables_.resize(kChunkCount);
  const auto entry_total = static_cast<std::uint32_t>(hashes_.size());
  for (int chunk = 0; chunk < kChunkCount; ++chunk) {
    Table& table = tables_[chunk];
    table.offsets.assign(kBucketCount + 1, 0);
    for (std::uint32_t entry = 0; entry < entry_total; ++entry)
      ++table.offsets[Chunk(hashes_[entry], chunk) + 1];
    std::partial_sum(table.offsets.begin(), table.offsets.end(), table.offsets.begin());
    table.entries.resize(entry_total);
    std::vector<std::uint32_t> cursor(table.offsets.begin(), table.offsets.end() - 1);
    for (std::uint32_t entry = 0; entry < entry_total; ++entry) {
      table.entries[cursor[Chunk(hashes_[entry], chunk)]++] = entry;
    }
  }
  built_entry_count_ = hashes_.size();
}

std::vector<ImageMatch> ImageIndex::Search(std::span<const RegionHash> query, int max_distance) const {
  RC_ASSERT(max_distance >= 0 && max_distance <= kMaxImageSearchDistance);
  // Pigeonhole: some chunk is this close, so probing this far in every chunk is exact.
  return SearchProbing(query, max_distance, max_distance / kChunkCount);
}

std::vector<ImageMatch> ImageIndex::SearchProbing(std::span<const RegionHash> query, int max_distance,
                                                  int chunk_radius) const {
  struct Best {
    int distance;
    std::uint32_t entry;
    std::size_t query_index;
  };
  std::unordered_map<std::uint32_t, Best> best_by_slot;
  auto consider = [&](std::uint32_t entry, std::size_t query_index) {
    const int distance = HammingDistance(hashes_[entry], query[query_index].hash);
    if (distance > max_distance) return;
    const std::uint32_t slot = entry_slot_[entry];
    if (images_[slot].id.empty()) return;  // removed, not yet compacted
    auto [it, inserted] = best_by_slot.try_emplace(slot, Best{distance, entry, query_index});
    if (!inserted && distance < it->second.distance) it->second = Best{distance, entry, query_index};
  };

  std::vector<std::uint32_t> candidates;
  for (std::size_t query_index = 0; query_index < query.size(); ++query_index) {
    const ImageHash& hash = query[query_index].hash;
    candidates.clear();
    if (!tables_.empty()) {
      for (int chunk = 0; chunk < kChunkCount; ++chunk) {
        const Table& table = tables_[chunk];
        const std::uint32_t value = Chunk(hash, chunk);
        auto gather = [&](std::uint32_t bucket) {
          candidates.insert(candidates.end(), table.entries.begin() + table.offsets[bucket],
                            table.entries.begin() + table.offsets[bucket + 1]);
        };
        gather(value);
        for (int bit = 0; bit < kChunkBits && chunk_radius >= 1; ++bit) {
          gather(value ^ (1u << bit));
          for (int second = bit + 1; second < kChunkBits && chunk_radius >= 2; ++second) {
            gather(value ^ (1u << bit) ^ (1u << second));
          }
        }
      }
    }
    // Candidate hashes are scattered over memory: fetch ahead so the misses overlap.
    for (std::size_t index = 0; index < candidates.size(); ++index) {
      if (index + kPrefetchDistance < candidates.size()) {
        __builtin_prefetch(&hashes_[candidates[index + kPrefetchDistance]]);
      }
      consider(candidates[index], query_index);
    }
    for (std::size_t entry = built_entry_count_; entry < hashes_.size(); ++entry) {
      consider(static_cast<std::uint32_t>(entry), query_index);
    }
  }

  std::vector<ImageMatch> matches;
  matches.reserve(best_by_slot.size());
  for (const auto& [slot, best] : best_by_slot) {
    const RegionHash& query_hash = query[best.query_index];
    ImageMatch match{images_[slot].id,  best.distance,       entry_region_[best.entry],
                     query_hash.region, query_hash.dihedral, best.distance};
    match.query_quality = query_hash.quality;
    match.registered_quality = entry_quality_[best.entry];
    matches.push_back(std::move(match));
  }
  std::sort(matches.begin(), matches.end(), [](const ImageMatch& a, const ImageMatch& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.image_id < b.image_id;
  });
  return matches;
}

void ImageIndex::Verify(ImageMatch& candidate, std::uint32_t slot, const cv::Mat& oriented_query) const {
  const Image& image = images_[slot];
  RC_ASSERT(image.thumbnail != kNoThumbnail);
  const std::optional<ImageAlignment> alignment = AlignQuery(thumbnails_[image.thumbnail], oriented_query);
  if (alignment) candidate.alignment_score = alignment->score;
  // Within the match distance the alignment only accepts or vetoes, and a copy with a border
  // trimming left holds the whole registered picture rather than a part: that placement counts.
  if (candidate.hash_distance <= kImageMatchDistance && candidate.alignment_score < kMinAlignmentScore) {
    const std::optional<ImageAlignment> padded =
        AlignPaddedQuery(thumbnails_[image.thumbnail], oriented_query);
    if (padded && padded->score > candidate.alignment_score) candidate.alignment_score = padded->score;
  }
  if (!alignment) return;
  // The aligned region's hash decides only beyond the match distance, and only when the
  // thumbnails agree.
  if (candidate.hash_distance <= kImageMatchDistance || alignment->score < kMinAlignmentScore) return;
  for (std::uint32_t entry = image.first_entry; entry < image.first_entry + image.entry_count; ++entry) {
    if (entry_region_[entry] != kCentre80Region) continue;
    const ImageRegion& region = kImageRegions[kCentre80Region];
    const auto aligned =
        HashAlignedRegion(oriented_query, *alignment, region.left, region.top, region.right, region.bottom);
    if (aligned && aligned->second >= kMinQueryQuality) {
      candidate.aligned_distance = HammingDistance(aligned->first, hashes_[entry]);
    }
    const bool failed = candidate.aligned_distance < 0 || candidate.aligned_distance > kImageMatchDistance;
    if (failed && alignment->score >= kMinRepairScore) {
      const cv::Mat repaired =
          RepairOcclusion(thumbnails_[image.thumbnail], oriented_query, *alignment, kMaxOccludedShare);
      if (repaired.empty()) continue;
      const auto again =
          HashAlignedRegion(repaired, *alignment, region.left, region.top, region.right, region.bottom);
      if (again && again->second >= kMinQueryQuality &&
          HammingDistance(again->first, hashes_[entry]) <= kRepairedMatchDistance) {
        candidate.aligned_distance = HammingDistance(again->first, hashes_[entry]);
      }
    }
  }
}

bool ImageIndex::Accepted(const ImageMatch& candidate) {
  if (candidate.low_detail() && candidate.hash_distance <= kImageMatchDistance) {
    return candidate.hash_distance <= kLowDetailHashDistance ||
           (candidate.verified && candidate.alignment_score >= kMinAlignmentScore);
  }
  if (candidate.hash_distance < kVerifyFromDistance) return true;
  if (candidate.hash_distance <= kImageMatchDistance) {
    // Not verified (no thumbnail, or past kMaxVerifiedCandidates): no veto. Verified without any
    // placement: the aspect ratios differ more than a crop or a border of the tested sizes
    // explains, so another picture.
    if (!candidate.verified) return true;
    return candidate.alignment_score != kNoAlignment && candidate.alignment_score >= kMinBandScore;
  }
  return candidate.verified && candidate.alignment_score >= kMinAlignmentScore &&
         candidate.aligned_distance >= 0 && candidate.aligned_distance <= kImageMatchDistance;
}

std::vector<ImageMatch> ImageIndex::Candidates(const ImageFingerprint& fingerprint,
                                               ImageMatchCosts* costs) const {
  const double start = costs != nullptr ? ThreadCpuMilliseconds() : 0;
  std::vector<RegionHash> query;
  for (const RegionHash& hash : fingerprint.hashes) {
    if (hash.quality >= kMinQueryQuality && IsQueryRegion(hash.region)) query.push_back(hash);
  }
  // One bit per chunk, as for the match distance: the cost of a plain search.
  std::vector<ImageMatch> candidates =
      SearchProbing(query, kCandidateDistance, kImageMatchDistance / kChunkCount);
  const double searched = costs != nullptr ? ThreadCpuMilliseconds() : 0;
  std::size_t verified = 0;
  std::map<std::uint8_t, cv::Mat> oriented_by_dihedral;
  double query_detail_bits = -1;
  if (!fingerprint.trimmed_luma.empty() && !candidates.empty())
    query_detail_bits = ThumbnailDetailBits(MakeThumbnail(fingerprint.trimmed_luma).pixels);
  for (ImageMatch& candidate : candidates) {
    const std::uint32_t slot = id_to_slot_.at(candidate.image_id);
    if (images_[slot].thumbnail != kNoThumbnail && query_detail_bits >= 0) {
      candidate.query_detail_bits = query_detail_bits;
      candidate.registered_detail_bits = ThumbnailDetailBits(thumbnails_[images_[slot].thumbnail].pixels);
    }
    // Close candidates are accepted as they are, unless low-detail and beyond
    // kLowDetailHashDistance.
    if (candidate.hash_distance < kVerifyFromDistance &&
        (!candidate.low_detail() || candidate.hash_distance <= kLowDetailHashDistance)) {
      continue;
    }
    if (images_[slot].thumbnail == kNoThumbnail || fingerprint.trimmed_luma.empty()) {
      // Nothing to verify with: the hash alone decides, at the match distance.
      continue;
    }
    if (verified == kMaxVerifiedCandidates) continue;
    ++verified;
    cv::Mat& oriented = oriented_by_dihedral[candidate.dihedral];
    if (oriented.empty())
      oriented = OrientLuma(fingerprint.trimmed_luma, static_cast<Dihedral>(candidate.dihedral));
    Verify(candidate, slot, oriented);
    candidate.verified = true;
  }
  if (costs != nullptr) {
    costs->candidates = candidates.size();
    costs->verified = verified;
    costs->search_milliseconds = searched - start;
    costs->verification_milliseconds = ThreadCpuMilliseconds() - searched;
  }
  return candidates;
}

std::vector<ImageMatch> ImageIndex::Match(const ImageFingerprint& fingerprint, ImageMatchCosts* costs) const {
  std::vector<ImageMatch> matches;
  for (ImageMatch& candidate : Candidates(fingerprint, costs)) {
    if (!Accepted(candidate)) continue;
    if (candidate.hash_distance > kImageMatchDistance) {
      candidate.distance = candidate.aligned_distance;
      candidate.region = static_cast<std::uint8_t>(kCentre80Region);
    }
    matches.push_back(std::move(candidate));
  }
  std::sort(matches.begin(), matches.end(), [](const ImageMatch& a, const ImageMatch& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.image_id < b.image_id;
  });
  return matches;
}

std::size_t ImageIndex::MemoryUsageBytes() const {
  std::size_t bytes = hashes_.capacity() * sizeof(ImageHash) + entry_slot_.capacity() * 4 +
                      entry_region_.capacity() + entry_quality_.capacity() +
                      images_.capacity() * sizeof(Image) + thumbnails_.capacity() * sizeof(ImageThumbnail);
  for (const ImageThumbnail& thumbnail : thumbnails_) bytes += thumbnail.pixels.capacity();
  for (const Image& image : images_) {
    if (image.id.size() >= sizeof(std::string)) bytes += image.id.capacity() + 1;
  }
  // Hash map nodes: the key string, the value and two pointers, plus the bucket array.
  bytes += id_to_slot_.size() * (sizeof(std::string) + 4 + 2 * sizeof(void*)) +
           id_to_slot_.bucket_count() * sizeof(void*);
  for (const Table& table : tables_) bytes += (table.offsets.capacity() + table.entries.capacity()) * 4;
  return bytes;
}

Bytes ImageIndex::Serialize() const {
  detail::ByteWriter writer;
  writer.Reserve(32 + entry_count() * kEncodedHashSizeBytes + size() * 16);
  writer.Raw(kMagic);
  writer.U32(kFormatVersion);
  writer.U32(kImageAlgorithmVersion);
  writer.U64(size());
  writer.U64(entry_count());
  for (const Image& image : images_) {
    if (image.id.empty()) continue;
    writer.U32(static_cast<std::uint32_t>(image.id.size()));
    writer.Raw(image.id);
    writer.U8(static_cast<std::uint8_t>(image.entry_count));
    for (std::uint32_t entry = image.first_entry; entry < image.first_entry + image.entry_count; ++entry) {
      writer.U8(entry_region_[entry]);
      writer.U8(entry_quality_[entry]);
      for (std::uint64_t word : hashes_[entry].words) writer.U64(word);
    }
    if (image.thumbnail == kNoThumbnail) {
      writer.U8(0);
    } else {
      const ImageThumbnail& thumbnail = thumbnails_[image.thumbnail];
      writer.U8(1);
      for (std::uint16_t side : {thumbnail.trimmed_width, thumbnail.trimmed_height}) {
        writer.U8(static_cast<std::uint8_t>(side & 0xFF));
        writer.U8(static_cast<std::uint8_t>(side >> 8));
      }
      writer.Raw(AsText(ByteView(thumbnail.pixels)));
    }
  }
  writer.U32(detail::Crc32(writer.bytes()));
  return std::move(writer.bytes());
}

Result<ImageIndex> ImageIndex::Deserialize(ByteView bytes, bool verify_checksum) {
  Result<detail::ByteReader> opened = detail::OpenIndexFile(bytes, "image index", kMagic, kFormatVersion,
                                                            kImageAlgorithmVersion, verify_checksum);
  if (!opened.ok()) {
    // Say what to do about an index of the first format, which had no verification thumbnails.
    const bool first_format = bytes.size() >= 8 && AsText(bytes.first(4)) == kMagic &&
                              detail::Load32(bytes.data() + 4) == kFirstFormatVersion;
    if (!first_format) return opened.status();
    return Status::Corruption(std::string(opened.status().message()) +
                              ": it was written before images kept verification thumbnails "
                              "(algorithm 1); register the images again to rebuild it");
  }
  detail::ByteReader reader = std::move(*opened);
  RC_ASSIGN_OR_RETURN(std::uint64_t image_count, reader.U64("image count"));
  RC_ASSIGN_OR_RETURN(std::uint64_t entry_count, reader.U64("entry count"));
  // Every image takes at least 6 + one hash's bytes: bound the counts by what remains.
  if (image_count > kMaxIndexedImages || image_count > reader.remaining() / (6 + kEncodedHashSizeBytes) ||
      entry_count > reader.remaining() / kEncodedHashSizeBytes || entry_count < image_count) {
    return Status::Corruption("image index counts do not fit the file");
  }
  ImageIndex index;
  index.images_.reserve(image_count);
  index.hashes_.reserve(entry_count);
  for (std::uint64_t image = 0; image < image_count; ++image) {
    RC_ASSIGN_OR_RETURN(std::uint32_t id_size, reader.U32("image id length"));
    if (id_size == 0 || id_size > kMaxImageIdSizeBytes) return Status::Corruption("bad image id length");
    RC_ASSIGN_OR_RETURN(std::string_view id, reader.Raw(id_size, "image id"));
    RC_ASSIGN_OR_RETURN(std::uint8_t hash_count, reader.U8("hash count"));
    if (hash_count == 0 || hash_count > kMaxHashesPerImage) return Status::Corruption("bad hash count");
    if (index.hashes_.size() + hash_count > entry_count)
      return Status::Corruption("more hashes than counted");
    std::vector<IndexedImageHash> hashes(hash_count);
    for (IndexedImageHash& hash : hashes) {
      RC_ASSIGN_OR_RETURN(const std::uint8_t* encoded, reader.Take(kEncodedHashSizeBytes, "image hash"));
      hash.region = encoded[0];
      hash.quality = encoded[1];
      if (hash.region >= kImageRegions.size() || hash.quality > kPdqQualityMax) {
        return Status::Corruption("bad region or quality of an image hash");
      }
      for (int word = 0; word < 4; ++word) hash.hash.words[word] = detail::Load64(encoded + 2 + 8 * word);
    }
    RC_ASSIGN_OR_RETURN(std::uint8_t has_thumbnail, reader.U8("thumbnail flag"));
    if (has_thumbnail > 1) return Status::Corruption("bad thumbnail flag of an image");
    std::uint32_t thumbnail_index = kNoThumbnail;
    if (has_thumbnail == 1) {
      RC_ASSIGN_OR_RETURN(const std::uint8_t* encoded,
                          reader.Take(kEncodedThumbnailSizeBytes, "image thumbnail"));
      ImageThumbnail thumbnail;
      thumbnail.trimmed_width = static_cast<std::uint16_t>(encoded[0] | (encoded[1] << 8));
      thumbnail.trimmed_height = static_cast<std::uint16_t>(encoded[2] | (encoded[3] << 8));
      thumbnail.pixels.assign(encoded + 4, encoded + kEncodedThumbnailSizeBytes);
      RC_RETURN_IF_ERROR(CheckThumbnail(thumbnail));
      thumbnail_index = static_cast<std::uint32_t>(index.thumbnails_.size());
      index.thumbnails_.push_back(std::move(thumbnail));
    }
    if (index.Contains(id)) return Status::Corruption("duplicate image id in index: " + std::string(id));
    // Add without rebuilding tables per batch: everything is built once at the end.
    const auto slot = static_cast<std::uint32_t>(index.images_.size());
    index.images_.push_back(Image{std::string(id), static_cast<std::uint32_t>(index.hashes_.size()),
                                  hash_count, thumbnail_index});
    index.id_to_slot_.emplace(std::string(id), slot);
    for (const IndexedImageHash& hash : hashes) {
      index.hashes_.push_back(hash.hash);
      index.entry_slot_.push_back(slot);
      index.entry_region_.push_back(hash.region);
      index.entry_quality_.push_back(hash.quality);
    }
  }
  if (index.hashes_.size() != entry_count) return Status::Corruption("fewer hashes than counted");
  if (reader.remaining() != 0) return Status::Corruption("trailing bytes after the image index");
  index.RebuildTables();
  return index;
}

Status ImageIndex::Save(const std::filesystem::path& directory) const {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Status::IoError("creating " + directory.string() + ": " + error.message());
  const Bytes bytes = Serialize();
  return WriteFile(directory / kImageIndexFileName, AsText(bytes));
}

Result<ImageIndex> ImageIndex::Load(const std::filesystem::path& directory) {
  const std::filesystem::path path = directory / kImageIndexFileName;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Status::NotFound("no image index at " + path.string());
  RC_ASSIGN_OR_RETURN(std::string content, ReadFile(path, kMaxIndexFileSizeBytes));
  Result<ImageIndex> index = Deserialize(AsBytes(content));
  if (!index.ok()) return index.status().WithContext("loading " + path.string());
  return index;
}

}  // namespace rightchain::fingerprint
