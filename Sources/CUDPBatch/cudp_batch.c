#define _GNU_SOURCE
#include "cudp_batch.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

int cudp_send_batch(int fd, const struct cudp_datagram *datagrams, unsigned int count) {
    struct mmsghdr headers[CUDP_BATCH_MAX];
    struct iovec vectors[CUDP_BATCH_MAX];
    if (count > CUDP_BATCH_MAX) count = CUDP_BATCH_MAX;
    if (count == 0) return 0;
    memset(headers, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = (void *)datagrams[i].bytes;
        vectors[i].iov_len = datagrams[i].length;
        headers[i].msg_hdr.msg_name = (void *)datagrams[i].address;
        headers[i].msg_hdr.msg_namelen = datagrams[i].address_length;
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
    }
    int sent;
    do {
        sent = sendmmsg(fd, headers, count, 0);
    } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -errno : sent;
}
