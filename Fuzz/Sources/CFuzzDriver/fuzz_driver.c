/* Header-only target: LLVMFuzzerRunDriver comes from libFuzzer (swiftc -sanitize=fuzzer). */
#include "fuzz_driver.h"
