// `rollcoach checkin`: the next-day check-in (how sore, where, what kind, since when, better or
// worse) -> reassurance and a lighter next session, or the right referral. Same options and
// exit codes as `rollcoach screen` (triage_cli.h).
#include "app_context.h"
#include "triage_cli.h"

namespace rc::app {

void register_checkin(CLI::App& app, AppContext& context, int& exit_code)
{
    add_questionnaire_command(app, context, exit_code, kb::Questionnaire::Checkin, "checkin",
        "Next-day check-in: how you feel after your last session, and what it means for the next one");
}

}
