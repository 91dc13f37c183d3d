// The fixed-seed accuracy test: a few hundred originals from the Debian-package corpora, every
// copy transformation of each, queried against an index with a few thousand distractors.
// Asserts minimum recall per transformation, at most one match of another work in 5,400
// queries, and none at all for held-out articles.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "fingerprint/testing/evaluation.h"

namespace rightchain::fingerprint::testing {
namespace {

// Floors sit a few points under the recall measured with this seed (docs/fingerprint.md), so
// the test catches regressions without flaking on package-version drift in the corpus.
double MinimumRecall(const std::string& key) {
  if (key.ends_with("/sentence_reorder")) return 0.90;
  if (key.ends_with("/excerpt_200_chars")) return 0.97;
  return 0.98;
}

TEST(FingerprintAccuracyTest, RecallPerTransformationAndFewMatchesOfOtherWorks) {
  EvaluationOptions options;  // fixed seed
  options.originals_per_language = 150;
  options.distractors_per_language = 1500;
  options.filler_per_language = 100;
  options.rounds = 2;  // 5,400 transformed queries
  Result<Corpus> corpus = BuildCorpus(options);
  ASSERT_TRUE(corpus.ok()) << "cannot build the test corpus: " << corpus.status().ToString();
  ASSERT_GE(corpus->originals.size(), 2 * options.originals_per_language - 10);
  ASSERT_GE(corpus->distractors.size(), 1000u);
  // Filler that shares a stock phrase with an indexed text is dropped; enough must remain.
  ASSERT_GE(corpus->filler.size(), options.filler_per_language) << corpus->filler.size();

  Result<EvaluationReport> report = Evaluate(*corpus, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->outcomes.size(), 2 * std::size(kAllTransformations));
  std::size_t queries = 0;
  std::size_t queries_with_false_match = 0;
  std::size_t queries_with_other_work = 0;
  for (const auto& [key, outcome] : report->outcomes) {
    std::printf("%-36s recall %5.1f%% (%zu of %zu), false %zu, shared text %zu\n", key.c_str(),
                100 * outcome.Recall(), outcome.recalled, outcome.queries, outcome.false_matches,
                outcome.shared_text_matches);
    EXPECT_GE(outcome.Recall(), MinimumRecall(key))
        << key << ": " << outcome.recalled << " of " << outcome.queries;
    queries += outcome.queries;
    queries_with_false_match += outcome.queries_with_false_match;
    queries_with_other_work += outcome.queries_with_false_match + outcome.queries_with_shared_text_match;
  }
  // Measured with this seed: no query matched another work at all, of 5,400 transformed
  // queries. One is allowed for package-version drift in the corpus (under 2e-4 per query; the
  // harness pins the rate on 22,000 queries, docs/benchmarks.md).
  EXPECT_LE(queries_with_false_match, 1u) << "of " << queries;
  EXPECT_LE(queries_with_other_work, 1u) << "of " << queries;
  // Held-out articles share no passage with any indexed one: any match at all is wrong.
  EXPECT_EQ(report->negatives.false_matches + report->negatives.shared_text_matches, 0u);
}

// The corpus readers of the documentation formats the packages ship.
TEST(FingerprintCorpusTest, StripsMarkupKeepingParagraphsAndEntities) {
  const std::string text = StripMarkup(
      "<html><head><title>T</title><style>p{}</style></head><body><!-- note -->"
      "<h1>Heading</h1><p>One <b>bold</b> &amp; &#x4E2D;&#25991; text.</p><script>x()</script>"
      "<p>Two&nbsp;lines</p></body></html>");
  EXPECT_EQ(text.find("p{}"), std::string::npos);
  EXPECT_EQ(text.find("x()"), std::string::npos);
  EXPECT_EQ(text.find("note"), std::string::npos);
  EXPECT_NE(text.find("Heading\n\n"), std::string::npos) << text;
  EXPECT_NE(text.find("One bold & 中文 text."), std::string::npos) << text;
  EXPECT_NE(text.find("\n\nTwo lines"), std::string::npos) << text;
}

TEST(FingerprintCorpusTest, StripsPodCommandsAndFormattingCodes) {
  const std::string text = StripPod(
      "=head1 NAME\n\nperlfoo - B<bold> and C<< code >> and L<perlfunc/open>\n\n=over 4\n\n"
      "=item first\n\nText.\n\n=back\n\n=cut\n\nsub hidden {}\n");
  EXPECT_NE(text.find("NAME"), std::string::npos);
  EXPECT_NE(text.find("perlfoo - bold and  code  and perlfunc/open"), std::string::npos) << text;
  EXPECT_NE(text.find("first"), std::string::npos);
  EXPECT_EQ(text.find("=over"), std::string::npos);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
}

TEST(FingerprintCorpusTest, ReadsTheTranslationsOfAMessageCatalogue) {
  // A GNU .mo file: magic, revision, count, original and translation tables, no hash table.
  const std::vector<std::pair<std::string, std::string>> messages = {
      {"", "Project-Id-Version: x\n"}, {"Hello", "你好"}, {"Two\nlines", "两\n行"}};
  std::string mo;
  auto put32 = [&](std::uint32_t value) {
    for (int byte = 0; byte < 4; ++byte) mo.push_back(static_cast<char>((value >> (8 * byte)) & 0xFF));
  };
  const std::uint32_t count = static_cast<std::uint32_t>(messages.size());
  const std::uint32_t originals = 28;
  const std::uint32_t translations = originals + 8 * count;
  std::uint32_t strings = translations + 8 * count;
  put32(0x950412de);
  put32(0);
  put32(count);
  put32(originals);
  put32(translations);
  put32(0);
  put32(0);
  std::string pool;
  std::vector<std::uint32_t> offsets;
  for (bool translated : {false, true}) {
    for (const auto& [id, translation] : messages) {
      const std::string& text = translated ? translation : id;
      put32(static_cast<std::uint32_t>(text.size()));
      put32(strings + static_cast<std::uint32_t>(pool.size()));
      pool += text;
      pool.push_back('\0');
    }
  }
  mo += pool;
  EXPECT_EQ(MessageCatalogueText(mo), "你好\n两 行\n");
  EXPECT_EQ(MessageCatalogueText(mo.substr(0, 40)), "");  // tables point past the end
  EXPECT_EQ(MessageCatalogueText("not a catalogue at all, not at all"), "");
}

}  // namespace
}  // namespace rightchain::fingerprint::testing
