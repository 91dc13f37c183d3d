// The worked example of docs/proofs.md ("Worked example: checking a bundle by hand"), run exactly
// as written: its ```sh blocks, in order, in one bash with `set -euo pipefail`, in a scratch copy
// of src/proofs/testdata. Each block must print the ```text block that follows it in the doc (or
// nothing when none follows), so the doc cannot drift from what the commands do. The same commands
// must fail on a bundle with one altered byte of a checkpoint signature.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"
#include "proofs/bundle.h"
#include "proofs/signed_note.h"

namespace rightchain::proofs {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSectionTitle = "## Worked example: checking a bundle by hand";
constexpr std::size_t kMaxDocSize = 1 << 20;
constexpr std::size_t kMaxOutputSize = 1 << 20;
const std::vector<std::string> kInputs = {"work.bundle.std.json", "trust.std.json", "poem.txt"};

struct Block {
  std::string commands;
  std::string expected_output;  // the ```text block after it, or empty
};

// The ```sh blocks of the worked example section, each with the ```text block that follows it.
std::vector<Block> WorkedExampleBlocks(const std::string& doc) {
  const std::size_t start = doc.find(kSectionTitle);
  if (start == std::string::npos) return {};
  const std::size_t end = doc.find("\n## ", start + kSectionTitle.size());
  std::istringstream section(doc.substr(start, end == std::string::npos ? std::string::npos : end - start));
  std::vector<Block> blocks;
  std::string line;
  std::string* into = nullptr;  // the block being read
  bool output_may_follow = false;
  while (std::getline(section, line)) {
    if (into != nullptr) {
      if (line == "```") {
        into = nullptr;
      } else {
        *into += line + "\n";
      }
    } else if (line == "```sh") {
      blocks.push_back({});
      into = &blocks.back().commands;
      output_may_follow = true;
    } else if (line == "```text" && output_may_follow) {
      into = &blocks.back().expected_output;
      output_may_follow = false;
    } else if (!line.empty()) {
      output_may_follow = false;  // prose between: the next ```text is not this block's output
    }
  }
  return blocks;
}

std::string ReadOrEmpty(const fs::path& path) {
  const Result<std::string> text = ReadFile(path, kMaxOutputSize);
  return text.ok() ? *text : std::string();
}

std::string Marker(std::size_t block) {
  return "@@ worked example block " + std::to_string(block) + "\n";
}

class WorkedExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Result<std::string> doc = ReadFile(fs::path(RIGHTCHAIN_SOURCE_DIR) / "docs/proofs.md", kMaxDocSize);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    blocks_ = WorkedExampleBlocks(*doc);
    ASSERT_GE(blocks_.size(), 5u) << "the worked example section lost its sh blocks";
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-worked-example-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    for (const std::string& name : kInputs)
      fs::copy_file(fs::path(RIGHTCHAIN_SOURCE_DIR) / "src/proofs/testdata" / name, directory_ / name);
    std::string script;
    for (std::size_t i = 0; i < blocks_.size(); ++i)
      script += "printf '" + Marker(i) + "'\n" + blocks_[i].commands;
    ASSERT_TRUE(WriteFile(directory_ / "worked-example.sh", script, 0644).ok());
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Runs the script in the scratch folder; its exit code. Fills `outputs_` with each block's
  // standard output, and `errors_` with the standard error.
  int Run() {
    const std::string command =
        "cd '" + directory_.string() + "' && bash -euo pipefail worked-example.sh >stdout.txt 2>stderr.txt";
    const int status = std::system(command.c_str());
    const std::string out = ReadOrEmpty(directory_ / "stdout.txt");
    errors_ = ReadOrEmpty(directory_ / "stderr.txt");
    outputs_.assign(blocks_.size(), std::nullopt);
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      const std::size_t at = out.find(Marker(i));
      if (at == std::string::npos) break;
      const std::size_t begin = at + Marker(i).size();
      const std::size_t next = i + 1 < blocks_.size() ? out.find(Marker(i + 1), begin) : std::string::npos;
      outputs_[i] = out.substr(begin, next == std::string::npos ? std::string::npos : next - begin);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path directory_;
  std::vector<Block> blocks_;
  std::vector<std::optional<std::string>> outputs_;
  std::string errors_;
};

TEST_F(WorkedExampleTest, TheDocsCommandsCheckTheGoldenBundleAndPrintWhatTheDocShows) {
  ASSERT_EQ(Run(), 0) << errors_;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    ASSERT_TRUE(outputs_[i].has_value()) << "block " << i << " did not run";
    EXPECT_EQ(*outputs_[i], blocks_[i].expected_output) << "block " << i << ":\n" << blocks_[i].commands;
  }
  // The last block's last line is the quorum verdict.
  EXPECT_NE(blocks_.back().expected_output.find("more than 2/3 of the voting power signed: OK"),
            std::string::npos);
}

TEST_F(WorkedExampleTest, OneAlteredByteOfACheckpointSignatureFailsTheSignatureStep) {
  const fs::path bundle_path = directory_ / "work.bundle.std.json";
  Bundle bundle = ParseBundleJson(ReadFile(bundle_path, kMaxBundleSize).value()).value();
  SignedNote note = ParseSignedNote(bundle.checkpoint).value();
  note.signatures.at(1).signature.at(10) ^= 1;
  bundle.checkpoint = FormatSignedNote(note);
  ASSERT_TRUE(WriteFile(bundle_path, EncodeBundleJson(bundle), 0644).ok());

  EXPECT_NE(Run(), 0) << "the altered signature was accepted";
  // Everything before the signatures still checks out; the signature block stops at the
  // altered signature (node-1), after node-0's verified.
  for (std::size_t i = 0; i + 1 < blocks_.size(); ++i) {
    ASSERT_TRUE(outputs_[i].has_value()) << "block " << i << " did not run";
    EXPECT_EQ(*outputs_[i], blocks_[i].expected_output) << "block " << i;
  }
  ASSERT_TRUE(outputs_.back().has_value());
  EXPECT_NE(outputs_.back()->find("proofs-test/node-1 key id: OK"), std::string::npos) << *outputs_.back();
  EXPECT_EQ(outputs_.back()->find("proofs-test/node-2"), std::string::npos) << *outputs_.back();
  EXPECT_EQ(outputs_.back()->find("voting power signed"), std::string::npos) << *outputs_.back();
  EXPECT_NE((*outputs_.back() + errors_).find("Signature Verification Failure"), std::string::npos)
      << *outputs_.back() << errors_;
}

}  // namespace
}  // namespace rightchain::proofs
