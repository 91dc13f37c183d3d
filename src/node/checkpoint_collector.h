// CheckpointCollector: gathers the validators' signatures on each committed block's checkpoint
// (docs/proofs.md) until they hold more than 2/3 of the voting power, and then yields the
// co-signed checkpoint as a C2SP signed note. Pure and bounded: signatures arriving before this
// node has committed the height wait (unverified, one per member) in a small window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "crypto/public_key.h"

namespace rightchain::node {

class CheckpointCollector {
 public:
  struct Signer {
    std::string key_name;  // "<chain id>/<member name>"
    crypto::PublicKey key;
    std::uint64_t voting_power = 0;
  };
  // The validators of one height, by member index: who may sign its checkpoint, with what power.
  struct SignerSet {
    std::map<std::uint32_t, Signer> by_member;
    std::uint64_t total_power = 0;
  };
  // Heights kept at once; older ones are forgotten (their final checkpoints are stored).
  static constexpr std::size_t kMaxPendingHeights = 64;

  // This node committed `height`: the checkpoint body and the height's validators are known.
  // Returns the signed note if the signatures already received make it final. A note is returned
  // when a checkpoint first becomes final and once more when every validator has signed it (so
  // that storing it costs at most two writes per height).
  std::optional<std::string> AddCommitted(std::uint64_t height, std::string body,
                                          std::shared_ptr<const SignerSet> signers);
  // Member `member`'s signature on the checkpoint of `height`. A bad signature, or one from a
  // member without a vote at that height, is an error (the peer is misbehaving); a good one may
  // return the signed note, as above. Before the height is committed here it waits, unchecked.
  Result<std::optional<std::string>> AddSignature(std::uint32_t member, std::uint64_t height,
                                                  Bytes signature);

 private:
  struct Pending {
    std::optional<std::string> body;
    std::shared_ptr<const SignerSet> signers;   // with the body
    std::map<std::uint32_t, Bytes> signatures;  // verified once the body is known
    std::uint64_t power = 0;
    bool emitted_final = false;
    bool emitted_complete = false;
  };
  static Status Verify(const SignerSet& signers, std::uint32_t member, const std::string& body,
                       const Bytes& signature);
  static std::optional<std::string> NoteIfNew(Pending& pending);
  void Forget();

  std::map<std::uint64_t, Pending> pending_;
  std::uint64_t highest_committed_ = 0;
};

}  // namespace rightchain::node
