"""A bit-for-bit copy of PyTorch's CPU random number generator, written in numpy.

Why this exists
---------------
A learner who writes ``manual_seed(0)`` and builds an ``nn.Linear`` should get *exactly* the
weights that ``torch.manual_seed(0)`` followed by ``torch.nn.Linear`` gives, so that every
number in a seeded run can be checked against real PyTorch.  This module therefore mirrors, to
the last bit, what PyTorch 2.13 does on an x86-64 CPU (the ``AVX2``/``AVX512`` kernels that any
x86 machine from the last decade uses):

* the engine is the classic 32-bit Mersenne Twister (mt19937) seeded with ``init_genrand``
  using the low 32 bits of the seed; numpy's :class:`numpy.random.MT19937` produces the very
  same raw words, so we let it do the heavy lifting (``random_raw``) and only set its key;
* a float32 uniform takes the low 24 bits of one 32-bit word, a float64 uniform the low 53 bits
  of a 64-bit value built from two words (first word = high half), and the scaling
  ``u * (high - low) + low`` is a *fused* multiply-add in the tensor's own precision;
* ``normal`` with at least 16 elements runs Box-Muller over blocks of 16 uniforms (first 8 give
  the radius, last 8 the angle); when the size is not a multiple of 16 the last 16 outputs are
  recomputed from 16 fresh uniforms.  For float32 PyTorch uses vectorised single-precision
  ``log``/``sincos`` approximations (a Cephes-style polynomial kernel); we replay that exact
  sequence of float32 operations, including the places where the compiler fused a multiply and
  an add.  For float64 the C library's ``log``/``cos``/``sin`` are used, which is what Python's
  :mod:`math` calls too;
* ``normal`` with fewer than 16 elements uses a scalar double-precision Box-Muller that caches its
  second sample in the generator, so an odd-sized call leaves a value for the next one;
* ``bernoulli`` (dropout's mask) keeps an element where a float64 uniform is below ``p``;
* ``randint`` reduces one 32-bit word (a 64-bit value once the range reaches 2**28) modulo
  the range; ``randperm`` is a Fisher-Yates shuffle driven by 32-bit words;
* a uniform sample that rounds onto ``high`` is replaced by ``low``, as torch does.

Everything was checked against recorded PyTorch output (``tests/reference/random.json``); the
float32 normal kernel was also checked over all 2**24 possible inputs of its ``log`` and
``sincos`` steps.  Known limits: PyTorch running its generic CPU kernels (a CPU without AVX2,
or ``ATEN_CPU_CAPABILITY=default``) uses a different float32 ``normal`` kernel and an unfused
``uniform`` scaling, so its numbers differ from its own AVX2 ones and from ours (other platforms,
e.g. ARM, were not checked); and float64 ``normal`` relies on the platform C library, exactly as
PyTorch's does.

Like PyTorch, a fresh process starts from a non-deterministic seed: only :func:`manual_seed`
makes a run reproducible.

State format
------------
:func:`get_state` returns a ``uint8`` numpy array of 5056 bytes laid out exactly like
``torch.get_rng_state()`` on 64-bit little-endian machines, so states can be moved between the
two libraries (``torch.set_rng_state(torch.from_numpy(get_state()))`` and
``set_state(torch.get_rng_state().numpy())`` both work).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import numpy as np

__all__ = [
    "bernoulli",
    "get_state",
    "initial_seed",
    "manual_seed",
    "normal",
    "randint",
    "randperm",
    "seed",
    "set_state",
    "uniform",
]

# ----------------------------------------------------------------------------------------------
# Generator state
# ----------------------------------------------------------------------------------------------

_N = 624  # mt19937 state size in 32-bit words
_f = np.float32

# numpy's MT19937 runs the same twist and tempering as PyTorch's engine, so it can generate the
# raw words quickly; we only ever set its key/position ourselves (never numpy's own seeding).
_bitgen = np.random.MT19937()
_initial_seed = 0
# Box-Muller makes two samples; the scalar path keeps the unused one (as a double) for the next
# call.  PyTorch also stores a float cache in its state; no operation here fills it, but we keep
# it so that a state taken from torch survives a round trip.
_next_double_normal: float | None = None
_next_float_normal: float | None = None
# PyTorch writes ``next = 0`` into a freshly seeded state but ``next = 624`` once a whole block has
# been used; both behave the same, the flag only keeps ``get_state`` byte-identical to torch.
_fresh = True

_U64_MAX = (1 << 64) - 1


def _init_genrand(seed32: int) -> np.ndarray:
    """The classic mt19937 key for a 32-bit seed (Knuth's multiplier 1812433253)."""
    key = [0] * _N
    key[0] = seed32
    prev = seed32
    for i in range(1, _N):
        prev = (1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF
        key[i] = prev
    return np.array(key, dtype=np.uint32)


def _set_engine(key: np.ndarray, pos: int) -> None:
    _bitgen.state = {
        "bit_generator": "MT19937",
        "state": {"key": np.asarray(key, dtype=np.uint32), "pos": int(pos)},
    }


def manual_seed(seed: int) -> None:
    """Seed the generator like ``torch.manual_seed`` (accepts ``-2**63 <= seed < 2**64``)."""
    global _initial_seed, _next_double_normal, _next_float_normal, _fresh
    seed = int(seed)
    if not -(1 << 63) <= seed <= _U64_MAX:
        raise ValueError("Overflow when unpacking long long")
    seed &= _U64_MAX  # negative seeds wrap around, as in torch
    # Only the low 32 bits reach the engine; ``initial_seed`` still reports the full value.
    _set_engine(_init_genrand(seed & 0xFFFFFFFF), _N)
    _initial_seed = seed
    _next_double_normal = None
    _next_float_normal = None
    _fresh = True


def seed() -> int:
    """Re-seed from OS entropy (like ``torch.seed``) and return the seed used."""
    # torch draws a 53-bit non-deterministic seed so that it survives a trip through a double.
    s = int.from_bytes(os.urandom(8), "little") & ((1 << 53) - 1)
    manual_seed(s)
    return s


def initial_seed() -> int:
    """The seed last given to :func:`manual_seed` (or drawn at import / by :func:`seed`)."""
    return _initial_seed


_STATE_BYTES = 5056


def get_state() -> np.ndarray:
    """The generator state as 5056 ``uint8`` bytes in ``torch.get_rng_state()`` layout.

    Layout (little-endian): u64 initial seed | i32 ``left`` | i32 seeded flag | u64 ``next`` |
    624 x u64 key words | f64 unused | f64 cached double normal | f64 unused |
    i32 double-cache valid | 4 pad | f32 cached float normal | u8 float-cache valid | 3 pad.
    """
    st = _bitgen.state["state"]
    pos = int(st["pos"])
    nxt = 0 if (_fresh and pos == _N) else pos
    left = _N + 1 - pos  # words still usable before the next twist, plus one
    buf = np.zeros(_STATE_BYTES, dtype=np.uint8)
    buf[0:8] = np.array([_initial_seed], dtype="<u8").view(np.uint8)
    buf[8:16] = np.array([left, 1], dtype="<i4").view(np.uint8)
    buf[16:24] = np.array([nxt], dtype="<u8").view(np.uint8)
    buf[24:5016] = np.asarray(st["key"], dtype="<u8").view(np.uint8)
    if _next_double_normal is not None:
        buf[5024:5032] = np.array([_next_double_normal], dtype="<f8").view(np.uint8)
        buf[5040:5044] = np.array([1], dtype="<i4").view(np.uint8)
    if _next_float_normal is not None:
        buf[5048:5052] = np.array([_next_float_normal], dtype="<f4").view(np.uint8)
        buf[5052] = 1
    return buf


def set_state(state: np.ndarray | bytes | bytearray) -> None:
    """Restore a state from :func:`get_state` (or from ``torch.get_rng_state()``)."""
    global _initial_seed, _next_double_normal, _next_float_normal, _fresh
    buf = np.frombuffer(bytes(np.asarray(state, dtype=np.uint8).tobytes()), dtype=np.uint8)
    if buf.size != _STATE_BYTES:
        raise ValueError(f"expected a state of {_STATE_BYTES} bytes, got {buf.size}")
    init_seed = int(buf[0:8].view("<u8")[0])
    left, seeded = (int(v) for v in buf[8:16].view("<i4"))
    nxt = int(buf[16:24].view("<u8")[0])
    key = buf[24:5016].view("<u8")
    if not seeded or not 0 < left <= _N or nxt > _N or np.any(key > 0xFFFFFFFF):
        raise ValueError("invalid mt19937 state")
    # numpy's engine knows only "position of the next word"; torch's (left, next) pair is the
    # same thing whenever left + next == 625, or left == 1 (the next draw twists regardless).
    if left == 1:
        pos = _N
    elif left + nxt == _N + 1:
        pos = nxt
    else:
        raise ValueError("unsupported mt19937 state: 'left' and 'next' disagree")
    _set_engine(key.astype(np.uint32), pos)
    _initial_seed = init_seed
    _fresh = left == 1 and nxt == 0
    _next_double_normal = (
        float(buf[5024:5032].view("<f8")[0]) if buf[5040:5044].view("<i4")[0] else None
    )
    _next_float_normal = float(buf[5048:5052].view("<f4")[0]) if buf[5052] else None


# ----------------------------------------------------------------------------------------------
# Raw draws
# ----------------------------------------------------------------------------------------------


def _words(n: int) -> np.ndarray:
    """``n`` raw 32-bit outputs (as uint64) in generation order."""
    global _fresh
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    _fresh = False
    return _bitgen.random_raw(n)


def _words64(n: int) -> np.ndarray:
    """``n`` 64-bit values, each made of two consecutive words (the first is the high half)."""
    w = _words(2 * n)
    return (w[0::2] << np.uint64(32)) | w[1::2]


def _unit24(n: int) -> np.ndarray:
    """``n`` float32 uniforms in [0, 1): ``k / 2**24`` from the low 24 bits of each word."""
    k = _words(n).astype(np.uint32)  # (uint32 arithmetic and conversions are the fast ones)
    k &= np.uint32(0xFFFFFF)
    u = k.astype(np.float32)
    u *= _f(2.0**-24)
    return u


def _unit53(n: int) -> np.ndarray:
    """``n`` float64 uniforms in [0, 1): ``k / 2**53`` from the low 53 bits of 64-bit draws."""
    w = _words(2 * n).astype(np.uint32)
    # k = (high word & (2**21 - 1)) * 2**32 + low word, assembled exactly in float64.
    hi = w[0::2] & np.uint32((1 << 21) - 1)
    u = hi.astype(np.float64)
    u *= 2.0**-21
    u += w[1::2] * 2.0**-53
    return u


# ----------------------------------------------------------------------------------------------
# Exact fused multiply-add (numpy has none)
# ----------------------------------------------------------------------------------------------

_F32_TIE_MASK = np.uint64((1 << 29) - 1)
_F32_TIE = np.uint64(1 << 28)
_F32_TINY = 2.0**-125


def _round_to_odd_fix(s: np.ndarray, err: np.ndarray) -> np.ndarray:
    """Turn round-to-nearest ``s`` (true value ``s + err``) into round-to-odd.

    When the true value is not representable, the odd one of its two neighbours is chosen;
    rounding that result again to a much narrower format is then correctly rounded.
    """
    even = (s.view(np.uint64) & np.uint64(1)) == 0
    move = (err != 0) & even
    if move.any():
        s = s.copy()
        s[move] = np.nextafter(s[move], np.where(err[move] > 0, np.inf, -np.inf))
    return s


def _fma32(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """float32 ``a * b + c`` with a single rounding; operands must be float32 values.

    The product of two float32 numbers is exact in float64, so ``s = a*b + c`` in float64 has
    one rounding, and narrowing it to float32 is only wrong when ``s`` lands exactly on a float32
    half-way point (or in the float32 subnormal range).  Those rare elements are redone with
    round-to-odd.
    """
    s = np.multiply(a, b, dtype=np.float64)
    s += c
    low = s.view(np.uint64) & _F32_TIE_MASK
    risky = low == _F32_TIE
    risky |= np.abs(s) < _F32_TINY
    if risky.any():
        idx = np.nonzero(risky)
        pr = np.multiply(
            np.broadcast_to(a, s.shape)[idx], np.broadcast_to(b, s.shape)[idx], dtype=np.float64
        )
        cr = np.broadcast_to(np.asarray(c, dtype=np.float64), s.shape)[idx]
        sr = s[idx]
        bv = sr - pr
        err = (pr - (sr - bv)) + (cr - bv)
        s[idx] = _round_to_odd_fix(sr, err)
    return s.astype(np.float32)


_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitting constant for doubles


def _two_prod(a: np.ndarray, b: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """``a*b == hi + lo`` exactly (Dekker), valid far from overflow/underflow."""
    hi = a * b
    ca = _SPLIT * a
    ah = ca - (ca - a)
    al = a - ah
    cb = _SPLIT * np.asarray(b, dtype=np.float64)
    bh = cb - (cb - b)
    bl = b - bh
    lo = ((ah * bh - hi) + ah * bl + al * bh) + al * bl
    return hi, lo


def _two_sum(a: np.ndarray | float, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a + b == s + e`` exactly (Knuth)."""
    s = a + b
    bv = s - a
    e = (a - (s - bv)) + (b - bv)
    return s, e


def _fma64(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """float64 ``a * b + c`` with a single rounding (Boldo & Melquiond's emulation)."""
    a = np.asarray(a, dtype=np.float64)
    uh, ul = _two_prod(a, b)
    th, tl = _two_sum(c, uh)
    v, ve = _two_sum(tl, ul)
    v = _round_to_odd_fix(v, ve)
    return th + v


def _scale64(v: np.ndarray, std: float, mean: float) -> np.ndarray:
    """``fma(v, std, mean)`` in float64, skipping the emulation when it cannot matter."""
    if std == 1.0:
        return v + mean
    if mean == 0.0:
        return v * std + 0.0
    return _fma64(v, std, mean)


# ----------------------------------------------------------------------------------------------
# Uniform
# ----------------------------------------------------------------------------------------------


def _numel(shape: tuple[int, ...]) -> int:
    return math.prod(int(s) for s in shape)


def _f32_fma_sum_is_exact(span: float, lo: float) -> bool:
    """Whether ``k * span / 2**24 + lo`` (k < 2**24) is always exact in float64.

    Both terms are float32-grid numbers, so the sum is a multiple of the finer of their two
    grids; it is exact when its magnitude needs at most 53 bits on that grid.  This holds for
    the usual symmetric ranges such as ``(-bound, bound)``.
    """
    if span == 0.0 or lo == 0.0 or abs(span) < 2.0**-100 or abs(lo) < 2.0**-100:
        return False
    e_span = math.frexp(span)[1]  # span = m * 2**e_span with m in [0.5, 1)
    e_lo = math.frexp(lo)[1]
    grid = min(e_span - 48, e_lo - 24)  # product: 24+24 bits below 2**e_span; lo: 24 bits
    return max(e_span, e_lo) + 1 - grid <= 53


def _float_dtype(dtype: np.dtype | type) -> np.dtype:
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"only float32 and float64 are supported, got {dt}")
    return dt


def uniform(
    shape: tuple[int, ...], low: float, high: float, dtype: np.dtype | type = np.float32
) -> np.ndarray:
    """Samples from ``[low, high)``, identical to ``torch.empty(shape).uniform_(low, high)``.

    ``rand(shape)`` is ``uniform(shape, 0.0, 1.0, dtype)``.
    """
    dt = _float_dtype(dtype)
    shape = tuple(int(s) for s in shape)
    n = _numel(shape)
    ftype = dt.type
    with np.errstate(over="ignore", invalid="ignore"):
        lo, hi = ftype(low), ftype(high)
        span = ftype(hi - lo)  # torch subtracts in the tensor's precision
    if not lo <= hi:
        raise ValueError(
            f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}"
        )
    if not np.isfinite(span):
        raise ValueError(
            f"uniform_ expects to-from <= std::numeric_limits<{dt}>::max(), "
            f"but found to={high} and from={low} which result in to-from to "
            f"exceed the limit"
        )
    if dt == np.float32:
        # PyTorch's kernel computes fma(u, high - low, low) in float32 with u = k / 2**24.
        k = _words(n).astype(np.uint32) & np.uint32(0xFFFFFF)
        s = np.empty(n, dtype=np.float64)
        # k * (span / 2**24) is exact in float64 (a 24-bit times a 24-bit integer).
        np.multiply(k, float(span) * 2.0**-24, out=s)
        if lo == 0 or _f32_fma_sum_is_exact(float(span), float(lo)):
            # The float64 sum is exact too, so one rounding to float32 gives the fused result.
            s += float(lo)
            out = s.astype(np.float32)
        else:
            out = _fma32(s, 1.0, float(lo))
    else:
        x = _unit53(n)
        if lo == 0 and span == 1:
            out = x
        elif lo == 0:
            out = x * float(span)
        else:
            out = _fma64(x, float(span), float(lo))
    # The rounding above can land exactly on ``high``; torch maps such a value back to ``low``
    # so that the interval stays half-open.
    np.copyto(out, lo, where=out == hi)
    return out.reshape(shape)


# ----------------------------------------------------------------------------------------------
# Normal, float32 block kernel: a replay of PyTorch's AVX2 Box-Muller, which its AVX512 build
# uses too (both were checked).  Every step below is one float32 operation of that kernel, and
# ``_fma32_kernel`` marks each multiply-add that the compiler fused into one rounding (which ones
# were fused was determined by testing: every one of them is observable in the output).  The
# log and sincos steps were compared with torch over all 2**24 inputs they can receive.
# ----------------------------------------------------------------------------------------------

# Cephes single-precision log: polynomial for log(1+x)-x+x^2/2 on [sqrt(1/2)-1, sqrt(2)-1], and
# ln(2) split in a coarse part (exactly representable with few bits) and a small correction.
_LOG_COEFFICIENTS = (
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
)  # fmt: skip
_LOG_POLY = tuple(_f(v) for v in _LOG_COEFFICIENTS)
_LN2_LO = _f(-2.12194440e-4)
_LN2_HI = _f(0.693359375)
_SQRT_HALF = _f(0.707106781186547524)
# Cephes sinf/cosf: reduction by multiples of pi/4 split in three parts, then two polynomials.
_PIO4_A = _f(-0.78515625)
_PIO4_B = _f(-2.4187564849853515625e-4)
_PIO4_C = _f(-3.77489497744594108e-8)
_SIN_POLY = (_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1))
_COS_POLY = (_f(2.443315711809948e-5), _f(-1.388731625493765e-3), _f(4.166664568298827e-2))
_FOUR_OVER_PI = _f(1.27323954473516)
_TWO_PI_F32 = _f(2.0 * math.pi)


def _fma32_kernel(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """The fused multiply-adds *inside* the log/sincos kernel, without the half-way fix-up.

    Rounding the float64 result to float32 is only wrong in rare half-way cases, and an
    exhaustive run over every input these two functions can receive (2**24 each) showed that
    none of them hits one, so the cheaper form is exact here.  ``_fma32`` stays in use wherever
    user-chosen numbers (mean, std, bounds) enter.
    """
    t = np.multiply(a, b, dtype=np.float64)
    t += c
    return t.astype(np.float32)


def _log_f32(x: np.ndarray) -> np.ndarray:
    """The kernel's float32 natural log, for x in (0, 1] (the only inputs it ever sees)."""
    bits = x.view(np.uint32)
    # Exponent and mantissa: x = m * 2**e with m in [0.5, 1).
    e = ((bits >> np.uint32(23)).astype(np.int32) - 126).astype(np.float32)
    m = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(np.float32)
    small = m < _SQRT_HALF
    # Re-centre so the polynomial argument t lies in [sqrt(1/2) - 1, sqrt(2) - 1).
    # (Arithmetic with the mask rather than masked assignment: much faster on random masks.)
    e -= small
    t = m - _f(1)
    t += m * small  # 2m - 1 where small (exact); adding +0 elsewhere changes nothing
    t2 = t * t
    y = _fma32_kernel(t, _LOG_POLY[0], _LOG_POLY[1])
    for coef in _LOG_POLY[2:]:
        y = _fma32_kernel(y, t, coef)
    y = y * t
    y = _fma32_kernel(y, t2, e * _LN2_LO)
    y = y - t2 * _f(0.5)
    return (t + y) + e * _LN2_HI  # e * _LN2_HI is exact, so fusing this one changes nothing


def _sincos_f32(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's float32 (sin, cos), for x in [0, 2*pi)."""
    j = (x * _FOUR_OVER_PI).astype(np.int32)  # truncation, as cvttps does
    j = (j + 1) & ~1  # round the octant index up to even
    q = j.astype(np.float32)
    # x - q * pi/4 in three pieces so that the reduction keeps its accuracy.
    r = _fma32_kernel(q, _PIO4_A, x)
    r = _fma32_kernel(q, _PIO4_B, r)
    r = _fma32_kernel(q, _PIO4_C, r)
    z = r * r
    c = _fma32_kernel(z, _COS_POLY[0], _COS_POLY[1])
    c = _fma32_kernel(c, z, _COS_POLY[2])
    c = c * z
    c = _fma32_kernel(c, z, -(z * _f(0.5))) + _f(1)
    s = _fma32_kernel(z, _SIN_POLY[0], _SIN_POLY[1])
    s = _fma32_kernel(s, z, _SIN_POLY[2])
    s = s * z
    s = _fma32_kernel(s, r, r)
    # Pick a polynomial per element and flip signs by octant, with bit operations as the
    # kernel does (also much faster than masked numpy selection).
    pick_sin_poly = ((j & 2) - 1) >> 31  # all ones where bit 1 of j is clear, else zero
    sb, cb = s.view(np.int32), c.view(np.int32)
    sin = (sb & pick_sin_poly) | (cb & ~pick_sin_poly)
    cos = (cb & pick_sin_poly) | (sb & ~pick_sin_poly)
    sin ^= (j & 4) << 29
    cos ^= (~(j - 2) & 4) << 29
    return sin.view(np.float32), cos.view(np.float32)


def _box_muller16_f32(u: np.ndarray, mean: np.float32, std: np.float32) -> np.ndarray:
    """Box-Muller on each row of 16 uniforms (shape (k, 16)), exactly as the kernel does it.

    The first 8 of a row give radii, the last 8 angles; output i is the cosine sample and output
    i + 8 the sine sample of the pair (i, i + 8).
    """
    u1 = _f(1) - u[:, :8]  # (0, 1] so the log is finite
    radius = np.sqrt(_f(-2) * _log_f32(u1))
    sin, cos = _sincos_f32(_TWO_PI_F32 * u[:, 8:])
    out = np.empty_like(u)
    out[:, :8] = _scale32(radius * cos, std, mean)
    out[:, 8:] = _scale32(radius * sin, std, mean)
    return out


def _scale32(v: np.ndarray, std: np.float32, mean: np.float32) -> np.ndarray:
    """``fma(v, std, mean)`` in float32 (the kernel's last step), with cheap exact shortcuts."""
    if std == 1:
        return v + mean
    if mean == 0:
        return v * std + _f(0)  # + 0 turns a -0 product into +0, as the fused form does
    return _fma32(v, std, mean)


# ----------------------------------------------------------------------------------------------
# Normal, float64 block kernel (plain C-library log/cos/sin, final multiply-add fused).
# ----------------------------------------------------------------------------------------------

_TWO_PI = 2.0 * math.pi


def _libm(fn: Callable[[float], float], x: np.ndarray) -> np.ndarray:
    """Apply a :mod:`math` function element-wise.

    numpy's own vectorised ``log``/``cos``/``sin`` may differ from the C library in the last bit;
    the :mod:`math` module calls the C library, as PyTorch does, so it is used here.
    """
    return np.fromiter(map(fn, x.ravel().tolist()), dtype=np.float64, count=x.size).reshape(x.shape)


def _box_muller16_f64(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """The float64 version of the block transform (same layout as ``_box_muller16_f32``)."""
    u1 = 1.0 - u[:, :8]
    theta = _TWO_PI * u[:, 8:]
    radius = np.sqrt(-2.0 * _libm(math.log, u1))
    out = np.empty_like(u)
    out[:, :8] = _scale64(radius * _libm(math.cos, theta), std, mean)
    out[:, 8:] = _scale64(radius * _libm(math.sin, theta), std, mean)
    return out


def _normal_blocks(n: int, mean: float, std: float, dt: np.dtype) -> np.ndarray:
    """PyTorch's path for n >= 16: all uniforms first, then Box-Muller per block of 16."""
    if dt == np.float32:
        u = _unit24(n)
        m32, s32 = np.float32(mean), np.float32(std)

        def block(v: np.ndarray) -> np.ndarray:
            return _box_muller16_f32(v, m32, s32)

        def fresh16() -> np.ndarray:
            return _unit24(16)
    else:
        u = _unit53(n)

        def block(v: np.ndarray) -> np.ndarray:
            return _box_muller16_f64(v, mean, std)

        def fresh16() -> np.ndarray:
            return _unit53(16)

    full = n - n % 16
    out = np.empty(n, dtype=dt)
    out[:full] = block(u[:full].reshape(-1, 16)).ravel()
    if n % 16:
        # The tail is handled by redrawing 16 uniforms for the *last 16* positions, which also
        # overwrites part of the final full block.
        out[n - 16 :] = block(fresh16().reshape(1, 16)).ravel()
    return out


def _normal_scalar(n: int, mean: float, std: float, dt: np.dtype) -> np.ndarray:
    """PyTorch's path for n < 16: double-precision Box-Muller with a one-sample cache."""
    global _next_double_normal
    vals = []
    for _ in range(n):
        if _next_double_normal is not None:
            z = _next_double_normal
            _next_double_normal = None
        else:
            a, b = _unit53(2).tolist()
            r = math.sqrt(-2.0 * math.log1p(-b))
            theta = _TWO_PI * a
            _next_double_normal = r * math.sin(theta)
            z = r * math.cos(theta)
        vals.append(z)
    # Computed in double (with the final multiply-add fused), then rounded to the dtype.
    return _scale64(np.array(vals, dtype=np.float64), std, mean).astype(dt)


def normal(
    shape: tuple[int, ...],
    mean: float = 0.0,
    std: float = 1.0,
    dtype: np.dtype | type = np.float32,
    contiguous: bool = True,
) -> np.ndarray:
    """Normal samples identical to ``torch.empty(shape).normal_(mean, std)``.

    ``randn(shape)`` is ``normal(shape, 0.0, 1.0, dtype)``.  torch fills a *non-contiguous*
    tensor element by element with its scalar path whatever its size: pass ``contiguous=False``
    for that, and store the returned values (C order) in the destination's memory order, which is
    the order torch fills it in.  (``uniform`` needs no flag: only the order differs there.)
    """
    dt = _float_dtype(dtype)
    shape = tuple(int(s) for s in shape)
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise ValueError(f"normal expects std >= 0.0, but found std {std}")
    n = _numel(shape)
    if n >= 16 and contiguous:
        out = _normal_blocks(n, mean, std, dt)
    else:
        out = _normal_scalar(n, mean, std, dt)
    return out.reshape(shape)


# ----------------------------------------------------------------------------------------------
# Bernoulli
# ----------------------------------------------------------------------------------------------


def bernoulli(shape: tuple[int, ...], p: float) -> np.ndarray:
    """A bool mask, True with probability ``p``, identical to the ones of
    ``torch.empty(shape).bernoulli_(p)`` for a float ``p`` (what ``dropout`` draws).

    PyTorch's CPU kernel takes one float64 uniform per element, in order (53 bits of a 64-bit
    draw, as for ``uniform`` in float64), and sets the element where ``u < p``.  (Builds of
    PyTorch inside Meta use Intel MKL's own generator here instead; the public ones do not.)
    """
    shape = tuple(int(s) for s in shape)
    return (_unit53(_numel(shape)) < p).reshape(shape)


# ----------------------------------------------------------------------------------------------
# Integers
# ----------------------------------------------------------------------------------------------


def randint(
    low: int, high: int, shape: tuple[int, ...], dtype: np.dtype | type = np.int64
) -> np.ndarray:
    """Integers in ``[low, high)``, identical to ``torch.randint(low, high, shape)``."""
    low, high = int(low), int(high)
    if not low < high:
        raise ValueError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    shape = tuple(int(s) for s in shape)
    n = _numel(shape)
    span = high - low
    dt = np.dtype(dtype)
    # A plain modulo of one 32-bit word per value; from a range of 2**28 on (whatever the
    # dtype) torch switches to 64-bit values so that the modulo bias stays small.
    raw = _words64(n) if span >= 1 << 28 else _words(n)
    span_u = np.uint64(span & _U64_MAX)
    off = (raw % span_u).astype(np.int64) + np.int64(low)
    return off.astype(dt).reshape(shape)


# Above this size torch switches to a 64-bit "inside-out" shuffle; we do not mirror that one.
_RANDPERM_SMALL = 0xFFFFFFFF // 20


def randperm(n: int, dtype: np.dtype | type = np.int64) -> np.ndarray:
    """A random permutation of ``range(n)``, identical to ``torch.randperm(n)``."""
    n = int(n)
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    if n >= _RANDPERM_SMALL:
        raise NotImplementedError(f"randperm is only mirrored for n < {_RANDPERM_SMALL}")
    # Swap-based Fisher-Yates: position i swaps with i + (word % (n - i)).  The draws do not
    # depend on the data, so take them all at once; the swaps themselves are sequential.
    if n > 1:
        steps = _words(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)
        targets = (steps + np.arange(n - 1, dtype=np.uint64)).tolist()
    else:
        targets = []
    perm = list(range(n))
    for i, z in enumerate(targets):
        perm[i], perm[z] = perm[z], perm[i]
    return np.array(perm, dtype=dtype)


# A fresh process, like torch, starts from a non-deterministic seed.
seed()
