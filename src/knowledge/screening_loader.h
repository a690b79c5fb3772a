// Loading the screening questionnaire, the check-in and their rules from
// data/knowledge/screening/*.toml (questions.toml, rules.toml, in_session.toml; see the files
// for the schema). Called by load_knowledge_base(); kept apart so the screening data can grow
// without touching the rest of the loader.
#pragma once

#include "knowledge/model.h"
#include "knowledge/toml_reader.h"

#include <filesystem>

namespace rc::kb {

// Parses every file of the screening directory into `out`; each problem goes to diagnostics.
void load_screening(std::filesystem::path const& dir, Diagnostics& diagnostics, Screening& out);

// Cross-reference checks that need the whole knowledge base: every rule names existing
// questions, answer values that question can take, existing sources and zones; ids are unique;
// every in-session event has a rule.
void validate_screening(KnowledgeBase const& kb, std::filesystem::path const& dir, Diagnostics& diagnostics);

}
