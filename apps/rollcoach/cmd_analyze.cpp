// rollcoach analyze: runs the motion analyser over a recorded landmark file (JSON Lines or
// binary frames) and prints a timeline of postures, contact levels, holds and findings.
#include "app_context.h"

#include "knowledge/motion_thresholds_loader.h"
#include "motion/analyzer.h"
#include "motion/frame_codec.h"

#include <cmath>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

namespace rc::app {

namespace {

struct AnalyzeArgs {
    std::string file;
    std::string exercise;
    double height { 0 };
    bool json { false };
};

struct Input {
    std::vector<motion::Frame> frames;
    std::vector<std::string> problems;
};

Result<Input> read_frames(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error::io(fmt::format("cannot open {}: check the path", path));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Input input;
    if (text.rfind("RCMF", 0) == 0) {
        std::span<std::uint8_t const> bytes(reinterpret_cast<std::uint8_t const*>(text.data()), text.size());
        std::size_t offset = 0;
        while (offset < bytes.size()) {
            auto decoded = motion::decode_binary_frame(bytes.subspan(offset));
            if (!decoded) {
                input.problems.push_back(fmt::format("{} (at byte {}); the rest of the file is skipped", decoded.error().message, offset));
                break;
            }
            input.frames.push_back(decoded->frame);
            offset += decoded->consumed;
        }
    } else {
        auto parsed = motion::parse_jsonl(text);
        input.frames = std::move(parsed.frames);
        input.problems = std::move(parsed.problems);
    }
    if (input.frames.empty()) {
        Error error = Error::invalid_data(fmt::format("{}: no usable landmark frames; expected JSON Lines like {{\"t\": 0.033, \"landmarks\": [[x, y, z, visibility], ...]}} or binary RCMF frames", path));
        error.details = input.problems;
        if (error.details.size() > 10)
            error.details.resize(10);
        return error;
    }
    return input;
}

double seconds(motion::Timestamp t) { return static_cast<double>(t.count()) / 1e6; }

int run_analyze(AnalyzeArgs const& args, std::filesystem::path const& knowledge_dir)
{
    auto input = read_frames(args.file);
    if (!input)
        return report(input.error());
    // The analyser's thresholds are data (motion.toml); a knowledge base without it keeps the defaults.
    motion::AnalyzerOptions options;
    if (std::filesystem::exists(knowledge_dir / "motion.toml")) {
        auto thresholds = kb::load_motion_thresholds(knowledge_dir);
        if (!thresholds)
            return report(thresholds.error());
        options.thresholds = std::move(*thresholds);
    }
    options.exercise = args.exercise;
    if (args.height > 0)
        options.body_height = Centimetres { args.height };
    auto analyzer = motion::Analyzer::create(options);
    if (!analyzer)
        return report(analyzer.error());

    nlohmann::json postures = nlohmann::json::array(), contacts = nlohmann::json::array(), holds = nlohmann::json::array(),
                   findings = nlohmann::json::array(), skipped = nlohmann::json::array();
    std::vector<std::string> lines;
    motion::Posture last_posture = motion::Posture::NotVisible;
    bool first = true;
    double next_contact = 0;
    bool was_holding = false;
    double hold_from = 0, hold_seconds = 0;
    for (auto const& frame : input->frames) {
        motion::FrameAnalysis a = analyzer->push(frame);
        double t = seconds(a.timestamp);
        if (a.status == motion::FrameStatus::Repeated || a.status == motion::FrameStatus::OutOfOrder) {
            skipped.push_back({ { "t", t }, { "reason", motion::to_string(a.status) } });
            lines.push_back(fmt::format("{:7.2f} s  skipped a frame: {}", t, a.status == motion::FrameStatus::Repeated ? "repeated timestamp" : "timestamp out of order"));
            continue;
        }
        if (a.status == motion::FrameStatus::AfterGap)
            lines.push_back(fmt::format("{:7.2f} s  gap of more than 2 s in the frames: smoothing restarted", t));
        if (first || a.posture != last_posture) {
            postures.push_back({ { "t", t }, { "posture", motion::to_string(a.posture) }, { "exercise", a.exercise } });
            lines.push_back(fmt::format("{:7.2f} s  posture {}{}", t, motion::to_string(a.posture), a.exercise.empty() ? "" : fmt::format(" ({})", a.exercise)));
            last_posture = a.posture;
            first = false;
        }
        if (a.contact_known && t >= next_contact) {
            contacts.push_back({ { "t", t }, { "cm", std::round(a.contact_cm * 10) / 10 }, { "level", a.level }, { "zone", motion::to_string(a.zone) }, { "speed_cm_s", std::round(a.speed_cm_s * 10) / 10 } });
            lines.push_back(fmt::format("{:7.2f} s  contact {:>6} {:5.1f} cm from C7 ({}), {:4.1f} cm/s", t, a.level, a.contact_cm, motion::to_string(a.zone), a.speed_cm_s));
            next_contact = std::floor(t) + 1.0;
        }
        if (a.holding)
            hold_seconds = a.hold_seconds, hold_from = t - a.hold_seconds;
        if (was_holding && !a.holding) {
            holds.push_back({ { "from", hold_from }, { "seconds", hold_seconds } });
            lines.push_back(fmt::format("{:7.2f} s  hold ended after {:.1f} s", t, hold_seconds));
        }
        was_holding = a.holding;
        for (auto const& f : a.findings) {
            findings.push_back(f);
            lines.push_back(fmt::format("{:7.2f} s  {} {}: {}", t, f.severity == motion::Severity::Warning ? "WARNING" : "note", motion::to_string(f.code), f.message));
        }
    }
    if (was_holding)
        holds.push_back({ { "from", hold_from }, { "seconds", hold_seconds } });

    if (args.json) {
        nlohmann::json out {
            { "file", args.file }, { "frames", input->frames.size() }, { "problems", input->problems },
            { "skipped", skipped }, { "postures", postures }, { "contact", contacts }, { "holds", holds }, { "findings", findings },
        };
        fmt::print("{}\n", out.dump(2));
        return ExitCode::Ok;
    }
    fmt::print("{}: {} frames{}\n", args.file, input->frames.size(), input->problems.empty() ? "" : fmt::format(", {} input problem(s)", input->problems.size()));
    for (std::size_t i = 0; i < input->problems.size() && i < 10; ++i)
        fmt::print("  input: {}\n", input->problems[i]);
    for (auto const& line : lines)
        fmt::print("{}\n", line);
    fmt::print("{} finding(s), {} hold(s).\n", findings.size(), holds.size());
    return ExitCode::Ok;
}

}

void register_analyze(CLI::App& app, AppContext& context, int& exit_code)
{
    auto args = std::make_shared<AnalyzeArgs>();
    auto* command = app.add_subcommand("analyze", "Analyse a landmark recording: postures, where the roller touches the back, holds and form findings");
    command->add_option("file", args->file, "Landmark frames: JSON Lines (.jsonl) or binary RCMF frames")->required();
    command->add_option("--exercise", args->exercise, "The exercise being done (default: recognised from the posture)");
    command->add_option("--height", args->height, "Your height in cm (sharpens the centimetre estimates)");
    command->add_flag("--json", args->json, "Print the timeline as JSON");
    command->callback([&exit_code, &context, args] { exit_code = run_analyze(*args, context.knowledge_dir()); });
}

}
