#ifndef SWIFT_IPV8_CUDP_BATCH_H
#define SWIFT_IPV8_CUDP_BATCH_H

#include <stddef.h>

/* sendmmsg(2) for Swift, whose Glibc module does not show it (it needs _GNU_SOURCE). */

/* The most datagrams one cudp_send_batch call takes. */
#define CUDP_BATCH_MAX 64

/* One datagram to send: its bytes and its destination (a struct sockaddr_in or sockaddr_in6). */
struct cudp_datagram {
    const void *bytes;
    size_t length;
    const void *address;
    unsigned int address_length;
};

/* Sends the first min(count, CUDP_BATCH_MAX) datagrams on socket `fd` with one sendmmsg(2), retried on EINTR.
 * Returns how many went out, in order (fewer than asked when one failed after others went out: the caller
 * may retry from the first that did not), or -errno when the first one failed. */
int cudp_send_batch(int fd, const struct cudp_datagram *datagrams, unsigned int count);

#endif
