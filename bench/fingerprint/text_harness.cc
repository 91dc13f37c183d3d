// Text fingerprint harness: builds the deduplicated corpora from the installed Debian packages,
// measures recall per transformation and false matches, fingerprinting speed, query latency
// and index memory per item at growing index sizes, and prints a Markdown report.
//
//   fingerprint_text_harness [--originals N] [--distractors N] [--filler N] [--seed S]
//                            [--sizes 100000,1000000] [--latency-queries N] [--load-factor N]
//                            [--rounds N]   (each transformation N times per original)
//                            [--short-copy-fingerprints N]   (0 turns the short-copy rule off)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "fingerprint/testing/evaluation.h"
#include "fingerprint/text_index.h"

namespace {

using namespace rightchain;
using namespace rightchain::fingerprint;
using namespace rightchain::fingerprint::testing;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: on a shared, loaded machine wall time overstates cost.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec * 1e-9;
}

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t index = std::min(values.size() - 1, static_cast<std::size_t>(fraction * values.size()));
  return values[index];
}

long ResidentKilobytes() {
  FILE* file = std::fopen("/proc/self/status", "r");
  if (file == nullptr) return 0;
  char line[256];
  long kilobytes = 0;
  while (std::fgets(line, sizeof line, file) != nullptr) {
    if (std::sscanf(line, "VmRSS: %ld kB", &kilobytes) == 1) break;
  }
  std::fclose(file);
  return kilobytes;
}

// Unigram model of a language: articles of tokens drawn with the corpus's frequencies. Their
// grams are almost all unique, so postings stay shorter than in real text: latency at large
// sizes measured with them is a lower bound on the vote-counting work (see docs).
struct UnigramModel {
  std::vector<std::string> tokens;  // repeated by frequency
  bool cjk = false;
  std::string Generate(Random& random, std::size_t characters) const {
    std::string text;
    std::size_t count = 0;
    while (text.size() < characters * (cjk ? 3 : 1)) {
      text += tokens[random.Below(tokens.size())];
      ++count;
      if (!cjk) text += ' ';
      if (count % 17 == 16) text += cjk ? "。" : ". ";
    }
    return text;
  }
};

UnigramModel BuildModel(const std::vector<Article>& articles, Language language) {
  UnigramModel model;
  model.cjk = language == Language::kChinese;
  for (const Article& article : articles) {
    if (article.language != language) continue;
    Result<NormalizedText> normalized = NormalizeText(article.text, {.keep_token_texts = true});
    if (!normalized.ok()) continue;
    for (std::size_t index = 0; index < normalized->token_texts.size(); ++index) {
      if ((normalized->tokens[index].kind == TokenKind::kCjkCharacter) == model.cjk) {
        model.tokens.push_back(normalized->token_texts[index]);
      }
    }
    if (model.tokens.size() > 2'000'000) break;
  }
  return model;
}

struct Arguments {
  EvaluationOptions evaluation;
  std::vector<std::size_t> sizes;
  std::size_t latency_queries = 1000;
  // Save and reload hold the index about three times over (index, file image, loaded copy):
  // skipped above this size so the harness fits the machine.
  std::size_t reload_max = 300000;
  int threads = 2;
};

Arguments Parse(int argc, char** argv) {
  Arguments arguments;
  arguments.evaluation.originals_per_language = 500;
  arguments.evaluation.distractors_per_language = 6000;
  arguments.evaluation.filler_per_language = 300;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string flag = argv[index];
    const std::string value = argv[index + 1];
    if (flag == "--originals")
      arguments.evaluation.originals_per_language = std::stoul(value);
    else if (flag == "--distractors")
      arguments.evaluation.distractors_per_language = std::stoul(value);
    else if (flag == "--filler")
      arguments.evaluation.filler_per_language = std::stoul(value);
    else if (flag == "--seed")
      arguments.evaluation.seed = std::stoull(value);
    else if (flag == "--short-copy-fingerprints")  // 0: the rule off (the acceptance before it)
      arguments.evaluation.match.min_short_copy_fingerprints = value == "0" ? UINT32_MAX : std::stoul(value);
    else if (flag == "--rounds")
      arguments.evaluation.rounds = std::stoul(value);
    else if (flag == "--load-factor")
      arguments.evaluation.load_factor = std::stoul(value);
    else if (flag == "--reload-max")
      arguments.reload_max = std::stoul(value);
    else if (flag == "--latency-queries")
      arguments.latency_queries = std::stoul(value);
    else if (flag == "--threads")
      arguments.threads = std::stoi(value);
    else if (flag == "--sizes") {
      std::size_t start = 0;
      while (start < value.size()) {
        std::size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        arguments.sizes.push_back(std::stoul(value.substr(start, end - start)));
        start = end + 1;
      }
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return arguments;
}

void PrintOutcomes(const EvaluationReport& report) {
  std::printf(
      "| language/transformation | queries | recall | SimHash<=3 recall | false matches | shared-text "
      "matches |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  std::size_t queries = 0;
  std::size_t false_matches = 0;
  std::size_t shared_text = 0;
  for (const auto& [name, outcome] : report.outcomes) {
    std::printf("| %s | %zu | %.2f%% | %.1f%% | %zu | %zu |\n", name.c_str(), outcome.queries,
                100 * outcome.Recall(),
                outcome.queries == 0 ? 0.0 : 100.0 * outcome.simhash_recalled / outcome.queries,
                outcome.false_matches, outcome.shared_text_matches);
    queries += outcome.queries;
    false_matches += outcome.queries_with_false_match;
    shared_text += outcome.queries_with_shared_text_match;
  }
  std::printf("| negatives (held-out articles) | %zu | - | - | %zu | %zu |\n\n", report.negatives.queries,
              report.negatives.false_matches, report.negatives.shared_text_matches);
  queries += report.negatives.queries;
  false_matches += report.negatives.queries_with_false_match;
  shared_text += report.negatives.queries_with_shared_text_match;
  std::printf("Queries with a false match: %zu of %zu (rate %.2g per query).\n", false_matches, queries,
              queries == 0 ? 0.0 : static_cast<double>(false_matches) / queries);
  std::printf(
      "Queries that also matched another work whose text they contain (a verbatim run of %u+ weight): "
      "%zu of %zu (rate %.2g per query).\n\n",
      kMinSharedRunWeight, shared_text, queries,
      queries == 0 ? 0.0 : static_cast<double>(shared_text) / queries);
}

void MeasureFingerprintSpeed(const Corpus& corpus, int threads) {
  std::vector<const std::string*> texts;
  std::size_t bytes = 0;
  std::size_t characters = 0;
  for (const auto* articles : {&corpus.originals, &corpus.distractors}) {
    for (const Article& article : *articles) {
      texts.push_back(&article.text);
      bytes += article.text.size();
      characters += CountCharacters(article.text);
    }
  }
  {
    const double cpu_start = ThreadCpuSeconds();
    for (const std::string* text : texts) (void)FingerprintText(*text);
    const double cpu_seconds = ThreadCpuSeconds() - cpu_start;
    std::printf("Fingerprinting CPU time, one thread: %.1f us per article = %.0f articles per CPU-second\n",
                1e6 * cpu_seconds / texts.size(), texts.size() / cpu_seconds);
  }
  for (int thread_count : {1, threads}) {
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    std::vector<std::size_t> entries(thread_count);
    for (int worker = 0; worker < thread_count; ++worker) {
      workers.emplace_back([&, worker] {
        for (std::size_t index = worker; index < texts.size(); index += thread_count) {
          Result<TextFingerprint> fingerprint = FingerprintText(*texts[index]);
          if (fingerprint.ok()) entries[worker] += fingerprint->entries.size();
        }
      });
    }
    for (std::thread& worker : workers) worker.join();
    const double seconds = Seconds(start);
    std::size_t total_entries = 0;
    for (std::size_t count : entries) total_entries += count;
    std::printf(
        "Fingerprinting, %d thread(s): %zu articles (mean %.0f characters, %.0f fingerprints) in %.2f s = "
        "%.0f articles/s, %.1f MB/s\n",
        thread_count, texts.size(), static_cast<double>(characters) / texts.size(),
        static_cast<double>(total_entries) / texts.size(), seconds, texts.size() / seconds,
        bytes / seconds / 1e6);
  }
  std::printf("\n");
}

struct LatencyQuery {
  std::string id;
  std::string text;
};

void MeasureScaling(const Corpus& corpus, const Arguments& arguments) {
  std::vector<Article> real = corpus.originals;
  real.insert(real.end(), corpus.distractors.begin(), corpus.distractors.end());
  const UnigramModel models[2] = {BuildModel(real, Language::kChinese), BuildModel(real, Language::kEnglish)};

  // Queries: transformations of originals, cycling through the kinds.
  Filler filler[2];
  for (const Article& article : corpus.filler)
    filler[article.language == Language::kChinese ? 0 : 1].articles.push_back(article.text);
  Random random(arguments.evaluation.seed ^ 0x1a7e);
  std::vector<LatencyQuery> queries;
  for (std::size_t index = 0; index < arguments.latency_queries && !corpus.originals.empty(); ++index) {
    const Article& original = corpus.originals[index % corpus.originals.size()];
    const Transformation transformation = kAllTransformations[index % std::size(kAllTransformations)];
    Result<std::string> text = Transform(transformation, original.text,
                                         filler[original.language == Language::kChinese ? 0 : 1], random);
    if (text.ok()) queries.push_back({original.id, *text});
  }

  TextIndex index;
  const long resident_before = ResidentKilobytes();
  for (const Article& article : real) {
    Result<TextFingerprint> fingerprint = FingerprintText(article.text);
    if (fingerprint.ok()) (void)index.Add(article.id, std::move(fingerprint).value());
  }
  std::vector<std::size_t> sizes = arguments.sizes;
  sizes.insert(sizes.begin(), index.size());
  std::size_t synthetic = 0;
  std::printf(
      "| indexed articles | build s | memory/item (counted) | RSS/item | query p50 ms | query p99 ms | "
      "CPU p50 ms | CPU p99 ms | recall | save s | load s | file MB |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t size : sizes) {
    const auto build_start = Clock::now();
    while (index.size() < size) {
      // Generate and fingerprint a batch on all threads, then add in order.
      const std::size_t batch = std::min<std::size_t>(size - index.size(), 20000);
      std::vector<TextFingerprint> fingerprints(batch);
      std::vector<std::thread> workers;
      for (int worker = 0; worker < arguments.threads; ++worker) {
        workers.emplace_back([&, worker] {
          for (std::size_t item = worker; item < batch; item += arguments.threads) {
            Random item_random(0xabcdef ^ (synthetic + item));
            const UnigramModel& model = models[(synthetic + item) % 3 == 0 ? 1 : 0];
            Result<TextFingerprint> fingerprint = FingerprintText(model.Generate(item_random, 2000));
            if (fingerprint.ok()) fingerprints[item] = std::move(fingerprint).value();
          }
        });
      }
      for (std::thread& worker : workers) worker.join();
      for (std::size_t item = 0; item < batch; ++item) {
        (void)index.Add("synthetic/" + std::to_string(synthetic + item), std::move(fingerprints[item]));
      }
      synthetic += batch;
    }
    index.Compact();
    const double build_seconds = Seconds(build_start);
    std::vector<double> milliseconds;
    std::vector<double> cpu_milliseconds;
    std::size_t recalled = 0;
    for (const LatencyQuery& query : queries) {
      const auto start = Clock::now();
      const double cpu_start = ThreadCpuSeconds();
      Result<TextFingerprint> fingerprint = FingerprintQueryText(query.text);
      std::vector<TextMatch> matches;
      if (fingerprint.ok()) matches = index.Match(*fingerprint);
      cpu_milliseconds.push_back((ThreadCpuSeconds() - cpu_start) * 1000);
      milliseconds.push_back(Seconds(start) * 1000);
      for (const TextMatch& match : matches) recalled += match.document_id == query.id;
    }
    double save_seconds = 0;
    double load_seconds = 0;
    double file_megabytes = 0;
    bool reload_ok = true;
    if (index.size() <= arguments.reload_max) {
      // One directory per process: two harness runs at once must not share it.
      const std::filesystem::path directory =
          std::filesystem::temp_directory_path() /
          ("rightchain_fingerprint_harness." + std::to_string(::getpid()));
      const auto save_start = Clock::now();
      const Status saved = index.Save(directory);
      save_seconds = Seconds(save_start);
      std::error_code error;
      file_megabytes = std::filesystem::file_size(directory / kTextIndexFileName, error) / 1e6;
      const auto load_start = Clock::now();
      Result<TextIndex> loaded = TextIndex::Load(directory);
      load_seconds = Seconds(load_start);
      reload_ok = saved.ok() && loaded.ok() && loaded->size() == index.size();
      loaded = Status::Internal("released");
      std::filesystem::remove_all(directory, error);
    }
    std::printf(
        "| %zu | %.1f | %.0f B | %.0f B | %.2f | %.2f | %.2f | %.2f | %.1f%% | %.2f | %.2f%s | %.0f |\n",
        index.size(), build_seconds, static_cast<double>(index.MemoryUsageBytes()) / index.size(),
        (ResidentKilobytes() - resident_before) * 1024.0 / index.size(), Percentile(milliseconds, 0.5),
        Percentile(milliseconds, 0.99), Percentile(cpu_milliseconds, 0.5), Percentile(cpu_milliseconds, 0.99),
        queries.empty() ? 0.0 : 100.0 * recalled / queries.size(), save_seconds, load_seconds,
        reload_ok ? "" : " (FAILED)", file_megabytes);
    std::fflush(stdout);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const Arguments arguments = Parse(argc, argv);
  const EvaluationOptions& options = arguments.evaluation;
  std::printf(
      "# Text fingerprint harness\n\nseed %llu, %zu originals + %zu distractors + %zu held-out per language, "
      "articles of ~%zu characters\n\n",
      static_cast<unsigned long long>(options.seed), options.originals_per_language,
      options.distractors_per_language, options.filler_per_language, options.article_characters);
  auto start = Clock::now();
  Result<Corpus> corpus = BuildCorpus(options);
  if (!corpus.ok()) {
    std::fprintf(stderr, "building the corpus: %s\n", corpus.status().ToString().c_str());
    return 1;
  }
  std::size_t counts[2] = {0, 0};
  for (const auto* articles : {&corpus->originals, &corpus->distractors, &corpus->filler}) {
    for (const Article& article : *articles) ++counts[article.language == Language::kChinese ? 0 : 1];
  }
  std::printf("Corpus: %zu articles loaded, %zu zh + %zu en kept after deduplication, in %.1f s\n\n",
              corpus->loaded_before_deduplication, counts[0], counts[1], Seconds(start));
  for (const Language language : {Language::kChinese, Language::kEnglish}) {
    std::size_t in_role[3] = {0, 0, 0};
    int role = 0;
    for (const auto* articles : {&corpus->originals, &corpus->filler, &corpus->distractors}) {
      for (const Article& article : *articles) in_role[role] += article.language == language;
      ++role;
    }
    std::printf("%s: %zu originals, %zu held-out, %zu distractors\n",
                std::string(LanguageName(language)).c_str(), in_role[0], in_role[1], in_role[2]);
  }
  std::printf("\n| source | articles loaded | kept after deduplication |\n|---|---:|---:|\n");
  for (const auto& [source, counts_of_source] : corpus->per_source) {
    std::printf("| %s | %zu | %zu |\n", source.c_str(), counts_of_source.first, counts_of_source.second);
  }
  std::printf("\n");

  start = Clock::now();
  Result<EvaluationReport> report = Evaluate(*corpus, options);
  if (!report.ok()) {
    std::fprintf(stderr, "evaluating: %s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf("## Recall (index of %zu articles; %.1f s)\n\n", report->indexed_documents, Seconds(start));
  PrintOutcomes(*report);
  std::printf(
      "Query latency at %zu articles (fingerprinting the query included): p50 %.2f ms, p99 %.2f ms\n\n",
      report->indexed_documents, Percentile(report->query_milliseconds, 0.5),
      Percentile(report->query_milliseconds, 0.99));
  std::printf("## Fingerprinting speed\n\n");
  MeasureFingerprintSpeed(*corpus, arguments.threads);
  std::printf("## Index size scaling (real articles, then synthetic unigram articles)\n\n");
  MeasureScaling(*corpus, arguments);
  return 0;
}
