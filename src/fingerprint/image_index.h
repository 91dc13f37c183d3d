// An index of image hashes for Hamming-distance search: multi-index hashing (Norouzi, Punjani,
// Fleet 2012). The 256 bits are cut into 16 chunks of 16 bits; two hashes within 31 bits
// agree to within one bit on at least one chunk (pigeonhole), so a query looks up, in each
// chunk's table, its own chunk value and the 16 values one bit away, and checks the full
// distance of every entry found. Each table is a bucket directory of 65,537 offsets into one
// array of entry numbers sorted by chunk value.
//
// Every registered image contributes a few hashes (its regions, image_fingerprint.h), each an
// entry, and a verification thumbnail (image_verification.h). Matching has two stages: the
// tables propose every image with a hash within kCandidateDistance of a query hash (probing one
// bit per chunk, as for the match distance: beyond 31 bits this finds most, not all, such
// hashes), and candidates from kVerifyFromDistance on must pass geometric verification. Entries added since
// the last build are kept aside and scanned linearly until there are enough of them to rebuild the tables;
// removal marks the image dead at once and rebuilds once dead entries pass a quarter of all entries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/image_fingerprint.h"

namespace rightchain::fingerprint {

inline constexpr std::size_t kMaxIndexedImages = (1u << 31) - 1;
inline constexpr std::size_t kMaxImageIdSizeBytes = 1024;
inline constexpr std::size_t kMaxHashesPerImage = 64;
inline constexpr std::string_view kImageIndexFileName = "image_index.rcii";
// The largest search radius the chunking supports exactly: floor(47 / 16) = 2 bits per chunk.
inline constexpr int kMaxImageSearchDistance = 47;

// Two-stage matching (Match): candidates within kCandidateDistance (found by probing one bit per
// chunk, so beyond 31 bits most but not all such hashes are found: crops land at 32-60 bits and
// finding most of them costs nothing more than the plain search). Candidates closer than
// kVerifyFromDistance are accepted as they are. From there to kImageMatchDistance the hashes
// already agree, and verification only vetoes: a candidate is refused when the query aligns
// with its thumbnail (as a crop or, failing that, as a padded copy: the better correlation
// counts) but the correlation there is below kMinBandScore (the coarse layouts
// disagree; 0.25 since the revised corpus: over 39,000 queries of six seeds it refused the two
// false matches of low-detail graphics at 0.15-0.23 and cost one true match of padding and one
// of overlay in 1,000 each, where 0.05 had refused none), or when it cannot be placed at all
// (aspect ratios no crop or border of the tested sizes explains). Beyond kImageMatchDistance a candidate is
// accepted only when the query aligns with correlation kMinAlignmentScore or more and the hash of the aligned
// `centre80` region is within kImageMatchDistance of the registered one (or, after repairing an occlusion,
// within kRepairedMatchDistance). At most kMaxVerifiedCandidates candidates (the closest) are verified per
// query.
inline constexpr int kCandidateDistance = 60;
inline constexpr int kVerifyFromDistance = 20;
inline constexpr double kMinBandScore = 0.25;
inline constexpr double kMinAlignmentScore = 0.8;
inline constexpr std::size_t kMaxVerifiedCandidates = 24;
// When the aligned hash fails but the thumbnails agree (correlation kMinRepairScore or more),
// the query's cells that depart from the thumbnail (a text overlay), at most kMaxOccludedShare
// of them, are repainted from it (RepairOcclusion) and the aligned hash must then come within
// the stricter kRepairedMatchDistance.
// A low-detail pair (either side's ThumbnailDetailBits below kMinDetailBits: a drawing, a board,
// a screenshot, a dark corner) within kImageMatchDistance is accepted only when the query aligns
// with the registered thumbnail (as a crop or as a padded copy) with correlation
// kMinAlignmentScore or more, or its hash is within kLowDetailHashDistance: such pictures'
// hashes come close to unrelated pictures of their kind (docs/fingerprint.md, "Low-detail
// pictures").
inline constexpr double kMinDetailBits = 1.5;
inline constexpr int kLowDetailHashDistance = 8;
inline constexpr double kMinRepairScore = 0.9;
inline constexpr double kMaxOccludedShare = 0.2;
inline constexpr int kRepairedMatchDistance = 24;

struct IndexedImageHash {
  ImageHash hash;
  std::uint8_t region = 0;
  std::uint8_t quality = 0;
};

inline constexpr double kNoAlignment = -2;  // correlations are -1..1

struct ImageMatch {
  std::string image_id;
  int distance = 0;         // the smallest distance of any query hash to any of its hashes
  std::uint8_t region = 0;  // the registered region that matched (kImageRegions)
  std::uint8_t query_region = 0;
  std::uint8_t dihedral = 0;  // the query orientation that matched (Dihedral)
  // Two-stage matching: the best hash distance found by the tables (`distance` is the aligned
  // region's distance for a candidate accepted by verification beyond kImageMatchDistance),
  // whether the candidate was verified, its correlation and its aligned `centre80` distance
  // (-1 when not computed).
  int hash_distance = 0;
  bool verified = false;
  double alignment_score = kNoAlignment;
  int aligned_distance = -1;
  // The qualities (0-100) of the query hash and of the registered hash that met.
  std::uint8_t query_quality = 0;
  std::uint8_t registered_quality = 0;
  // ThumbnailDetailBits of the query's and the registered image's thumbnails; -1 when either has
  // none (no low-detail rule then).
  double query_detail_bits = -1;
  double registered_detail_bits = -1;
  bool low_detail() const {
    return query_detail_bits >= 0 && registered_detail_bits >= 0 &&
           std::min(query_detail_bits, registered_detail_bits) < kMinDetailBits;
  }
};

// What one query cost (for benchmarks; CPU time of the calling thread).
struct ImageMatchCosts {
  std::size_t candidates = 0;  // images proposed within kCandidateDistance
  std::size_t verified = 0;    // candidates that went through verification
  double search_milliseconds = 0;
  double verification_milliseconds = 0;
};

class ImageIndex {
 public:
  ImageIndex() = default;
  ImageIndex(ImageIndex&&) = default;
  ImageIndex& operator=(ImageIndex&&) = default;

  // kAlreadyExists for a known id; kInvalidArgument for an empty or over-long id, or no hashes
  // (or too many); kLimitExceeded past kMaxIndexedImages.
  // An image without a thumbnail matches on its hashes alone (within kImageMatchDistance).
  Status Add(std::string_view image_id, std::span<const IndexedImageHash> hashes,
             ImageThumbnail thumbnail = {});
  // Adds the registration hashes of `fingerprint` of quality kMinImageQuality or more, and its
  // thumbnail; kInvalidArgument, saying the quality, when there are none.
  Status AddFingerprint(std::string_view image_id, const ImageFingerprint& fingerprint);
  // kNotFound for an unknown id.
  Status Remove(std::string_view image_id);
  bool Contains(std::string_view image_id) const { return id_to_slot_.contains(std::string(image_id)); }
  std::size_t size() const { return id_to_slot_.size(); }
  std::size_t entry_count() const { return hashes_.size() - dead_entry_count_; }

  // Every image with a hash within `max_distance` (at most kMaxImageSearchDistance) of one of
  // `query` hashes, best (smallest distance, then id) first, one match per image.
  std::vector<ImageMatch> Search(std::span<const RegionHash> query, int max_distance) const;
  // Two-stage matching of a query fingerprint (its hashes in kQueryRegions of quality
  // kMinQueryQuality or more, and its trimmed luminance): the accepted matches, best first.
  std::vector<ImageMatch> Match(const ImageFingerprint& fingerprint, ImageMatchCosts* costs = nullptr) const;
  // Every candidate of the first stage with its verification details filled in (accepted or
  // not: `verified` and the distances say), for calibration; Match keeps the accepted ones.
  std::vector<ImageMatch> Candidates(const ImageFingerprint& fingerprint,
                                     ImageMatchCosts* costs = nullptr) const;
  // Whether Match accepts a candidate from Candidates.
  static bool Accepted(const ImageMatch& candidate);

  // Rebuilds the chunk tables over every live entry (dropping removed images' entries).
  void Compact();
  // Heap bytes held by hashes, tables, thumbnails and ids.
  std::size_t MemoryUsageBytes() const;

  // File format 2: "RCII", format version, algorithm version, image count, entry count, each
  // image (id length, id, hash count, then region, quality and 32 hash bytes per hash, then a
  // thumbnail flag byte and, when 1, the trimmed width and height (u16) and
  // kThumbnailPixelCount pixels), and a CRC-32 of all preceding bytes. Little-endian. Tables are
  // rebuilt on loading. Files of format 1 (algorithm 1, no thumbnails) are refused, saying so.
  Bytes Serialize() const;
  static Result<ImageIndex> Deserialize(ByteView bytes, bool verify_checksum = true);
  // `directory`/image_index.rcii, written atomically.
  Status Save(const std::filesystem::path& directory) const;
  // kNotFound when the directory has no image index.
  static Result<ImageIndex> Load(const std::filesystem::path& directory);

 private:
  static constexpr int kChunkCount = 16;
  static constexpr int kChunkBits = 16;
  static constexpr std::size_t kBucketCount = std::size_t{1} << kChunkBits;

  struct Image {
    std::string id;  // empty when removed
    std::uint32_t first_entry = 0;
    std::uint32_t entry_count = 0;
    std::uint32_t thumbnail = kNoThumbnail;  // index into thumbnails_
  };
  static constexpr std::uint32_t kNoThumbnail = UINT32_MAX;
  struct Table {
    std::vector<std::uint32_t> offsets;  // kBucketCount + 1
    std::vector<std::uint32_t> entries;  // entry numbers sorted by chunk value
  };

  static std::uint32_t Chunk(const ImageHash& hash, int chunk) {
    return static_cast<std::uint32_t>(hash.words[chunk / 4] >> (16 * (chunk % 4))) & 0xFFFF;
  }
  std::vector<ImageMatch> SearchProbing(std::span<const RegionHash> query, int max_distance,
                                        int chunk_radius) const;
  // Fills in the verification fields of `candidate` (an image with a thumbnail).
  void Verify(ImageMatch& candidate, std::uint32_t slot, const cv::Mat& oriented_query) const;
  void RebuildTables();
  void MaybeRebuild();

  std::vector<Image> images_;  // by slot
  std::unordered_map<std::string, std::uint32_t> id_to_slot_;
  std::vector<ImageHash> hashes_;  // by entry
  std::vector<std::uint32_t> entry_slot_;
  std::vector<std::uint8_t> entry_region_;
  std::vector<std::uint8_t> entry_quality_;
  std::vector<ImageThumbnail> thumbnails_;
  std::vector<Table> tables_;          // kChunkCount once built
  std::size_t built_entry_count_ = 0;  // entries [0, built) are in the tables
  std::size_t dead_entry_count_ = 0;
};

}  // namespace rightchain::fingerprint
