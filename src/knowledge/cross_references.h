// The cross-references between knowledge-base files: an exercise's zones and tools, a routine's
// exercises, every cited source. The loader records each one with its place while it reads the
// files and checks them all once every file is read, so the order of the files does not matter;
// an undefined id is reported where it is named, with the closest defined id or the list of them.
//
//   std::vector<Reference> references;   // filled while reading
//   references.push_back({ RefKind::Zone, "upper_back", where, "exercise 'thoracic_roll'" });
//   check_references(references, kb, parsed, diagnostics);
#pragma once

#include "knowledge/model.h"
#include "knowledge/toml_reader.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rc::kb {

enum class RefKind { Source, Zone, Tool, Exercise };

// A reference to an id defined elsewhere, checked once every file is read.
struct Reference {
    RefKind kind;
    std::string id;
    Location where;
    std::string owner;   // "exercise 'thoracic_roll'"
};

// Whether a knowledge-base file ("zones.toml") was read and parsed.
using ParsedFile = std::function<bool(std::string_view name)>;

// Reports every reference to an id that `kb` does not define. A reference into a file that was
// not parsed is passed over: that file defines nothing, and its own error says why.
void check_references(std::vector<Reference> const& references, KnowledgeBase const& kb, ParsedFile const& parsed, Diagnostics& diagnostics);

}
