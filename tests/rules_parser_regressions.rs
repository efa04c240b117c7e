//! One test per bug found in the rule-language parser or printer.

use embargo::rules::{parser, print, FileId};

/// Parses `text` without errors and prints it.
fn fmt(text: &str) -> String {
    let (tree, diags) = parser::parse(FileId(0), text);
    assert!(diags.is_empty(), "{diags:?}");
    print::print_file(&tree)
}

/// Found by `any_cleanly_parsed_text_round_trips`: a comment inside a one-line item
/// (here after a comma where a set's members continue) was printed indented after the
/// item, where it reads back as the next item's leading comment; a second `fmt` then
/// moved it again, so `fmt` was not idempotent. It now stays where it was written,
/// among the set's members (one between the set's keyword and its members goes after
/// `=`), and stays there.
#[test]
fn comment_inside_one_line_item_stays_in_place() {
    let text = "set countries x = KP, # note\n  CN\ninclude \"a\"\nset countries # other\n y = A\n";
    let once = fmt(text);
    assert_eq!(
        once,
        "set countries x = KP,  # note\n  CN\n\ninclude \"a\"\n\nset countries y =  # other\n  A\n"
    );
    assert_eq!(fmt(&once), once);
}
