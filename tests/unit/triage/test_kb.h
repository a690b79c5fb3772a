// The shipped knowledge base for triage tests, loaded once. Uses load_knowledge_base(); until
// that loader reads the screening directory itself, the screening part is added here with the
// same functions it will call (load_screening + validate_screening).
#pragma once

#include "knowledge/model.h"

#include <filesystem>

namespace rc::triage::testing {

std::filesystem::path source_dir();
std::filesystem::path screening_dir();
kb::KnowledgeBase const& shipped_kb();

}
