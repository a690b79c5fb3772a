#include "commands.h"

namespace rc::app {

std::vector<Registrar> all_commands()
{
    return {
        // (one line per subcommand)
    };
}

}
