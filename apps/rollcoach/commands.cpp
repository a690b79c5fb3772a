#include "commands.h"

namespace rc::app {

std::vector<Registrar> all_commands()
{
    return {
        // (one line per subcommand)
        register_kb, register_exercises, register_zones, register_tools, register_explain,
        register_log, register_history, register_stats, register_export, register_import, register_backup,
    };
}

}
