"""What the seed-corpus generators (test/fuzz/gen_*_corpus.py) share: where a target's corpus
lives, and writing its seeds there."""
import os

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write_seeds(target, seeds):
    """Writes {file name: bytes} into test/fuzz/corpus/<target>/, printing each seed's size."""
    out = os.path.join(DIR, target)
    os.makedirs(out, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes(data))
        print(f"{target}/{name}: {len(data)} bytes")
