// Reading data/knowledge/motion.toml into MotionThresholds (see motion_thresholds.h).
#pragma once

#include "common/result.h"
#include "knowledge/motion_thresholds.h"
#include "knowledge/toml_reader.h"

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace rc::kb {

// Reads the [motion] table of a parsed motion.toml into `out`, reporting every problem to
// `diagnostics`. Each cited source id is handed to `cite` (id with its place, and the owner for
// messages) so that the caller can check it against sources.toml.
using CiteSource = std::function<void(LocatedString const& id, std::string owner)>;
void read_motion_thresholds(toml::table const& document, std::filesystem::path const& file, Diagnostics& diagnostics,
    MotionThresholds& out, CiteSource const& cite);

// Sets one threshold by its motion.toml key ("hips_drop_cm", "lumbar_lasts_seconds") within the
// bounds the loader enforces, from the same table the loader reads: for the tools that sweep a
// threshold (tests/unit/motion/footage_report.cpp). InvalidData names an unknown key or the range.
Result<void> set_motion_threshold(MotionThresholds& thresholds, std::string_view key, double value);

// Reads dir/motion.toml alone (sources checked against dir/sources.toml).
Result<MotionThresholds> load_motion_thresholds(std::filesystem::path const& dir);

}
