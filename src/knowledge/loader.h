// Loading and validating the knowledge base.
//
//   Result<KnowledgeBase> kb = load_knowledge_base("data/knowledge");
//   if (!kb) { report(kb.error()); }   // every problem found, each as file:line:column + a fix
//
// The loader refuses the whole directory if any file has a TOML syntax error, an unknown key,
// a missing required field, a wrong type, an out-of-range number, a reference to an undefined
// zone/tool/source/question, a duplicate id, or an exercise that targets a no-go zone. It
// reports all errors found, not only the first (Error::details holds one line per problem).
#pragma once

#include "common/result.h"
#include "knowledge/model.h"

#include <filesystem>
#include <map>
#include <string>

namespace rc::kb {

Result<KnowledgeBase> load_knowledge_base(std::filesystem::path const& dir);

// File name ("zones.toml") -> file text, for tests and the fuzzer.
using KnowledgeTexts = std::map<std::string, std::string, std::less<>>;

// Loads the eight core files (sources, zones, tools, exercises, rules, thresholds, routines and
// motion) from memory with the same checks as load_knowledge_base(), except the screening
// questionnaire (which is read from its directory) and the unknown-file check.
Result<KnowledgeBase> load_knowledge_texts(KnowledgeTexts const& texts);

}
