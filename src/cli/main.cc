// rightchain: the consortium tool. Exit codes: 0 success, 1 operational failure, 2 usage error.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "cli/fingerprint_cli.h"
#include "cli/keygen.h"
#include "cli/network.h"
#include "cli/note.h"
#include "cli/process.h"
#include "cli/status.h"

namespace {

using namespace rightchain;

constexpr int kExitSuccess = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Fail(const Status& status, int exit_code) {
  std::cerr << "rightchain: " << status.message() << "\n";
  return exit_code;
}

int Finish(const Status& status) {
  return status.ok() ? kExitSuccess : Fail(status, kExitFailure);
}

Result<crypto::SuiteId> SuiteFromFlag(const std::string& name) {
  Result<crypto::SuiteId> suite = crypto::ParseSuiteName(name);
  if (!suite.ok()) return Status::InvalidArgument("--suite must be sm or std, not '" + name + "'");
  return suite;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rightchain: tools for a Rightchain consortium (local networks, status, keys)", "rightchain"};
  app.require_subcommand(1);

  // net init / up / down
  CLI::App* net = app.add_subcommand("net", "create, start and stop a local network of nodes");
  net->require_subcommand(1);

  cli::NetInitOptions init;
  std::string init_directory;
  std::string init_suite;
  CLI::App* net_init =
      net->add_subcommand("init", "create the CA, node keys and certificates, genesis and configs");
  net_init->add_option("--dir", init_directory, "network directory")->required();
  net_init->add_option("--validators", init.validators, "voting nodes (node-0 is the regulator)")
      ->capture_default_str();
  net_init->add_option("--observers", init.observers, "non-voting nodes (the last ones)")
      ->capture_default_str();
  net_init->add_option("--suite", init_suite, "crypto suite: sm or std")->required();
  net_init->add_option("--chain-id", init.chain_id, "chain id")->capture_default_str();
  net_init->add_option("--base-port", init.base_port, "transport port of node-0")->capture_default_str();
  net_init->add_option("--api-base-port", init.api_base_port, "API port of node-0")->capture_default_str();
  net_init->add_option("--block-interval-ms", init.block_interval_milliseconds, "target block interval")
      ->capture_default_str();
  net_init->add_flag("--force", init.force, "replace the contents of a non-empty directory");

  cli::NetUpOptions up;
  std::string up_directory;
  CLI::App* net_up = net->add_subcommand("up", "start the network's nodes and wait for committed blocks");
  net_up->add_option("--dir", up_directory, "network directory")->required();
  net_up->add_option("--timeout-seconds", up.timeout_seconds, "how long to wait for blocks")
      ->capture_default_str();
  net_up->add_option("--rightchaind", up.rightchaind, "path of the rightchaind binary");

  std::string down_directory;
  CLI::App* net_down = net->add_subcommand("down", "stop the network's nodes");
  net_down->add_option("--dir", down_directory, "network directory")->required();

  // status
  std::string status_directory;
  bool status_json = false;
  CLI::App* status = app.add_subcommand("status", "show each node's height, block, log and peers");
  status->add_option("--dir", status_directory, "network directory")->required();
  status->add_flag("--json", status_json, "print a JSON array");

  // keygen
  cli::KeygenOptions keygen;
  std::string keygen_suite;
  std::string keygen_out;
  std::string keygen_passphrase_file;
  CLI::App* keygen_command = app.add_subcommand("keygen", "generate a signing key (encrypted PKCS#8)");
  keygen_command->add_option("--suite", keygen_suite, "crypto suite: sm or std")->required();
  keygen_command->add_option("--out", keygen_out, "private key file (FILE.pub gets the public key)")
      ->required();
  keygen_command->add_option("--passphrase-file", keygen_passphrase_file,
                             "passphrase to encrypt with (default: a random one written to FILE.pass)");

  // note
  cli::NoteOptions note;
  CLI::App* note_command = app.add_subcommand("note", "sign a note transaction and submit it to a node");
  note_command->add_option("--node", note.node_url, "the node's API URL, e.g. http://127.0.0.1:8600")
      ->required();
  note_command->add_option("--key", note.key_file, "signing key (default: a fresh one)");
  note_command->add_option("--passphrase-file", note.passphrase_file, "passphrase of --key");
  note_command->add_flag("--wait", note.wait, "wait until the note is committed");
  note_command->add_option("text", note.text, "the note's text")->required();

  const cli::FingerprintCli fingerprint_commands(app);  // fingerprint, index add|remove, match

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << "rightchain: " << error.what() << "\nRun with --help for usage.\n";
    return kExitUsage;
  }

  if (net_init->parsed()) {
    init.directory = init_directory;
    Result<crypto::SuiteId> suite = SuiteFromFlag(init_suite);
    if (!suite.ok()) return Fail(suite.status(), kExitUsage);
    init.suite = *suite;
    if (Status valid = cli::ValidateNetInitOptions(init); !valid.ok()) return Fail(valid, kExitUsage);
    return Finish(cli::InitNetwork(init, std::cout));
  }
  if (net_up->parsed()) {
    up.directory = up_directory;
    if (up.timeout_seconds == 0)
      return Fail(Status::InvalidArgument("--timeout-seconds must be positive"), kExitUsage);
    return Finish(cli::NetUp(up, std::cout));
  }
  if (net_down->parsed()) return Finish(cli::NetDown(down_directory, std::cout));
  if (status->parsed()) {
    Result<std::vector<cli::NetworkNode>> nodes = cli::LoadNetwork(status_directory);
    if (!nodes.ok()) return Fail(nodes.status(), kExitFailure);
    const std::vector<cli::NodeReport> reports = cli::CollectStatus(*nodes);
    if (status_json) {
      cli::PrintStatusJson(reports, std::cout);
    } else {
      cli::PrintStatusTable(reports, std::cout);
    }
    return kExitSuccess;
  }
  if (keygen_command->parsed()) {
    Result<crypto::SuiteId> suite = SuiteFromFlag(keygen_suite);
    if (!suite.ok()) return Fail(suite.status(), kExitUsage);
    keygen.suite = *suite;
    keygen.out = keygen_out;
    keygen.passphrase_file = keygen_passphrase_file;
    return Finish(cli::Keygen(keygen, std::cout));
  }
  if (note_command->parsed()) return Finish(cli::SubmitNote(note, std::cout));
  if (std::optional<int> code = fingerprint_commands.Run(std::cout, std::cerr)) return *code;
  return Fail(Status::InvalidArgument("no command given"), kExitUsage);
}
