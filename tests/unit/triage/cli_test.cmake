# Drives `rollcoach screen` and `rollcoach checkin` through pipes and files, checking output and
# exit status. Run by ctest: cmake -DROLLCOACH=<exe> -DSOURCE_DIR=<repo> -P cli_test.cmake
set(kb "${SOURCE_DIR}/data/knowledge")
set(scenarios "${SOURCE_DIR}/tests/scenarios/triage")
set(work "${CMAKE_CURRENT_BINARY_DIR}/triage_cli_test")
file(MAKE_DIRECTORY "${work}")
file(REMOVE "${work}/journal.db")

function(run_rollcoach input_file expected_status)
  execute_process(COMMAND "${ROLLCOACH}" --kb "${kb}" --db "${work}/journal.db" --no-color ${ARGN}
    INPUT_FILE "${input_file}" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  if(NOT status STREQUAL "${expected_status}")
    message(FATAL_ERROR "rollcoach ${ARGN}: exit status ${status}, expected ${expected_status}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect_contains text needle)
  string(FIND "${text}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected to find '${needle}' in:\n${text}")
  endif()
endfunction()

function(expect_missing text needle)
  string(FIND "${text}" "${needle}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "did not expect '${needle}' in:\n${text}")
  endif()
endfunction()

# 1. Interactive, everything clear. "?" explains; "maybe" is re-asked; then alternating "no" and
#    "35" answers every yes/no question with no and the age question with 35 (each wrong-typed
#    line is refused and re-asked, which the output shows).
set(lines "?\nmaybe\n")
foreach(i RANGE 80)
  string(APPEND lines "no\n35\n")
endforeach()
file(WRITE "${work}/all_clear.txt" "${lines}")
run_rollcoach("${work}/all_clear.txt" 0 screen)
expect_contains("${out}" "Why we ask:")
expect_contains("${out}" "Please answer yes or no")
expect_contains("${out}" "You're good to roll.")
if(NOT EXISTS "${work}/journal.db")
  message(FATAL_ERROR "the screening was not saved to the journal given with --db")
endif()

# 2. Interactive, the first answer is an emergency sign: stop asking, say what to do, exit 14.
file(WRITE "${work}/saddle.txt" "yes\n")
run_rollcoach("${work}/saddle.txt" 14 screen)
expect_contains("${out}" "Go to A&E")
expect_contains("${out}" "Sources: NHS")
expect_missing("${out}" "[2/")

# 2b. A "today" answer stops at once too (the same test as the web and the API): nine "no", then
#     fever: exit 13, the knowledge base's advice, and no tenth question.
file(WRITE "${work}/fever.txt" "no\nno\nno\nno\nno\nno\nno\nno\nno\nyes\nno\nno\n")
run_rollcoach("${work}/fever.txt" 13 screen)
expect_contains("${out}" "We stopped the questions here")
expect_missing("${out}" "[11/")

# 3. Input ends early: the verdict lists what is missing and exits 15.
file(WRITE "${work}/partial.txt" "no\nno\n")
run_rollcoach("${work}/partial.txt" 15 screen)
expect_contains("${out}" "Please answer the remaining questions before rolling.")
expect_contains("${out}" "(chest_pain)")

# 4. Answers files and JSON output.
file(WRITE "${work}/empty.txt" "")
run_rollcoach("${work}/empty.txt" 10 screen --answers "${scenarios}/rule_blood_thinners/answers.json" --json)
string(JSON tier GET "${out}" tier)
if(NOT tier STREQUAL "proceed_with_changes")
  message(FATAL_ERROR "--json tier: ${tier}")
endif()
string(JSON citation GET "${out}" reasons 0 sources 0 citation)
expect_contains("${citation}" "NCCIH")
run_rollcoach("${work}/empty.txt" 13 screen --answers "${scenarios}/rule_fever_or_chills/answers.json")
run_rollcoach("${work}/empty.txt" 3 screen --answers "${scenarios}/malformed_unknown_question_id/answers.json")
expect_contains("${err}" "did you mean 'age'?")
run_rollcoach("${work}/empty.txt" 3 screen --answers "${work}/does_not_exist.json")
# A number too large to read is an invalid answers file too (exit 3), not an unexpected error.
file(WRITE "${work}/huge.json" "{\"answers\": {\"age\": 1e400}}")
run_rollcoach("${work}/empty.txt" 3 screen --answers "${work}/huge.json")
expect_contains("${err}" "too large")
expect_missing("${err}" "unexpected")

# 5. The check-in, interactive, with no session in the journal: it never asks for the hours
#    (the journal has them), and with no session there is no "last session" to ask about: the
#    soreness counts as the usual ache. No emergency signs, a dull ache, upper back, 11/10 (refused
#    and asked again), 3/10, better, no swelling: the usual ache does not stop anyone.
file(WRITE "${work}/checkin.txt" "no\n2\n1\n11\n3\nbetter\nno\n")
run_rollcoach("${work}/checkin.txt" 0 checkin)
expect_contains("${out}" "Please type a number from 0 to 10")
expect_contains("${out}" "Your journal has no session yet")
expect_missing("${out}" "your usual back ache")
expect_missing("${out}" "last session")
expect_missing("${out}" "hours ago")
run_rollcoach("${work}/empty.txt" 11 checkin --answers "${scenarios}/rule_checkin_sharp_pain/answers.json")
