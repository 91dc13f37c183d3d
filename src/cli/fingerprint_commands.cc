#include "cli/fingerprint_commands.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>

#include "base/file.h"
#include "fingerprint/audio_index.h"
#include "fingerprint/image_index.h"
#include "fingerprint/media_fingerprint.h"
#include "fingerprint/text_index.h"
#include "fingerprint/video_index.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using fingerprint::MediaKind;

constexpr std::size_t kMaxWorksFileSizeBytes = std::size_t{1} << 30;
constexpr int kWorksFormatVersion = 1;
// Passage excerpts printed by `match` are cut to this many bytes (at a character boundary).
constexpr std::size_t kMaxExcerptBytes = 80;

struct Work {
  MediaKind kind = MediaKind::kText;
  std::string file;  // the file name given to `index add`
};

// The registered works of an index directory and its indexes, loaded on demand.
struct Registry {
  fs::path directory;
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, Work> works;
  std::optional<fingerprint::TextIndex> text;
  std::optional<fingerprint::ImageIndex> image;
  std::optional<fingerprint::AudioIndex> audio;
  std::optional<fingerprint::VideoIndex> video;
};

Result<MediaKind> ParseKind(const std::string& kind) {
  if (kind == "text") return MediaKind::kText;
  if (kind == "image") return MediaKind::kImage;
  if (kind == "audio") return MediaKind::kAudio;
  if (kind == "video") return MediaKind::kVideo;
  return Status::InvalidArgument("unknown kind '" + kind + "'");
}

// Loads `index` from the directory once; a directory without that index file starts it empty.
template <typename Index>
Status LoadOnce(const fs::path& directory, std::optional<Index>& index) {
  if (index) return Status::Ok();
  Result<Index> loaded = Index::Load(directory);
  if (loaded.ok()) {
    index = std::move(*loaded);
  } else if (loaded.status().code() == ErrorCode::kNotFound) {
    index.emplace();
  } else {
    return loaded.status();
  }
  return Status::Ok();
}

Result<Registry> LoadRegistry(const fs::path& directory, bool must_exist) {
  Registry registry;
  registry.directory = directory;
  const fs::path path = directory / kWorksFileName;
  std::error_code error;
  if (!fs::exists(path, error)) {
    if (must_exist)
      return Status::NotFound("no index at " + directory.string() + " (no " + std::string(kWorksFileName) +
                              ")");
    return registry;
  }
  RC_ASSIGN_OR_RETURN(const std::string text, ReadFile(path, kMaxWorksFileSizeBytes));
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto bad = [&](const std::string& what) { return Status::Corruption(path.string() + ": " + what); };
  if (json.is_discarded() || !json.is_object()) return bad("not a JSON object");
  if (json.value("format", 0) != kWorksFormatVersion) return bad("unsupported format version");
  const auto next = json.find("next_id");
  const auto works = json.find("works");
  if (next == json.end() || !next->is_number_unsigned() || works == json.end() || !works->is_array()) {
    return bad("missing next_id or works");
  }
  registry.next_id = next->get<std::uint64_t>();
  for (const nlohmann::json& entry : *works) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_number_unsigned() ||
        !entry.contains("kind") || !entry["kind"].is_string() || !entry.contains("file") ||
        !entry["file"].is_string()) {
      return bad("a work needs id, kind and file");
    }
    const Result<MediaKind> kind = ParseKind(entry["kind"].get<std::string>());
    if (!kind.ok()) return bad(kind.status().message());
    const std::uint64_t id = entry["id"].get<std::uint64_t>();
    if (id >= registry.next_id) return bad("work id " + std::to_string(id) + " is not below next_id");
    registry.works[id] = Work{*kind, entry["file"].get<std::string>()};
  }
  return registry;
}

Status LoadIndex(Registry& registry, MediaKind kind) {
  switch (kind) {
    case MediaKind::kText: return LoadOnce(registry.directory, registry.text);
    case MediaKind::kImage: return LoadOnce(registry.directory, registry.image);
    case MediaKind::kAudio: return LoadOnce(registry.directory, registry.audio);
    case MediaKind::kVideo: return LoadOnce(registry.directory, registry.video);
  }
  return Status::Internal("unknown media kind");
}

// Writes the changed indexes, then the list of works (which names what the indexes hold).
Status SaveRegistry(const Registry& registry) {
  std::error_code error;
  fs::create_directories(registry.directory, error);
  if (error) return Status::IoError("creating " + registry.directory.string() + ": " + error.message());
  if (registry.text) RC_RETURN_IF_ERROR(registry.text->Save(registry.directory));
  if (registry.image) RC_RETURN_IF_ERROR(registry.image->Save(registry.directory));
  if (registry.audio) RC_RETURN_IF_ERROR(registry.audio->Save(registry.directory));
  if (registry.video) RC_RETURN_IF_ERROR(registry.video->Save(registry.directory));
  nlohmann::json works = nlohmann::json::array();
  for (const auto& [id, work] : registry.works) {
    works.push_back({{"id", id}, {"kind", fingerprint::MediaKindName(work.kind)}, {"file", work.file}});
  }
  const nlohmann::json json = {
      {"format", kWorksFormatVersion}, {"next_id", registry.next_id}, {"works", works}};
  return WriteFile(registry.directory / kWorksFileName, json.dump(1) + "\n");
}

std::string Hex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes.size());
  for (std::uint8_t byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

// At most `max_bytes` of `text` from `range`, cut at a UTF-8 character boundary, on one line.
std::string Excerpt(std::string_view text, fingerprint::ByteRange range, std::size_t max_bytes) {
  const std::size_t begin = std::min<std::size_t>(range.begin, text.size());
  std::size_t end = std::min<std::size_t>({range.end, text.size(), begin + max_bytes});
  while (end > begin && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  std::string excerpt(text.substr(begin, end - begin));
  std::replace_if(
      excerpt.begin(), excerpt.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  if (end < range.end) excerpt += "...";
  return excerpt;
}

std::string FormatShare(double share) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(3) << share;
  return text.str();
}

Result<std::uint64_t> ParseId(const std::string& text) {
  std::uint64_t id = 0;
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument("'" + text + "' is not a work id (a positive number)");
  }
  for (char c : text) id = id * 10 + static_cast<std::uint64_t>(c - '0');
  return id;
}

}  // namespace

Status PrintFingerprint(const std::string& file, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const fingerprint::MediaFingerprint result, fingerprint::FingerprintFile(file));
  out << "kind\t" << fingerprint::MediaKindName(result.kind) << "\n";
  out << "algorithm\t" << result.algorithm << "\n";
  if (result.kind == MediaKind::kImage) {
    out << "quality\t" << result.image.quality() << "\n";
    out << "size\t" << result.image.width << "x" << result.image.height << "\n";
  }
  if (result.kind == MediaKind::kAudio) {
    out << "duration\t" << FormatShare(result.audio.duration_seconds) << " s\n";
    out << "items\t" << result.audio.items.size() << "\n";
  }
  if (result.kind == MediaKind::kVideo) {
    out << "duration\t" << FormatShare(result.video.duration_seconds) << " s\n";
    out << "size\t" << result.video.width << "x" << result.video.height << "\n";
    out << "frames\t" << result.video.frames.size() << "\n";
    out << "sampled frames\t" << result.video.sampled_frames << "\n";
    out << "audio items\t" << (result.video.has_audio ? result.video.audio.items.size() : 0) << "\n";
  }
  out << "fingerprint\t" << Hex(result.fingerprint) << "\n";
  return Status::Ok();
}

Status IndexAdd(const std::string& index_directory, const std::vector<std::string>& files,
                std::ostream& out) {
  RC_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(index_directory, /*must_exist=*/false));
  std::vector<std::string> lines;
  for (const std::string& file : files) {
    RC_ASSIGN_OR_RETURN(fingerprint::MediaFingerprint media, fingerprint::FingerprintFile(file));
    RC_RETURN_IF_ERROR(LoadIndex(registry, media.kind));
    const std::uint64_t id = registry.next_id;
    const std::string id_text = std::to_string(id);
    if (media.kind == MediaKind::kText) {
      RC_RETURN_IF_ERROR(registry.text->Add(id_text, std::move(media.text)));
    } else if (media.kind == MediaKind::kAudio) {
      const Status added = registry.audio->Add(id_text, media.audio.items);
      if (!added.ok()) return added.WithContext(file);
    } else if (media.kind == MediaKind::kVideo) {
      const Status added = registry.video->Add(id_text, media.video);
      if (!added.ok()) return added.WithContext(file);
    } else {
      const Status added = registry.image->AddFingerprint(id_text, media.image);
      if (!added.ok()) return added.WithContext(file);
    }
    registry.works[id] = Work{media.kind, fs::path(file).filename().string()};
    ++registry.next_id;
    lines.push_back(id_text + "\t" + std::string(fingerprint::MediaKindName(media.kind)) + "\t" + file);
  }
  RC_RETURN_IF_ERROR(SaveRegistry(registry));
  for (const std::string& line : lines) out << line << "\n";
  return Status::Ok();
}

Status IndexRemove(const std::string& index_directory, const std::vector<std::string>& ids,
                   std::ostream& out) {
  RC_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(index_directory, /*must_exist=*/true));
  for (const std::string& id_text : ids) {
    RC_ASSIGN_OR_RETURN(const std::uint64_t id, ParseId(id_text));
    const auto found = registry.works.find(id);
    if (found == registry.works.end())
      return Status::NotFound("no work with id " + id_text + " in the index");
    RC_RETURN_IF_ERROR(LoadIndex(registry, found->second.kind));
    if (found->second.kind == MediaKind::kText) {
      RC_RETURN_IF_ERROR(registry.text->Remove(std::to_string(id)));
    } else if (found->second.kind == MediaKind::kAudio) {
      RC_RETURN_IF_ERROR(registry.audio->Remove(std::to_string(id)));
    } else if (found->second.kind == MediaKind::kVideo) {
      RC_RETURN_IF_ERROR(registry.video->Remove(std::to_string(id)));
    } else {
      RC_RETURN_IF_ERROR(registry.image->Remove(std::to_string(id)));
    }
    registry.works.erase(found);
  }
  RC_RETURN_IF_ERROR(SaveRegistry(registry));
  for (const std::string& id : ids) out << "removed " << id << "\n";
  return Status::Ok();
}

Status MatchFile(const std::string& file, const std::string& index_directory, bool json, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(Registry registry, LoadRegistry(index_directory, /*must_exist=*/true));
  RC_ASSIGN_OR_RETURN(const Bytes content,
                      fingerprint::ReadFileBytes(file, fingerprint::kMaxInputFileSizeBytes));
  const auto file_of = [&](const std::string& id_text) -> std::string {
    Result<std::uint64_t> id = ParseId(id_text);
    if (!id.ok()) return "";
    const auto found = registry.works.find(*id);
    return found == registry.works.end() ? "" : found->second.file;
  };
  nlohmann::json array = nlohmann::json::array();
  if (fingerprint::IsVideoContent(content)) {
    Result<fingerprint::VideoFingerprint> query = fingerprint::FingerprintVideoBytes(content);
    if (!query.ok()) return query.status().WithContext(file);
    RC_RETURN_IF_ERROR(LoadIndex(registry, MediaKind::kVideo));
    for (const fingerprint::VideoMatch& match : registry.video->Match(*query)) {
      if (json) {
        array.push_back({{"id", match.video_id},
                         {"file", file_of(match.video_id)},
                         {"kind", "video"},
                         {"score", match.score},
                         {"position_seconds", match.offset_seconds},
                         {"coverage", match.visual_coverage},
                         {"matched_seconds", match.matched_seconds},
                         {"matched_frames", match.matched_frames},
                         {"audio_coverage", match.audio_coverage},
                         {"audio_similarity", match.audio_similarity}});
      } else {
        out << match.video_id << "\t" << file_of(match.video_id) << "\tvideo\tscore "
            << FormatShare(match.score) << "\tposition " << FormatShare(match.offset_seconds)
            << " s\tcoverage " << FormatShare(match.visual_coverage) << "\tmatched "
            << FormatShare(match.matched_seconds) << " s\taudio coverage "
            << FormatShare(match.audio_coverage) << "\n";
      }
    }
  } else if (fingerprint::IsImageContent(content)) {
    Result<fingerprint::ImageFingerprint> query =
        fingerprint::FingerprintImageBytes(content, fingerprint::ImageHashing::kQuery);
    if (!query.ok()) return query.status().WithContext(file);
    RC_RETURN_IF_ERROR(LoadIndex(registry, MediaKind::kImage));
    for (const fingerprint::ImageMatch& match : registry.image->Match(*query)) {
      const std::string orientation(
          fingerprint::DihedralName(static_cast<fingerprint::Dihedral>(match.dihedral)));
      const std::string region(fingerprint::kImageRegions[match.region].name);
      if (json) {
        array.push_back({{"id", match.image_id},
                         {"file", file_of(match.image_id)},
                         {"kind", "image"},
                         {"distance", match.distance},
                         {"region", region},
                         {"orientation", orientation}});
      } else {
        out << match.image_id << "\t" << file_of(match.image_id) << "\timage\tdistance " << match.distance
            << "\tregion " << region << "\torientation " << orientation << "\n";
      }
    }
  } else if (fingerprint::IsAudioContent(content)) {
    Result<fingerprint::AudioFingerprint> query = fingerprint::FingerprintAudioBytes(content);
    if (!query.ok()) return fingerprint::DamagedVideoOr(content, query.status()).WithContext(file);
    RC_RETURN_IF_ERROR(LoadIndex(registry, MediaKind::kAudio));
    for (const fingerprint::AudioMatch& match : registry.audio->Match(query->items)) {
      const double aligned_seconds =
          static_cast<double>(match.aligned_items) * fingerprint::kAudioItemSeconds;
      if (json) {
        array.push_back({{"id", match.track_id},
                         {"file", file_of(match.track_id)},
                         {"kind", "audio"},
                         {"similarity", match.similarity},
                         {"bit_error_rate", match.bit_error_rate},
                         {"offset_seconds", match.offset_seconds},
                         {"aligned_seconds", aligned_seconds}});
      } else {
        out << match.track_id << "\t" << file_of(match.track_id) << "\taudio\tsimilarity "
            << FormatShare(match.similarity) << "\tbit error rate " << FormatShare(match.bit_error_rate)
            << "\toffset " << FormatShare(match.offset_seconds) << " s\taligned "
            << FormatShare(aligned_seconds) << " s\n";
      }
    }
  } else {
    Result<fingerprint::TextFingerprint> query = fingerprint::FingerprintQueryBytes(content);
    if (!query.ok()) return query.status().WithContext(file);
    RC_RETURN_IF_ERROR(LoadIndex(registry, MediaKind::kText));
    const std::string_view text = AsText(content);
    for (const fingerprint::TextMatch& match : registry.text->Match(*query)) {
      const fingerprint::PassageAlignment& alignment = match.alignment;
      if (json) {
        nlohmann::json passages = nlohmann::json::array();
        for (const fingerprint::Passage& passage : alignment.passages) {
          passages.push_back({{"query_bytes", {passage.query.begin, passage.query.end}},
                              {"work_bytes", {passage.registered.begin, passage.registered.end}},
                              {"text", Excerpt(text, passage.query, kMaxExcerptBytes)}});
        }
        array.push_back({{"id", match.document_id},
                         {"file", file_of(match.document_id)},
                         {"kind", "text"},
                         {"similarity", alignment.query_coverage},
                         {"work_coverage", alignment.registered_coverage},
                         {"shared_fingerprints", alignment.shared_fingerprints},
                         {"passages", passages}});
        continue;
      }
      out << match.document_id << "\t" << file_of(match.document_id) << "\ttext\tsimilarity "
          << FormatShare(alignment.query_coverage) << "\twork coverage "
          << FormatShare(alignment.registered_coverage) << "\tpassages";
      for (const fingerprint::Passage& passage : alignment.passages) {
        out << " [" << passage.query.begin << "," << passage.query.end << ")~[" << passage.registered.begin
            << "," << passage.registered.end << ") \"" << Excerpt(text, passage.query, kMaxExcerptBytes)
            << "\"";
      }
      out << "\n";
    }
  }
  if (json) out << array.dump() << "\n";
  return Status::Ok();
}

}  // namespace rightchain::cli
