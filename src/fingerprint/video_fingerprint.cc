#include "fingerprint/video_fingerprint.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "base/assert.h"
#include "fingerprint/binary_io.h"
#include "fingerprint/ffmpeg_handles.h"
#include "fingerprint/ffmpeg_input.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

namespace rightchain::fingerprint {
namespace {

// Used when a stream gives no usable frame rate and its frames no timestamps.
constexpr double kFallbackFramesPerSecond = 25.0;

bool StartsWith(ByteView content, std::size_t offset, std::string_view prefix) {
  return content.size() >= offset + prefix.size() && AsText(content.subspan(offset, prefix.size())) == prefix;
}

}  // namespace

bool HasVideoContainerSignature(ByteView content) {
  if (StartsWith(content, 0, "\x1a\x45\xdf\xa3")) return true;  // Matroska / WebM (EBML)
  if (content.size() >= 8 && content[0] == 0 &&
      (StartsWith(content, 4, "ftyp") || StartsWith(content, 4, "moov") || StartsWith(content, 4, "mdat") ||
       StartsWith(content, 4, "wide") || StartsWith(content, 4, "free"))) {
    return true;  // MP4 / MOV: a big-endian box size, then the box type
  }
  if (StartsWith(content, 0, "RIFF") && StartsWith(content, 8, "AVI ")) return true;
  if (StartsWith(content, 0, "FLV\x01")) return true;
  if (StartsWith(content, 0, std::string_view("\x00\x00\x01\xba", 4))) return true;     // MPEG-PS pack
  if (content.size() > 188 && content[0] == 0x47 && content[188] == 0x47) return true;  // MPEG-TS
  if (StartsWith(content, 0, "\x30\x26\xb2\x75\x8e\x66\xcf\x11")) return true;          // ASF / WMV
  return StartsWith(content, 0, "OggS") && content.size() > 4 && content[4] == 0;       // Theora
}

namespace {

// The first video stream that is a moving picture (not an attached cover picture), or -1.
int FindVideoStream(const AVFormatContext* format, const AVCodec** codec) {
  *codec = nullptr;
  for (unsigned index = 0; index < format->nb_streams; ++index) {
    const AVStream* stream = format->streams[index];
    if (stream->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
    if (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) continue;
    *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    return static_cast<int>(index);
  }
  return -1;
}

struct ScalerDeleter {
  void operator()(SwsContext* context) const { sws_freeContext(context); }
};

// Rows [top, bottom) and columns [left, right) of `image` left after cropping black bars.
struct Crop {
  int top = 0, bottom = 0, left = 0, right = 0;
};

Crop FindBlackBorders(const std::vector<std::uint8_t>& luma, int width, int height) {
  const auto bright_count = [&](int row_begin, int row_end, int column_begin, int column_end) {
    int count = 0;
    for (int row = row_begin; row < row_end; ++row) {
      const std::uint8_t* line = luma.data() + static_cast<std::size_t>(row) * width;
      for (int column = column_begin; column < column_end; ++column) count += line[column] > kBorderMaxLuma;
    }
    return count;
  };
  const auto black_row = [&](int row) {
    return bright_count(row, row + 1, 0, width) <= kBorderBrightShare * width;
  };
  const auto black_column = [&](int column, int top, int bottom) {
    return bright_count(top, bottom, column, column + 1) <= kBorderBrightShare * (bottom - top);
  };
  Crop crop{0, height, 0, width};
  const int max_rows = static_cast<int>(kBorderMaxFraction * height);
  const int max_columns = static_cast<int>(kBorderMaxFraction * width);
  while (crop.top < max_rows && black_row(crop.top)) ++crop.top;
  while (height - crop.bottom < max_rows && black_row(crop.bottom - 1)) --crop.bottom;
  if (crop.bottom - crop.top < kBorderMinKeptFraction * height) {
    crop.top = 0;
    crop.bottom = height;
  }
  while (crop.left < max_columns && black_column(crop.left, crop.top, crop.bottom)) ++crop.left;
  while (width - crop.right < max_columns && black_column(crop.right - 1, crop.top, crop.bottom))
    --crop.right;
  if (crop.right - crop.left < kBorderMinKeptFraction * width) {
    crop.left = 0;
    crop.right = width;
  }
  return crop;
}

// One decoding session of the chosen video stream.
class VideoDecoder {
 public:
  explicit VideoDecoder(ByteView content) : content_(content) {}

  Status Open() {
    RC_ASSIGN_OR_RETURN(demuxer_, detail::MemoryDemuxer::Open(content_, "video"));
    const AVCodec* codec = nullptr;
    stream_index_ = FindVideoStream(demuxer_->format(), &codec);
    if (stream_index_ < 0) return Status::InvalidArgument("no video stream found");
    if (codec == nullptr) return Status::InvalidArgument("no decoder for the video stream");
    const AVStream* stream = demuxer_->format()->streams[stream_index_];
    codec_.reset(avcodec_alloc_context3(codec));
    if (!codec_) return Status::Internal("out of memory for the video decoder");
    int code = avcodec_parameters_to_context(codec_.get(), stream->codecpar);
    if (code < 0) return Status::InvalidArgument("bad video stream parameters: " + detail::AvError(code));
    codec_->thread_count = 1;  // one core per file; callers hash several files in parallel
    code = avcodec_open2(codec_.get(), codec, nullptr);
    if (code < 0) return Status::InvalidArgument("cannot open the video decoder: " + detail::AvError(code));
    time_base_ = av_q2d(stream->time_base);
    start_ticks_ = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
    const double rate = av_q2d(stream->avg_frame_rate);
    frame_seconds_ = rate > 0.5 && rate < 1000 ? 1.0 / rate : 1.0 / kFallbackFramesPerSecond;
    return Status::Ok();
  }

  Result<VideoFingerprint> DecodeAll() {
    RC_RETURN_IF_ERROR(detail::DecodeStream(demuxer_->format(), stream_index_, codec_.get(), "video",
                                            [this](AVFrame* frame) { return Take(frame); }));
    if (result_.frames.empty()) return Status::InvalidArgument("no decodable video frame in the stream");
    result_.duration_seconds = std::max(result_.duration_seconds, result_.frames.back().time_seconds);
    for (std::size_t index = 0; index < result_.frames.size(); ++index) {
      const double end = index + 1 < result_.frames.size() ? result_.frames[index + 1].time_seconds
                                                           : result_.duration_seconds;
      result_.frames[index].duration_seconds =
          std::max(end - result_.frames[index].time_seconds, frame_seconds_);
    }
    return std::move(result_);
  }

 private:
  // The frame's presentation time in seconds from the stream's start.
  double FrameTime(const AVFrame* frame) const {
    const std::int64_t ticks = frame->best_effort_timestamp;
    if (ticks == AV_NOPTS_VALUE || time_base_ <= 0) {
      return static_cast<double>(result_.decoded_frames) * frame_seconds_;
    }
    const double seconds = static_cast<double>(ticks - start_ticks_) * time_base_;
    return std::isfinite(seconds) ? std::max(seconds, 0.0) : 0.0;
  }

  Status Take(const AVFrame* frame) {
    if (++result_.decoded_frames > kMaxDecodedVideoFrames) {
      return Status::LimitExceeded("the video has more than " + std::to_string(kMaxDecodedVideoFrames) +
                                   " frames");
    }
    const double time = FrameTime(frame);
    if (time > kMaxVideoDurationSeconds) {
      return Status::LimitExceeded("the video is longer than the limit of " +
                                   std::to_string(static_cast<int>(kMaxVideoDurationSeconds / 60)) +
                                   " minutes");
    }
    result_.duration_seconds = std::max(result_.duration_seconds, time + frame_seconds_);
    if (time < next_sample_seconds_) return Status::Ok();
    next_sample_seconds_ = (std::floor(time / kVideoSampleIntervalSeconds) + 1) * kVideoSampleIntervalSeconds;
    if (frame->width <= 0 || frame->height <= 0 || frame->width > kMaxVideoSidePixels ||
        frame->height > kMaxVideoSidePixels ||
        static_cast<std::int64_t>(frame->width) * frame->height > kMaxVideoFramePixels) {
      return Status::LimitExceeded("unsupported video frame size " + std::to_string(frame->width) + "x" +
                                   std::to_string(frame->height));
    }
    if (frame->format < 0 || av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format)) == nullptr) {
      return Status::InvalidArgument("unsupported video pixel format");
    }
    if (result_.width == 0) {
      result_.width = frame->width;
      result_.height = frame->height;
    }
    ++result_.sampled_frames;
    RC_ASSIGN_OR_RETURN(const LumaImage luma, Luma(frame));
    const PdqResult pdq = PdqHash(luma, /*all_dihedral=*/false);
    if (!result_.frames.empty() &&
        HammingDistance(result_.frames.back().hash, pdq.hashes[0]) <= kVideoDuplicateFrameDistance) {
      return Status::Ok();  // a near-duplicate: the last kept frame's span grows over it
    }
    if (result_.frames.size() >= kMaxVideoFrames) return Status::LimitExceeded("too many video frames");
    result_.frames.push_back(
        VideoFrameHash{time, 0, pdq.hashes[0], static_cast<std::uint8_t>(std::clamp(pdq.quality, 0, 100))});
    return Status::Ok();
  }

  // The frame as luminance, longer side kVideoHashingSidePixels, black borders cropped.
  Result<LumaImage> Luma(const AVFrame* frame) {
    const double scale = static_cast<double>(kVideoHashingSidePixels) / std::max(frame->width, frame->height);
    const int width =
        std::clamp(static_cast<int>(std::lround(frame->width * scale)), 1, kVideoHashingSidePixels);
    const int height =
        std::clamp(static_cast<int>(std::lround(frame->height * scale)), 1, kVideoHashingSidePixels);
    SwsContext* scaler = sws_getCachedContext(scaler_.release(), frame->width, frame->height,
                                              static_cast<AVPixelFormat>(frame->format), width, height,
                                              AV_PIX_FMT_GRAY8, SWS_AREA, nullptr, nullptr, nullptr);
    scaler_.reset(scaler);
    if (!scaler_) return Status::InvalidArgument("cannot convert this video's pixel format");
    gray_.resize(static_cast<std::size_t>(width) * height);
    std::uint8_t* planes[4] = {gray_.data(), nullptr, nullptr, nullptr};
    int strides[4] = {width, 0, 0, 0};
    const int rows =
        sws_scale(scaler_.get(), frame->data, frame->linesize, 0, frame->height, planes, strides);
    if (rows != height) return Status::InvalidArgument("cannot convert a video frame");
    const Crop crop = FindBlackBorders(gray_, width, height);
    LumaImage image;
    image.width = crop.right - crop.left;
    image.height = crop.bottom - crop.top;
    RC_ASSERT(image.width >= 1 && image.height >= 1);
    image.pixels.reserve(static_cast<std::size_t>(image.width) * image.height);
    for (int row = crop.top; row < crop.bottom; ++row) {
      const std::uint8_t* line = gray_.data() + static_cast<std::size_t>(row) * width;
      image.pixels.insert(image.pixels.end(), line + crop.left, line + crop.right);
    }
    return image;
  }

  ByteView content_;
  std::unique_ptr<detail::MemoryDemuxer> demuxer_;
  detail::CodecContextPointer codec_;
  std::unique_ptr<SwsContext, ScalerDeleter> scaler_;
  int stream_index_ = -1;
  double time_base_ = 0;
  std::int64_t start_ticks_ = 0;
  double frame_seconds_ = 1.0 / kFallbackFramesPerSecond;
  double next_sample_seconds_ = 0;
  std::vector<std::uint8_t> gray_;
  VideoFingerprint result_;
};

}  // namespace

bool IsVideoContent(ByteView content) {
  if (!HasVideoContainerSignature(content) || content.size() > kMaxVideoFileSizeBytes) return false;
  Result<std::unique_ptr<detail::MemoryDemuxer>> demuxer = detail::MemoryDemuxer::Open(content, "video");
  if (!demuxer.ok()) return false;
  const AVCodec* codec = nullptr;
  return FindVideoStream((*demuxer)->format(), &codec) >= 0;
}

Result<VideoFingerprint> FingerprintVideoFrames(ByteView content) {
  if (content.size() > kMaxVideoFileSizeBytes) {
    return Status::LimitExceeded("video input is " + std::to_string(content.size()) +
                                 " bytes, more than the limit of " + std::to_string(kMaxVideoFileSizeBytes));
  }
  if (content.empty()) return Status::InvalidArgument("empty video input");
  VideoDecoder decoder(content);
  RC_RETURN_IF_ERROR(decoder.Open());
  return decoder.DecodeAll();
}

Result<VideoFingerprint> FingerprintVideoBytes(ByteView content) {
  RC_ASSIGN_OR_RETURN(VideoFingerprint video, FingerprintVideoFrames(content));
  // No audio track, or one too short or too long to fingerprint, leaves the pictures alone.
  Result<AudioFingerprint> audio = FingerprintAudioTrack(content);
  if (audio.ok()) {
    video.has_audio = true;
    video.audio = std::move(*audio);
  }
  return video;
}

Bytes EncodeVideoFingerprint(const VideoFingerprint& fingerprint) {
  detail::ByteWriter writer;
  writer.Reserve(fingerprint.frames.size() * (4 + 4 + 1 + 32));
  const auto milliseconds = [](double seconds) {
    return static_cast<std::uint32_t>(std::clamp(std::lround(seconds * 1000.0), 0L, long{UINT32_MAX}));
  };
  for (const VideoFrameHash& frame : fingerprint.frames) {
    writer.U32(milliseconds(frame.time_seconds));
    writer.U32(milliseconds(frame.duration_seconds));
    writer.U8(frame.quality);
    for (int word = 3; word >= 0; --word) {
      for (int shift = 56; shift >= 0; shift -= 8)
        writer.U8(static_cast<std::uint8_t>(frame.hash.words[word] >> shift));
    }
  }
  return std::move(writer.bytes());
}

}  // namespace rightchain::fingerprint
