#ifndef IPV8_CZLIB_SHIM_H
#define IPV8_CZLIB_SHIM_H
#include <zlib.h>
#endif
