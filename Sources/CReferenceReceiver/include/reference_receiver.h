#ifndef SWIFT_IPV8_REFERENCE_RECEIVER_H
#define SWIFT_IPV8_REFERENCE_RECEIVER_H

/* A plain-C libuv UDP receiver and a load generator, used by ipv8-bench as the reference the Swift
 * engine is measured against in the same run. Loopback only. */

#include <stdint.h>

typedef struct reference_receiver reference_receiver;

typedef struct {
    uint64_t packets;        /* datagrams received */
    uint64_t bytes;          /* bytes received */
    uint64_t matched;        /* datagrams whose 22-byte prefix matched the registered prefix */
    uint64_t cpu_ns;         /* CPU time of the receiving thread while it ran */
    int using_recvmmsg;      /* 1 when libuv read with recvmmsg */
} reference_stats;

/* Binds 127.0.0.1:0 with UV_UDP_RECVMMSG and a 20 x 64 KiB slab. Stores the port in *port.
 * `prefix` (22 bytes) is what received datagrams are compared against. NULL on failure. */
reference_receiver *reference_receiver_create(const uint8_t *prefix, uint16_t *port);

/* Runs the loop on the calling thread until `expected` datagrams arrived, or `idle_ms` passed without a
 * datagram once the first one arrived, or `timeout_ms` passed in total. Fills *stats. 0 on success. */
int reference_receiver_run(reference_receiver *r, uint64_t expected, unsigned idle_ms, unsigned timeout_ms,
                           reference_stats *stats);

void reference_receiver_destroy(reference_receiver *r);

/* Sends `count` datagrams of `size` bytes (each starting with `prefix`, 22 bytes) to 127.0.0.1:port
 * from a new thread, in sendmmsg batches of `batch`, sleeping `pause_us` between batches.
 * Returns an opaque handle for reference_sender_join, or NULL. */
void *reference_sender_start(uint16_t port, const uint8_t *prefix, uint64_t count, unsigned size,
                             unsigned batch, unsigned pause_us);

/* Waits for the sender thread; returns how many datagrams it handed to the kernel. */
uint64_t reference_sender_join(void *sender);

/* CPU time of the calling thread in nanoseconds. */
uint64_t reference_thread_cpu_ns(void);

/* Keeps thread `tid` (0: the calling thread; a process's PID: its main thread) on CPU `cpu` alone, or on
 * every online CPU when `cpu` is negative (sched_setaffinity). 0 on success, else errno. */
int reference_pin_to_cpu(int tid, int cpu);

#endif
