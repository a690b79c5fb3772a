// rollcoach clinic: the accounts of clinic mode (docs/clinic.md), on the clinic's PostgreSQL
// database (--db postgresql://... or ROLLCOACH_DB).
//   rollcoach clinic add-therapist --email alex@clinic.example --name "Alex Moreau"   (password on stdin)
//   rollcoach clinic invite-patient --therapist alex@clinic.example --name "Sam" --email sam@example.org
#include "app_context.h"

#include "clinic/clinic_store.h"
#include "common/clock.h"
#include "journal/postgres_journal.h"
#include "journal/records.h"

#include <fmt/core.h>
#include <iostream>
#include <memory>
#include <termios.h>
#include <unistd.h>

namespace rc::app {

namespace {

struct ClinicOptions {
    std::string email;
    std::string name;
    std::string therapist;
    int hours { 72 };
    std::string base_url;
};

Result<std::unique_ptr<clinic::ClinicStore>> open_store(AppContext const& context)
{
    auto location = context.journal_path();
    if (!location || !journal::is_postgres_location(location->string()))
        return Error::invalid_argument("Clinic accounts live in PostgreSQL: pass --db postgresql://... (or set ROLLCOACH_DB) "
                                       "with the clinic's database. docs/clinic.md shows a local trial.");
    return clinic::ClinicStore::open(location->string());
}

// One line from standard input, without echo when it is a terminal.
std::string read_password()
{
    bool const tty = isatty(STDIN_FILENO) != 0;
    termios saved {};
    if (tty) {
        std::fputs("Password (at least 10 characters): ", stderr);
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputs("\n", stderr);
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

int add_therapist(AppContext const& context, ClinicOptions const& options)
{
    auto store = open_store(context);
    if (!store)
        return report(store.error());
    auto password = read_password();
    SystemClock clock;
    auto id = (*store)->add_therapist(options.email, options.name, password, clock.wall_now());
    if (!id)
        return report(id.error());
    fmt::print("Added therapist {} <{}>. They log in at the address `rollcoach serve --clinic` prints.\n", options.name, options.email);
    return ExitCode::Ok;
}

int invite_patient(AppContext const& context, ClinicOptions const& options)
{
    auto store = open_store(context);
    if (!store)
        return report(store.error());
    auto therapist = (*store)->find_account_by_email(options.therapist);
    if (!therapist)
        return report(therapist.error());
    if (!*therapist || (*therapist)->role != clinic::Role::Therapist)
        return report(Error::not_found(fmt::format("There is no therapist {}; add one with `rollcoach clinic add-therapist`.", options.therapist)));
    SystemClock clock;
    auto invite = (*store)->create_invite((*therapist)->id, options.name, options.email, clock.wall_now(), std::chrono::hours(options.hours));
    if (!invite)
        return report(invite.error());
    auto base = options.base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    fmt::print("Invitation for {} <{}>, valid until {} (once):\n{}/#/invite/{}\n", options.name, options.email,
        journal::format_utc(invite->expires_at), base, invite->token);
    return ExitCode::Ok;
}

}

void register_clinic(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<ClinicOptions>();
    auto* clinic = app.add_subcommand("clinic", "Clinic mode's accounts (PostgreSQL, --db postgresql://...)");
    clinic->require_subcommand(1);

    auto* add = clinic->add_subcommand("add-therapist", "Create a therapist's account (the password is read from standard input)");
    add->add_option("--email", options->email, "The therapist's email (their login)")->required();
    add->add_option("--name", options->name, "The name patients and the audit log show")->required();
    add->callback([&context, &exit_code, options] { exit_code = add_therapist(context, *options); });

    auto* invite = clinic->add_subcommand("invite-patient", "Make a one-time invitation link for a new patient");
    invite->add_option("--therapist", options->therapist, "The email of the patient's therapist")->required();
    invite->add_option("--name", options->name, "The patient's name")->required();
    invite->add_option("--email", options->email, "The patient's email (their login)")->required();
    invite->add_option("--hours", options->hours, "How long the link stays valid")->check(CLI::Range(1, 24 * 30))->capture_default_str();
    invite->add_option("--base-url", options->base_url, "The server's address, put in front of the link (e.g. http://127.0.0.1:8080)");
    invite->callback([&context, &exit_code, options] { exit_code = invite_patient(context, *options); });
}

}
