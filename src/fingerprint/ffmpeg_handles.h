// Internal to src/fingerprint's FFmpeg decoders (audio and video): owning handles for FFmpeg's
// codec contexts, packets and frames. Include only from .cc files: it pulls in libavcodec.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <memory>

namespace rightchain::fingerprint::detail {

struct CodecContextDeleter {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using CodecContextPointer = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using PacketPointer = std::unique_ptr<AVPacket, PacketDeleter>;
using FramePointer = std::unique_ptr<AVFrame, FrameDeleter>;

}  // namespace rightchain::fingerprint::detail
