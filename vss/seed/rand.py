"""Deterministic randomness helpers: weighted choice tables and bijective digit scramblers."""

import random
from bisect import bisect
from itertools import accumulate


class Choice:
    """A weighted choice table: `items[bisect(cum, rng.random())]`, written out in hot loops."""

    __slots__ = ("items", "cum")

    def __init__(self, pairs):
        pairs = [(item, weight) for item, weight in pairs if weight > 0]
        if not pairs:
            raise ValueError("empty choice table")
        total = sum(weight for _, weight in pairs)
        self.items = [item for item, _ in pairs]
        self.cum = [acc / total for acc in accumulate(weight for _, weight in pairs)]
        # random() < 1.0, so with the last bound exactly 1.0 bisect never runs off the end.
        self.cum[-1] = 1.0

    def pick(self, rng):
        """One item drawn with `rng`."""
        return self.items[bisect(self.cum, rng.random())]

    def __len__(self):
        return len(self.items)


def rng_for(*parts):
    """A `random.Random` seeded from a tuple of parts (string seeds hash with SHA-512: stable)."""
    return random.Random(":".join(str(part) for part in parts))


class Feistel:
    """A keyed bijection of 0 … 999,999: three Feistel rounds on (thousands, units).

    A permutation, so distinct inputs always give distinct outputs, while consecutive
    inputs come out scattered (they are the 6 "random" digits of a CCCD number).
    """

    __slots__ = ("rounds",)

    def __init__(self, rng):
        self.rounds = [[rng.randrange(1000) for _ in range(1000)] for _ in range(3)]

    def __call__(self, value):
        high, low = divmod(value, 1000)
        for table in self.rounds:
            high, low = low, (high + table[low]) % 1000
        return high * 1000 + low


def affine_scrambler(rng, modulus):
    """(m, c) of x → (x·m + c) mod `modulus` (a power of ten): a bijection, as gcd(m, 10ᵏ) = 1."""
    while True:
        multiplier = rng.randrange(modulus // 10, modulus) | 1
        if multiplier % 5:
            return multiplier, rng.randrange(modulus)
