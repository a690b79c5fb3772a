// What the fuzz targets over the application core share: the shipped knowledge base (loaded
// once), a Coach on a throw-away SQLite journal in /dev/shm (or /tmp) with an all-clear
// screening already recorded (so sessions and plans are reachable), and a splitter for inputs
// that hold several fields. Header-only: each fuzz_*.cpp is its own program.
#pragma once

#include "common/clock.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "coach/coach.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace rc::fuzz {

inline std::filesystem::path source_dir()
{
    return ROLLCOACH_SOURCE_DIR;   // set by tests/fuzz/CMakeLists.txt
}

inline kb::KnowledgeBase const& knowledge()
{
    static kb::KnowledgeBase const kb = [] {
        auto loaded = kb::load_knowledge_base(source_dir() / "data" / "knowledge");
        if (!loaded) {
            std::fprintf(stderr, "fuzz: the shipped knowledge base does not load: %s\n", loaded.error().message.c_str());
            std::abort();
        }
        return std::move(*loaded);
    }();
    return kb;
}

// A folder for this process's journals and files, removed at exit.
struct Scratch {
    std::filesystem::path path;
    Scratch()
    {
        std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        path = base / ("rc-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
    }
    ~Scratch()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

inline std::filesystem::path const& scratch_dir()
{
    static Scratch const scratch;
    return scratch.path;
}

// Every screening question answered "no" (numbers 40, choices the first one): a proceed verdict.
inline std::string all_clear_answers(coach::Coach const& coach)
{
    nlohmann::json answers = nlohmann::json::object();
    nlohmann::json const questions = coach.screening_questions();   // kept alive for the loop
    for (auto const& q : questions["questions"]) {
        if (q["type"] == "number")
            answers[q["id"].get<std::string>()] = 40;
        else if (q["type"] == "yes_no")
            answers[q["id"].get<std::string>()] = "no";
        else
            answers[q["id"].get<std::string>()] = q["choices"][0]["id"];
    }
    return nlohmann::json { { "answers", answers } }.dump();
}

// A Coach on a fresh journal, screened all-clear. Renewed by the caller every few thousand
// inputs so the journal does not grow without bound.
struct World {
    FakeClock clock;
    std::unique_ptr<coach::Coach> coach;
    std::filesystem::path journal_path;

    World()
    {
        static int counter = 0;
        journal_path = scratch_dir() / ("journal-" + std::to_string(counter++) + ".db");
        auto journal = journal::open_journal(journal_path, journal::Purpose::Write);
        if (!journal) {
            std::fprintf(stderr, "fuzz: cannot open a journal at %s: %s\n", journal_path.c_str(), journal.error().message.c_str());
            std::abort();
        }
        coach = std::make_unique<coach::Coach>(knowledge(), std::move(*journal), clock);
        if (!coach->submit_screening(all_clear_answers(*coach))) {
            std::fprintf(stderr, "fuzz: the all-clear screening was refused\n");
            std::abort();
        }
    }
    ~World()
    {
        coach.reset();
        std::error_code ec;
        for (auto const* suffix : { "", "-wal", "-shm", "-journal" })
            std::filesystem::remove(journal_path.string() + suffix, ec);
    }
    World(World const&) = delete;
    World& operator=(World const&) = delete;
};

// Splits the input at `separator` into at most `limit` fields (the last keeps the rest).
inline std::vector<std::string_view> split(std::string_view data, char separator, size_t limit)
{
    std::vector<std::string_view> fields;
    while (fields.size() + 1 < limit) {
        auto at = data.find(separator);
        if (at == std::string_view::npos)
            break;
        fields.push_back(data.substr(0, at));
        data.remove_prefix(at + 1);
    }
    fields.push_back(data);
    return fields;
}

// Whether the internal text of a library exception leaked into an answer: a signature of
// nlohmann's or the standard library's messages that the client did not send itself (an
// answer may quote the client's own path or value).
inline bool leaks_internal_text(std::string_view body, std::string_view input)
{
    for (std::string_view signature : { "json.exception", "what():", "std::", "basic_string", "bad_variant_access", "stoi", "stod" }) {
        if (body.find(signature) != std::string_view::npos && input.find(signature) == std::string_view::npos)
            return true;
    }
    return false;
}

// ROLLCOACH_FUZZ_STRICT=0 tolerates answers that break the documented contract (a 500, internal
// text) but not crashes, so a long run can go on past a known, already-reported bug.
inline bool strict()
{
    static bool const value = [] {
        char const* text = std::getenv("ROLLCOACH_FUZZ_STRICT");
        return !text || std::string_view(text) != "0";
    }();
    return value;
}

// Whether nlohmann refuses the text for a number that overflows a double ("1e400": out_of_range
// 406), the bug issue 11 reported in parsers that catch only parse_error. With
// ROLLCOACH_FUZZ_STRICT=0 the targets skip such inputs so a long run explores past that one
// known, reported bug; strict runs (the default, CI) feed them like any other.
inline bool has_number_overflow(std::string_view text)
{
    struct Sax : nlohmann::json_sax<nlohmann::json> {
        bool overflow { false };
        bool null() override { return true; }
        bool boolean(bool) override { return true; }
        bool number_integer(number_integer_t) override { return true; }
        bool number_unsigned(number_unsigned_t) override { return true; }
        bool number_float(number_float_t, string_t const&) override { return true; }
        bool string(string_t&) override { return true; }
        bool binary(binary_t&) override { return true; }
        bool start_object(std::size_t) override { return true; }
        bool key(string_t&) override { return true; }
        bool end_object() override { return true; }
        bool start_array(std::size_t) override { return true; }
        bool end_array() override { return true; }
        bool parse_error(std::size_t, std::string const&, nlohmann::detail::exception const& error) override
        {
            overflow = error.id == 406;
            return false;
        }
    } sax;
    (void)nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json, false);
    return sax.overflow;
}

[[noreturn]] inline void fail(char const* what, std::string_view detail)
{
    std::fprintf(stderr, "fuzz: %s\n%.*s\n", what, static_cast<int>(std::min<size_t>(detail.size(), 2000)), detail.data());
    std::abort();
}

}
