const versionChars = /[A-Za-z0-9~^.-]/;
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isAlpha = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/**
 * systemd's strverscmp_improved (src/fundamental/string-util-fundamental.c),
 * which systemd-boot uses to order entries by version: segments of digits
 * compare as numbers (leading zeros ignored), "~" marks a pre-release (older
 * than anything, even the end), "-" separates version and release, "^" a
 * post-release, "." a point release; a string with more segments is newer.
 * Negative when `a` is older than `b`.
 */
export function compareVersions(left: string | undefined, right: string | undefined): number {
  // A missing version compares as the empty one, as in C.
  const a = left ?? "";
  const b = right ?? "";
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !versionChars.test(a[i] as string)) i++;
    while (j < b.length && !versionChars.test(b[j] as string)) j++;
    for (const mark of ["~"] as const) {
      if (a[i] === mark || b[j] === mark) {
        if (a[i] !== mark) return 1;
        if (b[j] !== mark) return -1;
        i++;
        j++;
      }
    }
    if (i >= a.length || j >= b.length) {
      const restA = a.slice(i);
      const restB = b.slice(j);
      return restA < restB ? -1 : restA > restB ? 1 : 0;
    }
    for (const mark of ["-", "^", "."] as const) {
      if (a[i] === mark || b[j] === mark) {
        if (a[i] !== mark) return 1;
        if (b[j] !== mark) return -1;
        i++;
        j++;
      }
    }
    let ii = i;
    let jj = j;
    if (isDigit(a[i]) || isDigit(b[j])) {
      while (isDigit(a[ii])) ii++;
      while (isDigit(b[jj])) jj++;
      if (ii > i !== jj > j) return ii > i ? 1 : -1;
      while (a[i] === "0") i++;
      while (b[j] === "0") j++;
      if (ii - i !== jj - j) return ii - i > jj - j ? 1 : -1;
      const sa = a.slice(i, ii);
      const sb = b.slice(j, jj);
      if (sa !== sb) return sa < sb ? -1 : 1;
    } else {
      while (isAlpha(a[ii])) ii++;
      while (isAlpha(b[jj])) jj++;
      const n = Math.min(ii - i, jj - j);
      const sa = a.slice(i, i + n);
      const sb = b.slice(j, j + n);
      if (sa !== sb) return sa < sb ? -1 : 1;
      if (ii - i !== jj - j) return ii - i > jj - j ? 1 : -1;
    }
    i = ii;
    j = jj;
  }
}
