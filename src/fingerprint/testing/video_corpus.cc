#include "fingerprint/testing/video_corpus.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "fingerprint/testing/image_corpus.h"
#include "fingerprint/testing/synthetic_audio.h"

namespace rightchain::fingerprint::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr int kAudioSampleRateHz = 22050;
constexpr std::size_t kPhotosPerSlideshow = 5;
constexpr int kVideosPerCommand = 8;
// Smaller files are mostly icons and thumbnails: too little detail to film.
constexpr std::uintmax_t kMinPhotoFileSizeBytes = 40 * 1024;
constexpr std::string_view kOriginalEncoding =
    "-c:v libx264 -preset ultrafast -crf 18 -pix_fmt yuv420p -r 30 -movflags +faststart";

enum class Kind { kSlideshow, kZoom, kCaption, kMandelbrot, kLife, kCellauto, kTestsrc };

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kSlideshow: return "slideshow";
    case Kind::kZoom: return "zoompan";
    case Kind::kCaption: return "caption";
    case Kind::kMandelbrot: return "mandelbrot";
    case Kind::kLife: return "life";
    case Kind::kCellauto: return "cellauto";
    case Kind::kTestsrc: return "testsrc2";
  }
  return "unknown";
}

std::string Size() {
  return std::to_string(kCorpusWidthPixels) + "x" + std::to_string(kCorpusHeightPixels);
}

// Scales and crops a picture to fill the corpus frame.
std::string FillFrame() {
  return "scale=" + std::to_string(kCorpusWidthPixels) + ":" + std::to_string(kCorpusHeightPixels) +
         ":force_original_aspect_ratio=increase,crop=" + std::to_string(kCorpusWidthPixels) + ":" +
         std::to_string(kCorpusHeightPixels) + ",setsar=1,format=yuv420p";
}

std::string Number(double value) {
  std::ostringstream text;
  text.precision(10);
  text << value;
  return text.str();
}

// Inputs and a filter graph ending in [v] for one generated video.
struct Recipe {
  std::string inputs;
  std::string filter;
  int input_count = 0;
};

Recipe Slideshow(const std::vector<std::string>& photos, double seconds, const std::string& caption) {
  Recipe recipe;
  const double each = seconds / static_cast<double>(photos.size());
  std::string chain;
  for (std::size_t index = 0; index < photos.size(); ++index) {
    recipe.inputs += "-framerate 1 -loop 1 -t " + Number(each) + " -i " + ShellQuote(photos[index]) + " ";
    recipe.filter += "[" + std::to_string(index) + ":v]" + FillFrame() + "[s" + std::to_string(index) + "];";
    chain += "[s" + std::to_string(index) + "]";
  }
  recipe.filter += chain + "concat=n=" + std::to_string(photos.size()) + ":v=1:a=0,fps=30";
  if (!caption.empty()) {
    recipe.filter +=
        ",drawtext=fontfile=" + std::string(kFontFile) + ":text='" + caption +
        "':fontsize=16:fontcolor=white:box=1:boxcolor=black@0.5:x=(w-text_w)/2+40*sin(t/3):y=h-36";
  }
  recipe.filter += "[v]";
  recipe.input_count = static_cast<int>(photos.size());
  return recipe;
}

Recipe Zoom(const std::string& photo, double seconds, std::mt19937_64& random) {
  const int frames = static_cast<int>(seconds * kCorpusFramesPerSecond);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double zoom = 1.3 + 0.7 * unit(random);
  const double x0 = unit(random);
  const double y0 = unit(random);
  const double x1 = unit(random);
  const double y1 = unit(random);
  const std::string progress = "(on/" + std::to_string(frames) + ")";
  Recipe recipe;
  recipe.inputs = "-i " + ShellQuote(photo) + " ";
  recipe.filter =
      "[0:v]scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,setsar=1,zoompan=z='1+" +
      Number(zoom - 1) + "*" + progress + "':x='(iw-iw/zoom)*(" + Number(x0) + "+" + Number(x1 - x0) + "*" +
      progress + ")':y='(ih-ih/zoom)*(" + Number(y0) + "+" + Number(y1 - y0) + "*" + progress +
      ")':d=" + std::to_string(frames) + ":s=" + Size() + ":fps=30,format=yuv420p[v]";
  recipe.input_count = 1;
  return recipe;
}

Recipe Synthetic(Kind kind, double seconds, std::mt19937_64& random) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto seed = std::to_string(random() % 1000000007);
  const std::string scale_up = ",scale=" + std::to_string(kCorpusWidthPixels) + ":" +
                               std::to_string(kCorpusHeightPixels) + ":flags=neighbor";
  std::string source;
  switch (kind) {
    case Kind::kMandelbrot: {
      // Points on the set's boundary, where zooming keeps finding detail.
      static constexpr std::pair<double, double> kSpots[] = {{-0.743643887, 0.131825904},
                                                             {-0.7453, 0.1127},
                                                             {-0.16, 1.0405},
                                                             {-1.25066, 0.02012},
                                                             {0.275, 0.0068},
                                                             {-0.77568377, 0.13646737},
                                                             {-1.768778833, -0.001738996},
                                                             {0.001643721, -0.822467633},
                                                             {-0.1011, 0.9563}};
      const auto& spot = kSpots[random() % std::size(kSpots)];
      // Zoomed out, every view shows the whole set: start close and a seeded way off the spot.
      const double start_scale = 0.03 + 0.3 * unit(random);
      static constexpr std::string_view kOuter[] = {"iteration_count", "normalized_iteration_count"};
      static constexpr std::string_view kInner[] = {"black", "period", "convergence", "mincol"};
      source = "mandelbrot=s=" + Size() +
               ":r=30:start_x=" + Number(spot.first + 0.03 * (unit(random) - 0.5)) +
               ":start_y=" + Number(spot.second + 0.03 * (unit(random) - 0.5)) +
               ":start_scale=" + Number(start_scale) +
               ":end_scale=" + Number(start_scale * (0.02 + 0.2 * unit(random))) +
               ":end_pts=" + std::to_string(static_cast<int>(seconds * 30)) +
               ":outer=" + std::string(kOuter[random() % 2]) + ":inner=" + std::string(kInner[random() % 4]);
      break;
    }
    case Kind::kLife: {
      static constexpr std::string_view kRules[] = {"B3/S23", "B36/S23", "B3678/S34678", "B368/S245",
                                                    "B35678/S5678"};
      source = "life=s=80x45:r=6:seed=" + seed + ":ratio=" + Number(0.2 + 0.5 * unit(random)) +
               ":rule=" + std::string(kRules[random() % std::size(kRules)]) +
               ":mold=" + std::to_string(random() % 40) + ":life_color=#" +
               std::to_string(100000 + random() % 800000) + ":death_color=#101010:mold_color=#" +
               std::to_string(100000 + random() % 800000) + scale_up + ",fps=30";
      break;
    }
    case Kind::kCellauto: {
      static constexpr int kRules[] = {30, 45, 73, 86, 89, 105, 110, 124, 135, 137, 149, 150, 169, 193};
      source = "cellauto=s=80x45:r=10:rule=" + std::to_string(kRules[random() % std::size(kRules)]) +
               ":seed=" + seed + ":random_fill_ratio=" + Number(0.2 + 0.6 * unit(random)) + scale_up +
               ",fps=30";
      break;
    }
    default: source = "testsrc2=s=" + Size() + ":r=30"; break;
  }
  Recipe recipe;
  recipe.inputs = "-f lavfi -t " + Number(seconds) + " -i " + ShellQuote(source) + " ";
  recipe.filter = "[0:v]format=yuv420p[v]";
  recipe.input_count = 1;
  return recipe;
}

// A recipe's filter graph with its input numbers moved up by `base` and its labels made unique
// to video `video` of a command ("[0:v]" becomes "[<base>:v]", "[v]" "[v<video>]", "[s1]"
// "[<video>s1]").
std::string Relabel(const std::string& filter, int base, int video) {
  std::string relabelled;
  std::size_t position = 0;
  while (position < filter.size()) {
    const std::size_t open = filter.find('[', position);
    const std::size_t close = open == std::string::npos ? std::string::npos : filter.find(']', open);
    if (close == std::string::npos) {
      relabelled += filter.substr(position);
      break;
    }
    relabelled += filter.substr(position, open - position);
    const std::string label = filter.substr(open + 1, close - open - 1);
    if (label.size() > 2 && label.ends_with(":v")) {
      relabelled += "[" + std::to_string(base + std::stoi(label)) + ":v]";
    } else if (label == "v") {
      relabelled += "[v" + std::to_string(video) + "]";
    } else {
      relabelled += "[" + std::to_string(video) + label + "]";
    }
    position = close + 1;
  }
  return relabelled;
}

std::vector<std::string> UsablePhotos(std::mt19937_64& random) {
  std::vector<std::string> photos;
  for (const std::string& file : PictureFiles()) {
    std::error_code error;
    if (fs::file_size(file, error) >= kMinPhotoFileSizeBytes && !error) photos.push_back(file);
  }
  std::shuffle(photos.begin(), photos.end(), random);
  return photos;
}

}  // namespace

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

Status CheckFfmpeg() {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) {
    return Status::Unavailable("the ffmpeg command is missing: install " + std::string(kVideoCorpusPackages) +
                               " (scripts/install-deps does)");
  }
  return Status::Ok();
}

Status RunFfmpeg(const std::string& arguments) {
  std::string log_name = (fs::temp_directory_path() / "rightchain-ffmpeg-XXXXXX").string();
  const int descriptor = mkstemp(log_name.data());
  if (descriptor < 0) return Status::IoError("cannot create a log file for ffmpeg");
  close(descriptor);
  const std::string command = "ffmpeg -nostdin -v error -y " + arguments + " 2>" + log_name;
  const int status = std::system(command.c_str());
  std::ifstream log(log_name);
  std::stringstream text;
  text << log.rdbuf();
  std::remove(log_name.c_str());
  if (status != 0) return Status::Internal("ffmpeg " + arguments + " failed: " + text.str());
  return Status::Ok();
}

Status RunFfmpegAll(const std::vector<std::string>& argument_lists, int parallel) {
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  Status first_failure = Status::Ok();
  const auto work = [&] {
    for (std::size_t index = next++; index < argument_lists.size(); index = next++) {
      Status status = RunFfmpeg(argument_lists[index]);
      if (!status.ok()) {
        std::lock_guard lock(mutex);
        if (first_failure.ok()) first_failure = std::move(status);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int thread = 0; thread < std::max(parallel, 1); ++thread) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  return first_failure;
}

Result<std::vector<GeneratedVideo>> GenerateVideoCorpus(const VideoCorpusOptions& options,
                                                        const fs::path& directory) {
  RC_RETURN_IF_ERROR(CheckFfmpeg());
  std::mt19937_64 random(options.seed);
  std::vector<std::string> photos = options.photographs ? UsablePhotos(random) : std::vector<std::string>{};
  std::size_t next_photo = 0;
  std::vector<GeneratedVideo> videos;
  std::vector<std::string> commands;
  // Several videos per ffmpeg command: starting the command costs as much as a short video.
  struct Batch {
    std::string inputs;
    std::string filters;
    std::string outputs;
    int input_count = 0;
    int videos = 0;
  } batch;
  static constexpr Kind kRotation[] = {Kind::kSlideshow, Kind::kMandelbrot, Kind::kZoom,      Kind::kLife,
                                       Kind::kCaption,   Kind::kCellauto,   Kind::kMandelbrot};
  for (std::size_t index = 0; index < options.count; ++index) {
    Kind kind = kRotation[index % std::size(kRotation)];
    if (index == 6) kind = Kind::kTestsrc;  // once: every testsrc2 looks the same
    const double seconds = index < options.long_count ? options.seconds : options.short_seconds;
    // About one photograph every 4 seconds.
    const std::size_t photos_needed =
        kind == Kind::kZoom
            ? 1
            : std::clamp<std::size_t>(static_cast<std::size_t>(seconds / 4), 1, kPhotosPerSlideshow);
    const bool uses_photos = kind == Kind::kSlideshow || kind == Kind::kZoom || kind == Kind::kCaption;
    if (uses_photos && next_photo + photos_needed > photos.size()) {
      kind = index % 3 == 0 ? Kind::kMandelbrot : index % 3 == 1 ? Kind::kLife : Kind::kCellauto;
    }
    Recipe recipe;
    switch (kind) {
      case Kind::kSlideshow:
      case Kind::kCaption: {
        const std::vector<std::string> chosen(
            photos.begin() + static_cast<std::ptrdiff_t>(next_photo),
            photos.begin() + static_cast<std::ptrdiff_t>(next_photo + photos_needed));
        next_photo += photos_needed;
        recipe = Slideshow(chosen, seconds,
                           kind == Kind::kCaption ? "Sample work " + std::to_string(index) : std::string());
        break;
      }
      case Kind::kZoom: recipe = Zoom(photos[next_photo++], seconds, random); break;
      default: recipe = Synthetic(kind, seconds, random); break;
    }
    GeneratedVideo video;
    video.id = std::to_string(index) + "-" + std::string(KindName(kind));
    video.path = directory / (video.id + ".mp4");
    video.seconds = seconds;
    video.has_audio = index % 2 == 0;
    const int base = batch.input_count;
    batch.inputs += recipe.inputs;
    batch.input_count += recipe.input_count;
    batch.filters += (batch.filters.empty() ? "" : ";") + Relabel(recipe.filter, base, batch.videos);
    std::string maps = "-map '[v" + std::to_string(batch.videos) + "]'";
    if (video.has_audio) {
      const fs::path wav = directory / (video.id + ".wav");
      const Bytes bytes = EncodeWav(
          SyntheticMusic(options.seed + 7919 * (index + 1), seconds, kAudioSampleRateHz), kAudioSampleRateHz);
      std::ofstream(wav, std::ios::binary)
          .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      batch.inputs += "-i " + ShellQuote(wav.string()) + " ";
      maps += " -map " + std::to_string(batch.input_count++) + ":a -c:a aac -b:a 96k";
    }
    batch.outputs += maps + " -t " + Number(seconds) + " " + std::string(kOriginalEncoding) + " " +
                     ShellQuote(video.path.string()) + " ";
    videos.push_back(std::move(video));
    if (++batch.videos == kVideosPerCommand || index + 1 == options.count) {
      commands.push_back(batch.inputs + "-filter_complex " + ShellQuote(batch.filters) + " " + batch.outputs);
      batch = Batch{};
    }
  }
  RC_RETURN_IF_ERROR(RunFfmpegAll(commands, options.parallel));
  for (const GeneratedVideo& video : videos) {
    std::error_code ignored;
    fs::remove(directory / (video.id + ".wav"), ignored);
  }
  return videos;
}

std::vector<VideoTransformation> VideoTransformations() {
  return {
      {"reencode-240p", "scale=-2:240", "-c:v libx264 -preset ultrafast -crf 30", false, 0, 0.95},
      {"reencode-480p", "scale=-2:480", "-c:v libx264 -preset ultrafast -crf 26", false, 0, 0.95},
      {"reencode-720p", "scale=-2:720", "-c:v libx264 -preset ultrafast -crf 23", false, 0, 0.95},
      {"reencode-1080p", "scale=-2:1080", "-c:v libx264 -preset ultrafast -crf 20", false, 0, 0.95},
      {"fps-30-to-24", "fps=24", "-c:v libx264 -preset ultrafast -crf 23", false, 0, 0.95},
      {"fps-30-to-15", "fps=15", "-c:v libx264 -preset ultrafast -crf 23", false, 0, 0.95},
      {"letterbox-4:3", "pad=iw:iw*3/4:0:(oh-ih)/2:black,setsar=1", "-c:v libx264 -preset ultrafast -crf 23",
       false, 0, 0.9},
      {"pillarbox-21:9", "pad=ih*7/3:ih:(ow-iw)/2:0:black,setsar=1", "-c:v libx264 -preset ultrafast -crf 23",
       false, 0, 0.9},
      {"logo-overlay", "", "-c:v libx264 -preset ultrafast -crf 23", true, 0, 0.85},
      {"clip-10s", "", "-c:v libx264 -preset ultrafast -crf 23", false, 10, 0.8},
      {"clip-12s-480p", "scale=-2:480", "-c:v libx264 -preset ultrafast -crf 26", false, 12, 0.8},
  };
}

std::string TransformInputs(const fs::path& input, const fs::path& logo) {
  return "-i " + ShellQuote(input.string()) + " -i " + ShellQuote(logo.string()) +
         " -filter_complex '[1:v]scale=56:-1[logo];[0:v][logo]overlay=W-w-6:6,format=yuv420p[logoed]' ";
}

std::string TransformOutput(const VideoTransformation& transformation, const fs::path& output,
                            double clip_start_seconds) {
  std::string arguments = transformation.logo ? "-map '[logoed]' " : "-map 0:v ";
  arguments += "-map '0:a?' ";
  if (!transformation.logo && !transformation.video_filter.empty()) {
    arguments += "-vf " + ShellQuote(transformation.video_filter) + " ";
  }
  if (transformation.clip_seconds > 0) {
    arguments += "-ss " + Number(clip_start_seconds) + " -t " + Number(transformation.clip_seconds) + " ";
  }
  return arguments + transformation.encoding + " -pix_fmt yuv420p -c:a aac -b:a 64k " +
         ShellQuote(output.string()) + " ";
}

Status MakeLogo(const fs::path& path) {
  return RunFfmpeg("-f lavfi -i color=c=orange:s=64x36 -vf " +
                   ShellQuote("drawtext=fontfile=" + std::string(kFontFile) +
                              ":text='TV':fontcolor=white:fontsize=24:x=(w-text_w)/2:y=(h-text_h)/2") +
                   " -frames:v 1 " + ShellQuote(path.string()));
}

}  // namespace rightchain::fingerprint::testing
