#include "footage_evaluation.h"

#include "motion/analyzer.h"
#include "motion/finding_gate.h"
#include "motion/frame_codec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace rc::motion {

namespace {

namespace fs = std::filesystem;

constexpr double latency_target_s = 0.7;
constexpr double near_episode_s = 1.0;

struct TruthFrame {
    double t { 0 };
    double fraction { 0 };
    bool hands_off { false };
    double speed_cm_s { 0 };
    double buttock_cm { 10 };
};

struct Episode {
    double start { 0 };
    double end { 0 };
};

std::string read_text(fs::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(q * static_cast<double>(values.size())))];
}

std::vector<Episode> episodes_where(std::vector<TruthFrame> const& truth, auto inside)
{
    std::vector<Episode> out;
    for (auto const& f : truth) {
        if (!inside(f.fraction))
            continue;
        if (!out.empty() && f.t - out.back().end < 0.5)
            out.back().end = f.t;
        else
            out.push_back({ f.t, f.t });
    }
    return out;
}

double seconds(Timestamp t) { return static_cast<double>(t.count()) / 1e6; }

// Episodes of the truth frames where `inside` holds that last at least `lasts` seconds (frames
// less than 0.2 s apart join), as a check with that debounce needs them.
std::vector<Episode> lasting_episodes(std::vector<TruthFrame> const& truth, auto inside, double lasts)
{
    std::vector<Episode> out;
    for (auto const& f : truth) {
        if (!inside(f))
            continue;
        if (!out.empty() && f.t - out.back().end < 0.2)
            out.back().end = f.t;
        else
            out.push_back({ f.t, f.t });
    }
    std::erase_if(out, [&](Episode const& e) { return e.end - e.start < lasts; });
    return out;
}

// A warning counts for an episode from 0.5 s before it to near_episode_s after it; the others
// are false. Adds the episodes, those warned and the false warnings to the three counters.
void score_warnings(std::vector<Episode> const& episodes, std::vector<double> const& warnings, int& count, int& warned, int& false_warnings)
{
    auto near = [](Episode const& e, double w) { return w >= e.start - 0.5 && w <= e.end + near_episode_s; };
    for (auto const& e : episodes) {
        ++count;
        warned += std::any_of(warnings.begin(), warnings.end(), [&](double w) { return near(e, w); });
    }
    false_warnings += static_cast<int>(std::count_if(warnings.begin(), warnings.end(), [&](double w) {
        return std::none_of(episodes.begin(), episodes.end(), [&](Episode const& e) { return near(e, w); });
    }));
}

}

std::string FootageReport::summary() const
{
    std::string out;
    for (auto const& c : clips)
        out += fmt::format("  {:<16} contact median {:5.2f} cm over {}/{} frames ({} roller sightings); lumbar {}/{} in time ({} late), warnings {} ({} true); neck warnings {} ({} true); recognised {:.1f}%; hands off {}/{} warned, {} false head warnings; fast passes {}/{} warned, {} false; hips down {}/{} warned, {} false\n",
            c.name, c.contact_median_error_cm, c.frames_with_contact, c.frames, c.roller_sightings, c.lumbar_detected, c.lumbar_episodes, c.lumbar_warned_late,
            c.lumbar_warnings, c.lumbar_true_warnings, c.neck_warnings, c.neck_true_warnings, 100 * c.recognised_share, c.hands_off_warned, c.hands_off_episodes, c.head_warnings_false,
            c.fast_warned, c.fast_episodes, c.fast_warnings_false, c.hips_warned, c.hips_episodes, c.hips_warnings_false);
    out += fmt::format("contact level: median error {:.2f} cm, p90 {:.2f} cm\n"
                       "lumbar warning: recall {:.2f} ({}/{} within {} s of crossing L1, {} more later in the drift, median latency {:.2f} s), precision {:.2f}\n"
                       "false lumbar/neck warnings: {}; clean clips without one: {}/{}\n"
                       "recognition: {}\n"
                       "too fast: {}/{} fast passes warned, {} false warnings\n"
                       "hips down: {}/{} episodes warned, {} false warnings\n",
        contact_median_error_cm, contact_p90_error_cm, lumbar_recall, lumbar_detected, lumbar_episodes, latency_target_s, lumbar_warned_late, lumbar_median_latency_s,
        lumbar_precision, false_lumbar_or_neck_warnings, clean_clips_without_false_warning, clean_clips,
        recognition_measured ? fmt::format("{:.1f}% of frames", 100 * recognition_rate) : std::string("not measured"),
        fast_warned, fast_episodes, fast_warnings_false, hips_warned, hips_episodes, hips_warnings_false);
    return out;
}

namespace {

// NAME.roller.jsonl: {"t": seconds, "roller": [x, y, r] or [x, y, r, confidence] | null} per
// frame the finder saw (no confidence = 1, as in a JSON frame).
std::vector<std::pair<double, std::optional<RollerSighting>>> read_sightings(fs::path const& path)
{
    std::vector<std::pair<double, std::optional<RollerSighting>>> out;
    std::istringstream in(read_text(path));
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        auto j = nlohmann::json::parse(line);
        std::optional<RollerSighting> seen;
        if (j["roller"].is_array())
            seen = RollerSighting { j["roller"][0].get<float>(), j["roller"][1].get<float>(), j["roller"][2].get<float>(),
                j["roller"].size() > 3 ? j["roller"][3].get<float>() : 1.0f };
        out.emplace_back(j["t"].get<double>(), seen);
    }
    return out;
}

// One clip's truth (NAME.truth.json).
struct ClipTruth {
    double height_cm { 0 };
    double c7_psis_cm { 0 };
    std::vector<TruthFrame> frames;
    double start_fraction { 0 };  // where the roller was at the clip's still start (meta.start_fraction)
};

ClipTruth read_truth(fs::path const& path)
{
    auto json = nlohmann::json::parse(read_text(path));
    ClipTruth truth { json["meta"]["body_height_m"].get<double>() * 100, json["meta"]["c7_psis_m"].get<double>() * 100, {} };
    for (auto const& f : json["frames"])
        truth.frames.push_back({ f["t"].get<double>(), f["contact_frac_c7_psis"].get<double>(), f.value("hands", "behind_head") == "off_head", f.value("speed_cm_s", 0.0), f.value("buttock_height_cm", 10.0) });
    truth.start_fraction = json["meta"].value("start_fraction", truth.frames.empty() ? 0.0 : truth.frames.front().fraction);
    return truth;
}

// What the analyser said about one clip, however it was run: the contact it gave on each frame
// that had one and when each kind of warning came (seconds on the clip's clock).
struct ClipOutput {
    int frames { 0 };
    int roller_sightings { 0 };
    std::size_t recognised { 0 };
    std::vector<std::pair<double, double>> contact;  // (t, fraction of C7-PSIS)
    std::vector<double> lumbar, neck, head, fast, hips;

    void add(double t, FindingCode code)
    {
        if (code == FindingCode::LumbarContact)
            lumbar.push_back(t);
        if (code == FindingCode::NearNeck)
            neck.push_back(t);
        if (code == FindingCode::HeadUnsupported)
            head.push_back(t);
        if (code == FindingCode::TooFast)
            fast.push_back(t);
        if (code == FindingCode::HipsDown)
            hips.push_back(t);
    }
};

// The analyser run here on the clip's landmarks (and sightings, as `roller` says), with the exercise
// and the body height given.
ClipOutput run_analyser(ClipTruth const& truth, JsonlParse parsed, std::optional<fs::path> const& sightings, kb::MotionThresholds const& thresholds, RollerCue roller,
    bool give_height, double frame_rate)
{
    ClipOutput out;
    if (sightings && roller != RollerCue::Ignored) {
        for (auto const& [at, seen] : read_sightings(*sightings)) {
            auto frame = std::find_if(parsed.frames.begin(), parsed.frames.end(), [&](Frame const& f) { return std::abs(seconds(f.timestamp) - at) < 1e-3; });
            if (frame != parsed.frames.end() && seen)
                frame->roller = seen;
        }
    }
    std::optional<Centimetres> height;
    if (give_height)
        height = Centimetres { truth.height_cm };
    auto analyzer = *Analyzer::create({ .exercise = "thoracic_roll", .body_height = height, .thresholds = thresholds });
    auto recogniser = *Analyzer::create({ .exercise = "", .body_height = height, .thresholds = thresholds });
    SightingCadence cadence(roller, thresholds.roller_look_interval_s);
    double last_kept = -1e18;
    for (std::size_t i = 0; i < parsed.frames.size(); ++i) {
        Frame frame = parsed.frames[i];
        // A page that manages frame_rate frames a second analyses the newest picture when it is
        // ready for one, and the frames in between never reach the server.
        if (frame_rate > 0 && seconds(frame.timestamp) - last_kept < 1 / frame_rate - 0.01)
            continue;
        last_kept = seconds(frame.timestamp);
        if (!cadence.keep(seconds(frame.timestamp)))
            frame.roller.reset();
        out.roller_sightings += frame.roller.has_value();
        FrameAnalysis a = analyzer.push(frame);
        cadence.after(a.roller_start_learning);
        out.recognised += recogniser.push(frame).posture == Posture::SupineOnRoller;
        ++out.frames;
        for (auto const& finding : a.findings)
            out.add(seconds(finding.at), finding.code);
        if (a.contact_known)
            out.contact.emplace_back(seconds(frame.timestamp), a.contact_fraction);
    }
    return out;
}

// NAME.replay.jsonl from tools/footage/replay_page.mjs: what the server told the page, one line per
// "motion" message, on the clip's clock. A message names its findings by code.
ClipOutput read_replay(fs::path const& path)
{
    ClipOutput out;
    std::istringstream in(read_text(path));
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        auto j = nlohmann::json::parse(line);
        double t = j.at("t").get<double>();
        ++out.frames;
        out.roller_sightings += j.value("sighting", false);
        if (j.value("contact_known", false) && j["fraction"].is_number())
            out.contact.emplace_back(t, j["fraction"].get<double>());
        for (auto const& code : j.at("findings"))
            for (int c = 0; c < finding_code_count; ++c)
                if (to_string(static_cast<FindingCode>(c)) == code.get<std::string>())
                    out.add(t, static_cast<FindingCode>(c));
    }
    return out;
}

// Scores one clip's output against its truth into `report` (and the totals kept beside it).
struct Totals {
    std::vector<double> errors, latencies;
    int lumbar_warnings { 0 }, lumbar_true { 0 };
    std::size_t frames { 0 }, recognised { 0 };
};

void score_clip(std::string name, ClipTruth const& truth_clip, ClipOutput const& output, kb::MotionThresholds const& thresholds, FootageReport& report, Totals& totals)
{
    auto const& truth = truth_clip.frames;
    ClipScore clip { .name = std::move(name) };
    clip.frames = output.frames;
    clip.roller_sightings = output.roller_sightings;
    clip.recognised_share = clip.frames ? static_cast<double>(output.recognised) / clip.frames : 0;
    totals.frames += static_cast<std::size_t>(clip.frames);
    totals.recognised += output.recognised;
    std::vector<double> clip_errors;
    double end_of_clip = truth.empty() ? 0 : truth.back().t;
    for (auto const& [t, fraction] : output.contact) {
        // A replay also has the held still start before the clip and the held end after it: only
        // the clip's own frames count.
        if (truth.empty() || t < truth.front().t - 0.04 || t > end_of_clip + 0.04)
            continue;
        auto nearest = std::min_element(truth.begin(), truth.end(), [&](TruthFrame const& a, TruthFrame const& b) { return std::abs(a.t - t) < std::abs(b.t - t); });
        ++clip.frames_with_contact;
        clip_errors.push_back(std::abs(fraction - nearest->fraction) * truth_clip.c7_psis_cm);
    }
    clip.contact_median_error_cm = quantile(clip_errors, 0.5);
    totals.errors.insert(totals.errors.end(), clip_errors.begin(), clip_errors.end());

    auto const& lumbar_times = output.lumbar;
    auto lumbar = episodes_where(truth, [](double f) { return f >= l1_fraction; });
    auto neck = episodes_where(truth, [](double f) { return f < 0.05; });
    for (auto const& e : lumbar) {
        if (e.start > end_of_clip - latency_target_s)
            continue;  // the clip ends before a warning could be judged
        ++clip.lumbar_episodes;
        auto first = std::find_if(lumbar_times.begin(), lumbar_times.end(), [&](double w) { return w >= e.start - near_episode_s; });
        if (first != lumbar_times.end() && *first <= e.start + latency_target_s) {
            ++clip.lumbar_detected;
            totals.latencies.push_back(*first - e.start);
        } else if (first != lumbar_times.end() && *first <= e.end + near_episode_s) {
            ++clip.lumbar_warned_late;
        }
    }
    auto near = [](std::vector<Episode> const& episodes, double w) {
        return std::any_of(episodes.begin(), episodes.end(), [&](Episode const& e) { return w >= e.start - near_episode_s && w <= e.end + near_episode_s; });
    };
    clip.lumbar_warnings = static_cast<int>(lumbar_times.size());
    clip.lumbar_true_warnings = static_cast<int>(std::count_if(lumbar_times.begin(), lumbar_times.end(), [&](double w) { return near(lumbar, w); }));
    clip.neck_warnings = static_cast<int>(output.neck.size());
    clip.neck_true_warnings = static_cast<int>(std::count_if(output.neck.begin(), output.neck.end(), [&](double w) { return near(neck, w); }));
    std::vector<Episode> hands_off;
    for (auto const& f : truth) {
        if (!f.hands_off)
            continue;
        if (!hands_off.empty() && f.t - hands_off.back().end < 0.5)
            hands_off.back().end = f.t;
        else
            hands_off.push_back({ f.t, f.t });
    }
    auto const& head_times = output.head;
    for (auto const& e : hands_off) {
        ++clip.hands_off_episodes;
        clip.hands_off_warned += std::any_of(head_times.begin(), head_times.end(), [&](double w) { return w >= e.start && w <= std::max(e.end, e.start + 1.5); });
    }
    clip.head_warnings_false = static_cast<int>(std::count_if(head_times.begin(), head_times.end(), [&](double w) {
        return !std::any_of(hands_off.begin(), hands_off.end(), [&](Episode const& e) { return w >= e.start && w <= e.end + near_episode_s; });
    }));
    // Fast passes and hips down: the truth over (under) the threshold for as long as the check needs.
    auto fast = lasting_episodes(truth, [&](TruthFrame const& f) { return f.speed_cm_s > thresholds.too_fast_cm_s; }, thresholds.too_fast.lasts);
    score_warnings(fast, output.fast, clip.fast_episodes, clip.fast_warned, clip.fast_warnings_false);
    auto hips = lasting_episodes(truth, [&](TruthFrame const& f) { return f.buttock_cm < thresholds.hips_down_cm; }, thresholds.hips.lasts);
    score_warnings(hips, output.hips, clip.hips_episodes, clip.hips_warned, clip.hips_warnings_false);
    report.hips_episodes += clip.hips_episodes;
    report.hips_warned += clip.hips_warned;
    report.hips_warnings_false += clip.hips_warnings_false;
    report.fast_episodes += clip.fast_episodes;
    report.fast_warned += clip.fast_warned;
    report.fast_warnings_false += clip.fast_warnings_false;
    report.hands_off_episodes += clip.hands_off_episodes;
    report.hands_off_warned += clip.hands_off_warned;
    report.head_warnings_false += clip.head_warnings_false;
    report.lumbar_episodes += clip.lumbar_episodes;
    report.lumbar_detected += clip.lumbar_detected;
    report.lumbar_warned_late += clip.lumbar_warned_late;
    totals.lumbar_warnings += clip.lumbar_warnings;
    totals.lumbar_true += clip.lumbar_true_warnings;
    int false_warnings = (clip.lumbar_warnings - clip.lumbar_true_warnings) + (clip.neck_warnings - clip.neck_true_warnings);
    report.false_lumbar_or_neck_warnings += false_warnings;
    if (lumbar.empty() && neck.empty()) {
        ++report.clean_clips;
        report.clean_clips_without_false_warning += clip.lumbar_warnings + clip.neck_warnings == 0;
    }
    report.clips.push_back(std::move(clip));
}

void finish(FootageReport& report, Totals const& totals)
{
    report.contact_median_error_cm = quantile(totals.errors, 0.5);
    report.contact_p90_error_cm = quantile(totals.errors, 0.9);
    report.lumbar_recall = report.lumbar_episodes ? static_cast<double>(report.lumbar_detected) / report.lumbar_episodes : 0;
    report.lumbar_precision = totals.lumbar_warnings ? static_cast<double>(totals.lumbar_true) / totals.lumbar_warnings : 1;
    report.lumbar_median_latency_s = quantile(totals.latencies, 0.5);
    report.recognition_rate = totals.frames ? static_cast<double>(totals.recognised) / static_cast<double>(totals.frames) : 0;
}

// The clip names in `dir`: every NAME.truth.json, sorted.
std::vector<std::string> clip_names(fs::path const& dir)
{
    std::vector<std::string> names;
    for (auto const& entry : fs::directory_iterator(dir))
        if (std::string file = entry.path().filename().string(); file.ends_with(".truth.json"))
            names.push_back(file.substr(0, file.size() - std::string(".truth.json").size()));
    std::sort(names.begin(), names.end());
    return names;
}

}

FootageReport evaluate_footage(fs::path const& dir, std::string const& model, kb::MotionThresholds const& thresholds, RollerCue roller, bool give_height, double frame_rate)
{
    FootageReport report;
    Totals totals;
    for (std::string const& name : clip_names(dir)) {
        fs::path landmarks = dir / (name + "." + model + ".jsonl");
        if (!fs::exists(landmarks))
            continue;
        ClipTruth truth = read_truth(dir / (name + ".truth.json"));
        fs::path sightings = dir / (name + ".roller.jsonl");
        auto output = run_analyser(truth, parse_jsonl(read_text(landmarks)), fs::exists(sightings) ? std::optional(sightings) : std::nullopt, thresholds, roller, give_height, frame_rate);
        score_clip(name, truth, output, thresholds, report, totals);
    }
    finish(report, totals);
    return report;
}

FootageReport evaluate_replay(fs::path const& dir, kb::MotionThresholds const& thresholds)
{
    FootageReport report;
    report.recognition_measured = false;
    Totals totals;
    for (std::string const& name : clip_names(dir)) {
        fs::path replay = dir / (name + ".replay.jsonl");
        if (!fs::exists(replay))
            continue;
        score_clip(name, read_truth(dir / (name + ".truth.json")), read_replay(replay), thresholds, report, totals);
    }
    finish(report, totals);
    return report;
}

FootageReport evaluate_start_blind(fs::path const& dir, kb::MotionThresholds const& thresholds, double start_error_share)
{
    FootageReport report;
    report.recognition_measured = false;
    Totals totals;
    for (std::string const& name : clip_names(dir)) {
        auto meta = nlohmann::json::parse(read_text(dir / (name + ".truth.json")))["meta"];
        if (meta.value("exercise", "thoracic_roll") != "thoracic_roll")
            continue;
        ClipTruth truth = read_truth(dir / (name + ".truth.json"));
        double offset = start_error_share * (thresholds.start_fraction - truth.start_fraction);
        ClipOutput out;
        // The analyser's own gates: the same debounce, repeat and re-arming.
        FindingGate lumbar(thresholds.lumbar.lasts, thresholds.lumbar.repeats, thresholds.clear_seconds);
        FindingGate neck(thresholds.neck.lasts, thresholds.neck.repeats, thresholds.clear_seconds);
        for (TruthFrame const& f : truth.frames) {
            double read = f.fraction + offset;
            ++out.frames;
            out.contact.emplace_back(f.t, read);
            if (lumbar.update(read >= thresholds.lumbar_fraction, f.t))
                out.lumbar.push_back(f.t);
            if (neck.update(read < thresholds.neck_fraction, f.t))
                out.neck.push_back(f.t);
        }
        score_clip(name, truth, out, thresholds, report, totals);
    }
    finish(report, totals);
    return report;
}

std::vector<RecognitionScore> evaluate_recognition(fs::path const& dir, std::string const& model)
{
    std::vector<fs::path> truths;
    for (auto const& entry : fs::directory_iterator(dir))
        if (entry.path().string().ends_with(".truth.json"))
            truths.push_back(entry.path());
    std::sort(truths.begin(), truths.end());
    std::vector<RecognitionScore> out;
    for (fs::path const& truth_path : truths) {
        std::string name = truth_path.filename().string();
        name = name.substr(0, name.size() - std::string(".truth.json").size());
        fs::path landmarks = dir / (name + "." + model + ".jsonl");
        if (!fs::exists(landmarks))
            continue;
        auto truth_json = nlohmann::json::parse(read_text(truth_path));
        RecognitionScore score;
        score.name = name;
        score.exercise = truth_json["meta"].value("exercise", "thoracic_roll");
        Posture expected = posture_for(score.exercise);
        double height_cm = truth_json["meta"]["body_height_m"].get<double>() * 100;
        auto recogniser = *Analyzer::create({ .exercise = "", .body_height = Centimetres { height_cm } });
        std::array<int, posture_count> wrong {};
        for (Frame const& frame : parse_jsonl(read_text(landmarks)).frames) {
            Posture seen = recogniser.push(frame).posture;
            ++score.frames;
            if (seen == expected)
                ++score.recognised;
            else
                ++wrong[static_cast<std::size_t>(seen)];
        }
        auto worst = std::max_element(wrong.begin(), wrong.end());
        if (*worst > 0)
            score.most_common_wrong = to_string(static_cast<Posture>(worst - wrong.begin()));
        out.push_back(std::move(score));
    }
    return out;
}

}
