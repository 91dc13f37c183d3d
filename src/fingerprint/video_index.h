// An index of video fingerprints, so that a copy of a registered video, or a clip of it,
// matches and says where in the registered video it starts.
//
// Frames: every kept frame hash of a registered video (of quality kMinVideoFrameQuality or
// more) is an entry of an ImageIndex (multi-index hashing, image_index.h) under a key naming
// the video and the frame. A query frame finds the registered frames within
// kVideoFrameMatchDistance bits. A registered frame spanning [r, r + r_span) found for a query
// frame spanning [q, q + q_span) says that the copy starts at an offset d = registered time −
// query time in (r − q − q_span, r + r_span − q), widened by kVideoOffsetToleranceSeconds on
// each side; offsets are in seconds, so a change of frame rate does not move them. Per video,
// the offset covered by the most query time (each query frame counted once, weighted by its
// span) wins: its visual coverage is that time over the query's total (hashable) time, its
// position the middle of the best offsets.
//
// Audio: when both the query and the registered video have an audio fingerprint, the audio
// index (audio_index.h) matches them; audio coverage is the aligned audio time over the query's
// audio time. The score combines both as independent evidence: 1 − (1 − visual) × (1 − audio),
// so a silent or re-dubbed copy still matches by its pictures and a copy with altered pictures
// by its sound.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/audio_index.h"
#include "fingerprint/image_index.h"
#include "fingerprint/video_fingerprint.h"

namespace rightchain::fingerprint {

inline constexpr std::size_t kMaxIndexedVideos = (1u << 31) - 1;
inline constexpr std::size_t kMaxVideoIdSizeBytes = 1024;
inline constexpr std::string_view kVideoIndexFileName = "video_index.rcvi";
// Frames of less detail (black, flat) are neither indexed nor counted in a query's time.
inline constexpr int kMinVideoFrameQuality = 30;
// As far as multi-index hashing reaches exactly (two bits per chunk): a logo in a corner moves
// frame hashes by 30 to 50 bits. Temporal consistency keeps unrelated videos out.
inline constexpr int kVideoFrameMatchDistance = kMaxImageSearchDistance;
inline constexpr double kVideoOffsetToleranceSeconds = 1.0;
// A visual match needs this many query frames at one offset, or one frame (a still scene) of at
// least kMinVideoSingleFrameSeconds within kVideoSingleFrameMatchDistance bits.
inline constexpr std::size_t kMinVideoMatchedFrames = 2;
inline constexpr double kMinVideoSingleFrameSeconds = 3.0;
inline constexpr int kVideoSingleFrameMatchDistance = 24;
// The default minimum score of a reported match.
inline constexpr double kVideoMatchScore = 0.3;

struct VideoMatch {
  std::string video_id;
  double score = 0;                // 1 − (1 − visual_coverage)(1 − audio_coverage)
  double offset_seconds = 0;       // where in the registered video the query starts
  double visual_coverage = 0;      // share of the query's hashable time matched in order
  double matched_seconds = 0;      // that time, in seconds
  std::size_t matched_frames = 0;  // query frames matched at the offset
  double mean_frame_distance = 0;  // bits of 256 between those frames and their registered frames
  double audio_coverage = 0;       // share of the query's audio aligned (0 without audio)
  double audio_similarity = 0;     // 1 − bit-error rate of the audio match (0 without)
};

class VideoIndex {
 public:
  VideoIndex() = default;
  VideoIndex(VideoIndex&&) = default;
  VideoIndex& operator=(VideoIndex&&) = default;

  // kAlreadyExists for a known id; kInvalidArgument for an empty or over-long id, too many
  // frames, or a video with neither a frame of kMinVideoFrameQuality nor audio;
  // kLimitExceeded past kMaxIndexedVideos.
  Status Add(std::string_view video_id, const VideoFingerprint& fingerprint);
  // kNotFound for an unknown id.
  Status Remove(std::string_view video_id);
  bool Contains(std::string_view video_id) const { return id_to_serial_.contains(std::string(video_id)); }
  std::size_t size() const { return id_to_serial_.size(); }
  std::size_t frame_count() const { return frames_.size(); }

  // Every registered video that `query` copies with a score of at least `min_score`, best
  // (highest score, then id) first, one match per video.
  std::vector<VideoMatch> Match(const VideoFingerprint& query, double min_score = kVideoMatchScore) const;

  std::size_t MemoryUsageBytes() const { return frames_.MemoryUsageBytes() + audio_.MemoryUsageBytes(); }

  // File format: "RCVI", format version, video algorithm version, video count, each video (id
  // length, id, duration in ms, frame count, each frame's start and span in ms, quality and 32
  // hash bytes, audio item count, audio items), and a CRC-32 of all preceding bytes.
  // Little-endian. The frame and audio indexes are rebuilt on loading.
  Bytes Serialize() const;
  static Result<VideoIndex> Deserialize(ByteView bytes, bool verify_checksum = true);
  // `directory`/video_index.rcvi, written atomically.
  Status Save(const std::filesystem::path& directory) const;
  // kNotFound when the directory has no video index.
  static Result<VideoIndex> Load(const std::filesystem::path& directory);

 private:
  struct Video {
    std::string id;
    double duration_seconds = 0;
    std::vector<VideoFrameHash> frames;  // the indexed ones
    std::vector<std::uint32_t> audio_items;
  };
  struct Visual {
    double coverage = 0;
    double matched_seconds = 0;
    double offset_seconds = 0;
    std::size_t matched_frames = 0;
    int single_frame_distance = 0;
    double mean_distance = 0;
  };
  struct Interval;

  static std::string FrameKey(std::uint64_t serial, std::size_t frame);
  static Visual BestOffset(std::vector<Interval>& intervals, std::size_t query_frames, double query_seconds);

  std::map<std::uint64_t, Video> videos_;  // by serial, in order of addition
  std::unordered_map<std::string, std::uint64_t> id_to_serial_;
  std::uint64_t next_serial_ = 0;
  ImageIndex frames_;  // image id: FrameKey(serial, frame)
  AudioIndex audio_;   // track id: the video id
};

}  // namespace rightchain::fingerprint
