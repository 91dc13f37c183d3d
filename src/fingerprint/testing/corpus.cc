#include "fingerprint/testing/corpus.h"

#include <unicode/utf8.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <span>

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

// Articles from one licence file (one lists thousands of paths: near-copies of its own
// structure), and from one manual page or page of CMake's manual.
constexpr int kMaxArticlesPerFile = 4;
constexpr int kMaxArticlesPerManualPage = 64;

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
                  const CorpusOptions& options, std::size_t limit, int max_articles_per_file,
                  std::vector<Article>& out) {
  std::string current;
  std::size_t characters = 0;
  int part = 0;
  auto emit = [&] {
    const bool long_enough = characters >= options.article_characters / 2;
    const bool right_language = language == Language::kEnglish ? LooksLikeEnglishProse(current)
                                                               : ChineseShare(current) >= kMinChineseShare;
    if (long_enough && right_language && out.size() < limit && part < max_articles_per_file) {
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

bool UsableText(std::string_view text) {
  return !text.empty() && ValidateUtf8(text).ok() && text.find('\0') == std::string_view::npos;
}
bool Usable(const Result<std::string>& text) {
  return text.ok() && UsableText(*text);
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

// Through ICU, as the normaliser does; a code point that has no UTF-8 form (a surrogate or one
// past U+10FFFF, which a numeric entity can name) is left out.
void AppendUtf8(char32_t code_point, std::string& out) {
  char buffer[4];
  std::int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, 4, static_cast<UChar32>(code_point), error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

// Decodes the entity starting at text[index] == '&' (named basics and numeric references);
// returns the bytes consumed, 0 when it is not one.
std::size_t DecodeEntity(std::string_view text, std::size_t index, std::string& out) {
  const std::size_t end = text.find(';', index);
  if (end == std::string_view::npos || end - index > 10) return 0;
  const std::string_view name = text.substr(index + 1, end - index - 1);
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
  for (const auto& [entity, text_value] : kNamed) {
    if (name == entity) {
      out += text_value;
      return end - index + 1;
    }
  }
  if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string digits(name.substr(hex ? 2 : 1));
    if (digits.empty() ||
        digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos) {
      return 0;
    }
    const unsigned long code_point = std::stoul(digits, nullptr, hex ? 16 : 10);
    if (code_point == 0 || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
    AppendUtf8(static_cast<char32_t>(code_point), out);
    return end - index + 1;
  }
  return 0;
}

// Inline elements of HTML and of GNOME's Mallard help pages: their text runs on in the
// paragraph. Every other element starts a new paragraph.
bool IsInlineElement(std::string_view name) {
  static constexpr std::string_view kInline[] = {"a",
                                                 "abbr",
                                                 "acronym",
                                                 "b",
                                                 "bdi",
                                                 "big",
                                                 "cite",
                                                 "code",
                                                 "em",
                                                 "font",
                                                 "i",
                                                 "kbd",
                                                 "q",
                                                 "s",
                                                 "samp",
                                                 "small",
                                                 "span",
                                                 "strong",
                                                 "sub",
                                                 "sup",
                                                 "tt",
                                                 "u",
                                                 "var",
                                                 "wbr",
                                                 "app",
                                                 "cmd",
                                                 "file",
                                                 "gui",
                                                 "guiseq",
                                                 "input",
                                                 "key",
                                                 "keyseq",
                                                 "link",
                                                 "output",
                                                 "sys",
                                                 "ahelp",
                                                 "emph",
                                                 "item",
                                                 "switchinline",
                                                 "caseinline",
                                                 "defaultinline",
                                                 "variable"};
  return std::find(std::begin(kInline), std::end(kInline), name) != std::end(kInline);
}

// HTML or XML to text: comments, scripts, styles and the head dropped, tags removed (block
// elements become paragraph breaks), the basic entities decoded. For corpus building only:
// the inputs are the documentation files of pinned Debian packages.
std::string StripMarkupImpl(std::string_view markup) {
  std::string out;
  out.reserve(markup.size() / 2);
  std::size_t index = 0;
  while (index < markup.size()) {
    const char c = markup[index];
    if (c == '&') {
      const std::size_t consumed = DecodeEntity(markup, index, out);
      if (consumed == 0) out.push_back('&');
      index += consumed == 0 ? 1 : consumed;
      continue;
    }
    if (c != '<') {
      out.push_back(c == '\r' || c == '\t' ? ' ' : c);
      ++index;
      continue;
    }
    if (markup.substr(index, 4) == "<!--") {
      const std::size_t end = markup.find("-->", index + 4);
      index = end == std::string_view::npos ? markup.size() : end + 3;
      continue;
    }
    const std::size_t tag_end = markup.find('>', index + 1);
    if (tag_end == std::string_view::npos) break;
    std::size_t name_begin = index + 1;
    if (name_begin < tag_end && markup[name_begin] == '/') ++name_begin;
    std::size_t name_end = name_begin;
    while (name_end < tag_end && (std::isalnum(static_cast<unsigned char>(markup[name_end])) ||
                                  markup[name_end] == ':' || markup[name_end] == '-')) {
      ++name_end;
    }
    std::string name(markup.substr(name_begin, name_end - name_begin));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
    index = tag_end + 1;
    const bool closing = markup[name_begin - 1] == '/';
    if (!closing && (name == "script" || name == "style" || name == "head")) {
      const std::size_t end = markup.find("</" + name, index);
      index = end == std::string_view::npos ? markup.size() : end;
      continue;
    }
    if (!IsInlineElement(name)) out += "\n\n";
  }
  return out;
}

// Plain Old Documentation: commands give headings or nothing, formatting codes keep their text.
std::string StripPodImpl(std::string_view pod) {
  std::string out;
  out.reserve(pod.size());
  bool in_pod = true;
  for (const std::string& paragraph : SplitParagraphs(pod)) {
    std::string_view text = paragraph;
    if (text.starts_with("=")) {
      in_pod = !text.starts_with("=cut");
      if (!text.starts_with("=head") && !text.starts_with("=item")) continue;
      const std::size_t space = text.find_first_of(" \n");
      text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    }
    if (!in_pod) continue;
    int depth = 0;
    for (std::size_t index = 0; index < text.size(); ++index) {
      const char c = text[index];
      if (c >= 'A' && c <= 'Z' && index + 1 < text.size() && text[index + 1] == '<') {
        ++depth;
        ++index;
        while (index + 1 < text.size() && text[index + 1] == '<') ++index;
        continue;
      }
      if (c == '>' && depth > 0) {
        --depth;
        while (index + 1 < text.size() && text[index + 1] == '>') ++index;
        continue;
      }
      out.push_back(c);
    }
    out += "\n";
  }
  return out;
}

// The translated strings of a GNU message catalogue (.mo), one per line. Bounds-checked.
std::string MessageCatalogueTextImpl(std::string_view mo) {
  auto load32 = [&](std::size_t offset, bool swap) -> std::uint32_t {
    if (offset + 4 > mo.size()) return UINT32_MAX;
    std::uint32_t value = 0;
    for (int byte = 3; byte >= 0; --byte) {
      value = (value << 8) | static_cast<unsigned char>(mo[offset + (swap ? 3 - byte : byte)]);
    }
    return value;
  };
  if (mo.size() < 28) return {};
  const bool swap = load32(0, false) != 0x950412de;
  if (load32(0, swap) != 0x950412de) return {};
  const std::uint32_t count = load32(8, swap);
  const std::uint32_t translations = load32(16, swap);
  std::string out;
  for (std::uint32_t message = 0; message < count && message < mo.size() / 8; ++message) {
    const std::size_t entry = translations + std::size_t{8} * message;
    const std::uint32_t length = load32(entry, swap);
    const std::uint32_t offset = load32(entry + 4, swap);
    if (length == UINT32_MAX || offset == UINT32_MAX || offset > mo.size() || length > mo.size() - offset) {
      break;
    }
    std::string_view text = mo.substr(offset, length);
    if (text.starts_with("Project-Id-Version") || text.empty()) continue;  // the header
    text = text.substr(0, text.find('\0'));                                // first plural form
    for (char c : text) out.push_back(c == '\n' ? ' ' : c);
    out.push_back('\n');
  }
  return out;
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

namespace {

// How a source file is turned into text.
enum class Format : std::uint8_t { kPlain, kRoff, kMarkup, kPod, kMessageCatalogue };

// Files of one pinned Debian package: those whose path contains `fragment` and ends in
// `suffix`, read as `format`. Either each file is cut into articles on its own, at most
// `max_articles_per_file` of them (one long licence file listing thousands of paths would
// otherwise fill the corpus with near-copies of its own structure), or, for manuals and help
// made of many short pages (kJoinPages), consecutive files of one directory are read as one
// text, so that pages under 1,000 characters still make up articles.
constexpr int kJoinPages = 0;
struct PackageSource {
  std::string_view package;
  std::string_view fragment;
  std::string_view suffix;
  Format format;
  int max_articles_per_file = kJoinPages;
};
constexpr int kUnlimitedArticlesPerFile = INT32_MAX;
// Joined pages with less text than this are skipped: redirect pages ("The node you are looking
// for is at ...") and index entries, which repeat one line and hold no prose.
constexpr std::size_t kMinJoinedPageCharacters = 300;

// Code points other than whitespace.
std::size_t VisibleCharacters(std::string_view utf8) {
  std::size_t count = 0;
  for (const char byte : utf8) {
    const unsigned char value = static_cast<unsigned char>(byte);
    count += (value & 0xC0) != 0x80 && value > ' ';
  }
  return count;
}
// Joined pages are cut into articles in batches of about this many target-sized articles.
constexpr std::size_t kJoinedBatchArticles = 16;

// Chinese, after fortunes-zh and manpages-zh: translated manuals and message catalogues, each
// source in the order listed (simplified before traditional translations of the same text,
// so that deduplication keeps the simplified one).
constexpr PackageSource kChineseSources[] = {
    {"debian-reference-zh-cn", "/usr/share/debian-reference/", ".html", Format::kMarkup},
    {"debian-faq-zh-cn", "/zh-cn/", ".html", Format::kMarkup},
    {"maint-guide-zh-cn", "/html/", ".html", Format::kMarkup},
    {"debian-edu-doc-zh-cn", "/usr/share/doc/", ".html", Format::kMarkup},
    {"debian-handbook", "/html/zh-CN/", ".html", Format::kMarkup},
    {"installation-guide-amd64", "/zh_CN/", ".html", Format::kMarkup},
    {"gnome-user-docs", "/zh_CN/", ".page", Format::kMarkup},
    {"gimp-help-zh-cn", "/zh_CN/", ".html", Format::kMarkup},
    {"kicad-doc-zh", "/help/zh/", ".html", Format::kMarkup},
    {"lilypond-doc-html-zh", "/Documentation/", ".zh.html", Format::kMarkup},
    {"libreoffice-help-zh-cn", "/help/zh-CN/", ".html", Format::kMarkup},
    {"debian-reference-zh-tw", "/usr/share/debian-reference/", ".html", Format::kMarkup},
    {"maint-guide-zh-tw", "/html/", ".html", Format::kMarkup},
    {"debian-handbook", "/html/zh-TW/", ".html", Format::kMarkup},
    {"libreoffice-help-zh-tw", "/help/zh-TW/", ".html", Format::kMarkup},
    {"git", "/zh_", ".mo", Format::kMessageCatalogue},
    {"coreutils", "/zh_", ".mo", Format::kMessageCatalogue},
    {"libreoffice-l10n-zh-cn", "/zh_CN/", ".mo", Format::kMessageCatalogue},
    {"libreoffice-l10n-zh-tw", "/zh_TW/", ".mo", Format::kMessageCatalogue},
};

// English: licences, the Linux, POSIX and git manual pages, CMake's manual (the first corpus),
// the coreutils and OpenSSL manual pages,
// then the Python, Perl and PostgreSQL manuals, the Debian manuals (reference, policy, developers'
// reference, handbook, installation guide), GNOME's, GIMP's and
// KiCad's help, the manuals of Django, R, Octave and SQLite, and LibreOffice's help.
constexpr PackageSource kEnglishSources[] = {
    {"base-files", "/usr/share/common-licenses/", "", Format::kPlain, kMaxArticlesPerFile},
    {"manpages", "/usr/share/man/man", "", Format::kRoff, kMaxArticlesPerManualPage},
    {"manpages-dev", "/usr/share/man/man", "", Format::kRoff, kMaxArticlesPerManualPage},
    {"git-man", "/usr/share/man/man", "", Format::kRoff, kMaxArticlesPerManualPage},
    {"coreutils", "/usr/share/man/man", "", Format::kRoff, kMaxArticlesPerManualPage},
    {"openssl", "/usr/share/man/man", "", Format::kRoff, kMaxArticlesPerManualPage},
    {"cmake-data", "/usr/share/cmake-", ".rst", Format::kPlain, kMaxArticlesPerManualPage},
    {"python3.11-doc", "/_sources/", ".rst.txt", Format::kPlain},
    {"perl-doc", "/usr/share/perl/", ".pod", Format::kPod},
    {"postgresql-doc-15", "/html/", ".html", Format::kMarkup},
    {"debian-reference-en", "/usr/share/debian-reference/", ".html", Format::kMarkup},
    {"debian-policy", "/usr/share/doc/debian-policy/", ".html", Format::kMarkup},
    {"developers-reference", "/usr/share/developers-reference/", ".html", Format::kMarkup},
    {"debian-handbook", "/html/en-US/", ".html", Format::kMarkup},
    {"installation-guide-amd64", "/en/", ".html", Format::kMarkup},
    {"gnome-user-docs", "/help/C/", ".page", Format::kMarkup},
    {"gimp-help-en", "/help/en/", ".html", Format::kMarkup},
    {"kicad-doc-en", "/help/en/", ".html", Format::kMarkup},
    {"python-django-doc", "/html/", ".html", Format::kMarkup},
    {"r-doc-html", "/usr/share/R/doc/manual/", ".html", Format::kMarkup},
    {"octave-doc", "/usr/share/doc/octave/", ".html", Format::kMarkup},
    {"sqlite3-doc", "/usr/share/doc/sqlite3/", ".html", Format::kMarkup},
    {"libreoffice-help-en-us", "/help/en-US/", ".html", Format::kMarkup},
};

// A manual's table of contents or index: index.html, index.en.html, genindex.html,
// py-modindex.html, bookindex.html, Concept-Index.html (but not sql-createindex.html).
bool IsIndexPage(std::string_view path) {
  std::string stem(path.substr(path.rfind('/') + 1));
  stem = stem.substr(0, stem.find('.'));
  std::transform(stem.begin(), stem.end(), stem.begin(),
                 [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
  return stem == "index" || stem == "genindex" || stem == "bookindex" || stem.ends_with("modindex") ||
         stem.ends_with("-index");
}

// Regular files of `package` (its dpkg file list) containing `fragment` and ending in `suffix`,
// sorted.
std::vector<std::string> PackageFiles(std::string_view package, std::string_view fragment,
                                      std::string_view suffix) {
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
      if (path.find(fragment) == std::string::npos || !path.ends_with(suffix)) continue;
      // Generated source listings, tables of contents and index pages are not prose (and a
      // table of contents repeats the headings of the chapters it lists).
      if (path.find("/_modules/") != std::string::npos || path.find("/_static/") != std::string::npos ||
          IsIndexPage(path)) {
        continue;
      }
      std::error_code error;
      if (!fs::is_regular_file(path, error) || fs::is_symlink(path, error)) continue;
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ToText(const std::string& raw, Format format) {
  switch (format) {
    case Format::kPlain: return raw;
    case Format::kRoff: return StripRoff(raw);
    case Format::kMarkup: return StripMarkup(raw);
    case Format::kPod: return StripPod(raw);
    case Format::kMessageCatalogue: return MessageCatalogueText(raw);
  }
  return raw;
}

// Reads every source of `sources` in order into articles of `language`, up to `limit` in all.
Status LoadSources(std::span<const PackageSource> sources, Language language, const CorpusOptions& options,
                   std::size_t limit, std::vector<Article>& articles) {
  for (const PackageSource& source : sources) {
    if (articles.size() >= limit) break;
    const std::vector<std::string> files = PackageFiles(source.package, source.fragment, source.suffix);
    if (files.empty()) {
      return Status::Unavailable("the " + std::string(LanguageName(language)) +
                                 " corpus needs the Debian package " + std::string(source.package) +
                                 " (scripts/install-deps installs it)");
    }
    std::vector<std::string> joined;  // paragraphs of consecutive pages (kJoinPages)
    std::size_t joined_characters = 0;
    std::string joined_name;
    auto flush = [&] {
      if (!joined.empty()) {
        PackArticles(joined, joined_name, language, options, limit, kUnlimitedArticlesPerFile, articles);
      }
      joined.clear();
      joined_characters = 0;
    };
    for (const std::string& path : files) {
      if (articles.size() >= limit) break;
      Result<std::string> raw = ReadMaybeGzipped(path);
      if (!raw.ok() || raw->empty() || (source.format == Format::kRoff && raw->starts_with(".so "))) continue;
      const std::string text = ToText(*raw, source.format);
      if (!UsableText(text)) continue;
      std::vector<std::string> paragraphs = SplitParagraphs(text);
      if (language == Language::kEnglish) {
        if (ChineseShare(text) > 0.01 || LetterShare(text) < kMinEnglishLetterShare) continue;
        paragraphs = ProseParagraphs(std::move(paragraphs));
      }
      const std::string name = RelativeName(path, "/usr/share/");
      if (source.max_articles_per_file != kJoinPages) {
        PackArticles(paragraphs, name, language, options, limit, source.max_articles_per_file, articles);
        continue;
      }
      if (VisibleCharacters(text) < kMinJoinedPageCharacters) continue;  // a redirect or index page
      const std::string directory = fs::path(name).parent_path().string();
      if (!joined.empty() && (directory != fs::path(joined_name).parent_path().string() ||
                              joined_characters >= kJoinedBatchArticles * options.article_characters)) {
        flush();
      }
      if (joined.empty()) joined_name = name;
      for (std::string& paragraph : paragraphs) {
        joined_characters += CountCharacters(paragraph);
        joined.push_back(std::move(paragraph));
      }
    }
    flush();
  }
  return Status::Ok();
}

}  // namespace

std::string StripMarkup(std::string_view markup) {
  return StripMarkupImpl(markup);
}
std::string StripPod(std::string_view pod) {
  return StripPodImpl(pod);
}
std::string MessageCatalogueText(std::string_view mo) {
  return MessageCatalogueTextImpl(mo);
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
                 options.max_chinese_articles, kUnlimitedArticlesPerFile, articles);
  }
  man_pages.insert(man_pages.end(), traditional_pages.begin(), traditional_pages.end());
  for (const std::string& path : man_pages) {
    if (articles.size() >= options.max_chinese_articles) break;
    Result<std::string> text = ReadMaybeGzipped(path);
    if (!Usable(text)) continue;
    PackArticles(SplitParagraphs(StripRoff(*text)), RelativeName(path, "/usr/share/man/"), Language::kChinese,
                 options, options.max_chinese_articles, kUnlimitedArticlesPerFile, articles);
  }
  RC_RETURN_IF_ERROR(
      LoadSources(kChineseSources, Language::kChinese, options, options.max_chinese_articles, articles));
  return articles;
}

Result<std::vector<Article>> LoadEnglishArticles(const CorpusOptions& options) {
  std::vector<Article> articles;
  RC_RETURN_IF_ERROR(
      LoadSources(kEnglishSources, Language::kEnglish, options, options.max_english_articles, articles));
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
