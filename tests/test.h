/*
 * A tiny unit-test harness (STYLE.md rule 36), after libuv's test/task.h.
 *
 * A test file defines tests with BRAID_TEST(name) { ... } and lists them:
 *
 *   BRAID_TEST(parse_ok) { ASSERT_EQ(1, 1); }
 *   BRAID_TEST_LIST(BRAID_TEST_ENTRY(parse_ok))
 *
 * The binary runs every test (or the one named in argv[1]) in a forked child,
 * so a crash or leak in one test does not hide the others, and prints
 * "N passed, N failed" last, which CI reads. Assertions print both sides.
 */
#ifndef BRAID_TESTS_TEST_H
#define BRAID_TESTS_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void (*braid_test_fn)(void);
typedef struct {
  const char *name;
  braid_test_fn fn;
} braid_test_entry_t;

#define BRAID_TEST(name) static void test_##name(void)
#define BRAID_TEST_ENTRY(name) {#name, test_##name},

#define BRAID_TEST_FAIL(...)                                                                       \
  do {                                                                                             \
    fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                                              \
    fprintf(stderr, __VA_ARGS__);                                                                  \
    fprintf(stderr, "\n");                                                                         \
    exit(1);                                                                                       \
  } while (0)

#define ASSERT(expr)                                                                               \
  do {                                                                                             \
    if (!(expr)) BRAID_TEST_FAIL("assertion failed: %s", #expr);                                   \
  } while (0)

#define ASSERT_EQ(a, b)                                                                            \
  do {                                                                                             \
    int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                                                  \
    if (a_ != b_)                                                                                  \
      BRAID_TEST_FAIL("%s == %s: %" PRId64 " != %" PRId64, #a, #b, a_, b_);                        \
  } while (0)

#define ASSERT_NE(a, b)                                                                            \
  do {                                                                                             \
    int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                                                  \
    if (a_ == b_) BRAID_TEST_FAIL("%s != %s: both %" PRId64, #a, #b, a_);                          \
  } while (0)

#define ASSERT_STR_EQ(a, b)                                                                        \
  do {                                                                                             \
    const char *a_ = (a), *b_ = (b);                                                               \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                                           \
      BRAID_TEST_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)",                    \
                      b_ ? b_ : "(null)");                                                         \
  } while (0)

#define ASSERT_MEM_EQ(a, b, n)                                                                     \
  do {                                                                                             \
    if (memcmp((a), (b), (n)) != 0) BRAID_TEST_FAIL("memory differs: %s vs %s", #a, #b);           \
  } while (0)

#define BRAID_TEST_LIST(...)                                                                       \
  static const braid_test_entry_t braid_tests_[] = {__VA_ARGS__{NULL, NULL}};                      \
  int main(int argc, char **argv) { return braid_test_run(braid_tests_, argc, argv); }

static inline int braid_test_run(const braid_test_entry_t *tests, int argc, char **argv) {
  int passed = 0, failed = 0;
  for (const braid_test_entry_t *t = tests; t->name != NULL; t++) {
    if (argc > 1 && strcmp(argv[1], t->name) != 0) continue;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
      t->fn();
      exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      printf("ok %s\n", t->name);
      passed++;
    } else {
      printf("FAIL %s (%s %d)\n", t->name, WIFSIGNALED(status) ? "signal" : "exit",
             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      failed++;
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}

#endif
