#include "test_kb.h"

#include "knowledge/loader.h"

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
        return std::move(*loaded);
    }();
    return kb;
}

}
