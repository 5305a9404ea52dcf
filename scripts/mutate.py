#!/usr/bin/env python3
"""Mutation testing of C sources built into a shared library that test programs load (make mutate).

For each named source file: generates mutants with five operators, samples --sample of them
(seeded by --seed and the file's name; 0 keeps them all), and for each mutant

  1. writes the mutated copy to a scratch tree under --build (the working tree is never touched);
  2. compiles it without sanitizers or debug information and compares the object's sections and
     relocations with the original's: the same means "equivalent (compiler)";
  3. otherwise compiles it with the real flags, relinks a scratch copy of the library, and runs the
     test programs that can reach the mutated object (those whose undefined symbols lead to it,
     through the library's other objects) with the scratch library first on LD_LIBRARY_PATH,
     stopping at the first that fails. A failure, a crash or a timeout kills the mutant.

Operators: ror (a relational operator swapped for another), aor (+ - * / swapped, and += -= *= /=),
crp (an integer constant off by one), neg (an if/while/for condition negated), del (a statement
replaced by `{}`). Comments, preprocessor lines other than #define bodies, declarations (up to
their initializer) and the arguments of panic()/panic_at() (message text only) are not mutated. A
mutant that does not compile (with -Werror, many do) is "invalid" and not counted.

Results go to --build/results.jsonl, keyed by a hash of the file, the flags and the mutant: a rerun
skips what is decided (a survivor is tried again once the test programs or the library's other
objects change). --equivalent names mutants argued equivalent, one a line:

    FILE :: MUTATION :: LINE TEXT :: REASON

exactly as the tool prints them under a survivor; they are not run and not reported. The score of a
file is killed / (killed + survived); --min-score P exits 1 when the run's total is below P percent.
--recheck-argued runs the argued mutants too and exits 1 when a test kills one (its argument is
then wrong, or the tests have outgrown it).
"""
import argparse
import concurrent.futures
import difflib
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time

# ---- mutants --------------------------------------------------------------------------------

TOKEN = re.compile(
    r"(?P<ws>[ \t\r\f\v]+|\\\n)"
    r"|(?P<comment>//[^\n]*|/\*.*?\*/)"
    r"|(?P<str>\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')"
    r"|(?P<num>\.?\d(?:[eEpP][-+]|[\w.])*)"
    r"|(?P<id>[A-Za-z_]\w*)"
    r"|(?P<nl>\n)"
    r"|(?P<punct><<=|>>=|\.\.\.|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|\S)", re.S)
INT = re.compile(r"^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([uUlL]*)$")
RELATIONAL = ["<", "<=", ">", ">=", "==", "!="]
ARITHMETIC = ["+", "-", "*", "/"]
COMPOUND = {"+=": "-=", "-=": "+=", "*=": "/=", "/=": "*="}
TYPE_WORDS = {"static", "const", "volatile", "extern", "typedef", "struct", "union", "enum",
              "unsigned", "signed", "int", "char", "short", "long", "void", "bool", "_Bool",
              "float", "double", "register", "inline", "_Noreturn", "_Alignas", "_Static_assert",
              "_Thread_local", "restrict", "auto", "__attribute__"}
KEYWORDS = TYPE_WORDS | {"if", "else", "while", "for", "do", "switch", "case", "default",
                         "return", "break", "continue", "goto", "sizeof", "_Alignof"}
NO_MUTATE_CALLS = {"panic", "panic_at"}  # their arguments are the message, nothing else
NAMING = "2"  # part of every result's key: changing how mutants are named forgets old results


class Tok:
    __slots__ = ("kind", "text", "start", "end", "line", "mutable", "match")

    def __init__(self, kind, text, start, line):
        self.kind, self.text, self.start, self.end, self.line = kind, text, start, start + len(
            text), line
        self.mutable = False
        self.match = None  # the index of the matching bracket


class Mutant:
    __slots__ = ("line", "op", "desc", "edits", "key", "uid")

    def __init__(self, line, op, orig, repl, edits):
        self.line, self.op, self.edits = line, op, edits
        self.desc = (op, orig, repl)

    def apply(self, text):
        for start, end, repl in sorted(self.edits, reverse=True):
            text = text[:start] + repl + text[end:]
        return text


def tokenize(text):
    toks, line = [], 1
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            toks.append(Tok(kind, m.group(), m.start(), line))
        line += m.group().count("\n")
    return toks


def is_type_name(toks, i):
    """Whether toks[i] names a type: a type keyword, a *_t name, or struct/union/enum's tag."""
    t = toks[i]
    if t.text in TYPE_WORDS or (t.kind == "id" and t.text.endswith("_t")):
        return True
    return i > 0 and t.kind == "id" and toks[i - 1].text in ("struct", "union", "enum")


def is_declaration(toks, i):
    if is_type_name(toks, i):
        return True
    if toks[i].kind != "id" or toks[i].text in KEYWORDS or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    if nxt.kind == "id":
        return True
    return (nxt.text == "*" and i + 3 < len(toks) and toks[i + 2].kind == "id"
            and toks[i + 3].text in ("=", ";", ",", "[", ")"))


def is_cast(toks, close):
    """Whether the parenthesis closing at toks[close] is a cast's."""
    open_ = toks[close].match
    before = toks[open_ - 1] if open_ > 0 else None
    if before is not None and ((before.kind == "id" and before.text not in KEYWORDS)
                               or before.text in (")", "]")):
        return False  # a call, sizeof(...) or an index
    inner = range(open_ + 1, close)
    return len(inner) > 0 and all(toks[j].text == "*" or is_type_name(toks, j) for j in inner)


def is_binary(toks, i):
    if i == 0:
        return False
    prev = toks[i - 1]
    if prev.kind in ("num", "str"):
        return True
    if prev.kind == "id":
        return prev.text not in KEYWORDS and not is_type_name(toks, i - 1)
    if prev.text == "]":
        return True
    if prev.text != ")" or prev.match is None:
        return False
    head = toks[prev.match - 1] if prev.match > 0 else None
    if head is not None and head.text in ("if", "while", "for", "switch"):
        return False  # the first token of the statement a control header governs
    return not is_cast(toks, i - 1)


def match_brackets(toks):
    stack = []
    for i, t in enumerate(toks):
        if t.text in "([{" and t.kind == "punct":
            stack.append(i)
        elif t.text in ")]}" and t.kind == "punct" and stack:
            j = stack.pop()
            toks[i].match, toks[j].match = j, i


def split_preprocessor(toks):
    """Splits off the preprocessor lines: returns the code's tokens and a token list per #define
    body (mutated as expressions)."""
    code, defines, i = [], [], 0
    while i < len(toks):
        t = toks[i]
        at_line_start = i == 0 or toks[i - 1].kind == "nl"
        if t.text == "#" and at_line_start:
            j = i
            while j < len(toks) and toks[j].kind != "nl":
                j += 1
            directive = toks[i + 1:j]
            if len(directive) > 2 and directive[0].text == "define":
                body = 2
                if directive[2].text == "(" and directive[2].start == directive[1].end:
                    while body < len(directive) and directive[body].text != ")":
                        body += 1
                    body += 1
                if directive[body:]:
                    defines.append(directive[body:])
            i = j
        elif t.kind != "nl":
            code.append(t)
            i += 1
        else:
            i += 1
    return code, defines


def mark_statements(toks):
    """Marks the mutable tokens of the code and returns [(first, last)] token spans of the
    statements that may be deleted."""
    match_brackets(toks)
    deletable, braces = [], []  # braces: "block" or "init"
    start, decl, eq_seen, header_close, skip_until, ternary = True, False, False, -1, -1, 0
    stmt_first = None
    for i, t in enumerate(toks):
        if start and t.text not in ("{", "}", ";"):
            start, stmt_first, eq_seen, ternary = False, i, False, 0
            decl = is_declaration(toks, i)
        if t.kind == "id" and t.text in NO_MUTATE_CALLS and i + 1 < len(toks) \
                and toks[i + 1].text == "(" and toks[i + 1].match is not None:
            skip_until = max(skip_until, toks[i + 1].match)
        t.mutable = i > skip_until and (not decl or eq_seen)
        if t.text == "=" and decl and not inside_brackets(toks, stmt_first, i):
            eq_seen = True
        if t.kind != "punct" and t.text not in ("else", "do"):
            if t.text in ("if", "while", "for", "switch") and i + 1 < len(toks) \
                    and toks[i + 1].text == "(":
                header_close = toks[i + 1].match if toks[i + 1].match is not None else -1
            continue
        if t.text in ("else", "do"):
            start = True
        elif t.text == "(" and i > 0 and toks[i - 1].text == "for":
            # A for-init may declare: classify it as a statement of its own.
            if i + 1 < len(toks) and is_declaration(toks, i + 1):
                decl, eq_seen, stmt_first = True, False, i + 1
        elif t.text == ";":
            if header_close < i:
                if stmt_first is not None and not decl and toks[stmt_first].text not in (
                        "if", "while", "for", "switch", "do", "else", "case", "default"):
                    deletable.append((stmt_first, i))
                start, stmt_first = True, None
            decl = False  # in a for header: the condition and the step are expressions
        elif t.text == ")" and i == header_close:
            start, decl = True, False
        elif t.text == "{":
            initializer = (decl and eq_seen) or (i > 0 and toks[i - 1].text == "=")
            kind = "init" if initializer else "block"
            braces.append(kind)
            if kind == "block":
                start, decl, stmt_first = True, False, None
        elif t.text == "}":
            kind = braces.pop() if braces else "block"
            if kind == "block":
                start, decl, stmt_first = True, False, None
        elif t.text == "?":
            ternary += 1
        elif t.text == ":" and not decl:
            if ternary:
                ternary -= 1
            elif not braces or braces[-1] == "block":
                start = True  # after a case, default or label
    return deletable


def inside_brackets(toks, first, i):
    """Whether toks[i] sits inside parentheses or brackets opened since toks[first]."""
    depth = 0
    for t in toks[first:i]:
        if t.text in ("(", "["):
            depth += 1
        elif t.text in (")", "]"):
            depth -= 1
    return depth > 0


def constant_mutants(t):
    m = INT.match(t.text)
    if not m:
        return []
    digits, suffix = m.groups()
    if digits.lower().startswith("0x"):  # same width and letter case
        case = "X" if digits[2:] != digits[2:].lower() else "x"
        hexits = "%0{}{}".format(len(digits) - 2, case)
        base, fmt = 16, lambda v: digits[:2] + hexits % v
    elif digits.startswith("0") and len(digits) > 1:
        base, fmt = 8, lambda v: "0%o" % v
    else:
        base, fmt = 10, str
    value = int(digits, base)
    return [fmt(v) + suffix for v in (value + 1, value - 1) if v >= 0]


def generate(text):
    """Every mutant of a C source, in source order."""
    toks = tokenize(text)
    code, defines = split_preprocessor(toks)
    deletable = mark_statements(code)
    for body in defines:
        match_brackets(body)
        for t in body:
            t.mutable = True
    mutants = []
    for seq in [code] + defines:
        for i, t in enumerate(seq):
            if not t.mutable:
                continue
            if t.kind == "punct" and t.text in RELATIONAL:
                # A pointer is compared with NULL for equality only (an order does not compile).
                null = "NULL" in (seq[i - 1].text, seq[min(i + 1, len(seq) - 1)].text)
                for r in ["==", "!="] if null else RELATIONAL:
                    if r != t.text:
                        mutants.append(Mutant(t.line, "ror", t.text, r, [(t.start, t.end, r)]))
            elif t.kind == "punct" and t.text in ARITHMETIC and (t.text == "/"
                                                                 or is_binary(seq, i)):
                for r in ARITHMETIC:
                    if r != t.text:
                        mutants.append(Mutant(t.line, "aor", t.text, r, [(t.start, t.end, r)]))
            elif t.kind == "punct" and t.text in COMPOUND:
                r = COMPOUND[t.text]
                mutants.append(Mutant(t.line, "aor", t.text, r, [(t.start, t.end, r)]))
            elif t.kind == "num":
                for r in constant_mutants(t):
                    mutants.append(Mutant(t.line, "crp", t.text, r, [(t.start, t.end, r)]))
            elif t.kind == "id" and t.text in ("if", "while", "for") and seq is code:
                mutants.extend(negations(seq, i))
    for first, last in deletable:
        a, b = code[first], code[last]
        span = text[a.start:b.end]
        mutants.append(Mutant(a.line, "del", span.split("\n")[0], "{}",
                              [(a.start, b.end, "{" + "\n" * span.count("\n") + "}")]))
    mutants.sort(key=lambda m: (m.line, min(e[0] for e in m.edits)))
    return mutants


def negations(toks, i):
    if i + 1 >= len(toks) or toks[i + 1].text != "(" or toks[i + 1].match is None:
        return []
    open_, close = i + 1, toks[i + 1].match
    first, last = open_ + 1, close - 1
    if toks[i].text == "for":
        semis = [j for j in range(open_ + 1, close) if toks[j].text == ";"
                 and not inside_brackets(toks, open_ + 1, j)]
        if len(semis) != 2 or semis[1] == semis[0] + 1:
            return []
        first, last = semis[0] + 1, semis[1] - 1
    if last < first:
        return []
    cond = toks[first].start, toks[last].end
    return [Mutant(toks[i].line, "neg", toks[i].text, "!(...)",
                   [(cond[0], cond[0], "!("), (cond[1], cond[1], ")")])]


def name_mutants(path, text, mutants):
    """Gives each mutant its stable key (FILE :: MUTATION :: LINE TEXT) and a uid."""
    lines = text.split("\n")
    stripped = [ln.strip() for ln in lines]
    seen_on_line, keys = {}, set()
    for m in mutants:
        op, orig, repl = m.desc
        # A deletion's name does not show what it deletes: number them across the line.
        what = (m.line, op) if op == "del" else (m.line, op, orig, repl)
        k = seen_on_line.setdefault(what, 0)
        seen_on_line[what] += 1
        line_text = stripped[m.line - 1]
        same = [n for n, s in enumerate(stripped, 1) if s == line_text]
        where = f" @{same.index(m.line) + 1}" if len(same) > 1 else ""
        if op == "del":
            mutation = f"del#{k}"
        elif op == "neg":
            mutation = f"neg#{k} {orig}"
        else:
            mutation = f"{op}#{k} {orig} -> {repl}"
        m.key = f"{path} :: {mutation}{where} :: {line_text}"
        m.uid = f"L{m.line}:{mutation}"
        if m.key in keys:
            raise AssertionError(f"two mutants named {m.key}")
        keys.add(m.key)


# ---- the run --------------------------------------------------------------------------------


def sh(cmd, cwd=None, timeout=None, env=None):
    return subprocess.run(cmd, cwd=cwd, timeout=timeout, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)


def sections(obj):
    """What an object holds, debug information aside: every section's contents and relocations."""
    out = sh(["objdump", "-s", "-r", "-w", obj]).stdout.decode("utf-8", "replace")
    return "\n".join(ln for ln in out.split("\n") if not ln.startswith(obj))


def nm(path, dynamic=False):
    """(defined, undefined) global symbol names of an object or program."""
    out = sh(["nm", "-D" if dynamic else "-g", path]).stdout.decode()
    defined, undefined = set(), set()
    for ln in out.split("\n"):
        parts = ln.split()
        if len(parts) == 2 and parts[0] in ("U", "w"):
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] not in ("U", "w"):
            defined.add(parts[2])
    return defined, undefined


def reachers(lib_objs, programs):
    """{object: [programs that can reach it]}: a program reaches the objects defining its undefined
    symbols, and what those objects' undefined symbols reach in turn."""
    syms = {o: nm(o) for o in lib_objs}
    owner = {s: o for o, (defs, _) in syms.items() for s in defs}
    needs = {o: {owner[s] for s in und if s in owner} for o, (_, und) in syms.items()}
    reach = {o: [] for o in lib_objs}
    for p in programs:
        todo = {owner[s] for s in nm(p, dynamic=True)[1] if s in owner}
        seen = set()
        while todo:
            o = todo.pop()
            if o not in seen:
                seen.add(o)
                todo |= needs[o] - seen
        for o in seen:
            reach[o].append(p)
    return reach


def digest(paths):
    h = hashlib.sha256()
    for p in sorted(paths):
        with open(p, "rb") as f:
            h.update(p.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


class Run:
    def __init__(self, args):
        self.args = args
        self.cflags = shlex.split(args.cflags)
        drop = set(shlex.split(args.tce_drop))
        self.tce_flags = [f for f in self.cflags if f not in drop]
        self.results_path = os.path.join(args.build, "results.jsonl")
        self.results = {}
        if os.path.exists(self.results_path):
            with open(self.results_path, encoding="utf-8") as f:
                for ln in f:
                    try:
                        r = json.loads(ln)
                        self.results[r["key"]] = r
                    except (ValueError, KeyError):
                        pass  # a line cut short by a crash
        self.lock = threading.Lock()
        self.slots = list(range(args.jobs))
        self.env = {k: v for k, v in os.environ.items() if k not in ("UNIT_LONG", "UNIT_SEED")}
        self.env["CMOCKA_MESSAGE_OUTPUT"] = "stdout"

    def file_flags(self, path):
        extra = []
        for spec in self.args.file_cflags:
            name, _, flags = spec.partition("=")
            if name == path:
                extra += shlex.split(flags)
        return extra

    def compile(self, src_root, path, out, tce):
        flags = (self.tce_flags if tce else self.cflags) + self.file_flags(path)
        # From the scratch root, so __FILE__ and the object's file symbol read as in the real build.
        cmd = [self.args.cc] + flags + ["-I" + self.args.root, "-c", path, "-o", out]
        proc = sh(cmd, cwd=src_root)
        if proc.returncode == 0:
            return None
        errors = re.findall(r"error: (.*)", proc.stdout.decode("utf-8", "replace"))
        return errors[0] if errors else f"{self.args.cc} exit {proc.returncode}"

    def scratch(self, slot):
        d = os.path.join(self.args.build, f"w{slot}")
        os.makedirs(os.path.join(d, "lib"), exist_ok=True)
        return d

    def record(self, result):
        with self.lock:
            self.results[result["key"]] = result
            with open(self.results_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(result) + "\n")

    def baseline(self, programs):
        """Each program's time with the real library; exits if one fails."""
        times = {}
        with concurrent.futures.ThreadPoolExecutor(self.args.jobs) as pool:
            for p, (rc, t) in zip(programs, pool.map(self.run_program, programs,
                                                     [None] * len(programs))):
                if rc != 0:
                    sys.exit(f"mutate: {p} fails without any mutant (exit {rc}); fix that first")
                times[p] = t
        return times

    def run_program(self, program, libdir, timeout=600):
        env = dict(self.env)
        if libdir:
            env["LD_LIBRARY_PATH"] = libdir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
        start = time.monotonic()
        try:
            proc = sh([program], cwd=self.args.root, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return "timeout", time.monotonic() - start
        failed = proc.returncode != 0 or re.search(rb"^\[  FAILED  \]", proc.stdout, re.M)
        return (proc.returncode or 1) if failed else 0, time.monotonic() - start

    def try_mutant(self, path, text, mutant, obj, programs, times):
        slot = self.slots.pop()
        try:
            d = self.scratch(slot)
            src = os.path.join(d, "src", path)
            os.makedirs(os.path.dirname(src), exist_ok=True)
            with open(src, "w", encoding="utf-8") as f:
                f.write(mutant.apply(text))
            tce = os.path.join(d, "tce.o")
            error = self.compile(os.path.join(d, "src"), path, tce, tce=True)
            if error:
                return "invalid", error
            if sections(tce) == self.original[path]:
                return "equivalent", None
            mobj = os.path.join(d, "mutant.o")
            error = self.compile(os.path.join(d, "src"), path, mobj, tce=False)
            if error:
                return "invalid", error
            objs = [mobj if o == obj else o for o in self.args.lib_objs]
            lib = os.path.join(d, "lib", self.args.lib_name)
            link = [self.args.cc] + shlex.split(self.args.ldflags) + [
                "-shared", f"-Wl,-soname,{self.args.lib_name}", "-o", lib] + objs + shlex.split(
                    self.args.libs)
            if sh(link).returncode != 0:
                return "invalid", None
            for p in programs:
                rc, _ = self.run_program(p, os.path.join(d, "lib"),
                                         self.args.timeout + 10 * times[p])
                if rc != 0:
                    return "killed", f"{os.path.basename(p)}: {rc}"
            return "survived", None
        finally:
            self.slots.append(slot)

    def original_sections(self, path):
        d = os.path.join(self.args.build, "orig")
        src = os.path.join(d, "src", path)
        os.makedirs(os.path.dirname(src), exist_ok=True)
        shutil.copyfile(os.path.join(self.args.root, path), src)
        out = os.path.join(d, "orig.o")
        if self.compile(os.path.join(d, "src"), path, out, tce=True):
            sys.exit(f"mutate: {path} does not compile unmutated")
        return sections(out)


def load_equivalent(path):
    entries = {}
    if not path or not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as f:
        for n, ln in enumerate(f, 1):
            ln = ln.rstrip("\n")
            if not ln.strip() or ln.lstrip().startswith("#"):
                continue
            fields = ln.split(" :: ")
            if len(fields) < 4 or not fields[-1].strip():
                sys.exit(f"{path}:{n}: want FILE :: MUTATION :: LINE TEXT :: REASON")
            entries[" :: ".join(fields[:-1])] = (fields[-1], n)
    return entries


def object_of(args, path):
    return os.path.join(args.objdir, os.path.splitext(path)[0] + ".o")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=".", help="the source tree (default .)")
    ap.add_argument("--build", required=True, help="scratch and results directory")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--cflags", default="", help="the library objects' compile flags")
    ap.add_argument("--file-cflags", action="append", default=[], metavar="FILE=FLAGS",
                    help="flags added for one file")
    ap.add_argument("--tce-drop", default="", help="flags left out of the equivalence compile")
    ap.add_argument("--ldflags", default="")
    ap.add_argument("--libs", default="")
    ap.add_argument("--lib-name", required=True, help="the library's file name (and soname)")
    ap.add_argument("--objdir", required=True, help="FILE.c's object is OBJDIR/FILE.o")
    ap.add_argument("--lib-objs", nargs="+", required=True)
    ap.add_argument("--programs", nargs="+", required=True)
    ap.add_argument("--files", nargs="+", required=True)
    ap.add_argument("--sample", type=int, default=0, help="mutants per file, 0 for all")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=2.0,
                    help="seconds a program may run beyond 10 times its unmutated time")
    ap.add_argument("--equivalent", help="the list of mutants argued equivalent")
    ap.add_argument("--min-score", type=float, default=0.0)
    ap.add_argument("--recheck-argued", action="store_true",
                    help="run the mutants argued equivalent too; exit 1 if a test kills one")
    ap.add_argument("--list", action="store_true", help="only print every mutant's key")
    args = ap.parse_args(argv)
    args.root = os.path.abspath(args.root)
    args.build = os.path.abspath(args.build)
    os.makedirs(args.build, exist_ok=True)

    if args.list:
        for path in args.files:
            with open(os.path.join(args.root, path), encoding="utf-8") as f:
                text = f.read()
            ms = generate(text)
            name_mutants(path, text, ms)
            for m in ms:
                print(m.key)
        return 0

    run = Run(args)
    equivalent = load_equivalent(args.equivalent)
    used = set()
    reach = reachers(args.lib_objs, args.programs)
    needed = sorted({p for f in args.files for p in reach.get(object_of(args, f), [])})
    times = run.baseline(needed)
    run.original = {}
    print(f"mutate: MUTATE_SAMPLE={args.sample} MUTATE_SEED={args.seed}, {len(args.files)} "
          f"files, {args.jobs} jobs")
    print(f"{'file':<28} {'mutants':>7} {'invalid':>7} {'equiv':>9} {'killed':>6} "
          f"{'survived':>8} {'score':>7} {'time':>8}")
    survivors, totals, wrongly_argued = [], [0, 0], []
    for path in args.files:
        start = time.monotonic()
        obj = object_of(args, path)
        if obj not in args.lib_objs:
            sys.exit(f"mutate: {path}: its object {obj} is not one of the library's")
        with open(os.path.join(args.root, path), encoding="utf-8") as f:
            text = f.read()
        mutants = generate(text)
        name_mutants(path, text, mutants)
        keys = {m.key for m in mutants}
        for k in equivalent:
            if k.startswith(path + " :: ") and k in keys:
                used.add(k)
        if args.sample and len(mutants) > args.sample:
            rng = random.Random(f"{args.seed}/{path}")
            mutants = [mutants[i] for i in sorted(rng.sample(range(len(mutants)), args.sample))]
        programs = sorted(reach[obj], key=lambda p: (path_stem(path) not in p, times[p]))
        fhash = hashlib.sha256("\0".join([NAMING, text, args.cc] + run.cflags + run.file_flags(
            path)).encode()).hexdigest()[:16]
        tests = digest(programs + [o for o in args.lib_objs if o != obj])
        todo = []
        counts = {"invalid": 0, "equivalent": 0, "argued": 0, "killed": 0, "survived": 0}

        def tally(m, r):
            status = r["status"]
            if m.key in equivalent and status != "killed":
                status = "argued"
            elif m.key in equivalent:
                wrongly_argued.append((m.key, r["by"]))
            counts[status] += 1
            if status == "survived":
                survivors.append((path, text, m, r))

        for m in mutants:
            key = f"{path}:{fhash}:{m.uid}"
            r = run.results.get(key)
            if m.key in equivalent and not args.recheck_argued:
                counts["argued"] += 1
            elif r and (r["status"] != "survived" or r.get("tests") == tests):
                tally(m, r)
            else:
                todo.append((key, m))
        if todo:
            run.original[path] = run.original_sections(path)
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futures = {pool.submit(run.try_mutant, path, text, m, obj, programs, times): (key, m)
                       for key, m in todo}
            for fut in concurrent.futures.as_completed(futures):
                key, m = futures[fut]
                status, how = fut.result()
                r = {"key": key, "status": status, "by": how, "tests": tests}
                run.record(r)
                tally(m, r)
        judged = counts["killed"] + counts["survived"]
        totals[0] += counts["killed"]
        totals[1] += judged
        score = f"{100.0 * counts['killed'] / judged:6.1f}%" if judged else "      -"
        equiv = f"{counts['equivalent']}+{counts['argued']}"
        print(f"{path:<28} {len(mutants):7d} {counts['invalid']:7d} {equiv:>9} "
              f"{counts['killed']:6d} {counts['survived']:8d} {score} "
              f"{time.monotonic() - start:7.1f}s", flush=True)
    total = 100.0 * totals[0] / totals[1] if totals[1] else 100.0
    print(f"{'total':<28} killed {totals[0]} of {totals[1]} non-equivalent: {total:.1f}% "
          f"(equiv: by the compiler + argued in {args.equivalent})")
    for path, text, m, r in sorted(survivors, key=lambda s: (s[0], s[2].line)):
        print(f"\nsurvived: {m.key} :: ")
        mutated = m.apply(text).split("\n")
        sys.stdout.writelines(ln + "\n" for ln in difflib.unified_diff(
            text.split("\n"), mutated, path, path + " (mutant)", n=1, lineterm=""))
    for k, (_, n) in equivalent.items():
        if k.split(" :: ")[0] in args.files and k not in used:
            print(f"mutate: {args.equivalent}:{n}: matches no mutant (stale): {k}")
    for k, by in wrongly_argued:
        print(f"mutate: {args.equivalent}: argued equivalent, but a test kills it ({by}): {k}")
    if wrongly_argued:
        return 1
    if total < args.min_score:
        print(f"mutate: FAILED: score {total:.1f}% is below {args.min_score}%")
        return 1
    return 0


def path_stem(path):
    return os.path.splitext(os.path.basename(path))[0]


if __name__ == "__main__":
    sys.exit(main())
