// The shell's command language (see shell.h).
#include "core/shell.h"
#include "core/fmt.h"
#include "core/panic.h"
#include "core/string.h"

#include <stdbool.h>

#define NAME_SHOWN 40 // bytes of an unknown command's name a message shows

int shell_split(char *line, const char **argv, size_t max)
{
    KASSERT(line != NULL && (argv != NULL || max == 0));
    size_t count = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return (int)count;
        if (count == max) {
            *p = '\0'; // cut after the last word kept
            return E_TOOBIG;
        }
        argv[count++] = p;
        while (*p != '\0' && *p != ' ')
            p++;
        if (*p == ' ')
            *p++ = '\0';
    }
}

const struct shell_cmd *shell_find(const struct shell_cmd *cmds, size_t n, const char *name)
{
    KASSERT(name != NULL && (cmds != NULL || n == 0));
    for (size_t i = 0; i < n; i++) {
        KASSERT(cmds[i].name != NULL);
        if (strcmp(cmds[i].name, name) == 0)
            return &cmds[i];
    }
    return NULL;
}

int shell_run(const struct shell_cmd *cmds, size_t n, char *line, void *ctx, char *msg, size_t cap)
{
    KASSERT(line != NULL && (cmds != NULL || n == 0) && (msg != NULL || cap == 0));
    if (cap > 0)
        msg[0] = '\0';
    const char *argv[SHELL_ARGS_MAX];
    int argc = shell_split(line, argv, SHELL_ARGS_MAX);
    if (argc == E_TOOBIG) {
        fmt_snprintf(msg, cap, "too many words: at most %d", SHELL_ARGS_MAX);
        return E_TOOBIG;
    }
    if (argc == 0)
        return 0;
    const struct shell_cmd *cmd = shell_find(cmds, n, argv[0]);
    if (cmd == NULL) {
        bool cut = strlen(argv[0]) > NAME_SHOWN;
        fmt_snprintf(msg, cap, "unknown command \"%.*s%s\" (help lists them)", NAME_SHOWN, argv[0],
                     cut ? "..." : "");
        return E_NOENT;
    }
    size_t args = (size_t)argc - 1;
    if (args < cmd->min_args || args > cmd->max_args) {
        fmt_snprintf(msg, cap, "usage: %s%s%s", cmd->name, cmd->usage[0] != '\0' ? " " : "",
                     cmd->usage);
        return E_INVAL;
    }
    KASSERT(cmd->run != NULL);
    return cmd->run(ctx, (size_t)argc, argv);
}

static int digit(char c, unsigned base)
{
    unsigned d;
    if (c >= '0' && c <= '9')
        d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
        d = (unsigned)(c - 'a') + 10;
    else if (c >= 'A' && c <= 'F')
        d = (unsigned)(c - 'A') + 10;
    else
        return -1;
    return d < base ? (int)d : -1;
}

int shell_parse_u64(const char *s, uint64_t *out)
{
    KASSERT(s != NULL && out != NULL);
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0')
        return E_INVAL;
    uint64_t v = 0;
    bool overflow = false;
    for (; *s != '\0'; s++) {
        int d = digit(*s, base);
        if (d < 0)
            return E_INVAL;
        if (v > (UINT64_MAX - (unsigned)d) / base)
            overflow = true;
        v = v * base + (unsigned)d;
    }
    if (overflow)
        return E_RANGE;
    *out = v;
    return 0;
}

int shell_parse_choice(const char *s, const char *const *choices, size_t n)
{
    KASSERT(s != NULL && (choices != NULL || n == 0));
    for (size_t i = 0; i < n; i++) {
        KASSERT(choices[i] != NULL);
        if (strcmp(choices[i], s) == 0)
            return (int)i;
    }
    return E_NOENT;
}
