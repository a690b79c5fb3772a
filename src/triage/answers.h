// Answers to the screening questionnaire or the next-day check-in, as the engine reads them.
//
// An answer is "yes"/"no" (yes/no questions), a choice id (choice questions), a number (number
// questions), or Unknown ("not sure", or deliberately skipped). A question with no entry at all
// is treated exactly like Unknown. The JSON form, used by `rollcoach screen --answers`, the web
// server and the tests:
//
//   { "answers": { "saddle_numbness": "no", "age": 42, "checkin_kind": "dull_ache",
//                  "pregnant": "unknown" } }
//
//   auto answers = parse_answers(kb, Questionnaire::Screening, json, "answers.json");
//   if (!answers) return answers.error();   // "answers.json: 'agee' is not a screening question
//                                           //  (did you mean 'age'?)"
#pragma once

#include "common/result.h"
#include "knowledge/model.h"

#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace rc::triage {

struct Unknown {
    bool operator==(Unknown const&) const = default;
};

// "yes" / "no" / a choice id, a number, or Unknown.
using Answer = std::variant<Unknown, std::string, double>;

// Question id -> answer. Ordered so that output (JSON, the journal) is stable.
using Answers = std::map<std::string, Answer, std::less<>>;

// Checks every answer against its question: the id exists and belongs to `questionnaire`, the
// value has the question's type, a choice is one of its ids, a number is in range. Reports every
// problem at once (Error::details), each naming `origin` (a file name, or "answers").
Result<void> validate_answers(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, Answers const& answers,
    std::string_view origin = "answers");

// Parses { "answers": { ... } } (an optional "questionnaire": "screening" | "checkin" must
// match) and validates it. A JSON boolean is accepted for a yes/no question.
Result<Answers> parse_answers(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, nlohmann::json const& json,
    std::string_view origin = "answers");

// Reads a file with the shape above. Syntax errors, a question answered twice, unknown ids and
// invalid values are all reported as InvalidData errors naming the file.
Result<Answers> load_answers_file(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, std::filesystem::path const& file);

// Parses JSON text (for the web server: the body of a POST).
Result<Answers> parse_answers_text(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, std::string_view text,
    std::string_view origin = "answers");

// { "questionnaire": "...", "answers": { ... } } ("unknown" for Unknown).
nlohmann::json answers_to_json(kb::Questionnaire questionnaire, Answers const& answers);

// Reads one typed-in answer to a question, as a person would write it: "y", "Yes", "no",
// "2" or "dull_ache" for a choice, "42" for a number, "not sure" / "unknown" / "skip" for
// Unknown. Returns an InvalidArgument error whose message says what is accepted.
Result<Answer> parse_typed_answer(kb::Question const& question, std::string_view text);

// "yes", "dull_ache", "42", "unknown": for messages and the terminal.
std::string to_string(Answer const& answer);

}
