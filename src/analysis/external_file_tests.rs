use super::super::test_support::{Seq, code_of};
use crate::event::*;

/// A watched session: the `opened` note with `initial` as the file's content.
fn watched(initial: &str) -> Seq {
    let mut s = Seq::new();
    if let Event::Start(st) = &mut s.entries[0].event {
        st.sources = vec!["file-watch".into(), "os-keys".into()];
    }
    s.at(10.0).push(Event::File(FileNote { what: FileChange::Opened, why: "essay.md".into() }));
    if !initial.is_empty() {
        s.ed(0, "", initial, Cause::File);
    }
    s
}

impl Seq {
    /// Key presses for `text` in the editor, one every 150 ms from `ms`; the text is not
    /// inserted (the file changes only when saved).
    fn keys(&mut self, ms: f64, text: &str) -> &mut Self {
        for (n, ch) in text.chars().enumerate() {
            let t = ms + n as f64 * 150.0;
            self.at(t).kd(&code_of(ch));
            self.at(t + 80.0).ku(&code_of(ch));
        }
        self
    }

    /// A save at `ms` appending `text` to the file.
    fn save_append(&mut self, ms: f64, text: &str) -> &mut Self {
        let p = self.len;
        self.at(ms).ed(p, "", text, Cause::File)
    }
}

fn ids(a: &super::super::Analysis) -> Vec<&str> {
    a.flags.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn typed_text_saved_minutes_later_is_explained_by_its_keys() {
    let mut s = watched("");
    let text = "I wrote this paragraph myself, one key at a time, and saved it later.";
    s.keys(1000.0, text);
    // vim's :w ten minutes after the typing.
    s.save_append(600_000.0, text);
    let a = s.analyze();
    assert!(!ids(&a).contains(&"unexplained_insertion"), "{:?}", ids(&a));
    assert_eq!(a.measures.external_file.saves, 1);
    assert_eq!(a.measures.external_file.new_chars, text.chars().count());
}

#[test]
fn a_block_written_by_another_program_is_unexplained_with_its_size_and_events() {
    let mut s = watched("");
    s.keys(1000.0, "Typed first.");
    s.save_append(5000.0, "Typed first.");
    let block = "\nThis whole paragraph arrived in the file without a single key press.";
    s.save_append(9000.0, block);
    let a = s.analyze();
    let f = a.flags.iter().find(|f| f.id == "unexplained_insertion").expect("flagged");
    let save = &a.measures.external_file.unexplained_saves[0];
    assert_eq!(save.new_chars, block.chars().count());
    assert_eq!(f.events.first(), Some(&save.seq));
    assert!(f.reason.contains(&block.chars().count().to_string()), "{}", f.reason);
    assert!(f.severity >= crate::analysis::Severity::Notice);
}

#[test]
fn keys_typed_as_the_previous_save_was_written_still_count_for_the_next() {
    let mut s = watched("");
    // 45 keys from 0 to 6.6 s; the autosave at 6.7 s wrote only the first 20 characters
    // (the editor took its copy before the last keys landed), the next save the rest.
    let typed = "The first twenty chaand the rest of the sentence.";
    let typed: String = typed.chars().take(45).collect();
    s.keys(0.0, &typed);
    s.save_append(6_700.0, &typed[..20]);
    s.save_append(7_700.0, &typed[20..]);
    let a = s.analyze();
    assert!(!ids(&a).contains(&"unexplained_insertion"), "{:?}", a.measures.external_file);
}

#[test]
fn a_line_moved_or_duplicated_within_the_file_needs_no_keys() {
    let line = "A sentence long enough to be recognised when it moves.\n";
    let mut s = watched(line);
    // yyp in vim: the line duplicated with two keys.
    s.keys(1000.0, "yp");
    s.save_append(3000.0, line);
    let a = s.analyze();
    assert!(!ids(&a).contains(&"unexplained_insertion"), "{:?}", ids(&a));
}

#[test]
fn the_content_before_watching_is_reported_as_such_not_as_unexplained() {
    let s = watched("Notes I had before the session started, quite a lot of them.");
    let a = s.analyze();
    assert!(ids(&a).contains(&"file_initial_content"));
    assert!(!ids(&a).contains(&"unexplained_insertion"));
    assert_eq!(a.measures.external_file.saves, 0);
}

#[test]
fn a_small_excess_such_as_auto_indentation_is_not_flagged() {
    let mut s = watched("");
    s.keys(1000.0, "fn main() {\nlet x = 1;\nlet y = 2;\n}\n");
    // The editor indented two lines by four spaces and closed nothing else.
    s.save_append(20_000.0, "fn main() {\n    let x = 1;\n    let y = 2;\n}\n");
    assert!(!ids(&s.analyze()).contains(&"unexplained_insertion"));
}

#[test]
fn sessions_without_a_watched_file_have_no_external_measures() {
    let mut s = Seq::new();
    s.type_at_end("hello", 150.0, Some(80.0));
    let a = s.analyze();
    assert!(!a.measures.external_file.watched);
    assert!(a.limits.iter().all(|l| !l.contains("external editor")));
}

#[test]
fn without_the_key_hook_no_save_is_judged_and_the_limit_says_why() {
    let mut s = watched("");
    if let Event::Start(st) = &mut s.entries[0].event {
        st.sources = vec!["file-watch".into()];
    }
    s.save_append(5000.0, "A whole paragraph typed where no key could be recorded at all.");
    let a = s.analyze();
    assert!(!ids(&a).contains(&"unexplained_insertion"));
    assert!(a.limits.iter().any(|l| l.contains("without the system-wide key hook")));
}

#[test]
fn keys_counted_in_another_program_count_as_typing() {
    let mut s = watched("");
    let text = "Typed in a program that was not taken as the editor, all of it.";
    let mut n = std::collections::BTreeMap::new();
    n.insert(KeyClass::Char, text.chars().count() as u32);
    s.at(4000.0).push(Event::AwayKeys(AwayKeys { n }));
    s.save_append(5000.0, text);
    let a = s.analyze();
    assert!(!ids(&a).contains(&"unexplained_insertion"), "{:?}", a.measures.external_file);
    assert_eq!(a.measures.external_file.keys_elsewhere, text.chars().count());
}

#[test]
fn the_typing_of_one_save_does_not_explain_a_block_in_the_next() {
    let mut s = watched("");
    let typed = "Street trees cool the air by several degrees in summer.";
    s.keys(0.0, typed);
    let end = typed.chars().count() as f64 * 150.0;
    s.save_append(end + 100.0, typed);
    // One second later, well inside the 2 s slack, a block with no key at all.
    let block = "\nA paragraph another program wrote into the file without keys.";
    s.save_append(end + 1100.0, block);
    let a = s.analyze();
    let save = &a.measures.external_file.unexplained_saves[0];
    assert_eq!(save.keys, 0, "the typing was spent by the save before: {save:?}");
    assert_eq!(save.unexplained, block.chars().count());
}
