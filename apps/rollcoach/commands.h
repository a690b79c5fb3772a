// The list of subcommands. To add one: write cmd_<name>.cpp defining
// `void register_<name>(CLI::App&, AppContext&, int& exit_code)`, declare it here and add it
// to all_commands() in commands.cpp.
#pragma once

#include "app_context.h"

#include <vector>

namespace rc::app {

// (one line per subcommand)

std::vector<Registrar> all_commands();

}
