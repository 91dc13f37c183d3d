// Video fingerprints: FFmpeg decodes the first video stream (from memory); about one frame a
// second is sampled (the first frame shown at or after each whole second), converted to
// luminance at kVideoHashingSidePixels on its longer side, cropped of black borders
// (letterbox and pillarbox bars: rows and columns that are nearly all black) and hashed with
// the PDQ-equivalent image hash (image_hash.h). A sampled frame within
// kVideoDuplicateFrameDistance bits of the last kept frame is pruned: the kept frame's span is
// extended instead, so a still scene is one frame with a long span. The audio track, when
// there is one, is fingerprinted with the audio code (audio_fingerprint.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/audio_fingerprint.h"
#include "fingerprint/image_hash.h"

namespace rightchain::fingerprint {

inline constexpr std::string_view kVideoAlgorithmName = "rightchain-video-pdq-1fps-v1";
inline constexpr std::uint32_t kVideoAlgorithmVersion = 1;
// Inputs larger than this are refused before decoding.
inline constexpr std::size_t kMaxVideoFileSizeBytes = std::size_t{512} << 20;
inline constexpr double kMaxVideoDurationSeconds = 3.0 * 60.0 * 60.0;
// Decoded frames of any rate are bounded too (a stream with broken timestamps never advances).
inline constexpr std::size_t kMaxDecodedVideoFrames =
    static_cast<std::size_t>(kMaxVideoDurationSeconds) * 240;
inline constexpr int kMaxVideoSidePixels = 16384;
inline constexpr std::int64_t kMaxVideoFramePixels = std::int64_t{8192} * 8192;
inline constexpr double kVideoSampleIntervalSeconds = 1.0;
inline constexpr std::size_t kMaxVideoFrames =
    static_cast<std::size_t>(kMaxVideoDurationSeconds / kVideoSampleIntervalSeconds) + 2;
// Sampled frames are scaled so that their longer side is this long before cropping and hashing.
inline constexpr int kVideoHashingSidePixels = 256;
// Consecutive sampled frames this close (bits of 256) are one kept frame.
inline constexpr int kVideoDuplicateFrameDistance = 20;
// A border row or column has at most kBorderBrightShare of its pixels brighter than
// kBorderMaxLuma; each side's bar is at most kBorderMaxFraction of the frame, and nothing is
// cropped from a frame that would keep less than kBorderMinKeptFraction of a side (a dark frame).
inline constexpr int kBorderMaxLuma = 40;
inline constexpr double kBorderBrightShare = 0.02;
inline constexpr double kBorderMaxFraction = 0.4;
inline constexpr double kBorderMinKeptFraction = 0.3;

struct VideoFrameHash {
  double time_seconds = 0;      // when the frame is shown, from the start of the stream
  double duration_seconds = 0;  // until the next kept frame (pruned duplicates folded in)
  ImageHash hash;
  std::uint8_t quality = 0;  // PDQ quality 0..100
};

struct VideoFingerprint {
  std::vector<VideoFrameHash> frames;  // kept frames, in time order
  double duration_seconds = 0;
  int width = 0;  // of the first decoded frame, before cropping
  int height = 0;
  std::size_t decoded_frames = 0;
  std::size_t sampled_frames = 0;  // before pruning near-duplicates
  bool has_audio = false;          // an audio track long enough to fingerprint
  AudioFingerprint audio;
};

// Whether `content` starts like a container that can carry video (MP4/MOV, Matroska/WebM, AVI,
// FLV, MPEG-TS, MPEG-PS, ASF, Ogg) and FFmpeg finds a video stream in it that is not a cover
// picture (an audio file with cover art stays audio).
bool IsVideoContent(ByteView content);
// The signature part of IsVideoContent only (for error messages about damaged videos).
bool HasVideoContainerSignature(ByteView content);

// The frame hashes only (no audio): the decoding entry point. kLimitExceeded past
// kMaxVideoFileSizeBytes, kMaxVideoDurationSeconds or the frame size limits; kInvalidArgument
// when FFmpeg cannot read the container, there is no video stream or no decodable frame.
Result<VideoFingerprint> FingerprintVideoFrames(ByteView content);
// The frame hashes and, when the file has usable audio, its audio fingerprint.
Result<VideoFingerprint> FingerprintVideoBytes(ByteView content);

// Per kept frame: start and span in milliseconds (u32 each), quality (u8), then the 32 hash
// bytes (most significant first, as ImageHashToHex prints). Little-endian.
Bytes EncodeVideoFingerprint(const VideoFingerprint& fingerprint);

}  // namespace rightchain::fingerprint
