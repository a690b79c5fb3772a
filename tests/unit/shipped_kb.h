// The knowledge base rollcoach ships (data/knowledge), loaded once per test process; a broken
// one fails the test that asks for it with the loader's full message.
//
//   auto verdict = triage::evaluate(rc::test::shipped_kb(), answers);
#pragma once

#include "knowledge/loader.h"

#include <filesystem>
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

}
