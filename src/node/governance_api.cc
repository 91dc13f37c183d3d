// The governance routes of the node API (docs/governance.md): the members as the chain holds them,
// proposals, and the chain of validator-set records. Read-only: governance transactions are
// submitted like any other transaction.
#include <nlohmann/json.hpp>

#include "exec/governance_state.h"
#include "node/api_helpers.h"

namespace rightchain::node::api {
namespace {

constexpr std::size_t kMaxProposalsListed = 100;

Json MemberJson(const exec::Member& member) {
  return Json{{"name", member.name},
              {"role", std::string(exec::NodeRoleName(member.role))},
              {"public_key", HexEncode(member.public_key)},
              {"voting_power", member.voting_power}};
}

Json ActionJson(const exec::ProposalAction& action) {
  Json json{{"type", std::string(exec::ProposalActionName(action))}};
  if (const auto* add = std::get_if<exec::AddMember>(&action)) {
    json.update(MemberJson({add->name, add->role, add->public_key, add->voting_power}));
  } else if (const auto* remove = std::get_if<exec::RemoveMember>(&action)) {
    json["member"] = HexEncode(remove->member);
    json["evidence"] = HexEncode(remove->evidence);
  } else if (const auto* change = std::get_if<exec::ChangeRole>(&action)) {
    json["member"] = HexEncode(change->member);
    json["role"] = std::string(exec::NodeRoleName(change->role));
    json["voting_power"] = change->voting_power;
  } else {
    const auto& parameters = std::get<exec::ChangeParameters>(action);
    json["target_block_interval_ms"] = parameters.target_block_interval_milliseconds;
    json["propose_timeout_ms"] = parameters.propose_timeout_milliseconds;
    json["prevote_timeout_ms"] = parameters.prevote_timeout_milliseconds;
    json["precommit_timeout_ms"] = parameters.precommit_timeout_milliseconds;
    json["max_block_bytes"] = parameters.max_block_bytes;
    json["max_block_transactions"] = parameters.max_block_transactions;
  }
  return json;
}

Json ProposalJson(const exec::Proposal& proposal, std::uint64_t head_height) {
  Json approvals = Json::array();
  for (const crypto::KeyId& approval : proposal.approvals) approvals.push_back(HexEncode(approval));
  std::string status(exec::ProposalStatusName(proposal.status));
  if (proposal.status == exec::ProposalStatus::kOpen && head_height >= proposal.payload.expiry_height) {
    status = "expired";  // no later block can approve it
  }
  return Json{{"id", proposal.id},
              {"action", ActionJson(proposal.payload.action)},
              {"expiry_height", proposal.payload.expiry_height},
              {"proposer", HexEncode(proposal.proposer)},
              {"created_height", proposal.created_height},
              {"status", status},
              {"decided_height", proposal.decided_height},
              {"approvals", approvals}};
}

Result<Json> RecordJson(const exec::ValidatorSetRecord& record, crypto::HashAlgorithm hash) {
  Json members = Json::array();
  for (const exec::Member& member : record.members) members.push_back(MemberJson(member));
  return Json{{"sequence", record.sequence},
              {"hash", HexEncode(exec::ValidatorSetRecordHash(hash, record))},
              {"previous_hash", HexEncode(record.previous_hash)},
              {"decided_height", record.decided_height},
              {"effective_height", record.effective_height},
              {"proposal_id", record.proposal_id},
              {"members", members},
              {"encoding", HexEncode(exec::EncodeValidatorSetRecord(record))}};
}

http::Response Governance(const http::Request& request, NodeCore& core) {
  const exec::StateReader& state = core.store().state();
  const Result<std::vector<exec::Member>> members = exec::LoadMembers(state);
  if (!members.ok()) return FromStatus(members.status());
  std::uint64_t after = 0;
  if (!request.QueryParameter("after").empty()) {
    const Result<std::uint64_t> parsed = ParseNumber(request.QueryParameter("after"), "after");
    if (!parsed.ok()) return FromStatus(parsed.status());
    after = *parsed;
  }
  const Result<std::vector<exec::Proposal>> proposals =
      exec::LoadProposals(state, after, kMaxProposalsListed);
  if (!proposals.ok()) return FromStatus(proposals.status());
  const Result<std::optional<std::uint64_t>> latest = exec::LatestValidatorSetSequence(state);
  if (!latest.ok()) return FromStatus(latest.status());
  Json body{{"members", Json::array()}, {"proposals", Json::array()}};
  for (const exec::Member& member : *members) body["members"].push_back(MemberJson(member));
  for (const exec::Proposal& proposal : *proposals) {
    body["proposals"].push_back(ProposalJson(proposal, core.store().head().height));
  }
  body["validator_set_sequence"] = latest->has_value() ? Json(**latest) : Json();
  // The parameters this node's consensus runs with (genesis's, or the last a proposal set).
  const consensus::EngineConfig& config = core.engine_config();
  body["parameters"] = Json{{"target_block_interval_ms", config.target_block_interval_ms},
                            {"propose_timeout_ms", config.propose_timeout_ms},
                            {"prevote_timeout_ms", config.prevote_timeout_ms},
                            {"precommit_timeout_ms", config.precommit_timeout_ms},
                            {"max_block_bytes", config.max_block_bytes},
                            {"max_block_transactions", config.max_block_transactions}};
  return JsonResponse(200, body);
}

http::Response ValidatorSet(const http::Request& request, NodeCore& core) {
  const Result<std::uint64_t> sequence = ParseNumber(request.path_parameters.at("sequence"), "sequence");
  if (!sequence.ok()) return FromStatus(sequence.status());
  const auto record = exec::LoadValidatorSetRecord(core.store().state(), *sequence);
  if (!record.ok()) return FromStatus(record.status());
  if (!record->has_value()) {
    return http::ErrorResponse(404, "not_found", "no validator-set record " + std::to_string(*sequence));
  }
  const Result<Json> json = RecordJson(**record, core.store().algorithm());
  return json.ok() ? JsonResponse(200, *json) : FromStatus(json.status());
}

}  // namespace

void AddGovernanceRoutes(http::Router& router, Daemon::State& state) {
  OnCore(router, state, "GET", "/v1/governance", Governance);
  OnCore(router, state, "GET", "/v1/governance/validator-sets/{sequence}", ValidatorSet);
}

}  // namespace rightchain::node::api
