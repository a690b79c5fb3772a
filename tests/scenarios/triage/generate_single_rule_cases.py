#!/usr/bin/env python3
"""Writes one scenario folder per screening and check-in rule: a baseline answer set that fires
nothing, changed just enough to meet the rule's conditions.

Run from the repository root after adding a rule:
    python3 tests/scenarios/triage/generate_single_rule_cases.py
It never overwrites an existing folder (review new ones by hand; when meeting one rule's
conditions also meets another's, list both in ALSO below). The expected files are written from
the rule data, never from the engine's output.
"""
import json
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "knowledge" / "screening"
OUT = pathlib.Path(__file__).resolve().parent

# Rules that necessarily fire together with the one under test (meeting the first rule's
# conditions meets theirs too). Reviewed by hand.
ALSO = {
    "fall_with_osteoporosis": ["osteoporosis"],
    "fall_with_long_term_steroids": ["long_term_steroids"],
    "long_term_steroids_with_new_back_pain": ["long_term_steroids"],
    "checkin_strong_soreness": ["checkin_normal_soreness"],
}

TIER_ORDER = ["proceed", "proceed_with_changes", "clinician_before_rolling", "clinician_soon", "clinician_today", "emergency"]


def baseline(questions, questionnaire):
    answers = {}
    for q in questions:
        if q["type"] == "yes_no":
            answers[q["id"]] = "no"
        elif q["type"] == "number":
            answers[q["id"]] = 24 if questionnaire == "checkin" else 35
        else:
            answers[q["id"]] = "none" if q["id"] == "checkin_kind" else ("elsewhere" if q["id"] == "checkin_location" else q["choices"][-1]["id"] if q["id"] != "checkin_trend" else "same")
    if questionnaire == "checkin":
        answers["checkin_intensity"] = 0
    return answers


def meet(answers, condition):
    q = condition["question"]
    if "is" in condition:
        answers[q] = condition["is"]
    elif "one_of" in condition:
        answers[q] = condition["one_of"][0]
    elif "at_least" in condition:
        answers[q] = condition["at_least"]
    elif "at_most" in condition:
        answers[q] = condition["at_most"]
    elif "above" in condition:
        answers[q] = condition["above"] + 1
    elif "below" in condition:
        answers[q] = condition["below"] - 1
    else:
        raise SystemExit(f"no generator for condition {condition}")


def write(questionnaire, questions_file, rules_file):
    questions = tomllib.loads((DATA / questions_file).read_text())["question"]
    rules = tomllib.loads((DATA / rules_file).read_text())["rule"]
    by_id = {r["id"]: r for r in rules}
    for rule in rules:
        folder = OUT / f"rule_{rule['id']}"
        if folder.exists():
            continue
        answers = baseline(questions, questionnaire)
        for condition in rule["when"]:
            meet(answers, condition)
        fired = [rule["id"]] + ALSO.get(rule["id"], [])
        tier = max((by_id[r]["tier"] for r in fired), key=TIER_ORDER.index)
        folder.mkdir()
        (folder / "answers.json").write_text(json.dumps({"answers": answers}, indent=2) + "\n")
        expected = {"questionnaire": questionnaire, "tier": tier, "rule_ids": sorted(fired), "missing_answers": []}
        (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
        print("wrote", folder.name)


write("screening", "questions.toml", "rules.toml")
write("checkin", "checkin_questions.toml", "checkin_rules.toml")
