// libFuzzer target for the knowledge-base loader. The first byte picks one of the seven files;
// the rest replaces that file's text in an otherwise valid (shipped) knowledge base, loaded in
// memory. The same text also goes through parse_toml_text and every TableReader getter.
// Finds crashes, hangs and leaks; a refusal with diagnostics is the expected outcome.
#include "knowledge/loader.h"
#include "knowledge/toml_reader.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace {

constexpr std::array<char const*, 7> file_names {
    "sources.toml", "zones.toml", "tools.toml", "exercises.toml", "rules.toml", "thresholds.toml", "routines.toml",
};

rc::kb::KnowledgeTexts& shipped_texts()
{
    static rc::kb::KnowledgeTexts texts = [] {
        // This file lives in tests/fuzz/ of the source tree; the shipped data is in data/knowledge/.
        auto dir = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "data" / "knowledge";
        rc::kb::KnowledgeTexts out;
        for (auto const* name : file_names) {
            std::ifstream in(dir / name);
            std::ostringstream text;
            text << in.rdbuf();
            out.emplace(name, text.str());
        }
        return out;
    }();
    return texts;
}

enum class Kind { Text, Integer, Number, Boolean, List, Table, Tables };

// Reads every key of every table with a getter chosen by the key's length, so each getter meets
// every kind of value.
void read_everything(rc::kb::TableReader& reader, toml::table const& table, int depth)
{
    for (auto const& [key, node] : table) {
        std::string_view name = key.str();
        switch (static_cast<Kind>(name.size() % 7)) {
        case Kind::Text: (void)reader.required_string(name); break;
        case Kind::Integer: (void)reader.duration(name, rc::kb::Need::Required, 600); break;
        case Kind::Number: (void)reader.number_or(name, 0.0, -1.0, 1.0); break;
        case Kind::Boolean: (void)reader.bool_or(name, false); break;
        case Kind::List: (void)reader.located_string_array(name, rc::kb::Need::Required); break;
        case Kind::Table:
            if (auto sub = reader.table(name, rc::kb::Need::Optional); sub && depth < 8 && node.is_table())
                read_everything(*sub, *node.as_table(), depth + 1);
            break;
        case Kind::Tables:
            if (auto const* array = node.as_array(); array && depth < 8) {
                auto subs = reader.tables(name, rc::kb::Need::Optional);
                std::size_t i = 0;
                for (auto const& element : *array)
                    if (auto const* sub_table = element.as_table(); sub_table && i < subs.size())
                        read_everything(subs[i++], *sub_table, depth + 1);
            } else {
                (void)reader.tables(name, rc::kb::Need::Optional);
            }
            break;
        }
    }
    reader.finish();
}

}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    char const* file = file_names[data[0] % file_names.size()];
    std::string text(reinterpret_cast<char const*>(data + 1), size - 1);

    rc::kb::Diagnostics diagnostics;
    if (auto table = rc::kb::parse_toml_text(text, file, diagnostics)) {
        rc::kb::TableReader reader(*table, file, diagnostics, "fuzz");
        read_everything(reader, *table, 0);
    }

    rc::kb::KnowledgeTexts texts = shipped_texts();
    texts[file] = std::move(text);
    auto kb = rc::kb::load_knowledge_texts(texts);
    if (!kb && kb.error().details.empty() && kb.error().code == rc::ErrorCode::InvalidData)
        __builtin_trap();   // a refusal must always say what is wrong
    return 0;
}
