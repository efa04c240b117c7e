//! Test support for goods: loads the shipped `rules/goods/` categories.
//!
//! Until the rule-language parser lands on main, this reads the subset of the grammar
//! that goods files use (`category` and `rates` items). It is test-only scaffolding,
//! to be replaced by the real loader.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use embargo::rules::ir::{Category, HsPrefix, Ruleset, RulesetData, Strength, Term};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
    Comma,
}

fn lex(src: &str) -> Vec<(Tok, usize)> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '{' => out.push((Tok::Open, line)),
            '}' => out.push((Tok::Close, line)),
            ',' => out.push((Tok::Comma, line)),
            '"' => {
                let mut s = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(e) => s.push(e),
                            None => {}
                        },
                        _ => s.push(d),
                    }
                }
                out.push((Tok::Str(s), line));
            }
            c if c.is_whitespace() => {}
            c => {
                let mut s = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || "_-.:".contains(d) {
                        s.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push((Tok::Word(s), line));
            }
        }
    }
    out
}

fn is_code(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Parses the goods files under `dir`, panicking with file:line on anything unexpected.
pub fn load_dir(dir: &Path) -> Ruleset {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("rules dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "emb"))
        .collect();
    files.sort();
    let mut cats: Vec<Category> = Vec::new();
    let mut rates: BTreeMap<String, f64> = BTreeMap::new();
    let mut thresholds: Vec<(usize, String, f64)> = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("read rules");
        let toks = lex(&src);
        let mut i = 0;
        let at = |i: usize| -> String {
            let line = toks.get(i).map(|t| t.1).unwrap_or(0);
            format!("{}:{}", f.display(), line)
        };
        while i < toks.len() {
            match &toks[i].0 {
                Tok::Word(w) if w == "rates" => {
                    i += 1;
                    assert_eq!(toks[i].0, Tok::Open, "{}", at(i));
                    i += 1;
                    while toks[i].0 != Tok::Close {
                        match &toks[i].0 {
                            Tok::Word(w) if w == "as_of" || w == "source" => i += 2,
                            Tok::Word(w) if w == "rate" => {
                                let (Tok::Word(cur), Tok::Word(n)) = (&toks[i + 1].0, &toks[i + 2].0)
                                else {
                                    panic!("{}: bad rate", at(i))
                                };
                                rates.insert(cur.clone(), n.replace('_', "").parse().expect("rate"));
                                i += 3;
                            }
                            t => panic!("{}: unexpected {t:?} in rates", at(i)),
                        }
                    }
                    i += 1;
                }
                Tok::Word(w) if w == "category" => {
                    let Tok::Word(id) = &toks[i + 1].0 else { panic!("{}: id", at(i)) };
                    assert_eq!(toks[i + 2].0, Tok::Open, "{}", at(i));
                    i += 3;
                    let mut c = Category {
                        id: id.clone(),
                        title: String::new(),
                        tags: vec![],
                        basis: vec![],
                        terms: vec![],
                        hs: vec![],
                        exclude_terms: vec![],
                        exclude_hs: vec![],
                        threshold_usd: None,
                        threshold_text: None,
                    };
                    while toks[i].0 != Tok::Close {
                        let Tok::Word(prop) = toks[i].0.clone() else {
                            panic!("{}: expected property, got {:?}", at(i), toks[i].0)
                        };
                        i += 1;
                        let mut strength = Strength::Strong;
                        let mut lang = None;
                        let mut exclude_hs = false;
                        if prop == "terms" || prop == "hs" {
                            if let Tok::Word(w) = &toks[i].0 {
                                if w == "weak" || w == "strong" {
                                    if w == "weak" {
                                        strength = Strength::Weak;
                                    }
                                    i += 1;
                                }
                            }
                            if prop == "terms" {
                                if let Tok::Word(w) = &toks[i].0 {
                                    lang = Some(w.clone());
                                    i += 1;
                                }
                            }
                        }
                        if prop == "exclude" {
                            if let Tok::Word(w) = &toks[i].0 {
                                if w == "hs" {
                                    exclude_hs = true;
                                    i += 1;
                                }
                            }
                        }
                        if prop == "threshold" {
                            let (Tok::Word(cur), Tok::Word(n)) = (&toks[i].0, &toks[i + 1].0) else {
                                panic!("{}: threshold", at(i))
                            };
                            let n: f64 = n.replace('_', "").parse().expect("amount");
                            thresholds.push((cats.len(), cur.clone(), n));
                            c.threshold_text = Some(format!("{cur} {n}"));
                            i += 2;
                            continue;
                        }
                        // A comma-separated list of values.
                        let mut values = Vec::new();
                        loop {
                            match &toks[i].0 {
                                Tok::Str(s) => values.push(s.clone()),
                                Tok::Word(w) => values.push(w.clone()),
                                t => panic!("{}: unexpected {t:?}", at(i)),
                            }
                            i += 1;
                            if toks[i].0 == Tok::Comma {
                                i += 1;
                            } else {
                                break;
                            }
                        }
                        match prop.as_str() {
                            "title" => c.title = values.concat(),
                            "basis" => c.basis.extend(values),
                            "tags" => c.tags.extend(values),
                            "terms" => c.terms.extend(values.into_iter().map(|t| Term {
                                text: t,
                                lang: lang.clone(),
                                strength,
                            })),
                            "hs" => {
                                for v in values {
                                    assert!(is_code(&v), "{}: bad code {v}", at(i));
                                    c.hs.push(HsPrefix { digits: v.replace('.', ""), strength });
                                }
                            }
                            "exclude" if exclude_hs => {
                                for v in values {
                                    assert!(is_code(&v), "{}: bad code {v}", at(i));
                                    c.exclude_hs.push(v.replace('.', ""));
                                }
                            }
                            "exclude" => c.exclude_terms.extend(values),
                            p => panic!("{}: unknown property {p}", at(i)),
                        }
                    }
                    i += 1;
                    cats.push(c);
                }
                t => panic!("{}: unexpected {t:?} at top level", at(i)),
            }
        }
    }
    rates.insert("USD".into(), 1.0);
    for (ci, cur, n) in thresholds {
        let rate = rates.get(&cur).copied().expect("threshold currency has a rate");
        cats[ci].threshold_usd = Some(n * rate);
    }
    cats.sort_by(|a, b| a.id.cmp(&b.id));
    Ruleset::from_data(RulesetData {
        categories: cats,
        rates,
        ..RulesetData::default()
    })
}

/// The shipped goods rules.
pub fn shipped() -> Ruleset {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/goods"))
}
