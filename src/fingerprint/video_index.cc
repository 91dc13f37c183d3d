#include "fingerprint/video_index.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/file.h"
#include "fingerprint/binary_io.h"
#include "fingerprint/index_file.h"

namespace rightchain::fingerprint {
namespace {

constexpr std::string_view kMagic = "RCVI";
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kEncodedFrameSizeBytes = 4 + 4 + 1 + 32;
constexpr std::size_t kMaxIndexFileSizeBytes = std::size_t{16} << 30;

Status CheckId(std::string_view video_id) {
  if (video_id.empty()) return Status::InvalidArgument("video id is empty");
  if (video_id.size() > kMaxVideoIdSizeBytes) {
    return Status::InvalidArgument("video id is longer than " + std::to_string(kMaxVideoIdSizeBytes) +
                                   " bytes");
  }
  return Status::Ok();
}

std::uint32_t Milliseconds(double seconds) {
  return static_cast<std::uint32_t>(std::clamp(std::llround(seconds * 1000.0), 0LL, 0xFFFFFFFFLL));
}

// "serial:frame" back into its numbers.
bool ParseFrameKey(std::string_view key, std::uint64_t& serial, std::size_t& frame) {
  const std::size_t colon = key.find(':');
  if (colon == std::string_view::npos) return false;
  const auto first = std::from_chars(key.data(), key.data() + colon, serial);
  const auto second = std::from_chars(key.data() + colon + 1, key.data() + key.size(), frame);
  return first.ec == std::errc() && second.ec == std::errc();
}

}  // namespace

// The offsets (registered − query time, seconds) at which one registered frame matches one
// query frame.
struct VideoIndex::Interval {
  double low = 0;
  double high = 0;
  std::uint32_t query_frame = 0;
  double weight_seconds = 0;
  int distance = 0;  // between the two frames' hashes
};

std::string VideoIndex::FrameKey(std::uint64_t serial, std::size_t frame) {
  return std::to_string(serial) + ":" + std::to_string(frame);
}

Status VideoIndex::Add(std::string_view video_id, const VideoFingerprint& fingerprint) {
  RC_RETURN_IF_ERROR(CheckId(video_id));
  if (Contains(video_id)) return Status::AlreadyExists("video id already indexed: " + std::string(video_id));
  if (fingerprint.frames.size() > kMaxVideoFrames) {
    return Status::InvalidArgument("a video has at most " + std::to_string(kMaxVideoFrames) + " frames");
  }
  if (size() >= kMaxIndexedVideos) return Status::LimitExceeded("video index is full");
  Video video;
  video.id = std::string(video_id);
  video.duration_seconds = fingerprint.duration_seconds;
  for (const VideoFrameHash& frame : fingerprint.frames) {
    if (frame.quality >= kMinVideoFrameQuality) video.frames.push_back(frame);
  }
  const bool audio = fingerprint.has_audio && fingerprint.audio.items.size() >= kMinAudioItems &&
                     fingerprint.audio.items.size() <= kMaxTrackItems;
  if (video.frames.empty() && !audio) {
    return Status::InvalidArgument("video has too little detail to be recognised (no frame of quality " +
                                   std::to_string(kMinVideoFrameQuality) + " or more, and no audio)");
  }
  const std::uint64_t serial = next_serial_;
  for (std::size_t index = 0; index < video.frames.size(); ++index) {
    const IndexedImageHash hash{video.frames[index].hash, 0, video.frames[index].quality};
    const Status added = frames_.Add(FrameKey(serial, index), std::span(&hash, 1));
    if (!added.ok()) {
      for (std::size_t undo = 0; undo < index; ++undo) (void)frames_.Remove(FrameKey(serial, undo));
      return added;
    }
  }
  if (audio) {
    video.audio_items = fingerprint.audio.items;
    const Status added = audio_.Add(video_id, video.audio_items);
    if (!added.ok()) {
      for (std::size_t index = 0; index < video.frames.size(); ++index)
        (void)frames_.Remove(FrameKey(serial, index));
      return added;
    }
  }
  ++next_serial_;
  id_to_serial_.emplace(video.id, serial);
  videos_.emplace(serial, std::move(video));
  return Status::Ok();
}

Status VideoIndex::Remove(std::string_view video_id) {
  const auto found = id_to_serial_.find(std::string(video_id));
  if (found == id_to_serial_.end()) return Status::NotFound("video id not indexed: " + std::string(video_id));
  const Video& video = videos_.at(found->second);
  for (std::size_t index = 0; index < video.frames.size(); ++index) {
    RC_RETURN_IF_ERROR(frames_.Remove(FrameKey(found->second, index)));
  }
  if (!video.audio_items.empty()) RC_RETURN_IF_ERROR(audio_.Remove(video_id));
  videos_.erase(found->second);
  id_to_serial_.erase(found);
  return Status::Ok();
}

VideoIndex::Visual VideoIndex::BestOffset(std::vector<Interval>& intervals, std::size_t query_frames,
                                          double query_seconds) {
  struct Event {
    double position;
    bool opens;
    std::uint32_t query_frame;
    double weight_seconds;
    int distance;
  };
  std::vector<Event> events;
  events.reserve(2 * intervals.size());
  for (const Interval& interval : intervals) {
    events.push_back(
        Event{interval.low, true, interval.query_frame, interval.weight_seconds, interval.distance});
    events.push_back(
        Event{interval.high, false, interval.query_frame, interval.weight_seconds, interval.distance});
  }
  // Closed intervals: at one position, openings come before closings.
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.position != b.position ? a.position < b.position : a.opens > b.opens;
  });
  std::vector<std::uint32_t> open_count(query_frames, 0);
  double covered = 0;
  std::size_t frames = 0;
  Visual best;
  double best_low = 0;
  double best_high = 0;
  bool in_best = false;
  for (const Event& event : events) {
    if (event.opens) {
      if (open_count[event.query_frame]++ > 0) continue;
      covered += event.weight_seconds;
      ++frames;
      if (covered > best.matched_seconds + 1e-9) {
        best.matched_seconds = covered;
        best.matched_frames = frames;
        best.single_frame_distance = event.distance;  // meaningful when frames == 1
        best_low = event.position;
        in_best = true;
      }
    } else if (--open_count[event.query_frame] == 0) {
      if (in_best) {
        best_high = event.position;
        in_best = false;
      }
      covered -= event.weight_seconds;
      --frames;
    }
  }
  best.offset_seconds = (best_low + best_high) / 2;
  // The closest registered frame of each query frame matched at the chosen offset.
  std::vector<int> closest(query_frames, 256);
  for (const Interval& interval : intervals) {
    if (interval.low <= best.offset_seconds && best.offset_seconds <= interval.high) {
      closest[interval.query_frame] = std::min(closest[interval.query_frame], interval.distance);
    }
  }
  std::size_t counted = 0;
  double distance_sum = 0;
  for (int distance : closest) {
    if (distance > 256 - 1) continue;
    distance_sum += distance;
    ++counted;
  }
  best.mean_distance = counted == 0 ? 0 : distance_sum / static_cast<double>(counted);
  best.coverage = query_seconds > 0 ? std::min(1.0, best.matched_seconds / query_seconds) : 0;
  return best;
}

std::vector<VideoMatch> VideoIndex::Match(const VideoFingerprint& query, double min_score) const {
  std::vector<const VideoFrameHash*> query_frames;
  double query_seconds = 0;
  for (const VideoFrameHash& frame : query.frames) {
    if (frame.quality < kMinVideoFrameQuality) continue;
    query_frames.push_back(&frame);
    query_seconds += frame.duration_seconds;
  }
  std::unordered_map<std::uint64_t, std::vector<Interval>> intervals_by_video;
  for (std::size_t index = 0; index < query_frames.size(); ++index) {
    const VideoFrameHash& frame = *query_frames[index];
    const RegionHash hash{frame.hash, 0, 0, frame.quality};
    for (const ImageMatch& match : frames_.Search(std::span(&hash, 1), kVideoFrameMatchDistance)) {
      std::uint64_t serial = 0;
      std::size_t registered_index = 0;
      if (!ParseFrameKey(match.image_id, serial, registered_index)) continue;
      const auto video = videos_.find(serial);
      if (video == videos_.end() || registered_index >= video->second.frames.size()) continue;
      const VideoFrameHash& registered = video->second.frames[registered_index];
      intervals_by_video[serial].push_back(Interval{registered.time_seconds - frame.time_seconds -
                                                        frame.duration_seconds - kVideoOffsetToleranceSeconds,
                                                    registered.time_seconds + registered.duration_seconds -
                                                        frame.time_seconds + kVideoOffsetToleranceSeconds,
                                                    static_cast<std::uint32_t>(index), frame.duration_seconds,
                                                    match.distance});
    }
  }
  std::unordered_map<std::string, AudioMatch> audio_by_id;
  if (query.has_audio && query.audio.items.size() >= kMinAudioItems &&
      query.audio.items.size() <= kMaxTrackItems) {
    for (AudioMatch& match : audio_.Match(query.audio.items))
      audio_by_id.emplace(match.track_id, std::move(match));
  }

  std::vector<VideoMatch> matches;
  const auto score = [&](const std::string& id, const Visual& visual) {
    VideoMatch match;
    match.video_id = id;
    // Two frames in order, or one long still frame matched closely (a still scene is one frame).
    const bool enough =
        visual.matched_frames >= kMinVideoMatchedFrames ||
        (visual.matched_frames == 1 && visual.matched_seconds >= kMinVideoSingleFrameSeconds &&
         visual.single_frame_distance <= kVideoSingleFrameMatchDistance);
    if (enough) {
      match.visual_coverage = visual.coverage;
      match.matched_seconds = visual.matched_seconds;
      match.matched_frames = visual.matched_frames;
      match.offset_seconds = visual.offset_seconds;
      match.mean_frame_distance = visual.mean_distance;
    }
    const auto audio = audio_by_id.find(id);
    if (audio != audio_by_id.end()) {
      match.audio_similarity = audio->second.similarity;
      match.audio_coverage = std::min(1.0, static_cast<double>(audio->second.aligned_items) /
                                               static_cast<double>(query.audio.items.size()));
      if (match.matched_frames == 0) match.offset_seconds = audio->second.offset_seconds;
    }
    match.score = 1.0 - (1.0 - match.visual_coverage) * (1.0 - match.audio_coverage);
    if (match.score >= min_score && match.score > 0) matches.push_back(std::move(match));
  };
  for (auto& [serial, intervals] : intervals_by_video) {
    const Video& video = videos_.at(serial);
    score(video.id, BestOffset(intervals, query_frames.size(), query_seconds));
    audio_by_id.erase(video.id);  // scored with its pictures
  }
  // Videos that only the audio matched.
  for (const auto& [id, audio] : audio_by_id) score(id, Visual{});
  std::sort(matches.begin(), matches.end(), [](const VideoMatch& a, const VideoMatch& b) {
    return a.score != b.score ? a.score > b.score : a.video_id < b.video_id;
  });
  return matches;
}

Bytes VideoIndex::Serialize() const {
  detail::ByteWriter writer;
  writer.Raw(kMagic);
  writer.U32(kFormatVersion);
  writer.U32(kVideoAlgorithmVersion);
  writer.U64(videos_.size());
  for (const auto& [serial, video] : videos_) {
    writer.U32(static_cast<std::uint32_t>(video.id.size()));
    writer.Raw(video.id);
    writer.U32(Milliseconds(video.duration_seconds));
    writer.U32(static_cast<std::uint32_t>(video.frames.size()));
    for (const VideoFrameHash& frame : video.frames) {
      writer.U32(Milliseconds(frame.time_seconds));
      writer.U32(Milliseconds(frame.duration_seconds));
      writer.U8(frame.quality);
      for (std::uint64_t word : frame.hash.words) writer.U64(word);
    }
    writer.U32(static_cast<std::uint32_t>(video.audio_items.size()));
    for (std::uint32_t item : video.audio_items) writer.U32(item);
  }
  writer.U32(detail::Crc32(writer.bytes()));
  return std::move(writer.bytes());
}

Result<VideoIndex> VideoIndex::Deserialize(ByteView bytes, bool verify_checksum) {
  RC_ASSIGN_OR_RETURN(detail::ByteReader reader,
                      detail::OpenIndexFile(bytes, "video index", kMagic, kFormatVersion,
                                            kVideoAlgorithmVersion, verify_checksum));
  RC_ASSIGN_OR_RETURN(std::uint64_t video_count, reader.U64("video count"));
  // Every video takes at least 4 + 1 + 4 + 4 + 4 bytes: bound the count by what remains.
  if (video_count > kMaxIndexedVideos || video_count > reader.remaining() / 17) {
    return Status::Corruption("video count does not fit the file");
  }
  VideoIndex index;
  for (std::uint64_t count = 0; count < video_count; ++count) {
    RC_ASSIGN_OR_RETURN(std::uint32_t id_size, reader.U32("video id length"));
    if (id_size == 0 || id_size > kMaxVideoIdSizeBytes) return Status::Corruption("bad video id length");
    RC_ASSIGN_OR_RETURN(std::string_view id, reader.Raw(id_size, "video id"));
    VideoFingerprint video;
    RC_ASSIGN_OR_RETURN(std::uint32_t duration_milliseconds, reader.U32("video duration"));
    video.duration_seconds = duration_milliseconds / 1000.0;
    RC_ASSIGN_OR_RETURN(std::uint32_t frame_count, reader.U32("frame count"));
    if (frame_count > kMaxVideoFrames || frame_count > reader.remaining() / kEncodedFrameSizeBytes) {
      return Status::Corruption("bad frame count of a video");
    }
    video.frames.resize(frame_count);
    for (VideoFrameHash& frame : video.frames) {
      RC_ASSIGN_OR_RETURN(const std::uint8_t* encoded, reader.Take(kEncodedFrameSizeBytes, "video frame"));
      frame.time_seconds = detail::Load32(encoded) / 1000.0;
      frame.duration_seconds = detail::Load32(encoded + 4) / 1000.0;
      frame.quality = encoded[8];
      if (frame.quality > kPdqQualityMax || frame.quality < kMinVideoFrameQuality) {
        return Status::Corruption("bad quality of a video frame");
      }
      for (int word = 0; word < 4; ++word) frame.hash.words[word] = detail::Load64(encoded + 9 + 8 * word);
    }
    RC_ASSIGN_OR_RETURN(std::uint32_t item_count, reader.U32("audio item count"));
    if (item_count > kMaxTrackItems || item_count > reader.remaining() / 4 ||
        (item_count != 0 && item_count < kMinAudioItems)) {
      return Status::Corruption("bad audio item count of a video");
    }
    video.audio.items.resize(item_count);
    for (std::uint32_t& item : video.audio.items) {
      RC_ASSIGN_OR_RETURN(item, reader.U32("audio item"));
    }
    video.has_audio = item_count != 0;
    if (index.Contains(id)) return Status::Corruption("duplicate video id in index: " + std::string(id));
    const Status added = index.Add(id, video);
    if (!added.ok()) return Status::Corruption("bad video in index: " + added.message());
  }
  if (reader.remaining() != 0) return Status::Corruption("trailing bytes after the video index");
  return index;
}

Status VideoIndex::Save(const std::filesystem::path& directory) const {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Status::IoError("creating " + directory.string() + ": " + error.message());
  const Bytes bytes = Serialize();
  return WriteFile(directory / kVideoIndexFileName, AsText(bytes));
}

Result<VideoIndex> VideoIndex::Load(const std::filesystem::path& directory) {
  const std::filesystem::path path = directory / kVideoIndexFileName;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Status::NotFound("no video index at " + path.string());
  RC_ASSIGN_OR_RETURN(std::string content, ReadFile(path, kMaxIndexFileSizeBytes));
  Result<VideoIndex> index = Deserialize(AsBytes(content));
  if (!index.ok()) return index.status().WithContext("loading " + path.string());
  return index;
}

}  // namespace rightchain::fingerprint
