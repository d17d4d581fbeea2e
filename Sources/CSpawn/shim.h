#ifndef SMART_IPAM_CSPAWN_SHIM_H
#define SMART_IPAM_CSPAWN_SHIM_H
// The GNU additions to posix_spawn(3) and pipe2(2) that CommandRunner and the tests' ChildProcess need and
// Swift's Glibc module leaves out (they are declared under _GNU_SOURCE or __USE_MISC only).
#include <spawn.h>
#include <fcntl.h>
#include <signal.h>

extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);
extern int pipe2(int pipefd[2], int flags);

// Every descriptor from `from` up closed in the child (glibc 2.34 and later).
static inline int cspawn_add_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

static inline int cspawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

// A pipe whose two ends are closed on exec (pipefd[0] reads, pipefd[1] writes).
static inline int cspawn_pipe_cloexec(int pipefd[2]) {
    return pipe2(pipefd, O_CLOEXEC);
}

// A child in a process group of its own, with no signal blocked and every signal's action
// the default: what the parent blocks or ignores (a daemon blocks the signals it handles) is
// not the child's.
static inline int cspawn_set_fresh_signals_and_group(posix_spawnattr_t *attributes) {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    int failed = posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    failed = failed ? failed : posix_spawnattr_setsigmask(attributes, &none);
    return failed ? failed : posix_spawnattr_setsigdefault(attributes, &all);
}

// posix_spawn(3) of `path` with `actions`, the attributes above: 0, or the error number.
static inline int cspawn_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions, char *const argv[],
                               char *const envp[]) {
    posix_spawnattr_t attributes;
    int failed = posix_spawnattr_init(&attributes);
    if (failed) return failed;
    failed = cspawn_set_fresh_signals_and_group(&attributes);
    if (!failed) failed = posix_spawn(pid, path, actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    return failed;
}
#endif
