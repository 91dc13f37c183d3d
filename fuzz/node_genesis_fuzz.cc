// The genesis JSON as `rightchain node join` fetches it from the node it joins through
// (GET /v1/genesis, node::GenesisFromJson): arbitrary text is refused with an error or read as a
// valid genesis, which node join then writes as the new node's genesis.json (GenesisToJson) and
// hashes; the written file reads back as the same genesis, with the same hash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "exec/genesis.h"
#include "node/genesis_file.h"

using namespace rightchain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<exec::Genesis> genesis = node::GenesisFromJson(text);
  if (!genesis.ok()) return 0;
  RC_ASSERT(exec::ValidateGenesis(*genesis).ok());
  const crypto::Digest hash = exec::GenesisHash(*genesis);
  const std::string written = node::GenesisToJson(*genesis);
  Result<exec::Genesis> again = node::GenesisFromJson(written);
  RC_ASSERT_MSG(again.ok(), again.status().ToString());
  RC_ASSERT(*again == *genesis);
  RC_ASSERT(exec::GenesisHash(*again) == hash);
  return 0;
}
