// The consensus write-ahead record: the engine's DurableState in a canonical encoding, written
// (and synced) before any message it signed leaves the node, and read back after a restart.
//
// Layout (docs/node.md): tag "rightchain/consensus-wal", version 1, height u64, round u32 (+1,
// so that "no round" is 0), step u8, locked (optional consensus message), locked round, valid
// (optional), valid round, for each signing lane: has_signed bool, height u64, round, step u8,
// sign bytes (≤ 1024), signature (≤ 128); own messages (≤ 64 consensus messages), last decision
// (optional: proposal, height, round, block hash [32], block time u64, commit certificate).
#pragma once

#include "base/bytes.h"
#include "base/status.h"
#include "consensus/engine.h"

namespace rightchain::node {

Bytes EncodeDurableState(const consensus::DurableState& state);
Result<consensus::DurableState> DecodeDurableState(ByteView encoding);

}  // namespace rightchain::node
