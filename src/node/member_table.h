// MemberTable: every member this node has known, by a local index that never changes while the
// process runs (the host maps transport peers to it). Genesis members come first, in genesis
// order; members that governance adds are appended as their records commit. A member that
// governance removes keeps its index but is no longer current: it may not connect or vote.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "exec/genesis.h"
#include "exec/governance_state.h"

namespace rightchain::node {

// A member by its position in the node's member table.
using MemberIndex = std::uint32_t;

struct TableMember {
  std::string name;  // the CN of its transport certificate
  exec::NodeRole role = exec::NodeRole::kConsensus;
  Bytes consensus_public_key;
  std::uint64_t voting_power = 0;  // 0: no vote (observer, or removed)
  bool current = true;             // false once governance removed it
  friend bool operator==(const TableMember&, const TableMember&) = default;
};

class MemberTable {
 public:
  MemberTable() = default;
  explicit MemberTable(const exec::Genesis& genesis);

  // The current members as committed state names them (exec::LoadMembers): existing entries are
  // updated by name, new names appended, names no longer present marked not current. Returns
  // whether anything changed.
  bool Update(const std::vector<exec::Member>& current_members);

  const std::vector<TableMember>& members() const { return members_; }
  std::size_t size() const { return members_.size(); }
  const TableMember& at(MemberIndex index) const;
  // Current members only.
  std::optional<MemberIndex> FindByName(std::string_view name) const;
  std::optional<MemberIndex> FindByKey(ByteView consensus_public_key) const;

 private:
  std::vector<TableMember> members_;
};

}  // namespace rightchain::node
