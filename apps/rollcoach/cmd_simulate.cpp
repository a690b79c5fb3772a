// rollcoach simulate: landmark frames of a simulated body doing one exercise, with chosen
// mistakes and per-frame ground truth, for trying and testing the analyser.
#include "app_context.h"

#include "motion/body_simulator.h"
#include "motion/frame_codec.h"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct SimulateArgs {
    std::string exercise;
    std::string mistakes;
    std::uint64_t seed { 1 };
    std::string realism { "article" };
    double duration { 60 };
    int roller_every { 0 };
    std::string out;
    std::string truth;
    std::string format { "jsonl" };
};

int run_simulate(SimulateArgs const& args)
{
    auto mistakes = motion::parse_mistakes(args.mistakes);
    if (!mistakes)
        return report(mistakes.error());
    auto sim = motion::simulate({ .exercise = args.exercise, .mistakes = *mistakes, .seed = args.seed, .duration_s = args.duration,
        .realism = args.realism == "widened" ? motion::Realism::Widened : motion::Realism::Article, .roller_every = args.roller_every });
    if (!sim)
        return report(sim.error());

    std::ofstream out(args.out, std::ios::binary);
    if (!out)
        return report(Error::io(fmt::format("cannot write {}: check the folder exists and is writable", args.out)));
    std::vector<std::uint8_t> bytes;
    for (auto const& f : sim->frames) {
        if (args.format == "binary") {
            bytes.clear();
            motion::encode_binary_frame(f.frame, bytes);
            out.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        } else {
            out << motion::format_frame_json(f.frame) << '\n';
        }
    }
    if (!out)
        return report(Error::io(fmt::format("writing {} failed (disk full?)", args.out)));

    if (!args.truth.empty()) {
        std::ofstream truth(args.truth);
        if (!truth)
            return report(Error::io(fmt::format("cannot write {}: check the folder exists and is writable", args.truth)));
        for (auto const& f : sim->frames) {
            nlohmann::json line = f.truth;
            line["t"] = static_cast<double>(f.frame.timestamp.count()) / 1e6;
            truth << line.dump() << '\n';
        }
    }
    auto const& s = sim->subject;
    fmt::print("Wrote {} frames ({} s of {}) to {}: {} cm {}, camera {:.1f} m away, {:.0f} cm high, tilted {:.1f} deg, facing {}, {:.0f} fps, noise {:.1f} cm.\n",
        sim->frames.size(), args.duration, args.exercise, args.out, static_cast<int>(s.height_cm), s.sex == motion::Sex::Male ? "male" : "female",
        s.camera_distance_m, s.camera_height_cm, s.camera_tilt_deg, s.facing_right ? "right" : "left", s.fps, s.noise_cm);
    return ExitCode::Ok;
}

}

void register_simulate(CLI::App& app, AppContext&, int& exit_code)
{
    auto args = std::make_shared<SimulateArgs>();
    auto* command = app.add_subcommand("simulate", "Write landmark frames of a simulated body doing an exercise (with optional mistakes and ground truth)");
    command->add_option("--exercise", args->exercise, fmt::format("one of: {}", fmt::join(rc::motion::motion_exercises, ", ")))->required();
    command->add_option("--mistakes", args->mistakes, "Comma-separated: lumbar, neck, fast, hands, hips, long, framing");
    command->add_option("--seed", args->seed, "Random seed: the same seed gives the same frames")->capture_default_str();
    command->add_option("--duration", args->duration, "Seconds to simulate")->capture_default_str();
    command->add_option("--realism", args->realism, "article (the analyser's assumptions) or widened (start 0.36-0.50, slipping rollers, re-planted feet, camera to 60 cm, 10-30 fps, left/right swaps)")->check(CLI::IsMember({ "article", "widened" }))->capture_default_str();
    command->add_option("--roller-every", args->roller_every, "Add a roller sighting (as the page's finder sends, with its errors) on every Nth frame of a back roll; 0 for none")->check(CLI::Range(0, 1000))->capture_default_str();
    command->add_option("--out", args->out, "Landmark file to write")->required();
    command->add_option("--truth", args->truth, "Also write the ground truth, one JSON line per frame");
    command->add_option("--format", args->format, "jsonl or binary (the streaming frame format)")->check(CLI::IsMember({ "jsonl", "binary" }))->capture_default_str();
    command->callback([&exit_code, args] { exit_code = run_simulate(*args); });
}

}
