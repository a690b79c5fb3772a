// The list of subcommands. To add one: write cmd_<name>.cpp defining
// `void register_<name>(CLI::App&, AppContext&, int& exit_code)`, declare it here and add it
// to all_commands() in commands.cpp.
#pragma once

#include "app_context.h"

#include <vector>

namespace rc::app {

// (one line per subcommand)
void register_kb(CLI::App&, AppContext&, int&); void register_exercises(CLI::App&, AppContext&, int&); void register_zones(CLI::App&, AppContext&, int&); void register_tools(CLI::App&, AppContext&, int&); void register_explain(CLI::App&, AppContext&, int&);
void register_log(CLI::App&, AppContext&, int&); void register_history(CLI::App&, AppContext&, int&); void register_stats(CLI::App&, AppContext&, int&); void register_export(CLI::App&, AppContext&, int&); void register_report(CLI::App&, AppContext&, int&); void register_import(CLI::App&, AppContext&, int&); void register_backup(CLI::App&, AppContext&, int&);
void register_simulate(CLI::App&, AppContext&, int&); void register_analyze(CLI::App&, AppContext&, int&);
void register_remind(CLI::App&, AppContext&, int&);
void register_clearance(CLI::App&, AppContext&, int&);
void register_clinic(CLI::App&, AppContext&, int&);

void register_serve(CLI::App&, AppContext&, int&);
void register_plan(CLI::App&, AppContext&, int&); void register_session(CLI::App&, AppContext&, int&);
void register_screen(CLI::App&, AppContext&, int&); void register_checkin(CLI::App&, AppContext&, int&);

std::vector<Registrar> all_commands();

}
