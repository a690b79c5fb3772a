// Text helpers the journal's export writers share (exports.cpp, fhir_export.cpp). Internal to
// src/journal.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace rc::journal {

// A value dumped as nlohmann's dump(2) would print it `depth` levels down in a larger document.
// JSON strings hold no raw newline, so every newline in the text is a line break to indent.
std::string indented(nlohmann::json const& value, int depth);

}
