#include "test_kb.h"

#include "knowledge/loader.h"
#include "knowledge/screening_loader.h"

#include <gtest/gtest.h>
#include <stdexcept>

namespace rc::triage::testing {

std::filesystem::path source_dir() { return ROLLCOACH_SOURCE_DIR; }
std::filesystem::path screening_dir() { return source_dir() / "data" / "knowledge" / "screening"; }

kb::KnowledgeBase const& shipped_kb()
{
    static kb::KnowledgeBase const kb = [] {
        auto loaded = kb::load_knowledge_base(source_dir() / "data" / "knowledge");
        if (!loaded)
            throw std::runtime_error(loaded.error().full_message());
        kb::KnowledgeBase out = std::move(*loaded);
        if (out.screening.questions.empty()) {
            kb::Diagnostics diagnostics;
            kb::load_screening(screening_dir(), diagnostics, out.screening);
            kb::validate_screening(out, screening_dir(), diagnostics);
            if (!diagnostics.empty())
                throw std::runtime_error(diagnostics.to_error("screening data invalid").full_message());
        }
        return out;
    }();
    return kb;
}

}
