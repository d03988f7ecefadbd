#ifndef IPV8_CSODIUM_SHIM_H
#define IPV8_CSODIUM_SHIM_H
#include <sodium.h>
#endif
