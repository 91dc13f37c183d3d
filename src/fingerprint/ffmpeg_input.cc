#include "fingerprint/ffmpeg_input.h"

#include "fingerprint/ffmpeg_handles.h"

#include <algorithm>
#include <cstdint>
#include <mutex>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

namespace rightchain::fingerprint::detail {
namespace {

constexpr int kIoBufferSizeBytes = 1 << 15;

}  // namespace

struct MemoryDemuxer::Input {
  ByteView content;
  std::size_t position = 0;
  AVIOContext* io = nullptr;

  static int Read(void* opaque, std::uint8_t* buffer, int size) {
    auto* input = static_cast<Input*>(opaque);
    const std::size_t left = input->content.size() - input->position;
    if (left == 0) return AVERROR_EOF;
    const std::size_t count = std::min(left, static_cast<std::size_t>(std::max(size, 0)));
    std::copy_n(input->content.data() + input->position, count, buffer);
    input->position += count;
    return static_cast<int>(count);
  }
  static std::int64_t Seek(void* opaque, std::int64_t offset, int whence) {
    auto* input = static_cast<Input*>(opaque);
    const auto size = static_cast<std::int64_t>(input->content.size());
    if (whence & AVSEEK_SIZE) return size;
    std::int64_t target = 0;
    switch (whence & ~AVSEEK_FORCE) {
      case SEEK_SET: target = offset; break;
      case SEEK_CUR: target = static_cast<std::int64_t>(input->position) + offset; break;
      case SEEK_END: target = size + offset; break;
      default: return AVERROR(EINVAL);
    }
    if (target < 0 || target > size) return AVERROR(EINVAL);
    input->position = static_cast<std::size_t>(target);
    return target;
  }
};

std::string AvError(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof(text));
  return text;
}

void QuietFfmpegLogs() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

MemoryDemuxer::MemoryDemuxer() : input_(std::make_unique<Input>()) {}

MemoryDemuxer::~MemoryDemuxer() {
  if (format_ != nullptr) avformat_close_input(&format_);
  if (input_->io != nullptr) {
    av_freep(&input_->io->buffer);
    avio_context_free(&input_->io);
  }
}

Result<std::unique_ptr<MemoryDemuxer>> MemoryDemuxer::Open(ByteView content, std::string_view what) {
  QuietFfmpegLogs();
  std::unique_ptr<MemoryDemuxer> demuxer(new MemoryDemuxer());
  demuxer->input_->content = content;
  auto* buffer = static_cast<std::uint8_t*>(av_malloc(kIoBufferSizeBytes));
  if (buffer == nullptr)
    return Status::Internal("out of memory for the " + std::string(what) + " input buffer");
  demuxer->input_->io = avio_alloc_context(buffer, kIoBufferSizeBytes, 0, demuxer->input_.get(), &Input::Read,
                                           nullptr, &Input::Seek);
  if (demuxer->input_->io == nullptr) {
    av_free(buffer);
    return Status::Internal("out of memory for the " + std::string(what) + " input context");
  }
  AVFormatContext* format = avformat_alloc_context();
  if (format == nullptr)
    return Status::Internal("out of memory for the " + std::string(what) + " format context");
  format->pb = demuxer->input_->io;
  format->flags |= AVFMT_FLAG_CUSTOM_IO;
  int code = avformat_open_input(&format, nullptr, nullptr, nullptr);  // frees `format` on failure
  if (code < 0)
    return Status::InvalidArgument("not a readable " + std::string(what) + " file: " + AvError(code));
  demuxer->format_ = format;
  code = avformat_find_stream_info(format, nullptr);
  if (code < 0) {
    return Status::InvalidArgument("cannot read the " + std::string(what) + " streams: " + AvError(code));
  }
  return demuxer;
}

namespace {

Status ReceiveFrames(AVCodecContext* codec, AVFrame* frame, const std::function<Status(AVFrame*)>& on_frame) {
  for (;;) {
    const int code = avcodec_receive_frame(codec, frame);
    if (code == AVERROR(EAGAIN) || code == AVERROR_EOF) return Status::Ok();
    if (code < 0) return Status::Ok();  // a damaged frame: skipped
    const Status status = on_frame(frame);
    av_frame_unref(frame);
    RC_RETURN_IF_ERROR(status);
  }
}

}  // namespace

Status DecodeStream(AVFormatContext* format, int stream_index, AVCodecContext* codec, std::string_view what,
                    const std::function<Status(AVFrame*)>& on_frame) {
  PacketPointer packet(av_packet_alloc());
  FramePointer frame(av_frame_alloc());
  if (!packet || !frame) return Status::Internal("out of memory for " + std::string(what) + " packets");
  for (;;) {
    if (av_read_frame(format, packet.get()) < 0)
      break;  // end of input, or a damaged tail: keep what was decoded
    Status status = Status::Ok();
    // A damaged packet is skipped; only a stream that yields nothing fails (the caller decides).
    if (packet->stream_index == stream_index && avcodec_send_packet(codec, packet.get()) >= 0) {
      status = ReceiveFrames(codec, frame.get(), on_frame);
    }
    av_packet_unref(packet.get());
    RC_RETURN_IF_ERROR(status);
  }
  if (avcodec_send_packet(codec, nullptr) >= 0)
    RC_RETURN_IF_ERROR(ReceiveFrames(codec, frame.get(), on_frame));
  return Status::Ok();
}

}  // namespace rightchain::fingerprint::detail
