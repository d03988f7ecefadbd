#ifndef SWIFT_IPV8_CLIBUV_SHIM_H
#define SWIFT_IPV8_CLIBUV_SHIM_H

#include <uv.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* C has handle "inheritance" by struct prefix; Swift does not. These casts keep the
 * rebinding out of Swift code. Nothing else belongs in this file. */
static inline uv_handle_t *cuv_udp_as_handle(uv_udp_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *cuv_timer_as_handle(uv_timer_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *cuv_async_as_handle(uv_async_t *h) { return (uv_handle_t *)h; }

#endif
