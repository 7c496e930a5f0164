//! The text normalisers on any text: the dissemination flag, country names,
//! the numbered-answer splitter, tidying, the leading yes or no.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = ahq::dissemination::parse_flag(text);
    if let Ok(countries) = ahq::country::Countries::builtin() {
        let _ = countries.resolve(text);
    }
    let tidy = ahq::text::tidy(text);
    // Tidying twice changes nothing more.
    assert_eq!(ahq::text::tidy(&tidy), tidy);
    let _ = ahq::text::leading_yes_no(text);
    let _ = ahq::text::first_line(text, 40);
    for ids in [&["1", "2", "3", "4"][..], &["1", "2a", "2b", "10"][..]] {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        if let Some(parts) = ahq::numbered::split(text, &ids) {
            // Every part names ids of the query, and its (tidied) words are the input's.
            let named: Vec<&String> = parts.iter().flat_map(|p| p.ids.iter()).collect();
            assert!(named.iter().all(|id| ids.contains(id)));
            for p in &parts {
                assert!(p.text.split_whitespace().all(|w| tidy.contains(w)));
            }
        }
    }
});
