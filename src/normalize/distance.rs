//! Bounded edit distances on ASCII words, shared by legal-form spotting and scoring.

/// The optimal-string-alignment (restricted Damerau-Levenshtein) distance of two ASCII
/// words when it is at most `k`, computed without allocating: this runs for every
/// candidate word retrieval looks at. Longer words go to `strsim::osa_distance`.
pub(crate) fn osa_within(a: &[u8], b: &[u8], k: usize) -> Option<usize> {
    const MAX: usize = 40;
    if a.len() >= MAX || b.len() >= MAX {
        let (sa, sb) = (std::str::from_utf8(a).ok()?, std::str::from_utf8(b).ok()?);
        let d = strsim::osa_distance(sa, sb);
        return (d <= k).then_some(d);
    }
    // Three rows of the distance table, rotated: row i % 3 is current.
    let mut rows = [[0u8; MAX]; 3];
    for (j, slot) in rows[2].iter_mut().enumerate().take(b.len() + 1) {
        *slot = j as u8;
    }
    let (mut p2, mut p1, mut cu) = (1usize, 2usize, 0usize);
    for (i, &ca) in a.iter().enumerate() {
        let [r0, r1, r2] = &mut rows;
        let (prev2, prev, cur): (&[u8; MAX], &[u8; MAX], &mut [u8; MAX]) = match (p2, p1, cu) {
            (1, 2, 0) => (r1, r2, r0),
            (2, 0, 1) => (r2, r0, r1),
            _ => (r0, r1, r2),
        };
        cur[0] = (i + 1) as u8;
        let mut row_min = cur[0];
        for (j, &cb) in b.iter().enumerate() {
            let cost = u8::from(ca != cb);
            let mut v = (cur[j] + 1).min(prev[j + 1] + 1).min(prev[j] + cost);
            if i > 0 && j > 0 && ca != cb && a[i - 1] == cb && b[j - 1] == ca {
                v = v.min(prev2[j - 1] + 1);
            }
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        if usize::from(row_min) > k {
            return None;
        }
        (p2, p1, cu) = (p1, cu, p2);
    }
    let d = usize::from(rows[p1][b.len()]);
    (d <= k).then_some(d)
}
