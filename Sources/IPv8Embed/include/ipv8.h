/*
 * ipv8.h: run a swift-ipv8 node (py-ipv8 protocol) from C.
 *
 * Build:   make embed            (builds .build/debug/libipv8.so)
 * Link:    cc host.c -I Sources/IPv8Embed/include -L .build/debug -lipv8 -Wl,-rpath,$PWD/.build/debug
 *          (make embed also links .build/debug/libipv8.so.0, the soname the host records)
 * Install: make install PREFIX=/usr/local [DESTDIR=...], then cc host.c $(pkg-config --cflags --libs ipv8)
 *
 * A node is one UDP socket, one libuv loop, one peer table and the communities (overlays) on it. It runs
 * in one of two ways, chosen by the first call that runs it:
 *   - on a thread of its own:      ipv8_node_start_thread(node) ... ipv8_node_destroy(node)
 *   - driven by the host's loop:   poll ipv8_backend_fd(node) for POLLIN with ipv8_backend_timeout(node)
 *                                  as the timeout, then ipv8_run_once(node, 0); repeat.
 *     The thread that first calls ipv8_run_once becomes the node's LOOP THREAD. Call ipv8_run_once(node, 0)
 *     once before the first poll (libuv registers sockets with the backend fd lazily) and always use
 *     ipv8_backend_timeout as the poll timeout (timers are not visible on the fd).
 *
 * THREADING. "Loop thread" means: the node's own thread (threaded mode) or the thread that drives it
 * (driven mode); code inside a callback (message handler, strategy step) runs on the loop thread.
 *   - Threaded mode: every call marked [any thread] may be made from any thread; from a host thread it is
 *     marshalled to the loop thread and waits for the result. From inside a callback it runs directly.
 *   - Driven mode: calls must come from the driving thread (or from inside callbacks, which run there).
 *     Before the node first runs, any single thread may set it up. A call from another thread returns
 *     IPV8_ERR_THREAD; nothing is ever run concurrently with the loop.
 *   - ipv8_node_stop / ipv8_node_destroy / ipv8_node_start_thread / ipv8_run_once must NOT be called from
 *     inside a callback (IPV8_ERR_THREAD).
 *   - A callback of one threaded node that calls another threaded node waits for that node's loop; do not
 *     let two nodes' callbacks call each other that way (deadlock). Keep callbacks short: they run on the loop.
 *
 * ERRORS. Every call returns IPV8_OK (0) or a value >= 0 on success and one of the negative IPV8_ERR_*
 * codes on failure (all below -1, so a timeout of -1 is never confused with an error). A failing call
 * stores a message for the calling thread, read with ipv8_last_error(). NULL pointers, stale or foreign
 * handles, bad JSON, bad addresses and busy message ids are reported as errors; no call aborts the host.
 * Handles are checked against a table of live handles, so a destroyed handle gives IPV8_ERR_HANDLE
 * (as long as its memory has not been reused for a new handle).
 *
 * OWNERSHIP. Every pointer the host passes in is only read during the call (strings and buffers are
 * copied). Pointers the library passes to callbacks (packet, source_ip) are valid only during the
 * callback. Handles are owned by the library: a community handle lives as long as its node; a node handle
 * lives until ipv8_node_destroy.
 */
#ifndef IPV8_H
#define IPV8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version (semantic versioning; the soname is libipv8.so.IPV8_VERSION_MAJOR). `make install`
 * reads IPV8_VERSION_STRING for the file names and ipv8.pc. */
#define IPV8_VERSION_MAJOR 0
#define IPV8_VERSION_MINOR 1
#define IPV8_VERSION_PATCH 0
#define IPV8_VERSION_STRING "0.1.0"

/* [any thread] The version of the library actually loaded (IPV8_VERSION_STRING when it built), static. */
const char *ipv8_version(void);

#define IPV8_OK 0
#define IPV8_ERR_NULL (-101)     /* a required pointer argument was NULL */
#define IPV8_ERR_HANDLE (-102)   /* not a live handle of the expected kind (destroyed, foreign, garbage) */
#define IPV8_ERR_CONFIG (-103)   /* the configuration JSON is invalid, or the node could not be built */
#define IPV8_ERR_ARGUMENT (-104) /* a bad argument: address, message id already taken, duplicate community */
#define IPV8_ERR_STATE (-105)    /* not allowed in the node's state (stopped, already threaded, ...) */
#define IPV8_ERR_THREAD (-106)   /* called from a thread (or callback) where this call is not allowed */

typedef struct ipv8_node ipv8_node_t;           /* opaque */
typedef struct ipv8_community ipv8_community_t; /* opaque */

/* A peer of a community. */
typedef struct ipv8_peer {
    uint8_t mid[20];  /* SHA-1 of the peer's public key */
    char ip[46];      /* NUL-terminated IPv4 or IPv6 text */
    uint16_t port;
} ipv8_peer_t;

/* The library fills ipv8_peer_t by this layout. */
#ifdef __cplusplus
#define IPV8_STATIC_ASSERT static_assert
#else
#define IPV8_STATIC_ASSERT _Static_assert
#endif
IPV8_STATIC_ASSERT(sizeof(ipv8_peer_t) == 68, "ipv8_peer_t layout");
IPV8_STATIC_ASSERT(offsetof(ipv8_peer_t, ip) == 20 && offsetof(ipv8_peer_t, port) == 66, "ipv8_peer_t layout");

/* A message handler. Runs on the loop thread. `packet` is the whole datagram (22-byte community prefix,
 * message id at packet[22], then the body); `packet` and `source_ip` are valid only during the call. */
typedef void (*ipv8_message_cb)(void *ctx, const uint8_t *packet, size_t len, const char *source_ip,
                                uint16_t source_port);

/* One step of a discovery strategy. Runs on the loop thread, every walk interval, while the community
 * has fewer peers than the strategy's target (or always for target -1). */
typedef void (*ipv8_step_cb)(void *ctx, ipv8_community_t *community);

/* [any thread] The message of the last failing call on the calling thread ("" if none). Owned by the
 * library; valid until the next failing call on this thread. Never NULL. */
const char *ipv8_last_error(void);

/* [any thread] Builds a node from py-ipv8 configuration JSON (interfaces, keys, walker_interval, ...;
 * use "ip": "127.0.0.1", "port": 0 for tests) and binds its socket. Overlays named in the JSON must be
 * ones the engine knows; C communities are added afterwards with ipv8_community_add.
 * On success *out_node is a new handle; on failure it is set to NULL. */
int ipv8_node_create(const char *json, ipv8_node_t **out_node);

/* [any thread] The UDP port the node is bound to (useful with "port": 0). */
int ipv8_node_port(ipv8_node_t *node, uint16_t *out_port);

/* [any thread, not from a callback] Starts the strategy ticks and runs the node on a new thread until
 * ipv8_node_stop/destroy. IPV8_ERR_STATE if the node already runs (or was driven). */
int ipv8_node_start_thread(ipv8_node_t *node);

/* [loop thread: the caller becomes it; not from a callback] Driven mode: runs one loop iteration,
 * waiting at most timeout_ms (0: do not wait, -1: until something happens). The first call starts the
 * strategy ticks. Returns 1 while the node is alive, 0 once it is stopped. */
int ipv8_run_once(ipv8_node_t *node, int timeout_ms);

/* [loop thread] Driven mode: the fd to poll for POLLIN (the epoll fd), >= 0. */
int ipv8_backend_fd(ipv8_node_t *node);

/* [loop thread] Driven mode: how long poll may wait, in ms (-1: no timer pending, 0: run now). */
int ipv8_backend_timeout(ipv8_node_t *node);

/* [any thread] Adds a community with the 20-byte id `community_id` (prefix version 2), using the node's
 * identity (the first configured key, else a key generated for the node). It answers introduction
 * requests and keeps a peer list like any py-ipv8 community. *out_community is owned by the node. */
int ipv8_community_add(ipv8_node_t *node, const uint8_t community_id[20], ipv8_community_t **out_community);

/* [any thread] Calls cb(ctx, ...) on the loop thread for every datagram of this community with message
 * id `message_id`. IPV8_ERR_ARGUMENT when the id is taken (core ids 231-255, or a handler already set).
 * `ctx` is the host's; the library never frees it. */
int ipv8_community_on_message(ipv8_community_t *community, uint8_t message_id, ipv8_message_cb cb, void *ctx);

/* [any thread] Adds a discovery strategy: step(ctx, community) runs on the loop thread once per walk
 * interval while the community has fewer than target_peers peers (-1: always, 0: never). */
int ipv8_community_add_strategy(ipv8_community_t *community, ipv8_step_cb step, void *ctx, int target_peers);

/* [any thread] Sends one datagram to ip:port: this community's 22-byte prefix followed by `bytes`
 * (so bytes[0] is the message id). `bytes` is copied; it may be NULL when len is 0. */
int ipv8_send(ipv8_community_t *community, const char *ip, uint16_t port, const uint8_t *bytes, size_t len);

/* [any thread] Sends a signed ez-style message (py-ipv8 ez_send: prefix, id, u16 key length, public key,
 * payload, Ed25519 signature) carrying `payload` verbatim, signed with the community's key. */
int ipv8_community_send_signed(ipv8_community_t *community, const char *ip, uint16_t port, uint8_t message_id,
                               const uint8_t *payload, size_t len);

/* [any thread] Sends an introduction request to ip:port (py-ipv8 walk_to). */
int ipv8_walk_to(ipv8_community_t *community, const char *ip, uint16_t port);

/* [any thread] Copies up to `max` peers of the community into out (out may be NULL when max is 0).
 * Returns the total number of peers (which may exceed max). */
int ipv8_community_peers(ipv8_community_t *community, ipv8_peer_t *out, size_t max);

/* [any thread that is not the loop thread, or the driving thread outside callbacks] Stops the node:
 * strategies, communities, socket and loop (joins the node's thread). Idempotent. Other calls on a stopped
 * node return IPV8_ERR_STATE. */
int ipv8_node_stop(ipv8_node_t *node);

/* Same rules as ipv8_node_stop. Stops the node if needed and frees it and all its community handles.
 * NULL is accepted (returns IPV8_ERR_NULL and does nothing). */
int ipv8_node_destroy(ipv8_node_t *node);

#ifdef __cplusplus
}
#endif

#endif /* IPV8_H */
