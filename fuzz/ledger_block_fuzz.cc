// Decoding of everything the ledger stores or receives from peers: blocks, commit certificates,
// log leaves (with their receipts) and genesis. Whatever decodes must re-encode to exactly the
// input (one canonical encoding), and nothing may crash or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "exec/genesis.h"
#include "ledger/block.h"

using namespace rightchain;

namespace {

void CheckCanonical(ByteView input, const Bytes& reencoded) {
  if (reencoded.size() != input.size() || !std::equal(reencoded.begin(), reencoded.end(), input.begin())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  if (auto block = ledger::DecodeBlock(input); block.ok()) CheckCanonical(input, ledger::EncodeBlock(*block));
  if (auto certificate = ledger::DecodeCommitCertificate(input); certificate.ok()) {
    CheckCanonical(input, ledger::EncodeCommitCertificate(*certificate));
  }
  if (auto leaf = ledger::DecodeLogLeaf(input); leaf.ok())
    CheckCanonical(input, ledger::EncodeLogLeaf(*leaf));
  if (auto header = ledger::DecodeBlockHeader(input); header.ok()) {
    CheckCanonical(input, ledger::EncodeBlockHeader(*header));
  }
  if (auto genesis = exec::DecodeGenesis(input); genesis.ok())
    CheckCanonical(input, exec::EncodeGenesis(*genesis));
  return 0;
}
