// Independent verification: Go's golang.org/x/mod/sumdb/note and tlog (no code shared with
// Rightchain) check a std-suite checkpoint co-signed by four validators and an inclusion proof
// from the log, and refuse tampered ones, checkpoints of another origin, and signatures that hold
// no more than 2/3 of the voting power however many keys made them. The Go program is
// tools/checkpoint-verify.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/file.h"
#include "merkle/memory_log_storage.h"
#include "merkle/merkle_log.h"
#include "proofs/checkpoint.h"
#include "proofs/signed_note.h"

namespace rightchain::proofs {
namespace {

namespace fs = std::filesystem;

class GoInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-go-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    for (int i = 0; i < 4; ++i) {
      validators_.push_back(crypto::PrivateKey::Generate(crypto::SignatureScheme::kEd25519).value());
      names_.push_back("rightchain-local/node-" + std::to_string(i));
    }
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Runs the Go verifier with every validator and its voting power (10 each unless `powers_`
  // says otherwise); its exit code.
  int RunGo(const std::string& arguments) {
    std::string command = std::string(RIGHTCHAIN_CHECKPOINT_VERIFY) + " " + arguments;
    for (std::size_t i = 0; i < validators_.size(); ++i) {
      command += " -validator " + std::to_string(powers_.empty() ? 10 : powers_[i]) + "," +
                 NoteVerifierKey(names_[i], validators_[i].public_key());
    }
    command += " >" + (directory_ / "out.txt").string() + " 2>&1";
    const int status = std::system(command.c_str());
    const Result<std::string> output = ReadFile(directory_ / "out.txt", 1 << 16);
    output_ = output.ok() ? *output : "";
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string Path(const std::string& name) const { return (directory_ / name).string(); }

  fs::path directory_;
  std::vector<crypto::PrivateKey> validators_;
  std::vector<std::string> names_;
  std::vector<std::uint64_t> powers_;
  std::string output_;
};

// A checkpoint body of `origin` for a 1-leaf log, signed by the validators `signers`.
std::string SignedCheckpoint(const std::string& origin, const std::vector<crypto::PrivateKey>& keys,
                             const std::vector<std::string>& names, const std::vector<std::size_t>& signers) {
  Checkpoint checkpoint;
  checkpoint.origin = origin;
  checkpoint.size = 1;
  checkpoint.height = 7;
  SignedNote note{CheckpointBody(checkpoint), {}};
  for (const std::size_t i : signers)
    note.signatures.push_back(SignNote(note.text, names[i], keys[i]).value());
  return FormatSignedNote(note);
}

TEST_F(GoInteropTest, GoVerifiesOurCheckpointAndInclusionProofAndRefusesTamperedOnes) {
  merkle::MemoryLogStorage storage;
  merkle::MerkleLog log = merkle::MerkleLog::Open(crypto::HashAlgorithm::kSha256, storage).value();
  std::vector<Bytes> leaves;
  for (int i = 0; i < 1000; ++i) leaves.push_back(ToBytes("log leaf " + std::to_string(i)));
  std::vector<ByteView> views(leaves.begin(), leaves.end());
  ASSERT_TRUE(log.Commit(log.PrepareAppendData(views).value()).ok());

  Checkpoint checkpoint;
  checkpoint.origin = "rightchain-local";
  checkpoint.size = log.size();
  checkpoint.root = log.Root();
  checkpoint.height = 42;
  checkpoint.block_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, ToBytes(std::string("block 42")));
  SignedNote note{CheckpointBody(checkpoint), {}};
  for (std::size_t i = 0; i < 3; ++i)
    note.signatures.push_back(SignNote(note.text, names_[i], validators_[i]).value());
  ASSERT_TRUE(WriteFile(Path("checkpoint"), FormatSignedNote(note), 0644).ok());

  constexpr std::uint64_t kIndex = 617;
  std::string proof;
  for (const crypto::Digest& hash : log.InclusionProof(kIndex, log.size()).value())
    proof += Base64Encode(hash) + "\n";
  ASSERT_TRUE(WriteFile(Path("proof"), proof, 0644).ok());
  ASSERT_TRUE(WriteFile(Path("leaf"), std::string(leaves[kIndex].begin(), leaves[kIndex].end()), 0644).ok());
  ASSERT_TRUE(WriteFile(Path("other-leaf"), "log leaf 618", 0644).ok());

  const std::string inclusion = " -index 617 -proof " + Path("proof");
  const std::string note_of = " -origin rightchain-local -note ";
  EXPECT_EQ(RunGo(note_of + Path("checkpoint") + " -leaf " + Path("leaf") + inclusion), 0) << output_;
  EXPECT_NE(output_.find("3 signatures verified, 30 of 40 voting power"), std::string::npos) << output_;

  // Two of four signatures (20 of 40) are too few; another leaf; a changed root (every signature
  // breaks).
  note.signatures.pop_back();
  ASSERT_TRUE(WriteFile(Path("two"), FormatSignedNote(note), 0644).ok());
  EXPECT_EQ(RunGo(note_of + Path("two")), 1) << output_;
  EXPECT_EQ(RunGo(note_of + Path("checkpoint") + " -leaf " + Path("other-leaf") + inclusion), 1) << output_;
  std::string tampered = FormatSignedNote(note);
  tampered.replace(tampered.find("\n1000\n"), 6, "\n1001\n");
  ASSERT_TRUE(WriteFile(Path("tampered"), tampered, 0644).ok());
  EXPECT_EQ(RunGo(note_of + Path("tampered")), 1) << output_;
  EXPECT_NE(output_.find("note.Open"), std::string::npos) << output_;
}

// Voting power, not signatures: three of four keys that hold 3 of 103 voting power are no quorum
// (the tool once counted signatures, and three were enough), and a checkpoint of another chain is
// refused however many validators signed it (the tool once read no origin).
TEST_F(GoInteropTest, GoCountsVotingPowerNotSignaturesAndChecksTheOrigin) {
  powers_ = {1, 1, 1, 100};
  ASSERT_TRUE(
      WriteFile(Path("light"), SignedCheckpoint("rightchain-local", validators_, names_, {0, 1, 2}), 0644)
          .ok());
  EXPECT_EQ(RunGo("-origin rightchain-local -note " + Path("light")), 1) << output_;
  EXPECT_NE(output_.find("3 of 103 voting power"), std::string::npos) << output_;
  ASSERT_TRUE(
      WriteFile(Path("heavy"), SignedCheckpoint("rightchain-local", validators_, names_, {2, 3}), 0644).ok());
  EXPECT_EQ(RunGo("-origin rightchain-local -note " + Path("heavy")), 0) << output_;  // 101 of 103

  ASSERT_TRUE(
      WriteFile(Path("other"), SignedCheckpoint("other-chain", validators_, names_, {0, 1, 2, 3}), 0644)
          .ok());
  EXPECT_EQ(RunGo("-origin rightchain-local -note " + Path("other")), 1) << output_;
  EXPECT_NE(output_.find("origin"), std::string::npos) << output_;
  EXPECT_EQ(RunGo("-origin other-chain -note " + Path("other")), 0) << output_;
  EXPECT_EQ(RunGo("-note " + Path("other")), 1) << output_;  // no origin given: nothing is assumed
}

}  // namespace
}  // namespace rightchain::proofs
