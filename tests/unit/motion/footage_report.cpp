// Prints the analyser's scores on one folder of rendered clips (tests/data/footage/<set>), for
// tuning on the tuning set and for the numbers docs/motion.md reports. Not a test.
//
//   motion_footage_report tests/data/footage/tuning lite [sightings] [key=value ...]
//   motion_footage_report /tmp/replay6 replay     (scores tools/footage/replay_page.mjs's output)
//   motion_footage_report /tmp/replay6 page [height=default]   (its page frames analysed again)
//   motion_footage_report tests/data/footage/heldout_sealed7 start-blind   (the ceiling without the start)
//
// height=default leaves the body height out, as the web app does (the analyser assumes 170 cm).
// rate=FPS analyses only the frames a page running at FPS frames a second would send.
// key=value overrides a motion threshold by its motion.toml name (numbers only), e.g.
// roller_lordosis_cm_per_fraction=0 or angle_evidence_rise_deg=0. dump=NAME prints that clip frame
// by frame instead (time, truth and estimated contact fraction, truth buttock height and the
// estimated clearance, findings).
#include "footage_evaluation.h"

#include "knowledge/motion_thresholds_loader.h"
#include "motion/analyzer.h"
#include "motion/frame_codec.h"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

using namespace rc::motion;

namespace {

std::string read_text(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

int dump_clip(std::string const& dir, std::string const& model, std::string const& name, rc::kb::MotionThresholds const& thresholds, RollerCue cue, bool give_height,
    double frame_rate)
{
    auto truth = nlohmann::json::parse(read_text(dir + "/" + name + ".truth.json"));
    double height_cm = truth["meta"]["body_height_m"].get<double>() * 100;
    auto parsed = parse_jsonl(read_text(dir + "/" + name + "." + model + ".jsonl"));
    if (cue != RollerCue::Ignored) {
        std::istringstream in(read_text(dir + "/" + name + ".roller.jsonl"));
        for (std::string line; std::getline(in, line);) {
            if (line.empty())
                continue;
            auto j = nlohmann::json::parse(line);
            for (Frame& f : parsed.frames)
                if (std::abs(static_cast<double>(f.timestamp.count()) / 1e6 - j["t"].get<double>()) < 1e-3 && j["roller"].is_array())
                    f.roller = RollerSighting { j["roller"][0].get<float>(), j["roller"][1].get<float>(), j["roller"][2].get<float>(),
                        j["roller"].size() > 3 ? j["roller"][3].get<float>() : 1.0f };
        }
    }
    std::optional<rc::Centimetres> height;
    if (give_height)
        height = rc::Centimetres { height_cm };
    auto analyzer = *Analyzer::create({ .exercise = "thoracic_roll", .body_height = height, .thresholds = thresholds });
    auto const& frames = truth["frames"];
    SightingCadence cadence(cue, thresholds.roller_look_interval_s);
    double last_kept = -1e18;
    for (Frame frame : parsed.frames) {
        double t = static_cast<double>(frame.timestamp.count()) / 1e6;
        if (frame_rate > 0 && t - last_kept < 1 / frame_rate - 0.01)
            continue;  // as evaluate_footage: a page managing frame_rate frames a second
        last_kept = t;
        if (!cadence.keep(t))
            frame.roller.reset();
        FrameAnalysis a = analyzer.push(frame);
        cadence.after(a.roller_start_learning);
        auto const* nearest = &frames[0];
        for (auto const& f : frames)
            if (std::abs(f["t"].get<double>() - t) < std::abs((*nearest)["t"].get<double>() - t))
                nearest = &f;
        std::string findings;
        for (auto const& f : a.findings)
            findings += " " + std::string(to_string(f.code));
        double c7_psis = a.contact_known ? a.contact_cm / a.contact_fraction : 1;
        std::cout << fmt::format("{:6.2f} truth {:5.3f} est {:5.3f} roller {} buttock {:4.1f} est {:4.1f} angle {:4.1f}{}\n", t,
            (*nearest)["contact_frac_c7_psis"].get<double>(), a.contact_known ? a.contact_fraction : -1,
            a.roller_seen ? fmt::format("{:5.3f}{}", a.roller_contact_cm / c7_psis, a.roller_used ? "u" : " ") : frame.roller ? "  --  " : "      ",
            (*nearest).value("buttock_height_cm", -1.0), a.hips_clearance_cm, a.trunk_angle_deg, findings);
    }
    return 0;
}

}

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: motion_footage_report DIR lite|full|page [sightings|sightings=page|sightings=page3|sightings=third] [height=default] [rate=FPS] [key=value ...]\n"
                     "       motion_footage_report DIR replay|start-blind\n";
        return 2;
    }
    if (std::string(argv[2]) == "replay") {
        std::cout << evaluate_replay(argv[1]).summary();
        return 0;
    }
    if (std::string(argv[2]) == "start-blind") {
        std::cout << evaluate_start_blind(argv[1]).summary();
        return 0;
    }
    rc::kb::MotionThresholds thresholds;
    RollerCue cue = RollerCue::Ignored;
    std::string dump;
    bool give_height = true;
    double frame_rate = 0;
    for (int i = 3; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.starts_with("rate=")) {
            frame_rate = std::strtod(arg.c_str() + 5, nullptr);
            continue;
        }
        if (arg == "sightings") {
            cue = RollerCue::Used;
            continue;
        }
        if (arg == "sightings=page" || arg == "sightings=page3" || arg == "sightings=third") {
            cue = arg == "sightings=page" ? RollerCue::Page : arg == "sightings=page3" ? RollerCue::PageEveryThird : RollerCue::Third;
            continue;
        }
        if (arg == "height=default") {
            give_height = false;
            continue;
        }
        if (arg.starts_with("dump=")) {
            dump = arg.substr(5);
            continue;
        }
        auto eq = arg.find('=');
        if (eq == std::string::npos) {
            std::cerr << "motion_footage_report: expected key=value, got " << arg << "\n";
            return 2;
        }
        std::string key = arg.substr(0, eq);
        double value = std::strtod(arg.c_str() + eq + 1, nullptr);
        if (auto set = rc::kb::set_motion_threshold(thresholds, key, value); !set) {
            std::cerr << "motion_footage_report: " << set.error().message << "\n";
            return 2;
        }
    }
    if (!dump.empty())
        return dump_clip(argv[1], argv[2], dump, thresholds, cue, give_height, frame_rate);
    std::cout << evaluate_footage(argv[1], argv[2], thresholds, cue, give_height, frame_rate).summary();
    return 0;
}
