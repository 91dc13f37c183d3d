// An index of audio fingerprints over whole tracks, so that an excerpt from anywhere in a
// registered track matches and says where it comes from.
//
// Candidate retrieval: every item of every track is posted under two 16-bit sub-fingerprints
// (its upper and its lower half, i.e. 8 of Chromaprint's 16 classifiers each), in an inverted
// index of 2 × 65,536 buckets. A query item i found at item j of a track votes for the offset
// j − i of that track: a copy piles its votes on one offset while chance hits scatter. Votes
// are counted in one flat table per query (AudioVoteTable). Sub-fingerprints posted far more
// often than the mean (silence, steady tones) are on a stop list and do not vote. Every fourth
// query item votes first; only when no candidate of that sample verifies with a decisive number
// of votes do the other items vote too.
// Scoring: the best-voted (track, offset) pairs, and the offsets next to them, are aligned item
// by item and scored by bit-error rate (differing bits / compared bits); unrelated audio sits
// near 0.5, copies well below kAudioMatchBitErrorRate.
//
// Removal drops the track's items at once and leaves its postings to be skipped until dead
// postings pass a quarter of all postings, when the buckets are rebuilt.
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
#include "fingerprint/audio_fingerprint.h"
#include "fingerprint/audio_vote_table.h"

namespace rightchain::fingerprint {

inline constexpr std::size_t kMaxIndexedTracks = (1u << 31) - 1;
inline constexpr std::size_t kMaxTrackIdSizeBytes = 1024;
// 30 minutes of items, with room for Chromaprint's rounding.
inline constexpr std::size_t kMaxTrackItems = 16384;
inline constexpr std::string_view kAudioIndexFileName = "audio_index.rcai";
// The default match threshold, calibrated on unrelated tracks (docs/fingerprint.md).
inline constexpr double kAudioMatchBitErrorRate = 0.30;
// A match must align at least this many items (about 5 s) and half the query.
inline constexpr std::size_t kMinAlignedItems = 40;

struct AudioMatch {
  std::string track_id;
  std::int64_t offset_items = 0;  // registered item aligned with the query's first item
  double offset_seconds = 0;      // where in the registered track the query starts
  double bit_error_rate = 0;      // over the aligned items
  double similarity = 0;          // 1 - bit_error_rate
  std::size_t aligned_items = 0;
  // Sub-fingerprints of the voting query items (a sample of them when that sufficed) that hit
  // at this offset.
  std::uint32_t votes = 0;
};

class AudioIndex {
 public:
  AudioIndex();
  AudioIndex(AudioIndex&&) = default;
  AudioIndex& operator=(AudioIndex&&) = default;

  // kAlreadyExists for a known id; kInvalidArgument for an empty or over-long id, or fewer than
  // kMinAudioItems or more than kMaxTrackItems items; kLimitExceeded past kMaxIndexedTracks.
  Status Add(std::string_view track_id, std::span<const std::uint32_t> items);
  // kNotFound for an unknown id.
  Status Remove(std::string_view track_id);
  bool Contains(std::string_view track_id) const { return id_to_slot_.contains(std::string(track_id)); }
  std::size_t size() const { return id_to_slot_.size(); }

  // Every track that `query` (a raw fingerprint, at most kMaxTrackItems items) copies with a
  // bit-error rate of at most `max_bit_error_rate`, best (lowest rate, then id) first, one
  // match per track. Queries shorter than kMinAudioItems match nothing.
  std::vector<AudioMatch> Match(std::span<const std::uint32_t> query,
                                double max_bit_error_rate = kAudioMatchBitErrorRate) const;

  // Rebuilds the buckets over the live tracks.
  void Compact();
  std::size_t MemoryUsageBytes() const;

  // File format: "RCAI", format version, Chromaprint algorithm, track count, each track (id
  // length, id, item count, items), and a CRC-32 of all preceding bytes. Little-endian.
  // Buckets are rebuilt on loading.
  Bytes Serialize() const;
  static Result<AudioIndex> Deserialize(ByteView bytes, bool verify_checksum = true);
  // `directory`/audio_index.rcai, written atomically.
  Status Save(const std::filesystem::path& directory) const;
  // kNotFound when the directory has no audio index.
  static Result<AudioIndex> Load(const std::filesystem::path& directory);

 private:
  static constexpr std::size_t kKeyBits = 16;
  static constexpr std::size_t kBucketCount = 2 * (std::size_t{1} << kKeyBits);

  struct Track {
    std::string id;  // empty when removed
    std::vector<std::uint32_t> items;
  };
  struct Posting {
    std::uint32_t slot = 0;
    std::uint32_t position = 0;
  };

  static std::uint32_t UpperKey(std::uint32_t item) { return item >> 16; }
  static std::uint32_t LowerKey(std::uint32_t item) {
    return (std::uint32_t{1} << kKeyBits) + (item & 0xFFFF);
  }
  void Post(std::uint32_t slot);
  // Buckets longer than this are on the stop list: queries skip them.
  std::size_t StopListPostings() const;
  // Postings that query items first, first + stride, ... would read (stop list applied).
  std::size_t CountPostings(std::span<const std::uint32_t> query, std::size_t first,
                            std::size_t stride) const;
  // Query items first, first + stride, ... vote for (slot, offset) keys.
  void Vote(std::span<const std::uint32_t> query, std::size_t first, std::size_t stride,
            AudioVoteTable& votes) const;
  // Aligns the best-voted candidates and keeps those within `max_bit_error_rate`.
  std::vector<AudioMatch> Verify(std::span<const std::uint32_t> query, const AudioVoteTable& votes,
                                 double max_bit_error_rate) const;
  void AddTrack(std::string_view track_id, std::vector<std::uint32_t> items);

  std::vector<Track> tracks_;  // by slot
  std::unordered_map<std::string, std::uint32_t> id_to_slot_;
  std::vector<std::vector<Posting>> buckets_;  // kBucketCount
  std::size_t posting_count_ = 0;
  std::size_t dead_posting_count_ = 0;
};

}  // namespace rightchain::fingerprint
