// libFuzzer target for answers files (screen --answers, POST /api/screening|checkin): the
// triage answers parser for both questionnaires, then the engine on whatever it accepts, and
// the typed-answer reader of the terminal questionnaire. The first byte picks the
// questionnaire and a question; the rest is the text.
// Oracles: accepted answers validate again and survive a round trip through answers_to_json;
// the engine gives a verdict for any accepted answers; nothing throws.
#include "fuzz_world.h"

#include "triage/answers.h"
#include "triage/triage_engine.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size)
{
    using namespace rc;
    auto const& kb = fuzz::knowledge();
    if (size < 1)
        return 0;
    auto questionnaire = (data[0] & 1) ? kb::Questionnaire::Checkin : kb::Questionnaire::Screening;
    std::string_view text(reinterpret_cast<char const*>(data + 1), size - 1);
    if (!fuzz::strict() && fuzz::has_number_overflow(text))
        return 0;

    auto answers = triage::parse_answers_text(kb, questionnaire, text, "fuzz.json");
    if (answers) {
        if (!triage::validate_answers(kb, questionnaire, *answers))
            fuzz::fail("parsed answers do not validate", text);
        auto again = triage::parse_answers(kb, questionnaire, triage::answers_to_json(questionnaire, *answers));
        if (!again)
            fuzz::fail("answers_to_json wrote what parse_answers refuses", again.error().message);
        if (*again != *answers)
            fuzz::fail("answers changed in a round trip", text);
        (void)triage::evaluate(kb, questionnaire, *answers);
    } else if (answers.error().message.empty()) {
        fuzz::fail("a refusal without a message", text);
    }

    auto questions = kb.screening.questions_of(questionnaire);
    if (!questions.empty()) {
        auto const& question = *questions[(data[0] >> 1) % questions.size()];
        auto typed = triage::parse_typed_answer(question, text);
        if (!typed && typed.error().message.empty())
            fuzz::fail("a typed answer refused without a message", text);
    }
    return 0;
}
