#include "fingerprint/testing/video_evaluation.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

#include "fingerprint/media_fingerprint.h"
#include "fingerprint/video_index.h"

namespace rightchain::fingerprint::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Hashed {
  Result<VideoFingerprint> fingerprint = Status::Internal("not hashed");
  double seconds = 0;
};

// Fingerprints every file, `parallel` at a time.
std::vector<Hashed> HashAll(const std::vector<fs::path>& paths, int parallel) {
  std::vector<Hashed> hashed(paths.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t index = next++; index < paths.size(); index = next++) {
      const Clock::time_point start = Clock::now();
      Result<Bytes> bytes = ReadFileBytes(paths[index], kMaxVideoFileSizeBytes);
      hashed[index].fingerprint =
          bytes.ok() ? FingerprintVideoBytes(*bytes) : Result<VideoFingerprint>(bytes.status());
      hashed[index].seconds = SecondsSince(start);
    }
  };
  std::vector<std::thread> threads;
  for (int thread = 0; thread < std::max(parallel, 1); ++thread) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  return hashed;
}

// The other direction of deduplication: a short video whose frames appear, in order, anywhere in
// a kept long video (original or negative) would be matched by clips of that video, even though
// the whole long video, of which it is a small part, scores below the threshold against it.
bool SharesFramesWithLongVideos(const VideoFingerprint& candidate,
                                const std::vector<const VideoFingerprint*>& long_videos) {
  VideoIndex alone;
  if (!alone.Add("candidate", candidate).ok()) return false;
  for (const VideoFingerprint* video : long_videos) {
    for (const VideoMatch& match : alone.Match(*video, 0.0)) {
      if (match.matched_frames > 0) return true;
    }
  }
  return false;
}

}  // namespace

Result<VideoEvaluation> EvaluateVideo(const VideoEvaluationOptions& options, const fs::path& directory) {
  VideoEvaluation evaluation;
  const fs::path corpus_directory = directory / "corpus";
  const fs::path copy_directory = directory / "copies";
  fs::create_directories(corpus_directory);
  fs::create_directories(copy_directory);

  Clock::time_point start = Clock::now();
  RC_ASSIGN_OR_RETURN(const std::vector<GeneratedVideo> corpus,
                      GenerateVideoCorpus(options.corpus, corpus_directory));
  evaluation.generation_seconds = SecondsSince(start);
  evaluation.generated = corpus.size();

  std::vector<fs::path> paths;
  for (const GeneratedVideo& video : corpus) paths.push_back(video.path);
  const std::vector<Hashed> hashed = HashAll(paths, options.corpus.parallel);

  // Deduplicate in order, registering everything kept; the first kept become originals, the
  // next negatives (removed again), the rest distractors.
  VideoIndex index;
  std::vector<std::size_t> kept;
  std::vector<const VideoFingerprint*> long_kept;  // originals and negatives to be
  for (std::size_t position = 0; position < corpus.size(); ++position) {
    if (!hashed[position].fingerprint.ok()) {
      return hashed[position].fingerprint.status().WithContext(corpus[position].path.string());
    }
    const VideoFingerprint& fingerprint = *hashed[position].fingerprint;
    evaluation.video_seconds_hashed += fingerprint.duration_seconds;
    evaluation.hashing_seconds += hashed[position].seconds;
    if (!index.Match(fingerprint).empty() || SharesFramesWithLongVideos(fingerprint, long_kept)) {
      ++evaluation.dropped_duplicates;
      continue;
    }
    if (!index.Add(corpus[position].id, fingerprint).ok()) {
      ++evaluation.dropped_unindexable;
      continue;
    }
    kept.push_back(position);
    if (position < options.corpus.long_count) long_kept.push_back(&fingerprint);
  }
  if (kept.size() < options.originals + options.negatives) {
    return Status::Unavailable("only " + std::to_string(kept.size()) + " distinct videos were generated");
  }
  std::vector<std::size_t> originals(kept.begin(),
                                     kept.begin() + static_cast<std::ptrdiff_t>(options.originals));
  std::vector<std::size_t> negatives(
      kept.begin() + static_cast<std::ptrdiff_t>(options.originals),
      kept.begin() + static_cast<std::ptrdiff_t>(options.originals + options.negatives));
  for (std::size_t position : negatives) RC_RETURN_IF_ERROR(index.Remove(corpus[position].id));
  evaluation.registered = index.size();
  evaluation.frames = index.frame_count();

  // Copies of every original under every transformation.
  const fs::path logo = directory / "logo.png";
  RC_RETURN_IF_ERROR(MakeLogo(logo));
  struct Copy {
    std::size_t transformation;
    std::size_t original;
    fs::path path;
    double expected_offset_seconds;
  };
  std::vector<Copy> copies;
  std::mt19937_64 random(options.corpus.seed ^ 0x5eed);
  const std::vector<VideoTransformation> transformations = VideoTransformations();
  std::vector<std::string> commands;
  for (std::size_t number = 0; number < originals.size(); ++number) {
    const std::size_t original = originals[number];
    std::string command = TransformInputs(corpus[original].path, logo);
    for (std::size_t transformation = 0; transformation < transformations.size(); ++transformation) {
      const VideoTransformation& how = transformations[transformation];
      const bool heavy = how.video_filter.find("scale=-2:") != std::string::npos &&
                         how.video_filter.find("scale=-2:240") == std::string::npos;
      if (heavy && number >= options.max_heavy_copies) continue;
      const double seconds = corpus[original].seconds;
      double start_seconds = 0;
      if (how.clip_seconds > 0) {
        const double room = std::max(0.0, seconds - how.clip_seconds - 2.0);
        start_seconds = std::floor(1.0 + std::uniform_real_distribution<double>(0.0, room)(random));
      }
      const fs::path path = copy_directory / (how.name + "-" + corpus[original].id + ".mp4");
      command += TransformOutput(how, path, start_seconds);
      copies.push_back(Copy{transformation, original, path, start_seconds});
    }
    commands.push_back(std::move(command));
  }
  start = Clock::now();
  RC_RETURN_IF_ERROR(RunFfmpegAll(commands, options.corpus.parallel));
  evaluation.copying_seconds = SecondsSince(start);

  for (const VideoTransformation& how : transformations) {
    TransformationResult result;
    result.name = how.name;
    result.min_recall = how.min_recall;
    evaluation.transformations.push_back(result);
  }
  std::vector<fs::path> copy_paths;
  for (const Copy& copy : copies) copy_paths.push_back(copy.path);
  const std::vector<Hashed> copy_hashes = HashAll(copy_paths, options.corpus.parallel);
  for (std::size_t position = 0; position < copies.size(); ++position) {
    const Copy& copy = copies[position];
    TransformationResult& result = evaluation.transformations[copy.transformation];
    ++result.queries;
    if (!copy_hashes[position].fingerprint.ok()) continue;  // counted as missed
    evaluation.video_seconds_hashed += copy_hashes[position].fingerprint->duration_seconds;
    evaluation.hashing_seconds += copy_hashes[position].seconds;
    result.video_seconds += copy_hashes[position].fingerprint->duration_seconds;
    result.hashing_seconds += copy_hashes[position].seconds;
    const Clock::time_point query_start = Clock::now();
    const std::vector<VideoMatch> matches = index.Match(*copy_hashes[position].fingerprint);
    result.query_seconds += SecondsSince(query_start);
    const std::string& expected = corpus[copy.original].id;
    for (const VideoMatch& match : matches) {
      if (match.video_id == expected) continue;
      ++result.false_matches;
      result.false_match_details.push_back(
          expected + " -> " + match.video_id + ": score " + std::to_string(match.score) + ", frames " +
          std::to_string(match.matched_frames) + ", coverage " + std::to_string(match.visual_coverage) +
          ", mean distance " + std::to_string(match.mean_frame_distance) + ", audio " +
          std::to_string(match.audio_coverage));
    }
    if (!matches.empty() && matches[0].video_id == expected &&
        std::abs(matches[0].offset_seconds - copy.expected_offset_seconds) <=
            options.position_tolerance_seconds) {
      ++result.found;
      continue;
    }
    if (!matches.empty() && matches[0].video_id == expected) ++result.wrong_position;
    result.missed.push_back(expected);
  }
  for (std::size_t position : negatives) {
    ++evaluation.negatives;
    evaluation.negative_false_matches += index.Match(*hashed[position].fingerprint).size();
  }
  return evaluation;
}

}  // namespace rightchain::fingerprint::testing
