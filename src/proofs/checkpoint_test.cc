#include "proofs/checkpoint.h"

#include <gtest/gtest.h>

namespace rightchain::proofs {
namespace {

Checkpoint Example() {
  Checkpoint checkpoint;
  checkpoint.origin = "rightchain-local";
  checkpoint.size = 1234;
  checkpoint.root = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes(std::string("root")));
  checkpoint.height = 77;
  checkpoint.block_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes(std::string("block")));
  return checkpoint;
}

TEST(CheckpointTest, BodyIsTheC2spCheckpointWithHeightAndBlockHashLines) {
  const Checkpoint checkpoint = Example();
  const std::string body = CheckpointBody(checkpoint);
  EXPECT_EQ(body, "rightchain-local\n1234\n" + Base64Encode(checkpoint.root) + "\nheight 77\nblock-hash " +
                      HexEncode(checkpoint.block_hash) + "\n");
  EXPECT_EQ(ParseCheckpointBody(body).value(), checkpoint);
}

TEST(CheckpointTest, ParsingIsStrict) {
  const std::string body = CheckpointBody(Example());
  const auto replace = [&](std::string_view from, std::string_view to) {
    std::string changed = body;
    changed.replace(changed.find(from), from.size(), to);
    return changed;
  };
  for (const std::string& bad : {
           replace("1234", "01234"),
           replace("1234", "+1234"),
           replace("1234", "12x4"),
           replace("rightchain-local", "Rightchain"),
           replace("height 77", "height  77"),
           replace("height 77", "h 77"),
           replace("block-hash ", "block "),
           body + "extra\n",
           body.substr(0, body.size() - 1),
           replace(HexEncode(Example().block_hash), "AB"),
       }) {
    EXPECT_FALSE(ParseCheckpointBody(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace rightchain::proofs
