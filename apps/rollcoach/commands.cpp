#include "commands.h"

namespace rc::app {

std::vector<Registrar> all_commands()
{
    return {
        // (one line per subcommand)
        register_serve,
        register_plan, register_session,
        register_screen, register_checkin,
        register_kb, register_exercises, register_zones, register_tools, register_explain,
        register_log, register_history, register_stats, register_export, register_report, register_import, register_backup,
        register_simulate, register_analyze,
        register_remind,
        register_clearance,
        register_clinic,
    };
}

}
