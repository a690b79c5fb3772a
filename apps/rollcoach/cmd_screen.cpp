// `rollcoach screen`: the safety questionnaire. Asks each question (re-asking on an answer it
// cannot read, explaining on "?"), or reads --answers FILE.json; prints the verdict with its
// reasons and sources, or --json. The exit status encodes the tier (triage_cli.h). A thin
// adapter: every decision is src/triage's.
#include "app_context.h"
#include "triage_cli.h"

#include "common/clock.h"
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "knowledge/zone_names.h"
#include "triage/triage_engine.h"
#include "triage/verdict_json.h"
#include "tui/text_wrap.h"

#include <algorithm>
#include <cstdio>
#include <fmt/color.h>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace rc::app {

namespace {

// Writes text wrapped at word boundaries to the terminal's width when `out` is a terminal, and as
// it is into a pipe or a file, so that no word is cut at the edge ("insid|e").
void write_wrapped(std::FILE* out, std::string const& text)
{
    auto const width = ::isatty(::fileno(out)) ? tui::terminal_columns().value_or(0) : 0;
    auto const wrapped = tui::wrap_words(text, width);
    std::fwrite(wrapped.data(), 1, wrapped.size(), out);
}

struct QuestionnaireOptions {
    std::string answers_file;
    bool json { false };
    bool no_save { false };
};

int exit_code_for(kb::Verdict const& verdict)
{
    auto fired = kb::Tier::Proceed;
    for (auto const& reason : verdict.reasons)
        fired = std::max(fired, reason.tier);
    if (!verdict.missing_answers.empty() && fired < kb::Tier::ClinicianBeforeRolling)
        return TierIncomplete;
    switch (verdict.tier) {
    case kb::Tier::Proceed: return TierProceed;
    case kb::Tier::ProceedWithChanges: return TierProceedWithChanges;
    case kb::Tier::ClinicianBeforeRolling: return TierClinicianBeforeRolling;
    case kb::Tier::ClinicianSoon: return TierClinicianSoon;
    case kb::Tier::ClinicianToday: return TierClinicianToday;
    case kb::Tier::Emergency: return TierEmergency;
    }
    return TierIncomplete;
}

// Prompts go to stdout, or to stderr when stdout carries JSON.
struct Terminal {
    std::FILE* out { stdout };
    bool color { false };

    std::string paint(fmt::text_style style, std::string_view text) const { return color ? fmt::format(style, "{}", text) : std::string(text); }
};

// How many questions are put, those asked already and the current one included: `at_least`
// whatever the answers still to come, `at_most` if none of them makes a later one moot
// ("Nothing: I feel fine" leaves out where it hurts and how much).
struct QuestionCount {
    std::size_t at_least { 0 };
    std::size_t at_most { 0 };
};

// "[2/5]", or "[2 of up to 7]" while an answer still to come may shorten the list: the counter
// never promises questions that may not be asked.
std::string counter_text(std::size_t index, QuestionCount count)
{
    if (count.at_least == count.at_most)
        return fmt::format("[{}/{}]", index, count.at_most);
    return fmt::format("[{} of up to {}]", index, count.at_most);
}

void print_question(Terminal const& term, kb::Question const& question, std::size_t index, QuestionCount count)
{
    write_wrapped(term.out, fmt::format("\n{} {}\n", counter_text(index, count), term.paint(fmt::emphasis::bold, question.text)));
    switch (question.type) {
    case kb::AnswerType::YesNo:
        write_wrapped(term.out, fmt::format("  (yes / no / not sure; ? = why we ask)\n"));
        break;
    case kb::AnswerType::Choice:
        for (std::size_t i = 0; i < question.choices.size(); ++i)
            write_wrapped(term.out, fmt::format("  {}) {}\n", i + 1, question.choices[i].label));
        write_wrapped(term.out, fmt::format("  (type a number; not sure; ? = why we ask)\n"));
        break;
    case kb::AnswerType::Number:
        write_wrapped(term.out, fmt::format("  (a number from {} to {}{}; not sure; ? = why we ask)\n", *question.min, *question.max,
            question.unit ? " " + *question.unit : std::string()));
        break;
    }
}

// Asks every question of the questionnaire on stdin. Stops at once when an answer already
// settles an emergency or "today" tier (the same test as the web and the API's "settled"): the
// remaining questions cannot lower it. End of input leaves the rest unanswered (the verdict
// then lists them as missing).
Result<triage::Answers> ask(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, Terminal const& term,
    coach::CheckinContext const& context)
{
    // Which questions are put depends on the answers so far ("Nothing: I feel fine" leaves out
    // where it hurts): counted again after every answer.
    auto const all = kb.screening.questions_of(questionnaire);
    auto asked = [&](kb::Question const& question, triage::Answers const& so_far) {
        return questionnaire == kb::Questionnaire::Screening || coach::is_asked(question, context, so_far);
    };
    write_wrapped(term.out, fmt::format("{}\n",
        questionnaire == kb::Questionnaire::Screening
            ? "A few safety questions before you roll. They take about three minutes.\n"
              "Answer honestly: some answers mean rolling should wait, and we will tell you what to do instead."
        : context.recent ? fmt::format("A quick check-in on how you feel since your last session ({} hours ago, from your journal).",
                               context.since_last_session->count())
                         : context.since_last_session
                         ? std::string("A quick check-in on how your back feels. You have not rolled in the last three days, so it is "
                                       "about your soreness itself.")
                         : std::string("A quick check-in on how your back feels. Your journal has no session yet, so it is about "
                                       "your back as it is now.")));
    // A question is sure to be put unless an answer still to come can make it moot.
    auto count_questions = [&](triage::Answers const& so_far) {
        QuestionCount count;
        for (auto const* question : all) {
            if (!asked(*question, so_far))
                continue;
            ++count.at_most;
            auto const& skip = question->not_asked_when;
            auto const* decider = skip ? kb.screening.find_question(skip->question_id) : nullptr;
            if (!decider || so_far.contains(decider->id) || !asked(*decider, so_far))
                ++count.at_least;
        }
        return count;
    };
    triage::Answers answers;
    std::size_t index = 0;
    for (auto const* question : all) {
        if (!asked(*question, answers))
            continue;
        ++index;
        auto const count = count_questions(answers);
        while (true) {
            print_question(term, *question, index, count);
            fmt::print(term.out, "> ");
            std::fflush(term.out);
            std::string line;
            if (!std::getline(std::cin, line)) {
                write_wrapped(term.out, fmt::format("\n(no more input: the remaining questions are left unanswered)\n"));
                return answers;
            }
            if (line.find('?') != std::string::npos && line.find_first_not_of(" ?\t\r") == std::string::npos) {
                write_wrapped(term.out, fmt::format("  Why we ask: {}\n", question->help));
                continue;
            }
            auto answer = triage::parse_typed_answer(*question, line);
            if (!answer) {
                write_wrapped(term.out, fmt::format("  {}\n", answer.error().message));
                continue;
            }
            answers[question->id] = *answer;
            break;
        }
        auto filled = answers;
        if (questionnaire == kb::Questionnaire::Checkin)
            coach::fill_from_journal(kb, context, filled);
        auto so_far = triage::evaluate(kb, questionnaire, filled);
        if (!so_far)
            return so_far.error();
        if (triage::settles_at_once(*so_far)) {
            write_wrapped(term.out, fmt::format("\nWe stopped the questions here: this answer alone is enough to say what to do.\n"));
            return answers;
        }
    }
    return answers;
}


fmt::text_style tier_style(kb::Tier tier)
{
    if (tier == kb::Tier::Emergency || tier == kb::Tier::ClinicianToday)
        return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::red);
    if (kb::is_stop_tier(tier))
        return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::yellow);
    return fmt::emphasis::bold | fmt::fg(fmt::terminal_color::green);
}

void print_verdict(kb::KnowledgeBase const& kb, kb::Verdict const& verdict, Terminal const& term)
{
    std::FILE* out = stdout;
    write_wrapped(out, fmt::format("\n{}\n", term.paint(tier_style(verdict.tier), triage::headline(verdict))));
    if (!verdict.reasons.empty())
        write_wrapped(out, fmt::format("\nWhy:\n"));
    std::size_t number = 0;
    for (auto const& reason : verdict.reasons) {
        write_wrapped(out, fmt::format("\n{}. {} {}\n", ++number, term.paint(tier_style(reason.tier), fmt::format("[{}]", tier_label(reason.tier))), reason.message));
        write_wrapped(out, fmt::format("   What to do: {}\n", reason.what_to_do));
        std::vector<std::string> citations;
        for (auto const& id : reason.source_ids) {
            auto const* source = kb.find_source(id);
            citations.push_back(source ? source->citation : id);
        }
        write_wrapped(out, fmt::format("   Sources: {}\n", fmt::join(citations, "; ")));
    }
    auto const& changes = verdict.changes;
    if (!changes.empty() && !kb::is_stop_tier(verdict.tier)) {
        std::vector<std::string> items;
        if (changes.soft_roller_only)
            items.push_back("soft roller only");
        if (changes.gentle_pressure_only)
            items.push_back("gentle pressure only");
        if (changes.max_session_length)
            items.push_back(fmt::format("sessions of at most {} minutes", (changes.max_session_length->count() + 59) / 60));
        for (auto const& id : changes.excluded_zones) {
            auto const* zone = kb.find_zone(id);
            items.push_back(fmt::format("leave out: {}", zone ? kb::plain_name(*zone) : std::string_view(id)));
        }
        write_wrapped(out, fmt::format("\nYour sessions will use: {}.\n", fmt::join(items, "; ")));
    }
    if (!verdict.missing_answers.empty()) {
        write_wrapped(out, fmt::format("\nStill to answer before rolling:\n"));
        for (auto const& id : verdict.missing_answers) {
            auto const* question = kb.screening.find_question(id);
            write_wrapped(out, fmt::format("  - {} ({})\n", question ? question->text : id, id));
        }
    }
    write_wrapped(out, fmt::format("\n{}\n", term.paint(fmt::emphasis::faint,
        "rollcoach gives safety guidance, not a diagnosis. If you are worried about your symptoms, contact a doctor.")));
}

// Keeps the answers and the verdict in the journal through the coach, as the web server does.
// The verdict has already been shown: a journal problem is reported but never hides it or
// changes the status.
void save(AppContext const& context, kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, triage::Answers const& answers,
    kb::Verdict const& verdict)
{
    auto saved = [&]() -> Result<journal::RecordId> {
        auto journal = TRY(context.open_journal(journal::Purpose::Write));
        SystemClock clock;
        coach::Coach coach(kb, std::move(journal), clock);
        return coach.keep_answers(questionnaire, answers, verdict);
    }();
    if (!saved)
        fmt::print(stderr, "rollcoach: the answers were not saved to the journal ({}); the advice above still applies\n", saved.error().message);
}

// Starting the questions replaces the verdict on record at once, as the web's "Start the
// questions" does: the empty answers are stored, which triage judges incomplete (a stop tier). A
// screening abandoned part-way (Ctrl-C after "yes" to a history of cancer) then blocks the plan
// instead of leaving an older all-clear in force. A journal that cannot be written is said once;
// the questions go on (their answers will not be saved either, and the end says so again).
void replace_earlier_answers(AppContext const& context, kb::KnowledgeBase const& kb, Terminal const& term)
{
    auto kept = [&]() -> Result<journal::RecordId> {
        auto verdict = TRY(triage::evaluate(kb, kb::Questionnaire::Screening, triage::Answers {}));
        auto journal = TRY(context.open_journal(journal::Purpose::Write));
        SystemClock clock;
        coach::Coach coach(kb, std::move(journal), clock);
        return coach.keep_answers(kb::Questionnaire::Screening, triage::Answers {}, verdict);
    }();
    if (!kept) {
        fmt::print(stderr, "rollcoach: the journal could not be updated ({}); answering still tells you what to do\n", kept.error().message);
        return;
    }
    write_wrapped(term.out, "Starting replaces your earlier answers: until you finish, rollcoach will not plan a session.\n");
}

// The journal's view of the last session; no journal yet is no session.
Result<coach::CheckinContext> checkin_context_of(AppContext const& context, kb::KnowledgeBase const& kb)
{
    std::unique_ptr<journal::Journal> journal;
    if (auto opened = context.open_journal(journal::Purpose::Read))
        journal = std::move(*opened);
    else if (opened.error().code != ErrorCode::NotFound)
        return opened.error();
    SystemClock clock;
    coach::Coach coach(kb, std::move(journal), clock);
    return coach.checkin_context_now();
}

void run(AppContext const& context, int& exit_code, kb::Questionnaire questionnaire, QuestionnaireOptions const& options)
{
    auto kb = kb::load_knowledge_base(context.knowledge_dir());
    if (!kb) {
        exit_code = report(kb.error());
        return;
    }
    Terminal term { options.json ? stderr : stdout, context.color && isatty(options.json ? STDERR_FILENO : STDOUT_FILENO) != 0 };
    // The check-in counts the hours from the session the journal recorded (never asked).
    auto checkin = checkin_context_of(context, *kb);
    if (!checkin) {
        exit_code = report(checkin.error());
        return;
    }
    if (options.answers_file.empty() && !options.no_save && questionnaire == kb::Questionnaire::Screening)
        replace_earlier_answers(context, *kb, term);
    auto answers = options.answers_file.empty() ? ask(*kb, questionnaire, term, *checkin)
                                                : triage::load_answers_file(*kb, questionnaire, options.answers_file);
    if (!answers) {
        exit_code = report(answers.error());
        return;
    }
    if (questionnaire == kb::Questionnaire::Checkin)
        coach::fill_from_journal(*kb, *checkin, *answers);
    auto verdict = triage::evaluate(*kb, questionnaire, *answers);
    if (!verdict) {
        exit_code = report(verdict.error());
        return;
    }
    if (options.json) {
        fmt::print("{}\n", triage::verdict_to_json(*kb, questionnaire, *verdict).dump(2));
    } else {
        Terminal out_term { stdout, context.color && isatty(STDOUT_FILENO) != 0 };
        print_verdict(*kb, *verdict, out_term);
    }
    if (!options.no_save)
        save(context, *kb, questionnaire, *answers, *verdict);
    exit_code = exit_code_for(*verdict);
}

}

std::string tier_label(kb::Tier tier)
{
    switch (tier) {
    case kb::Tier::Proceed: return "you can roll";
    case kb::Tier::ProceedWithChanges: return "roll, with changes";
    case kb::Tier::ClinicianBeforeRolling: return "get checked before rolling";
    case kb::Tier::ClinicianSoon: return "see a doctor soon";
    case kb::Tier::ClinicianToday: return "see a doctor today";
    case kb::Tier::Emergency: return "EMERGENCY";
    }
    return "";
}

void add_questionnaire_command(CLI::App& app, AppContext& context, int& exit_code, kb::Questionnaire questionnaire,
    std::string const& name, std::string const& description)
{
    auto options = std::make_shared<QuestionnaireOptions>();
    auto* command = app.add_subcommand(name, description);
    command->add_option("--answers", options->answers_file,
        "Read the answers from a JSON file ({\"answers\": {\"question_id\": \"yes\" | \"no\" | choice | number | \"unknown\"}}) instead of asking");
    command->add_flag("--json", options->json, "Print the verdict as JSON (questions, if asked, go to stderr)");
    command->add_flag("--no-save", options->no_save, "Do not keep the answers and verdict in the journal");
    command->footer("Exit status: 0 proceed, 10 proceed with changes, 11 see a clinician before rolling, 12 see a clinician soon, "
                    "13 see a clinician today, 14 emergency, 15 answers missing, 3 invalid answers file. See docs/triage.md.");
    command->callback([&context, &exit_code, questionnaire, options] { run(context, exit_code, questionnaire, *options); });
}

void register_screen(CLI::App& app, AppContext& context, int& exit_code)
{
    add_questionnaire_command(app, context, exit_code, kb::Questionnaire::Screening, "screen",
        "Safety questions before rolling: red flags and reasons to change or postpone rolling");
}

}
