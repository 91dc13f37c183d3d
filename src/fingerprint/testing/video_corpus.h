// A reproducible video corpus for the video accuracy test and benchmark, generated with the
// ffmpeg command: slideshows of the photographs of the image corpus (image_corpus.h; each
// photograph used once), pans and zooms over one photograph (zoompan), slideshows with a moving
// caption (drawtext, DejaVu Sans), and FFmpeg's test sources (mandelbrot, life, cellauto with
// seeded parameters, testsrc2 once). Every other video gets a synthetic music track
// (synthetic_audio.h) encoded as AAC. The copies are made with ffmpeg too: re-encodings at
// 240p to 1080p, frame-rate changes, letterbox, a logo in a corner, and clips.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace rightchain::fingerprint::testing {

inline constexpr std::string_view kVideoCorpusPackages = "ffmpeg fonts-dejavu-core";
inline constexpr int kCorpusWidthPixels = 320;
inline constexpr int kCorpusHeightPixels = 180;
inline constexpr int kCorpusFramesPerSecond = 30;

// kUnavailable when the ffmpeg command is missing.
Status CheckFfmpeg();
// Runs `ffmpeg -nostdin -v error -y <arguments>`; kInternal with its error output on failure.
Status RunFfmpeg(const std::string& arguments);
// Runs every argument list, `parallel` at a time; the first failure, if any.
Status RunFfmpegAll(const std::vector<std::string>& argument_lists, int parallel);
std::string ShellQuote(const std::string& text);

struct VideoCorpusOptions {
  std::uint64_t seed = 20261122;
  std::size_t count = 120;
  double seconds = 30;  // the first `long_count` videos
  std::size_t long_count = 120;
  double short_seconds = 20;  // the others (distractors)
  int parallel = 2;
  bool photographs = true;  // false: only FFmpeg's test sources
};

struct GeneratedVideo {
  std::string id;  // "<number>-<kind>"
  std::filesystem::path path;
  double seconds = 0;
  bool has_audio = false;
};

// Generates options.count videos into `directory` (which must exist). kUnavailable, naming the
// packages, when ffmpeg is missing.
Result<std::vector<GeneratedVideo>> GenerateVideoCorpus(const VideoCorpusOptions& options,
                                                        const std::filesystem::path& directory);

struct VideoTransformation {
  std::string name;
  std::string video_filter;  // ffmpeg -vf, or empty
  std::string encoding;      // ffmpeg output options for the video
  bool logo = false;         // overlay the logo in the top right corner
  double clip_seconds = 0;   // > 0: a clip of this length from a seeded start
  double min_recall = 0;     // asserted by the accuracy test
};

// Every transformation, in report order.
std::vector<VideoTransformation> VideoTransformations();

// The copies of one original are made by one ffmpeg command: TransformInputs (the original,
// and the logo picture MakeLogo made, overlaid once for every output that wants it), then
// TransformOutput for each copy (a clip starts at `clip_start_seconds`).
std::string TransformInputs(const std::filesystem::path& input, const std::filesystem::path& logo);
std::string TransformOutput(const VideoTransformation& transformation, const std::filesystem::path& output,
                            double clip_start_seconds);
// A 64x36 logo picture (white text on a coloured box) at `path`.
Status MakeLogo(const std::filesystem::path& path);

}  // namespace rightchain::fingerprint::testing
