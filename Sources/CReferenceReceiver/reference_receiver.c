#define _GNU_SOURCE
#include "reference_receiver.h"

#include <uv.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#define SLAB_SIZE (20 * 65536)

struct reference_receiver {
    uv_loop_t loop;
    uv_udp_t udp;
    uv_timer_t timer;
    uint8_t prefix[22];
    char *slab;
    reference_stats stats;
    uint64_t expected;
    uint64_t last_seen_packets;
    uint64_t started_ms;
    unsigned idle_ms;
    unsigned timeout_ms;
};

uint64_t reference_thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int reference_pin_to_cpu(int tid, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cpu >= 0) {
        CPU_SET(cpu, &set);
    } else {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        for (long i = 0; i < online && i < CPU_SETSIZE; i++) CPU_SET(i, &set);
    }
    return sched_setaffinity(tid, sizeof set, &set) == 0 ? 0 : errno;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    (void)suggested;
    reference_receiver *r = h->data;
    *buf = uv_buf_init(r->slab, SLAB_SIZE);
}

static void on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *addr, unsigned flags) {
    (void)flags;
    reference_receiver *r = h->data;
    if (nread <= 0 || addr == NULL) return;
    r->stats.packets++;
    r->stats.bytes += (uint64_t)nread;
    if (nread > 22 && memcmp(buf->base, r->prefix, 22) == 0) r->stats.matched++;
    if (r->stats.packets >= r->expected) uv_stop(&r->loop);
}

static void on_tick(uv_timer_t *t) {
    reference_receiver *r = t->data;
    uint64_t now = uv_now(&r->loop);
    if (now - r->started_ms >= r->timeout_ms) { uv_stop(&r->loop); return; }
    if (r->stats.packets > 0 && r->stats.packets == r->last_seen_packets) { uv_stop(&r->loop); return; }
    r->last_seen_packets = r->stats.packets;
}

reference_receiver *reference_receiver_create(const uint8_t *prefix, uint16_t *port) {
    reference_receiver *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->slab = malloc(SLAB_SIZE);
    memcpy(r->prefix, prefix, 22);
    if (!r->slab || uv_loop_init(&r->loop) != 0) { free(r->slab); free(r); return NULL; }
    uv_udp_init_ex(&r->loop, &r->udp, AF_INET | UV_UDP_RECVMMSG);
    r->udp.data = r;
    struct sockaddr_in sa;
    uv_ip4_addr("127.0.0.1", 0, &sa);
    if (uv_udp_bind(&r->udp, (const struct sockaddr *)&sa, 0) != 0) { reference_receiver_destroy(r); return NULL; }
    int len = sizeof sa;
    uv_udp_getsockname(&r->udp, (struct sockaddr *)&sa, &len);
    *port = ntohs(sa.sin_port);
    uv_timer_init(&r->loop, &r->timer);
    r->timer.data = r;
    return r;
}

int reference_receiver_run(reference_receiver *r, uint64_t expected, unsigned idle_ms, unsigned timeout_ms,
                           reference_stats *stats) {
    memset(&r->stats, 0, sizeof r->stats);
    r->expected = expected;
    r->idle_ms = idle_ms;
    r->timeout_ms = timeout_ms;
    r->last_seen_packets = 0;
    uv_update_time(&r->loop);
    r->started_ms = uv_now(&r->loop);
    uv_udp_recv_start(&r->udp, on_alloc, on_recv);
    uv_timer_start(&r->timer, on_tick, idle_ms, idle_ms);
    r->stats.using_recvmmsg = uv_udp_using_recvmmsg(&r->udp);
    uint64_t cpu0 = reference_thread_cpu_ns();
    uv_run(&r->loop, UV_RUN_DEFAULT);
    r->stats.cpu_ns = reference_thread_cpu_ns() - cpu0;
    uv_timer_stop(&r->timer);
    uv_udp_recv_stop(&r->udp);
    *stats = r->stats;
    return 0;
}

void reference_receiver_destroy(reference_receiver *r) {
    if (!r) return;
    uv_close((uv_handle_t *)&r->udp, NULL);
    if (r->timer.loop) uv_close((uv_handle_t *)&r->timer, NULL);
    uv_run(&r->loop, UV_RUN_DEFAULT);
    uv_loop_close(&r->loop);
    free(r->slab);
    free(r);
}

typedef struct {
    pthread_t thread;
    uint16_t port;
    uint8_t prefix[22];
    uint64_t count;
    unsigned size, batch, pause_us;
    uint64_t sent;
} sender;

static void *sender_main(void *arg) {
    sender *s = arg;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return NULL;
    struct sockaddr_in to = {0};
    to.sin_family = AF_INET;
    to.sin_port = htons(s->port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);   /* loopback only */
    unsigned batch = s->batch ? s->batch : 1;
    char *data = calloc(batch, s->size);
    struct mmsghdr *msgs = calloc(batch, sizeof *msgs);
    struct iovec *iov = calloc(batch, sizeof *iov);
    for (unsigned i = 0; i < batch; i++) {
        memcpy(data + (size_t)i * s->size, s->prefix, s->size < 22 ? s->size : 22);
        iov[i].iov_base = data + (size_t)i * s->size;
        iov[i].iov_len = s->size;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &to;
        msgs[i].msg_hdr.msg_namelen = sizeof to;
    }
    while (s->sent < s->count) {
        uint64_t left = s->count - s->sent;
        unsigned n = left < batch ? (unsigned)left : batch;
        int r = sendmmsg(fd, msgs, n, 0);
        if (r > 0) s->sent += (uint64_t)r;
        else usleep(50);                          /* kernel buffer full: back off briefly */
        if (s->pause_us) usleep(s->pause_us);
    }
    free(data); free(msgs); free(iov);
    close(fd);
    return NULL;
}

void *reference_sender_start(uint16_t port, const uint8_t *prefix, uint64_t count, unsigned size,
                             unsigned batch, unsigned pause_us) {
    sender *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->port = port; s->count = count; s->size = size < 23 ? 23 : size; s->batch = batch; s->pause_us = pause_us;
    memcpy(s->prefix, prefix, 22);
    if (pthread_create(&s->thread, NULL, sender_main, s) != 0) { free(s); return NULL; }
    return s;
}

uint64_t reference_sender_join(void *p) {
    sender *s = p;
    pthread_join(s->thread, NULL);
    uint64_t sent = s->sent;
    free(s);
    return sent;
}
