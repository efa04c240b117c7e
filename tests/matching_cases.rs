//! The cases of issue 23, on the embedded lists: names in Hangul and Chinese
//! characters, qualifiers, kinds, countries and common names, screened as an order's
//! party or matched as `embargo match` does.

use embargo::engine::{ScreenOptions, Screener};
use embargo::matching::NameQuery;
use embargo::{Order, Ruleset};

fn screener() -> Screener {
    Screener::new(
        Ruleset::embedded().expect("the embedded rules compile"),
        ScreenOptions::default(),
    )
}

/// The best hit's entity ids (its own and its linked entries) and score.
fn best(s: &Screener, name: &str) -> (Vec<String>, f64) {
    let hits = s.match_name(&NameQuery::new(name), 0.5, 5);
    hits.first().map_or((Vec::new(), 0.0), |h| {
        let mut ids = vec![h.entity.clone()];
        ids.extend(h.also.iter().cloned());
        (ids, h.score)
    })
}

fn decision(s: &Screener, party: &str) -> String {
    let order = Order::from_json(&format!(r#"{{"id": "t", "parties": [{party}]}}"#))
        .expect("a valid order");
    format!("{:?}", s.screen(&order).decision).to_lowercase()
}

#[test]
fn hangul_and_chinese_characters_find_their_listed_names() {
    let s = screener();
    let (ids, score) = best(&s, "조선광선은행");
    assert!(ids.iter().any(|i| i == "un:KPe.025"), "{ids:?}");
    assert!(score >= 0.8, "{score}");
    let (ids, score) = best(&s, "金正恩");
    assert!(ids.iter().any(|i| i == "ofac-sdn:20157"), "{ids:?}");
    assert!(score >= 0.8, "{score}");
    // Air Koryo, not Koryo Bank.
    let (ids, score) = best(&s, "고려항공");
    assert!(ids.iter().any(|i| i == "ofac-sdn:20520"), "{ids:?}");
    assert!(score >= 0.8, "{score}");
}

#[test]
fn a_branch_of_a_listed_company_is_the_company() {
    let s = screener();
    let (ids, score) = best(&s, "Korea Kumsan Trading Corp., Pyongyang Branch");
    assert!(ids.iter().any(|i| i == "un:KPe.044"), "{ids:?}");
    assert!(score >= 0.8, "{score}");
}

#[test]
fn look_alikes_with_their_country_are_not_blocked() {
    let s = screener();
    for party in [
        r#"{"name": "Bank of Korea", "country": "KR", "address": "Seoul"}"#,
        r#"{"name": "Kim Jong", "country": "US", "address": "Los Angeles"}"#,
        r#"{"name": "Sunrise Trading", "country": "US"}"#,
    ] {
        assert_ne!(decision(&s, party), "block", "{party}");
    }
    // A company is not the vessel of the same name.
    let hits = s.match_name(&NameQuery::new("Sunrise Trading"), 0.7, 5);
    assert!(hits.iter().all(|h| h.kind != "vessel"), "{hits:?}");
}

#[test]
fn one_hit_per_party_with_its_other_entries() {
    let s = screener();
    let hits = s.match_name(&NameQuery::new("KOREA KWANGSON BANKING CORP"), 0.8, 10);
    let parties: Vec<&str> = hits.iter().map(|h| h.entity.as_str()).collect();
    let with_un: Vec<_> = hits
        .iter()
        .filter(|h| h.entity == "un:KPe.025" || h.also.iter().any(|a| a == "un:KPe.025"))
        .collect();
    assert_eq!(with_un.len(), 1, "{parties:?}");
    assert!(!with_un[0].also.is_empty(), "{:?}", with_un[0]);
}

#[test]
fn a_date_of_birth_that_differs_weighs_against_a_hit() {
    let s = screener();
    let same = r#"{"name": "Jang Song Chol", "country": "RU"}"#;
    let other = r#"{"name": "Jang Song Chol", "country": "RU", "dob": "1990-01-01"}"#;
    assert_eq!(decision(&s, same), "block");
    assert_ne!(decision(&s, other), "block");
}

#[test]
fn entries_that_differ_in_legal_form_and_short_form_are_one_party() {
    // OFAC writes `KOREA KWANGSON BANKING CORP`, the UN `... CORPORATION (KKBC)`.
    let s = screener();
    let (ids, score) = best(&s, "KOREA KWANGSON BANKING CORP");
    for id in ["un:KPe.025", "ofac-sdn:11581"] {
        assert!(ids.iter().any(|i| i == id), "{id}: {ids:?}");
    }
    assert!(score >= 0.8, "{score}");
}

#[test]
fn arabic_compounds_meet_across_scripts_and_spellings() {
    use embargo::matching::compare;
    use embargo::rules::ir::EntityKind;
    let person = Some(EntityKind::Person);
    for (a, b) in [
        ("عبد الرحمن ياسين", "ABDUL RAHMAN YASIN"),
        ("عبدالرحمن ياسين", "Abd al-Rahman Yasin"),
        ("نور الله نوری", "NURULLAH NURI"),
        ("جلال الدين حقانى", "JALALUDDIN HAQQANI"),
        ("Abderrahmane Yasin", "Abdul Rahman Yasin"),
    ] {
        let score = compare(a, b, person);
        assert!(score >= 0.7, "{a} / {b}: {score}");
    }
    // Two compounds of `Abd` with other names stay two people.
    let score = compare("Abdul Rahman Yasin", "Abdul Karim Yasin", person);
    assert!(score < 0.7, "{score}");
}

#[test]
fn arabic_script_letters_meet_their_latin_spellings() {
    use embargo::matching::compare;
    use embargo::rules::ir::EntityKind;
    let person = Some(EntityKind::Person);
    for (a, b) in [
        // An alif starting a word carries any vowel; `إ` is `i`.
        ("انتصار العبيدي", "INTISSAR AL-UBAYDI"),
        ("إبراهيم حسن طالع العسيري", "IBRAHIM HASSAN TALI AL-ASIRI"),
        // Maghreb spellings write a long `a` as `e`.
        ("جمال لونيسي", "DJAMEL LOUNICI"),
        ("محمد بلكلام", "MOHAMED BELKALEM"),
        // The feminine ending written `ه` is a vowel.
        ("ثروت صالح شحاته", "THARWAT SALAH SHIHATA"),
        // A word of one consonant whose `ع` Latin writes as a vowel.
        ("عدي صدام حسين التكريتي", "UDAY SADDAM HUSSEIN AL-TIKRITI"),
        (
            "إبراهيم عواد إبراهيم علي البدري",
            "IBRAHIM AWWAD IBRAHIM ALI AL-BADRI",
        ),
        // `ض`, `ذ` and `ظ` are `z` in Persian, Urdu and Pashto names; `d` in Arabic.
        ("فضل محمد مظلوم", "FAZL MOHAMMAD MAZLOOM"),
        ("فاضل محمود غريب", "FADIL MAHMUD GHARIB"),
    ] {
        let score = compare(a, b, person);
        assert!(score >= 0.8, "{a} / {b}: {score}");
    }
    // A long `a` is no `i`: Jamal is not Jamil.
    let score = compare("جمال", "JAMIL", person);
    assert!(score < 0.7, "{score}");
    // One consonant and a vowel meet a Latin word only through an unwritten `ع`.
    let score = compare("ما", "MEI", person);
    assert!(score < 0.7, "{score}");
}

#[test]
fn a_listed_name_written_in_two_scripts_is_found_by_either() {
    // The UN list writes some aliases in Latin and in their own script at once.
    let s = screener();
    for (name, id) in [
        ("هيئة تحرير الشام", "un:QDe.137"),
        ("Абу Мухаммад Аль-Кадари", "un:QDi.398"),
        ("Abu Muhammad Al-Kadari", "un:QDi.398"),
    ] {
        let (ids, score) = best(&s, name);
        assert!(ids.iter().any(|i| i == id), "{name}: {ids:?}");
        assert!(score >= 0.9, "{name}: {score}");
    }
}

#[test]
fn wade_giles_names_meet_their_pinyin() {
    use embargo::matching::compare;
    use embargo::rules::ir::EntityKind;
    let person = Some(EntityKind::Person);
    for (a, b) in [
        ("Jen Chih-chiang", "REN Zhiqiang"),
        ("Tseng Ko-hsin", "ZENG Gexin"),
        ("Chin Tieh-san (金铁三)", "KIM Chol Sam"),
    ] {
        let score = compare(a, b, person);
        assert!(score >= 0.8, "{a} / {b}: {score}");
    }
    // A pinyin name is not read as Wade-Giles: `Qiang` is no `Zhang`.
    let score = compare("Lei Qiang", "ZHANG Lei", person);
    assert!(score < 0.7, "{score}");
}
