// `rightchain gov list [--node URL] [--json]`: members with role and power, proposals with their
// approvals and status, and the latest validator-set record's sequence and hash.
#include "cli/governance_commands.h"

#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/chain_session.h"
#include "client/node_client.h"

namespace rightchain::cli {
namespace {

using Json = nlohmann::json;

struct GovernanceOptions {
  std::string node_url = std::string(kDefaultNodeUrl);
  bool json = false;
};

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
  auto options = std::make_shared<GovernanceOptions>();
  GovernanceOptions& o = *options;
  CLI::App* gov = app.add_subcommand("gov", "consortium governance: members, proposals, validator sets");
  gov->require_subcommand(1);
  CLI::App* list = gov->add_subcommand("list", "show the members, proposals and validator-set record");
  list->add_option("--node", o.node_url, "the node's API URL")->capture_default_str();
  list->add_flag("--json", o.json, "print the node's JSON");
  list->callback([&outcome, &o] { outcome = ListGovernance(o, std::cout); });
  return options;
}

}  // namespace rightchain::cli
