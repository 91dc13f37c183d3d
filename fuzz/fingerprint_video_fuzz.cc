// Fuzzes the video fingerprint entry points: arbitrary bytes as a video file (FFmpeg's demuxers
// and decoders from memory under the size, duration and frame limits, scaling, border cropping,
// hashing), and as a video index file (parsed with and without its checksum, so the parser
// itself is reached). Nothing may crash, throw or assert; what fingerprints must find itself in
// an index.
#include <cstddef>
#include <cstdint>

#include "base/assert.h"
#include "fingerprint/video_fingerprint.h"
#include "fingerprint/video_index.h"

using namespace rightchain;
using namespace rightchain::fingerprint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);

  Result<VideoFingerprint> video = FingerprintVideoFrames(input);
  if (video.ok()) {
    RC_ASSERT(!video->frames.empty());
    RC_ASSERT(video->frames.size() <= video->sampled_frames);
    RC_ASSERT(video->duration_seconds <= kMaxVideoDurationSeconds + 1);
    for (const VideoFrameHash& frame : video->frames) {
      RC_ASSERT(frame.quality <= kPdqQualityMax);
      RC_ASSERT(frame.duration_seconds > 0);
    }
    (void)EncodeVideoFingerprint(*video);
    VideoIndex index;
    if (index.Add("self", *video).ok()) {
      std::size_t good_frames = 0;
      for (const VideoFrameHash& frame : video->frames) good_frames += frame.quality >= kMinVideoFrameQuality;
      const std::vector<VideoMatch> matches = index.Match(*video, 0.0);
      if (good_frames >= kMinVideoMatchedFrames) RC_ASSERT(!matches.empty() && matches[0].video_id == "self");
      Result<VideoIndex> again = VideoIndex::Deserialize(index.Serialize());
      RC_ASSERT(again.ok() && again->size() == 1);
    }
  }
  (void)IsVideoContent(input);

  for (bool verify_checksum : {true, false}) {
    Result<VideoIndex> index = VideoIndex::Deserialize(input, verify_checksum);
    if (index.ok()) {
      // A loaded index must be usable and serialise back to a loadable file.
      VideoFingerprint probe;
      for (int second = 0; second < 8; ++second) {
        VideoFrameHash frame;
        frame.time_seconds = second;
        frame.duration_seconds = 1;
        frame.quality = 90;
        for (int word = 0; word < 4; ++word)
          frame.hash.words[word] = 0x9e3779b97f4a7c15ull * (second * 4 + word + 1);
        probe.frames.push_back(frame);
      }
      (void)index->Match(probe);
      Result<VideoIndex> again = VideoIndex::Deserialize(index->Serialize());
      RC_ASSERT(again.ok());
      RC_ASSERT(again->size() == index->size());
    }
  }
  return 0;
}
