//! Places in orders: is a route field or an address in a set of countries and places?
//!
//! Route fields hold a country code, a country name or a place name; addresses are
//! free text that may name a city or a country anywhere ("Central District, Pyongyang,
//! DPRK"). Names are compared folded: case, accents and apostrophes do not matter
//! (`P'yŏngyang` = `Pyongyang`), hyphens count as spaces. Latin names match whole words;
//! names in scripts written without spaces (Chinese, Japanese; Korean names too,
//! since Hangul addresses often run words together) match anywhere in the text,
//! except a country name of one to three such characters, which must stand apart from
//! other such characters: `朝鲜` in `朝鲜族` (the Korean minority of China) or `조선`
//! in `조선소` (a shipyard) does not name the DPRK.
//!
//! A short country name does name the DPRK when a word for a state body follows it
//! (`朝鲜驻华大使馆`, the DPRK's embassy in China; `북한대사관`).
//!
//! A country is known by its names in every language (see [`crate::reference`]), and
//! a place that is a city CLDR knows by its name in every language too: a set holding
//! `Pyongyang` finds `Pjöngjang` and `Phenjan`.
//!
//! A route field written as a UN/LOCODE (`KPNAM`, `KP NAM`: two letters of an ISO
//! country code, then three of a place) is in that country by the code's construction,
//! and its hit says it was read so. There is no table of the codes' places here: a
//! set names a hub's code as one of its places (`CNDDG` for Dandong).

use aho_corasick::{AhoCorasick, MatchKind};

use crate::reference;
use crate::rules::ir::PlaceSet;
use crate::text::fold::fold_mapped as fold;
use crate::text::script::is_spaceless;

/// What a place test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceHit {
    /// The country code or place name of the set that matched.
    pub place: String,
    /// The matched text, as written in the order.
    pub text: String,
    /// Character offsets of the match in the order's text.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// How the text was read when not as a name: `UN/LOCODE`.
    pub reading: Option<&'static str>,
}

/// A field's text as place tests read it: the country it names, if it names one, and
/// its folded form. Several rules test the same fields of an order against their own
/// place sets; reading each field once serves them all.
#[derive(Debug, Clone, Default)]
pub struct FieldReading {
    code: Option<&'static str>,
    /// The country of a field written as a UN/LOCODE.
    locode: Option<&'static str>,
    folded: String,
    map: Vec<usize>,
}

impl FieldReading {
    /// Reads `text`.
    pub fn new(text: &str) -> FieldReading {
        let trimmed = text.trim();
        let code = if trimmed.is_empty() {
            None
        } else {
            reference::country_code(trimmed)
        };
        let locode = match code {
            None => locode_country(trimmed),
            Some(_) => None,
        };
        let (folded, map) = fold(text);
        FieldReading {
            code,
            locode,
            folded,
            map,
        }
    }
}

/// The country of `text` read as a UN/LOCODE: two capital letters that are an ISO
/// country code, an optional space, and three capital letters or digits 2 to 9 for the
/// place, as the code list writes them (`KPNAM`, `KP NAM`). Capitals only, and not a
/// city's name (`PARIS`, `DELHI` begin with country codes too): a word in capitals
/// that is neither is read as a code, and its hit says so.
fn locode_country(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let place = match b.len() {
        5 => &b[2..],
        6 if b[2] == b' ' => &b[3..],
        _ => return None,
    };
    let country_letters = b[..2].iter().all(u8::is_ascii_uppercase);
    let place_letters = place
        .iter()
        .all(|c| c.is_ascii_uppercase() || (b'2'..=b'9').contains(c));
    if !country_letters || !place_letters || !reference::city_names(text).is_empty() {
        return None;
    }
    reference::country_code(text.get(..2)?)
}

/// Where a party is, when its name line says it after the name: the text after the
/// name's first comma or line break (`Mr. Pak, Sinuiju`; `NOTIFY: KIM MYONG HO, NAMPO`),
/// as bills of lading write a party in one block, and where it starts (in
/// characters). Place tests read it as they read an address.
pub fn location_in_name(name: &str) -> Option<(usize, &str)> {
    let (at, sep) = name
        .char_indices()
        .find(|(_, c)| matches!(c, ',' | '，' | '\n'))?;
    let rest = name.get(at + sep.len_utf8()..)?;
    if rest.trim().is_empty() {
        return None;
    }
    Some((name[..at].chars().count() + 1, rest))
}

/// A compiled place set: its countries (with all their names) and places.
#[derive(Debug, Clone)]
pub struct PlaceMatcher {
    countries: Vec<String>,
    /// Folded names; `labels[i]` is what pattern `i` stands for.
    searcher: Option<AhoCorasick>,
    labels: Vec<String>,
    /// What must stand on either side of pattern `i`.
    bounds: Vec<Bound>,
}

/// What may not stand right before or after a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    /// A letter or digit: Latin and other spaced scripts match whole words.
    Word,
    /// A character of a script written without spaces: short country names there.
    Spaceless,
    /// Nothing: names in scripts written without spaces match anywhere.
    None,
}

/// A folded name as a search pattern: words separated by one space.
fn pattern(name: &str) -> String {
    fold(name)
        .0
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that make the name before them a street's, a road's, a bridge's or a city
/// quarter's: `Nampo-dong` is a quarter of Busan, `Wonsan-ro` a road in Seoul, `南浦大桥`
/// a bridge in Shanghai, `元山路` a road in Shenzhen, none of them the DPRK's cities.
/// Korean road names end in 로 (ro), 대로 (daero) or 길 (gil) and quarters in 동 (dong)
/// since the Road Name Address Act; Chinese streets in 路 (lu) or 街 (jie). A South
/// Korean town or township is `-eup` or `-myeon` in the Revised Romanization
/// (`Namyang-eup`, Hwaseong), where the DPRK writes its towns `-up` or `-ŭp`; the DPRK
/// has had no 면 (township) since 1952, while 읍 is both countries' word and is left
/// alone. Cities are followed by their own words (`시`, `市`, `-si`), which this also
/// leaves alone.
const STREET_WORDS: &[&str] = &["dong", "ro", "daero", "gil", "eup", "myeon", "lu", "jie"];
const STREET_SUFFIXES: &[&str] = &[
    "동", "로", "대로", "길", "면", "路", "街", "大桥", "大橋", "桥", "橋",
];

/// Words for a state body abroad that may follow a short Chinese or Korean country
/// name with no space (`朝鲜驻华大使馆`: the DPRK stationed-in-China embassy; `북한대사관`,
/// the North Korean embassy), or that may precede it (`驻朝鲜`, stationed in the DPRK):
/// there the name stands for the state, as `朝鲜族` (an ethnic group) does not.
const BODY_WORDS: &[&str] = &[
    "驻",
    "駐",
    "大使馆",
    "大使館",
    "使馆",
    "使館",
    "领事馆",
    "領事館",
    "总领事馆",
    "總領事館",
    "代表处",
    "代表處",
    "代表团",
    "代表團",
    "政府",
    "대사관",
    "영사관",
    "총영사관",
    "대표부",
    "무역대표부",
    "정부",
];
const BODY_BEFORE: &[&str] = &["驻", "駐"];

/// The word lists that guard a place name, folded as the text they meet is (a Hangul
/// syllable becomes its letters), once rather than at every match.
struct Guards {
    street_suffixes: Vec<String>,
    body_words: Vec<String>,
    body_before: Vec<String>,
}

fn guards() -> &'static Guards {
    static GUARDS: std::sync::OnceLock<Guards> = std::sync::OnceLock::new();
    GUARDS.get_or_init(|| {
        let folded = |words: &[&str]| words.iter().map(|w| fold(w).0).collect();
        Guards {
            street_suffixes: folded(STREET_SUFFIXES),
            body_words: folded(BODY_WORDS),
            body_before: folded(BODY_BEFORE),
        }
    })
}

/// Whether folded `rest` begins with one of the folded `words`.
fn begins_with_any(rest: &str, words: &[String]) -> bool {
    words.iter().any(|w| rest.starts_with(w.as_str()))
}

/// Whether folded `before` ends with one of the folded `words`.
fn ends_with_any(before: &str, words: &[String]) -> bool {
    words.iter().any(|w| before.ends_with(w.as_str()))
}

/// Whether the folded text right after a place name makes it part of a street's name.
fn names_a_street(rest: &str) -> bool {
    match rest.strip_prefix(' ') {
        Some(words) => {
            let next = words.split(' ').next().unwrap_or_default();
            STREET_WORDS.contains(&next)
        }
        None => begins_with_any(rest, &guards().street_suffixes),
    }
}

fn spaceless_script(s: &str) -> bool {
    s.chars().any(is_spaceless)
}

impl PlaceMatcher {
    /// Compiles a place set.
    pub fn new(set: &PlaceSet) -> PlaceMatcher {
        let mut patterns = Vec::new();
        let mut labels = Vec::new();
        let mut bounds = Vec::new();
        for code in &set.countries {
            for name in reference::keyed_country_names(code) {
                let p = name.key.to_string();
                // Counted before folding, which splits a Hangul syllable into letters.
                bounds.push(match spaceless_script(&p) {
                    true if name.name.trim().chars().count() <= 3 => Bound::Spaceless,
                    true => Bound::None,
                    false => Bound::Word,
                });
                patterns.push(p);
                labels.push(code.clone());
            }
        }
        // The set's own names first, so that each keeps its label; then the other
        // names of the cities among them.
        let own = set.places.iter().map(|p| (pattern(p), p));
        let others = set.places.iter().flat_map(|place| {
            reference::city_name_keys(place)
                .iter()
                .map(move |key| (key.to_string(), place))
        });
        let mut seen = std::collections::HashSet::new();
        for (p, place) in own.chain(others) {
            if !seen.insert(p.clone()) {
                continue;
            }
            bounds.push(if spaceless_script(&p) {
                Bound::None
            } else {
                Bound::Word
            });
            patterns.push(p);
            labels.push(place.clone());
        }
        let keep: Vec<bool> = patterns.iter().map(|p| !p.is_empty()).collect();
        let searcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(
                patterns
                    .iter()
                    .zip(&keep)
                    .map(|(p, k)| if *k { p.as_str() } else { "\u{0}\u{0}" }),
            )
            .ok();
        PlaceMatcher {
            countries: set.countries.clone(),
            searcher,
            labels,
            bounds,
        }
    }

    /// Whether a route field (a code, a country name or a place name) is in the set.
    #[cfg(test)]
    pub fn matches_field(&self, text: &str) -> Option<PlaceHit> {
        self.matches_reading(text, &FieldReading::new(text))
    }

    /// [`PlaceMatcher::matches_field`] with `text` already read.
    pub fn matches_reading(&self, text: &str, reading: &FieldReading) -> Option<PlaceHit> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        if let Some(code) = reading.code {
            // A field that names a country is that country and nothing else: "South
            // Korea" must not be read as containing the place "Korea".
            return self.countries.iter().any(|c| c == code).then(|| PlaceHit {
                place: code.to_string(),
                text: trimmed.to_string(),
                start: 0,
                end: trimmed.chars().count(),
                reading: None,
            });
        }
        if let Some(code) = reading
            .locode
            .filter(|c| self.countries.iter().any(|x| x == c))
        {
            // The code's country letters are the evidence.
            let start = text.chars().take_while(|c| c.is_whitespace()).count();
            return Some(PlaceHit {
                place: code.to_string(),
                text: trimmed.chars().take(2).collect(),
                start,
                end: start + 2,
                reading: Some("UN/LOCODE"),
            });
        }
        // A field such as "Nampo, DPRK" or "Port of Nampo" still names the place.
        self.find_in_reading(text, reading)
    }

    /// The first country name or place of the set named in free text (an address).
    #[cfg(test)]
    pub fn find_in(&self, text: &str) -> Option<PlaceHit> {
        self.find_in_reading(text, &FieldReading::new(text))
    }

    /// [`PlaceMatcher::find_in`] with `text` already read.
    pub fn find_in_reading(&self, text: &str, reading: &FieldReading) -> Option<PlaceHit> {
        let searcher = self.searcher.as_ref()?;
        let (folded, map) = (&reading.folded, &reading.map);
        for m in searcher.find_iter(folded.as_str()) {
            let k = m.pattern().as_usize();
            let bound = self.bounds.get(k).copied().unwrap_or(Bound::Word);
            let apart: fn(char) -> bool = match bound {
                Bound::Word => char::is_alphanumeric,
                Bound::Spaceless => is_spaceless,
                Bound::None => |_| false,
            };
            let head = folded.get(..m.start()).unwrap_or_default();
            let rest = folded.get(m.end()..).unwrap_or_default();
            let short_name = bound == Bound::Spaceless;
            let joined_before = head.chars().next_back().is_some_and(apart)
                && !(short_name && ends_with_any(head, &guards().body_before));
            let joined_after = rest.chars().next().is_some_and(apart)
                && !(short_name && begins_with_any(rest, &guards().body_words));
            if joined_before || joined_after || names_a_street(rest) {
                continue;
            }
            let start = map.get(m.start()).copied().unwrap_or(0);
            let end = map.get(m.end().saturating_sub(1)).map_or(start, |e| e + 1);
            let matched: String = text.chars().skip(start).take(end - start).collect();
            return Some(PlaceHit {
                place: self.labels.get(k).cloned().unwrap_or_default(),
                text: matched,
                start,
                end,
                reading: None,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(countries: &[&str], places: &[&str]) -> PlaceMatcher {
        PlaceMatcher::new(&PlaceSet {
            countries: countries.iter().map(|s| s.to_string()).collect(),
            places: places.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn route_fields_by_code_name_or_place() {
        let dprk = set(&["KP"], &["Nampo", "Sinuiju"]);
        for field in [
            "KP",
            "kp",
            "North Korea",
            "Korea, Democratic People's Republic of",
            "DPRK",
            "Nampho, Nampo",
            "NAMPO",
        ] {
            assert!(dprk.matches_field(field).is_some(), "{field}");
        }
        for field in [
            "KR",
            "Korea (Republic of)",
            "South Korea",
            "Korea",
            "Dalian",
            "Nampoint",
        ] {
            assert!(dprk.matches_field(field).is_none(), "{field}");
        }
    }

    #[test]
    fn places_inside_addresses_with_offsets() {
        let dprk = set(&["KP"], &["Pyongyang", "平壤", "평양"]);
        let hit = dprk
            .find_in("Jungson-dong, Central District, P'yŏngyang")
            .expect("found");
        assert_eq!(hit.place, "Pyongyang");
        assert_eq!(hit.text, "P'yŏngyang");
        assert_eq!((hit.start, hit.end), (32, 42));
        assert_eq!(
            dprk.find_in("朝鲜平壤市中区").map(|h| h.text),
            Some("平壤".to_string())
        );
        assert_eq!(
            dprk.find_in("평양시 중구역").map(|h| h.place),
            Some("평양".to_string())
        );
        assert_eq!(
            dprk.find_in("Kim Il Sung Square, Korea, North")
                .map(|h| h.place),
            Some("KP".to_string())
        );
        assert!(dprk.find_in("Seoul, Republic of Korea").is_none());
        assert!(dprk.find_in("Pyongyangsan Road, Busan").is_none());
    }

    #[test]
    fn the_dprk_in_other_languages_but_not_its_look_alikes() {
        let dprk = set(&["KP"], &["Pyongyang"]);
        for field in [
            "朝鲜",
            "조선",
            "북한",
            "КНДР",
            "Nordkorea",
            "Corée du Nord",
            "North Korean",
        ] {
            assert!(dprk.matches_field(field).is_some(), "{field}");
        }
        for field in ["한국", "대한민국", "South Korea", "Korea", "南朝鲜"] {
            assert!(dprk.matches_field(field).is_none(), "{field}");
        }
        for address in [
            "Embassy of North Korea, Moscow",
            "North Korean Trade Mission, Vladivostok",
            "朝鲜 平安南道",
            "조선 평안남도",
            "ul. Mosfilmovskaya 72, Moskva, КНДР",
            "Pjöngjang, Nordkorea",
            "Phenjan",
        ] {
            assert!(dprk.find_in(address).is_some(), "{address}");
        }
        for address in [
            "吉林省延边朝鲜族自治州延吉市",
            "울산 현대중공업 조선소",
            "Seoul, Korea",
            "대한민국 서울특별시",
        ] {
            assert_eq!(dprk.find_in(address), None, "{address}");
        }
    }

    #[test]
    fn a_place_name_within_a_street_name_is_not_the_place() {
        let dprk = set(
            &["KP"],
            &["Nampo", "남포", "南浦", "Wonsan", "元山", "원산", "Namyang"],
        );
        for address in [
            "Lotte Department Store, Nampo-dong, Jung-gu, Busan",
            "12 Wonsan-ro, Yongsan-gu, Seoul",
            "부산 중구 남포동",
            "서울 원산로 5",
            "Namyang-eup, Hwaseong-si, Gyeonggi-do",
            "Wonsan-myeon",
            "上海市南浦大桥路1号",
            "深圳市元山路8号",
        ] {
            assert_eq!(dprk.find_in(address), None, "{address}");
        }
        for address in [
            "Nampo, DPRK",
            "Port of Nampo",
            "남포시 항구구역",
            "南浦市",
            "Wonsan-si",
            "Namyang-up, Onsong County",
        ] {
            assert!(dprk.find_in(address).is_some(), "{address}");
        }
    }

    #[test]
    fn the_location_after_a_name() {
        assert_eq!(location_in_name("Mr. Pak, Sinuiju"), Some((8, " Sinuiju")));
        assert_eq!(
            location_in_name("Pak Chol\nSinuiju City"),
            Some((9, "Sinuiju City"))
        );
        assert_eq!(location_in_name("朝鲜，平壤"), Some((3, "平壤")));
        assert_eq!(location_in_name("Korea Kwangson Banking Corp."), None);
        assert_eq!(location_in_name("Acme Ltd,"), None);
    }

    #[test]
    fn a_un_locode_is_in_its_country() {
        let dprk = set(&["KP"], &["Nampo"]);
        for field in ["KPNAM", "KP NAM", " KPRJN", "KPCHO"] {
            let hit = dprk.matches_field(field).expect(field);
            assert_eq!((hit.place.as_str(), hit.text.as_str()), ("KP", "KP"));
            assert_eq!(hit.reading, Some("UN/LOCODE"));
        }
        // Not codes: lower case, a country code that is none, a city's name; and a
        // set's place written in capitals is still that place.
        for field in ["kpnam", "Kpnam", "ZZNAM", "KPNAMP", "CNDDG"] {
            assert_eq!(dprk.matches_field(field), None, "{field}");
        }
        assert_eq!(
            dprk.matches_field("NAMPO").map(|h| h.place),
            Some("Nampo".into())
        );
        let france = set(&["FR"], &[]);
        assert!(france.matches_field("FRPAR").is_some());
        assert_eq!(set(&["PA"], &[]).matches_field("PARIS"), None);
        let hubs = set(&[], &["Dandong", "CNDDG"]);
        assert!(hubs.matches_field("CNDDG").is_some());
    }

    #[test]
    fn a_short_country_name_before_a_state_body_names_the_state() {
        let dprk = set(&["KP"], &[]);
        for name in [
            "朝鲜驻华大使馆",
            "주중 북한대사관",
            "중국 주재 북한대사관",
            "中国驻朝鲜大使馆",
            "北朝鮮大使館",
        ] {
            assert!(dprk.find_in(name).is_some(), "{name}");
        }
        for name in [
            "吉林省延边朝鲜族自治州",
            "울산 현대중공업 조선소",
            "南朝鲜政府",
        ] {
            assert_eq!(dprk.find_in(name), None, "{name}");
        }
    }

    #[test]
    fn a_country_field_is_only_that_country() {
        let korea = set(&[], &["Korea"]);
        assert!(korea.matches_field("Korea").is_some());
        assert!(korea.matches_field("Port of Korea").is_some());
        assert!(korea.matches_field("South Korea").is_none());
        assert!(korea.matches_field("Korea, North").is_none());
    }
}
