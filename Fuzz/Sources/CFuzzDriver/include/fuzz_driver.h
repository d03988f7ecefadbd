#ifndef SWIFT_IPV8_FUZZ_DRIVER_H
#define SWIFT_IPV8_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>
/* libFuzzer's entry point for programs with their own main (compiler-rt's FuzzerDriver). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
