// Reading the [thresholds] table of data/knowledge/thresholds.toml into Thresholds (model.h): the
// pain, breathing, rest, soreness and goal numbers that plans and sessions use. Each number is
// range-checked, checked against the others (a target pain at or above the back-off, a breath
// that does not fit the rate) and must cite its sources. Called by load_knowledge_base().
#pragma once

#include "knowledge/model.h"
#include "knowledge/motion_thresholds_loader.h"
#include "knowledge/toml_reader.h"

namespace rc::kb {

// Reads `table` into `out`, whose current values are the defaults for absent keys; every problem
// is reported through the table. Each source id of [thresholds.sources] is handed to `cite`
// (the same callback motion.toml's reader takes) with its owner, "[thresholds.sources] <key>",
// so that the caller can check it against sources.toml.
void read_thresholds(TableReader& table, Thresholds& out, CiteSource const& cite);

}
