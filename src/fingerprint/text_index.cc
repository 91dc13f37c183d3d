#include "fingerprint/text_index.h"

#include "fingerprint/index_file.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unordered_set>

#include <fcntl.h>
#include <unistd.h>

#include "base/assert.h"
#include "fingerprint/binary_io.h"

namespace rightchain::fingerprint {
namespace {

constexpr int kSlotBits = 24;
constexpr std::uint64_t kSlotMask = (1ull << kSlotBits) - 1;
constexpr std::string_view kIndexMagic = "RCFI";
constexpr std::uint32_t kIndexFormatVersion = 1;
constexpr std::size_t kMinPendingBeforeMerge = 1u << 16;
// A loaded index may not claim more postings than this (16 GiB of postings).
constexpr std::uint64_t kMaxLoadedPostings = 1ull << 31;
constexpr std::size_t kMaxIndexFileSizeBytes = std::size_t{64} << 30;

std::uint64_t HashKey(std::uint64_t hash) {
  return hash >> kSlotBits;
}
std::uint32_t PostingSlot(std::uint64_t posting) {
  return static_cast<std::uint32_t>(posting & kSlotMask);
}

// Distinct hashes of a fingerprint: a hash repeated in one document is one posting.
std::vector<std::uint64_t> DistinctHashes(const TextFingerprint& fingerprint) {
  std::vector<std::uint64_t> hashes;
  hashes.reserve(fingerprint.entries.size());
  for (const TextFingerprintEntry& entry : fingerprint.entries) hashes.push_back(HashKey(entry.hash));
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

}  // namespace

Status TextIndex::Add(std::string_view document_id, TextFingerprint fingerprint) {
  if (document_id.empty()) return Status::InvalidArgument("document id is empty");
  if (document_id.size() > kMaxDocumentIdSizeBytes) {
    return Status::InvalidArgument("document id longer than " + std::to_string(kMaxDocumentIdSizeBytes) +
                                   " bytes");
  }
  if (id_to_slot_.contains(std::string(document_id))) {
    return Status::AlreadyExists("document '" + std::string(document_id) + "' is already indexed");
  }
  if (documents_.size() >= kMaxIndexedDocuments) {
    Compact();
    if (documents_.size() >= kMaxIndexedDocuments) return Status::LimitExceeded("text index is full");
  }
  const std::uint32_t slot = static_cast<std::uint32_t>(documents_.size());
  AddPostings(slot, fingerprint);
  documents_.push_back({std::string(document_id), std::move(fingerprint)});
  id_to_slot_.emplace(document_id, slot);
  if (pending_posting_count_ >= std::max(kMinPendingBeforeMerge, sorted_postings_.size() / 8)) MergePending();
  return Status::Ok();
}

void TextIndex::AddPostings(std::uint32_t slot, const TextFingerprint& fingerprint) {
  for (std::uint64_t key : DistinctHashes(fingerprint)) {
    pending_postings_[key].push_back(slot);
    ++pending_posting_count_;
  }
}

void TextIndex::MergePending() {
  if (pending_posting_count_ == 0) return;
  const std::size_t old_size = sorted_postings_.size();
  sorted_postings_.reserve(old_size + pending_posting_count_);
  for (const auto& [key, slots] : pending_postings_) {
    for (std::uint32_t slot : slots) sorted_postings_.push_back((key << kSlotBits) | slot);
  }
  std::sort(sorted_postings_.begin() + static_cast<std::ptrdiff_t>(old_size), sorted_postings_.end());
  std::inplace_merge(sorted_postings_.begin(),
                     sorted_postings_.begin() + static_cast<std::ptrdiff_t>(old_size),
                     sorted_postings_.end());
  pending_postings_.clear();
  pending_posting_count_ = 0;
  RebuildDirectory();
}

void TextIndex::RebuildDirectory() {
  // About 16 postings per bucket, at most 2^23 buckets (64 MiB of directory).
  constexpr int kMaxDirectoryBits = 23;
  const std::size_t count = sorted_postings_.size();
  directory_bits_ = std::clamp(static_cast<int>(std::bit_width(count >> 4)), 1, kMaxDirectoryBits);
  const std::size_t buckets = std::size_t{1} << directory_bits_;
  directory_.assign(buckets + 1, count);
  std::size_t position = 0;
  for (std::size_t bucket = 0; bucket < buckets; ++bucket) {
    while (position < count && (sorted_postings_[position] >> (64 - directory_bits_)) < bucket) ++position;
    directory_[bucket] = position;
  }
  directory_[buckets] = count;
}

std::pair<std::size_t, std::size_t> TextIndex::BucketRange(std::uint64_t key) const {
  if (directory_.empty()) return {0, sorted_postings_.size()};
  const std::size_t bucket = static_cast<std::size_t>((key << kSlotBits) >> (64 - directory_bits_));
  return {directory_[bucket], directory_[bucket + 1]};
}

Status TextIndex::Remove(std::string_view document_id) {
  auto found = id_to_slot_.find(std::string(document_id));
  if (found == id_to_slot_.end()) {
    return Status::NotFound("document '" + std::string(document_id) + "' is not indexed");
  }
  Document& document = documents_[found->second];
  dead_posting_count_ += DistinctHashes(document.fingerprint).size();
  document.id.clear();
  document.fingerprint = TextFingerprint{};
  id_to_slot_.erase(found);
  const std::size_t total = sorted_postings_.size() + pending_posting_count_;
  if (dead_posting_count_ * 4 > total) Compact();
  return Status::Ok();
}

bool TextIndex::Contains(std::string_view document_id) const {
  return id_to_slot_.contains(std::string(document_id));
}

void TextIndex::Compact() {
  MergePending();
  // Live slots are renumbered in increasing order, which keeps the postings sorted.
  std::vector<std::uint32_t> new_slot(documents_.size(), UINT32_MAX);
  std::vector<Document> live;
  live.reserve(id_to_slot_.size());
  for (std::uint32_t slot = 0; slot < documents_.size(); ++slot) {
    if (documents_[slot].id.empty()) continue;
    new_slot[slot] = static_cast<std::uint32_t>(live.size());
    live.push_back(std::move(documents_[slot]));
  }
  std::size_t kept = 0;
  for (std::uint64_t posting : sorted_postings_) {
    const std::uint32_t slot = new_slot[PostingSlot(posting)];
    if (slot == UINT32_MAX) continue;
    sorted_postings_[kept++] = (posting & ~kSlotMask) | slot;
  }
  sorted_postings_.resize(kept);
  sorted_postings_.shrink_to_fit();
  RebuildDirectory();
  documents_ = std::move(live);
  for (auto& [id, slot] : id_to_slot_) slot = new_slot[slot];
  dead_posting_count_ = 0;
}

template <typename Visitor>
void TextIndex::ForEachPosting(std::uint64_t key, Visitor&& visit) const {
  auto begin = std::lower_bound(sorted_postings_.begin(), sorted_postings_.end(), key << kSlotBits);
  for (auto it = begin; it != sorted_postings_.end() && (*it >> kSlotBits) == key; ++it)
    visit(PostingSlot(*it));
  auto pending = pending_postings_.find(key);
  if (pending != pending_postings_.end()) {
    for (std::uint32_t slot : pending->second) visit(slot);
  }
}

std::size_t TextIndex::CountPostings(std::uint64_t key) const {
  auto range =
      std::equal_range(sorted_postings_.begin(), sorted_postings_.end(), key << kSlotBits,
                       [](std::uint64_t a, std::uint64_t b) { return (a >> kSlotBits) < (b >> kSlotBits); });
  std::size_t count = static_cast<std::size_t>(range.second - range.first);
  auto pending = pending_postings_.find(key);
  if (pending != pending_postings_.end()) count += pending->second.size();
  return count;
}

std::vector<TextMatch> TextIndex::Candidates(const TextFingerprint& query,
                                             const MatchOptions& options) const {
  std::unordered_map<std::uint32_t, std::uint32_t> votes;
  std::unordered_set<std::uint64_t> stop_keys;
  const std::size_t stop_frequency = StopDocumentFrequency();
  for (std::uint64_t key : DistinctHashes(query)) {
    if (CountPostings(key) > stop_frequency) {
      stop_keys.insert(key);
      continue;
    }
    ForEachPosting(key, [&](std::uint32_t slot) {
      if (!documents_[slot].id.empty()) ++votes[slot];
    });
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;  // (votes, slot)
  for (const auto& [slot, count] : votes) {
    if (count >= options.min_votes) candidates.emplace_back(count, slot);
  }
  const std::size_t keep = std::min(candidates.size(), options.max_candidates);
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                    candidates.end(), [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  candidates.resize(keep);

  std::vector<TextMatch> matches;
  if (candidates.empty()) return matches;
  const QueryPositions query_positions(query,
                                       [&](std::uint64_t hash) { return stop_keys.contains(HashKey(hash)); });
  for (const auto& [count, slot] : candidates) {
    const Document& document = documents_[slot];
    matches.push_back(
        {document.id, count, AlignPassages(query, query_positions, document.fingerprint, options.alignment)});
  }
  return matches;
}

bool TextIndex::Accept(const TextMatch& candidate, const MatchOptions& options) {
  std::uint32_t longest = 0;
  std::uint32_t longest_verbatim = 0;  // passages whose steps agree exactly in both texts
  for (const Passage& passage : candidate.alignment.passages) {
    longest = std::max(longest, passage.shared_fingerprints);
    if (passage.max_skew_tokens == 0)
      longest_verbatim = std::max(longest_verbatim, passage.shared_fingerprints);
  }
  const double coverage =
      std::max(candidate.alignment.query_coverage, candidate.alignment.registered_coverage);
  return longest >= options.min_longest_passage_fingerprints ||
         (candidate.alignment.shared_fingerprints >= options.min_shared_fingerprints &&
          coverage >= options.min_coverage_for_shared) ||
         (longest_verbatim >= options.min_short_copy_fingerprints &&
          candidate.alignment.query_coverage >= options.min_query_coverage_for_short_copy);
}

std::vector<TextMatch> TextIndex::Match(const TextFingerprint& query, const MatchOptions& options) const {
  std::vector<TextMatch> matches = Candidates(query, options);
  std::erase_if(matches, [&](const TextMatch& match) { return !Accept(match, options); });
  std::sort(matches.begin(), matches.end(), [](const TextMatch& a, const TextMatch& b) {
    if (a.alignment.shared_fingerprints != b.alignment.shared_fingerprints) {
      return a.alignment.shared_fingerprints > b.alignment.shared_fingerprints;
    }
    return a.document_id < b.document_id;
  });
  return matches;
}

std::size_t TextIndex::MemoryUsageBytes() const {
  std::size_t total = sorted_postings_.capacity() * sizeof(std::uint64_t);
  total += directory_.capacity() * sizeof(std::uint64_t);
  total += documents_.capacity() * sizeof(Document);
  for (const Document& document : documents_) {
    total += document.fingerprint.entries.capacity() * sizeof(TextFingerprintEntry);
    if (document.id.size() > 15) total += document.id.capacity() + 1;
  }
  // Hash map nodes: key, value and about two pointers of overhead each, plus the bucket array.
  total += id_to_slot_.size() * (sizeof(std::string) + sizeof(std::uint32_t) + 2 * sizeof(void*));
  total += id_to_slot_.bucket_count() * sizeof(void*);
  for (const auto& [key, slots] : pending_postings_) total += slots.capacity() * sizeof(std::uint32_t) + 48;
  total += pending_postings_.bucket_count() * sizeof(void*);
  return total;
}

Bytes TextIndex::Serialize() const {
  // Serialise a compacted view without changing this object: live documents renumbered in order.
  std::vector<std::uint32_t> new_slot(documents_.size(), UINT32_MAX);
  std::uint64_t live_count = 0;
  std::uint64_t entry_count = 0;
  for (std::uint32_t slot = 0; slot < documents_.size(); ++slot) {
    if (documents_[slot].id.empty()) continue;
    new_slot[slot] = static_cast<std::uint32_t>(live_count++);
    entry_count += documents_[slot].fingerprint.entries.size();
  }
  std::vector<std::uint64_t> postings;
  postings.reserve(sorted_postings_.size() + pending_posting_count_);
  for (std::uint64_t posting : sorted_postings_) {
    const std::uint32_t slot = new_slot[PostingSlot(posting)];
    if (slot != UINT32_MAX) postings.push_back((posting & ~kSlotMask) | slot);
  }
  const std::size_t sorted_part = postings.size();
  for (const auto& [key, slots] : pending_postings_) {
    for (std::uint32_t slot : slots) {
      if (new_slot[slot] != UINT32_MAX) postings.push_back((key << kSlotBits) | new_slot[slot]);
    }
  }
  std::sort(postings.begin() + static_cast<std::ptrdiff_t>(sorted_part), postings.end());
  std::inplace_merge(postings.begin(), postings.begin() + static_cast<std::ptrdiff_t>(sorted_part),
                     postings.end());

  detail::ByteWriter writer;
  writer.Reserve(64 + live_count * 64 + entry_count * kEncodedEntrySizeBytes + postings.size() * 8);
  writer.Raw(kIndexMagic);
  writer.U32(kIndexFormatVersion);
  writer.U32(kTextAlgorithmVersion);
  writer.U64(live_count);
  writer.U64(postings.size());
  for (const Document& document : documents_) {
    if (document.id.empty()) continue;
    const TextFingerprint& fingerprint = document.fingerprint;
    writer.U32(static_cast<std::uint32_t>(document.id.size()));
    writer.Raw(document.id);
    writer.U32(fingerprint.token_count);
    writer.U32(fingerprint.source_size_bytes);
    writer.U64(fingerprint.simhash);
    writer.U32(static_cast<std::uint32_t>(fingerprint.entries.size()));
    EncodeEntries(fingerprint.entries, writer.Extend(fingerprint.entries.size() * kEncodedEntrySizeBytes));
  }
  std::uint8_t* posting_bytes = writer.Extend(postings.size() * 8);
  for (std::size_t index = 0; index < postings.size(); ++index)
    detail::Store64(posting_bytes + 8 * index, postings[index]);
  writer.U32(detail::Crc32(writer.bytes()));
  return std::move(writer.bytes());
}

Result<TextIndex> TextIndex::Deserialize(ByteView bytes, bool verify_checksum) {
  RC_ASSIGN_OR_RETURN(detail::ByteReader reader,
                      detail::OpenIndexFile(bytes, "text index", kIndexMagic, kIndexFormatVersion,
                                            kTextAlgorithmVersion, verify_checksum));
  RC_ASSIGN_OR_RETURN(std::uint64_t document_count, reader.U64("document count"));
  RC_ASSIGN_OR_RETURN(std::uint64_t posting_count, reader.U64("posting count"));
  // Each document takes at least 24 bytes and each posting 8: reject counts the file cannot hold.
  if (document_count > kMaxIndexedDocuments || document_count > reader.remaining() / 24) {
    return Status::Corruption("implausible document count " + std::to_string(document_count));
  }
  if (posting_count > kMaxLoadedPostings || posting_count > reader.remaining() / 8) {
    return Status::Corruption("implausible posting count " + std::to_string(posting_count));
  }
  TextIndex index;
  index.documents_.reserve(document_count);
  index.id_to_slot_.reserve(document_count);
  std::uint64_t expected_postings = 0;
  for (std::uint64_t slot = 0; slot < document_count; ++slot) {
    RC_ASSIGN_OR_RETURN(std::uint32_t id_size, reader.U32("document id length"));
    if (id_size == 0 || id_size > kMaxDocumentIdSizeBytes) {
      return Status::Corruption("document " + std::to_string(slot) + " has a bad id length");
    }
    RC_ASSIGN_OR_RETURN(std::string_view id, reader.Raw(id_size, "document id"));
    TextFingerprint fingerprint;
    RC_ASSIGN_OR_RETURN(fingerprint.token_count, reader.U32("token count"));
    RC_ASSIGN_OR_RETURN(fingerprint.source_size_bytes, reader.U32("source size"));
    RC_ASSIGN_OR_RETURN(fingerprint.simhash, reader.U64("simhash"));
    RC_ASSIGN_OR_RETURN(std::uint32_t entry_count, reader.U32("entry count"));
    if (entry_count > fingerprint.token_count) {
      return Status::Corruption("document " + std::to_string(slot) + " has more entries than tokens");
    }
    RC_ASSIGN_OR_RETURN(
        const std::uint8_t* entry_bytes,
        reader.Take(std::size_t{entry_count} * kEncodedEntrySizeBytes, "fingerprint entries"));
    const Status entries_status = DecodeEntries(entry_bytes, entry_count, fingerprint, fingerprint.entries);
    if (!entries_status.ok()) return entries_status.WithContext("document " + std::to_string(slot));
    expected_postings += DistinctHashes(fingerprint).size();
    if (!index.id_to_slot_.emplace(std::string(id), static_cast<std::uint32_t>(slot)).second) {
      return Status::Corruption("document id '" + std::string(id) + "' appears twice");
    }
    index.documents_.push_back({std::string(id), std::move(fingerprint)});
  }
  if (expected_postings != posting_count) {
    return Status::Corruption("posting count " + std::to_string(posting_count) +
                              " does not match the documents' " + std::to_string(expected_postings));
  }
  RC_ASSIGN_OR_RETURN(const std::uint8_t* posting_bytes, reader.Take(posting_count * 8, "postings"));
  index.sorted_postings_.resize(posting_count);
  for (std::uint64_t position = 0; position < posting_count; ++position) {
    const std::uint64_t posting = detail::Load64(posting_bytes + 8 * position);
    if (PostingSlot(posting) >= document_count ||
        (position > 0 && posting <= index.sorted_postings_[position - 1])) {
      return Status::Corruption("posting " + std::to_string(position) + " is out of order or range");
    }
    index.sorted_postings_[position] = posting;
  }
  if (reader.remaining() != 0) return Status::Corruption("trailing bytes in text index");
  index.RebuildDirectory();
  return index;
}

Status TextIndex::Save(const std::filesystem::path& directory) const {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Status::IoError("creating " + directory.string() + ": " + error.message());
  const Bytes bytes = Serialize();
  const std::filesystem::path final_path = directory / kTextIndexFileName;
  const std::filesystem::path temporary_path = directory / (std::string(kTextIndexFileName) + ".tmp");
  const int descriptor = ::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (descriptor < 0)
    return Status::IoError("opening " + temporary_path.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t result = ::write(descriptor, bytes.data() + written, bytes.size() - written);
    if (result < 0) {
      if (errno == EINTR) continue;
      const std::string message = std::strerror(errno);
      ::close(descriptor);
      return Status::IoError("writing " + temporary_path.string() + ": " + message);
    }
    written += static_cast<std::size_t>(result);
  }
  if (::fsync(descriptor) != 0 || ::close(descriptor) != 0) {
    return Status::IoError("syncing " + temporary_path.string() + ": " + std::strerror(errno));
  }
  std::filesystem::rename(temporary_path, final_path, error);
  if (error) return Status::IoError("renaming into " + final_path.string() + ": " + error.message());
  const int directory_descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_descriptor >= 0) {
    ::fsync(directory_descriptor);
    ::close(directory_descriptor);
  }
  return Status::Ok();
}

Result<TextIndex> TextIndex::Load(const std::filesystem::path& directory) {
  const std::filesystem::path path = directory / kTextIndexFileName;
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return Status::NotFound("no text index at " + path.string() + ": " + error.message());
  if (size > kMaxIndexFileSizeBytes)
    return Status::LimitExceeded("text index file too large: " + path.string());
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return Status::IoError("cannot open " + path.string());
  Bytes bytes(static_cast<std::size_t>(size));
  stream.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (stream.gcount() != static_cast<std::streamsize>(size))
    return Status::IoError("short read of " + path.string());
  Result<TextIndex> index = Deserialize(bytes);
  if (!index.ok()) return index.status().WithContext("loading " + path.string());
  return index;
}

}  // namespace rightchain::fingerprint
