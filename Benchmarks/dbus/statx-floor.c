// What any daemon's ListImages costs at least: one statx per image of a search directory (the fields
// portabled lists need it: type, read-only, times), by name relative to the directory, as berthd does.
// Prints the median of RUNS passes in microseconds. Usage: statx-floor DIR RUNS
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: statx-floor DIR RUNS\n");
        return 2;
    }
    int runs = atoi(argv[2]);
    int dir = open(argv[1], O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    DIR *stream = dir < 0 ? NULL : fdopendir(dup(dir));
    if (stream == NULL || runs < 1) {
        perror(argv[1]);
        return 1;
    }
    char **names = NULL;
    size_t count = 0;
    for (struct dirent *entry; (entry = readdir(stream)) != NULL;) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        names = realloc(names, (count + 1) * sizeof *names);
        names[count++] = strdup(entry->d_name);
    }
    closedir(stream);
    double *passes = calloc((size_t)runs, sizeof *passes);
    for (int run = 0; run < runs; run++) {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (size_t i = 0; i < count; i++) {
            struct statx status;
            statx(dir, names[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID, &status);
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        passes[run] = (end.tv_sec - start.tv_sec) * 1e6 + (end.tv_nsec - start.tv_nsec) / 1e3;
    }
    qsort(passes, (size_t)runs, sizeof *passes, compare);
    printf("%zu %.0f\n", count, passes[runs / 2]);
    return 0;
}
