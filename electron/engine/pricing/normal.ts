/* eslint-disable no-loss-of-precision -- published coefficients are kept as printed; they round to the nearest double. */
/*
 * Normal distribution to full double precision, including relative accuracy deep in the lower
 * tail (where option wings live). JavaScript has no erf, and the npm implementations lose the tail
 * (pricing.md §9), so this follows W. J. Cody, "Rational Chebyshev approximations for the error
 * function" (Math. Comp. 23, 1969; CALERF revision 1990) for erfc and the scaled erfcx, the
 * asymptotic series A&S 26.2.12 for Φ below −10, and Wichura's AS241 (PPND16) for the inverse.
 * Coefficients are the published ones.
 */

const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058,
  2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];

const ONE_OVER_SQRT_PI = 0.56418958354775628695;
const ONE_OVER_SQRT_2PI = 0.3989422804014326779399461;
const SQRT_2PI = 2.506628274631000502415765;
const SQRT_HALF = 0.7071067811865475244008444;
const THRESHOLD = 0.46875;
const XBIG = 26.543;
const XHUGE = 6.71e7;
const XNEG = -26.628;

/** exp(−y²) with the exponent split so the large part is exact (Cody's trick); keeps tail accuracy. */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/*
 * The rational functions below are Cody's coefficient tables written out as Horner forms: the same
 * operations in the same order as a loop over the tables (so the same bits), without the array
 * reads and bounds checks a loop costs on every call of the pricer's hot path.
 */

/** erfcx(y) = exp(y²)·erfc(y) for y ≥ 0.46875 (Cody's second and third intervals). */
function erfcxPositive(y: number): number {
  if (y <= 4) {
    const num = (((((((C[8]! * y + C[0]!) * y + C[1]!) * y + C[2]!) * y + C[3]!) * y + C[4]!) * y + C[5]!) * y + C[6]!) * y + C[7]!;
    const den = (((((((y + D[0]!) * y + D[1]!) * y + D[2]!) * y + D[3]!) * y + D[4]!) * y + D[5]!) * y + D[6]!) * y + D[7]!;
    return num / den;
  }
  if (y >= XHUGE) return ONE_OVER_SQRT_PI / y;
  const z = 1 / (y * y);
  const num = ((((P[5]! * z + P[0]!) * z + P[1]!) * z + P[2]!) * z + P[3]!) * z;
  const den = ((((z + Q[0]!) * z + Q[1]!) * z + Q[2]!) * z + Q[3]!) * z;
  const r = (z * (num + P[4]!)) / (den + Q[4]!);
  return (ONE_OVER_SQRT_PI - r) / y;
}

/** erf on |x| ≤ 0.46875 (Cody's first interval). */
function erfSmall(x: number): number {
  const z = x * x;
  const num = ((A[4]! * z + A[0]!) * z + A[1]!) * z + A[2]!;
  const den = ((z + B[0]!) * z + B[1]!) * z + B[2]!;
  return (x * (num * z + A[3]!)) / (den * z + B[3]!);
}

export function erf(x: number): number {
  if (Math.abs(x) <= THRESHOLD) return erfSmall(x);
  const e = erfc(Math.abs(x));
  return x > 0 ? 1 - e : e - 1;
}

export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 1 - erfSmall(x);
  const r = y >= XBIG ? 0 : erfcxPositive(y) * expMinusSquare(y);
  return x < 0 ? 2 - r : r;
}

/** Scaled complementary error function exp(x²)·erfc(x), finite wherever erfc underflows. */
export function erfcx(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return Math.exp(x * x) * (1 - erfSmall(x));
  const r = erfcxPositive(y);
  if (x >= 0) return r;
  if (x < XNEG) return Infinity;
  return 2 / expMinusSquare(y) - r;
}

/** Standard normal density. */
export function normPdf(z: number): number {
  return ONE_OVER_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * φ at the sixteenths, φ(k/16) for k = 0…621 (k/16 ≈ 38.8, past which φ underflows): the exact
 * half of the split below is a table read, not a second exponential.
 */
const PDF_SIXTEENTHS = Float64Array.from({ length: 622 }, (_, k) => ONE_OVER_SQRT_2PI * Math.exp(-0.5 * (k / 16) * (k / 16)));

/**
 * φ(z) with the exponent split for full relative accuracy far in the tails: z = zh + rest with zh
 * on the sixteenths, so zh² is exact and only the small −½(z − zh)(z + zh) is rounded.
 */
export function normPdfAccurate(z: number): number {
  const k = Math.trunc(Math.abs(z) * 16);
  if (k >= PDF_SIXTEENTHS.length) return 0;
  const zh = k / 16;
  const a = Math.abs(z);
  return PDF_SIXTEENTHS[k]! * Math.exp(-0.5 * (a - zh) * (a + zh));
}

const ASYMPTOTIC_CUTOFF = -10;
const ASYMPTOTIC_TERMS = 17;

/** Standard normal CDF Φ(z), relative accuracy ~1e-16 also for z ≪ 0. */
export function normCdf(z: number): number {
  if (z <= ASYMPTOTIC_CUTOFF) {
    // A&S 26.2.12: Φ(z) = φ(z)/|z| · Σ (−1)^k (2k−1)!! / z^{2k}
    const zz = 1 / (z * z);
    let term = 1;
    let sum = 1;
    for (let k = 1; k < ASYMPTOTIC_TERMS; k++) {
      term *= -(2 * k - 1) * zz;
      sum += term;
    }
    return (normPdfAccurate(z) / -z) * sum;
  }
  if (z < -THRESHOLD / SQRT_HALF) {
    // erfcx is insensitive to the rounding of −z/√2; the Gaussian factor is taken from z itself.
    return 0.5 * erfcxPositive(-z * SQRT_HALF) * normPdfAccurate(z) * SQRT_2PI;
  }
  return 0.5 * erfc(-z * SQRT_HALF);
}

/**
 * Φ(z) from φ(z) the caller already holds (to full relative accuracy, as `normPdfAccurate` gives):
 * the pricer's two CDFs share one Gaussian, since φ(d2) = φ(d1)·F/K. Same branches and accuracy
 * as `normCdf`, without its exponentials.
 */
export function normCdfFromPdf(z: number, pdf: number): number {
  if (z <= ASYMPTOTIC_CUTOFF) return normCdf(z);
  const y = z * SQRT_HALF;
  if (y < -THRESHOLD) return 0.5 * erfcxPositive(-y) * pdf * SQRT_2PI;
  if (y <= THRESHOLD) return 0.5 * (1 + erfSmall(y));
  return 1 - 0.5 * erfcxPositive(y) * pdf * SQRT_2PI;
}

/** Inverse of Φ (AS241, PPND16), ~1e-16 relative. Returns ±Infinity at 0 and 1, NaN outside [0, 1]. */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}
