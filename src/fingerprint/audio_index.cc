#include "fingerprint/audio_index.h"

#include "fingerprint/index_file.h"

#include <algorithm>
#include <bit>

#include "base/assert.h"
#include "base/file.h"
#include "fingerprint/binary_io.h"

namespace rightchain::fingerprint {
namespace {

constexpr std::string_view kMagic = "RCAI";
constexpr std::uint32_t kFormatVersion = 1;
// The Chromaprint algorithm the items come from (CHROMAPRINT_ALGORITHM_DEFAULT, "TEST2").
constexpr std::uint32_t kChromaprintAlgorithm = 1;
constexpr std::size_t kMaxIndexFileSizeBytes = std::size_t{16} << 30;
// Stop list: buckets holding more than kStopListMeanMultiple times the mean bucket's postings
// (and more than kMinStopListPostings, so small indexes skip nothing) are skipped by queries.
// They come from sub-fingerprints so common (silence, steady tones, speech pauses) that they say
// little about which track a query copies, and they cost the most to read.
constexpr std::size_t kStopListMeanMultiple = 16;
constexpr std::size_t kMinStopListPostings = 4096;
// Only every kSampleStride-th query item votes at first; the others vote only when no candidate
// of that sample verifies with at least kDecisiveVotes votes.
constexpr std::size_t kSampleStride = 4;
constexpr std::uint32_t kDecisiveVotes = 8;
// (track, offset) pairs checked by bit-error rate per query, best-voted first.
constexpr std::size_t kMaxCandidates = 24;
constexpr std::uint32_t kMinVotes = 2;
// Offsets on each side of a voted one that are also aligned (a hop of framing difference).
constexpr std::int64_t kOffsetSlackItems = 1;

Status CheckTrack(std::string_view track_id, std::size_t item_count) {
  if (track_id.empty()) return Status::InvalidArgument("track id is empty");
  if (track_id.size() > kMaxTrackIdSizeBytes) {
    return Status::InvalidArgument("track id is longer than " + std::to_string(kMaxTrackIdSizeBytes) +
                                   " bytes");
  }
  if (item_count < kMinAudioItems || item_count > kMaxTrackItems) {
    return Status::InvalidArgument("a track needs " + std::to_string(kMinAudioItems) + " to " +
                                   std::to_string(kMaxTrackItems) + " fingerprint items, not " +
                                   std::to_string(item_count));
  }
  return Status::Ok();
}

struct Alignment {
  double bit_error_rate = 1;
  std::size_t aligned_items = 0;
  std::size_t informative_items = 0;  // aligned query items that differ from the previous one
};

// Query item i against track item i + offset, over the items both have.
Alignment Align(std::span<const std::uint32_t> query, std::span<const std::uint32_t> track,
                std::int64_t offset) {
  const std::int64_t first = std::max<std::int64_t>(0, -offset);
  const std::int64_t last = std::min<std::int64_t>(static_cast<std::int64_t>(query.size()),
                                                   static_cast<std::int64_t>(track.size()) - offset);
  Alignment alignment;
  if (last <= first) return alignment;
  std::uint64_t differing_bits = 0;
  for (std::int64_t i = first; i < last; ++i) {
    const auto q = static_cast<std::size_t>(i);
    differing_bits += std::popcount(query[q] ^ track[static_cast<std::size_t>(i + offset)]);
    if (i == first || query[q] != query[q - 1]) ++alignment.informative_items;
  }
  alignment.aligned_items = static_cast<std::size_t>(last - first);
  alignment.bit_error_rate =
      static_cast<double>(differing_bits) / (32.0 * static_cast<double>(alignment.aligned_items));
  return alignment;
}

}  // namespace

AudioIndex::AudioIndex() : buckets_(kBucketCount) {}

void AudioIndex::Post(std::uint32_t slot) {
  const std::vector<std::uint32_t>& items = tracks_[slot].items;
  for (std::size_t position = 0; position < items.size(); ++position) {
    const Posting posting{slot, static_cast<std::uint32_t>(position)};
    buckets_[UpperKey(items[position])].push_back(posting);
    buckets_[LowerKey(items[position])].push_back(posting);
  }
  posting_count_ += 2 * items.size();
}

void AudioIndex::AddTrack(std::string_view track_id, std::vector<std::uint32_t> items) {
  const auto slot = static_cast<std::uint32_t>(tracks_.size());
  tracks_.push_back(Track{std::string(track_id), std::move(items)});
  id_to_slot_.emplace(std::string(track_id), slot);
  Post(slot);
}

Status AudioIndex::Add(std::string_view track_id, std::span<const std::uint32_t> items) {
  RC_RETURN_IF_ERROR(CheckTrack(track_id, items.size()));
  if (Contains(track_id)) return Status::AlreadyExists("track id already indexed: " + std::string(track_id));
  if (size() >= kMaxIndexedTracks) return Status::LimitExceeded("audio index is full");
  if (tracks_.size() >= UINT32_MAX) Compact();
  AddTrack(track_id, std::vector<std::uint32_t>(items.begin(), items.end()));
  return Status::Ok();
}

Status AudioIndex::Remove(std::string_view track_id) {
  const auto found = id_to_slot_.find(std::string(track_id));
  if (found == id_to_slot_.end()) return Status::NotFound("no track with id " + std::string(track_id));
  Track& track = tracks_[found->second];
  dead_posting_count_ += 2 * track.items.size();
  track.id.clear();
  track.items = {};
  id_to_slot_.erase(found);
  if (dead_posting_count_ * 4 > posting_count_) Compact();
  return Status::Ok();
}

void AudioIndex::Compact() {
  std::vector<Track> live;
  live.reserve(size());
  for (Track& track : tracks_) {
    if (!track.id.empty()) live.push_back(std::move(track));
  }
  tracks_.clear();
  id_to_slot_.clear();
  buckets_.assign(kBucketCount, {});
  posting_count_ = 0;
  dead_posting_count_ = 0;
  for (Track& track : live) AddTrack(track.id, std::move(track.items));
}

std::size_t AudioIndex::StopListPostings() const {
  const std::size_t mean = posting_count_ / kBucketCount;
  return std::max(kMinStopListPostings, kStopListMeanMultiple * mean);
}

void AudioIndex::Vote(std::span<const std::uint32_t> query, std::size_t first, std::size_t stride,
                      AudioVoteTable& votes) const {
  const std::size_t stop_list_postings = StopListPostings();
  const auto bias = static_cast<std::int64_t>(query.size());
  for (std::size_t i = first; i < query.size(); i += stride) {
    if (i > 0 && query[i] == query[i - 1]) continue;  // a steady signal votes once
    for (const std::uint32_t key : {UpperKey(query[i]), LowerKey(query[i])}) {
      const std::vector<Posting>& bucket = buckets_[key];
      if (bucket.size() > stop_list_postings) continue;
      for (const Posting& posting : bucket) {
        // Offset + bias is in [1, 2 * kMaxTrackItems): it fits kOffsetBits.
        const auto biased_offset = static_cast<std::uint64_t>(static_cast<std::int64_t>(posting.position) -
                                                              static_cast<std::int64_t>(i) + bias);
        votes.Increment((std::uint64_t{posting.slot} << AudioVoteTable::kOffsetBits) | biased_offset);
      }
    }
  }
}

std::size_t AudioIndex::CountPostings(std::span<const std::uint32_t> query, std::size_t first,
                                      std::size_t stride) const {
  const std::size_t stop_list_postings = StopListPostings();
  std::size_t count = 0;
  for (std::size_t i = first; i < query.size(); i += stride) {
    if (i > 0 && query[i] == query[i - 1]) continue;
    for (const std::uint32_t key : {UpperKey(query[i]), LowerKey(query[i])}) {
      const std::size_t size = buckets_[key].size();
      if (size <= stop_list_postings) count += size;
    }
  }
  return count;
}

std::vector<AudioMatch> AudioIndex::Verify(std::span<const std::uint32_t> query, const AudioVoteTable& votes,
                                           double max_bit_error_rate) const {
  // The best-voted live (track, offset) pairs with at least kMinVotes votes: (votes, key).
  std::vector<std::pair<std::uint32_t, std::uint64_t>> candidates;
  votes.ForEach([&](std::uint64_t key, std::uint32_t count) {
    if (count >= kMinVotes && !tracks_[key >> AudioVoteTable::kOffsetBits].id.empty())
      candidates.emplace_back(count, key);
  });
  const std::size_t kept = std::min(candidates.size(), kMaxCandidates);
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(kept),
                    candidates.end(), [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  candidates.resize(kept);

  const auto bias = static_cast<std::int64_t>(query.size());
  const std::size_t min_aligned = std::max(kMinAlignedItems, query.size() / 2);
  std::vector<AudioMatch> matches;
  std::vector<std::uint32_t> matched_slots;  // parallel to `matches`
  for (const auto& [count, key] : candidates) {
    const auto slot = static_cast<std::uint32_t>(key >> AudioVoteTable::kOffsetBits);
    const std::int64_t voted =
        static_cast<std::int64_t>(key & ((std::uint64_t{1} << AudioVoteTable::kOffsetBits) - 1)) - bias;
    const Track& track = tracks_[slot];
    for (std::int64_t offset = voted - kOffsetSlackItems; offset <= voted + kOffsetSlackItems; ++offset) {
      const Alignment alignment = Align(query, track.items, offset);
      if (alignment.aligned_items < min_aligned || alignment.informative_items < kMinAlignedItems / 2 ||
          alignment.bit_error_rate > max_bit_error_rate) {
        continue;
      }
      auto position = static_cast<std::size_t>(std::find(matched_slots.begin(), matched_slots.end(), slot) -
                                               matched_slots.begin());
      if (position == matched_slots.size()) {
        matched_slots.push_back(slot);
        matches.emplace_back();
      }
      AudioMatch& best = matches[position];
      if (best.track_id.empty() || alignment.bit_error_rate < best.bit_error_rate) {
        best = AudioMatch{track.id,
                          offset,
                          static_cast<double>(offset) * kAudioItemSeconds,
                          alignment.bit_error_rate,
                          1.0 - alignment.bit_error_rate,
                          alignment.aligned_items,
                          count};
      }
    }
  }
  std::sort(matches.begin(), matches.end(), [](const AudioMatch& a, const AudioMatch& b) {
    return a.bit_error_rate != b.bit_error_rate ? a.bit_error_rate < b.bit_error_rate
                                                : a.track_id < b.track_id;
  });
  return matches;
}

std::vector<AudioMatch> AudioIndex::Match(std::span<const std::uint32_t> query,
                                          double max_bit_error_rate) const {
  if (query.size() < kMinAudioItems || query.size() > kMaxTrackItems) return {};
  // First stage: every kSampleStride-th query item votes. A copy's offset collects votes from
  // most of them while chance hits scatter, so when a candidate from the sample already holds
  // kDecisiveVotes and verifies, the remaining items would only add votes to the same offsets.
  AudioVoteTable votes(CountPostings(query, 0, 1));
  Vote(query, 0, kSampleStride, votes);
  std::vector<AudioMatch> matches = Verify(query, votes, max_bit_error_rate);
  if (std::any_of(matches.begin(), matches.end(),
                  [](const AudioMatch& match) { return match.votes >= kDecisiveVotes; })) {
    return matches;
  }
  // Otherwise the other items vote too and the candidates are drawn again from every vote.
  for (std::size_t first = 1; first < kSampleStride; ++first) Vote(query, first, kSampleStride, votes);
  return Verify(query, votes, max_bit_error_rate);
}

std::size_t AudioIndex::MemoryUsageBytes() const {
  std::size_t bytes = tracks_.capacity() * sizeof(Track) + buckets_.capacity() * sizeof(std::vector<Posting>);
  for (const Track& track : tracks_) bytes += track.id.capacity() + track.items.capacity() * 4;
  for (const std::vector<Posting>& bucket : buckets_) bytes += bucket.capacity() * sizeof(Posting);
  bytes += id_to_slot_.size() * (sizeof(std::string) + 4 + 2 * sizeof(void*)) +
           id_to_slot_.bucket_count() * sizeof(void*);
  return bytes;
}

Bytes AudioIndex::Serialize() const {
  detail::ByteWriter writer;
  writer.Raw(kMagic);
  writer.U32(kFormatVersion);
  writer.U32(kChromaprintAlgorithm);
  writer.U64(size());
  for (const Track& track : tracks_) {
    if (track.id.empty()) continue;
    writer.U32(static_cast<std::uint32_t>(track.id.size()));
    writer.Raw(track.id);
    writer.U32(static_cast<std::uint32_t>(track.items.size()));
    std::uint8_t* items = writer.Extend(4 * track.items.size());
    for (std::size_t index = 0; index < track.items.size(); ++index)
      detail::Store32(items + 4 * index, track.items[index]);
  }
  writer.U32(detail::Crc32(writer.bytes()));
  return std::move(writer.bytes());
}

Result<AudioIndex> AudioIndex::Deserialize(ByteView bytes, bool verify_checksum) {
  RC_ASSIGN_OR_RETURN(detail::ByteReader reader,
                      detail::OpenIndexFile(bytes, "audio index", kMagic, kFormatVersion,
                                            kChromaprintAlgorithm, verify_checksum));
  RC_ASSIGN_OR_RETURN(std::uint64_t track_count, reader.U64("track count"));
  // Every track takes at least 9 + 4 * kMinAudioItems bytes: bound the count by what remains.
  if (track_count > kMaxIndexedTracks || track_count > reader.remaining() / (9 + 4 * kMinAudioItems)) {
    return Status::Corruption("audio index track count does not fit the file");
  }
  AudioIndex index;
  index.tracks_.reserve(track_count);
  for (std::uint64_t track = 0; track < track_count; ++track) {
    RC_ASSIGN_OR_RETURN(std::uint32_t id_size, reader.U32("track id length"));
    if (id_size == 0 || id_size > kMaxTrackIdSizeBytes) return Status::Corruption("bad track id length");
    RC_ASSIGN_OR_RETURN(std::string_view id, reader.Raw(id_size, "track id"));
    RC_ASSIGN_OR_RETURN(std::uint32_t item_count, reader.U32("item count"));
    if (item_count < kMinAudioItems || item_count > kMaxTrackItems)
      return Status::Corruption("bad item count");
    RC_ASSIGN_OR_RETURN(const std::uint8_t* encoded, reader.Take(4 * std::size_t{item_count}, "track items"));
    if (index.Contains(id)) return Status::Corruption("duplicate track id in index: " + std::string(id));
    std::vector<std::uint32_t> items(item_count);
    for (std::size_t item = 0; item < item_count; ++item) items[item] = detail::Load32(encoded + 4 * item);
    index.AddTrack(id, std::move(items));
  }
  if (reader.remaining() != 0) return Status::Corruption("trailing bytes after the audio index");
  return index;
}

Status AudioIndex::Save(const std::filesystem::path& directory) const {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Status::IoError("creating " + directory.string() + ": " + error.message());
  const Bytes bytes = Serialize();
  return WriteFile(directory / kAudioIndexFileName, AsText(bytes));
}

Result<AudioIndex> AudioIndex::Load(const std::filesystem::path& directory) {
  const std::filesystem::path path = directory / kAudioIndexFileName;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Status::NotFound("no audio index at " + path.string());
  RC_ASSIGN_OR_RETURN(std::string content, ReadFile(path, kMaxIndexFileSizeBytes));
  Result<AudioIndex> index = Deserialize(AsBytes(content));
  if (!index.ok()) return index.status().WithContext("loading " + path.string());
  return index;
}

}  // namespace rightchain::fingerprint
