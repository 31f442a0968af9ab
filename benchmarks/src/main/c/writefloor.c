/*
 * writefloor: what writing one small frame to each of N loopback TCP connections costs, without any
 * server: the floor under the fan-out latency of benchmarks/run.sh's latency phase.
 *
 *   writefloor N BYTES ROUNDS GAP_US WRITER_CPU READER_CPU [FRAMES_PER_WRITE]
 *
 * Opens N connected loopback TCP pairs (TCP_NODELAY on both ends, as the servers and fanclient set
 * it). A reader thread pinned to READER_CPU drains every receiving end through one epoll set, as
 * fanclient does. The main thread, pinned to WRITER_CPU, runs ROUNDS rounds: one write() of
 * FRAMES_PER_WRITE x BYTES bytes to each of the N sockets in turn, then sleeps GAP_US (so every
 * round is an isolated "message", as at a low publishing rate). Prints the round durations (min,
 * p10, p50, p90, max) and the per-write cost of the fastest and the median round, wall clock and
 * the writer thread's CPU time (a CPU of -1: not pinned). On loopback the writing thread also runs the receive side of TCP
 * (softirq) for its segments, so that cost lands on the writer's core, as it does on the server's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int n, *wfd, *rfd, ep;
static volatile int stop;

static int64_t ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void pin(int cpu) {
  if (cpu < 0) return; /* unpinned */
  cpu_set_t s;
  CPU_ZERO(&s);
  CPU_SET(cpu, &s);
  if (pthread_setaffinity_np(pthread_self(), sizeof s, &s) != 0) perror("setaffinity");
}

static int reader_cpu;
static void *reader(void *arg) {
  (void)arg;
  pin(reader_cpu);
  static char buf[256 * 1024];
  struct epoll_event evs[512];
  while (!stop) {
    int k = epoll_wait(ep, evs, 512, 10);
    for (int i = 0; i < k; i++) {
      int fd = evs[i].data.fd;
      while (read(fd, buf, sizeof buf) == (ssize_t)sizeof buf) {
      }
    }
  }
  return NULL;
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: writefloor N BYTES ROUNDS GAP_US WRITER_CPU READER_CPU [FRAMES]\n");
    return 2;
  }
  n = atoi(argv[1]);
  int bytes = atoi(argv[2]), rounds = atoi(argv[3]), gap = atoi(argv[4]);
  int wcpu = atoi(argv[5]);
  reader_cpu = atoi(argv[6]);
  int frames = argc > 7 ? atoi(argv[7]) : 1;
  pin(wcpu);
  wfd = calloc((size_t)n, sizeof(int));
  rfd = calloc((size_t)n, sizeof(int));
  int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t al = sizeof a;
  if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 4096) ||
      getsockname(ls, (struct sockaddr *)&a, &al)) {
    perror("listen");
    return 1;
  }
  ep = epoll_create1(0);
  for (int i = 0; i < n; i++) {
    wfd[i] = socket(AF_INET, SOCK_STREAM, 0);
    if (wfd[i] < 0 || connect(wfd[i], (struct sockaddr *)&a, sizeof a)) {
      perror("connect");
      return 1;
    }
    rfd[i] = accept(ls, NULL, NULL);
    setsockopt(wfd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(rfd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = rfd[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, rfd[i], &ev);
  }
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  size_t len = (size_t)bytes * (size_t)frames;
  char *msg = malloc(len);
  memset(msg, 'x', len);
  int64_t *wall = calloc((size_t)rounds, sizeof(int64_t)), *cpu = calloc((size_t)rounds, 8);
  struct timespec g = {.tv_sec = gap / 1000000, .tv_nsec = (long)(gap % 1000000) * 1000};
  for (int r = 0; r < rounds; r++) {
    int64_t w0 = ns(CLOCK_MONOTONIC), c0 = ns(CLOCK_THREAD_CPUTIME_ID);
    for (int i = 0; i < n; i++) {
      if (write(wfd[i], msg, len) != (ssize_t)len) {
        perror("write");
        return 1;
      }
    }
    wall[r] = ns(CLOCK_MONOTONIC) - w0;
    cpu[r] = ns(CLOCK_THREAD_CPUTIME_ID) - c0;
    nanosleep(&g, NULL);
  }
  stop = 1;
  pthread_join(t, NULL);
  qsort(wall, (size_t)rounds, 8, cmp);
  qsort(cpu, (size_t)rounds, 8, cmp);
#define P(v, q) ((v)[(int)((double)(rounds - 1) * (q))] / 1e6)
  printf("N=%d %d B x %d per write, %d rounds, gap %d us, writer CPU %d, reader CPU %d\n", n, bytes,
         frames, rounds, gap, wcpu, reader_cpu);
  printf("round wall ms: min %.3f p10 %.3f p50 %.3f p90 %.3f max %.3f\n", P(wall, 0), P(wall, .1),
         P(wall, .5), P(wall, .9), P(wall, 1));
  printf("round cpu  ms: min %.3f p10 %.3f p50 %.3f p90 %.3f max %.3f\n", P(cpu, 0), P(cpu, .1),
         P(cpu, .5), P(cpu, .9), P(cpu, 1));
  printf("per write us: wall min %.2f p50 %.2f, cpu min %.2f p50 %.2f\n", wall[0] / 1e3 / n,
         wall[rounds / 2] / 1e3 / n, cpu[0] / 1e3 / n, cpu[rounds / 2] / 1e3 / n);
  return 0;
}
