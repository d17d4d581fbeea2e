#ifndef SMART_IPAM_CSPAWN_SHIM_H
#define SMART_IPAM_CSPAWN_SHIM_H
// The GNU additions to posix_spawn(3) and pipe2(2) that the tests' ChildProcess needs and
// Swift's Glibc module leaves out (they are declared under _GNU_SOURCE or __USE_MISC only).
#include <spawn.h>
#include <fcntl.h>

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
#endif
