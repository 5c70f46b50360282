//! The exact edits between two versions of a watched file.
//!
//! The in-app editor changes one place per frame, so one replacement ([`super::text_change`])
//! says what happened. A file saved by another editor may have changed in many places since
//! the last save; one replacement spanning all of them would claim that the unchanged text
//! between them was deleted and written again, and analysis would then look for keys that
//! wrote it. So the change is split into the places that really changed: the common prefix
//! and suffix are cut off first (cheap, and most saves change one place), then the middle is
//! compared line by line and each changed run of lines char by char, with Myers' O(ND)
//! difference algorithm (Myers 1986, "An O(ND) Difference Algorithm and Its Variations").
//! Each comparison gives up beyond [`MAX_D`] differences and falls back to one replacement,
//! so a file rewritten wholesale costs no more than a linear scan.

use crate::event::{Cause, Edit};

/// Most differences one Myers comparison explores before it falls back to one replacement:
/// time is O((N+M)·D) and the kept trace O(D²), so 1,000 bounds a comparison to a few ms and
/// a few MB however large the file.
const MAX_D: usize = 1000;
/// A changed run of lines longer than this (chars, both sides) is not compared char by char.
const MAX_CHAR_RUN: usize = 20_000;

/// The edits (cause `file`, positions in chars, applied in order) that turn `before` into
/// `after`; empty when they are equal.
pub fn file_edits(before: &str, after: &str) -> Vec<Edit> {
    if before == after {
        return Vec::new();
    }
    let a: Vec<char> = before.chars().collect();
    let b: Vec<char> = after.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix =
        a.iter().rev().zip(b.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut hunks = Vec::new();
    for h in line_hunks(am, bm) {
        let (ar, br) = (&am[h.a.0..h.a.1], &bm[h.b.0..h.b.1]);
        let refined = if ar.len() + br.len() <= MAX_CHAR_RUN { myers(ar, br) } else { None };
        match refined {
            Some(inner) => hunks.extend(inner.into_iter().map(|i| Hunk {
                a: (h.a.0 + i.a.0, h.a.0 + i.a.1),
                b: (h.b.0 + i.b.0, h.b.0 + i.b.1),
            })),
            None => hunks.push(h),
        }
    }
    hunks
        .into_iter()
        .map(|h| Edit {
            // Earlier hunks are applied: the text before this one is already `after`'s.
            p: prefix + h.b.0,
            d: am[h.a.0..h.a.1].iter().copied().collect(),
            i: bm[h.b.0..h.b.1].iter().copied().collect(),
            c: Cause::File,
        })
        .collect()
}

/// A changed region: `a` (start, end) in the old tokens replaced by `b` in the new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hunk {
    a: (usize, usize),
    b: (usize, usize),
}

/// The changed runs of whole lines between `a` and `b`, in char offsets; the whole of both
/// as one run when they differ too much to compare.
fn line_hunks(a: &[char], b: &[char]) -> Vec<Hunk> {
    let whole = || vec![Hunk { a: (0, a.len()), b: (0, b.len()) }];
    if a.is_empty() || b.is_empty() {
        return whole();
    }
    let (la, lb) = (lines(a), lines(b));
    let (ta, tb): (Vec<&[char]>, Vec<&[char]>) =
        (la.iter().map(|&(s, e)| &a[s..e]).collect(), lb.iter().map(|&(s, e)| &b[s..e]).collect());
    let Some(hunks) = myers(&ta, &tb) else { return whole() };
    let at = |l: &[(usize, usize)], i: usize, len: usize| l.get(i).map_or(len, |x| x.0);
    hunks
        .into_iter()
        .map(|h| Hunk {
            a: (at(&la, h.a.0, a.len()), at(&la, h.a.1, a.len())),
            b: (at(&lb, h.b.0, b.len()), at(&lb, h.b.1, b.len())),
        })
        .collect()
}

/// Each line's (start, end) in `text`, the end after its `\n`.
fn lines(text: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.iter().enumerate() {
        if *c == '\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Myers' greedy shortest edit script as hunks, or `None` beyond [`MAX_D`] differences.
/// Keeps only the diagonals -d..=d of each step, so the trace is O(D²).
fn myers<T: PartialEq>(a: &[T], b: &[T]) -> Option<Vec<Hunk>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_D) as isize;
    let off = max + 1;
    let mut v = vec![0isize; 2 * off as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max {
        for k in (-d..=d).step_by(2) {
            let i = (k + off) as usize;
            let mut x =
                if k == -d || (k != d && v[i - 1] < v[i + 1]) { v[i + 1] } else { v[i - 1] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[i] = x;
            if x >= n && y >= m {
                trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
                found = Some(d);
                break 'search;
            }
        }
        trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
    }
    let d_end = found?;
    // Walk back from the end: each step d came from a diagonal of step d-1 by one deletion
    // (x+1) or insertion (y+1), after which it followed equal tokens.
    let mut moves = Vec::new(); // (x, y) before each single deletion or insertion
    let (mut x, mut y) = (n, m);
    for d in (1..=d_end).rev() {
        let prev = &trace[(d - 1) as usize];
        let at = |k: isize| prev[(k + d - 1) as usize];
        let k = x - y;
        let down = k == -d || (k != d && at(k - 1) < at(k + 1));
        let pk = if down { k + 1 } else { k - 1 };
        let px = at(pk);
        let py = px - pk;
        // Equal tokens from the end of the edit back to (x, y).
        let (ex, ey) = if down { (px, py + 1) } else { (px + 1, py) };
        debug_assert!(x - ex == y - ey);
        moves.push((px as usize, py as usize, down));
        x = px;
        y = py;
    }
    moves.reverse();
    let mut hunks: Vec<Hunk> = Vec::new();
    for (x, y, insert) in moves {
        let step = if insert {
            Hunk { a: (x, x), b: (y, y + 1) }
        } else {
            Hunk { a: (x, x + 1), b: (y, y) }
        };
        match hunks.last_mut() {
            Some(h) if h.a.1 == step.a.0 && h.b.1 == step.b.0 => {
                h.a.1 = step.a.1;
                h.b.1 = step.b.1;
            }
            _ => hunks.push(step),
        }
    }
    Some(hunks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for e in edits {
            let n = e.d.chars().count();
            assert_eq!(chars[e.p..e.p + n].iter().collect::<String>(), &*e.d, "edit {e:?}");
            chars.splice(e.p..e.p + n, e.i.chars());
        }
        chars.into_iter().collect()
    }

    #[test]
    fn two_places_changed_in_one_save_are_two_edits_not_one_spanning_replacement() {
        let before = "The cat sat on the mat.\nIt was warm.\nThe end.\n";
        let after = "The dog sat on the mat.\nIt was warm.\nThe very end.\n";
        let edits = file_edits(before, after);
        assert_eq!(apply(before, &edits), after);
        let inserted: String = edits.iter().map(|e| e.i.as_str()).collect();
        assert!(inserted.len() <= "dog".len() + "very ".len(), "edits: {edits:?}");
        assert!(edits.iter().all(|e| e.c == Cause::File));
    }

    #[test]
    fn two_edits_in_one_long_line_keep_the_words_between_them() {
        let before = format!("Start {} end", "middle words ".repeat(50));
        let after = format!("Begin {} finish", "middle words ".repeat(50));
        let edits = file_edits(&before, &after);
        assert_eq!(apply(&before, &edits), after);
        let inserted: usize = edits.iter().map(|e| e.i.chars().count()).sum();
        assert!(inserted < 20, "edits: {edits:?}");
    }

    #[test]
    fn a_file_rewritten_wholesale_is_one_cheap_replacement() {
        let before: String = (0..30_000).map(|i| format!("line {i}\n")).collect();
        let after: String = (0..30_000).map(|i| format!("other {i}\n")).collect();
        let t = std::time::Instant::now();
        let edits = file_edits(&before, &after);
        assert_eq!(apply(&before, &edits), after);
        assert!(t.elapsed() < std::time::Duration::from_secs(2), "took {:?}", t.elapsed());
    }

    #[test]
    fn appending_to_a_large_file_is_found_by_prefix_alone() {
        let before: String = "x".repeat(5_000_000);
        let after = format!("{before}tail");
        let edits = file_edits(&before, &after);
        assert_eq!(
            edits,
            vec![Edit { p: 5_000_000, d: Default::default(), i: "tail".into(), c: Cause::File }]
        );
    }

    #[test]
    fn equal_versions_give_no_edits_and_positions_count_chars() {
        assert!(file_edits("même", "même").is_empty());
        let edits = file_edits("é\né\n", "é\nà\né\n");
        assert_eq!(apply("é\né\n", &edits), "é\nà\né\n");
    }

    proptest! {
        #[test]
        fn edits_turn_before_into_after(before in "[ab\né ]{0,40}", after in "[ab\né ]{0,40}") {
            prop_assert_eq!(apply(&before, &file_edits(&before, &after)), after);
        }
    }
}
