// A negative control for the fuzz smoke (tests/sanitizers/ubsan_controls/check.sh): a libFuzzer
// target whose every input overflows a signed int, which is undefined behaviour. Built with the
// `fuzz` preset's flags it must stop the run with UndefinedBehaviorSanitizer's report and a
// non-zero status; built without -fno-sanitize-recover=undefined (and run without
// halt_on_error) it prints the report and returns 0, which is how a year-3955 spool file once
// overflowed a WallTime in fuzz_spool_file and the smoke stayed green. Never part of `fuzzers`.
#include <climits>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const*, std::size_t size)
{
    volatile int largest = INT_MAX;   // volatile: the compiler cannot fold the overflow away
    volatile int sum = largest + 1 + static_cast<int>(size % 2);
    (void)sum;
    return 0;
}
