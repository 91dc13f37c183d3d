#include "node/member_table.h"

#include <algorithm>
#include <set>

#include "base/assert.h"

namespace rightchain::node {

MemberTable::MemberTable(const exec::Genesis& genesis) {
  for (const exec::GenesisMember& member : genesis.members) {
    members_.push_back({member.name, member.role, member.consensus_public_key, member.voting_power, true});
  }
}

bool MemberTable::Update(const std::vector<exec::Member>& current_members) {
  bool changed = false;
  std::set<std::string_view> present;
  for (const exec::Member& member : current_members) {
    present.insert(member.name);
    const TableMember updated{member.name, member.role, member.public_key, member.voting_power, true};
    const auto found = std::find_if(members_.begin(), members_.end(),
                                    [&](const TableMember& entry) { return entry.name == member.name; });
    if (found == members_.end()) {
      members_.push_back(updated);
      changed = true;
    } else if (*found != updated) {
      *found = updated;
      changed = true;
    }
  }
  for (TableMember& entry : members_) {
    if (entry.current && !present.contains(entry.name)) {
      entry.current = false;
      entry.voting_power = 0;
      changed = true;
    }
  }
  return changed;
}

const TableMember& MemberTable::at(MemberIndex index) const {
  RC_ASSERT(index < members_.size());
  return members_[index];
}

std::optional<MemberIndex> MemberTable::FindByName(std::string_view name) const {
  for (MemberIndex i = 0; i < members_.size(); ++i) {
    if (members_[i].current && members_[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<MemberIndex> MemberTable::FindByKey(ByteView consensus_public_key) const {
  for (MemberIndex i = 0; i < members_.size(); ++i) {
    const Bytes& key = members_[i].consensus_public_key;
    if (members_[i].current &&
        std::equal(key.begin(), key.end(), consensus_public_key.begin(), consensus_public_key.end())) {
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace rightchain::node
