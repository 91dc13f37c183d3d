#include "fingerprint/testing/corpus.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "base/file.h"
#include "fingerprint/text_normalizer.h"

namespace rightchain::fingerprint::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSourceFileSizeBytes = 8u << 20;
// An article counts as Chinese when at least this share of its characters are CJK.
constexpr double kMinChineseShare = 0.3;

std::vector<std::string> SortedFiles(const fs::path& root, bool recursive) {
  std::vector<std::string> files;
  std::error_code error;
  if (!fs::is_directory(root, error)) return files;
  auto add = [&](const fs::directory_entry& entry) {
    std::error_code entry_error;
    if (entry.is_regular_file(entry_error)) files.push_back(entry.path().string());
  };
  if (recursive) {
    for (auto it =
             fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      add(*it);
    }
  } else {
    for (auto it = fs::directory_iterator(root, error); !error && it != fs::directory_iterator();
         it.increment(error)) {
      add(*it);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool IsCjk(char32_t code_point) {
  return (code_point >= 0x3400 && code_point <= 0x9FFF) || (code_point >= 0xF900 && code_point <= 0xFAFF);
}

double ChineseShare(std::string_view utf8) {
  std::size_t cjk = 0;
  std::size_t visible = 0;
  for (std::size_t offset = 0; offset < utf8.size();) {
    const unsigned char lead = static_cast<unsigned char>(utf8[offset]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code_point = lead;
    if (length == 3 && offset + 2 < utf8.size()) {
      code_point = ((lead & 0x0F) << 12) | ((utf8[offset + 1] & 0x3F) << 6) | (utf8[offset + 2] & 0x3F);
    }
    if (lead > 0x20) ++visible;
    if (IsCjk(code_point)) ++cjk;
    offset += length;
  }
  return visible == 0 ? 0 : static_cast<double>(cjk) / visible;
}

// Prose is mostly letters; code, PostScript and tables of numbers are not.
constexpr double kMinEnglishLetterShare = 0.7;
double LetterShare(std::string_view text) {
  std::size_t letters = 0;
  std::size_t visible = 0;
  for (char c : text) {
    if (c > ' ' && c < 0x7f) {
      ++visible;
      letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }
  return visible == 0 ? 0 : static_cast<double>(letters) / visible;
}

// One long English file (a licence file listing thousands of paths, a decades-long change log)
// would otherwise fill the corpus with near-copies of its own structure. (Chinese fortunes are
// independent pieces, so the Chinese sources are not capped.)
constexpr int kMaxArticlesPerFile = 4;

// Prose: mostly letters, few path separators (file lists) and no CJK.
bool LooksLikeEnglishProse(std::string_view text) {
  std::size_t visible = 0;
  std::size_t slashes = 0;
  for (char c : text) {
    visible += c > ' ';
    slashes += c == '/' || c == '\\' || c == '|' || c == '_';
  }
  return LetterShare(text) >= kMinEnglishLetterShare && ChineseShare(text) == 0 &&
         static_cast<double>(slashes) <= 0.02 * static_cast<double>(visible);
}

// Code and markup in manuals (#include lists, prototypes, option tables) recur word for word across
// many pages: not articles anyone copies, and a source of matches between unrelated documents.
bool IsProseParagraph(std::string_view paragraph) {
  std::size_t symbols = 0;
  std::size_t visible = 0;
  for (const char c : paragraph) {
    if (c == ' ' || c == '\n' || c == '\t') continue;
    ++visible;
    if (std::string_view("#<>{};()=*/[]|\\_$").find(c) != std::string_view::npos) ++symbols;
  }
  return visible > 0 && symbols * 100 <= visible * 2;  // at most 2% code symbols
}

std::vector<std::string> ProseParagraphs(std::vector<std::string> paragraphs) {
  std::erase_if(paragraphs, [](const std::string& paragraph) { return !IsProseParagraph(paragraph); });
  return paragraphs;
}

std::vector<std::string> SplitParagraphs(std::string_view text) {
  std::vector<std::string> paragraphs;
  std::string current;
  std::size_t line_begin = 0;
  while (line_begin <= text.size()) {
    std::size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = text.substr(line_begin, line_end - line_begin);
    const bool blank = line.find_first_not_of(" \t\r\f") == std::string_view::npos;
    if (blank) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
    } else {
      current.append(line);
      current.push_back('\n');
    }
    line_begin = line_end + 1;
  }
  if (!current.empty()) paragraphs.push_back(std::move(current));
  return paragraphs;
}

// Packs paragraphs into articles of about `target` characters (an article ends at the first
// paragraph boundary past the target; a short tail is dropped).
void PackArticles(const std::vector<std::string>& paragraphs, const std::string& source, Language language,
                  const CorpusOptions& options, std::size_t limit, std::vector<Article>& out) {
  std::string current;
  std::size_t characters = 0;
  int part = 0;
  auto emit = [&] {
    const bool long_enough = characters >= options.article_characters / 2;
    const bool right_language = language == Language::kEnglish ? LooksLikeEnglishProse(current)
                                                               : ChineseShare(current) >= kMinChineseShare;
    if (long_enough && right_language && out.size() < limit &&
        (language == Language::kChinese || part < kMaxArticlesPerFile)) {
      out.push_back({std::string(LanguageName(language)) + "/" + source + "#" + std::to_string(part),
                     language, std::move(current)});
    }
    ++part;
    current.clear();
    characters = 0;
  };
  auto add = [&](std::string_view piece) {
    current += piece;
    characters += CountCharacters(piece);
    if (characters >= options.article_characters) emit();
  };
  for (const std::string& paragraph : paragraphs) {
    if (CountCharacters(paragraph) <= options.article_characters / 2) {
      add(paragraph);
      add("\n");
      continue;
    }
    // A long paragraph is added line by line so articles stay near the target size.
    std::size_t line_begin = 0;
    while (line_begin < paragraph.size()) {
      std::size_t line_end = paragraph.find('\n', line_begin);
      line_end = line_end == std::string::npos ? paragraph.size() : line_end + 1;
      add(std::string_view(paragraph).substr(line_begin, line_end - line_begin));
      line_begin = line_end;
    }
    add("\n");
  }
  if (characters >= options.article_characters / 2) emit();
}

bool Usable(const Result<std::string>& text) {
  return text.ok() && !text->empty() && ValidateUtf8(*text).ok() && text->find('\0') == std::string::npos;
}

std::string StripAnsi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    if (text[index] == '\x1b' && index + 1 < text.size() && text[index + 1] == '[') {
      index += 2;
      while (index < text.size() && !(text[index] >= '@' && text[index] <= '~')) ++index;
      continue;
    }
    out.push_back(text[index]);
  }
  return out;
}

std::string RelativeName(const std::string& path, std::string_view root) {
  return path.starts_with(root) ? path.substr(root.size()) : path;
}

}  // namespace

std::string_view LanguageName(Language language) {
  return language == Language::kChinese ? "zh" : "en";
}

std::size_t CountCharacters(std::string_view utf8) {
  std::size_t count = 0;
  for (char byte : utf8) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  return count;
}

Result<std::string> ReadMaybeGzipped(const std::string& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error || size > kMaxSourceFileSizeBytes) return Status::IoError("unreadable or too large: " + path);
  if (!path.ends_with(".gz")) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) return Status::IoError("cannot open " + path);
    std::string text(static_cast<std::size_t>(size), '\0');
    stream.read(text.data(), static_cast<std::streamsize>(size));
    return text;
  }
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IoError("cannot open " + path);
  std::string text;
  char buffer[1 << 16];
  while (true) {
    const int read = gzread(file, buffer, sizeof buffer);
    if (read < 0) {
      gzclose(file);
      return Status::Corruption("bad gzip data in " + path);
    }
    if (read == 0) break;
    text.append(buffer, static_cast<std::size_t>(read));
    if (text.size() > 4 * kMaxSourceFileSizeBytes) break;
  }
  gzclose(file);
  return text;
}

std::string StripRoff(std::string_view roff) {
  std::string out;
  out.reserve(roff.size());
  std::size_t line_begin = 0;
  while (line_begin < roff.size()) {
    std::size_t line_end = roff.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = roff.size();
    std::string_view line = roff.substr(line_begin, line_end - line_begin);
    line_begin = line_end + 1;
    if (!line.empty() && (line[0] == '.' || line[0] == '\'')) {
      // A request: keep the text of font and heading macros, drop the rest; paragraph
      // macros become paragraph breaks.
      std::size_t name_end = line.find_first_of(" \t", 1);
      std::string_view name = line.substr(1, name_end == std::string_view::npos ? line.npos : name_end - 1);
      std::string_view arguments =
          name_end == std::string_view::npos ? std::string_view() : line.substr(name_end + 1);
      static constexpr std::string_view kTextMacros[] = {"SH", "SS", "B",  "I",  "BR", "IR",
                                                         "RB", "BI", "IB", "RI", "IP", "TP"};
      if (name == "PP" || name == "P" || name == "LP" || name == "SH" || name == "SS" || name == "TP" ||
          name == "IP" || name == "sp" || name == "br") {
        out += "\n\n";
      }
      if (std::find(std::begin(kTextMacros), std::end(kTextMacros), name) == std::end(kTextMacros)) continue;
      line = arguments;
    }
    for (std::size_t index = 0; index < line.size(); ++index) {
      const char c = line[index];
      if (c == '"') continue;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (index + 1 >= line.size()) break;
      const char escape = line[++index];
      if (escape == '"') break;  // comment to end of line
      if (escape == 'f' || escape == 's' || escape == '*') {
        if (index + 1 < line.size() && line[index + 1] == '(') {
          index += 3;
        } else if (index + 1 < line.size() && (line[index + 1] == '+' || line[index + 1] == '-')) {
          index += 2;
        } else {
          index += 1;
        }
      } else if (escape == '(') {
        index += 2;
        out.push_back(' ');
      } else if (escape == 'e') {
        out.push_back('\\');
      } else if (escape == '&' || escape == '|' || escape == '^' || escape == 'c') {
        // zero-width
      } else {
        out.push_back(escape);  // \- \. \  and the like
      }
    }
    out.push_back('\n');
  }
  return out;
}

Result<std::vector<Article>> LoadChineseArticles(const CorpusOptions& options) {
  std::vector<Article> articles;
  std::vector<std::string> man_pages = SortedFiles("/usr/share/man/zh_CN", true);
  const std::vector<std::string> traditional_pages = SortedFiles("/usr/share/man/zh_TW", true);
  const std::vector<std::string> fortunes = {"/usr/share/games/fortunes/chinese",
                                             "/usr/share/games/fortunes/tang300",
                                             "/usr/share/games/fortunes/song100"};
  std::error_code error;
  if (man_pages.size() < 100 || !fs::exists(fortunes[0], error)) {
    return Status::Unavailable(
        "the Chinese corpus needs the Debian packages manpages-zh and fortunes-zh (run "
        "scripts/install-deps)");
  }
  // Fortunes first: short pieces of prose and poetry, packed into articles.
  for (const std::string& path : fortunes) {
    Result<std::string> text = ReadMaybeGzipped(path);
    if (!Usable(text)) continue;
    std::vector<std::string> pieces;
    std::string current;
    for (std::string_view rest = *text; !rest.empty();) {
      std::size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (line == "%") {
        pieces.push_back(StripAnsi(current));
        current.clear();
      } else {
        current.append(line);
        current.push_back('\n');
      }
    }
    if (!current.empty()) pieces.push_back(StripAnsi(current));
    PackArticles(pieces, RelativeName(path, "/usr/share/games/fortunes/"), Language::kChinese, options,
                 options.max_chinese_articles, articles);
  }
  man_pages.insert(man_pages.end(), traditional_pages.begin(), traditional_pages.end());
  for (const std::string& path : man_pages) {
    if (articles.size() >= options.max_chinese_articles) break;
    Result<std::string> text = ReadMaybeGzipped(path);
    if (!Usable(text)) continue;
    PackArticles(SplitParagraphs(StripRoff(*text)), RelativeName(path, "/usr/share/man/"), Language::kChinese,
                 options, options.max_chinese_articles, articles);
  }
  return articles;
}

// The English sources are the files of these Debian packages only, found through their dpkg file
// lists, so that installing unrelated packages never changes the corpus (scanning all of
// /usr/share/doc did: a tool's documentation boilerplate once became a false match). Order:
// licences, then the Linux, POSIX and git manual pages (roff stripped), then CMake's manual.
constexpr std::string_view kEnglishPackages[] = {"base-files", "manpages", "manpages-dev", "git-man",
                                                 "cmake-data"};

// Regular files of `package` (its dpkg file list) under one of `prefixes`, sorted.
std::vector<std::string> PackageFiles(std::string_view package,
                                      std::initializer_list<std::string_view> prefixes) {
  std::vector<std::string> files;
  for (const std::string& list : {"/var/lib/dpkg/info/" + std::string(package) + ".list",
                                  "/var/lib/dpkg/info/" + std::string(package) + ":amd64.list"}) {
    Result<std::string> text = ReadFile(list, kMaxSourceFileSizeBytes);
    if (!text.ok()) continue;
    std::size_t start = 0;
    while (start < text->size()) {
      std::size_t end = text->find('\n', start);
      if (end == std::string::npos) end = text->size();
      const std::string path = text->substr(start, end - start);
      start = end + 1;
      std::error_code error;
      if (!fs::is_regular_file(path, error) || fs::is_symlink(path, error)) continue;
      for (const std::string_view prefix : prefixes) {
        if (path.starts_with(prefix)) {
          files.push_back(path);
          break;
        }
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::vector<Article>> LoadEnglishArticles(const CorpusOptions& options) {
  std::vector<std::string> files;
  for (const std::string_view package : kEnglishPackages) {
    const std::vector<std::string> owned =
        PackageFiles(package, {"/usr/share/common-licenses/", "/usr/share/man/man", "/usr/share/cmake-"});
    if (owned.empty()) {
      return Status::Unavailable("the English corpus needs the Debian package " + std::string(package) +
                                 " (scripts/install-deps installs it)");
    }
    for (const std::string& path : owned) {
      if (path.find("/cmake-") == std::string::npos || path.ends_with(".rst")) files.push_back(path);
    }
  }
  std::vector<Article> articles;
  for (const std::string& path : files) {
    if (articles.size() >= options.max_english_articles) break;
    Result<std::string> text = ReadMaybeGzipped(path);
    if (!Usable(text) || text->starts_with(".so ")) continue;
    const bool manual_page = path.find("/usr/share/man/") != std::string::npos;
    const std::string prose = manual_page ? StripRoff(*text) : *text;
    if (ChineseShare(prose) > 0.01 || LetterShare(prose) < kMinEnglishLetterShare) continue;
    PackArticles(ProseParagraphs(SplitParagraphs(prose)), RelativeName(path, "/usr/share/"),
                 Language::kEnglish, options, options.max_english_articles, articles);
  }
  return articles;
}

std::vector<Article> Deduplicate(std::vector<Article> articles, const MatchOptions& match_options) {
  // First pass: drop each article matching one kept before it.
  TextIndex index;
  std::vector<Article> kept;
  kept.reserve(articles.size());
  for (Article& article : articles) {
    Result<TextFingerprint> query = FingerprintQueryText(article.text);
    Result<TextFingerprint> fingerprint = FingerprintText(article.text);
    if (!query.ok() || !fingerprint.ok() || fingerprint->entries.size() < 8) continue;
    if (!index.Match(*query, match_options).empty()) continue;
    if (!index.Add(article.id, std::move(fingerprint).value()).ok()) continue;
    kept.push_back(std::move(article));
  }
  // Second pass, for matching is not symmetric: query every kept article against all the
  // others, and drop (from the index too) each that still matches something else.
  std::vector<Article> verified;
  verified.reserve(kept.size());
  for (Article& article : kept) {
    Result<TextFingerprint> query = FingerprintQueryText(article.text);
    bool matches_other = false;
    for (const TextMatch& match : index.Match(*query, match_options))
      matches_other |= match.document_id != article.id;
    if (matches_other) {
      (void)index.Remove(article.id);
      continue;
    }
    verified.push_back(std::move(article));
  }
  return verified;
}

}  // namespace rightchain::fingerprint::testing
