// The genesis as a JSON file (genesis.json), for people and tools; its hash is always computed
// over the canonical encoding (exec::EncodeGenesis), never over the JSON text.
//
// {
//   "chain_id": "rightchain-local", "suite": "sm", "genesis_time_ms": 1790000000000,
//   "members": [{"name": "node-0", "role": "regulator-consensus",
//                "consensus_public_key": "<hex>", "voting_power": 10}, ...],
//   "parameters": {"target_block_interval_ms": 1000, ...}   (every field optional)
// }
#pragma once

#include <filesystem>
#include <string>

#include "base/file.h"
#include "base/status.h"
#include "exec/genesis.h"

namespace rightchain::node {

std::string GenesisToJson(const exec::Genesis& genesis);
// Strict: unknown fields, wrong types and invalid values are errors naming the field.
Result<exec::Genesis> GenesisFromJson(std::string_view json);
Result<exec::Genesis> LoadGenesisFile(const std::filesystem::path& path);

}  // namespace rightchain::node
