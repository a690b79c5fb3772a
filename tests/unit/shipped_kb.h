// The knowledge base rollcoach ships (data/knowledge), loaded once per test process; a broken
// one fails the test that asks for it with the loader's full message. Also a screening answered
// harmlessly from it, for tests that need an all-clear on record.
//
//   auto verdict = triage::evaluate(rc::test::shipped_kb(), answers);
//   coach.submit_screening(rc::test::harmless_screening({ { "cancer_history", "yes" } }).dump());
#pragma once

#include "knowledge/loader.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace rc::test {

inline kb::KnowledgeBase const& shipped_kb()
{
    static kb::KnowledgeBase const kb = [] {
        auto loaded = kb::load_knowledge_base(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge");
        if (!loaded)
            throw std::runtime_error(loaded.error().full_message());
        return std::move(*loaded);
    }();
    return kb;
}

// Every screening question answered harmlessly ("no", age 40, the first choice), then `changes`
// on top, as the body POST /api/screening and Coach::submit_screening take.
inline nlohmann::json harmless_screening(nlohmann::json const& changes = nlohmann::json::object())
{
    nlohmann::json answers = nlohmann::json::object();
    for (auto const* q : shipped_kb().screening.questions_of(kb::Questionnaire::Screening)) {
        if (q->type == kb::AnswerType::YesNo)
            answers[q->id] = "no";
        else if (q->type == kb::AnswerType::Number)
            answers[q->id] = 40;
        else
            answers[q->id] = q->choices.front().id;
    }
    if (changes.is_object())
        answers.update(changes);
    return nlohmann::json { { "answers", answers } };
}

}
