/* A C host of libipv8: two nodes in one process on 127.0.0.1. Node A runs on its own thread; node B is
 * driven from this program's poll() loop. Prints one line per check and "ALL PASSED" at the end; exits 1 on
 * the first failure. Every loop is bounded in iterations and time. */
#include "ipv8.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(cond, ...)                                                            \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);         \
            fprintf(stderr, __VA_ARGS__);                                           \
            fprintf(stderr, " (last error: %s)\n", ipv8_last_error());             \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

static const char *CONFIG =
    "{\"interfaces\": [{\"interface\": \"UDPIPv4\", \"ip\": \"127.0.0.1\", \"port\": 0}],"
    " \"keys\": [], \"overlays\": [], \"walker_interval\": 0.05}";

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What A's handler saw (it runs on A's loop thread). */
static atomic_int a_received = 0;
static atomic_int a_payload_ok = 0;
static atomic_int a_source_port = 0;

static ipv8_node_t *node_a = NULL;
static atomic_int a_stop_in_callback = 0;

static void on_hello(void *ctx, const uint8_t *packet, size_t len, const char *ip, uint16_t port) {
    const char *expected = (const char *)ctx;
    atomic_store(&a_stop_in_callback, ipv8_node_stop(node_a)); /* refused: this is A's loop thread */
    size_t n = strlen(expected);
    /* ez-signed: prefix(22) id(1) keylen(2) key(74) payload sig(64) */
    if (len == 22 + 1 + 2 + 74 + n + 64 && packet[22] == 1 && memcmp(packet + 22 + 1 + 2 + 74, expected, n) == 0 &&
        strcmp(ip, "127.0.0.1") == 0)
        atomic_store(&a_payload_ok, 1);
    atomic_store(&a_source_port, port);
    atomic_fetch_add(&a_received, 1);
}

/* B's raw handler runs on this thread (B is driven here). */
static int b_raw_received = 0;
static void on_raw(void *ctx, const uint8_t *packet, size_t len, const char *ip, uint16_t port) {
    (void)ip;
    (void)port;
    int *count = (int *)ctx;
    if (len == 22 + 3 && packet[22] == 2 && packet[23] == 'x' && packet[24] == 'y') (*count)++;
}

/* B's C strategy: walks to A on every step. */
struct walker {
    uint16_t target_port;
    int steps;
    int walk_errors;
    ipv8_node_t *node;
    int destroy_in_callback;
    int run_in_callback;
};
static void walk_step(void *ctx, ipv8_community_t *community) {
    struct walker *w = (struct walker *)ctx;
    if (w->steps++ == 0) {
        w->destroy_in_callback = ipv8_node_destroy(w->node); /* refused inside a callback */
        w->run_in_callback = ipv8_run_once(w->node, 0);     /* no re-entrant run */
    }
    if (ipv8_walk_to(community, "127.0.0.1", w->target_port) != IPV8_OK) w->walk_errors++;
}

static int peer_count(ipv8_community_t *c) {
    int n = ipv8_community_peers(c, NULL, 0);
    CHECK(n >= 0, "peers failed: %d", n);
    return n;
}

/* Drives node B from poll() on its backend fd until done() holds or `seconds` pass. */
static int drive_b(ipv8_node_t *b, double seconds, int (*done)(void *), void *arg) {
    double end = now_s() + seconds;
    for (int i = 0; i < 1000000 && now_s() < end; i++) {
        if (done && done(arg)) return 1;
        int fd = ipv8_backend_fd(b);
        int timeout = ipv8_backend_timeout(b);
        CHECK(fd >= 0, "backend fd %d", fd);
        CHECK(timeout >= -1, "backend timeout %d", timeout);
        if (timeout < 0 || timeout > 20) timeout = 20; /* bounded, and A's progress is checked too */
        struct pollfd pfd = {.fd = fd, .events = POLLIN, .revents = 0};
        CHECK(poll(&pfd, 1, timeout) >= 0, "poll");
        CHECK(ipv8_run_once(b, 0) == 1, "run_once");
    }
    return done ? done(arg) : 1;
}

struct pair {
    ipv8_community_t *a, *b;
};
static int both_know_each_other(void *arg) {
    struct pair *p = (struct pair *)arg;
    return peer_count(p->a) >= 1 && peer_count(p->b) >= 1;
}
static int a_got_message(void *arg) {
    (void)arg;
    return atomic_load(&a_received) > 0;
}
static int b_got_raw(void *arg) { return *(int *)arg > 0; }

/* Another thread may not touch a node this thread drives. */
struct foreign {
    ipv8_community_t *community;
    ipv8_node_t *node;
    int walk_rc, run_rc;
};
static void *foreign_thread(void *arg) {
    struct foreign *f = (struct foreign *)arg;
    f->walk_rc = ipv8_walk_to(f->community, "127.0.0.1", 9);
    f->run_rc = ipv8_run_once(f->node, 0);
    return NULL;
}

static void bad_arguments(void) {
    ipv8_node_t *n = (ipv8_node_t *)0x1;
    CHECK(ipv8_node_create(NULL, &n) == IPV8_ERR_NULL && n == NULL, "NULL json");
    CHECK(strlen(ipv8_last_error()) > 0, "no message");
    CHECK(ipv8_node_create(CONFIG, NULL) == IPV8_ERR_NULL, "NULL out");
    CHECK(ipv8_node_create("{not json", &n) == IPV8_ERR_CONFIG && n == NULL, "bad JSON");
    CHECK(strstr(ipv8_last_error(), "JSON") != NULL, "bad JSON message");
    CHECK(ipv8_node_create("{\"overlays\": [{\"class\": \"Nope\", \"key\": \"k\"}]}", &n) == IPV8_ERR_CONFIG,
          "unknown overlay");
    CHECK(ipv8_node_create("{\"interfaces\": [{\"interface\": \"UDPIPv4\", \"ip\": \"10.255.255.1\", \"port\": 1}]}",
                           &n) == IPV8_ERR_CONFIG,
          "unbindable address");
    uint16_t port;
    long garbage[16] = {0};
    CHECK(ipv8_node_port(NULL, &port) == IPV8_ERR_NULL, "NULL node");
    CHECK(ipv8_node_port((ipv8_node_t *)garbage, &port) == IPV8_ERR_HANDLE, "garbage node");
    CHECK(ipv8_node_start_thread(NULL) == IPV8_ERR_NULL, "start NULL");
    CHECK(ipv8_run_once(NULL, 0) == IPV8_ERR_NULL, "run NULL");
    CHECK(ipv8_backend_fd(NULL) == IPV8_ERR_NULL, "fd NULL");
    CHECK(ipv8_backend_timeout((ipv8_node_t *)garbage) == IPV8_ERR_HANDLE, "timeout garbage");
    uint8_t id[20] = {0};
    ipv8_community_t *c = NULL;
    CHECK(ipv8_community_add(NULL, id, &c) == IPV8_ERR_NULL, "add NULL");
    CHECK(ipv8_community_on_message(NULL, 1, on_raw, NULL) == IPV8_ERR_NULL, "on_message NULL");
    CHECK(ipv8_community_on_message((ipv8_community_t *)garbage, 1, on_raw, NULL) == IPV8_ERR_HANDLE,
          "on_message garbage");
    CHECK(ipv8_community_add_strategy(NULL, walk_step, NULL, 1) == IPV8_ERR_NULL, "strategy NULL");
    CHECK(ipv8_send(NULL, "127.0.0.1", 1, id, 1) == IPV8_ERR_NULL, "send NULL");
    CHECK(ipv8_community_send_signed((ipv8_community_t *)garbage, "127.0.0.1", 1, 1, id, 1) == IPV8_ERR_HANDLE,
          "send_signed garbage");
    CHECK(ipv8_walk_to(NULL, "127.0.0.1", 1) == IPV8_ERR_NULL, "walk NULL");
    CHECK(ipv8_community_peers(NULL, NULL, 0) == IPV8_ERR_NULL, "peers NULL");
    CHECK(ipv8_node_stop(NULL) == IPV8_ERR_NULL, "stop NULL");
    CHECK(ipv8_node_destroy(NULL) == IPV8_ERR_NULL, "destroy NULL");

    /* Bad arguments on a live node and community. */
    CHECK(ipv8_node_create(CONFIG, &n) == IPV8_OK && n != NULL, "create");
    CHECK(ipv8_community_add(n, NULL, &c) == IPV8_ERR_NULL, "NULL id");
    CHECK(ipv8_community_add(n, id, NULL) == IPV8_ERR_NULL, "NULL out community");
    CHECK(ipv8_community_add(n, id, &c) == IPV8_OK, "add");
    ipv8_community_t *dup = NULL;
    CHECK(ipv8_community_add(n, id, &dup) == IPV8_ERR_ARGUMENT && dup == NULL, "duplicate community");
    CHECK(ipv8_node_port((ipv8_node_t *)c, &port) == IPV8_ERR_HANDLE, "community as node");
    CHECK(ipv8_walk_to((ipv8_community_t *)n, "127.0.0.1", 1) == IPV8_ERR_HANDLE, "node as community");
    CHECK(ipv8_community_on_message(c, 246, on_raw, NULL) == IPV8_ERR_ARGUMENT, "core id taken");
    CHECK(ipv8_community_on_message(c, 7, NULL, NULL) == IPV8_ERR_NULL, "NULL callback");
    CHECK(ipv8_community_on_message(c, 7, on_raw, NULL) == IPV8_OK, "handler");
    CHECK(ipv8_community_on_message(c, 7, on_raw, NULL) == IPV8_ERR_ARGUMENT, "handler twice");
    CHECK(ipv8_community_add_strategy(c, NULL, NULL, 1) == IPV8_ERR_NULL, "NULL step");
    CHECK(ipv8_community_add_strategy(c, walk_step, NULL, -5) == IPV8_ERR_ARGUMENT, "bad target");
    CHECK(ipv8_send(c, NULL, 1, id, 1) == IPV8_ERR_NULL, "NULL ip");
    CHECK(ipv8_send(c, "not an ip", 1, id, 1) == IPV8_ERR_ARGUMENT, "bad ip");
    CHECK(ipv8_send(c, "127.0.0.1", 1, NULL, 5) == IPV8_ERR_NULL, "NULL bytes");
    CHECK(ipv8_community_peers(c, NULL, 3) == IPV8_ERR_NULL, "NULL peers out");
    CHECK(ipv8_community_peers(c, NULL, 0) == 0, "no peers");
    CHECK(ipv8_node_stop(n) == IPV8_OK && ipv8_node_stop(n) == IPV8_OK, "stop twice");
    CHECK(ipv8_walk_to(c, "127.0.0.1", 1) == IPV8_ERR_STATE, "walk after stop");
    CHECK(ipv8_run_once(n, 0) == 0, "run_once after stop");
    CHECK(ipv8_node_destroy(n) == IPV8_OK, "destroy");
    CHECK(ipv8_node_port(n, &port) == IPV8_ERR_HANDLE, "stale node");
    CHECK(ipv8_walk_to(c, "127.0.0.1", 1) == IPV8_ERR_HANDLE, "stale community");
    CHECK(ipv8_node_destroy(n) == IPV8_ERR_HANDLE, "destroy twice");
    printf("ok bad arguments return errors\n");
}

int main(void) {
    bad_arguments();

    uint8_t id[20];
    for (int i = 0; i < 20; i++) id[i] = (uint8_t)(0xA0 + i);
    static const char hello[] = "hello from B";

    ipv8_node_t *a = NULL, *b = NULL;
    ipv8_community_t *ca = NULL, *cb = NULL;
    uint16_t port_a = 0, port_b = 0;
    CHECK(ipv8_node_create(CONFIG, &a) == IPV8_OK, "create A");
    node_a = a;
    CHECK(ipv8_node_create(CONFIG, &b) == IPV8_OK, "create B");
    CHECK(ipv8_node_port(a, &port_a) == IPV8_OK && port_a != 0, "port A");
    CHECK(ipv8_node_port(b, &port_b) == IPV8_OK && port_b != 0, "port B");
    CHECK(ipv8_community_add(a, id, &ca) == IPV8_OK, "community A");
    CHECK(ipv8_community_on_message(ca, 1, on_hello, (void *)hello) == IPV8_OK, "handler A");
    CHECK(ipv8_node_start_thread(a) == IPV8_OK, "start A");
    CHECK(ipv8_node_start_thread(a) == IPV8_ERR_STATE, "start A twice");
    CHECK(ipv8_run_once(a, 0) == IPV8_ERR_STATE, "drive a threaded node");

    /* B: a community added before it runs, its C strategy targets 1 peer. */
    CHECK(ipv8_community_add(b, id, &cb) == IPV8_OK, "community B");
    struct walker w = {.target_port = port_a, .node = b};
    CHECK(ipv8_community_add_strategy(cb, walk_step, &w, 1) == IPV8_OK, "strategy B");
    CHECK(ipv8_community_on_message(cb, 2, on_raw, &b_raw_received) == IPV8_OK, "handler B");
    CHECK(ipv8_run_once(b, 0) == 1, "first run_once");

    struct pair p = {ca, cb};
    CHECK(drive_b(b, 10.0, both_know_each_other, &p), "discovery: A has %d peers, B has %d, %d steps",
          peer_count(ca), peer_count(cb), w.steps);
    CHECK(w.steps >= 1 && w.walk_errors == 0, "steps %d errors %d", w.steps, w.walk_errors);
    CHECK(w.destroy_in_callback == IPV8_ERR_THREAD && w.run_in_callback == IPV8_ERR_THREAD,
          "destroy/run in a callback: %d %d", w.destroy_in_callback, w.run_in_callback);

    struct foreign f = {.community = cb, .node = b};
    pthread_t t;
    CHECK(pthread_create(&t, NULL, foreign_thread, &f) == 0, "pthread_create");
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    CHECK(f.walk_rc == IPV8_ERR_THREAD && f.run_rc == IPV8_ERR_THREAD, "foreign thread: %d %d", f.walk_rc, f.run_rc);
    printf("ok calls from callbacks and foreign threads are refused where the rules say so\n");
    printf("ok discovery: A and B know each other after %d C strategy steps\n", w.steps);

    ipv8_peer_t peers[4];
    int n = ipv8_community_peers(ca, peers, 4);
    CHECK(n == 1 && strcmp(peers[0].ip, "127.0.0.1") == 0 && peers[0].port == port_b, "A's peer %d %s:%u", n,
          n > 0 ? peers[0].ip : "-", n > 0 ? peers[0].port : 0);
    n = ipv8_community_peers(cb, peers, 4);
    CHECK(n == 1 && peers[0].port == port_a, "B's peer");
    printf("ok peers list: A sees 127.0.0.1:%u, B sees 127.0.0.1:%u\n", port_b, port_a);

    /* The strategy stops at its target: drive B for 10 walk intervals more. */
    int steps_at_target = w.steps;
    drive_b(b, 0.5, NULL, NULL);
    CHECK(w.steps <= steps_at_target + 1, "strategy kept stepping: %d -> %d", steps_at_target, w.steps);
    printf("ok strategy stopped at its target (%d steps, %d after)\n", steps_at_target, w.steps - steps_at_target);

    /* A signed message from B to A's C handler (on A's thread). */
    CHECK(ipv8_community_send_signed(cb, "127.0.0.1", port_a, 1, (const uint8_t *)hello, strlen(hello)) == IPV8_OK,
          "send signed");
    CHECK(drive_b(b, 5.0, a_got_message, NULL), "A never got the message");
    CHECK(atomic_load(&a_payload_ok) == 1 && atomic_load(&a_source_port) == port_b, "message content");
    CHECK(atomic_load(&a_stop_in_callback) == IPV8_ERR_THREAD, "stop in A's callback: %d", atomic_load(&a_stop_in_callback));
    printf("ok A's C handler got B's signed message\n");

    /* A raw message from A (sent from this host thread, marshalled to A's thread) to B's handler. */
    const uint8_t raw[3] = {2, 'x', 'y'};
    CHECK(ipv8_send(ca, "127.0.0.1", port_b, raw, sizeof raw) == IPV8_OK, "send raw");
    CHECK(drive_b(b, 5.0, b_got_raw, &b_raw_received), "B never got the raw message");
    printf("ok B's C handler (driven by poll) got A's raw message\n");

    CHECK(ipv8_node_destroy(a) == IPV8_OK, "destroy A");
    CHECK(ipv8_node_destroy(b) == IPV8_OK, "destroy B");
    CHECK(ipv8_community_peers(ca, NULL, 0) == IPV8_ERR_HANDLE, "stale community after destroy");
    printf("ALL PASSED\n");
    return 0;
}
