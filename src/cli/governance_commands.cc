// `rightchain gov list [--node URL] [--json]`: members with role and power, proposals with their
// approvals and status, and the latest validator-set record's sequence and hash.
// `rightchain gov propose add-member|remove-member|change-role|change-parameters …` and
// `rightchain gov approve ID`, signed with a member's consensus key (docs/governance.md).
#include "cli/governance_commands.h"

#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "cli/chain_session.h"
#include "client/node_client.h"
#include "exec/governance_payloads.h"
#include "exec/governance_state.h"

namespace rightchain::cli {
namespace {

using Json = nlohmann::json;

struct GovernanceOptions {
  std::string node_url = std::string(kDefaultNodeUrl);
  bool json = false;
};

// A member's consensus key signs proposals and approvals.
struct SigningOptions {
  std::string node_url = std::string(kDefaultNodeUrl);
  std::filesystem::path key_file;
  std::filesystem::path passphrase_file;
  std::uint32_t wait_seconds = 60;
  bool json = false;
};

struct ProposeOptions {
  SigningOptions signing;
  std::uint64_t expiry_heights = 1000;  // how long approvals count, from the current height
  // add-member
  std::string name;
  std::string role;
  std::string public_key_hex;
  std::filesystem::path request_file;  // what `rightchain node join` wrote
  std::optional<std::uint64_t> voting_power;
  // remove-member, change-role
  std::string member;
  std::string evidence_hex;
  // change-parameters (absent: as now)
  std::optional<std::uint32_t> block_interval_ms, propose_timeout_ms, prevote_timeout_ms,
      precommit_timeout_ms, max_block_bytes, max_block_transactions;
};

struct ApproveOptions {
  SigningOptions signing;
  std::uint64_t proposal_id = 0;
};

// The largest file `--request` reads: a name and a key.
constexpr std::size_t kMaxJoinRequestBytes = 64 * 1024;
constexpr std::uint64_t kMaxExpiryHeights = 100'000;

Result<Json> FetchGovernance(const ChainSession& session) {
  RC_ASSIGN_OR_RETURN(const std::string text, session.node.GetJsonText("/v1/governance"));
  Json governance = Json::parse(text, nullptr, false);
  if (!governance.is_object() || !governance.contains("members") || !governance["members"].is_array()) {
    return Status::Corruption("the node's /v1/governance is not the expected JSON");
  }
  return governance;
}

// The key id of the current member called `name`.
Result<crypto::KeyId> MemberKeyIdByName(const ChainSession& session, const std::string& name) {
  RC_ASSIGN_OR_RETURN(const Json governance, FetchGovernance(session));
  for (const Json& member : governance["members"]) {
    if (member.value("name", "") != name) continue;
    RC_ASSIGN_OR_RETURN(const Bytes key, HexDecode(member.value("public_key", "")));
    return exec::MemberKeyId(session.suite, key);
  }
  return Status::NotFound("no current member is called '" + name + "' (see rightchain gov list)");
}

Result<exec::NodeRole> RoleOption(const std::string& role) {
  Result<exec::NodeRole> parsed = exec::ParseNodeRole(role);
  if (!parsed.ok()) {
    return Status::InvalidArgument("--role must be regulator-consensus, consensus or observer, not '" + role +
                                   "'");
  }
  return parsed;
}

// Observers hold no vote; validators must be given their power.
Result<std::uint64_t> PowerOption(exec::NodeRole role, const std::optional<std::uint64_t>& power) {
  if (role == exec::NodeRole::kObserver) {
    if (power.value_or(0) != 0) return Status::InvalidArgument("an observer has no voting power");
    return std::uint64_t{0};
  }
  if (!power.has_value() || *power == 0) {
    return Status::InvalidArgument("--power is required for a validator (1 to 2^40)");
  }
  return *power;
}

Result<exec::ProposalAction> AddMemberAction(const ProposeOptions& options) {
  exec::AddMember add;
  add.name = options.name;
  std::string key_hex = options.public_key_hex;
  if (!options.request_file.empty()) {
    RC_ASSIGN_OR_RETURN(const std::string text, ReadFile(options.request_file, kMaxJoinRequestBytes));
    const Json request = Json::parse(text, nullptr, false);
    if (!request.is_object() || !request.contains("name") || !request["name"].is_string() ||
        !request.contains("consensus_public_key") || !request["consensus_public_key"].is_string()) {
      return Status::InvalidArgument(options.request_file.string() +
                                     " is not a join request (name, consensus_public_key)");
    }
    if (add.name.empty()) add.name = request["name"].get<std::string>();
    if (key_hex.empty()) key_hex = request["consensus_public_key"].get<std::string>();
  }
  if (add.name.empty() || key_hex.empty()) {
    return Status::InvalidArgument("add-member needs --name and --public-key, or --request FILE");
  }
  RC_ASSIGN_OR_RETURN(add.public_key, HexDecode(key_hex));
  RC_ASSIGN_OR_RETURN(add.role, RoleOption(options.role.empty() ? "consensus" : options.role));
  RC_ASSIGN_OR_RETURN(add.voting_power, PowerOption(add.role, options.voting_power));
  return exec::ProposalAction(std::move(add));
}

Result<exec::ProposalAction> ChangeParametersAction(const ProposeOptions& options,
                                                    const ChainSession& session) {
  RC_ASSIGN_OR_RETURN(const Json governance, FetchGovernance(session));
  const Json current = governance.value("parameters", Json::object());
  const auto pick = [&](const std::optional<std::uint32_t>& given, const char* field) -> std::uint32_t {
    return given.has_value() ? *given : current.value(field, std::uint32_t{0});
  };
  exec::ChangeParameters parameters;
  parameters.target_block_interval_milliseconds = pick(options.block_interval_ms, "target_block_interval_ms");
  parameters.propose_timeout_milliseconds = pick(options.propose_timeout_ms, "propose_timeout_ms");
  parameters.prevote_timeout_milliseconds = pick(options.prevote_timeout_ms, "prevote_timeout_ms");
  parameters.precommit_timeout_milliseconds = pick(options.precommit_timeout_ms, "precommit_timeout_ms");
  parameters.max_block_bytes = pick(options.max_block_bytes, "max_block_bytes");
  parameters.max_block_transactions = pick(options.max_block_transactions, "max_block_transactions");
  // The chain refuses it too (invalid_field); here the proposer learns why before signing.
  if (parameters.max_block_bytes > exec::kMaxBlockBytesCeiling) {
    return Status::InvalidArgument("--max-block-bytes must be at most " +
                                   std::to_string(exec::kMaxBlockBytesCeiling) +
                                   " (64 MiB): peers exchange blocks in messages sized for that ceiling");
  }
  return exec::ProposalAction(parameters);
}

// Prints what the receipt says of the proposal: open with its approvals, or executed.
Status ReportGovernanceReceipt(const CommittedReceipt& receipt, const SigningOptions& options,
                               std::ostream& out) {
  if (receipt.status != "ok") return ReceiptError(receipt);
  RC_ASSIGN_OR_RETURN(const exec::GovernanceResult result, exec::DecodeGovernanceResult(receipt.result));
  std::optional<exec::ValidatorSetRecord> record;
  if (!result.validator_set_record.empty()) {
    RC_ASSIGN_OR_RETURN(record, exec::DecodeValidatorSetRecord(result.validator_set_record));
  }
  if (options.json) {
    Json json{{"transaction_id", receipt.transaction_id},
              {"height", receipt.height},
              {"proposal_id", result.proposal_id},
              {"status", std::string(exec::ProposalStatusName(result.status))},
              {"approving_power", result.approving_power},
              {"total_power", result.total_power}};
    if (record.has_value()) {
      json["validator_set_sequence"] = record->sequence;
      json["effective_height"] = record->effective_height;
    }
    out << json.dump(2) << "\n";
    return Status::Ok();
  }
  out << "proposal #" << result.proposal_id << " " << exec::ProposalStatusName(result.status)
      << " (transaction " << receipt.transaction_id << ", height " << receipt.height << "): approving power "
      << result.approving_power << " of " << result.total_power << "\n";
  if (record.has_value()) {
    out << "validator-set record " << record->sequence << " takes effect at height "
        << record->effective_height << "\n";
  } else {
    out << "it passes with approvals of more than 2/3 of the power, a regulator among them\n";
  }
  return Status::Ok();
}

Result<crypto::PrivateKey> LoadMemberKey(const SigningOptions& options, const ChainSession& session) {
  return LoadSigningKey(options.key_file, options.passphrase_file, crypto::GetSuite(session.suite).signature);
}

Status Propose(const std::string& action_name, const ProposeOptions& options, std::ostream& out) {
  if (options.expiry_heights == 0 || options.expiry_heights > kMaxExpiryHeights) {
    return Status::InvalidArgument("--expiry-heights must be 1 to 100000");
  }
  RC_ASSIGN_OR_RETURN(const ChainSession session, ConnectChain(options.signing.node_url));
  exec::ProposalAction action;
  if (action_name == "add-member") {
    RC_ASSIGN_OR_RETURN(action, AddMemberAction(options));
  } else if (action_name == "remove-member" || action_name == "change-role") {
    if (options.member.empty()) return Status::InvalidArgument("--member NAME is required");
    RC_ASSIGN_OR_RETURN(const crypto::KeyId member, MemberKeyIdByName(session, options.member));
    if (action_name == "remove-member") {
      exec::RemoveMember remove{member, {}};
      if (!options.evidence_hex.empty()) {
        RC_ASSIGN_OR_RETURN(remove.evidence, HexDecode(options.evidence_hex));
      }
      action = remove;
    } else {
      exec::ChangeRole change{member};
      if (options.role.empty()) return Status::InvalidArgument("--role is required");
      RC_ASSIGN_OR_RETURN(change.role, RoleOption(options.role));
      RC_ASSIGN_OR_RETURN(change.voting_power, PowerOption(change.role, options.voting_power));
      action = change;
    }
  } else {
    RC_ASSIGN_OR_RETURN(action, ChangeParametersAction(options, session));
  }
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key, LoadMemberKey(options.signing, session));
  const exec::ProposePayload payload{std::move(action), session.height + options.expiry_heights};
  RC_ASSIGN_OR_RETURN(const CommittedReceipt receipt,
                      SubmitAndWait(session, key, exec::TransactionKind::kPropose,
                                    exec::EncodePayload(payload), options.signing.wait_seconds));
  return ReportGovernanceReceipt(receipt, options.signing, out);
}

Status Approve(const ApproveOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const ChainSession session, ConnectChain(options.signing.node_url));
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key, LoadMemberKey(options.signing, session));
  RC_ASSIGN_OR_RETURN(const CommittedReceipt receipt,
                      SubmitAndWait(session, key, exec::TransactionKind::kApprove,
                                    exec::EncodePayload(exec::ApprovePayload{options.proposal_id}),
                                    options.signing.wait_seconds));
  return ReportGovernanceReceipt(receipt, options.signing, out);
}

void AddSigningOptions(CLI::App* command, SigningOptions& options) {
  command->add_option("--node", options.node_url, "the node's API URL")->capture_default_str();
  command->add_option("--key", options.key_file, "the member's consensus key (encrypted PKCS#8)")->required();
  command->add_option(
      "--passphrase-file", options.passphrase_file,
      "passphrase of --key (default: KEY.pass, or consensus-key.pass beside consensus-key.pem)");
  command->add_option("--wait-seconds", options.wait_seconds, "how long to wait for the commit")
      ->capture_default_str();
  command->add_flag("--json", options.json, "print JSON");
}

struct Commands {
  GovernanceOptions list;
  ProposeOptions propose;
  ApproveOptions approve;
};

void AddPropose(CLI::App* gov, ProposeOptions& o, std::optional<Status>& outcome) {
  CLI::App* propose =
      gov->add_subcommand("propose", "propose a change of the consortium (counts as your approval)");
  propose->require_subcommand(1);
  const auto common = [&](CLI::App* command) {
    AddSigningOptions(command, o.signing);
    command->add_option("--expiry-heights", o.expiry_heights, "heights during which approvals count")
        ->capture_default_str();
    command->callback([&outcome, &o, name = command->get_name()] { outcome = Propose(name, o, std::cout); });
  };
  CLI::App* add = propose->add_subcommand("add-member", "admit a validator or an observer");
  add->add_option("--name", o.name, "its name: the CN of its transport certificate");
  add->add_option("--role", o.role, "regulator-consensus, consensus (default) or observer");
  add->add_option("--public-key", o.public_key_hex, "its consensus public key, hex");
  add->add_option("--request", o.request_file, "the join request `rightchain node join` wrote");
  add->add_option("--power", o.voting_power, "voting power (validators)");
  common(add);
  CLI::App* remove = propose->add_subcommand("remove-member", "remove a member");
  remove->add_option("--member", o.member, "its name")->required();
  remove->add_option("--evidence", o.evidence_hex, "why, hex: equivocation evidence from /v1/evidence");
  common(remove);
  CLI::App* role = propose->add_subcommand("change-role", "change a member's role and power");
  role->add_option("--member", o.member, "its name")->required();
  role->add_option("--role", o.role, "regulator-consensus, consensus or observer")->required();
  role->add_option("--power", o.voting_power, "voting power (validators)");
  common(role);
  CLI::App* parameters = propose->add_subcommand("change-parameters", "change timing and block limits");
  parameters->add_option("--block-interval-ms", o.block_interval_ms, "target block interval");
  parameters->add_option("--propose-timeout-ms", o.propose_timeout_ms, "propose timeout");
  parameters->add_option("--prevote-timeout-ms", o.prevote_timeout_ms, "prevote timeout");
  parameters->add_option("--precommit-timeout-ms", o.precommit_timeout_ms, "precommit timeout");
  parameters->add_option("--max-block-bytes", o.max_block_bytes, "largest block");
  parameters->add_option("--max-block-transactions", o.max_block_transactions, "most transactions per block");
  common(parameters);
}

Status ListGovernance(const GovernanceOptions& options, std::ostream& out) {
  const client::NodeClient node(options.node_url);
  RC_ASSIGN_OR_RETURN(const std::string text, node.GetJsonText("/v1/governance"));
  const Json governance = Json::parse(text, nullptr, false);
  if (!governance.is_object() || !governance.contains("members") || !governance["members"].is_array() ||
      !governance.contains("proposals") || !governance["proposals"].is_array()) {
    return Status::Corruption("the node's /v1/governance is not the expected JSON");
  }
  if (options.json) {
    out << governance.dump(2) << "\n";
    return Status::Ok();
  }
  out << "members (validator-set record " << governance.value("validator_set_sequence", Json()).dump()
      << ")\n";
  for (const Json& member : governance["members"]) {
    out << "  " << std::left << std::setw(12) << member.value("name", "") << std::setw(21)
        << member.value("role", "") << "power " << member.value("voting_power", std::uint64_t{0}) << "\n";
  }
  out << "proposals\n";
  if (governance["proposals"].empty()) out << "  (none)\n";
  for (const Json& proposal : governance["proposals"]) {
    const Json action = proposal.value("action", Json::object());
    out << "  #" << proposal.value("id", std::uint64_t{0}) << " " << action.value("type", "") << " "
        << action.value("name", "") << " — " << proposal.value("status", "") << ", "
        << proposal.value("approvals", Json::array()).size() << " approvals, expires at height "
        << proposal.value("expiry_height", std::uint64_t{0}) << "\n";
  }
  return Status::Ok();
}

}  // namespace

std::shared_ptr<void> AddGovernanceCommands(CLI::App& app, std::optional<Status>& outcome) {
  auto commands = std::make_shared<Commands>();
  GovernanceOptions& o = commands->list;
  CLI::App* gov = app.add_subcommand("gov", "consortium governance: members, proposals, validator sets");
  gov->require_subcommand(1);
  CLI::App* list = gov->add_subcommand("list", "show the members, proposals and validator-set record");
  list->add_option("--node", o.node_url, "the node's API URL")->capture_default_str();
  list->add_flag("--json", o.json, "print the node's JSON");
  list->callback([&outcome, &o] { outcome = ListGovernance(o, std::cout); });
  AddPropose(gov, commands->propose, outcome);
  CLI::App* approve = gov->add_subcommand("approve", "approve an open proposal");
  approve->add_option("id", commands->approve.proposal_id, "the proposal's number")->required();
  AddSigningOptions(approve, commands->approve.signing);
  approve->callback([&outcome, &a = commands->approve] { outcome = Approve(a, std::cout); });
  return commands;
}

}  // namespace rightchain::cli
