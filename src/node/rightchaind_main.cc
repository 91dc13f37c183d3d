// rightchaind: one consortium member's node process.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "log/log.h"
#include "node/daemon.h"

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void RequestStop(int) {
  stop_requested = 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rightchaind: a Rightchain consortium node"};
  std::string config_path;
  app.add_option("--config", config_path, "the node's TOML configuration")->required();
  CLI11_PARSE(app, argc, argv);

  auto config = rightchain::node::LoadNodeConfig(config_path);
  if (!config.ok()) {
    std::cerr << "rightchaind: " << config.status().message() << "\n";
    return 1;
  }
  if (const auto logging = rightchain::log::Configure({config->log_level, config->log_json}); !logging.ok()) {
    std::cerr << "rightchaind: " << logging.message() << "\n";
    return 1;
  }
  std::signal(SIGTERM, RequestStop);
  std::signal(SIGINT, RequestStop);
  std::signal(SIGPIPE, SIG_IGN);
  auto daemon = rightchain::node::Daemon::Start(*config);
  if (!daemon.ok()) {
    std::cerr << "rightchaind: " << daemon.status().message() << "\n";
    return 1;
  }
  while (!stop_requested) pause();
  rightchain::log::For("node")->info("stopping");
  (*daemon)->Stop();
  return 0;
}
