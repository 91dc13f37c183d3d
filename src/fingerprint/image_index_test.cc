#include "fingerprint/image_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

namespace rightchain::fingerprint {
namespace {

ImageHash RandomHash(std::mt19937_64& random) {
  ImageHash hash;
  for (auto& word : hash.words) word = random();
  return hash;
}

// `hash` with `bits` distinct random bits flipped.
ImageHash Flip(ImageHash hash, int bits, std::mt19937_64& random) {
  std::vector<int> positions(256);
  std::iota(positions.begin(), positions.end(), 0);
  std::shuffle(positions.begin(), positions.end(), random);
  for (int index = 0; index < bits; ++index)
    hash.words[positions[index] / 64] ^= 1ull << (positions[index] % 64);
  return hash;
}

IndexedImageHash Indexed(const ImageHash& hash) {
  return IndexedImageHash{hash, 0, 80};
}
RegionHash Query(const ImageHash& hash) {
  return RegionHash{hash, 0, 0, 80};
}

// Every image within the distance, by brute force, in the index's order.
std::vector<std::pair<int, std::string>> BruteForce(const std::map<std::string, ImageHash>& images,
                                                    const ImageHash& query, int max_distance) {
  std::vector<std::pair<int, std::string>> found;
  for (const auto& [id, hash] : images) {
    const int distance = HammingDistance(hash, query);
    if (distance <= max_distance) found.emplace_back(distance, id);
  }
  std::sort(found.begin(), found.end());
  return found;
}

TEST(ImageIndexTest, FindsExactlyWhatBruteForceFindsBeforeAndAfterTablesAreBuilt) {
  std::mt19937_64 random(7);
  ImageIndex index;
  std::map<std::string, ImageHash> images;
  std::vector<ImageHash> bases;
  for (int base = 0; base < 50; ++base) bases.push_back(RandomHash(random));
  // 20,000 images (tables are built several times along the way), most near one of 50 bases,
  // so that each query has neighbours at every distance around the threshold.
  for (int image = 0; image < 20000; ++image) {
    const ImageHash hash = image % 4 == 0
                               ? RandomHash(random)
                               : Flip(bases[image % bases.size()], static_cast<int>(random() % 48), random);
    const std::string id = "image-" + std::to_string(image);
    ASSERT_TRUE(index.Add(id, std::vector{Indexed(hash)}).ok());
    images.emplace(id, hash);
  }
  for (const ImageHash& base : bases) {
    for (int max_distance : {0, 15, 31, 47}) {
      const std::vector<RegionHash> query = {Query(base)};
      const std::vector<ImageMatch> matches = index.Search(query, max_distance);
      std::vector<std::pair<int, std::string>> got;
      for (const ImageMatch& match : matches) got.emplace_back(match.distance, match.image_id);
      EXPECT_EQ(got, BruteForce(images, base, max_distance)) << "radius " << max_distance;
    }
  }
}

TEST(ImageIndexTest, OneMatchPerImageWithItsBestHashAndOrientation) {
  std::mt19937_64 random(8);
  const ImageHash whole = RandomHash(random);
  const ImageHash centre = RandomHash(random);
  ImageIndex index;
  ASSERT_TRUE(
      index.Add("work", std::vector{IndexedImageHash{whole, 0, 90}, IndexedImageHash{centre, 1, 90}}).ok());
  ASSERT_TRUE(index.Add("other", std::vector{Indexed(RandomHash(random))}).ok());
  const std::vector<RegionHash> query = {RegionHash{Flip(whole, 20, random), 0, 0, 90},
                                         RegionHash{Flip(centre, 5, random), 1, 3, 90}};
  const std::vector<ImageMatch> matches = index.Search(query, kImageMatchDistance);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].image_id, "work");
  EXPECT_EQ(matches[0].distance, 5);
  EXPECT_EQ(matches[0].region, 1);
  EXPECT_EQ(matches[0].query_region, 1);
  EXPECT_EQ(matches[0].dihedral, 3);
}

TEST(ImageIndexTest, AddRemoveAndErrors) {
  std::mt19937_64 random(9);
  ImageIndex index;
  const ImageHash hash = RandomHash(random);
  ASSERT_TRUE(index.Add("a", std::vector{Indexed(hash)}).ok());
  EXPECT_EQ(index.Add("a", std::vector{Indexed(hash)}).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(index.Add("", std::vector{Indexed(hash)}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(index.Add("b", std::vector<IndexedImageHash>{}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(index.Add(std::string(kMaxImageIdSizeBytes + 1, 'x'), std::vector{Indexed(hash)}).code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(index.Add("b", std::vector{Indexed(Flip(hash, 3, random))}).ok());
  EXPECT_EQ(index.Search(std::vector{Query(hash)}, 31).size(), 2u);
  ASSERT_TRUE(index.Remove("a").ok());
  EXPECT_EQ(index.Remove("a").code(), ErrorCode::kNotFound);
  const std::vector<ImageMatch> matches = index.Search(std::vector{Query(hash)}, 31);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].image_id, "b");
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.entry_count(), 1u);
  index.Compact();
  EXPECT_EQ(index.Search(std::vector{Query(hash)}, 31).size(), 1u);
  ASSERT_TRUE(index.Add("a", std::vector{Indexed(hash)}).ok());  // an id can come back
  EXPECT_EQ(index.Search(std::vector{Query(hash)}, 31).size(), 2u);
}

TEST(ImageIndexTest, RefusesImagesWithoutDetail) {
  ImageFingerprint flat;
  flat.hashes.push_back(RegionHash{ImageHash{}, 0, 0, 12});
  ImageIndex index;
  const Status status = index.AddFingerprint("flat", flat);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("quality 12"));
  EXPECT_EQ(index.size(), 0u);
}

TEST(ImageIndexTest, SavesAndLoadsAndRefusesDamagedFiles) {
  std::mt19937_64 random(10);
  ImageIndex index;
  std::vector<ImageHash> hashes;
  for (int image = 0; image < 6000; ++image) {
    hashes.push_back(RandomHash(random));
    ASSERT_TRUE(index
                    .Add("image-" + std::to_string(image),
                         std::vector{Indexed(hashes.back()), IndexedImageHash{RandomHash(random), 2, 60}})
                    .ok());
  }
  ASSERT_TRUE(index.Remove("image-5").ok());
  const std::filesystem::path directory = std::filesystem::path(::testing::TempDir()) / "image_index_test";
  std::filesystem::remove_all(directory);
  ASSERT_TRUE(index.Save(directory).ok());
  Result<ImageIndex> loaded = ImageIndex::Load(directory);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->size(), 5999u);
  EXPECT_EQ(loaded->entry_count(), 2 * 5999u);
  EXPECT_FALSE(loaded->Contains("image-5"));
  const std::vector<ImageMatch> found = loaded->Search(std::vector{Query(Flip(hashes[77], 10, random))}, 31);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].image_id, "image-77");
  EXPECT_EQ(loaded->Serialize(), index.Serialize());

  const Bytes bytes = index.Serialize();
  Bytes flipped = bytes;
  flipped[bytes.size() / 2] ^= 1;
  EXPECT_THAT(ImageIndex::Deserialize(flipped).status().message(), ::testing::HasSubstr("checksum"));
  for (std::size_t cut :
       {std::size_t{0}, std::size_t{3}, std::size_t{30}, bytes.size() / 2, bytes.size() - 1}) {
    const Result<ImageIndex> truncated = ImageIndex::Deserialize(ByteView(bytes).first(cut), false);
    EXPECT_EQ(truncated.status().code(), ErrorCode::kCorruption) << cut;
  }
  EXPECT_EQ(ImageIndex::Load(directory / "missing").status().code(), ErrorCode::kNotFound);
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace rightchain::fingerprint
