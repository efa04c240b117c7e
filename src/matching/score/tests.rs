//! Tests of name scoring: alignment, evidence factors and explanations.

use super::*;

proptest::proptest! {
    /// Keys of a few letters, vowels and `nk` endings common, some too long for
    /// the buffer.
    #[test]
    fn same_skeleton_is_equal_skeletons(a in "[aeknt]{0,20}", b in "[aeknt]{0,20}") {
        let (sa, sb) = (skeleton(&a), skeleton(&b));
        proptest::prop_assert_eq!(same_skeleton(&a, &b), sa.len() >= 2 && sa == sb);
    }

    /// The skeleton read by characters, as the rule is stated.
    #[test]
    fn skeleton_drops_vowels_and_a_final_k_after_n(key in "[aeiouyknč元]{0,12}") {
        let mut expected: String = key
            .chars()
            .filter(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
            .collect();
        if expected.ends_with("nk") {
            expected.pop();
        }
        proptest::prop_assert_eq!(skeleton(&key), expected);
    }
}

fn p() -> Option<EntityKind> {
    Some(EntityKind::Person)
}
fn o() -> Option<EntityKind> {
    Some(EntityKind::Organization)
}

#[test]
fn identical_only_gives_one() {
    assert_eq!(compare("KIM, Jong Un", "Jong Un Kim", p()), 1.0);
    assert_eq!(
        compare(
            "Korea Kumryong Trading Co., Ltd.",
            "KOREA KUMRYONG TRADING LIMITED",
            o()
        ),
        1.0
    );
    assert!(compare("Kim Jong Un", "Kim Jong Il", p()) < 1.0);
    assert_eq!(compare("Kim Jong Un", "Kim Jong-un", p()), 1.0);
    assert!(compare("Kim Jong Un", "Kim Jongun", p()) < 1.0);
    assert!(
        compare(
            "KOREA KUMRYONG TRADING CO",
            "KOREA KUMRYONG TRADING LLC",
            o()
        ) < 1.0
    );
    assert!(compare("RYUNGSENG TRADING", "TRADING RYUNGSENG", o()) < 1.0);
}

#[test]
fn legal_form_alone_never_matches() {
    assert_eq!(compare("LIMITED", "LIMITED", o()), 0.0);
    assert_eq!(compare("Acme Ltd", "Co., Ltd.", o()), 0.0);
    assert_eq!(compare("Co., Ltd.", "Acme Co., Ltd.", None), 0.0);
}

#[test]
fn korean_variants() {
    for (a, b) in [
        ("김정은", "Kim Jong Un"),
        ("김정은", "Kim Chong-un"),
        ("Kim Jong Un", "Kim Chong Un"),
        ("Pak Pong Ju", "Park Bong-joo"),
        ("Choe Ryong Hae", "Choi Ryong-hae"),
        ("Ri Pyong Chol", "Lee Byeong-cheol"),
        ("조선", "Choson"),
        ("조선", "Joseon"),
        ("Ким Чен Ын", "Kim Jong Un"),
    ] {
        let s = compare(a, b, p());
        assert!(s >= 0.8, "{a} / {b}: {s} {}", compare_explained(a, b, p()));
    }
}

#[test]
fn keyboard_slips() {
    assert!(adjacent_keys(b's', b'd'));
    assert!(adjacent_keys(b'e', b'r'));
    assert!(adjacent_keys(b'e', b'd'));
    assert!(!adjacent_keys(b'd', b'n'));
    assert!(!adjacent_keys(b'e', b'f'));
    assert!(keyboard_slip(b"hcun", b"chun"));
    assert!(keyboard_slip(b"dik", b"sik"));
    assert!(!keyboard_slip(b"dam", b"nam"));
    assert!(word_sim("dik", "tik", "sik", "sik").0 > word_sim("dam", "tam", "nam", "nam").0);
}

#[test]
fn common_words_count_little() {
    assert!(
        compare(
            "Korea Development Bank",
            "KOREA KWANGSON BANKING CORP",
            None
        ) < 0.6
    );
    assert!(compare("Kim Min-jun", "KIM Jong Un", None) < 0.6);
}

#[test]
fn a_company_does_not_match_a_bare_one_word_name_on_that_word_alone() {
    let vessel = compare("Fortune Shipping Co Ltd", "FORTUNE", None);
    assert!(vessel < crate::matching::DEFAULT_THRESHOLD, "{vessel}");
    // Both ways round, and not when the company is that one word.
    assert!((compare("FORTUNE", "Fortune Shipping Co Ltd", None) - vessel).abs() < 1e-9);
    assert!(compare("KOMID Ltd", "KOMID", None) >= crate::matching::DEFAULT_THRESHOLD);
}

#[test]
fn a_syllable_told_apart_by_its_first_letter_or_vowel_is_another_name() {
    for (a, b) in [
        ("Pak Jong Sik", "PAK Yong Sik"),
        ("Kim Sang Hun", "KIM Song Hun"),
        ("Wang Jianping", "YANG Jianping"),
    ] {
        let s = compare(a, b, p());
        assert!(s < 0.8, "{a} / {b}: {s} {}", compare_explained(a, b, p()));
    }
    // One syllable's romanizations, a neighbouring key, a letter left out, and
    // the vowels of a word of several syllables are still one name.
    for (a, b) in [
        ("Pak Chong Sik", "PAK Jong Sik"),
        ("Pak Yong Dik", "PAK Yong Sik"),
        ("Siyed Ali Hamid", "SEYED ALI HAMED"),
    ] {
        let s = compare(a, b, p());
        assert!(s >= 0.8, "{a} / {b}: {s} {}", compare_explained(a, b, p()));
    }
}

#[test]
fn common_syllables_do_not_carry_a_name_past_a_different_one() {
    // One syllable's vowels alone (the same consonants) make another syllable as
    // often as another spelling (these scored 0.88 and 0.89 when they counted as
    // in a longer word); in a word of more, another spelling.
    for (a, b) in [
        ("Han Jun So", "HAN Jang Su"),
        ("Ri Su Min", "RI Myong Su"),
        ("Han Chong Su", "HAN Jang Su"),
    ] {
        let s = compare(a, b, p());
        assert!(s < 0.85, "{a} / {b}: {s} {}", compare_explained(a, b, p()));
    }
    let s = compare("Mortazavi Saeed", "MORTAZAVI, Sa'id", p());
    assert!(s >= 0.85, "{s}");
    // A letter left out inside a syllable is a typo, though the keys (`pak`,
    // `pek`) differ in one vowel.
    let s = compare("So Bak San", "SO BAEK SAN", p());
    assert!(
        s >= 0.8,
        "{s} {}",
        compare_explained("So Bak San", "SO BAEK SAN", p())
    );
}

#[test]
fn a_given_name_or_word_the_listed_name_lacks_counts_against() {
    // A consonant before a glide is another syllable; `h` is written or not.
    assert!(compare("Kim Kyong Su", "KIM Yong Su", p()) < 0.8);
    assert!(compare("Ko Il Hwan", "KO Il Wan", p()) >= 0.8);
    // An initial of a given name the listed name lacks (0.91 when it weighed as
    // the initial it aligns as).
    let extra = compare("Ri M. Sok", "RI Sok", p());
    assert!(extra < 0.85, "{extra}");
    // A vessel's words in another order, with a word of the screened name's own.
    let v = Some(EntityKind::Vessel);
    assert!(compare("Ko Hye Jin", "JIN HYE", v) < 0.85);
    assert!(compare("Hye Jin", "JIN HYE", v) >= 0.9);
}

#[test]
fn a_given_name_left_out_costs_less_than_another_word() {
    // `Aiman` is a given name, left out as names often are; `Duwaik` a surname.
    let given = compare_explained("AL-DUWAIK Ahmad", "AL-DUWAIK, Aiman Ahmad", p());
    assert!(given.score >= 0.85, "{given}");
    assert!(
        given
            .to_string()
            .contains("listed aiman unmatched (weight 0.50)"),
        "{given}"
    );
    let surname = compare("Aiman Ahmad", "AL-DUWAIK, Aiman Ahmad", p());
    assert!(surname + 0.1 < given.score, "{surname} {given}");
    // Either side: the screened name's own given name costs as little.
    let screened = compare("AL-DUWAIK, Aiman Ahmad", "AL-DUWAIK Ahmad", p());
    assert!((screened - given.score).abs() < 1e-9, "{screened}");
    // A syllable of a Korean given name is no given name: `KIM Un` stays weak.
    assert!(compare("KIM Un", "KIM Jong Un", p()) < 0.8);
}

#[test]
fn a_given_name_left_out_beside_an_aligned_patronymic_costs_little() {
    // Surname and patronymic found: the given name was left out (0.83 before, when it
    // weighed 0.5 unaligned, as beside a surname alone).
    let whole = compare_explained(
        "SHIPULIN Vladimirovich",
        "SHIPULIN, Anton Vladimirovich",
        p(),
    );
    assert!(whole.score >= 0.9, "{whole}");
    assert!(
        whole
            .to_string()
            .contains("listed anton unmatched (weight 0.10)"),
        "{whole}"
    );
    // Either side alike.
    let screened = compare(
        "SHIPULIN, Anton Vladimirovich",
        "SHIPULIN Vladimirovich",
        p(),
    );
    assert!((screened - whole.score).abs() < 1e-9, "{screened}");
    // Another father's name is no patronymic aligned: the given name counts as before.
    let other = compare_explained("SHIPULIN Petrovich", "SHIPULIN, Anton Vladimirovich", p());
    assert!(other.score < 0.8, "{other}");
    // Without a patronymic, a given name left out weighs 0.5 as before.
    let surname_only = compare_explained("SHIPULIN Vladimirovich", "SHIPULIN, Anton", p());
    assert!(
        !surname_only.to_string().contains("(weight 0.10)"),
        "{surname_only}"
    );
}

#[test]
fn two_common_syllables_a_typo_apart_are_as_often_two_names() {
    // `Min` / `Jin`, `Cheng` / `Chen`: both used by many listed names (0.865 and
    // 0.836 when graded as any typo).
    let min_jin = compare("Kim Min Suk", "Kim Jin-Sok", p());
    assert!(min_jin < 0.85, "{min_jin}");
    let cheng = compare("Zhu Cheng", "CHEN, Zhu", p());
    assert!(cheng < 0.8, "{cheng}");
    // `Hong` / `Yong` is a keyboard slip apart (0.77 as one); one syllable's
    // romanizations are no typo at all.
    let sim = |a: &str, b: &str| word_sim(a, &phonetic_key(a), b, &phonetic_key(b)).0;
    assert!(sim("hong", "yong") < 0.65, "{}", sim("hong", "yong"));
    assert!(sim("suk", "sok") >= 0.9);
}

#[test]
fn one_word_of_a_longer_screened_name_is_weak_evidence() {
    let why = "one word found of a longer name";
    let has = |e: &Explanation| e.adjustments.iter().any(|(w, _)| w == why);
    // A surname or given name of its own beside the one word found.
    for (a, b) in [("Kim Songjin", "SONGJIN"), ("Hocine Sayyed", "HOCINE")] {
        let e = compare_explained(a, b, None);
        assert!(has(&e) && e.score < 0.8, "{a} / {b}: {e}");
    }
    // Not when the screened name is found whole in a longer listed name (a name
    // left out), nor when more than one word is found.
    let whole = compare_explained("Songjin", "KIM SONGJIN", None);
    assert!(!has(&whole), "{whole}");
    let two = compare_explained("Ri Song Chol", "RI Song", p());
    assert!(!has(&two), "{two}");
    // Nor when the listed name has words of its own too.
    let both = compare_explained("Hyoksin Textile Co., Ltd", "KOREA HYOKSIN TRADING", None);
    assert!(!has(&both), "{both}");
}

#[test]
fn acronyms_compare_by_letters_not_sounds() {
    let o = o();
    let kmc = compare_explained("KMC", "CMC", o);
    assert!(kmc.score < 0.6, "{kmc}");
    let bhll = compare_explained("BHLL", "VBRR", o);
    assert!(bhll.score < 0.6, "{bhll}");
    // Words with vowels keep their sounds.
    assert!(compare("KORYO", "GORYO", o) >= 0.85);
}

#[test]
fn vowels_around_the_same_consonants_are_one_arabic_name() {
    let (mohamed, _) = word_sim(
        "mohamed",
        &phonetic_key("mohamed"),
        "muhammad",
        &phonetic_key("muhammad"),
    );
    assert!(mohamed >= ABJAD_SIM, "{mohamed}");
    // A first vowel alone, in a word of two consonants or fewer.
    for (a, b) in [("ebu", "abu"), ("edam", "adam"), ("essam", "issam")] {
        let (s, _) = word_sim(a, &phonetic_key(a), b, &phonetic_key(b));
        assert!(s >= ABJAD_SIM, "{a} / {b}: {s}");
    }
    // A later vowel of a word of two syllables and two consonants (round 8).
    for (a, b) in [
        ("ased", "asad"),
        ("adal", "adel"),
        ("lebi", "libi"),
        ("adem", "adam"),
    ] {
        let (s, _) = word_sim(a, &phonetic_key(a), b, &phonetic_key(b));
        assert!(s >= ABJAD_SIM, "{a} / {b}: {s}");
    }
    // Not another letter first, nor `o` (`Olya` / `Ilya`), nor another consonant.
    for (a, b) in [("edam", "odam"), ("olya", "ilya"), ("adam", "adan")] {
        let (s, _) = word_sim(a, &phonetic_key(a), b, &phonetic_key(b));
        assert!(s < ABJAD_SIM, "{a} / {b}: {s}");
    }
    // Not a one-syllable word: `Saad` / `Saud` stay a typo apart.
    let (saad, _) = word_sim("saad", &phonetic_key("saad"), "saud", &phonetic_key("saud"));
    assert!(saad < ABJAD_SIM, "{saad}");
}

#[test]
fn two_consonants_written_differently_are_not_one_arabic_name() {
    let sim = |a: &str, b: &str| word_sim(a, &phonetic_key(a), b, &phonetic_key(b)).0;
    // The fold joins `c` / `q`, `g` / `gh` / `k`, `z` / `s`; in a short word whose
    // vowels it folds too, that leaves little of the word.
    for (a, b) in [("acme", "aqmi"), ("kane", "ghana"), ("suri", "zoura")] {
        assert!(sim(a, b) < ABJAD_SIM, "{a} / {b}: {}", sim(a, b));
    }
    // Vowels, glides and digraphs still differ freely.
    for (a, b) in [("charia", "sharia"), ("tuah", "tuwah"), ("asad", "ased")] {
        assert!(sim(a, b) >= ABJAD_SIM, "{a} / {b}: {}", sim(a, b));
    }
    // Three consonants say enough: `Qasim` meets `Kasim` through the fold.
    assert!(sim("qasim", "kasim") >= ABJAD_SIM);
    // The company `Acme` is not the UN alias `AQMI` (Al-Qaida au Maghreb islamique).
    let acme = compare_explained("Acme", "AQMI", o());
    assert!(acme.score < 0.7, "{acme}");
}

#[test]
fn a_letter_mistyped_into_a_spelling_no_name_uses_is_that_name() {
    assert!(unheard("yusolng") && !unheard("yusong"));
    assert!(
        !unheard("Yusolng") && !unheard("ab1"),
        "Latin lowercase letters only"
    );
    let sim = |a: &str, b: &str| word_sim(a, &phonetic_key(a), b, &phonetic_key(b)).0;
    assert!(sim("yusolng", "yusong") >= MISTYPED_SIM);
    assert!(sim("regnt", "regent") >= MISTYPED_SIM);
    // Two spellings that names use, a letter apart, are two names as before.
    assert!(sim("unchong", "unchon") < MISTYPED_SIM);
    assert!(sim("wafi", "wadi") < MISTYPED_SIM);
    // More than one letter apart, a typo is graded as before.
    assert!(sim("yusolnga", "yusong") < MISTYPED_SIM);
    let o = o();
    let s = compare("YUSOLNG SHIPPING CO", "YUSONG SHIPPING CO", o);
    assert!(s >= 0.85, "{s}");
    // Letters (an acronym) keep their own rule.
    assert!(compare("KMC", "KMT", o) < 0.6);
}

#[test]
fn a_legal_form_or_generic_word_split_by_a_space_is_that_word() {
    let o = o();
    for (a, b) in [
        ("EVERLASTING EMPIRE LIM ITED", "EVERLASTING EMPIRE LIMITED"),
        ("HESONG TRADING COR PORATION", "HESONG TRADING CORPORATION"),
        ("PAEKMA SHIPP ING CO", "PAEKMA SHIPPING CO"),
    ] {
        let s = compare(a, b, o);
        assert!(s >= 0.95, "{a} / {b}: {s} {}", compare_explained(a, b, o));
    }
    // Not a person's name, nor two words that are words of a name.
    let p = Prepared::screened("Lim Ited", p());
    assert_eq!(p.toks.len(), 2);
    let q = Prepared::screened("KOREA TRADING CO", o);
    assert_eq!(q.toks.len(), 2);
}

#[test]
fn a_branch_or_office_reads_as_its_party() {
    let listed = "KOREA KUMSAN TRADING CORPORATION";
    for a in [
        "Korea Kumsan Trading Corp., Pyongyang Branch",
        "KOREA KUMSAN TRADING CORPORATION - Dandong Representative Office",
        "Korea Kumsan Trading Corporation (Pyongyang)",
    ] {
        let s = compare(a, listed, o());
        assert!(s >= 0.95, "{a}: {s} {}", compare_explained(a, listed, o()));
    }
    // A country named with `of` is part of the name: no reading leaves it out.
    let china = compare_explained(
        "Agricultural Development Bank of China",
        "AGRICULTURAL DEVELOPMENT BANK",
        o(),
    );
    assert_eq!(china.reading, None, "{china}");
}

#[test]
fn symmetric_without_kind() {
    for (a, b) in [
        ("Kim Jong Un", "Kim Chong Il"),
        ("Korea Zinc", "Korea Zinc Trading"),
    ] {
        let x = compare(a, b, None);
        let y = compare(b, a, None);
        assert!((x - y).abs() < 1e-9, "{a} / {b}: {x} {y}");
    }
}

#[test]
fn slavic_names_in_other_lists_spellings_are_one_name() {
    let sim = |a: &str, b: &str| word_sim(a, &phonetic_key(a), b, &phonetic_key(b)).0;
    for (a, b) in [
        ("alyeksandrovich", "aleksandrovich"),
        ("vladimirovitj", "vladimirovich"),
        ("michaylovich", "mikhaylovich"),
        ("zakarija", "zakariya"),
        ("yurij", "yuri"),
        ("gennadj", "gennady"),
        ("kalachnik", "kalashnik"),
    ] {
        let s = sim(a, b);
        assert!(s >= ABJAD_SIM, "{a} / {b}: {s}");
    }
    // Another first vowel is no Slavic spelling (`Olya` / `Ilya`), nor another letter.
    for (a, b) in [("olya", "ilya"), ("adam", "adan")] {
        let s = sim(a, b);
        assert!(s < ABJAD_SIM, "{a} / {b}: {s}");
    }
}

#[test]
fn a_syllable_no_listed_name_uses_a_letter_from_one_is_that_syllable_mistyped() {
    let sim = |a: &str, b: &str| word_sim(a, &phonetic_key(a), b, &phonetic_key(b)).0;
    for (a, b) in [("sirk", "sik"), ("tonh", "tong"), ("bomg", "bong")] {
        let s = sim(a, b);
        assert!(s >= SYLLABLE_MISTYPED_SIM, "{a} / {b}: {s}");
    }
    // Two syllables that names use stay as they were, and so do longer words.
    for (a, b) in [("hyon", "hyok"), ("sik", "sok")] {
        let s = sim(a, b);
        assert!(s < SYLLABLE_MISTYPED_SIM, "{a} / {b}: {s}");
    }
}
