// The child process of the durability tests.
// DB is an SQLite path or a postgresql:// URI (opened like the app does, open_journal).
//   journal_kill_writer kill DB        prints "ready" once the journal is open, then writes pain
//                                      ratings, sessions and notes forever, printing "<table> <id>"
//                                      for each write the journal acknowledged
//   journal_kill_writer contend DB N T N times: increments the profile's "count" and adds a note
//                                      "T-i"; exits 0, or 2 with the error on stderr
// Output goes straight to the file descriptor (no stdio buffer), so an acknowledgement the
// parent reads is one the journal had already returned.
#include "journal/open_journal.h"
#include "sample_records.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace rc;
using namespace rc::journal;

namespace {

void say(std::string const& line)
{
    std::string text = line + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
        auto wrote = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
        if (wrote <= 0)
            std::_Exit(3);
        done += std::size_t(wrote);
    }
}

int fail(Error const& error)
{
    std::fprintf(stderr, "%s\n", error.message.c_str());
    say("error " + error.message);
    return 2;
}

}

int main(int argc, char** argv)
{
    if (argc < 3)
        return 64;
    std::string mode = argv[1];
    auto journal = open_journal(std::filesystem::path(argv[2]), Purpose::Write);
    if (!journal)
        return fail(journal.error());
    auto time = test::monday_8am();
    if (mode == "kill") {
        say("ready");
        for (long i = 0;; ++i) {
            time += std::chrono::minutes(1);
            switch (i % 3) {
            case 0: {
                auto id = (*journal)->add_pain({ 0, time, int(i % 11), PainMoment::Standalone, std::nullopt, "" });
                if (!id)
                    return fail(id.error());
                say("pain_ratings " + std::to_string(*id));
                break;
            }
            case 1: {
                auto id = (*journal)->add_session(test::sample_session(time));
                if (!id)
                    return fail(id.error());
                say("sessions " + std::to_string(*id));
                break;
            }
            default: {
                auto id = (*journal)->add_note({ 0, time, std::nullopt, "note " + std::to_string(i) });
                if (!id)
                    return fail(id.error());
                say("notes " + std::to_string(*id));
            }
            }
        }
    }
    if (mode == "contend" && argc == 5) {
        int count = std::atoi(argv[3]);
        std::string tag = argv[4];
        for (int i = 0; i < count; ++i) {
            auto updated = (*journal)->update_profile(time, [](nlohmann::json document) {
                document["count"] = document.value("count", 0) + 1;
                return document;
            });
            if (!updated)
                return fail(updated.error());
            auto note = (*journal)->add_note({ 0, time, std::nullopt, tag + "-" + std::to_string(i) });
            if (!note)
                return fail(note.error());
        }
        return 0;
    }
    return 64;
}
