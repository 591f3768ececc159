//! English number for model and table names: is a word plural, and its singular and plural,
//! with the irregular nouns, the uncountable ones and the singular nouns that end in `s`.
//!
//! Recognising a plural is what the rules rely on, so it errs towards "not plural": a word is
//! plural when it is a known irregular plural or ends in `s` the way regular plurals do and is
//! not a known singular (`status`, `address`, `analysis`, `news`, `canvas`).

/// Singular and plural are the same word, or the word has no plural in use.
const UNCOUNTABLE: &[&str] = &[
    "advice",
    "aircraft",
    "analytics",
    "audio",
    "baggage",
    "bison",
    "cash",
    "chaos",
    "clothing",
    "config",
    "content",
    "corps",
    "cod",
    "data",
    "deer",
    "economics",
    "education",
    "equipment",
    "evidence",
    "feedback",
    "firmware",
    "fish",
    "furniture",
    "gold",
    "hardware",
    "headquarters",
    "health",
    "help",
    "history",
    "homework",
    "info",
    "information",
    "inventory",
    "jeans",
    "knowledge",
    "luggage",
    "mail",
    "means",
    "media",
    "metadata",
    "middleware",
    "moose",
    "money",
    "music",
    "news",
    "offspring",
    "personnel",
    "physics",
    "police",
    "progress",
    "research",
    "rice",
    "salmon",
    "series",
    "sheep",
    "shrimp",
    "software",
    "species",
    "staff",
    "stuff",
    "swine",
    "traffic",
    "trout",
    "tuna",
    "weather",
    "wheat",
    "work",
];

/// Plural nouns used for one thing (`UserSettings` is one row of settings).
const PLURALIA_TANTUM: &[&str] = &[
    "analytics",
    "belongings",
    "clothes",
    "contents",
    "credentials",
    "details",
    "earnings",
    "goods",
    "metrics",
    "minutes",
    "odds",
    "pants",
    "preferences",
    "premises",
    "proceeds",
    "regards",
    "remains",
    "riches",
    "savings",
    "scissors",
    "settings",
    "shorts",
    "specs",
    "statistics",
    "stats",
    "surroundings",
    "thanks",
    "totals",
    "wages",
    "whereabouts",
];

/// Irregular (singular, plural).
const IRREGULAR: &[(&str, &str)] = &[
    ("person", "people"),
    ("man", "men"),
    ("woman", "women"),
    ("child", "children"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("ox", "oxen"),
    ("criterion", "criteria"),
    ("phenomenon", "phenomena"),
    ("datum", "data"),
    ("medium", "media"),
    ("index", "indices"),
    ("matrix", "matrices"),
    ("vertex", "vertices"),
    ("appendix", "appendices"),
    ("cactus", "cacti"),
    ("fungus", "fungi"),
    ("nucleus", "nuclei"),
    ("radius", "radii"),
    ("stimulus", "stimuli"),
    ("alumnus", "alumni"),
    ("syllabus", "syllabi"),
    ("curriculum", "curricula"),
    ("memorandum", "memoranda"),
    ("stratum", "strata"),
    ("bacterium", "bacteria"),
    ("leaf", "leaves"),
    ("knife", "knives"),
    ("life", "lives"),
    ("wife", "wives"),
    ("half", "halves"),
    ("self", "selves"),
    ("shelf", "shelves"),
    ("wolf", "wolves"),
    ("thief", "thieves"),
    ("loaf", "loaves"),
    ("calf", "calves"),
    ("elf", "elves"),
    ("scarf", "scarves"),
    ("hero", "heroes"),
    ("potato", "potatoes"),
    ("tomato", "tomatoes"),
    ("echo", "echoes"),
    ("veto", "vetoes"),
    ("quiz", "quizzes"),
    ("movie", "movies"),
    ("cookie", "cookies"),
    ("tie", "ties"),
    ("pie", "pies"),
    ("lie", "lies"),
    ("calorie", "calories"),
    ("zombie", "zombies"),
    ("rookie", "rookies"),
    ("selfie", "selfies"),
    ("goalie", "goalies"),
    ("freebie", "freebies"),
    ("newbie", "newbies"),
    ("genie", "genies"),
    ("die", "dice"),
    ("axis", "axes"),
];

/// Singular nouns ending in `s` that the endings below would take for plurals.
const SINGULAR_IN_S: &[&str] = &[
    "alias",
    "atlas",
    "bias",
    "canvas",
    "christmas",
    "gas",
    "pancreas",
    "paas",
    "saas",
    "faas",
    "iaas",
    "lens",
    "yes",
    "this",
    "his",
    "its",
    "plus",
    "minus",
    "dns",
    "gps",
    "aws",
    "cms",
    "tls",
    "https",
    "kms",
    "ses",
    "sqs",
    "sns",
    "ios",
    "macos",
    "os",
    "rss",
    "css",
    "sms",
    "ens",
    "nfs",
    "cos",
    "kudos",
    "ethos",
    "pathos",
    "cosmos",
    "thermos",
    "bonus",
    "campus",
    "census",
    "chorus",
    "circus",
    "corpus",
    "focus",
    "genus",
    "genius",
    "nexus",
    "octopus",
    "onus",
    "opus",
    "prospectus",
    "sinus",
    "status",
    "surplus",
    "thesaurus",
    "torus",
    "virus",
    "walrus",
    "apparatus",
    "consensus",
    "abacus",
    "lotus",
    "exodus",
    "impetus",
    "hiatus",
    "citrus",
    "uterus",
    "emeritus",
    "calculus",
    "terminus",
    "bus",
];

/// Is this lowercase word one with no separate plural (or a plural used for one thing)?
pub fn is_uncountable(word: &str) -> bool {
    UNCOUNTABLE.contains(&word) || PLURALIA_TANTUM.contains(&word)
}

/// Is this word (any case) a plural? Uncountable words are not.
pub fn is_plural(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 || is_uncountable(&w) || SINGULAR_IN_S.contains(&w.as_str()) {
        return false;
    }
    if IRREGULAR.iter().any(|(_, p)| *p == w) {
        return true;
    }
    if IRREGULAR.iter().any(|(s, _)| *s == w) {
        return false;
    }
    if !w.ends_with('s') {
        return false;
    }
    // `ss` (class), `us` (status), `is` (analysis), `ics` (physics) are singular endings
    !(w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") || w.ends_with("ics"))
}

/// Is this word a singular (or uncountable)?
pub fn is_singular(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    is_uncountable(&w) || !is_plural(&w)
}

fn keep_case(model: &str, lower: String) -> String {
    if model.starts_with(|c: char| c.is_ascii_uppercase()) {
        let mut c = lower.chars();
        match c.next() {
            Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
            None => lower,
        }
    } else {
        lower
    }
}

/// The singular of a plural word (`Categories` → `Category`, `people` → `person`).
pub fn singular(word: &str) -> String {
    let w = word.to_ascii_lowercase();
    if !is_plural(&w) {
        return word.to_string();
    }
    if let Some((s, _)) = IRREGULAR.iter().find(|(_, p)| *p == w) {
        return keep_case(word, s.to_string());
    }
    let stem = &w[..w.len() - 1];
    let out = if let Some(base) = w.strip_suffix("ies") {
        format!("{base}y")
    } else if let Some(base) = w.strip_suffix("es") {
        if base.ends_with("ss")
            || base.ends_with('x')
            || base.ends_with("ch")
            || base.ends_with("sh")
            || base.ends_with("zz")
            || base.ends_with("is")
            || SINGULAR_IN_S.contains(&base)
        {
            base.to_string()
        } else {
            stem.to_string()
        }
    } else {
        stem.to_string()
    };
    // `analyses` → `analysis`
    let out = match w.strip_suffix("ses") {
        Some(base)
            if [
                "analy", "cri", "the", "diagno", "hypothe", "synop", "empha", "synthe", "parenthe",
                "oa", "ba",
            ]
            .contains(&base) =>
        {
            format!("{base}sis")
        }
        _ => out,
    };
    keep_case(word, out)
}

/// The plural of a singular word (`category` → `categories`, `status` → `statuses`).
pub fn plural(word: &str) -> String {
    let w = word.to_ascii_lowercase();
    if is_uncountable(&w) || is_plural(&w) {
        return word.to_string();
    }
    if let Some((_, p)) = IRREGULAR.iter().find(|(s, _)| *s == w) {
        return keep_case(word, p.to_string());
    }
    let vowel = |c: Option<char>| matches!(c, Some('a' | 'e' | 'i' | 'o' | 'u'));
    let out = if let Some(base) = w.strip_suffix('y').filter(|b| !vowel(b.chars().last())) {
        format!("{base}ies")
    } else if let Some(base) = w.strip_suffix("is") {
        format!("{base}es")
    } else if w.ends_with('s')
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ch")
        || w.ends_with("sh")
    {
        format!("{w}es")
    } else {
        format!("{w}s")
    };
    keep_case(word, out)
}

/// The words of a PascalCase name (`BlogPost` → `Blog`, `Post`; `HTTPServer` → `HTTP`, `Server`).
pub fn pascal_words(name: &str) -> Vec<&str> {
    let b: Vec<(usize, char)> = name.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..b.len() {
        let (i, c) = b[k];
        let prev = b[k - 1].1;
        let next_lower = b.get(k + 1).is_some_and(|(_, n)| n.is_lowercase());
        let boundary = c == '_'
            || prev == '_'
            || (c.is_uppercase() && (prev.is_lowercase() || prev.is_ascii_digit()))
            || (c.is_uppercase() && prev.is_uppercase() && next_lower);
        if boundary {
            let w = name[start..i].trim_matches('_');
            if !w.is_empty() {
                out.push(w);
            }
            start = i;
        }
    }
    let w = name[start..].trim_matches('_');
    if !w.is_empty() {
        out.push(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        for p in [
            "users",
            "Posts",
            "categories",
            "people",
            "children",
            "addresses",
            "statuses",
            "boxes",
            "analyses",
            "photos",
            "leaves",
            "movies",
            "matches",
        ] {
            assert!(is_plural(p), "{p}");
        }
        for s in [
            "user",
            "Status",
            "address",
            "analysis",
            "news",
            "data",
            "settings",
            "canvas",
            "alias",
            "class",
            "bus",
            "physics",
            "series",
            "person",
            "access",
            "business",
            "process",
            "sms",
            "equipment",
        ] {
            assert!(!is_plural(s), "{s}");
        }
    }

    #[test]
    fn inflects() {
        let pairs = [
            ("user", "users"),
            ("category", "categories"),
            ("person", "people"),
            ("status", "statuses"),
            ("address", "addresses"),
            ("box", "boxes"),
            ("analysis", "analyses"),
            ("key", "keys"),
            ("movie", "movies"),
            ("leaf", "leaves"),
            ("match", "matches"),
            ("api_key", "api_keys"),
        ];
        for (s, p) in pairs {
            let last_s = s.rsplit('_').next().unwrap();
            let last_p = p.rsplit('_').next().unwrap();
            assert_eq!(plural(last_s), last_p, "plural of {s}");
            assert_eq!(singular(last_p), last_s, "singular of {p}");
        }
        assert_eq!(singular("Users"), "User");
        assert_eq!(singular("People"), "Person");
        assert_eq!(plural("news"), "news");
    }

    #[test]
    fn words() {
        assert_eq!(pascal_words("BlogPost"), ["Blog", "Post"]);
        assert_eq!(pascal_words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(pascal_words("UserV2"), ["User", "V2"]);
        assert_eq!(pascal_words("User_Profile"), ["User", "Profile"]);
        assert_eq!(pascal_words("User"), ["User"]);
    }
}
