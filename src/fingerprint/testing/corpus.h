// Reproducible text corpora for the fingerprint accuracy test and benchmark, built from text
// that pinned Debian packages ship (found through their dpkg file lists, so unrelated packages
// never change the corpus): Chinese from fortunes-zh, manpages-zh, translated manuals and help
// (HTML and Mallard pages) and message catalogues; English from licences, manual pages and the
// manuals of CMake, Python, Perl, Debian, GNOME and LibreOffice. Files are read in sorted order
// and cut into articles of about `article_characters` characters at paragraph boundaries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "fingerprint/text_index.h"

namespace rightchain::fingerprint::testing {

enum class Language : std::uint8_t { kChinese, kEnglish };
std::string_view LanguageName(Language language);  // "zh" / "en"

struct Article {
  std::string id;  // "<language>/<source file>#<part>"
  Language language = Language::kChinese;
  std::string text;
};

struct CorpusOptions {
  std::size_t article_characters = 2000;
  std::size_t max_chinese_articles = SIZE_MAX;
  std::size_t max_english_articles = SIZE_MAX;
};

// kUnavailable, naming the packages to install, when a language's sources are missing.
Result<std::vector<Article>> LoadChineseArticles(const CorpusOptions& options);
Result<std::vector<Article>> LoadEnglishArticles(const CorpusOptions& options);

// Keeps articles in order, dropping each one that matches (under `match_options`) an article
// already kept, so no two kept articles are within match distance. Returns the kept ones.
std::vector<Article> Deduplicate(std::vector<Article> articles, const MatchOptions& match_options);

// Strips roff markup from a man page, keeping its text (exposed for tests).
std::string StripRoff(std::string_view roff);
// HTML or XML (Mallard) to text: tags removed, block elements as paragraph breaks, scripts,
// styles, comments and the head dropped, basic and numeric entities decoded.
std::string StripMarkup(std::string_view markup);
// Perl's POD to text: headings and items kept, other commands dropped, formatting codes unwrapped.
std::string StripPod(std::string_view pod);
// The translated strings of a GNU message catalogue (.mo), one per line; empty when malformed.
std::string MessageCatalogueText(std::string_view mo);

// Reads a file, gunzipping when its name ends in ".gz" (kIoError / kCorruption).
Result<std::string> ReadMaybeGzipped(const std::string& path);

// Counts code points of UTF-8 text.
std::size_t CountCharacters(std::string_view utf8);

}  // namespace rightchain::fingerprint::testing
