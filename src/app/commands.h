// The `odp` subcommands. Each returns the process exit code.
#pragma once

#include <string>

#include "app/config.h"

namespace odp::app {

struct UserAddOptions {
  std::string username, email, org, role;
  bool sysadmin = false;
};

int RunInit(const Config& cfg, bool demo);
int RunServe(const Config& cfg);
int RunMigrate(const Config& cfg);
int RunUserAdd(const Config& cfg, const UserAddOptions& opts);
int RunTokenAdd(const Config& cfg, const std::string& username, const std::string& name);

}  // namespace odp::app
