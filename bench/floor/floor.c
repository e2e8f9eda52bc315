/*
 * The floor probe: the least work that makes the writes a fan-out makes. One WebSocket text frame of the given size
 * per socket per event, to N loopback TCP sockets, at R events/s, then the CPU this process spent per write, from
 * getrusage (user and system) and /proc/self/io (write calls). A forked reader on another core drains the sockets, as
 * the load generator does; on loopback the receiving side's TCP work runs on the sender's core, so it is part of the
 * floor, exactly as it is part of what a server pays.
 *
 *   gcc -O2 -o floor floor.c
 *   taskset -c 0 ./floor --sockets 500 --rate 150 --bytes 390 --warmup 3 --seconds 5 --rounds 3 [--batch 1]
 *
 * --batch F puts F consecutive events' frames for a socket into one write (one write every F events), to show what
 * coalescing buys. Prints one JSON line, the same shape as the generator's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int sockets = 500, rate = 150, bytes = 390, warmup = 3, seconds = 5, rounds = 3, batch = 1, reader_cpu = 1;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(long long deadline) {
  struct timespec ts = {deadline / 1000000000LL, deadline % 1000000000LL};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
  }
}

static void cpu(long long *user, long long *sys) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  *user = ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec;
  *sys = ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec;
}

static long long write_calls(void) {
  FILE *f = fopen("/proc/self/io", "r");
  char line[128];
  long long value = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "syscw:", 6) == 0) value = atoll(line + 6);
  }
  fclose(f);
  return value;
}

/* The reader: connects every socket, then reads and discards until the writer closes them all. */
static void reader(int port, int ready_pipe) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(reader_cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
  int ep = epoll_create1(0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  for (int i = 0; i < sockets; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
      perror("floor reader: connect");
      exit(1);
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  char c = 1;
  if (write(ready_pipe, &c, 1) != 1) exit(1);
  static char buffer[1 << 16];
  struct epoll_event events[256];
  int open = sockets;
  while (open > 0) {
    int n = epoll_wait(ep, events, 256, -1);
    for (int i = 0; i < n; i++) {
      for (;;) {
        ssize_t r = read(events[i].data.fd, buffer, sizeof buffer);
        if (r > 0) continue;
        if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
          close(events[i].data.fd);
          open--;
        }
        break;
      }
    }
  }
  exit(0);
}

int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    int v = atoi(argv[i + 1]);
    if (!strcmp(argv[i], "--sockets")) sockets = v;
    else if (!strcmp(argv[i], "--rate")) rate = v;
    else if (!strcmp(argv[i], "--bytes")) bytes = v;
    else if (!strcmp(argv[i], "--warmup")) warmup = v;
    else if (!strcmp(argv[i], "--seconds")) seconds = v;
    else if (!strcmp(argv[i], "--rounds")) rounds = v;
    else if (!strcmp(argv[i], "--batch")) batch = v < 1 ? 1 : v;
    else if (!strcmp(argv[i], "--reader-cpu")) reader_cpu = v;
    else {
      fprintf(stderr, "floor: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  socklen_t length = sizeof addr;
  if (bind(listener, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(listener, 4096) != 0) {
    perror("floor: listen");
    return 1;
  }
  getsockname(listener, (struct sockaddr *) &addr, &length);
  int pipefd[2];
  if (pipe(pipefd) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    close(listener);
    close(pipefd[0]);
    reader(ntohs(addr.sin_port), pipefd[1]);
  }
  close(pipefd[1]);
  int *fds = malloc(sizeof(int) * sockets);
  for (int i = 0; i < sockets; i++) {
    fds[i] = accept(listener, NULL, NULL);
    if (fds[i] < 0) {
      perror("floor: accept");
      kill(child, SIGKILL);
      return 1;
    }
    int one = 1;
    setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  char c;
  if (read(pipefd[0], &c, 1) != 1) return 1;

  /* one text frame: FIN + opcode 1, a 16-bit length, then JSON-looking text; F of them back to back for --batch */
  int header = bytes < 126 ? 2 : 4;
  int frame_size = header + bytes;
  char *frames = malloc((size_t) frame_size * batch);
  for (int f = 0; f < batch; f++) {
    char *frame = frames + (size_t) f * frame_size;
    frame[0] = (char) 0x81;
    if (header == 2) {
      frame[1] = (char) bytes;
    } else {
      frame[1] = 126;
      frame[2] = (char) (bytes >> 8);
      frame[3] = (char) (bytes & 0xff);
    }
    memset(frame + header, 'x', bytes);
    memcpy(frame + header, "{\"type\":\"event\",\"eventId\":\"1\"", bytes < 29 ? bytes : 29);
  }

  long long period = 1000000000LL * batch / rate;
  long long next = now_ns();
  long long blocked = 0;
  printf("{\"scenario\":\"floor\",\"target\":\"floor\",\"subscribers\":%d,\"rate\":%d,\"messageBytes\":%d,"
         "\"framesPerWrite\":%d,\"warmupSec\":%d,\"roundSec\":%d,\"rounds\":[", sockets, rate, bytes, batch, warmup,
         seconds);
  for (int round = 0; round <= rounds; round++) {
    long long length_ns = (round == 0 ? warmup : seconds) * 1000000000LL;
    long long user0, sys0, user1, sys1;
    cpu(&user0, &sys0);
    long long calls0 = write_calls();
    long long start = now_ns();
    long long writes = 0;
    while (now_ns() - start < length_ns) {
      sleep_until(next);
      next += period;
      for (int i = 0; i < sockets; i++) {
        ssize_t w = write(fds[i], frames, (size_t) frame_size * batch);
        if (w < 0) blocked++;
        writes++;
      }
    }
    double elapsed = (now_ns() - start) / 1e9;
    cpu(&user1, &sys1);
    long long calls = write_calls() - calls0;
    if (round == 0) continue;
    double deliveries = (double) writes * batch;
    double cpu_us = (double) (user1 - user0 + sys1 - sys0);
    printf("%s{\"deliveriesPerSec\":%.0f,\"writesPerSec\":%.0f,\"serverCpuPct\":%.0f,"
           "\"serverCpuUsPerDelivery\":%.2f,\"serverUserUsPerDelivery\":%.2f,\"serverSystemUsPerDelivery\":%.2f,"
           "\"serverCpuUsPerWrite\":%.2f,\"serverSyscallsPerDelivery\":%.3f}",
           round > 1 ? "," : "", deliveries / elapsed, writes / elapsed, 100.0 * cpu_us / 1e6 / elapsed,
           cpu_us / deliveries, (user1 - user0) / deliveries, (sys1 - sys0) / deliveries, cpu_us / writes,
           calls / deliveries);
  }
  printf("],\"blockedWrites\":%lld}\n", blocked);
  fflush(stdout);
  for (int i = 0; i < sockets; i++) close(fds[i]);
  waitpid(child, NULL, 0);
  return 0;
}
