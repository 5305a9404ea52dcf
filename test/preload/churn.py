#!/usr/bin/env python3
"""A Python workload for the preload libraries (test/preload/run.py): dicts, lists and strings
built, encoded to JSON, decoded, kept for a while in a pool of live objects of mixed ages and
dropped, so the allocator sees many sizes, lifetimes and reallocs (list and dict growth).

Deterministic (a fixed seed): prints the same digest of everything it encoded on every run, under
any malloc. run.py runs it with PYTHONMALLOC=malloc, so that Python's small objects reach malloc
too instead of pymalloc's own arenas.

    churn.py [--rounds N]
"""
import argparse
import hashlib
import json
import random


def record(rng, depth=0):
    """A random JSON-able value: nested dicts and lists of numbers and strings."""
    kind = rng.randrange(6 if depth < 3 else 3)
    if kind == 0:
        return rng.randrange(-10**9, 10**9)
    if kind == 1:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randrange(40)))
    if kind == 2:
        return rng.random()
    if kind in (3, 4):
        return {f"k{rng.randrange(1000)}": record(rng, depth + 1) for _ in range(rng.randrange(12))}
    return [record(rng, depth + 1) for _ in range(rng.randrange(12))]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=6000)
    args = ap.parse_args()

    rng = random.Random(20240611)
    digest = hashlib.sha256()
    pool = []
    index = {}
    for i in range(args.rounds):
        doc = {"id": i, "items": [record(rng) for _ in range(rng.randrange(1, 20))]}
        text = json.dumps(doc, sort_keys=True)
        back = json.loads(text)
        digest.update(text.encode())
        pool.append(back)
        index[i] = text
        # Mixed lifetimes: most objects die young, some live for hundreds of rounds.
        while len(pool) > 300 or (pool and rng.random() < 0.3):
            pool.pop(rng.randrange(len(pool)))
        for key in [k for k in index if k < i - rng.randrange(50, 500)]:
            del index[key]
    digest.update(json.dumps(pool, sort_keys=True).encode())
    print(f"churn: {args.rounds} rounds, {len(pool)} live, {len(index)} indexed, "
          f"sha256 {digest.hexdigest()}")


if __name__ == "__main__":
    main()
