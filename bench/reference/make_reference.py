"""High-precision reference values for the pricing tests and benchmarks (mpmath, 50 digits).

Run: python3 bench/reference/make_reference.py > test/fixtures/pricing-reference.json
Independent of our code: closed-form Black-76 and the normal CDF evaluated in arbitrary precision.
"""
import json
from mpmath import mp, mpf, ncdf, log, sqrt, exp

mp.dps = 50

def black(kind, F, K, T, sigma):
    s = sigma * sqrt(T)
    d1 = (log(F / K) + s * s / 2) / s
    d2 = d1 - s
    if kind == "call":
        return F * ncdf(d1) - K * ncdf(d2)
    return K * ncdf(-d2) - F * ncdf(-d1)

cdf = []
x = mpf(-37)
while x <= 8:
    cdf.append([float(x), mp.nstr(ncdf(x), 25)])
    x += mpf("0.125")

prices = []
F = mpf(100)
for T in ["0.0001", "0.01", "0.1", "1", "4"]:
    for sigma in ["0.05", "0.2", "0.6", "1.5"]:
        for z in [-12, -9, -6, -4, -2, -1, -0.25, 0, 0.25, 1, 2, 4, 6, 9, 12]:
            Tm, sm = mpf(T), mpf(sigma)
            K = F * exp(mpf(z) * sm * sqrt(Tm))
            kind = "call" if z >= 0 else "put"
            p = black(kind, F, K, Tm, sm)
            if p < mpf("1e-300"):
                continue
            prices.append({"kind": kind, "F": 100.0, "K": float(K), "T": float(Tm), "sigma": float(sm), "price": mp.nstr(black(kind, F, mpf(float(K)), Tm, sm), 25)})

print(json.dumps({"generator": "mpmath 50 digits", "normCdf": cdf, "black76": prices}, indent=0))
