// Audio fingerprint harness: generates a reproducible, deduplicated audio corpus (speech
// synthesised with espeak-ng from Chinese and English text that Debian packages ship; music-like
// signals made with sox: note sequences of chords at different tempos and timbres over a bed of
// white, pink or brown noise; and speech over such music), registers originals and distractors,
// makes every transformation of the originals, queries them and a set of unregistered tracks,
// and prints a Markdown report: recall per transformation, excerpt position accuracy, false
// matches, fingerprinting speed as a multiple of real time, query time p50/p99, index memory.
// Optionally pads the index with synthetic tracks of random items to time queries at a larger
// index size. Everything generated goes to a scratch directory that is removed at the end.
//
//   fingerprint_audio_harness [--originals N] [--negatives N] [--distractors N]
//                             [--distractor-seconds S] [--pad-tracks N] [--parallel N] [--seed S]
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "base/file.h"
#include "fingerprint/audio_fingerprint.h"
#include "fingerprint/audio_index.h"
#include "fingerprint/testing/corpus.h"
#include "harness_common.h"

namespace {

using namespace rightchain;
using namespace rightchain::fingerprint;
namespace fs = std::filesystem;

// Originals are written at CD rate so that resampling to 22,050 and 8,000 Hz are real copies.
constexpr int kOriginalRateHz = 44100;
constexpr double kMinOriginalSeconds = 30;
constexpr double kMaxOriginalSeconds = 60;
// Roughly how much text espeak-ng speaks in a minute and a bit (Chinese about 2.6 characters a
// second, English about 18), so originals can be cut to their length.
constexpr std::size_t kChineseCharactersPerOriginal = 200;
constexpr std::size_t kEnglishCharactersPerOriginal = 1200;
constexpr double kExcerptPositionToleranceSeconds = 1.0;
constexpr std::size_t kMaxMissedListed = 20;

enum class Kind { kSpeechChinese, kSpeechEnglish, kMusic, kMixChinese, kMixEnglish };
constexpr Kind kKinds[] = {Kind::kSpeechChinese, Kind::kSpeechEnglish, Kind::kMusic, Kind::kMixChinese,
                           Kind::kMixEnglish};

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kSpeechChinese: return "speech-zh";
    case Kind::kSpeechEnglish: return "speech-en";
    case Kind::kMusic: return "music";
    case Kind::kMixChinese: return "mix-zh";
    case Kind::kMixEnglish: return "mix-en";
  }
  return "?";
}

enum class Role { kOriginal, kNegative, kDistractor };

struct Track {
  std::string id;
  Role role = Role::kDistractor;
  Kind kind = Kind::kMusic;
  fs::path wav;
  std::string command;  // makes `wav`
  bool generated = false;
  std::vector<std::uint32_t> items;
  double duration_seconds = 0;
  double fingerprint_cpu_seconds = 0;
};

// Runs job(0..count-1) on `parallel` threads.
void ParallelFor(std::size_t count, int parallel, const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < std::max(parallel, 1); ++thread) {
    threads.emplace_back([&] {
      for (std::size_t index = next++; index < count; index = next++) job(index);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

bool Run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

std::string Quote(const fs::path& path) {
  return "'" + path.string() + "'";
}

// Fingerprints a file, timing it on the calling thread's CPU clock.
std::optional<AudioFingerprint> FingerprintFile(const fs::path& path, double* cpu_seconds) {
  Result<std::string> content = ReadFile(path, kMaxAudioFileSizeBytes);
  if (!content.ok()) return std::nullopt;
  const double start = harness::ThreadCpuSeconds();
  Result<AudioFingerprint> fingerprint = FingerprintAudioBytes(
      ByteView(reinterpret_cast<const std::uint8_t*>(content->data()), content->size()));
  *cpu_seconds = harness::ThreadCpuSeconds() - start;
  if (!fingerprint.ok()) return std::nullopt;
  return std::move(*fingerprint);
}

// A sox command writing `seconds` of music to `out`: chords (root, third, fifth) of a random
// timbre, one per beat or half beat at `bpm`, over a noise bed of a random colour.
std::string MusicCommand(std::mt19937_64& random, const fs::path& out, double seconds) {
  static const char* const kTimbres[] = {"pluck", "sine", "triangle", "square", "sawtooth"};
  static const char* const kNoises[] = {"whitenoise", "pinknoise", "brownnoise"};
  const std::string timbre = kTimbres[random() % 5];
  const double bpm = 70 + static_cast<double>(random() % 110);
  const int key = static_cast<int>(random() % 12);
  std::string notes =
      "sox -r " + std::to_string(kOriginalRateHz) + " -c 3 -n -c 1 " + Quote(out.string() + ".n.wav");
  double total = 0;
  bool first = true;
  while (total < seconds + 0.5) {
    const double length = (random() % 3 == 0 ? 0.5 : 1.0) * 60.0 / bpm;
    const int semitone = key + static_cast<int>(random() % 15) - 7;
    const double root = 220.0 * std::pow(2.0, semitone / 12.0);
    const double third = root * std::pow(2.0, (random() % 2 == 0 ? 4 : 3) / 12.0);
    char chain[256];
    std::snprintf(chain, sizeof chain, " %s synth %.3f %s %.2f %s %.2f %s %.2f remix - fade 0.005 %.3f 0.03",
                  first ? "" : ":", length, timbre.c_str(), root, timbre.c_str(), third, timbre.c_str(),
                  root * 1.5, length);
    notes += chain;
    total += length;
    first = false;
  }
  char noise[256];
  std::snprintf(noise, sizeof noise, "sox -n -r %d -c 1 %s synth %.1f %s vol %.3f", kOriginalRateHz,
                Quote(out.string() + ".b.wav").c_str(), seconds + 1, kNoises[random() % 3],
                0.02 + 0.08 * static_cast<double>(random() % 100) / 100.0);
  char mix[512];
  std::snprintf(mix, sizeof mix, "sox -m -v 0.6 %s -v 1 %s %s trim 0 %.2f gain -n -3",
                Quote(out.string() + ".n.wav").c_str(), Quote(out.string() + ".b.wav").c_str(),
                Quote(out).c_str(), seconds);
  return notes + " && " + noise + " && " + mix + " && rm -f " + Quote(out.string() + ".n.wav") + " " +
         Quote(out.string() + ".b.wav");
}

// An espeak-ng command speaking `text_file` (voice, speed and pitch vary) into `out` at the
// originals' rate, cut to `seconds`.
std::string SpeechCommand(std::mt19937_64& random, bool chinese, const fs::path& text_file,
                          const fs::path& out, double seconds) {
  static const char* const kEnglishVoices[] = {"en-us", "en-gb", "en-gb-scotland", "en-029"};
  const std::string voice = chinese ? "cmn" : kEnglishVoices[random() % 4];
  const int speed = 140 + static_cast<int>(random() % 50);
  const int pitch = 30 + static_cast<int>(random() % 40);
  char command[1024];
  std::snprintf(
      command, sizeof command,
      "espeak-ng -v %s -s %d -p %d -f %s -w %s && sox %s -r %d %s trim 0 %.2f gain -n -3 && rm -f %s",
      voice.c_str(), speed, pitch, Quote(text_file).c_str(), Quote(out.string() + ".s.wav").c_str(),
      Quote(out.string() + ".s.wav").c_str(), kOriginalRateHz, Quote(out).c_str(), seconds,
      Quote(out.string() + ".s.wav").c_str());
  return command;
}

std::string MixCommand(std::mt19937_64& random, bool chinese, const fs::path& text_file, const fs::path& out,
                       double seconds) {
  const fs::path speech = out.string() + ".v.wav";
  const fs::path music = out.string() + ".m.wav";
  char mix[512];
  std::snprintf(mix, sizeof mix, "sox -m -v 1 %s -v %.2f %s %s trim 0 %.2f gain -n -3", Quote(speech).c_str(),
                0.2 + 0.4 * static_cast<double>(random() % 100) / 100.0, Quote(music).c_str(),
                Quote(out).c_str(), seconds);
  return SpeechCommand(random, chinese, text_file, speech, seconds) + " && " +
         MusicCommand(random, music, seconds) + " && " + mix + " && rm -f " + Quote(speech) + " " +
         Quote(music);
}

struct Transformation {
  std::string name;
  // A shell command from the original (first %s) to the copy (second %s), or empty for the
  // ones made in memory.
  std::string command;
  std::string extension;
};

const std::vector<Transformation>& FileTransformations() {
  static const std::vector<Transformation> kTransformations = {
      {"MP3 64 kbps (libmp3lame)", "ffmpeg -nostdin -y -i %s -c:a libmp3lame -b:a 64k %s", "mp3"},
      {"MP3 128 kbps (libmp3lame)", "ffmpeg -nostdin -y -i %s -c:a libmp3lame -b:a 128k %s", "mp3"},
      {"AAC 128 kbps (FFmpeg aac, M4A)", "ffmpeg -nostdin -y -i %s -c:a aac -b:a 128k %s", "m4a"},
      {"resample 44.1 → 22.05 kHz", "sox %s -r 22050 %s", "wav"},
      {"resample 44.1 → 8 kHz", "sox %s -r 8000 %s", "wav"},
      {"gain +10 dB (clipping)", "sox %s %s gain 10", "wav"},
      {"gain −10 dB", "sox %s %s gain -10", "wav"},
  };
  return kTransformations;
}

struct Query {
  std::size_t transformation = 0;
  std::string expected_id;              // empty for unregistered tracks
  double expected_offset_seconds = -1;  // for excerpts
  std::vector<std::uint32_t> items;
};

struct TransformationResult {
  std::string name;
  std::size_t queries = 0;
  std::size_t found = 0;
  std::size_t false_matches = 0;
  std::size_t position_within_tolerance = 0;
  double max_position_error_seconds = 0;
  std::vector<double> position_errors;
  std::vector<std::string> missed;
};

struct QueryRun {
  std::vector<TransformationResult> results;
  std::vector<double> query_milliseconds;
  std::vector<std::string> false_match_details;
};

QueryRun RunQueries(const AudioIndex& index, const std::vector<Query>& queries,
                    const std::vector<std::string>& names) {
  QueryRun run;
  for (const std::string& name : names) run.results.push_back({.name = name});
  for (const Query& query : queries) {
    const double start = harness::WallSeconds();
    const std::vector<AudioMatch> matches = index.Match(query.items);
    run.query_milliseconds.push_back(1000.0 * (harness::WallSeconds() - start));
    TransformationResult& result = run.results[query.transformation];
    ++result.queries;
    bool found = false;
    for (const AudioMatch& match : matches) {
      if (!query.expected_id.empty() && match.track_id == query.expected_id) {
        found = true;
        if (query.expected_offset_seconds >= 0) {
          const double error = std::abs(match.offset_seconds - query.expected_offset_seconds);
          result.position_errors.push_back(error);
          result.max_position_error_seconds = std::max(result.max_position_error_seconds, error);
          if (error <= kExcerptPositionToleranceSeconds) ++result.position_within_tolerance;
        }
      } else {
        ++result.false_matches;
        char detail[256];
        std::snprintf(detail, sizeof detail, "%s: query of %s matched %s (bit-error rate %.3f)",
                      result.name.c_str(),
                      query.expected_id.empty() ? "an unregistered track" : query.expected_id.c_str(),
                      match.track_id.c_str(), match.bit_error_rate);
        run.false_match_details.push_back(detail);
      }
    }
    if (found) {
      ++result.found;
    } else if (!query.expected_id.empty()) {
      result.missed.push_back(query.expected_id);
    }
  }
  return run;
}

void PrintRun(const QueryRun& run) {
  std::printf(
      "| transformation | queries | recall | excerpt position within %.0f s (max error) | false matches |\n",
      kExcerptPositionToleranceSeconds);
  std::printf("|---|---:|---:|---:|---:|\n");
  for (const TransformationResult& result : run.results) {
    const bool negatives = result.name.starts_with("unregistered");
    char position[64] = "";
    if (!result.position_errors.empty()) {
      std::snprintf(position, sizeof position, "%zu / %zu (%.2f s)", result.position_within_tolerance,
                    result.position_errors.size(), result.max_position_error_seconds);
    }
    if (negatives) {
      std::printf("| %s | %zu | — | | %zu |\n", result.name.c_str(), result.queries, result.false_matches);
    } else {
      std::printf(
          "| %s | %zu | %.3f (%zu) | %s | %zu |\n", result.name.c_str(), result.queries,
          result.queries == 0 ? 0.0 : static_cast<double>(result.found) / static_cast<double>(result.queries),
          result.found, position, result.false_matches);
    }
  }
  std::printf("\nQuery time (wall, one thread): p50 %.2f ms, p99 %.2f ms, max %.2f ms over %zu queries.\n",
              harness::Percentile(run.query_milliseconds, 0.5),
              harness::Percentile(run.query_milliseconds, 0.99),
              harness::Percentile(run.query_milliseconds, 1.0), run.query_milliseconds.size());
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<harness::Flags> flags = harness::Flags::Parse(
      argc, argv,
      {"originals", "negatives", "distractors", "distractor-seconds", "pad-tracks", "parallel", "seed"});
  if (!flags) return 2;
  const std::size_t original_count = flags->Size("originals", 60);
  const std::size_t negative_count = flags->Size("negatives", 40);
  const std::size_t distractor_count = flags->Size("distractors", 2000);
  const double distractor_seconds = flags->Real("distractor-seconds", 20);
  const std::size_t pad_tracks = flags->Size("pad-tracks", 0);
  const int parallel = static_cast<int>(flags->Size("parallel", 2));
  const std::uint64_t seed = flags->Size("seed", 20261122);

  std::optional<harness::ScratchDirectory> scratch =
      harness::ScratchDirectory::Create("rightchain-audio-harness");
  if (!scratch) {
    std::fprintf(stderr, "cannot create a scratch directory\n");
    return 1;
  }
  const fs::path directory = scratch->path();

  // Texts: long articles for originals and negatives, short ones for distractors, spread over the
  // sources (every k-th article) and with no text used twice.
  const std::size_t long_count = original_count + negative_count;
  const std::size_t speech_per_language = (long_count + distractor_count) * 2 / 5 + 2;
  std::vector<testing::Article> long_texts[2];   // Chinese, English
  std::vector<testing::Article> short_texts[2];  // for distractors
  for (int language = 0; language < 2; ++language) {
    const std::size_t per_minute =
        language == 0 ? kChineseCharactersPerOriginal : kEnglishCharactersPerOriginal;
    for (const bool is_long : {true, false}) {
      testing::CorpusOptions options;
      options.article_characters =
          is_long ? per_minute : static_cast<std::size_t>(distractor_seconds / 60.0 * per_minute) + 10;
      Result<std::vector<testing::Article>> loaded =
          language == 0 ? testing::LoadChineseArticles(options) : testing::LoadEnglishArticles(options);
      if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
        return 1;
      }
      std::unordered_set<std::string> seen;
      std::vector<testing::Article> distinct;
      for (testing::Article& article : *loaded) {
        if (testing::CountCharacters(article.text) * 2 < options.article_characters)
          continue;  // a short tail
        if (seen.insert(article.text).second) distinct.push_back(std::move(article));
      }
      const std::size_t wanted = is_long ? long_count : speech_per_language;
      const std::size_t stride = std::max<std::size_t>(1, distinct.size() / std::max<std::size_t>(wanted, 1));
      std::vector<testing::Article>& chosen = is_long ? long_texts[language] : short_texts[language];
      for (std::size_t index = 0; index < distinct.size() && chosen.size() < wanted; index += stride)
        chosen.push_back(std::move(distinct[index]));
    }
  }
  std::size_t long_cursor[2] = {0, 0};
  std::size_t short_cursor[2] = {0, 0};

  // The tracks and their generating commands.
  std::vector<Track> tracks;
  const std::size_t total = long_count + distractor_count;
  std::mt19937_64 random(seed);
  for (std::size_t index = 0; index < total; ++index) {
    Track track;
    track.role = index < original_count ? Role::kOriginal
                 : index < long_count   ? Role::kNegative
                                        : Role::kDistractor;
    track.kind = kKinds[index % 5];
    const bool is_long = track.role != Role::kDistractor;
    const double seconds =
        is_long ? kMinOriginalSeconds + static_cast<double>(random() % 301) / 10.0 : distractor_seconds;
    const char* role = track.role == Role::kOriginal   ? "original"
                       : track.role == Role::kNegative ? "unregistered"
                                                       : "distractor";
    track.id = std::string(role) + "/" + std::to_string(index) + "/" + KindName(track.kind);
    track.wav = directory / (std::to_string(index) + ".wav");
    std::mt19937_64 track_random(seed * 1000003 + index);
    if (track.kind == Kind::kMusic) {
      track.command = MusicCommand(track_random, track.wav, seconds);
    } else {
      const int language = track.kind == Kind::kSpeechChinese || track.kind == Kind::kMixChinese ? 0 : 1;
      std::vector<testing::Article>& source = is_long ? long_texts[language] : short_texts[language];
      std::size_t& cursor = is_long ? long_cursor[language] : short_cursor[language];
      if (cursor >= source.size()) continue;  // out of distinct text
      const testing::Article& article = source[cursor++];
      track.id += "/" + article.id;
      const fs::path text_file = directory / (std::to_string(index) + ".txt");
      std::ofstream(text_file) << article.text;
      const bool chinese = language == 0;
      track.command = track.kind == Kind::kSpeechChinese || track.kind == Kind::kSpeechEnglish
                          ? SpeechCommand(track_random, chinese, text_file, track.wav, seconds)
                          : MixCommand(track_random, chinese, text_file, track.wav, seconds);
      track.command += " && rm -f " + Quote(text_file);
    }
    tracks.push_back(std::move(track));
  }

  // Generation and fingerprinting, `parallel` at a time; distractors' files are dropped at once.
  const double generation_start = harness::WallSeconds();
  ParallelFor(tracks.size(), parallel, [&](std::size_t index) {
    Track& track = tracks[index];
    if (!Run(track.command)) return;
    double cpu_seconds = 0;
    std::optional<AudioFingerprint> fingerprint = FingerprintFile(track.wav, &cpu_seconds);
    if (track.role == Role::kDistractor) {
      std::error_code ignored;
      fs::remove(track.wav, ignored);
    }
    if (!fingerprint) return;
    track.generated = true;
    track.items = std::move(fingerprint->items);
    track.duration_seconds = fingerprint->duration_seconds;
    track.fingerprint_cpu_seconds = cpu_seconds;
  });
  const double generation_seconds = harness::WallSeconds() - generation_start;

  // Deduplication: a track is dropped when it matches one kept before it. Registration:
  // originals and distractors.
  AudioIndex everything;
  AudioIndex registered;
  std::vector<const Track*> originals;
  std::vector<const Track*> negatives;
  std::size_t failed = 0;
  std::size_t duplicates = 0;
  std::size_t distractors = 0;
  std::size_t registered_items = 0;
  double fingerprint_audio_seconds = 0;
  double fingerprint_cpu_seconds = 0;
  double min_original_seconds = 1e9;
  double max_original_seconds = 0;
  std::map<std::string, std::size_t> kind_counts;
  for (const Track& track : tracks) {
    if (!track.generated) {
      ++failed;
      continue;
    }
    fingerprint_audio_seconds += track.duration_seconds;
    fingerprint_cpu_seconds += track.fingerprint_cpu_seconds;
    if (!everything.Match(track.items).empty()) {
      ++duplicates;
      continue;
    }
    if (!everything.Add(track.id, track.items).ok()) {
      ++failed;
      continue;
    }
    ++kind_counts[KindName(track.kind)];
    if (track.role == Role::kNegative) {
      negatives.push_back(&track);
      continue;
    }
    if (!registered.Add(track.id, track.items).ok()) {
      ++failed;
      continue;
    }
    registered_items += track.items.size();
    if (track.role == Role::kOriginal) {
      originals.push_back(&track);
      min_original_seconds = std::min(min_original_seconds, track.duration_seconds);
      max_original_seconds = std::max(max_original_seconds, track.duration_seconds);
    } else {
      ++distractors;
    }
  }

  // Copies: file transformations with sox and ffmpeg, `parallel` at a time.
  std::vector<std::string> names;
  for (const Transformation& transformation : FileTransformations()) names.push_back(transformation.name);
  const std::size_t noise_20 = names.size();
  names.push_back("white noise at 20 dB SNR");
  names.push_back("white noise at 10 dB SNR");
  const std::size_t excerpt_15 = names.size();
  names.push_back("15 s excerpt from anywhere");
  names.push_back("30 s excerpt from anywhere");
  const std::size_t unregistered = names.size();
  names.push_back("unregistered tracks, as generated");
  names.push_back("unregistered tracks, MP3 128 kbps");

  struct Copy {
    std::size_t transformation = 0;
    const Track* source = nullptr;
    std::string command;
    fs::path file;
    std::optional<AudioFingerprint> fingerprint;
    double cpu_seconds = 0;
  };
  std::vector<Copy> copies;
  for (const Track* original : originals) {
    for (std::size_t transformation = 0; transformation < FileTransformations().size(); ++transformation) {
      Copy copy{.transformation = transformation, .source = original};
      copy.file = directory / ("copy-" + std::to_string(copies.size()) + "." +
                               FileTransformations()[transformation].extension);
      char command[1024];
      std::snprintf(command, sizeof command, FileTransformations()[transformation].command.c_str(),
                    Quote(original->wav).c_str(), Quote(copy.file).c_str());
      copy.command = command;
      copies.push_back(std::move(copy));
    }
  }
  for (const Track* negative : negatives) {
    for (const std::size_t transformation : {unregistered, unregistered + 1}) {
      Copy copy{.transformation = transformation, .source = negative};
      copy.file = directory / ("copy-" + std::to_string(copies.size()) + ".mp3");
      if (transformation == unregistered + 1) {
        copy.command = "ffmpeg -nostdin -y -i " + Quote(negative->wav) + " -c:a libmp3lame -b:a 128k " +
                       Quote(copy.file);
      }
      copies.push_back(std::move(copy));
    }
  }
  const double copying_start = harness::WallSeconds();
  ParallelFor(copies.size(), parallel, [&](std::size_t index) {
    Copy& copy = copies[index];
    if (copy.command.empty()) return;  // the unregistered track as generated: already fingerprinted
    if (Run(copy.command)) copy.fingerprint = FingerprintFile(copy.file, &copy.cpu_seconds);
    std::error_code ignored;
    fs::remove(copy.file, ignored);
  });
  const double copying_seconds = harness::WallSeconds() - copying_start;

  std::vector<Query> queries;
  std::size_t failed_copies = 0;
  for (const Copy& copy : copies) {
    const bool negative = copy.transformation >= unregistered;
    if (copy.command.empty()) {
      queries.push_back({.transformation = copy.transformation, .items = copy.source->items});
      continue;
    }
    if (!copy.fingerprint) {
      ++failed_copies;
      continue;
    }
    fingerprint_audio_seconds += copy.fingerprint->duration_seconds;
    fingerprint_cpu_seconds += copy.cpu_seconds;
    queries.push_back({.transformation = copy.transformation,
                       .expected_id = negative ? std::string() : copy.source->id,
                       .items = copy.fingerprint->items});
  }

  // Copies made in memory from the decoded original (mono, 11,025 Hz): added white noise at a
  // signal-to-noise ratio measured over the whole track, and excerpts cut at a random sample.
  std::mt19937_64 copy_random(seed ^ 0x5eed);
  // Fingerprints one in-memory copy (timed) and queues it as a query.
  const auto add_copy = [&](std::span<const std::int16_t> copy, std::size_t transformation,
                            const std::string& expected_id, double expected_offset_seconds) {
    const double start = harness::ThreadCpuSeconds();
    Result<AudioFingerprint> fingerprint = FingerprintAudioSamples(copy);
    fingerprint_cpu_seconds += harness::ThreadCpuSeconds() - start;
    if (!fingerprint.ok()) {
      ++failed_copies;
      return;
    }
    fingerprint_audio_seconds += fingerprint->duration_seconds;
    queries.push_back({.transformation = transformation,
                       .expected_id = expected_id,
                       .expected_offset_seconds = expected_offset_seconds,
                       .items = std::move(fingerprint->items)});
  };
  for (const Track* original : originals) {
    Result<std::string> content = ReadFile(original->wav, kMaxAudioFileSizeBytes);
    if (!content.ok()) continue;
    Result<std::vector<std::int16_t>> samples =
        DecodeAudioBytes(ByteView(reinterpret_cast<const std::uint8_t*>(content->data()), content->size()));
    if (!samples.ok() || samples->empty()) continue;
    double energy = 0;
    for (const std::int16_t sample : *samples) energy += static_cast<double>(sample) * sample;
    const double rms = std::sqrt(energy / static_cast<double>(samples->size()));
    for (const double snr_decibels : {20.0, 10.0}) {
      std::normal_distribution<double> noise(0.0, rms / std::pow(10.0, snr_decibels / 20.0));
      std::vector<std::int16_t> noisy(samples->size());
      for (std::size_t index = 0; index < noisy.size(); ++index) {
        noisy[index] = static_cast<std::int16_t>(
            std::clamp(static_cast<double>((*samples)[index]) + noise(copy_random), -32768.0, 32767.0));
      }
      add_copy(noisy, noise_20 + (snr_decibels == 20.0 ? 0 : 1), original->id, -1.0);
    }
    for (const double excerpt_seconds : {15.0, 30.0}) {
      const auto length =
          std::min(samples->size(), static_cast<std::size_t>(excerpt_seconds * kAudioSampleRateHz));
      const std::size_t start = samples->size() == length ? 0 : copy_random() % (samples->size() - length);
      const std::span<const std::int16_t> excerpt(samples->data() + start, length);
      add_copy(excerpt, excerpt_15 + (excerpt_seconds == 15.0 ? 0 : 1), original->id,
               static_cast<double>(start) / kAudioSampleRateHz);
    }
  }

  const QueryRun run = RunQueries(registered, queries, names);
  const std::size_t memory_bytes = registered.MemoryUsageBytes();

  std::printf("## Audio fingerprint harness\n\n");
  std::printf(
      "Corpus (seed %llu): %zu tracks generated (%zu requested: %zu originals and %zu unregistered of 30–60 "
      "s, "
      "%zu distractors of %.0f s), %zu failed or out of distinct text, %zu dropped as duplicates. Kept:",
      static_cast<unsigned long long>(seed), tracks.size() - failed, total, original_count, negative_count,
      distractor_count, distractor_seconds, total - tracks.size() + failed, duplicates);
  for (const auto& [kind, count] : kind_counts) std::printf(" %s %zu,", kind.c_str(), count);
  std::printf(
      " i.e. %zu originals (%.1f–%.1f s), %zu distractors, %zu unregistered. Registered: %zu tracks, %zu "
      "items.\n\n",
      originals.size(), min_original_seconds, max_original_seconds, distractors, negatives.size(),
      registered.size(), registered_items);
  PrintRun(run);
  std::size_t false_matches = 0;
  for (const TransformationResult& result : run.results) false_matches += result.false_matches;
  std::printf("False matches in all: %zu. Copies that failed to make or fingerprint: %zu.\n", false_matches,
              failed_copies);
  std::printf(
      "Fingerprinting (decode, resample to 11,025 Hz mono, Chromaprint): %.0f s of audio in %.1f s of one "
      "core: "
      "%.0fx real time per core.\n",
      fingerprint_audio_seconds, fingerprint_cpu_seconds,
      fingerprint_cpu_seconds > 0 ? fingerprint_audio_seconds / fingerprint_cpu_seconds : 0.0);
  std::printf(
      "Index memory: %.1f MiB for %zu tracks: %.0f bytes per track, %.1f bytes per item.\n",
      static_cast<double>(memory_bytes) / (1 << 20), registered.size(),
      static_cast<double>(memory_bytes) / static_cast<double>(std::max<std::size_t>(registered.size(), 1)),
      static_cast<double>(memory_bytes) / static_cast<double>(std::max<std::size_t>(registered_items, 1)));
  std::printf("Generation and fingerprinting %.0f s, copies %.0f s (wall, %d processes at a time).\n",
              generation_seconds, copying_seconds, parallel);
  for (const TransformationResult& result : run.results) {
    for (std::size_t index = 0; index < result.missed.size() && index < kMaxMissedListed; ++index)
      std::printf("missed: %s of %s\n", result.name.c_str(), result.missed[index].c_str());
  }
  for (const std::string& detail : run.false_match_details) std::printf("false match: %s\n", detail.c_str());

  // Padding with synthetic tracks of random items, as many items as the mean registered track,
  // to time queries at a larger index (uniform items fill buckets evenly: real ones are skewed).
  if (pad_tracks > 0) {
    const std::size_t items_per_track = registered_items / std::max<std::size_t>(registered.size(), 1);
    std::mt19937_64 pad_random(seed ^ 0x9ad);
    std::vector<std::uint32_t> items(std::max(items_per_track, kMinAudioItems));
    for (std::size_t index = 0; index < pad_tracks; ++index) {
      for (std::uint32_t& item : items) item = static_cast<std::uint32_t>(pad_random());
      if (!registered.Add("padding/" + std::to_string(index), items).ok()) break;
    }
    std::printf("\n### Padded with %zu synthetic tracks of %zu random items: %zu tracks, %.1f MiB\n\n",
                pad_tracks, items.size(), registered.size(),
                static_cast<double>(registered.MemoryUsageBytes()) / (1 << 20));
    PrintRun(RunQueries(registered, queries, names));
  }
  scratch.reset();
  return 0;
}
