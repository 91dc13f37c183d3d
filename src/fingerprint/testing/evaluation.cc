#include "fingerprint/testing/evaluation.h"

#include <chrono>

namespace rightchain::fingerprint::testing {
namespace {

void Shuffle(std::vector<Article>& articles, Random& random) {
  for (std::size_t index = articles.size(); index > 1; --index) {
    std::swap(articles[index - 1], articles[random.Below(index)]);
  }
}

}  // namespace

Result<Corpus> BuildCorpus(const EvaluationOptions& options) {
  const std::size_t needed = options.originals_per_language + options.distractors_per_language +
                             options.filler_per_language;
  CorpusOptions corpus_options;
  corpus_options.article_characters = options.article_characters;
  // Loading stops early once enough articles exist; deduplication drops some, so load extra.
  corpus_options.max_chinese_articles = needed * 2;
  corpus_options.max_english_articles = needed * 2;
  RC_ASSIGN_OR_RETURN(std::vector<Article> chinese, LoadChineseArticles(corpus_options));
  RC_ASSIGN_OR_RETURN(std::vector<Article> english, LoadEnglishArticles(corpus_options));
  Corpus corpus;
  corpus.loaded_before_deduplication = chinese.size() + english.size();
  std::vector<Article> all = std::move(chinese);
  all.insert(all.end(), std::make_move_iterator(english.begin()), std::make_move_iterator(english.end()));
  all = Deduplicate(std::move(all), options.match);

  Random random(options.seed);
  for (Language language : {Language::kChinese, Language::kEnglish}) {
    std::vector<Article> articles;
    for (Article& article : all) {
      if (article.language == language) articles.push_back(std::move(article));
    }
    if (articles.size() < options.originals_per_language + options.filler_per_language + 1) {
      return Status::Unavailable("only " + std::to_string(articles.size()) + " distinct " +
                                 std::string(LanguageName(language)) + " articles, too few for the evaluation");
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

  Filler filler_by_language[2];
  for (const Article& article : corpus.filler) {
    filler_by_language[article.language == Language::kChinese ? 0 : 1].articles.push_back(article.text);
  }
  Random random(options.seed ^ 0x5eed);
  auto run_query = [&](std::string_view text, Outcome& outcome, const std::string* original_id,
                       std::uint64_t original_simhash) -> Status {
    const auto start = std::chrono::steady_clock::now();
    RC_ASSIGN_OR_RETURN(TextFingerprint fingerprint, FingerprintText(text));
    const std::vector<TextMatch> matches = index.Match(fingerprint, options.match);
    const auto stop = std::chrono::steady_clock::now();
    report.query_milliseconds.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    ++outcome.queries;
    bool any_false = false;
    for (const TextMatch& match : matches) {
      if (original_id != nullptr && match.document_id == *original_id) {
        ++outcome.recalled;
      } else {
        ++outcome.false_matches;
        any_false = true;
      }
    }
    if (any_false) ++outcome.queries_with_false_match;
    if (original_id != nullptr && SimHashDistance(fingerprint.simhash, original_simhash) <= 3) {
      ++outcome.simhash_recalled;
    }
    return Status::Ok();
  };

  for (const Article& original : corpus.originals) {
    RC_ASSIGN_OR_RETURN(TextFingerprint original_fingerprint, FingerprintText(original.text));
    const Filler& filler = filler_by_language[original.language == Language::kChinese ? 0 : 1];
    for (Transformation transformation : kAllTransformations) {
      RC_ASSIGN_OR_RETURN(std::string query, Transform(transformation, original.text, filler, random));
      Outcome& outcome = report.outcomes[std::string(LanguageName(original.language)) + "/" +
                                         std::string(TransformationName(transformation))];
      RC_RETURN_IF_ERROR(run_query(query, outcome, &original.id, original_fingerprint.simhash));
    }
  }
  for (const Article& article : corpus.filler) {
    RC_RETURN_IF_ERROR(run_query(article.text, report.negatives, nullptr, 0));
  }
  return report;
}

}  // namespace rightchain::fingerprint::testing
