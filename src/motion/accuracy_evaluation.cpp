#include "motion/accuracy_evaluation.h"
#include "motion/roller_look.h"
#include "motion/analyzer.h"
#include "motion/body_simulator.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <iterator>
#include <vector>

namespace rc::motion {

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

double seconds(Timestamp t) { return static_cast<double>(t.count()) / 1e6; }

struct Run {
    Simulation sim;
    std::vector<FrameAnalysis> analyses;
};

// page_cadence: the sightings (simulated on every frame) are thinned as the page looks for the
// roller: a frame at least roller_look_interval_s after the last one it looked at, and every
// frame while the analyser is learning its start.
Run run(SimulationOptions options, std::string exercise, bool tell_height, kb::MotionThresholds const& thresholds, bool page_cadence = false)
{
    Run r;
    if (page_cadence && options.roller_every > 0)
        options.roller_every = 1;
    else
        page_cadence = false;
    auto sim = simulate(options);
    if (!sim)
        return r;
    r.sim = std::move(*sim);
    AnalyzerOptions analyzer_options;
    analyzer_options.exercise = std::move(exercise);
    analyzer_options.thresholds = thresholds;
    if (tell_height)
        analyzer_options.body_height = Centimetres { r.sim.subject.height_cm };
    auto analyzer = Analyzer::create(analyzer_options);
    if (!analyzer)
        return r;
    r.analyses.reserve(r.sim.frames.size());
    RollerLookCadence cadence(thresholds.roller_look_interval_s);
    bool learning = false;
    for (auto& f : r.sim.frames) {
        if (page_cadence && !cadence.look(seconds(f.frame.timestamp), learning))
            f.frame.roller.reset();
        r.analyses.push_back(analyzer->push(f.frame));
        learning = r.analyses.back().roller_start_learning;
    }
    return r;
}

struct Episode {
    double start;
    double end;
};

std::vector<Episode> lumbar_episodes(Simulation const& sim)
{
    std::vector<Episode> episodes;
    for (auto const& f : sim.frames) {
        if (!f.truth.on_roller_back || f.truth.contact_fraction < l1_fraction)
            continue;
        double t = seconds(f.frame.timestamp);
        if (!episodes.empty() && t - episodes.back().end < 0.5)
            episodes.back().end = t;
        else
            episodes.push_back({ t, t });
    }
    return episodes;
}

std::vector<double> finding_times(Run const& r, FindingCode code)
{
    std::vector<double> times;
    for (auto const& a : r.analyses)
        for (auto const& finding : a.findings)
            if (finding.code == code)
                times.push_back(seconds(finding.at));
    return times;
}

}

std::string AccuracyReport::summary() const
{
    return fmt::format(
        "lumbar warning: recall {:.3f} ({}/{} episodes warned within 1 s of crossing L1, median latency {:.2f} s), precision {:.3f} ({}/{} warnings)\n"
        "contact level: median error {:.2f} cm, p90 {:.2f} cm, max {:.2f} cm\n"
        "rolling speed: median relative error {:.1f}%\n"
        "exercise recognition: {:.1f}% of frames\n"
        "clean thoracic rolls without a false lumbar/neck warning: {:.1f}% ({}/{})",
        lumbar_recall, lumbar_detected, lumbar_episodes, lumbar_median_latency_s, lumbar_precision, lumbar_true_warnings, lumbar_warnings,
        contact_median_error_cm, contact_p90_error_cm, contact_max_error_cm, 100 * speed_median_relative_error, 100 * recognition_rate,
        100 * clean_rate, clean_without_false_warning, clean_sequences);
}

AccuracyReport evaluate_accuracy(AccuracyPlan const& plan)
{
    AccuracyReport report;
    std::uint64_t seed = plan.first_seed;
    std::vector<double> contact_errors, speed_errors, latencies;
    bool const page_cadence = plan.roller_page_cadence;

    for (int i = 0; i < plan.clean_thoracic; ++i) {
        Run r = run({ .exercise = "thoracic_roll", .mistakes = {}, .seed = seed++, .duration_s = 60, .realism = plan.realism, .roller_every = plan.roller_every }, "thoracic_roll", plan.tell_height, plan.thresholds, page_cadence);
        ++report.clean_sequences;
        bool false_warning = false;
        for (std::size_t j = 0; j < r.analyses.size(); ++j) {
            auto const& a = r.analyses[j];
            auto const& truth = r.sim.frames[j].truth;
            for (auto const& finding : a.findings)
                if (finding.code == FindingCode::LumbarContact || finding.code == FindingCode::NearNeck)
                    false_warning = true;
            if (!a.contact_known)
                continue;
            contact_errors.push_back(std::abs(a.contact_cm - truth.contact_cm));
            if (!truth.holding && truth.speed_cm_s > 2.0)
                speed_errors.push_back(std::abs(a.speed_cm_s - truth.speed_cm_s) / truth.speed_cm_s);
        }
        report.lumbar_warnings += static_cast<int>(finding_times(r, FindingCode::LumbarContact).size());
        if (!false_warning)
            ++report.clean_without_false_warning;
    }

    for (int i = 0; i < plan.lumbar_sequences; ++i) {
        Run r = run({ .exercise = "thoracic_roll", .mistakes = { Mistake::Lumbar }, .seed = seed++, .duration_s = 60, .realism = plan.realism, .roller_every = plan.roller_every }, "thoracic_roll", plan.tell_height, plan.thresholds, page_cadence);
        auto episodes = lumbar_episodes(r.sim);
        auto warnings = finding_times(r, FindingCode::LumbarContact);
        double end_of_run = r.sim.frames.empty() ? 0 : seconds(r.sim.frames.back().frame.timestamp);
        // An episode that starts in the last second cannot be judged: the recording ends first.
        std::vector<Episode> judged;
        std::copy_if(episodes.begin(), episodes.end(), std::back_inserter(judged), [&](Episode const& e) { return e.start <= end_of_run - 1.0; });
        report.lumbar_episodes += static_cast<int>(judged.size());
        report.lumbar_warnings += static_cast<int>(warnings.size());
        for (auto const& e : judged) {
            auto first = std::find_if(warnings.begin(), warnings.end(), [&](double w) { return w >= e.start - 1.0; });
            if (first != warnings.end() && *first <= e.start + 1.0) {
                ++report.lumbar_detected;
                latencies.push_back(*first - e.start);
            }
        }
        for (double w : warnings)
            if (std::any_of(episodes.begin(), episodes.end(), [&](Episode const& e) { return w >= e.start - 1.0 && w <= e.end + 1.0; }))
                ++report.lumbar_true_warnings;
    }

    std::size_t frames = 0, recognised = 0;
    for (std::string_view exercise : simulated_exercises) {
        for (int i = 0; i < plan.per_exercise; ++i) {
            Run r = run({ .exercise = std::string { exercise }, .mistakes = {}, .seed = seed++, .duration_s = plan.recognition_seconds, .realism = plan.realism, .roller_every = plan.roller_every }, "", plan.tell_height, plan.thresholds, page_cadence);
            for (std::size_t j = 0; j < r.analyses.size(); ++j) {
                ++frames;
                if (to_string(r.analyses[j].posture) == r.sim.frames[j].truth.posture)
                    ++recognised;
            }
        }
    }

    report.lumbar_recall = report.lumbar_episodes ? static_cast<double>(report.lumbar_detected) / report.lumbar_episodes : 0;
    report.lumbar_precision = report.lumbar_warnings ? static_cast<double>(report.lumbar_true_warnings) / report.lumbar_warnings : 0;
    report.lumbar_median_latency_s = median(latencies);
    report.contact_median_error_cm = median(contact_errors);
    report.contact_p90_error_cm = quantile(contact_errors, 0.9);
    report.contact_max_error_cm = contact_errors.empty() ? 0 : *std::max_element(contact_errors.begin(), contact_errors.end());
    report.speed_median_relative_error = median(speed_errors);
    report.recognition_rate = frames ? static_cast<double>(recognised) / static_cast<double>(frames) : 0;
    report.clean_rate = report.clean_sequences ? static_cast<double>(report.clean_without_false_warning) / report.clean_sequences : 0;
    return report;
}

}
