//! A generator of realistic orders for the screening benchmark: trading companies and
//! people with plausible names, invoice descriptions as traders write them (with HS
//! codes, quantities and values), and routes through real ports. A small share of
//! orders carries what screening exists to find: listed DPRK names with typos, luxury
//! goods towards the DPRK or its transshipment hubs, DPRK-origin export-ban goods.
//!
//! Deterministic: the same seed gives the same file.

/// A small, fast, seedable generator (SplitMix64); quality is ample for test data.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const CITIES: &[&str] = &[
    "Shanghai",
    "Ningbo",
    "Qingdao",
    "Tianjin",
    "Dalian",
    "Shenzhen",
    "Guangzhou",
    "Xiamen",
    "Nanjing",
    "Suzhou",
    "Yiwu",
    "Hangzhou",
    "Busan",
    "Incheon",
    "Osaka",
    "Yokohama",
    "Dubai",
    "Sharjah",
    "Singapore",
    "Hamburg",
    "Rotterdam",
    "Antwerp",
    "Genoa",
    "Vladivostok",
    "Almaty",
];
const STEMS: &[&str] = &[
    "Golden Bridge",
    "Huaxin",
    "Evergreen",
    "Sunrise",
    "Jinlong",
    "Haitong",
    "Blue Ocean",
    "Pacific Star",
    "Zhongda",
    "Hengyuan",
    "Fortune",
    "Silver Crane",
    "Orient",
    "Kaiyuan",
    "Meridian",
    "Baltic",
    "Nordwind",
    "Al Noor",
    "Crescent",
    "Summit",
    "Greenfield",
    "Apex",
    "Longwei",
    "Tianli",
    "Ruifeng",
    "Yongsheng",
    "Hanil",
    "Daesung",
    "Seoul Global",
    "Sakura",
];
const TRADES: &[&str] = &[
    "Trading",
    "Import & Export",
    "International Trade",
    "Logistics",
    "Industrial",
    "Textile",
    "Machinery",
    "Foodstuffs",
    "Electronics",
    "Shipping",
    "Holdings",
    "Commerce",
];
const FORMS: &[&str] = &[
    "Co., Ltd.",
    "Co Ltd",
    "Limited",
    "LLC",
    "GmbH",
    "FZE",
    "Pte Ltd",
    "Corporation",
    "Inc.",
    "S.A.",
    "OOO",
    "Company",
];
const GIVEN: &[&str] = &[
    "Wei", "Jun", "Li Na", "Hiroshi", "Min-jun", "Seo-yeon", "Ahmed", "Olga", "Dmitri", "Maria",
    "John", "Fatima", "Chen", "Yuki", "Ji-ho", "Ivan",
];
const FAMILY: &[&str] = &[
    "Wang",
    "Zhang",
    "Liu",
    "Tanaka",
    "Park",
    "Lee",
    "Al Mansouri",
    "Ivanova",
    "Petrov",
    "Rossi",
    "Smith",
    "Haddad",
    "Chen",
    "Sato",
    "Choi",
    "Kuznetsov",
];
const ROLES: &[&str] = &["buyer", "seller", "consignee", "shipper", "notify", "bank"];
const COUNTRIES: &[&str] = &[
    "CN",
    "CN",
    "CN",
    "AE",
    "SG",
    "JP",
    "KR",
    "DE",
    "NL",
    "RU",
    "China",
    "Republic of Korea",
];
const PORTS: &[&str] = &[
    "Shanghai",
    "Ningbo",
    "Busan",
    "Singapore",
    "Jebel Ali",
    "Port Klang",
    "Kaohsiung",
    "Qingdao",
    "Tianjin",
    "Dalian",
    "Rotterdam",
    "Hamburg",
    "Hong Kong",
    "Nakhodka",
    "Dandong",
    "Vladivostok",
];

/// (description, HS code, unit value in USD).
const GOODS: &[(&str, &str, f64)] = &[
    ("cotton T-shirts, assorted sizes", "6109.10", 3.5),
    ("steel wire rod, coils", "7213.91", 0.6),
    ("frozen pollock fillets", "0304.75", 2.9),
    ("polyester staple fibre", "5503.20", 1.1),
    ("LED panel lights 600x600", "9405.11", 14.0),
    ("hydraulic excavator spare parts", "8431.49", 220.0),
    ("soybeans in bulk", "1201.90", 0.45),
    ("printing paper A4 80gsm", "4802.56", 3.2),
    ("ball bearings 6204ZZ", "8482.10", 1.4),
    ("solar PV modules 450W", "8541.43", 95.0),
    ("men's leather shoes", "6403.99", 18.0),
    ("instant noodles, cartons", "1902.30", 9.0),
    ("children's toys, plastic building blocks", "9503.00", 4.0),
    ("auto tyres 205/55R16", "4011.10", 38.0),
    ("medical gloves, nitrile", "4015.19", 0.05),
    ("Hennessy XO cognac 70cl", "2208.20", 180.0),
    ("Rolex Submariner wristwatch", "9102.11", 9500.0),
    ("Lexus LX570 SUV, 2020", "8703.24", 98000.0),
    ("Mercedes-Maybach S 650, armoured", "8703.24", 350000.0),
    ("Apple iPhone 15 Pro Max 256GB", "8517.13", 1100.0),
    ("mink fur coats", "4303.10", 2600.0),
    ("Hermes leather handbags", "4202.21", 7800.0),
    ("red wine, Bordeaux, 75cl btls", "2204.21", 45.0),
    ("passenger vehicles, as per invoice", "8703.23", 42000.0),
    ("anthracite coal", "2701.11", 0.12),
    ("iron ore fines", "2601.11", 0.09),
    ("ladies' garments, Made in China", "6204.43", 11.0),
    ("see attached proforma invoice", "8703.24", 61000.0),
];

/// Listed DPRK names as a front would write them (typos, legal forms, word order).
const LISTED: &[&str] = &[
    "Korea Kwangson Banking Corp",
    "KOREA MINING DEVELOPMENT TRADING CORP",
    "Dandong Hongxiang Industrial Development Co Ltd",
    "Korea Ryonbong General Corpration",
    "Foreign Trade Bank of the DPRK",
    "Kim Chong Un",
    "Tanchon Commercial Bank",
    "Korea Hyoksin Trading Corp",
    "Namchongang Trading Co",
    "Ocean Maritime Management Co Ltd",
    "Daedong Credit Bank",
];

/// A number fixed by the text (FNV-1a), to give each counterparty one home.
fn stable_index(text: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h as usize
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn company(r: &mut Rng) -> String {
    let mut name = String::new();
    if r.chance(50) {
        name.push_str(r.pick(CITIES));
        name.push(' ');
    }
    name.push_str(r.pick(STEMS));
    name.push(' ');
    name.push_str(r.pick(TRADES));
    name.push(' ');
    name.push_str(r.pick(FORMS));
    name
}

fn person(r: &mut Rng) -> String {
    if r.chance(50) {
        format!("{} {}", r.pick(GIVEN), r.pick(FAMILY))
    } else {
        format!("{}, {}", r.pick(FAMILY).to_uppercase(), r.pick(GIVEN))
    }
}

/// One order as a JSON line (without the newline).
pub fn order(i: u64, r: &mut Rng) -> String {
    let mut parties = Vec::new();
    let n_parties = 2 + r.below(3);
    for k in 0..n_parties {
        let role = if k < 2 {
            ["seller", "buyer"][k]
        } else {
            r.pick(ROLES)
        };
        let name = if r.chance(1) {
            r.pick(LISTED).to_string()
        } else if r.chance(15) {
            person(r)
        } else {
            company(r)
        };
        // A counterparty keeps its country and address from order to order, as in a
        // real order book; a few orders carry a DPRK party.
        let home = stable_index(&name);
        let country = if r.chance(1) {
            "DPRK"
        } else {
            COUNTRIES[home % COUNTRIES.len()]
        };
        parties.push(format!(
            "{{\"role\":{},\"name\":{},\"country\":{},\"address\":{}}}",
            json_str(role),
            json_str(&name),
            json_str(country),
            json_str(CITIES[(home / 7) % CITIES.len()])
        ));
    }
    let mut goods = Vec::new();
    for _ in 0..1 + r.below(3) {
        let (desc, hs, unit) = GOODS[r.below(GOODS.len())];
        let qty = 1 + r.below(500);
        goods.push(format!(
            "{{\"description\":{},\"hs\":\"{hs}\",\"quantity\":{qty},\"value\":{:.2},\"currency\":\"USD\"}}",
            json_str(desc),
            unit * qty as f64
        ));
    }
    let origin = if r.chance(1) { "KP" } else { r.pick(COUNTRIES) };
    let destination = if r.chance(1) {
        "Nampo"
    } else {
        r.pick(COUNTRIES)
    };
    let via = if r.chance(30) {
        format!("[{}]", json_str(r.pick(PORTS)))
    } else {
        "[]".to_string()
    };
    format!(
        "{{\"id\":\"PO-{i}\",\"parties\":[{}],\"goods\":[{}],\"route\":{{\"origin\":{},\"destination\":{},\"via\":{via}}}}}",
        parties.join(","),
        goods.join(","),
        json_str(origin),
        json_str(destination)
    )
}
