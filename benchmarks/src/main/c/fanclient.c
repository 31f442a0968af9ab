/*
 * fanclient: the fan-out load client of benchmarks/run.sh. One thread, one epoll set, every
 * connection non-blocking; meant to be pinned to its own core with taskset.
 *
 * Driven over standard input, one command per line; every command answers one line on standard
 * output starting with "ok" or "err":
 *   connect <group> <port> <count> <thread|->   open <count> WebSocket connections to
 *        ws://127.0.0.1:<port>/threads; with a thread name each sends a Threadwire join and counts
 *        as connected once "joined" comes back, with "-" once the 101 arrives.
 *   run <group> [ts]     arm: reset counters, count every frame from now on; with "ts" also take
 *        the kernel's receive timestamps (below), else none are taken (a plain read per call).
 *   stop <group> <sent> <timeoutMillis>   the publisher sent seq 1..<sent>: answer "ok stopping" at
 *        once, then "done <group> key=value..." when every connection has seq <sent> or on timeout.
 *   close <group>        close every connection of the group.
 *   quit
 * Every text frame's payload must carry "seq":<n> and "t":<monotonic nanos of the intended send>.
 * Per connection the client checks that seq goes 1, 2, 3...: a seq below the next expected counts
 * as reordered, a jump counts the skipped ones as lost. Latency = CLOCK_MONOTONIC at receipt - t
 * (the JVM's System.nanoTime is the same clock), in a log-linear histogram (1/64 relative
 * precision).
 * Where the time goes: in a "run ... ts" every socket has SO_TIMESTAMPNS on, so each read reports when the
 * kernel queued its last segment on the socket (on loopback: inside the server's write call).
 * "done" adds, besides the receipt latency of every frame (p50, p99, p999, max):
 *   k50/k99/k999   socket-arrival latency of every frame: kernel timestamp - t, i.e. the server's
 *                  part (publisher wake-up, hub, flusher, write) without this client's delay;
 *   per message (seq), over its copies to every connection of the group:
 *   fk50/fk99      first copy's arrival - t   (publisher and flusher wake-up, first write)
 *   lk50/lk99      last copy's arrival - t    (the whole fan-out written)
 *   fr50/fr99      first copy's receipt - t
 *   lr50/lr99      last copy's receipt - t    (the slowest recipient of each message)
 *   fkmin          the smallest first-copy arrival - t
 *   sk0/sk10/sk50/sk99   last copy's arrival - first copy's: how long writing one message to
 *                  every connection took (at a low rate, one write per connection; the minimum
 *                  is what it takes on a core nothing else wants)
 *   reads          reads that returned data: frames / reads is the batching the client saw
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAX_GROUPS 8
#define RBUF (256 * 1024)
#define PREFIX 160

enum { S_CONNECTING, S_HANDSHAKE, S_JOINING, S_OPEN, S_CLOSED };

typedef struct conn {
  int fd;
  int state;
  int group;
  /* frame parser */
  int hdr_len, hdr_need;
  unsigned char hdr[14];
  uint64_t remaining; /* payload bytes still to come */
  int opcode;
  int prefix_len;
  unsigned char prefix[PREFIX];
  char http[1024];
  int http_len;
  /* per-run counters */
  int64_t next_seq;
  int64_t received;
  int done;
} conn;

typedef struct group {
  char name[32];
  int used;
  int port;
  char thread[64];
  conn *conns;
  int count;
  int connected;
  int failed;
  int connect_pending; /* reply owed for connect */
  int armed;
  int stopping;
  int64_t sent;
  int64_t deadline_ns;
  int remaining_conns; /* connections not yet at seq sent */
  int64_t received, lost, reordered, first_ns, last_ns, bytes;
  int64_t max_lat;
  int64_t reads; /* reads that returned data while armed */
  int timestamps; /* SO_TIMESTAMPNS on for this group's sockets: read with recvmsg */
  /* per message: first/last kernel arrival and receipt, indexed by seq */
  int64_t *per_msg; /* 4 entries per seq: first_k, last_k, first_r, last_r */
  int64_t per_msg_cap;
  int64_t t_of_cap;
  int64_t *t_of; /* intended time per seq */
} group;

static group groups[MAX_GROUPS];
static int ep;
static unsigned char rbuf[RBUF];

/* log-linear histogram: values < 128 exact, then 64 sub-buckets per power of two */
#define HBUCKETS (64 * 64)
static int64_t hist[MAX_GROUPS][HBUCKETS];
/* socket-arrival latency (kernel timestamp - t), every frame */
static int64_t khist[MAX_GROUPS][HBUCKETS];
/* CLOCK_REALTIME - CLOCK_MONOTONIC, taken at "run": SO_TIMESTAMPNS reports CLOCK_REALTIME */
static int64_t real_minus_mono;

static int hidx(uint64_t v) {
  if (v < 128) return (int)v;
  int e = 63 - __builtin_clzll(v); /* >= 7 */
  int shift = e - 6;
  int i = (e - 6) * 64 + (int)(v >> shift); /* v>>shift in [64,128) */
  return i < HBUCKETS ? i : HBUCKETS - 1;
}
static uint64_t hval(int i) {
  if (i < 128) return (uint64_t)i;
  int k = i / 64, sub = i % 64; /* i = (e-6)*64 + (64+sub) => k = e-6+1 */
  int shift = k - 1;
  return ((uint64_t)(64 + sub) << shift) + ((1ull << shift) >> 1);
}
static uint64_t hpercentile(const int64_t *h, double p, int64_t total) {
  if (total == 0) return 0;
  int64_t want = (int64_t)(p / 100.0 * (double)total + 0.5), acc = 0;
  if (want < 1) want = 1;
  for (int i = 0; i < HBUCKETS; i++) {
    acc += h[i];
    if (acc >= want) return hval(i);
  }
  return hval(HBUCKETS - 1);
}
static uint64_t percentile(int g, double p, int64_t total) { return hpercentile(hist[g], p, total); }
static int64_t htotal(const int64_t *h) {
  int64_t t = 0;
  for (int i = 0; i < HBUCKETS; i++) t += h[i];
  return t;
}
static void hadd(int64_t *h, int64_t v) { h[hidx((uint64_t)(v < 0 ? 0 : v))]++; }

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t real_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC, from the closest-spaced of a few paired readings */
static int64_t clock_offset(void) {
  int64_t best = 0, best_gap = INT64_MAX;
  for (int i = 0; i < 16; i++) {
    int64_t a = now_ns(), r = real_ns(), b = now_ns();
    if (b - a < best_gap) {
      best_gap = b - a;
      best = r - (a + (b - a) / 2);
    }
  }
  return best;
}

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void reply(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  fflush(stdout);
}

static int find_group(const char *name) {
  for (int i = 0; i < MAX_GROUPS; i++)
    if (groups[i].used && strcmp(groups[i].name, name) == 0) return i;
  return -1;
}

static void send_all(conn *c, const unsigned char *b, size_t n) {
  /* control-sized writes only; the socket buffer always takes them */
  while (n > 0) {
    ssize_t w = write(c->fd, b, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    b += w;
    n -= (size_t)w;
  }
}

static size_t client_frame(unsigned char *out, int opcode, const char *payload, size_t len) {
  static const unsigned char mask[4] = {0x3a, 0x5c, 0x19, 0x6e};
  size_t o = 0;
  out[o++] = (unsigned char)(0x80 | opcode);
  out[o++] = (unsigned char)(0x80 | len); /* len < 126 */
  memcpy(out + o, mask, 4);
  o += 4;
  for (size_t i = 0; i < len; i++) out[o++] = (unsigned char)payload[i] ^ mask[i & 3];
  return o;
}

static void finish(int gi, int timedout) {
  group *g = &groups[gi];
  int64_t total = 0;
  for (int i = 0; i < HBUCKETS; i++) total += hist[gi][i];
  int64_t lost = g->lost;
  for (int i = 0; i < g->count; i++) {
    conn *c = &g->conns[i];
    if (c->state == S_OPEN && c->next_seq <= g->sent) lost += g->sent - c->next_seq + 1;
  }
  static int64_t fk[HBUCKETS], lk[HBUCKETS], fr[HBUCKETS], lr[HBUCKETS], sk[HBUCKETS];
  memset(sk, 0, sizeof sk);
  memset(fk, 0, sizeof fk);
  memset(lk, 0, sizeof lk);
  memset(fr, 0, sizeof fr);
  memset(lr, 0, sizeof lr);
  int64_t msgs = 0;
  for (int64_t seq = 1; seq < g->per_msg_cap && seq < g->t_of_cap; seq++) {
    int64_t *m = g->per_msg + 4 * seq;
    int64_t t = g->t_of[seq];
    if (m[2] == 0 || t <= 0) continue;
    msgs++;
    if (m[0] != 0) {
      hadd(fk, m[0] - t);
      hadd(lk, m[1] - t);
      hadd(sk, m[1] - m[0]);
    }
    hadd(fr, m[2] - t);
    hadd(lr, m[3] - t);
  }
  int64_t ktotal = htotal(khist[gi]), fkt = htotal(fk);
  reply("done %s received=%lld expected=%lld lost=%lld reordered=%lld first=%lld last=%lld"
        " p50=%llu p99=%llu p999=%llu max=%lld timedout=%s bytes=%lld"
        " k50=%llu k99=%llu k999=%llu msgs=%lld fk50=%llu fk99=%llu lk50=%llu lk99=%llu"
        " fr50=%llu fr99=%llu lr50=%llu lr99=%llu reads=%lld fkmin=%llu sk0=%llu sk10=%llu"
        " sk50=%llu sk99=%llu",
        g->name, (long long)g->received, (long long)(g->sent * (int64_t)g->connected),
        (long long)lost, (long long)g->reordered, (long long)g->first_ns, (long long)g->last_ns,
        (unsigned long long)percentile(gi, 50, total), (unsigned long long)percentile(gi, 99, total),
        (unsigned long long)percentile(gi, 99.9, total), (long long)g->max_lat,
        timedout ? "true" : "false", (long long)g->bytes,
        (unsigned long long)hpercentile(khist[gi], 50, ktotal),
        (unsigned long long)hpercentile(khist[gi], 99, ktotal),
        (unsigned long long)hpercentile(khist[gi], 99.9, ktotal), (long long)msgs,
        (unsigned long long)hpercentile(fk, 50, fkt), (unsigned long long)hpercentile(fk, 99, fkt),
        (unsigned long long)hpercentile(lk, 50, fkt), (unsigned long long)hpercentile(lk, 99, fkt),
        (unsigned long long)hpercentile(fr, 50, msgs), (unsigned long long)hpercentile(fr, 99, msgs),
        (unsigned long long)hpercentile(lr, 50, msgs), (unsigned long long)hpercentile(lr, 99, msgs), (long long)g->reads,
        (unsigned long long)hpercentile(fk, 0, fkt), (unsigned long long)hpercentile(sk, 0, fkt),
        (unsigned long long)hpercentile(sk, 10, fkt), (unsigned long long)hpercentile(sk, 50, fkt),
        (unsigned long long)hpercentile(sk, 99, fkt));
  g->armed = 0;
  g->stopping = 0;
}

static void conn_closed(conn *c) {
  if (c->state == S_CLOSED) return;
  group *g = &groups[c->group];
  int was = c->state;
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->state = S_CLOSED;
  if (was != S_OPEN) {
    g->failed++;
  } else {
    g->connected--;
    if (g->stopping && !c->done) {
      g->lost += g->sent - c->next_seq + 1;
      if (--g->remaining_conns == 0) finish(c->group, 0);
    }
  }
  if (g->connect_pending && g->connected + g->failed >= g->count) {
    g->connect_pending = 0;
    reply("err %s: %d of %d connections failed", g->name, g->failed, g->count);
  }
}

static void became_open(conn *c) {
  group *g = &groups[c->group];
  c->state = S_OPEN;
  g->connected++;
  if (g->connect_pending && g->connected + g->failed >= g->count) {
    g->connect_pending = 0;
    if (g->failed) reply("err %s: %d of %d connections failed", g->name, g->failed, g->count);
    else reply("ok connected %s %d", g->name, g->connected);
  }
}

static int64_t num_after(const unsigned char *p, int len, const char *key) {
  int kl = (int)strlen(key);
  for (int i = 0; i + kl <= len; i++) {
    if (p[i] == (unsigned char)key[0] && memcmp(p + i, key, (size_t)kl) == 0) {
      int j = i + kl;
      int64_t v = 0;
      int any = 0;
      while (j < len && p[j] >= '0' && p[j] <= '9') {
        v = v * 10 + (p[j] - '0');
        j++;
        any = 1;
      }
      return any ? v : -1;
    }
  }
  return -1;
}

static void on_frame(conn *c, int64_t now, int64_t arrival) {
  group *g = &groups[c->group];
  if (c->opcode == 0x8) {
    conn_closed(c);
    return;
  }
  if (c->opcode != 0x1) return;
  if (c->state == S_JOINING) {
    if (c->prefix_len >= 16 && memcmp(c->prefix, "{\"type\":\"joined\"", 16) == 0) became_open(c);
    return;
  }
  if (!g->armed) return;
  int64_t seq = num_after(c->prefix, c->prefix_len, "\"seq\":");
  if (seq < 0) return; /* not a benchmark message */
  int64_t t = num_after(c->prefix, c->prefix_len, "\"t\":");
  g->received++;
  c->received++;
  if (seq == c->next_seq) {
    c->next_seq++;
  } else if (seq < c->next_seq) {
    g->reordered++;
  } else {
    g->lost += seq - c->next_seq;
    c->next_seq = seq + 1;
  }
  if (t > 0) {
    int64_t lat = now - t;
    if (lat < 0) lat = 0;
    hist[c->group][hidx((uint64_t)lat)]++;
    if (lat > g->max_lat) g->max_lat = lat;
    if (arrival > 0) hadd(khist[c->group], arrival - t);
    if (seq > 0 && seq < (1LL << 26)) {
      if (seq >= g->per_msg_cap) {
        int64_t cap = g->per_msg_cap ? g->per_msg_cap : 4096;
        while (cap <= seq) cap *= 2;
        g->per_msg = realloc(g->per_msg, (size_t)cap * 4 * sizeof(int64_t));
        memset(g->per_msg + 4 * g->per_msg_cap, 0,
               (size_t)(cap - g->per_msg_cap) * 4 * sizeof(int64_t));
        g->t_of = realloc(g->t_of, (size_t)cap * sizeof(int64_t));
        memset(g->t_of + g->t_of_cap, 0, (size_t)(cap - g->t_of_cap) * sizeof(int64_t));
        g->per_msg_cap = g->t_of_cap = cap;
      }
      int64_t *m = g->per_msg + 4 * seq;
      g->t_of[seq] = t;
      if (arrival > 0) {
        if (m[0] == 0 || arrival < m[0]) m[0] = arrival;
        if (arrival > m[1]) m[1] = arrival;
      }
      if (m[2] == 0) m[2] = now;
      m[3] = now;
    }
  }
  if (g->first_ns == 0) g->first_ns = now;
  g->last_ns = now;
  if (g->stopping && !c->done && c->next_seq > g->sent) {
    c->done = 1;
    if (--g->remaining_conns == 0) finish(c->group, 0);
  }
}

static void parse(conn *c, unsigned char *b, size_t n, int64_t now, int64_t arrival) {
  size_t i = 0;
  while (i < n && c->state != S_CLOSED) {
    if (c->remaining == 0 && c->hdr_need > 0) {
      /* header */
      c->hdr[c->hdr_len++] = b[i++];
      if (c->hdr_len == 2) {
        int l = c->hdr[1] & 0x7f;
        c->hdr_need = l == 126 ? 4 : l == 127 ? 10 : 2;
      }
      if (c->hdr_len < c->hdr_need) continue;
      c->opcode = c->hdr[0] & 0x0f;
      int l = c->hdr[1] & 0x7f;
      uint64_t len = (uint64_t)l;
      if (l == 126) len = ((uint64_t)c->hdr[2] << 8) | c->hdr[3];
      if (l == 127) {
        len = 0;
        for (int k = 2; k < 10; k++) len = (len << 8) | c->hdr[k];
      }
      c->hdr_len = 0;
      c->hdr_need = 0; /* in payload */
      c->prefix_len = 0;
      c->remaining = len;
      if (len == 0) {
        c->hdr_need = 2;
        on_frame(c, now, arrival);
      }
      continue;
    }
    size_t take = n - i;
    if (take > c->remaining) take = (size_t)c->remaining;
    if (c->prefix_len < PREFIX) {
      size_t p = PREFIX - (size_t)c->prefix_len;
      if (p > take) p = take;
      memcpy(c->prefix + c->prefix_len, b + i, p);
      c->prefix_len += (int)p;
    }
    i += take;
    c->remaining -= take;
    if (c->remaining == 0) {
      c->hdr_need = 2;
      on_frame(c, now, arrival);
    }
  }
}

static void on_readable(conn *c) {
  for (;;) {
    struct iovec iov = {.iov_base = rbuf, .iov_len = RBUF};
    union {
      char buf[CMSG_SPACE(sizeof(struct timespec))];
      struct cmsghdr align;
    } ctl;
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                        .msg_controllen = sizeof ctl.buf};
    ssize_t r = groups[c->group].timestamps ? recvmsg(c->fd, &mh, 0) : read(c->fd, rbuf, RBUF);
    if (r == 0) {
      conn_closed(c);
      return;
    }
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno == EINTR) continue;
      conn_closed(c);
      return;
    }
    int64_t now = now_ns();
    int64_t arrival = 0; /* when the kernel queued the last segment read, CLOCK_MONOTONIC */
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
      if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec ts;
        memcpy(&ts, CMSG_DATA(cm), sizeof ts);
        arrival = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec - real_minus_mono;
      }
    }
    groups[c->group].bytes += r;
    if (groups[c->group].armed) groups[c->group].reads++;
    unsigned char *b = rbuf;
    size_t n = (size_t)r;
    if (c->state == S_HANDSHAKE) {
      size_t k = 0;
      while (k < n && c->state == S_HANDSHAKE) {
        if (c->http_len < (int)sizeof c->http - 1) c->http[c->http_len++] = (char)b[k];
        k++;
        if (c->http_len >= 4 && memcmp(c->http + c->http_len - 4, "\r\n\r\n", 4) == 0) {
          c->http[c->http_len] = 0;
          if (strncmp(c->http, "HTTP/1.1 101", 12) != 0) {
            conn_closed(c);
            return;
          }
          group *g = &groups[c->group];
          if (g->thread[0]) {
            char json[96];
            unsigned char fr[128];
            int jl = snprintf(json, sizeof json, "{\"type\":\"join\",\"thread\":\"%s\"}", g->thread);
            size_t fl = client_frame(fr, 0x1, json, (size_t)jl);
            c->state = S_JOINING;
            send_all(c, fr, fl);
          } else {
            became_open(c);
          }
        }
      }
      b += k;
      n -= k;
    }
    if (n > 0) parse(c, b, n, now, arrival);
    if (c->state == S_CLOSED) return;
    if (r < RBUF) return;
  }
}

static void start_conn(int gi, conn *c) {
  group *g = &groups[gi];
  memset(c, 0, sizeof *c);
  c->group = gi;
  c->hdr_need = 2;
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (c->fd < 0) {
    c->state = S_CLOSED;
    g->failed++;
    return;
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)g->port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  c->state = S_CONNECTING;
  struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
  if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
    conn_closed(c);
  }
}

static void on_connected(conn *c) {
  int err = 0;
  socklen_t l = sizeof err;
  getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
  if (err) {
    conn_closed(c);
    return;
  }
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
  char req[256];
  group *g = &groups[c->group];
  int n = snprintf(req, sizeof req,
                   "GET /threads HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n",
                   g->port);
  c->state = S_HANDSHAKE;
  send_all(c, (unsigned char *)req, (size_t)n);
}

/* connections are opened at most this many at a time */
static int next_to_open[MAX_GROUPS];

static void open_more(void) {
  for (int gi = 0; gi < MAX_GROUPS; gi++) {
    group *g = &groups[gi];
    if (!g->used) continue;
    int inflight = 0;
    for (int i = 0; i < next_to_open[gi]; i++) {
      int s = g->conns[i].state;
      if (s == S_CONNECTING || s == S_HANDSHAKE || s == S_JOINING) inflight++;
      if (inflight >= 256) break;
    }
    while (inflight < 256 && next_to_open[gi] < g->count) {
      start_conn(gi, &g->conns[next_to_open[gi]++]);
      inflight++;
    }
  }
}

static void command(char *line) {
  char *argv[8];
  int argc = 0;
  for (char *t = strtok(line, " \t\r\n"); t && argc < 8; t = strtok(NULL, " \t\r\n")) argv[argc++] = t;
  if (argc == 0) return reply("err empty command");
  if (strcmp(argv[0], "connect") == 0 && argc == 5) {
    if (find_group(argv[1]) >= 0) return reply("err group %s exists", argv[1]);
    int gi = -1;
    for (int i = 0; i < MAX_GROUPS; i++)
      if (!groups[i].used) {
        gi = i;
        break;
      }
    if (gi < 0) return reply("err too many groups");
    group *g = &groups[gi];
    memset(g, 0, sizeof *g);
    g->used = 1;
    snprintf(g->name, sizeof g->name, "%s", argv[1]);
    g->port = atoi(argv[2]);
    g->count = atoi(argv[3]);
    if (strcmp(argv[4], "-") != 0) snprintf(g->thread, sizeof g->thread, "%s", argv[4]);
    g->conns = calloc((size_t)g->count, sizeof(conn));
    next_to_open[gi] = 0;
    g->connect_pending = 1;
    if (g->count == 0) {
      g->connect_pending = 0;
      reply("ok connected %s 0", g->name);
    }
    return;
  }
  if (strcmp(argv[0], "run") == 0 && (argc == 2 || (argc == 3 && strcmp(argv[2], "ts") == 0))) {
    int gi = find_group(argv[1]);
    if (gi < 0) return reply("err unknown group %s", argv[1]);
    group *g = &groups[gi];
    int ts = argc == 3;
    if (ts != g->timestamps) {
      for (int i = 0; i < g->count; i++) {
        conn *c = &g->conns[i];
        if (c->state != S_CLOSED && i < next_to_open[gi])
          setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &ts, sizeof ts);
      }
      g->timestamps = ts;
    }
    memset(hist[gi], 0, sizeof hist[gi]);
    memset(khist[gi], 0, sizeof khist[gi]);
    if (g->per_msg) memset(g->per_msg, 0, (size_t)g->per_msg_cap * 4 * sizeof(int64_t));
    if (g->t_of) memset(g->t_of, 0, (size_t)g->t_of_cap * sizeof(int64_t));
    real_minus_mono = clock_offset();
    g->received = g->lost = g->reordered = g->first_ns = g->last_ns = g->bytes = g->max_lat = g->reads = 0;
    g->stopping = 0;
    for (int i = 0; i < g->count; i++) {
      g->conns[i].next_seq = 1;
      g->conns[i].received = 0;
      g->conns[i].done = 0;
    }
    g->armed = 1;
    return reply("ok armed %s", g->name);
  }
  if (strcmp(argv[0], "stop") == 0 && argc == 4) {
    int gi = find_group(argv[1]);
    if (gi < 0) return reply("err unknown group %s", argv[1]);
    group *g = &groups[gi];
    if (!g->armed) return reply("err %s not armed", g->name);
    g->sent = atoll(argv[2]);
    g->deadline_ns = now_ns() + atoll(argv[3]) * 1000000LL;
    g->stopping = 1;
    g->remaining_conns = 0;
    for (int i = 0; i < g->count; i++) {
      conn *c = &g->conns[i];
      if (c->state != S_OPEN) continue;
      if (c->next_seq > g->sent) c->done = 1;
      else g->remaining_conns++;
    }
    reply("ok stopping %s", g->name);
    if (g->remaining_conns == 0) finish(gi, 0);
    return;
  }
  if (strcmp(argv[0], "close") == 0 && argc == 2) {
    int gi = find_group(argv[1]);
    if (gi < 0) return reply("err unknown group %s", argv[1]);
    group *g = &groups[gi];
    if (g->armed) finish(gi, 0);
    int n = 0;
    unsigned char fr[16];
    size_t fl = client_frame(fr, 0x8, "\x03\xe8", 2);
    for (int i = 0; i < g->count; i++) {
      conn *c = &g->conns[i];
      if (c->state == S_CLOSED || i >= next_to_open[gi]) continue;
      if (c->state == S_OPEN) send_all(c, fr, fl);
      epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
      close(c->fd);
      c->state = S_CLOSED;
      n++;
    }
    free(g->conns);
    free(g->per_msg);
    free(g->t_of);
    g->per_msg = g->t_of = NULL;
    g->per_msg_cap = g->t_of_cap = 0;
    g->used = 0;
    return reply("ok closed %s %d", argv[1], n);
  }
  if (strcmp(argv[0], "quit") == 0) {
    reply("ok bye");
    exit(0);
  }
  reply("err unknown or malformed command '%s'", argv[0]);
}

int main(void) {
  ep = epoll_create1(0);
  struct epoll_event in = {.events = EPOLLIN, .data.ptr = NULL};
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  static char line[4096];
  int line_len = 0;
  struct epoll_event evs[512];
  for (;;) {
    open_more();
    int n = epoll_wait(ep, evs, 512, 10);
    for (int i = 0; i < n; i++) {
      if (evs[i].data.ptr == NULL) {
        char b[1024];
        ssize_t r;
        while ((r = read(0, b, sizeof b)) > 0) {
          for (ssize_t k = 0; k < r; k++) {
            if (b[k] == '\n') {
              line[line_len] = 0;
              command(line);
              line_len = 0;
            } else if (line_len < (int)sizeof line - 1) {
              line[line_len++] = b[k];
            }
          }
        }
        if (r == 0) exit(0);
        continue;
      }
      conn *c = evs[i].data.ptr;
      if (c->state == S_CONNECTING) {
        on_connected(c);
        continue;
      }
      if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
    }
    int64_t now = now_ns();
    for (int gi = 0; gi < MAX_GROUPS; gi++) {
      group *g = &groups[gi];
      if (g->used && g->stopping && now > g->deadline_ns) finish(gi, 1);
    }
  }
}
