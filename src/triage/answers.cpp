#include "triage/answers.h"

#include "knowledge/toml_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

namespace rc::triage {

namespace {

using kb::AnswerType;
using kb::Question;
using kb::Questionnaire;

std::string lowercase_trimmed(std::string_view text)
{
    auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos)
        return {};
    auto end = text.find_last_not_of(" \t\r\n");
    std::string out(text.substr(begin, end - begin + 1));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string format_number(double value)
{
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return fmt::format("{}", static_cast<long long>(value));
    return fmt::format("{}", value);
}

std::vector<std::string> choice_ids(Question const& question)
{
    std::vector<std::string> ids;
    for (auto const& choice : question.choices)
        ids.push_back(choice.id);
    return ids;
}

// What a question accepts, for error messages.
std::string accepted(Question const& question)
{
    switch (question.type) {
    case AnswerType::YesNo:
        return "\"yes\", \"no\" or \"unknown\"";
    case AnswerType::Choice:
        return fmt::format("one of \"{}\" or \"unknown\"", fmt::join(choice_ids(question), "\", \""));
    case AnswerType::Number:
        return fmt::format("a number from {} to {}, or \"unknown\"", format_number(question.min.value_or(0)), format_number(question.max.value_or(0)));
    }
    return "\"unknown\"";
}

// The problem with one answer, or nothing when it is valid.
std::optional<std::string> check_answer(Question const& question, Answer const& answer)
{
    if (std::holds_alternative<Unknown>(answer))
        return std::nullopt;
    if (auto const* number = std::get_if<double>(&answer)) {
        if (question.type != AnswerType::Number)
            return fmt::format("'{}' must be {}, not the number {}", question.id, accepted(question), format_number(*number));
        if (!std::isfinite(*number) || *number < *question.min || *number > *question.max)
            return fmt::format("'{}' is {}, outside the range {} to {}", question.id, format_number(*number),
                format_number(*question.min), format_number(*question.max));
        return std::nullopt;
    }
    auto const& word = std::get<std::string>(answer);
    if (question.type == AnswerType::Number)
        return fmt::format("'{}' must be {}, not \"{}\" (write numbers without quotes)", question.id, accepted(question), word);
    if (question.type == AnswerType::YesNo && (word == "yes" || word == "no"))
        return std::nullopt;
    if (question.type == AnswerType::Choice && question.find_choice(word))
        return std::nullopt;
    std::vector<std::string> allowed = question.type == AnswerType::YesNo ? std::vector<std::string> { "yes", "no" } : choice_ids(question);
    auto hint = kb::closest_match(word, allowed);
    return fmt::format("'{}' cannot be answered \"{}\"{}: use {}", question.id, word,
        hint ? fmt::format(" (did you mean \"{}\"?)", *hint) : std::string(), accepted(question));
}

Error invalid(std::string_view origin, std::vector<std::string> problems)
{
    auto error = Error::invalid_data(problems.size() == 1
            ? fmt::format("{}: {}", origin, problems.front())
            : fmt::format("{}: {} problems with the answers", origin, problems.size()));
    if (problems.size() > 1)
        error.details = std::move(problems);
    return error;
}

}

Result<void> validate_answers(kb::KnowledgeBase const& kb, Questionnaire questionnaire, Answers const& answers, std::string_view origin)
{
    std::vector<std::string> ids;
    for (auto const* question : kb.screening.questions_of(questionnaire))
        ids.push_back(question->id);
    std::vector<std::string> problems;
    for (auto const& [id, answer] : answers) {
        auto const* question = kb.screening.find_question(id);
        if (question && question->questionnaire != questionnaire) {
            problems.push_back(fmt::format("'{}' is a question of the {}, not of the {}", id, kb::to_string(question->questionnaire),
                kb::to_string(questionnaire)));
            continue;
        }
        if (!question) {
            auto hint = kb::closest_match(id, ids);
            problems.push_back(fmt::format("'{}' is not a {} question{}", id, kb::to_string(questionnaire),
                hint ? fmt::format(" (did you mean '{}'?)", *hint) : std::string(" (remove it, or check the spelling against the question list)")));
            continue;
        }
        if (auto problem = check_answer(*question, answer))
            problems.push_back(std::move(*problem));
    }
    if (!problems.empty())
        return invalid(origin, std::move(problems));
    return {};
}

Result<Answers> parse_answers(kb::KnowledgeBase const& kb, Questionnaire questionnaire, nlohmann::json const& json, std::string_view origin)
{
    if (!json.is_object())
        return invalid(origin, { "must be a JSON object like {\"answers\": {\"question_id\": \"yes\"}}" });
    std::vector<std::string> problems;
    for (auto const& [key, value] : json.items()) {
        if (key == "answers")
            continue;
        if (key == "questionnaire") {
            if (!value.is_string() || value.get<std::string>() != kb::to_string(questionnaire))
                problems.push_back(fmt::format("\"questionnaire\" must be \"{}\" here", kb::to_string(questionnaire)));
            continue;
        }
        problems.push_back(fmt::format("unknown field \"{}\" (only \"answers\" and \"questionnaire\" are allowed)", key));
    }
    auto found = json.find("answers");
    if (found == json.end() || !found->is_object()) {
        problems.push_back("needs an \"answers\" object, like {\"answers\": {\"question_id\": \"yes\"}}");
        return invalid(origin, std::move(problems));
    }
    Answers answers;
    for (auto const& [id, value] : found->items()) {
        if (value.is_string()) {
            auto const& text = value.get_ref<std::string const&>();
            if (text == "unknown")
                answers.emplace(id, Unknown {});
            else
                answers.emplace(id, text);
        } else if (value.is_boolean()) {
            answers.emplace(id, std::string(value.get<bool>() ? "yes" : "no"));
        } else if (value.is_number()) {
            answers.emplace(id, value.get<double>());
        } else {
            problems.push_back(fmt::format("'{}' has a {} value; use \"yes\", \"no\", a choice id, a number or \"unknown\"", id, value.type_name()));
        }
    }
    if (auto valid = validate_answers(kb, questionnaire, answers, origin); !valid) {
        auto const& error = valid.error();
        if (error.details.empty())
            problems.push_back(error.message.substr(origin.size() + 2));
        else
            problems.insert(problems.end(), error.details.begin(), error.details.end());
    }
    if (!problems.empty())
        return invalid(origin, std::move(problems));
    return answers;
}

Result<Answers> parse_answers_text(kb::KnowledgeBase const& kb, Questionnaire questionnaire, std::string_view text, std::string_view origin)
{
    // A key given twice is two contradicting answers; the JSON library would silently keep
    // the last, so the parser callback watches for it.
    std::vector<std::set<std::string>> open_objects;
    std::vector<std::string> duplicates;
    auto watch = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start)
            open_objects.emplace_back();
        else if (event == Event::object_end && !open_objects.empty())
            open_objects.pop_back();
        else if (event == Event::key && !open_objects.empty() && !open_objects.back().insert(parsed.get<std::string>()).second)
            duplicates.push_back(parsed.get<std::string>());
        return true;
    };
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text.begin(), text.end(), watch);
    } catch (nlohmann::json::parse_error const& error) {
        return invalid(origin, { fmt::format("is not valid JSON (at byte {}); expected {{\"answers\": {{\"question_id\": \"yes\"}}}}", error.byte) });
    } catch (nlohmann::json::exception const&) {
        // nlohmann's only other parse failure: a number beyond a double's range (1e400).
        return invalid(origin, { "holds a number too large to read; answer numbers in their usual range (an age in years, a rating 0-10)" });
    }
    if (!duplicates.empty()) {
        std::vector<std::string> problems;
        for (auto const& id : duplicates)
            problems.push_back(fmt::format("'{}' is answered more than once; keep one answer", id));
        return invalid(origin, std::move(problems));
    }
    return parse_answers(kb, questionnaire, json, origin);
}

Result<Answers> load_answers_file(kb::KnowledgeBase const& kb, Questionnaire questionnaire, std::filesystem::path const& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return Error::invalid_data(fmt::format("{}: cannot read the answers file (check that it exists and is readable)", file.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_answers_text(kb, questionnaire, text.str(), file.string());
}

nlohmann::json answers_to_json(Questionnaire questionnaire, Answers const& answers)
{
    auto out = nlohmann::json::object();
    for (auto const& [id, answer] : answers) {
        if (auto const* number = std::get_if<double>(&answer))
            out[id] = *number;
        else if (auto const* word = std::get_if<std::string>(&answer))
            out[id] = *word;
        else
            out[id] = "unknown";
    }
    return { { "questionnaire", kb::to_string(questionnaire) }, { "answers", std::move(out) } };
}

Result<Answer> parse_typed_answer(Question const& question, std::string_view text)
{
    auto word = lowercase_trimmed(text);
    if (word == "unknown" || word == "not sure" || word == "don't know" || word == "dont know" || word == "skip")
        return Answer { Unknown {} };
    switch (question.type) {
    case AnswerType::YesNo:
        if (word == "y" || word == "yes")
            return Answer { std::string("yes") };
        if (word == "n" || word == "no")
            return Answer { std::string("no") };
        return Error::invalid_argument("Please answer yes or no (or \"not sure\"; ? explains why we ask).");
    case AnswerType::Choice: {
        int index = 0;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), index);
        if (ec == std::errc {} && end == word.data() + word.size() && index >= 1 && static_cast<std::size_t>(index) <= question.choices.size())
            return Answer { question.choices[static_cast<std::size_t>(index - 1)].id };
        if (question.find_choice(word))
            return Answer { word };
        return Error::invalid_argument(fmt::format("Please type a number from 1 to {} (or \"not sure\"; ? explains why we ask).", question.choices.size()));
    }
    case AnswerType::Number: {
        double value = 0;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
        if (ec == std::errc {} && end == word.data() + word.size() && std::isfinite(value) && value >= *question.min && value <= *question.max)
            return Answer { value };
        return Error::invalid_argument(fmt::format("Please type a number from {} to {} (or \"not sure\"; ? explains why we ask).",
            format_number(*question.min), format_number(*question.max)));
    }
    }
    return Error::internal("unknown answer type");
}

std::string to_string(Answer const& answer)
{
    if (auto const* number = std::get_if<double>(&answer))
        return format_number(*number);
    if (auto const* word = std::get_if<std::string>(&answer))
        return *word;
    return "unknown";
}

}
