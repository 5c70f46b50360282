//! The exact edit between two versions of the editor text.

/// One replace operation in chars: at `p`, `d` was removed and `i` inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub p: usize,
    pub d: String,
    pub i: String,
}

/// The smallest single replacement turning `before` into `after`, or `None` when equal.
///
/// A pure insertion or deletion inside a run of equal characters can be placed anywhere in
/// the run ("hel|lo" + "l": after the 3rd or the 4th char). `caret` — the caret after the
/// change, when known — picks the placement where the caret really was, so the journal says
/// what the trainer did, not just something equivalent. This is the usual diff
/// normalisation (slide the edit while the shifted text is the same).
pub fn text_change(before: &str, after: &str, caret: Option<usize>) -> Option<TextChange> {
    if before == after {
        return None;
    }
    let b: Vec<char> = before.chars().collect();
    let a: Vec<char> = after.chars().collect();
    let mut prefix = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let max_suffix = b.len().min(a.len()) - prefix;
    let suffix =
        b.iter().rev().zip(a.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    let (mut d_end, mut i_end) = (b.len() - suffix, a.len() - suffix);
    let pure_insert = d_end == prefix;
    let pure_delete = i_end == prefix;
    if let Some(caret) = caret
        && (pure_insert || pure_delete)
    {
        // Where the change should start for the caret to end up where it is.
        let wanted = if pure_insert { caret.saturating_sub(i_end - prefix) } else { caret };
        // Slide left: the changed run moves one char left while the char before it equals
        // the run's last char.
        while prefix > wanted {
            let (run, end) = if pure_insert { (&a, i_end) } else { (&b, d_end) };
            if run[prefix - 1] != run[end - 1] {
                break;
            }
            prefix -= 1;
            if pure_insert {
                i_end -= 1;
                d_end = prefix;
            } else {
                d_end -= 1;
                i_end = prefix;
            }
        }
    }
    Some(TextChange {
        p: prefix,
        d: b[prefix..d_end].iter().collect(),
        i: a[prefix..i_end].iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn apply(text: &str, c: &TextChange) -> String {
        let chars: Vec<char> = text.chars().collect();
        let n = c.d.chars().count();
        assert_eq!(chars[c.p..c.p + n].iter().collect::<String>(), c.d);
        chars[..c.p]
            .iter()
            .copied()
            .chain(c.i.chars())
            .chain(chars[c.p + n..].iter().copied())
            .collect()
    }

    #[test]
    fn typed_char_in_a_run_is_placed_at_the_caret() {
        let c = text_change("hello", "helllo", Some(3)).unwrap();
        assert_eq!(c, TextChange { p: 2, d: Default::default(), i: "l".into() });
        let c = text_change("hello", "helllo", Some(5)).unwrap();
        assert_eq!(c.p, 4);
    }

    #[test]
    fn backspace_in_a_run_deletes_before_the_caret() {
        let c = text_change("aaa", "aa", Some(0)).unwrap();
        assert_eq!(c, TextChange { p: 0, d: "a".into(), i: Default::default() });
    }

    #[test]
    fn replacement_of_a_selection_is_one_change() {
        let c = text_change("the cat sat", "the dog sat", None).unwrap();
        assert_eq!(c, TextChange { p: 4, d: "cat".into(), i: "dog".into() });
    }

    #[test]
    fn positions_count_chars_not_bytes() {
        let c = text_change("héllo", "héllo!", None).unwrap();
        assert_eq!(c.p, 5);
    }

    proptest! {
        #[test]
        fn change_turns_before_into_after(before in "[ab é]{0,12}", after in "[ab é]{0,12}", caret in proptest::option::of(0usize..14)) {
            match text_change(&before, &after, caret) {
                None => prop_assert_eq!(&before, &after),
                Some(c) => prop_assert_eq!(apply(&before, &c), after),
            }
        }
    }
}
