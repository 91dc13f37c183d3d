#include "fingerprint/testing/evaluation.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <unordered_map>

namespace rightchain::fingerprint::testing {
namespace {

// Candidates verified per article when deduplicating (all of them, in practice).
constexpr std::size_t kDeduplicationCandidates = 4096;

void Shuffle(std::vector<Article>& articles, Random& random) {
  for (std::size_t index = articles.size(); index > 1; --index) {
    std::swap(articles[index - 1], articles[random.Below(index)]);
  }
}

// Matching depends a little on the index (hashes in many documents are ignored), so the final
// indexed set is checked again as it will be indexed: a distractor matching any other indexed
// article is dropped, then an original matching another original, then held-out articles
// that match anything indexed. Repeated until nothing changes.
void VerifyDistinct(Corpus& corpus, const MatchOptions& match_options) {
  for (int round = 0; round < 4; ++round) {
    TextIndex index;
    for (const std::vector<Article>* articles : {&corpus.originals, &corpus.distractors}) {
      for (const Article& article : *articles) {
        Result<TextFingerprint> fingerprint = FingerprintText(article.text);
        if (fingerprint.ok()) (void)index.Add(article.id, std::move(fingerprint).value());
      }
    }
    index.Compact();
    auto matches_other = [&](const Article& article, const MatchOptions& options) {
      Result<TextFingerprint> query = FingerprintQueryText(article.text);
      if (!query.ok()) return true;
      for (const TextMatch& match : index.Match(*query, options)) {
        if (match.document_id != article.id) return true;
      }
      return false;
    };
    // Filler text goes into queries (inserted sentences, host articles), where a stock phrase it
    // shares with an indexed manual page would be a true match, not a false one: filler must
    // share no passage at all (two fingerprints) with what is indexed.
    MatchOptions any_passage = match_options;
    any_passage.min_longest_passage_fingerprints = 2;
    any_passage.min_votes = 2;
    std::size_t dropped = 0;
    for (std::vector<Article>* articles : {&corpus.distractors, &corpus.originals, &corpus.filler}) {
      const std::size_t before = articles->size();
      const MatchOptions& options = articles == &corpus.filler ? any_passage : match_options;
      std::erase_if(*articles, [&](const Article& article) {
        if (!matches_other(article, options)) return false;
        (void)index.Remove(article.id);
        return true;
      });
      dropped += before - articles->size();
    }
    if (dropped == 0) return;
  }
}

}  // namespace

std::uint32_t LongestSharedRunWeight(std::string_view a, std::string_view b) {
  Result<NormalizedText> first = NormalizeText(a);
  Result<NormalizedText> second = NormalizeText(b);
  if (!first.ok() || !second.ok()) return 0;
  const std::vector<TextToken>& x = first->tokens;
  const std::vector<TextToken>& y = second->tokens;
  // Longest common substring by dynamic programming over one row: passages are short.
  std::vector<std::uint32_t> previous(y.size() + 1, 0);
  std::vector<std::uint32_t> current(y.size() + 1, 0);
  std::uint32_t best = 0;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    for (std::size_t j = 1; j <= y.size(); ++j) {
      current[j] = x[i - 1].hash == y[j - 1].hash
                       ? previous[j - 1] + (x[i - 1].kind == TokenKind::kCjkCharacter ? 1 : 2)
                       : 0;
      best = std::max(best, current[j]);
    }
    std::swap(previous, current);
  }
  return best;
}

std::string SourceKey(std::string_view article_id) {
  std::size_t end = 0;
  for (int component = 0; component < 3 && end != std::string_view::npos; ++component) {
    end = article_id.find('/', end == 0 ? 0 : end + 1);
  }
  return std::string(article_id.substr(0, std::min(article_id.find('#'), end)));
}

Result<Corpus> BuildCorpus(const EvaluationOptions& options) {
  const std::size_t needed =
      options.originals_per_language + options.distractors_per_language + options.filler_per_language;
  CorpusOptions corpus_options;
  corpus_options.article_characters = options.article_characters;
  // Loading stops early once enough articles exist; deduplication drops some, so load extra.
  corpus_options.max_chinese_articles = needed * options.load_factor;
  corpus_options.max_english_articles = needed * options.load_factor;
  RC_ASSIGN_OR_RETURN(std::vector<Article> chinese, LoadChineseArticles(corpus_options));
  RC_ASSIGN_OR_RETURN(std::vector<Article> english, LoadEnglishArticles(corpus_options));
  Corpus corpus;
  corpus.loaded_before_deduplication = chinese.size() + english.size();
  for (const std::vector<Article>* articles : {&chinese, &english}) {
    for (const Article& article : *articles) ++corpus.per_source[SourceKey(article.id)].first;
  }
  std::vector<Article> all = std::move(chinese);
  all.insert(all.end(), std::make_move_iterator(english.begin()), std::make_move_iterator(english.end()));
  // Deduplication verifies every candidate, not only the best-voted ones a query verifies: among
  // near-identical manual pages a work's nearest neighbour can sit below the 32 best-voted and
  // then surface in a transformed query as a match of another work.
  // And it keeps a margin of one fingerprint: two manual pages sharing a heading or an
  // interface string hold passages of 3 shared fingerprints, one short of a match, and a
  // reordered copy of one can gain the fourth by chance and match the other.
  MatchOptions deduplication = options.match;
  deduplication.max_candidates = kDeduplicationCandidates;
  deduplication.min_longest_passage_fingerprints = options.match.min_longest_passage_fingerprints - 1;
  all = Deduplicate(std::move(all), deduplication);

  Random random(options.seed);
  for (Language language : {Language::kChinese, Language::kEnglish}) {
    std::vector<Article> articles;
    for (Article& article : all) {
      if (article.language == language) articles.push_back(std::move(article));
    }
    if (articles.size() < options.originals_per_language + options.filler_per_language + 1) {
      return Status::Unavailable("only " + std::to_string(articles.size()) + " distinct " +
                                 std::string(LanguageName(language)) +
                                 " articles, too few for the evaluation");
    }
    Shuffle(articles, random);
    auto take = [&](std::vector<Article>& into, std::size_t count) {
      for (std::size_t index = 0; index < count && !articles.empty(); ++index) {
        into.push_back(std::move(articles.back()));
        articles.pop_back();
      }
    };
    take(corpus.originals, options.originals_per_language);
    take(corpus.filler, options.filler_per_language);
    take(corpus.distractors, options.distractors_per_language);
  }
  VerifyDistinct(corpus, deduplication);
  for (const std::vector<Article>* articles : {&corpus.originals, &corpus.filler, &corpus.distractors}) {
    for (const Article& article : *articles) ++corpus.per_source[SourceKey(article.id)].second;
  }
  return corpus;
}

Result<EvaluationReport> Evaluate(const Corpus& corpus, const EvaluationOptions& options) {
  TextIndex index;
  for (const std::vector<Article>* articles : {&corpus.originals, &corpus.distractors}) {
    for (const Article& article : *articles) {
      RC_ASSIGN_OR_RETURN(TextFingerprint fingerprint, FingerprintText(article.text));
      RC_RETURN_IF_ERROR(index.Add(article.id, std::move(fingerprint)));
    }
  }
  index.Compact();
  EvaluationReport report;
  report.indexed_documents = index.size();
  std::unordered_map<std::string_view, std::string_view> text_by_id;
  for (const std::vector<Article>* articles : {&corpus.originals, &corpus.distractors}) {
    for (const Article& article : *articles) text_by_id.emplace(article.id, article.text);
  }
  // Whether `match` (not the original) rests on a verbatim run the query shares with that work.
  auto shares_text = [&](std::string_view query, const TextMatch& match) {
    auto found = text_by_id.find(match.document_id);
    if (found == text_by_id.end()) return false;
    for (const Passage& passage : match.alignment.passages) {
      const std::string_view query_part =
          query.substr(passage.query.begin, passage.query.end - passage.query.begin);
      const std::string_view work_part =
          found->second.substr(passage.registered.begin, passage.registered.end - passage.registered.begin);
      if (LongestSharedRunWeight(query_part, work_part) >= kMinSharedRunWeight) return true;
    }
    return false;
  };

  Filler filler_by_language[2];
  for (const Article& article : corpus.filler) {
    filler_by_language[article.language == Language::kChinese ? 0 : 1].articles.push_back(article.text);
  }
  Random random(options.seed ^ 0x5eed);
  // For calibrating thresholds: every verified candidate's features, one line each.
  std::ofstream calibration;
  if (const char* path = std::getenv("RIGHTCHAIN_FINGERPRINT_CALIBRATION")) calibration.open(path);
  std::string current_key;
  auto run_query = [&](std::string_view text, Outcome& outcome, const std::string* original_id,
                       std::uint64_t original_simhash) -> Status {
    const auto start = std::chrono::steady_clock::now();
    RC_ASSIGN_OR_RETURN(TextFingerprint fingerprint, FingerprintQueryText(text));
    const std::vector<TextMatch> matches = index.Match(fingerprint, options.match);
    const auto stop = std::chrono::steady_clock::now();
    if (calibration.is_open()) {
      MatchOptions permissive = options.match;
      permissive.min_votes = 2;
      permissive.alignment.min_passage_fingerprints = 1;
      for (const TextMatch& candidate : index.Candidates(fingerprint, permissive)) {
        std::uint32_t longest_tokens = 0;
        std::uint32_t longest_shared = 0;
        std::uint32_t longest_bytes = 0;
        std::uint32_t shared_in_long_passages = 0;
        for (const Passage& passage : candidate.alignment.passages) {
          if (passage.shared_fingerprints >= 2) shared_in_long_passages += passage.shared_fingerprints;
          longest_tokens = std::max(longest_tokens, passage.query_tokens);
          longest_shared = std::max(longest_shared, passage.shared_fingerprints);
          longest_bytes = std::max(longest_bytes, passage.query.end - passage.query.begin);
        }
        // The passage with the most shared fingerprints: its shared tokens and skew.
        std::uint32_t best_shared_tokens = 0;
        std::uint32_t best_skew = 0;
        std::uint32_t best_fingerprints = 0;
        for (const Passage& passage : candidate.alignment.passages) {
          if (passage.shared_fingerprints > best_fingerprints ||
              (passage.shared_fingerprints == best_fingerprints &&
               passage.shared_query_tokens > best_shared_tokens)) {
            best_fingerprints = passage.shared_fingerprints;
            best_shared_tokens = passage.shared_query_tokens;
            best_skew = passage.max_skew_tokens;
          }
        }
        calibration << current_key << '\t'
                    << (original_id != nullptr && candidate.document_id == *original_id) << '\t'
                    << candidate.votes << '\t' << candidate.alignment.shared_fingerprints << '\t'
                    << candidate.alignment.passages.size() << '\t' << longest_tokens << '\t' << longest_shared
                    << '\t' << longest_bytes << '\t' << shared_in_long_passages << '\t'
                    << fingerprint.token_count << '\t' << candidate.document_id << '\t' << best_shared_tokens
                    << '\t' << best_skew << '\t' << candidate.alignment.query_coverage << '\t'
                    << TextIndex::Accept(candidate, options.match) << '\n';
      }
    }
    report.query_milliseconds.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    ++outcome.queries;
    bool any_false = false;
    bool any_shared_text = false;
    for (const TextMatch& match : matches) {
      if (original_id != nullptr && match.document_id == *original_id) {
        ++outcome.recalled;
        continue;
      }
      const bool shared_text = shares_text(text, match);
      if (shared_text) {
        ++outcome.shared_text_matches;
        any_shared_text = true;
      } else {
        ++outcome.false_matches;
        any_false = true;
      }
      if (calibration.is_open()) {
        for (const Passage& passage : match.alignment.passages) {
          calibration << (shared_text ? "# shared " : "# false ") << current_key << " " << match.document_id
                      << " [" << passage.shared_fingerprints << " fingerprints, query bytes "
                      << passage.query.begin << "-" << passage.query.end << ", work bytes "
                      << passage.registered.begin << "-" << passage.registered.end << "] "
                      << text.substr(passage.query.begin, passage.query.end - passage.query.begin) << " | "
                      << text_by_id[match.document_id].substr(
                             passage.registered.begin, passage.registered.end - passage.registered.begin)
                      << "\n";
        }
        if (!shared_text)
          calibration << "# query " << current_key << " " << text.size() << " bytes\n" << text << "\n# end\n";
      }
    }
    if (any_false) ++outcome.queries_with_false_match;
    if (any_shared_text) ++outcome.queries_with_shared_text_match;
    if (calibration.is_open() && original_id != nullptr &&
        std::none_of(matches.begin(), matches.end(),
                     [&](const TextMatch& match) { return match.document_id == *original_id; })) {
      calibration << "# miss " << current_key << " " << *original_id << " | " << text.substr(0, 300) << "\n";
    }
    if (original_id != nullptr && SimHashDistance(fingerprint.simhash, original_simhash) <= 3) {
      ++outcome.simhash_recalled;
    }
    return Status::Ok();
  };

  for (const Article& original : corpus.originals) {
    RC_ASSIGN_OR_RETURN(TextFingerprint original_fingerprint, FingerprintText(original.text));
    const Filler& filler = filler_by_language[original.language == Language::kChinese ? 0 : 1];
    for (std::size_t round = 0; round < options.rounds; ++round) {
      for (Transformation transformation : kAllTransformations) {
        RC_ASSIGN_OR_RETURN(std::string query, Transform(transformation, original.text, filler, random));
        current_key = std::string(LanguageName(original.language)) + "/" +
                      std::string(TransformationName(transformation));
        Outcome& outcome = report.outcomes[current_key];
        RC_RETURN_IF_ERROR(run_query(query, outcome, &original.id, original_fingerprint.simhash));
      }
    }
  }
  current_key = "negative";
  for (const Article& article : corpus.filler) {
    RC_RETURN_IF_ERROR(run_query(article.text, report.negatives, nullptr, 0));
  }
  return report;
}

}  // namespace rightchain::fingerprint::testing
