// The shipped knowledge base (data/knowledge, screening included) for triage tests, loaded once
// with load_knowledge_base().
#pragma once

#include "knowledge/model.h"

#include <filesystem>

namespace rc::triage::testing {

std::filesystem::path source_dir();
std::filesystem::path screening_dir();
kb::KnowledgeBase const& shipped_kb();

}
